"""A result as indented JSON text (the layout of `classify --format json`)."""

from __future__ import annotations

import json

from chipclass.classify import Result
from chipclass.editions import Edition
from chipclass.evaluate import metric_values
from chipclass.margin import Row
from chipclass.report import jsontext
from chipclass.serialize import result_dict, row_dict


def result_json(result: Result, margin: int = 0) -> str:
    """jsontext.dumps(result_dict(result), margin=margin).

    A threshold row recurs from edition to edition (the same clause and threshold, the
    same value): each distinct row is spelled once per result.
    """
    spelled: dict[tuple[object, ...], jsontext.Raw] = {}
    metrics = result.metrics
    values = metric_values(metrics)

    def spelled_rows(edition: Edition) -> list[jsontext.Raw]:
        # margin.rows(metrics, edition), each row built and spelled only the first time
        # it occurs in this result
        texts = []
        for clause in edition.evaluated:
            in_scope = clause.in_scope(metrics.datacenter, metrics.vendor)
            for condition in clause.conditions:
                t = condition.threshold
                key = (
                    clause.id,
                    condition.metric,
                    condition.op,
                    t.numerator,
                    t.denominator,
                    in_scope,
                )
                text = spelled.get(key)
                if text is None:
                    row = Row(clause, condition, values[condition.metric], in_scope)
                    # a row is a leaf object, on one line: json's own compact-with-spaces
                    # form is jsontext's leaf layout (", " and ": ", ASCII escapes)
                    text = spelled[key] = jsontext.Raw(json.dumps(row_dict(row)))
                texts.append(text)
        return texts

    thresholds = [spelled_rows(verdict.edition) for verdict in result.verdicts]
    return jsontext.dumps(result_dict(result, thresholds), margin=margin)
