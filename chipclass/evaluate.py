"""Metrics x Edition -> Decision: the label, three-valued.

A condition is met, not met, or unknown (its metric is unknown). Unknown
metrics are not guessed: the label is computed for every value the unknown
metric could take, one representative per stretch between the edition's
thresholds, and the part is `indeterminate` only when those labels differ.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from chipclass.editions import INDETERMINATE, SEVERITY, Clause, Edition
from chipclass.metrics import Metrics

#: the quantities that can be unknown, and what each is measured in
UNKNOWABLE = ("performance_density", "memory_bandwidth_gbs")


@dataclass(frozen=True)
class Decision:
    label: str
    clauses: tuple[str, ...]  # the clause ids that decide the label
    possible: tuple[str, ...] = ()  # when indeterminate: the labels the part could carry
    unknown: tuple[str, ...] = ()  # when indeterminate: the unknown metrics that decide


def metric_values(metrics: Metrics) -> dict[str, Fraction | None]:
    return {
        "tpp": metrics.tpp,
        "performance_density": metrics.performance_density,
        "applicable_die_area_mm2": metrics.applicable_die_area_mm2,
        "memory_bandwidth_gbs": metrics.memory_bandwidth_gbs,
        "io_bandwidth_gbs": metrics.io_bandwidth_gbs,
        "memory_plus_io_gbs": metrics.memory_plus_io_gbs,
    }


def clause_met(
    clause: Clause, values: Mapping[str, Fraction | None], datacenter: bool
) -> bool | None:
    """Three-valued: True, False, or None when an unknown metric leaves it open."""
    if not clause.in_scope(datacenter):
        return False
    results: list[bool | None] = []
    for condition in clause.conditions:
        value = values[condition.metric]
        results.append(None if value is None else condition.holds(value))
    if clause.match == "any":
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def _decide_known(
    values: Mapping[str, Fraction | None], datacenter: bool, edition: Edition
) -> Decision:
    clauses = edition.evaluated
    met = {c.id: clause_met(c, values, datacenter) is True for c in clauses}
    active: dict[str, str] = {}
    for c in clauses:
        if c.role == "control" and met[c.id] and c.label is not None:
            active[c.id] = c.label
    excluded_by: list[str] = []
    for c in clauses:
        if c.role == "exclusion" and met[c.id]:
            hit = [cid for cid in active if c.targets_clause(cid)]
            for cid in hit:
                del active[cid]
            if hit:
                excluded_by.append(c.id)
    relieved_by: dict[str, list[str]] = {}
    for c in clauses:
        if c.role == "relief" and met[c.id] and c.label is not None:
            for cid, label in active.items():
                if c.targets_clause(cid) and SEVERITY[c.label] < SEVERITY[label]:
                    active[cid] = c.label
                    relieved_by.setdefault(cid, []).append(c.id)
    if not active:
        return Decision("exportable", tuple(excluded_by))
    label = max(active.values(), key=lambda name: SEVERITY[name])
    deciding = {cid for cid, lab in active.items() if lab == label}
    for cid in list(deciding):
        deciding.update(relieved_by.get(cid, ()))
    return Decision(label, tuple(c.id for c in clauses if c.id in deciding))


def candidates(metric: str, metrics: Metrics, edition: Edition) -> list[Fraction]:
    """One value of an unknown metric per stretch of the number line the edition tells apart."""
    points = set(edition.thresholds(metric))
    if metric == "memory_bandwidth_gbs":
        io = metrics.io_bandwidth_gbs
        points.update(t - io for t in edition.thresholds("memory_plus_io_gbs") if t > io)
    ordered = sorted(points)
    if not ordered:
        return [Fraction(1)]
    values = [ordered[0] / 2, *ordered, ordered[-1] + 1]
    values.extend((a + b) / 2 for a, b in itertools.pairwise(ordered))
    return sorted(values)


def decide(metrics: Metrics, edition: Edition) -> Decision:
    values = metric_values(metrics)
    unknown = [m for m in UNKNOWABLE if values[m] is None]
    if not unknown:
        return _decide_known(values, metrics.datacenter, edition)
    grids = [candidates(m, metrics, edition) for m in unknown]
    outcomes: dict[tuple[Fraction, ...], Decision] = {}
    for combo in itertools.product(*grids):
        trial = dict(values)
        for metric, value in zip(unknown, combo, strict=True):
            trial[metric] = value
            if metric == "memory_bandwidth_gbs":
                trial["memory_plus_io_gbs"] = value + metrics.io_bandwidth_gbs
        outcomes[combo] = _decide_known(trial, metrics.datacenter, edition)
    labels = {d.label for d in outcomes.values()}
    if len(labels) == 1:
        first = next(iter(outcomes.values()))
        common = [c for c in first.clauses if all(c in d.clauses for d in outcomes.values())]
        return Decision(first.label, tuple(common))
    deciding = [metric for index, metric in enumerate(unknown) if _varies(outcomes, index)]
    possible = tuple(sorted(labels, key=lambda name: SEVERITY[name]))
    return Decision(INDETERMINATE, (), possible, tuple(deciding))


def _varies(outcomes: Mapping[tuple[Fraction, ...], Decision], index: int) -> bool:
    """Does changing only the index-th unknown ever change the label?"""
    groups: dict[tuple[Fraction, ...], set[str]] = {}
    for combo, decision in outcomes.items():
        rest = combo[:index] + combo[index + 1 :]
        groups.setdefault(rest, set()).add(decision.label)
    return any(len(labels) > 1 for labels in groups.values())
