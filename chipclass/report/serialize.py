"""Results as plain data (spec-format.md section 5), shared by every machine format."""

from __future__ import annotations

import operator
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from chipclass import __version__
from chipclass.classify import Result, Verdict
from chipclass.editions import Condition, Edition
from chipclass.evaluate import metric_values
from chipclass.margin import KNOB_QUANTITY, Change, Row
from chipclass.metrics import METRIC_IDS, tf32_alternative
from chipclass.report import jsontext
from chipclass.report.numbers import number, number_of
from chipclass.spec import Problem


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
    return _figures_of(row.condition, row.value)


def _figures_of(condition: Condition, value: Fraction | None) -> _Figures:
    threshold = condition.threshold
    if value is None:
        return number(threshold), None, None, None, None
    if threshold.numerator <= 0 or condition.op not in _OPS:  # the plain way (as Row has it)
        difference = value - threshold
        figures = (number(threshold), number(value), condition.holds(value), number(difference))
        return (*figures, number(difference * 100 / threshold))
    a, b = value.numerator, value.denominator
    p, q = threshold.numerator, threshold.denominator
    key = (a, b, p, q, condition.op)
    found = _figures.get(key)
    if found is None:
        found = (number_of(p, q), number_of(a, b), *_compared(a, b, p, q, _OPS[condition.op]))
        if len(_figures) >= 4096:
            _figures.clear()
        _figures[key] = found
    return found


def _compared(
    a: int, b: int, p: int, q: int, compare: Callable[[int, int], bool]
) -> tuple[bool, int | float, int | float]:
    """(met, margin, margin_pct) of the value a / b against the threshold p / q (b, p,
    q > 0), as JSON values, on integer terms."""
    left, right = a * q, p * b
    difference = left - right  # the margin, over b * q; margin * 100 / threshold
    return compare(left, right), number_of(difference, b * q), number_of(difference * 100, b * p)


_OPS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<": operator.lt,
    "<=": operator.le,
}


def thresholds_list(verdict: Verdict) -> list[dict[str, Any]]:
    return [row_dict(r) for r in verdict.rows]


def verdict_dict(
    verdict: Verdict, thresholds: Callable[[Verdict], list[Any]] = thresholds_list
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "edition": verdict.edition.id,
        "destination": verdict.edition.destination_code,
        "label": verdict.label,
        "clauses": list(verdict.decision.clauses),
        "thresholds": thresholds(verdict),
        "nearest_stricter": change_dict(verdict.nearest_stricter),
        "nearest_laxer": change_dict(verdict.nearest_laxer),
    }
    if verdict.decision.possible:
        data["possible_labels"] = list(verdict.decision.possible)
        data["unknown_metrics"] = list(verdict.decision.unknown)
    return data


def result_dict(
    result: Result, thresholds: Callable[[Verdict], list[Any]] = thresholds_list
) -> dict[str, Any]:
    spec, metrics = result.spec, result.metrics
    chip: dict[str, Any] = {"id": spec.id, "name": spec.name, "vendor": spec.vendor}
    if spec.variant_of is not None:
        chip["variant_of"] = spec.variant_of
    chip["datacenter"] = spec.datacenter
    data: dict[str, Any] = {
        "file": spec.path,
        "chip": chip,
        "metrics": {m: number(metrics.value(m)) for m in METRIC_IDS},
        "verdicts": [verdict_dict(v, thresholds) for v in result.verdicts],
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
    """jsontext.dumps(result_dict(result), margin=margin), written from each edition's
    lines (_lines_of): a threshold row (one line of text) is spelled once per result,
    though it recurs from edition to edition, and no Row is built for it."""
    metrics = result.metrics
    values = metric_values(metrics)
    spelled: dict[int, jsontext.Raw] = {}
    measured: dict[str, tuple[int, int, str]] = {}  # metric -> its value's terms and text

    def row_text(condition: Condition, head: str, tail: str) -> str:
        value = values[condition.metric]
        threshold = condition.threshold
        p, q = threshold.numerator, threshold.denominator
        compare = _OPS.get(condition.op)
        if value is None or p <= 0 or compare is None:  # the plain way
            shown, met, margin, pct = (spell(f) for f in _figures_of(condition, value)[1:])
            return f"{head}{shown}, {_MET}{met}, {_MARGIN}{margin}, {_PCT}{pct}{tail}"
        found = measured.get(condition.metric)
        if found is None:
            a, b = value.numerator, value.denominator
            found = measured[condition.metric] = (a, b, spell(number_of(a, b)))
        a, b, shown = found
        met, margin, pct = (spell(f) for f in _compared(a, b, p, q, compare))
        return f"{head}{shown}, {_MET}{met}, {_MARGIN}{margin}, {_PCT}{pct}{tail}"

    def thresholds(verdict: Verdict) -> list[jsontext.Raw]:
        texts = []
        for line, condition, head, tail in _lines_of(verdict.edition, metrics.datacenter):
            text = spelled.get(line)
            if text is None:
                text = spelled[line] = jsontext.Raw(row_text(condition, head, tail))
            texts.append(text)
        return texts

    return jsontext.dumps(result_dict(result, thresholds), margin=margin)


#: a row as a line of an edition: a number standing for what its text says apart from
#: the part's figures (clause id, metric, op, threshold, in scope); the condition; the
#: text of row_dict's JSON before the value, and after the margin_pct
_EditionLine = tuple[int, Condition, str, str]
_LINE_NUMBERS: dict[tuple[str, str, str, int, int, bool], int] = {}
_EDITION_LINES: dict[tuple[int, bool], tuple[Edition, list[_EditionLine]]] = {}
_MET, _MARGIN, _PCT = '"met": ', '"margin": ', '"margin_pct": '
spell = jsontext.scalar


def _lines_of(edition: Edition, datacenter: bool) -> list[_EditionLine]:
    """The edition's rows (margin.rows order) for a part in or out of a datacenter, each
    with its number and the text row_dict's JSON has around the part's figures; worked
    out once per edition."""
    cached = _EDITION_LINES.get((id(edition), datacenter))
    if cached is not None and cached[0] is edition:
        return cached[1]
    lines = []
    for clause in edition.evaluated:
        in_scope = clause.in_scope(datacenter)
        for condition in clause.conditions:
            t = condition.threshold
            key = (clause.id, condition.metric, condition.op, t.numerator, t.denominator, in_scope)
            number = _LINE_NUMBERS.setdefault(key, len(_LINE_NUMBERS))
            # row_dict's JSON, cut around the figures ("value" to "margin_pct")
            text = jsontext.dumps(row_dict(Row(clause, condition, None, in_scope)))
            head = text[: text.index('"value": ') + len('"value": ')]
            tail = text[text.index(', "in_scope": ') :]
            lines.append((number, condition, head, tail))
    if len(_EDITION_LINES) >= 128:
        _EDITION_LINES.clear()
    _EDITION_LINES[(id(edition), datacenter)] = (edition, lines)
    return lines


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
