"""The short words every output uses for the metrics and the comparison operators (one
table each: the text reports, the chip map and the web page say the same)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from chipclass.numbers import percent

if TYPE_CHECKING:
    from chipclass.margin import Change

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


def knob_words(knob: str) -> str:
    """A knob as the one-line outputs name it: "throughput", "die area", "io bandwidth"."""
    return knob.replace("_", " ")


def knob_name(knob: str) -> str:
    """A knob as the tailoring tables name it: "memory bandwidth", "I/O bandwidth"."""
    return knob_words(knob).replace("io ", "I/O ")


def change_words(change: Change, places: int = 3) -> str:
    """A change of one knob: "throughput +1.351 %"."""
    return f"{knob_words(change.knob)} {percent(change.change_pct, places)}"


def short_change(change: Change | None) -> str:
    """A change and the label it reaches, for tables: "throughput +1.35 % → license-required"
    ("-" for none)."""
    if change is None:
        return "-"
    return f"{change_words(change, 2)} → {change.label}"
