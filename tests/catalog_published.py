"""Published (or hand-computed) TPPs of catalog sheets, each beside its source.

Rows are (chip_id, published_tpp, "source / how"). Where no source publishes a TPP, the figure is
the one a reader can compute by hand from a published dense throughput x bit length (Technical Note
to 3A090), and the row says which.
"""

from __future__ import annotations

from typing import Final

#: every vendor but NVIDIA (chipclass issue 15, part 2)
OTHERS_PUBLISHED: Final[list[tuple[str, float, str]]] = [
    (
        "amd-mi210",
        2899.2,
        "AnandTech MI210 table: FP64 matrix 45.3 x 64 (FP16 181 x 16 = 2896)",
    ),
    ("amd-mi250", 5793.6, "AMD MI250 table (zexron copy): FP16/BF16 362.1 x 16"),
    ("amd-mi300a", 15689.6, "AMD MI300A spec list (Vengineer): FP16 980.6 x 16"),
    ("amd-mi350x", 55350, "Tom's Hardware ISC 2025: 18.45 PF FP6/FP4 sparse -> 9225 dense x 6"),
    ("amd-mi355x", 60300, "Tom's Hardware ISC 2025: 20.1 PF FP6/FP4 sparse -> 10050 dense x 6"),
    ("google-tpu-v7", 36912, "docs.cloud.google.com/tpu/docs/tpu7x: FP8 4614 x 8 = BF16 2307 x 16"),
    ("aws-trainium2", 21344, "AWS Neuron Trainium2 page: TF32 667 x 32 (FP8 1299 x 8 = 10392)"),
    ("aws-trainium3", 21472, "AWS Neuron Trainium3 page: TF32 671 x 32 (MXFP8 2517 x 8 = 20136)"),
    ("meta-mtia-v2", 2832, "Meta MTIA v2 (TechPowerUp): INT8 354 dense x 8 = FP16 177 x 16"),
    ("huawei-ascend-950pr", 8000, "Huawei Connect 2025: FP8 1 PFLOPS x 8 = MXFP4 2 PFLOPS x 4"),
    ("huawei-ascend-950dt", 8000, "Huawei Connect 2025: FP8 1 PFLOPS x 8"),
    ("huawei-ascend-920", 14400, "DigiTimes via TechPowerUp: BF16 900 x 16 (estimate)"),
    (
        "tenstorrent-blackhole",
        6192,
        "Tenstorrent p150a as first sold: BLOCKFP8 774 x 8",
    ),
    ("cambricon-mlu370-x8", 2048, "Cambricon MLU370-X8 launch: INT8 256 x 8 = INT4 512 x 4"),
    ("groq-lpu", 6000, "TechPowerUp: Groq LPU INT8 750 x 8"),
    ("groq-lp30", 9840, "GTC 2026 reports: 315 PF FP8 per 256-LPU rack -> 1230 x 8 (estimate)"),
    ("amd-mi250x", 6128, "Epoch AI TPP 6128 (declared in the sheet)"),
    ("amd-mi300x", 20919.2, "Epoch AI TPP 20919.2; AMD data sheet FP8 2614.9 x 8"),
    ("google-tpu-v5p", 7344, "Epoch AI TPP 7344 (INT8 918 x 8)"),
    ("huawei-ascend-910b", 6016, "Epoch AI 910B2 TPP 6016 (FP16 376 x 16)"),
    ("huawei-ascend-910c", 12800, "Epoch AI TPP 12800 (FP16 800 x 16)"),
]

#: NVIDIA (chipclass issue 15, part 1)
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
