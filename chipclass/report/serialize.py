"""A result as indented JSON text (the layout of `classify --format json`)."""

from __future__ import annotations

import json

from chipclass.classify import Result
from chipclass.margin import Row, rows
from chipclass.report import jsontext
from chipclass.serialize import result_dict, row_dict


def result_json(result: Result, margin: int = 0) -> str:
    """jsontext.dumps(result_dict(result), margin=margin).

    A threshold row recurs from edition to edition (the same clause and threshold, the
    same value): each distinct row is spelled once per result.
    """
    spelled: dict[tuple[object, ...], jsontext.Raw] = {}

    def spell(row: Row) -> jsontext.Raw:
        c = row.condition
        t = c.threshold
        key = (row.clause.id, c.metric, c.op, t.numerator, t.denominator, row.in_scope)
        text = spelled.get(key)
        if text is None:
            # a row is a leaf object, on one line: json's own compact-with-spaces form is
            # jsontext's leaf layout (", " and ": ", ASCII escapes), written by its C encoder
            text = spelled[key] = jsontext.Raw(json.dumps(row_dict(row)))
        return text

    thresholds = [
        [spell(row) for row in rows(result.metrics, verdict.edition)] for verdict in result.verdicts
    ]
    return jsontext.dumps(result_dict(result, thresholds), margin=margin)
