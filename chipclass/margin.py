"""The tailoring margin: how far a part sits from each threshold, and the
smallest change of one physical knob that moves its label.

Every boundary is computed exactly: the factor by which a knob must be scaled
for a metric to land on a threshold. The label is then evaluated at the
boundary itself and just beyond it, so a strict comparison (where the part
must pass beyond the line) is told apart from an inclusive one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from chipclass.editions import INDETERMINATE, SEVERITY, Clause, Condition, Edition
from chipclass.evaluate import Decision, decide, metric_values
from chipclass.metrics import Metrics

KNOBS: Final = ("throughput", "die_area", "memory_bandwidth", "io_bandwidth")

#: the sheet quantity each knob scales, as reported in a Change
KNOB_QUANTITY: Final = {
    "throughput": "tpp",
    "die_area": "applicable_die_area_mm2",
    "memory_bandwidth": "memory_bandwidth_gbs",
    "io_bandwidth": "io_bandwidth_gbs",
}


@dataclass(frozen=True)
class Row:
    """One numeric condition of one clause, measured against the part."""

    clause: Clause
    condition: Condition
    value: Fraction | None
    in_scope: bool

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.condition.holds(self.value)

    @property
    def margin(self) -> Fraction | None:
        return None if self.value is None else self.value - self.condition.threshold

    @property
    def margin_pct(self) -> Fraction | None:
        margin = self.margin
        return None if margin is None else margin * 100 / self.condition.threshold


@dataclass(frozen=True)
class Change:
    """The smallest change of one knob that moves the label."""

    knob: str
    factor: Fraction  # the knob's new value over its old value
    label: str
    clause: str
    metric: str  # the metric whose threshold is crossed
    threshold: Fraction
    strict: bool  # True: the boundary itself is not enough, the part must pass beyond it
    knob_value: Fraction  # the knob's quantity at the boundary

    @property
    def change_pct(self) -> Fraction:
        return (self.factor - 1) * 100


def rows(metrics: Metrics, edition: Edition) -> list[Row]:
    values = metric_values(metrics)
    return [
        Row(clause, condition, values[condition.metric], clause.in_scope(metrics.datacenter))
        for clause in edition.evaluated
        for condition in clause.conditions
    ]


def _knob_base(metrics: Metrics, knob: str) -> Fraction | None:
    value = metric_values(metrics)[KNOB_QUANTITY[knob]]
    return value if value is not None and value > 0 else None


def _factor(metrics: Metrics, knob: str, condition: Condition) -> Fraction | None:
    """The knob factor at which the condition's metric equals its threshold, if any."""
    values = metric_values(metrics)
    t = condition.threshold
    metric = condition.metric
    tpp, density = values["tpp"], values["performance_density"]
    memory, io = values["memory_bandwidth_gbs"], values["io_bandwidth_gbs"]
    assert tpp is not None and io is not None
    factor: Fraction | None = None
    if knob == "throughput":
        if metric == "tpp":
            factor = t / tpp
        elif metric == "performance_density" and density:
            factor = t / density
    elif knob == "die_area":
        if metric == "performance_density" and density:
            factor = density / t
    elif knob == "memory_bandwidth" and memory:
        if metric == "memory_bandwidth_gbs":
            factor = t / memory
        elif metric == "memory_plus_io_gbs" and t > io:
            factor = (t - io) / memory
    elif knob == "io_bandwidth" and io:
        if metric == "io_bandwidth_gbs":
            factor = t / io
        elif metric == "memory_plus_io_gbs" and memory is not None and t > memory:
            factor = (t - memory) / io
    return factor if factor is not None and factor > 0 else None


def _boundaries(
    metrics: Metrics, edition: Edition, knob: str
) -> dict[Fraction, list[tuple[Clause, Condition]]]:
    found: dict[Fraction, list[tuple[Clause, Condition]]] = {}
    for clause in edition.evaluated:
        for condition in clause.conditions:
            factor = _factor(metrics, knob, condition)
            if factor is not None:
                found.setdefault(factor, []).append((clause, condition))
    return found


def _walk(points: list[Fraction], upward: bool) -> Iterator[tuple[Fraction, Fraction]]:
    """Yield (boundary, a point just beyond it) moving away from factor 1."""
    if upward:
        ahead = [p for p in points if p >= 1]
        for here, after in itertools.zip_longest(ahead, ahead[1:]):
            yield here, (here + after) / 2 if after is not None else here * 2
    else:
        behind = sorted((p for p in points if p <= 1), reverse=True)
        for here, after in itertools.zip_longest(behind, behind[1:]):
            yield here, (here + after) / 2 if after is not None else here / 2


