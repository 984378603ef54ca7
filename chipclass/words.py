"""The short words every output uses for the metrics and the comparison operators (one
table each: the text reports, the chip map and the web page say the same)."""

from __future__ import annotations

from typing import Final

#: each metric of a condition, as a threshold names it ("TPP ≥ 4800", "memory < 1400 GB/s")
METRIC_WORDS: Final = {
    "tpp": "TPP",
    "performance_density": "density",
    "memory_bandwidth_gbs": "memory",
    "io_bandwidth_gbs": "I/O",
    "memory_plus_io_gbs": "memory+I/O",
}

#: each comparison operator as printed
OPS: Final = {">=": "≥", ">": ">", "<": "<", "<=": "≤"}
