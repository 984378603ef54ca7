"""The ONE adapter through which transactions screen names: chipclass.parties
(the branch parties-screen: `load_list`, `Screener`, `Query`), at its default threshold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from chipclass.parties.model import Entry, PartiesError, Problem, Snapshot


@dataclass(frozen=True)
class Listing:
    """A potential match of a name on a list, as the determination reads it."""

    entry: Entry
    list_name: str
    snapshot_sha256: str
    matched_name: str
    score: Fraction


@dataclass(frozen=True)
class Related:
    """A name related to a listed entry (a rename, an unlisted unit): a red flag."""

    entry: Entry
    name: str
    relation: str
    source: str
    score: Fraction


@dataclass(frozen=True)
class Screened:
    name: str
    country: str | None
    listings: tuple[Listing, ...]
    related: tuple[Related, ...]


def load_lists(paths: Sequence[str]) -> tuple[tuple[Snapshot, ...], list[Problem]]:
    """The lists at `paths` (none: the bundled Entity List snapshot), and the problems of
    those that cannot be read."""
    from chipclass.parties.lists import load_list

    found: list[Snapshot] = []
    problems: list[Problem] = []
    for path in paths or (None,):
        try:
            found.append(load_list(path))
        except PartiesError as error:
            problems.extend(error.problems)
    return tuple(found), problems


def screen_names(
    lists: Sequence[Snapshot], names: Sequence[tuple[str, str | None]], day: dt.date
) -> tuple[Screened, ...]:
    """Each (name, country) screened against the lists as they stood on `day`."""
    from chipclass.parties.screen import DEFAULT_THRESHOLD, Query, Screener

    run = Screener(lists).screen(
        [Query(name, country) for name, country in names], DEFAULT_THRESHOLD, day
    )
    return tuple(
        Screened(
            result.query.name,
            result.query.country,
            tuple(
                Listing(m.entry, m.snapshot.name, m.snapshot.sha256, m.matched_name, m.score)
                for m in result.matches
            ),
            tuple(
                Related(f.entry, f.related.name, f.related.relation, f.related.source, f.score)
                for f in result.red_flags
            ),
        )
        for result in run.results
    )


def threshold() -> Fraction:
    from chipclass.parties.screen import DEFAULT_THRESHOLD

    return DEFAULT_THRESHOLD
