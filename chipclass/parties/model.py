"""The values a party list is made of: entries, their related names, a snapshot.

Everything dated is read through `in_force`: the one function that compares a
listing's dates with the day asked about.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from chipclass.problems import Problem as Problem  # re-exported: list files report Problems

#: what the text of a name, alias or address is (as for the rule editions)
TEXT_KINDS: Final = ("verbatim", "quoted", "paraphrase", "press-report")
RELATIONS: Final = (
    "former name",
    "later name",
    "subsidiary (not listed)",
    "affiliate (not listed)",
)


def in_force(added: dt.date | None, removed: dt.date | None, on: dt.date) -> bool:
    """Whether a listing with these dates is in force on `on`.

    In force from `added` (inclusive) until `removed` (exclusive). A listing whose start
    date is not known (a CSL row with an empty `start_date`) is read as in force: a
    missing date must not let a listed party pass.
    """
    if added is not None and on < added:
        return False
    return removed is None or on < removed


class PartiesError(Exception):
    """A list file (snapshot or CSL download) that cannot be used; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Related:
    """A name that is not itself listed but points at a listed entry (a rename, a unit)."""

    name: str
    relation: str
    source: str
    text_kind: str
    since: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Entry:
    """One listed party, from the bundled snapshot or a CSL row."""

    id: str
    name: str
    list: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    #: every country the entry's addresses name (the first is `country`)
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register: tuple[str, ...] = ()
    added: dt.date | None = None
    removed: dt.date | None = None
    text_kind: str | None = None
    sources: tuple[str, ...] = ()
    footnote: str | None = None
    parent: str | None = None
    notes: str | None = None
    related: tuple[Related, ...] = ()
    #: CSL only: the row's `type` and `programs`
    type: str | None = None
    programs: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The entry's name, then every alias: each is tried."""
        return (self.name, *self.aliases)

    def in_force(self, on: dt.date) -> bool:
        return in_force(self.added, self.removed, on)


@dataclass(frozen=True)
class Manifest:
    """How an imported snapshot was made: from which download, when, with what in it."""

    source_file: str
    source_sha256: str
    source_format: str  # "csv" or "json"
    imported_at: str  # ISO 8601, UTC
    entries: int
    per_list: tuple[tuple[str, int], ...]
    url: str | None = None  # where `parties fetch` downloaded it


@dataclass(frozen=True)
class Snapshot:
    """A party list as read from one file, named by that file's sha256."""

    name: str  # the list's name ("Entity List", "Consolidated Screening List")
    path: str
    sha256: str  # of the file's bytes
    kind: str  # "snapshot" (TOML), "imported" (JSON lines), "csl-csv", "csl-json"
    entries: tuple[Entry, ...]
    as_of: dt.date | None = None  # None: the file carries no date (a raw download)
    id: str | None = None
    title: str | None = None
    authority: str | None = None
    url: str | None = None
    notes: str | None = None
    manifest: Manifest | None = None
    by_id: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id.update((e.id, e) for e in self.entries)

    def per_list(self) -> tuple[tuple[str, int], ...]:
        """Entries per source list, most first (then by name)."""
        counts = Counter(e.list for e in self.entries)
        return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
