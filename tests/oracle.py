"""The plain reference versions the tests hold the package to (oracles, not shipped).

`decide` is the evaluator step by step: every clause, every candidate value of an
unknown metric, on Fractions, with no compilation, memo or integer terms. The package's
one evaluator (chipclass.evaluate) must agree with it on every part.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from fractions import Fraction

from chipclass.editions import Edition
from chipclass.evaluate import (
    UNKNOWABLE,
    Certifications,
    Decision,
    candidates,
    clause_met,
    decide_met,
    fact_holds,
    joint_candidates,
    metric_values,
    over_unknown_facts,
    over_unknowns,
)
from chipclass.metrics import Metrics


def _decide_known(
    values: Mapping[str, Fraction | None],
    metrics: Metrics,
    edition: Edition,
    facts: Mapping[str, bool | None],
) -> Decision:
    clauses = edition.evaluated
    met = {
        c.id: clause_met(c, values, metrics.datacenter, metrics.vendor, facts) is True
        for c in clauses
    }
    return decide_met(met, clauses)


def decide(
    metrics: Metrics, edition: Edition, certifications: Certifications | None = None
) -> Decision:
    """The decision, step by step: every clause, both truths of every unknown fact, every
    value of an unknown metric."""
    facts = {
        fact.id: fact_holds(fact, metrics, certifications)
        for clause in edition.evaluated
        for fact in clause.facts
    }
    unknown = [fact_id for fact_id, truth in facts.items() if truth is None]
    if not unknown:
        return _decide_metrics(metrics, edition, facts)
    outcomes: dict[tuple[object, ...], Decision] = {}
    for combo in itertools.product((True, False), repeat=len(unknown)):
        trial = dict(facts)
        trial.update(zip(unknown, combo, strict=True))
        outcomes[combo] = _decide_metrics(metrics, edition, trial)
    return over_unknown_facts(outcomes, unknown)


def _decide_metrics(
    metrics: Metrics, edition: Edition, facts: Mapping[str, bool | None]
) -> Decision:
    values = metric_values(metrics)
    unknown = [m for m in UNKNOWABLE if values[m] is None]
    if not unknown:
        return _decide_known(values, metrics, edition, facts)
    memory, io = metrics.memory_bandwidth_gbs, metrics.io_bandwidth_gbs
    grids: list[list[tuple[Fraction, ...]]] = []
    if values["performance_density"] is None:
        grids.append([(d,) for d in candidates("performance_density", None, edition)])
    if memory is None and io is None:
        grids.append(list(joint_candidates(edition)))
    elif memory is None:
        grids.append([(m,) for m in candidates("memory_bandwidth_gbs", io, edition)])
    elif io is None:
        grids.append([(i,) for i in candidates("io_bandwidth_gbs", memory, edition)])
    outcomes: dict[tuple[object, ...], Decision] = {}
    for combo in itertools.product(*grids):
        flat = [value for group in combo for value in group]
        trial = dict(values)
        for metric, value in zip(unknown, flat, strict=True):
            trial[metric] = value
        m, i = trial["memory_bandwidth_gbs"], trial["io_bandwidth_gbs"]
        trial["memory_plus_io_gbs"] = None if m is None or i is None else m + i
        outcomes[tuple(flat)] = _decide_known(trial, metrics, edition, facts)
    return over_unknowns(outcomes, list(unknown))