def _pick(
    crossing: list[tuple[Clause, Condition]], prefer: tuple[str, ...]
) -> tuple[Clause, Condition]:
    for clause, condition in crossing:
        if clause.id in prefer:
            return clause, condition
    return crossing[0]


@dataclass(frozen=True)
class Probe:
    """The decision at one point of a walk along a knob: on a boundary, or just beyond it."""

    knob: str
    factor: Fraction  # the boundary: the knob's value there over its value now
    strict: bool  # False: evaluated on the boundary itself; True: just beyond it
    decision: Decision
    crossing: tuple[tuple[Clause, Condition], ...]  # the conditions whose line is the boundary
    knob_value: Fraction  # the knob's quantity at the boundary

    @property
    def label(self) -> str:
        return self.decision.label

    @property
    def change_pct(self) -> Fraction:
        return (self.factor - 1) * 100

    def pick(self, prefer: tuple[str, ...]) -> tuple[Clause, Condition]:
        """The crossing condition to name: the first whose clause is preferred, else the first."""
        return _pick(list(self.crossing), prefer)


def probes(metrics: Metrics, edition: Edition, knob: str, upward: bool) -> Iterator[Probe]:
    """Walk one knob away from the part in one direction, nearest boundary first.

    At every boundary (a factor where some condition's metric meets its threshold) the
    label is decided on the boundary itself and just beyond it, so an inclusive line is
    told apart from a strict one. Nothing is yielded for a knob whose quantity is
    unknown or zero (it cannot be scaled).
    """
    base = _knob_base(metrics, knob)
    if base is None:
        return
    found = _boundaries(metrics, edition, knob)
    for boundary, beyond in _walk(sorted(found), upward):
        for factor, strict in ((boundary, False), (beyond, True)):
            if factor == 1:
                continue
            yield Probe(
                knob=knob,
                factor=boundary,
                strict=strict,
                decision=decide(metrics.scaled(knob, factor), edition),
                crossing=tuple(found[boundary]),
                knob_value=base * boundary,
            )


def label_changes(
    metrics: Metrics, edition: Edition, knob: str, upward: bool, current: Decision | None = None
) -> Iterator[Probe]:
    """Every point along one knob, in one direction, where the label changes.

    Nearest first; each yielded probe carries a label different from the one before it
    (the part's own label, `current`, for the first). Labels hold between boundaries,
    so these are all the label changes along the knob in that direction.
    """
    label = (current if current is not None else decide(metrics, edition)).label
    for probe in probes(metrics, edition, knob, upward):
        if probe.label != label:
            label = probe.label
            yield probe


def knob_changes(metrics: Metrics, edition: Edition, current: Decision, knob: str) -> list[Change]:
    """The first stricter and first laxer label along one knob, in each direction."""
    if current.label == INDETERMINATE:
        return []
    rank = SEVERITY[current.label]
    changes: list[Change] = []
    for upward in (True, False):
        seen: set[bool] = set()  # which kinds (stricter=True / laxer=False) were found
        for probe in probes(metrics, edition, knob, upward):
            reached = probe.decision
            if reached.label in (INDETERMINATE, current.label):
                continue
            stricter = SEVERITY[reached.label] > rank
            if stricter in seen:
                continue
            seen.add(stricter)
            clause, condition = probe.pick(reached.clauses if stricter else current.clauses)
            changes.append(
                Change(
                    knob=knob,
                    factor=probe.factor,
                    label=reached.label,
                    clause=clause.id,
                    metric=condition.metric,
                    threshold=condition.threshold,
                    strict=probe.strict,
                    knob_value=probe.knob_value,
                )
            )
            if len(seen) == 2:
                break
    return changes


def nearest(
    metrics: Metrics, edition: Edition, current: Decision
) -> tuple[Change | None, Change | None]:
    """(nearest_stricter, nearest_laxer) over all knobs; None where no single knob moves it."""
    stricter: Change | None = None
    laxer: Change | None = None
    for knob in KNOBS:
        for change in knob_changes(metrics, edition, current, knob):
            if SEVERITY[change.label] > SEVERITY[current.label]:
                if stricter is None or _smaller(change, stricter):
                    stricter = change
            elif laxer is None or _smaller(change, laxer):
                laxer = change
    return stricter, laxer


def _smaller(a: Change, b: Change) -> bool:
    return (abs(a.factor - 1), a.strict) < (abs(b.factor - 1), b.strict)
