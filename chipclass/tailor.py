"""The inverse problem: how far one knob must move for a part to reach a target label.

For a part above its target (more severe, or indeterminate), each knob gets the
smallest change, holding the others, at which the label reaches the target: a cut.
For a part already within its target, each knob gets its headroom: the smallest
change at which the part would leave the target.

"Within the target" means a label no more severe than the target, and not
indeterminate. Every limit is a boundary of the margin machinery
(`margin.label_changes`): exact, with the strictness of the line that binds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from chipclass.editions import INDETERMINATE, LABELS, SEVERITY, Edition
from chipclass.evaluate import Decision, decide, metric_values
from chipclass.margin import KNOB_QUANTITY, KNOBS, Probe, label_changes
from chipclass.metrics import Metrics

TARGETS: Final = LABELS
CUT: Final = "cut"
HEADROOM: Final = "headroom"


def within(label: str, target: str) -> bool:
    """Is a label within the target: no more severe, and not indeterminate?"""
    return label != INDETERMINATE and SEVERITY[label] <= SEVERITY[target]


@dataclass(frozen=True)
class Limit:
    """Where one knob takes the part into its target (cut) or out of it (headroom)."""

    knob: str
    direction: str  # CUT or HEADROOM
    factor: Fraction  # the knob's value at the boundary over its value now
    strict: bool  # True: the boundary itself keeps the old side; the part must pass beyond it
    label: str  # cut: the label reached; headroom: the label the part would leave to
    clause: str  # the clause whose line binds
    metric: str  # the metric whose threshold is the boundary
    threshold: Fraction  # the boundary, in that metric
    knob_value: Fraction  # the knob's quantity at the boundary

    @property
    def change_pct(self) -> Fraction:
        return (self.factor - 1) * 100

    @property
    def metric_rises(self) -> bool:
        """Does the boundary metric rise as the knob moves this way? (Die area is inverse.)"""
        upward = self.factor > 1
        return not upward if self.knob == "die_area" else upward

    @property
    def op(self) -> str:
        """The comparison the part's metric must satisfy against the boundary.

        Cut: what reaching the target needs (TPP < 2400). Headroom: what keeps the part
        within its target (TPP < 2400: at 2400 it leaves).
        """
        rises = self.metric_rises
        if self.direction == CUT:
            if rises:
                return ">" if self.strict else ">="
            return "<" if self.strict else "<="
        if rises:
            return "<=" if self.strict else "<"
        return ">=" if self.strict else ">"


@dataclass(frozen=True)
class KnobLimit:
    knob: str
    direction: str
    limit: Limit | None  # None: no change of this knob alone reaches (cut) or leaves (headroom)
    scalable: bool  # False: the knob's quantity is unknown or zero, so it cannot be scaled


@dataclass(frozen=True)
class Tailoring:
    edition: Edition
    target: str
    decision: Decision
    knobs: tuple[KnobLimit, ...]

    @property
    def label(self) -> str:
        return self.decision.label

    @property
    def within_target(self) -> bool:
        return within(self.decision.label, self.target)

    @property
    def reachable(self) -> bool:
        """Already within the target, or some single knob takes it there."""
        return self.within_target or any(k.limit is not None for k in self.knobs)

    def nearest(self) -> Limit | None:
        """The smallest limit over all knobs (the nearest cut, or the tightest headroom)."""
        limits = [k.limit for k in self.knobs if k.limit is not None]
        return min(limits, key=_distance) if limits else None


def tailor(metrics: Metrics, edition: Edition, target: str) -> Tailoring:
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r} (one of {', '.join(TARGETS)})")
    current = decide(metrics, edition)
    direction = HEADROOM if within(current.label, target) else CUT
    knobs = tuple(
        KnobLimit(
            knob,
            direction,
            _limit(metrics, edition, current, target, knob, direction),
            _scalable(metrics, knob),
        )
        for knob in KNOBS
    )
    return Tailoring(edition, target, current, knobs)


def _scalable(metrics: Metrics, knob: str) -> bool:
    value = metric_values(metrics)[KNOB_QUANTITY[knob]]
    return value is not None and value > 0


def _limit(
    metrics: Metrics, edition: Edition, current: Decision, target: str, knob: str, direction: str
) -> Limit | None:
    found = [
        limit
        for upward in (True, False)
        for limit in _first(metrics, edition, current, target, knob, direction, upward)
    ]
    return min(found, key=_distance) if found else None


def _first(
    metrics: Metrics,
    edition: Edition,
    current: Decision,
    target: str,
    knob: str,
    direction: str,
    upward: bool,
) -> Iterator[Limit]:
    """The first label change along one direction that enters (cut) or leaves (headroom)."""
    before = current
    for probe in label_changes(metrics, edition, knob, upward, current):
        inside = within(probe.label, target)
        if inside == (direction == CUT):
            yield _as_limit(probe, direction, before)
            return
        before = probe.decision


def _as_limit(probe: Probe, direction: str, before: Decision) -> Limit:
    # a cut is bound by the clause it escapes; headroom by the clause that would catch it
    reached = probe.decision.clauses
    prefer = before.clauses + reached if direction == CUT else reached + before.clauses
    clause, condition = probe.pick(prefer)
    return Limit(
        knob=probe.knob,
        direction=direction,
        factor=probe.factor,
        strict=probe.strict,
        label=probe.label,
        clause=clause.id,
        metric=condition.metric,
        threshold=condition.threshold,
        knob_value=probe.knob_value,
    )


def _distance(limit: Limit) -> tuple[Fraction, bool]:
    return abs(limit.factor - 1), limit.strict
