"""A part's label in every edition, oldest first, and what changed it at each step.

Between two editions the part's metrics are the same; only the law moves. So where
the label changes, the cause is a clause that is new, gone or revised and that
entered or left the set of clauses deciding the label. Those are reported (with the
revision: a condition dropped or added, a label, scope or target changed); when no
revised clause moved, every clause that entered or left is reported instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from chipclass.editions import Clause, Condition, Edition, all_editions
from chipclass.evaluate import Decision, decide
from chipclass.metrics import Metrics

ENTERED: Final = "entered"
LEFT: Final = "left"
REVISED: Final = "revised"  # still deciding, but its text changed (the deciding set did not move)
UNDECIDED: Final = "undecided"  # to or from indeterminate: a revised clause turns on an unknown


@dataclass(frozen=True)
class Revision:
    """How one clause id differs between two editions."""

    new: bool = False  # absent from the older edition
    gone: bool = False  # absent from the newer edition
    dropped: tuple[Condition, ...] = ()  # conditions the older edition had and the newer lacks
    added: tuple[Condition, ...] = ()
    fields: tuple[tuple[str, str, str], ...] = ()  # (field, old, new): role, label, scope, ...

    @property
    def same(self) -> bool:
        return not (self.new or self.gone or self.dropped or self.added or self.fields)


@dataclass(frozen=True)
class Cause:
    clause: str
    change: str  # ENTERED, LEFT or REVISED
    revision: Revision


@dataclass(frozen=True)
class Step:
    edition: Edition
    decision: Decision
    changed: bool  # the label differs from the previous edition's
    because: tuple[Cause, ...]  # where it changed: the clauses that did it

    @property
    def label(self) -> str:
        return self.decision.label


def history(metrics: Metrics, editions: Sequence[Edition] | None = None) -> tuple[Step, ...]:
    """The part under every edition (default: all bundled editions), oldest first."""
    ordered = sorted(all_editions() if editions is None else editions, key=lambda e: e.effective)
    steps: list[Step] = []
    previous: tuple[Edition, Decision] | None = None
    for edition in ordered:
        decision = decide(metrics, edition)
        changed = previous is not None and previous[1].label != decision.label
        because: tuple[Cause, ...] = ()
        if previous is not None and changed:
            because = causes(previous[0], previous[1], edition, decision)
        steps.append(Step(edition, decision, changed, because))
        previous = (edition, decision)
    return tuple(steps)


def causes(
    old: Edition, old_decision: Decision, new: Edition, new_decision: Decision
) -> tuple[Cause, ...]:
    """The clauses that entered or left the deciding set, revised ones first of all."""
    before, after = set(old_decision.clauses), set(new_decision.clauses)
    moved = [
        Cause(cid, ENTERED, revision(old, new, cid))
        for cid in new_decision.clauses
        if cid not in before
    ]
    moved += [
        Cause(cid, LEFT, revision(old, new, cid))
        for cid in old_decision.clauses
        if cid not in after
    ]
    revised = [c for c in moved if not c.revision.same]
    if revised:
        return tuple(revised)
    if moved:
        return tuple(moved)
    unknown = set(old_decision.unknown) | set(new_decision.unknown)
    if unknown:
        # to or from indeterminate (no deciding clauses): the revised clauses that turn on
        # a metric the sheet leaves unknown
        ids = dict.fromkeys(c.id for e in (new, old) for c in e.evaluated if _needs(c, unknown))
        return tuple(
            Cause(cid, UNDECIDED, r) for cid in ids if not (r := revision(old, new, cid)).same
        )
    # the same clauses decide a different label: name those whose text changed
    return tuple(
        Cause(cid, REVISED, r)
        for cid in new_decision.clauses
        if not (r := revision(old, new, cid)).same
    )


def _needs(clause: Clause, unknown: set[str]) -> bool:
    """Does the clause compare a metric that is unknown (memory+I/O needs the memory)?"""
    for condition in clause.conditions:
        metric = condition.metric
        if metric in unknown or (
            metric == "memory_plus_io_gbs" and "memory_bandwidth_gbs" in unknown
        ):
            return True
    return False


def revision(old: Edition, new: Edition, clause_id: str) -> Revision:
    a, b = _clause(old, clause_id), _clause(new, clause_id)
    if a is None:
        return Revision(new=True)
    if b is None:
        return Revision(gone=True)
    old_conditions = [_key(c) for c in a.conditions]
    new_conditions = [_key(c) for c in b.conditions]
    dropped = tuple(c for c in a.conditions if _key(c) not in new_conditions)
    added = tuple(c for c in b.conditions if _key(c) not in old_conditions)
    fields = tuple(
        (name, _text(getattr(a, name)), _text(getattr(b, name)))
        for name in ("role", "label", "scope", "match", "targets")
        if getattr(a, name) != getattr(b, name)
    )
    return Revision(dropped=dropped, added=added, fields=fields)


def _clause(edition: Edition, clause_id: str) -> Clause | None:
    return next((c for c in edition.evaluated if c.id == clause_id), None)


def _key(condition: Condition) -> tuple[str, str, object]:
    return condition.metric, condition.op, condition.threshold


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "-"
    return "-" if value is None else str(value)
