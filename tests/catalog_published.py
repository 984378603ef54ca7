"""TPPs that sources publish (or that a reader computes by hand from a published dense
throughput x bit length), for checking the catalog's sheets against them.

One list per scope: rows are (chip id, published TPP, "source url / how").
"""

from __future__ import annotations

NVIDIA_PUBLISHED: list[tuple[str, float, str]] = [
    (
        "nvidia-b300",
        56000,
        "https://epoch.ai/data/machine-learning-hardware : Epoch AI's B300 dense FP4 14000 x 4"
        " bits (Verda's table agrees; NVIDIA's GTC 2025 HGX table, 105 PF / 8, gives 52500)",
    ),
    (
        "nvidia-gb300",
        60000,
        "https://vendordeep.com/report/nvidia-launches-blackwell-ultra-gb300 : GB300 NVL72 FP4"
        " 1080 PFLOPS dense / 72 GPUs = 15000 x 4 (Epoch AI publishes 61120, 1.9 % higher)",
    ),
    (
        "nvidia-b100",
        28000,
        "https://epoch.ai/data/machine-learning-hardware : Epoch AI's B100 TPP",
    ),
    (
        "nvidia-h100-nvl",
        13368,
        "https://epoch.ai/data/machine-learning-hardware : Epoch AI's H100 NVL TPP (= 1671 x 8)",
    ),
    (
        "nvidia-h200-nvl",
        13364,
        "https://www.nvidia.com/en-us/data-center/h200/ : H200 NVL FP8 3341 TFLOPS with"
        " sparsity / 2 x 8 bits",
    ),
    (
        "nvidia-rtx-pro-6000-server",
        8000,
        "https://www.nvidia.com/en-us/data-center/rtx-pro-6000-blackwell-server-edition/ : FP4"
        " 4 PFLOPS with sparsity / 2 x 4 bits (FP8 2 PFLOPS / 2 x 8 gives the same)",
    ),
    (
        "nvidia-gh200",
        15832,
        "https://epoch.ai/data/machine-learning-hardware : Epoch AI's GH200 TPP (INT8 1979 x 8)",
    ),
    (
        "nvidia-a40",
        2395.2,
        "https://epoch.ai/data/machine-learning-hardware : Epoch AI's A40 PCIe TPP (149.7 x 16)",
    ),
    (
        "nvidia-a10",
        2000,
        "https://epoch.ai/data/machine-learning-hardware : Epoch AI's A10 PCIe TPP (INT8 250 x 8)",
    ),
    (
        "nvidia-rtx-6000-ada",
        5832,
        "https://epoch.ai/data/machine-learning-hardware : Epoch AI's RTX 6000 Ada TPP"
        " (FP8 729 x 8)",
    ),
    (
        "nvidia-gb10",
        2000,
        "https://meterpreter.org/a-supercomputer-on-your-desk-nvidia-unveils-the-dgx-spark-ai-superchip"
        " : 1 PFLOP FP4 with sparsity / 2 x 4 bits",
    ),
    (
        "nvidia-rubin",
        200000,
        "https://buzzbytech.com/covering-scientific-technical-ai-28 : NVIDIA's 50 PFLOPS NVFP4"
        " inference x 4 bits (pre-release; the sheet is estimated = true)",
    ),
]
