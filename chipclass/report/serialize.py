"""Results as plain data (spec-format.md section 5), shared by every machine format."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from chipclass import __version__
from chipclass.classify import Result, Verdict
from chipclass.editions import Edition
from chipclass.margin import KNOB_QUANTITY, Change, Row
from chipclass.metrics import METRIC_IDS, tf32_alternative
from chipclass.report import jsontext
from chipclass.report.numbers import number, number_of
from chipclass.spec import Problem


def change_dict(change: Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "knob": change.knob,
        "change_pct": number(change.change_pct),
        "label": change.label,
        "clause": change.clause,
        "metric": change.metric,
        "threshold": number(change.threshold),
        "strict": change.strict,
        KNOB_QUANTITY[change.knob]: number(change.knob_value),
    }


def row_dict(row: Row) -> dict[str, Any]:
    condition = row.condition
    threshold, value, met, margin, margin_pct = _row_figures(row)
    return {
        "clause": row.clause.id,
        "metric": condition.metric,
        "op": condition.op,
        "threshold": threshold,
        "value": value,
        "met": met,
        "margin": margin,
        "margin_pct": margin_pct,
        "in_scope": row.in_scope,
    }


_Figures = tuple[Any, Any, Any, Any, Any]
_figures: dict[tuple[int, int, int, int, str], _Figures] = {}


def _row_figures(row: Row) -> _Figures:
    """(threshold, value, met, margin, margin_pct) of a row as JSON values.

    The same as number(row.condition.threshold), number(row.value), row.met,
    number(row.margin), number(row.margin_pct), worked on integer terms and kept for the
    pairs a catalog repeats (the same value against the same line in every edition).
    """
    condition, value = row.condition, row.value
    threshold = condition.threshold
    if value is None or threshold.numerator <= 0 or condition.op not in _OPS:
        return number(threshold), number(value), row.met, number(row.margin), number(row.margin_pct)
    a, b = value.numerator, value.denominator
    p, q = threshold.numerator, threshold.denominator
    key = (a, b, p, q, condition.op)
    found = _figures.get(key)
    if found is None:
        left, right = a * q, p * b
        met = _OPS[condition.op](left, right)
        margin = left - right  # over b * q
        found = (
            number_of(p, q),
            number_of(a, b),
            met,
            number_of(margin, b * q),
            number_of(margin * 100 * q, b * q * p),
        )
        if len(_figures) >= 4096:
            _figures.clear()
        _figures[key] = found
    return found


_OPS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<": operator.lt,
    "<=": operator.le,
}


def verdict_dict(verdict: Verdict, row: Callable[[Row], Any] = row_dict) -> dict[str, Any]:
    data: dict[str, Any] = {
        "edition": verdict.edition.id,
        "destination": verdict.edition.destination_code,
        "label": verdict.label,
        "clauses": list(verdict.decision.clauses),
        "thresholds": [row(r) for r in verdict.rows],
        "nearest_stricter": change_dict(verdict.nearest_stricter),
        "nearest_laxer": change_dict(verdict.nearest_laxer),
    }
    if verdict.decision.possible:
        data["possible_labels"] = list(verdict.decision.possible)
        data["unknown_metrics"] = list(verdict.decision.unknown)
    return data


def result_dict(result: Result, row: Callable[[Row], Any] = row_dict) -> dict[str, Any]:
    spec, metrics = result.spec, result.metrics
    chip: dict[str, Any] = {"id": spec.id, "name": spec.name, "vendor": spec.vendor}
    if spec.variant_of is not None:
        chip["variant_of"] = spec.variant_of
    chip["datacenter"] = spec.datacenter
    data: dict[str, Any] = {
        "file": spec.path,
        "chip": chip,
        "metrics": {m: number(metrics.value(m)) for m in METRIC_IDS},
        "verdicts": [verdict_dict(v, row) for v in result.verdicts],
    }
    if metrics.tpp_precision is not None:
        data["tpp_precision"] = metrics.tpp_precision
    alternative = tf32_alternative(spec.throughput) if metrics.tpp_precision == "tf32" else None
    if alternative is not None:
        data["tf32_tpp_19bit"] = number(alternative)
    if metrics.notes:
        data["notes"] = list(metrics.notes)
    return data


def result_json(result: Result, margin: int = 0) -> str:
    """jsontext.dumps(result_dict(result), margin=margin): each threshold row (one line
    of text) spelled once per result, though it recurs from edition to edition."""
    spelled: dict[tuple[str, str, str, int, int, bool], jsontext.Raw] = {}

    def row_text(row: Row) -> jsontext.Raw:
        condition = row.condition
        threshold = condition.threshold
        # the value is the part's, the same in every verdict: the rest tells rows apart
        key = (
            row.clause.id,
            condition.metric,
            condition.op,
            threshold.numerator,
            threshold.denominator,
            row.in_scope,
        )
        text = spelled.get(key)
        if text is None:
            text = spelled[key] = jsontext.Raw(jsontext.dumps(row_dict(row)))
        return text

    return jsontext.dumps(result_dict(result, row_text), margin=margin)


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


def document(results: list[dict[str, Any]], problems: list[Problem]) -> dict[str, Any]:
    return {
        "chipclass": __version__,
        "results": results,
        "errors": [problem_dict(p) for p in problems],
    }
