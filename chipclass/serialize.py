"""Results as plain data: the JSON objects of spec-format.md section 5, key for key.

The core's one spelling of a result as data; every machine format (JSON, SARIF,
JUnit, the Python API's `to_dict()`) starts from these dictionaries.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from chipclass.classify import FactStatus, Result, Row, Verdict
from chipclass.editions import COMPARE, Clause, Condition, Edition
from chipclass.margin import KNOB_QUANTITY, Change
from chipclass.metrics import METRIC_IDS, tf32_alternative
from chipclass.numbers import honest_number, number, number_of
from chipclass.spec import Problem
from chipclass.tariffs import TariffBand

if TYPE_CHECKING:
    from chipclass.presumption import Finding


def change_dict(change: Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    factor = change.factor  # change_pct is (factor - 1) * 100
    return {
        "knob": change.knob,
        "change_pct": number_of((factor.numerator - factor.denominator) * 100, factor.denominator),
        "label": change.label,
        "clause": change.clause,
        "metric": change.metric,
        "threshold": number(change.threshold),
        "strict": change.strict,
        KNOB_QUANTITY[change.knob]: number(change.knob_value),
    }


def row_dict(row: Row) -> dict[str, Any]:
    """One threshold row: the part's value against one condition of one clause (the
    condition's fields, then the measure's)."""
    data = condition_fields(row.clause, row.condition)
    data.update(measure_fields(row.condition, row.value, row.in_scope))
    return data


def condition_fields(clause: Clause, condition: Condition) -> dict[str, Any]:
    """A threshold row's first fields: the clause and its condition, the same for every
    part."""
    return {
        "clause": clause.id,
        "metric": condition.metric,
        "op": condition.op,
        "threshold": number(condition.threshold),
    }


def measure_fields(condition: Condition, value: Fraction | None, in_scope: bool) -> dict[str, Any]:
    """A threshold row's other fields: the part's value against the condition, the
    margin and its share of the threshold worked on integer terms."""
    threshold = condition.threshold
    shown, exact = honest_number(value, threshold)
    margin = margin_pct = met = None
    if value is not None:
        a, b = value.numerator, value.denominator
        p, q = threshold.numerator, threshold.denominator
        difference = a * q - p * b
        met = COMPARE[condition.op](difference, 0)
        margin = number_of(difference, b * q)
        if p > 0:
            margin_pct = number_of(difference * 100, b * p)
        else:  # a threshold at or below zero: no bound lines up like that today
            margin_pct = number((value - threshold) * 100 / threshold)
    data: dict[str, Any] = {
        "value": shown,
        "met": met,
        "margin": margin,
        "margin_pct": margin_pct,
        "in_scope": in_scope,
    }
    if exact is not None:  # rounding alone would put the value on or across the line
        data["value_exact"] = exact
    return data


def thresholds_list(verdict: Verdict) -> list[Any]:
    return [row_dict(r) for r in verdict.rows]


def verdict_dict(verdict: Verdict, thresholds: list[Any] | None = None) -> dict[str, Any]:
    """A verdict as data; `thresholds`, where given, are its rows already written."""
    data: dict[str, Any] = {
        "edition": verdict.edition.id,
        "destination": verdict.edition.destination_code,
        "label": verdict.label,
        "clauses": list(verdict.decision.clauses),
        "thresholds": thresholds_list(verdict) if thresholds is None else thresholds,
        "nearest_stricter": change_dict(verdict.nearest_stricter),
        "nearest_laxer": change_dict(verdict.nearest_laxer),
        "conditions": [condition_dict(c) for c in verdict.conditions],
    }
    if verdict.decision.possible:
        data["possible_labels"] = list(verdict.decision.possible)
        data["unknown_metrics"] = list(verdict.decision.unknown)
        if verdict.decision.unknown_facts:
            data["unknown_facts"] = list(verdict.decision.unknown_facts)
    return data


def condition_dict(condition: FactStatus) -> dict[str, Any]:
    """A fact a clause requires (spec-format.md 7): clause, condition, status; with the
    rule's words, its citation and, for a certification no transaction supplied, that
    the label assumes it."""
    data: dict[str, Any] = {
        "clause": condition.clause,
        "condition": condition.fact.id,
        "status": condition.status,
        "text": condition.fact.text,
        "text_kind": condition.fact.text_kind,
        "citation": condition.fact.citation,
    }
    if condition.assumed:
        data["assumed"] = True
    return data


def presumption_dict(finding: Finding) -> dict[str, Any]:
    """Note 1 to 3A090.a for a sheet that states its transistor count."""
    threshold = finding.threshold
    return {
        "in_force": finding.in_force,
        "applies": finding.applies,
        "threshold_billion": None if threshold is None else number(threshold.billions),
        "reason": finding.reason,
        "citation": finding.citation,
    }


def tariff_dict(found: TariffBand) -> dict[str, Any]:
    """A tariff band the part falls in (spec-format.md 7), with the margin to each edge."""
    band = found.band
    return {
        "measure": band.measure,
        "band": band.band,
        "rate_pct": number(band.rate_pct),
        "effective": band.effective.isoformat(),
        "citation": band.citation,
        "status": found.status,
        "edges": [
            {
                "metric": m.edge.metric,
                "op": m.edge.op,
                "threshold": number(m.edge.threshold),
                "value": number(m.value),
                "inside_by": number(m.inside_by),
            }
            for m in found.margins
        ],
    }


def result_dict(result: Result, thresholds: list[list[Any]] | None = None) -> dict[str, Any]:
    """A result as data; `thresholds`, where given, are each verdict's rows already
    written (in the order of the verdicts)."""
    spec, metrics = result.spec, result.metrics
    chip: dict[str, Any] = {"id": spec.id, "name": spec.name, "vendor": spec.vendor}
    if spec.variant_of is not None:
        chip["variant_of"] = spec.variant_of
    chip["datacenter"] = spec.datacenter
    rows = thresholds if thresholds is not None else [None] * len(result.verdicts)
    data: dict[str, Any] = {
        "file": spec.path,
        "chip": chip,
        "metrics": {m: number(metrics.value(m)) for m in METRIC_IDS},
        "verdicts": [verdict_dict(v, t) for v, t in zip(result.verdicts, rows, strict=True)],
        "tariffs": [tariff_dict(t) for t in result.tariffs],
    }
    if result.presumption is not None:
        data["foundry_presumption"] = presumption_dict(result.presumption)
    if metrics.tpp_precision is not None:
        data["tpp_precision"] = metrics.tpp_precision
    alternative = tf32_alternative(spec.throughput) if metrics.tpp_precision == "tf32" else None
    if alternative is not None:
        data["tf32_tpp_19bit"] = number(alternative)
    if metrics.notes:
        data["notes"] = list(metrics.notes)
    return data


def problem_dict(problem: Problem) -> dict[str, Any]:
    message = f"{problem.key}: {problem.message}" if problem.key else problem.message
    data: dict[str, Any] = {"file": problem.file, "message": message}
    if problem.key is not None:
        data["key"] = problem.key
    if problem.line is not None:
        data["line"] = problem.line
    return data


def edition_dict(edition: Edition) -> dict[str, Any]:
    return {
        "id": edition.id,
        "title": edition.title,
        "citation": edition.citation,
        "url": edition.url,
        "effective": edition.effective.isoformat(),
        "status": edition.status,
        "destination": edition.destination,
    }
