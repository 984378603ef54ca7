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
