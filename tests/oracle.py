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
    Decision,
    candidates,
    clause_met,
    decide_met,
    metric_values,
    over_unknowns,
)
from chipclass.metrics import Metrics


def _decide_known(
    values: Mapping[str, Fraction | None], datacenter: bool, edition: Edition
) -> Decision:
    clauses = edition.evaluated
    met = {c.id: clause_met(c, values, datacenter) is True for c in clauses}
    return decide_met(met, clauses)


def decide(metrics: Metrics, edition: Edition) -> Decision:
    """The decision, step by step: every clause, every value of an unknown metric."""
    values = metric_values(metrics)
    unknown = [m for m in UNKNOWABLE if values[m] is None]
    if not unknown:
        return _decide_known(values, metrics.datacenter, edition)
    grids = [candidates(m, metrics.io_bandwidth_gbs, edition) for m in unknown]
    outcomes: dict[tuple[object, ...], Decision] = {}
    for combo in itertools.product(*grids):
        trial = dict(values)
        for metric, value in zip(unknown, combo, strict=True):
            trial[metric] = value
            if metric == "memory_bandwidth_gbs":
                trial["memory_plus_io_gbs"] = value + metrics.io_bandwidth_gbs
        outcomes[combo] = _decide_known(trial, metrics.datacenter, edition)
    return over_unknowns(outcomes, list(unknown))
