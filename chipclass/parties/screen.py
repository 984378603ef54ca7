"""Screening: queries against the lists, as of a date, into results with their audit trail.

A query is a name (and optionally a country). Its potential matches are the entries in
force on the date whose name or an alias scores at least the threshold; its red flags
are related names (renames, unlisted units) of entries in force that score as much. A
query's `country` narrows the matches to entries of that country, keeping entries whose
country the list does not give (a missing country must not let a party pass); it does
not narrow red flags (a renamed or unlisted unit may sit in another country than the
listed entry, as Aivres Systems in California does from Inspur Group in China).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Final

from chipclass.parties.match import NameIndex
from chipclass.parties.model import Entry, Problem, Related, Snapshot
from chipclass.parties.normalize import normalize

#: the default threshold (see the README, "Screening parties": chosen from bench/screen.py)
DEFAULT_THRESHOLD: Final = Fraction(85)
#: a name longer than this is refused as input, not screened
MAX_NAME_LENGTH: Final = 1000


@dataclass(frozen=True)
class Query:
    name: str
    country: str | None = None
    where: str = "<argument>"  # the file:line or argument it came from


@dataclass(frozen=True)
class Match:
    entry: Entry
    snapshot: Snapshot
    matched_name: str
    score: Fraction


@dataclass(frozen=True)
class RedFlag:
    entry: Entry
    snapshot: Snapshot
    related: Related
    score: Fraction


@dataclass(frozen=True)
class QueryResult:
    query: Query
    matches: tuple[Match, ...]
    red_flags: tuple[RedFlag, ...]

    @property
    def hit(self) -> bool:
        return bool(self.matches or self.red_flags)


@dataclass(frozen=True)
class ScreenRun:
    lists: tuple[Snapshot, ...]
    results: tuple[QueryResult, ...]
    errors: tuple[Problem, ...]
    threshold: Fraction
    as_of: dt.date


class Screener:
    """The lists, indexed once; screen as many queries as needed against them."""

    def __init__(self, lists: Sequence[Snapshot]) -> None:
        self.lists = tuple(lists)
        self.index = NameIndex(self.lists)

    def screen_one(self, query: Query, threshold: Fraction, as_of: dt.date) -> QueryResult:
        key = normalize(query.name)
        best: dict[tuple[int, str], Match] = {}
        flags: dict[tuple[int, str, str], RedFlag] = {}
        for scored in self.index.search(key, threshold):
            named = scored.named
            entry = named.entry
            if not entry.in_force(as_of):
                continue
            snapshot = self.lists[named.snapshot]
            if named.related is not None:  # its country is not the listed entry's: kept
                flag_key = (named.snapshot, entry.id, named.related.name)
                if flag_key not in flags:
                    flags[flag_key] = RedFlag(entry, snapshot, named.related, scored.score)
                continue
            if not _country_fits(entry, query.country):
                continue
            match_key = (named.snapshot, entry.id)
            if match_key not in best:  # search() yields the best-scoring name first
                best[match_key] = Match(entry, snapshot, named.text, scored.score)
        # search() order is kept: at equal scores a whole-name match ranks above one that
        # only contains a shorter listed name ("Jiangnan Institute of Computing Technology"
        # is Wuxi Jiangnan's alias before it is CAS ICT's "Institute of Computing Technology")
        return QueryResult(query, tuple(best.values()), _ordered_flags(flags.values()))

    def screen(
        self,
        queries: Iterable[Query],
        threshold: Fraction = DEFAULT_THRESHOLD,
        as_of: dt.date | None = None,
        errors: Sequence[Problem] = (),
    ) -> ScreenRun:
        day = as_of or dt.datetime.now(dt.timezone.utc).date()
        results = tuple(self.screen_one(q, threshold, day) for q in queries)
        return ScreenRun(self.lists, results, tuple(errors), threshold, day)


def _ordered_flags(flags: Iterable[RedFlag]) -> tuple[RedFlag, ...]:
    return tuple(sorted(flags, key=lambda f: (-f.score, f.related.name, f.entry.id)))


def _country_fits(entry: Entry, country: str | None) -> bool:
    if country is None or not entry.countries:
        return True
    return country in entry.countries


def check_name(name: str, where: str) -> Problem | None:
    """Why a name cannot be screened (None when it can)."""
    if not name.strip():
        return Problem(where, "empty name")
    if len(name) > MAX_NAME_LENGTH:
        return Problem(where, f"name of {len(name):,} characters (at most {MAX_NAME_LENGTH:,})")
    if not normalize(name).words:
        return Problem(where, "name has no letters or digits")
    return None


def read_batch(
    path: Path, resolve_country: Callable[[str], str] | None = None
) -> tuple[list[Query], list[Problem]]:
    """Queries from a CSV with a `name` column (and optionally `country`).

    Each bad row is a problem with its line; the good rows are still returned.
    `resolve_country`, when given, maps a country cell to an ISO code or raises
    LookupError.
    """
    source = str(path)
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as error:
        return [], [Problem(source, f"cannot read: {error.strerror or error}")]
    queries: list[Query] = []
    problems: list[Problem] = []
    previous = 0
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, 64 * 1024 * 1024))
    try:
        with handle:
            reader = csv.DictReader(handle)
            try:
                fields = reader.fieldnames
            except (UnicodeDecodeError, csv.Error) as error:
                return [], [Problem(source, f"not a readable CSV file: {error}", line=1)]
            if not fields or "name" not in [f.strip().lower() for f in fields]:
                found = ", ".join(repr(f) for f in fields or []) or "none"
                return [], [Problem(source, f"no 'name' column (columns: {found})", line=1)]
            names = {f.strip().lower(): f for f in fields}
            previous = reader.line_num
            for row in reader:
                line = previous + 1
                previous = reader.line_num
                where = f"{source}:{line}"
                name = row.get(names["name"]) or ""
                problem = check_name(name, source)
                if problem is not None:
                    problems.append(problem._replace(line=line))
                    continue
                country = (row.get(names["country"]) or "").strip() if "country" in names else ""
                code: str | None = None
                if country:
                    try:
                        code = resolve_country(country) if resolve_country else country.upper()
                    except LookupError as error:
                        problems.append(Problem(source, str(error.args[0]), "country", line))
                        continue
                queries.append(Query(name, code, where))
    except (UnicodeDecodeError, csv.Error) as error:
        problems.append(Problem(source, f"not readable: {error}", line=previous + 1))
    finally:
        csv.field_size_limit(limit)
    return queries, problems
