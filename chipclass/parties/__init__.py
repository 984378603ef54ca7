"""Parties: the Entity List snapshot, Consolidated Screening List downloads, screening.

    from chipclass.parties import load_list, Screener, Query
    run = Screener([load_list(None)]).screen([Query("Dawning Information Industry Co., Ltd.")])
    run.results[0].matches[0].entry.federal_register[0]  # '84 FR 29371, 6/24/19'

`load_list(path)` reads a bundled-format snapshot, an imported snapshot or a raw CSL
download (None: the bundled snapshot). Nothing here imports click or rich; rapidfuzz is
imported when a Screener is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chipclass.parties.lists import load_list
from chipclass.parties.model import Entry, PartiesError, Problem, Related, Snapshot, in_force

if TYPE_CHECKING:
    from chipclass.parties.screen import Query, Screener

__all__ = [
    "Entry",
    "PartiesError",
    "Problem",
    "Query",
    "Related",
    "Screener",
    "Snapshot",
    "in_force",
    "load_list",
]


def __getattr__(name: str) -> Any:
    if name in ("Query", "Screener"):
        from chipclass.parties import screen

        return getattr(screen, name)
    raise AttributeError(name)
