"""The Python API (spec-format.md section 8): the library's front door.

    >>> import chipclass
    >>> sheet = chipclass.load_sheet("specs/nvidia/h20.toml")
    >>> results = chipclass.classify(["specs/"], editions=["us-2023-10"], destination="CN")
    >>> results[0].to_dict()["verdicts"][0]["label"]
    'restricted'

Everything here is what the `chipclass` command does, without click or rich.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

from chipclass import tariffs
from chipclass.classify import Result
from chipclass.classify import classify as classify_sheet
from chipclass.editions import Edition, Registry
from chipclass.files import load_all
from chipclass.files import load_sheet as _load_sheet
from chipclass.spec import ChipSpec, Problem, SheetError, StrPath


class Results(list[Result]):
    """The results of a classify() call, in the order the sheets were found; `problems`
    holds the problems of the sheets that could not be read (only with strict=False)."""

    def __init__(self, results: Iterable[Result], problems: Iterable[Problem] = ()) -> None:
        super().__init__(results)
        self.problems: tuple[Problem, ...] = tuple(problems)

    def to_dicts(self) -> list[dict[str, Any]]:
        """Every result as the JSON result object of spec-format.md section 5."""
        return [result.to_dict() for result in self]


def load_sheet(path: StrPath) -> ChipSpec:
    """One validated sheet; raises SheetError naming every problem in it."""
    return _load_sheet(path)


def editions(rules: Iterable[StrPath] = ()) -> tuple[Edition, ...]:
    """Every edition, oldest first: the bundled ones, and those in the `rules` folders."""
    return Registry([os.fspath(r) for r in rules]).all()


def classify(
    paths: StrPath | Iterable[StrPath],
    *,
    editions: Iterable[str | Edition] | None = None,
    destination: str | None = None,
    as_of: dt.date | None = None,
    rules: Iterable[StrPath] = (),
    strict: bool = True,
) -> Results:
    """Classify every sheet under `paths` (files, or folders searched for *.toml).

    editions: edition ids (or Edition objects, or "latest"); default: the edition in
    force on `as_of`, or the latest. destination: an ISO code or a country name (default:
    China, the destination the editions are written for). rules: folders of user
    editions. strict: an unreadable or invalid sheet raises SheetError naming every
    problem of every sheet; with strict=False those sheets are left out and their
    problems are in the result's `problems`.
    """
    registry = Registry([os.fspath(r) for r in rules])
    chosen = _editions(registry, editions, as_of)
    if destination is not None:
        from chipclass.destinations import bundled
        from chipclass.scoped import for_destination

        data = bundled()
        chosen = tuple(for_destination(e, destination, as_of, data) for e in chosen)
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    loaded = load_all(given)
    if strict and loaded.problems:
        raise SheetError(list(loaded.problems))
    bands = tariffs.bundled()
    results = (classify_sheet(spec, chosen, tariff_bands=bands) for spec in loaded.specs)
    return Results(results, loaded.problems)


def _editions(
    registry: Registry, wanted: Iterable[str | Edition] | None, as_of: dt.date | None
) -> tuple[Edition, ...]:
    if wanted is None:
        return registry.select((), False, as_of)
    found: dict[str, Edition] = {}
    for item in [wanted] if isinstance(wanted, str) else wanted:
        edition = item if isinstance(item, Edition) else registry.by_id(item)
        found[edition.id] = edition
    if as_of is not None:
        edition = registry.in_force(as_of)
        found[edition.id] = edition
    return tuple(sorted(found.values(), key=lambda e: e.effective))
