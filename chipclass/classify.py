"""The pipeline: sheet -> metrics -> verdict per edition, and loading many sheets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from chipclass.editions import Edition
from chipclass.evaluate import Decision, Part
from chipclass.margin import Change, Row, nearest_each, rows
from chipclass.metrics import Metrics, compute
from chipclass.spec import ChipSpec, Problem, SheetError, StrPath, iter_sheet_paths, load_sheet


class Verdict(NamedTuple):
    """A part under one edition: the decision, the nearest changes, every threshold row."""

    edition: Edition
    metrics: Metrics
    decision: Decision
    nearest_stricter: Change | None
    nearest_laxer: Change | None

    @property
    def label(self) -> str:
        return self.decision.label

    @property
    def rows(self) -> tuple[Row, ...]:
        """Each condition of each clause, measured against the part (worked out when asked
        for: a JSON batch writes them from the edition's lines instead)."""
        return tuple(rows(self.metrics, self.edition))


class Result(NamedTuple):
    """One sheet classified: its spec, its metrics, a verdict per edition asked for."""

    spec: ChipSpec
    metrics: Metrics
    verdicts: tuple[Verdict, ...]

    def verdict(self, edition_id: str) -> Verdict:
        for verdict in self.verdicts:
            if verdict.edition.id == edition_id:
                return verdict
        raise KeyError(edition_id)


def judge(metrics: Metrics, edition: Edition) -> Verdict:
    part = Part(metrics)
    decision = part.decide(edition)
    (stricter, laxer) = nearest_each(part, (edition,), (decision,))[0]
    return Verdict(edition, metrics, decision, stricter, laxer)


def classify(spec: ChipSpec, editions: Sequence[Edition]) -> Result:
    """judge() under each edition; editions with the same logic (Edition.logic) share the
    decision and the nearest changes, worked out once."""
    metrics = compute(spec)
    part = Part(metrics)
    distinct = list({edition.logic: edition for edition in editions}.values())
    decisions = [part.decide(edition) for edition in distinct]
    changes = nearest_each(part, distinct, decisions)
    shared = {
        edition.logic: (decision, *change)
        for edition, decision, change in zip(distinct, decisions, changes, strict=True)
    }
    verdicts = []
    for edition in editions:
        decision, stricter, laxer = shared[edition.logic]
        verdicts.append(Verdict(edition, metrics, decision, stricter, laxer))
    return Result(spec, metrics, tuple(verdicts))


class Loaded(NamedTuple):
    """The outcome of reading a set of paths: good sheets, and every problem."""

    specs: tuple[ChipSpec, ...]
    problems: tuple[Problem, ...]


def iter_loaded(paths: Iterable[StrPath]) -> Iterator[ChipSpec | list[Problem]]:
    """Load every sheet under the paths, yielding a spec or that sheet's problems.

    The same chip id in two sheets is reported against the second, naming both.
    """
    owners: dict[str, str] = {}
    for path, message in iter_sheet_paths(list(paths)):
        if message is not None:
            yield [Problem(str(path), message)]
            continue
        try:
            spec = load_sheet(path)
        except SheetError as error:
            yield error.problems
            continue
        first = owners.get(spec.id)
        if first is not None:
            yield [duplicate_id(spec.path, spec.id, first, spec.line_of("chip.id"))]
            continue
        owners[spec.id] = spec.path
        yield spec


def duplicate_id(file: str, chip_id: str, first: str, line: int | None) -> Problem:
    """The problem of a sheet whose chip id an earlier sheet (`first`) already uses."""
    return Problem(
        file,
        f"chip id {chip_id!r} is already used by {first}; ids must be unique",
        "[chip] id",
        line,
    )


def load_all(paths: Iterable[StrPath]) -> Loaded:
    specs: list[ChipSpec] = []
    problems: list[Problem] = []
    for item in iter_loaded(paths):
        if isinstance(item, list):
            problems.extend(item)
        else:
            specs.append(item)
    return Loaded(tuple(specs), tuple(problems))
