"""`diff --format json`: the comparison as plain data."""

from __future__ import annotations

from typing import Any

from chipclass.compare import Comparison, Crossing, Delta
from chipclass.numbers import number
from chipclass.report import jsontext
from chipclass.serialize import result_dict


def delta_dict(delta: Delta) -> dict[str, Any]:
    return {
        "metric": delta.name,
        "a": number(delta.a),
        "b": number(delta.b),
        "delta": number(delta.delta),
        "delta_pct": number(delta.delta_pct),
    }


def crossing_dict(crossing: Crossing) -> dict[str, Any]:
    return {
        "clause": crossing.clause,
        "metric": crossing.metric,
        "op": crossing.op,
        "threshold": number(crossing.threshold),
        "a": number(crossing.a),
        "b": number(crossing.b),
        "direction": crossing.direction,
        "met_a": crossing.met_a,
        "met_b": crossing.met_b,
    }


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """{"a", "b", "metrics", "editions"}: a and b as in `classify --format json`."""
    return {
        "a": result_dict(comparison.a),
        "b": result_dict(comparison.b),
        "metrics": [delta_dict(d) for d in comparison.metrics],
        "editions": [
            {
                "edition": row.edition.id,
                "a": row.a.label,
                "b": row.b.label,
                "changed": row.changed,
                "crossed": [crossing_dict(c) for c in row.crossed],
            }
            for row in comparison.editions
        ],
    }


def json_report(comparison: Comparison) -> str:
    """`diff --format json`."""
    return jsontext.dumps(comparison_dict(comparison)) + "\n"
