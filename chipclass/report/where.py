"""The destination a report answers for, in words every output uses."""

from __future__ import annotations

from collections.abc import Sequence

from chipclass.editions import Edition


def destination_text(editions: Sequence[Edition]) -> str:
    """'Saudi Arabia (SA)' for editions read for --destination; 'China (CN), the
    default' otherwise (the clauses are written for China)."""
    narrowed = next((e for e in editions if e.narrowed), None)
    if narrowed is not None:
        return narrowed.destination
    return "China (CN), the default"


def destination_code(editions: Sequence[Edition]) -> str:
    return editions[0].destination_code if editions else "CN"
