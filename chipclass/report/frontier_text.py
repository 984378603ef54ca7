"""`chipclass tailor --knobs ...` output: the frontier as a table, and the JSON document."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from chipclass import __version__
from chipclass.frontier import (
    QUANTITY,
    Bound,
    Frontier,
    FrontierPoint,
    Piece,
    apply,
    safe_changes,
)
from chipclass.metrics import METRIC_IDS, Metrics
from chipclass.numbers import number, show
from chipclass.report import jsontext
from chipclass.report.doc import Cell, Doc
from chipclass.report.registry import FrontierReport
from chipclass.spec import ChipSpec
from chipclass.words import METRIC_WORDS

#: the resulting part's metrics shown in the table
SHOWN = ("tpp", "performance_density", "memory_bandwidth_gbs", "io_bandwidth_gbs")


def plain(text: str) -> str:
    """Sheet text safe on one terminal line: control and line-breaking characters escaped."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def knob_name(knob: str) -> str:
    return knob.replace("_", " ").replace("io ", "I/O ")


def change_text(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value != 0 else "0"
    return f"{'+' if value > 0 else ''}{text} %"


def boundary(bound: Bound) -> str:
    unit = " GB/s" if bound.metric.endswith("_gbs") else ""
    return f"{METRIC_WORDS[bound.metric]} {show(bound.threshold)}{unit}"


def lines_text(bounds: tuple[Bound, ...]) -> str:
    """'memory+I/O 1700 GB/s (us-2025-04 2025-04 H20 letters)', each line once."""
    found: dict[str, list[str]] = {}
    for bound in bounds:
        where = found.setdefault(boundary(bound), [])
        name = f"{bound.clause}"
        if name not in where:
            where.append(name)
    return "; ".join(f"{line} [{', '.join(names)}]" for line, names in found.items())


def _title(spec: ChipSpec) -> str:
    estimate = " (estimate)" if spec.estimated else ""
    return f"{plain(spec.name)}{estimate} ({plain(spec.id)})  {plain(spec.path)}"


def _metrics_line(metrics: Metrics) -> str:
    parts = []
    for metric in (*SHOWN, "memory_plus_io_gbs"):
        value = metrics.value(metric)
        unit = " GB/s" if metric.endswith("_gbs") and value is not None else ""
        parts.append(
            f"{METRIC_WORDS[metric]} {show(value) if value is not None else 'unknown'}{unit}"
        )
    area = metrics.applicable_die_area_mm2
    parts.insert(2, f"die area {show(area) + ' mm²' if area is not None else 'unknown'}")
    return "  ·  ".join(parts)


def _row(result: Frontier, index: int, point: FrontierPoint) -> tuple[str | Cell, ...]:
    changes = safe_changes(result, point)
    changed = apply(result.metrics, point.factors)
    label = Cell(point.label + (" (limit)" if point.limit else ""), point.label)
    return (
        f"{index + 1}",
        *(change_text(changes[k]) for k in result.knobs),
        *(show(changed.value(m)) for m in SHOWN),
        label,
        "beyond" if point.strict else "at",
        lines_text(point.on) or "-",
    )


def _piece_line(piece: Piece) -> str | None:
    if piece.kind == "point":
        return None
    ends = " → ".join(f"#{n + 1}" for n in piece.points)
    follows = " and ".join(lines_text(bounds) for bounds in piece.follows)
    if piece.kind == "segment":
        return f"segment {ends}: every point between them is on the frontier, along {follows}"
    return f"surface with corners {ends}: every point within it is on the frontier, along {follows}"


def frontier_doc(spec: ChipSpec, result: Frontier) -> Doc:
    doc = Doc()
    doc.heading(_title(spec))
    doc.line(_metrics_line(result.metrics), indent=2)
    for note in result.metrics.notes:
        doc.line(Cell(f"note: {plain(note)}", "dim"), indent=2)
    doc.blank()
    for verdict in result.current:
        now = [Cell(f"{verdict.edition}: "), Cell(verdict.label, verdict.label)]
        if verdict.clauses:
            now.append(Cell(f"  [{', '.join(verdict.clauses)}]", "dim"))
        doc.line(*now, indent=2)
    for knob, why in result.fixed.items():
        doc.line(Cell(f"{knob_name(knob)} cannot move: {why}", "dim"), indent=2)
    editions = ", ".join(e.id for e in result.editions)
    moving = ", ".join(knob_name(k) for k in result.knobs) or "no knob"
    if not result.points:
        doc.line(
            Cell(
                f"target {result.target} under {editions}: no change of {moving} reaches it",
                "error",
            ),
            indent=2,
        )
        return doc
    state = "met already" if result.within_target else "not met"
    doc.line(
        f"target {result.target} under {editions}: {state}; the Pareto-minimal changes of"
        f" {moving} ({len(result.points)} point{'' if len(result.points) == 1 else 's'}):",
        indent=2,
    )
    columns = (
        "#",
        *(knob_name(k) for k in result.knobs),
        *(METRIC_WORDS[m] + (" GB/s" if m.endswith("_gbs") else "") for m in SHOWN),
        "reaches",
        "boundary",
        "on the line of",
    )
    right = tuple(range(0, 1 + len(result.knobs) + len(SHOWN)))
    doc.table(
        columns,
        [_row(result, n, p) for n, p in enumerate(result.points)],
        indent=4,
        right=right,
    )
    for piece in result.pieces:
        text = _piece_line(piece)
        if text is not None:
            doc.line(text, indent=2)
    doc.line(
        Cell(
            "changes are to the boundary itself; 'beyond': the boundary value is excluded,"
            " the part must pass it; '(limit)': a segment's end that another point takes"
            " over",
            "dim",
        ),
        indent=2,
    )
    return doc


# --------------------------------------------------------------------------- JSON


def _bound(bound: Bound) -> dict[str, Any]:
    return {
        "edition": bound.edition,
        "clause": bound.clause,
        "metric": bound.metric,
        "op": bound.op,
        "threshold": number(bound.threshold),
    }


def point_dict(result: Frontier, point: FrontierPoint) -> dict[str, Any]:
    changes = safe_changes(result, point, places=6)
    changed = apply(result.metrics, point.factors)
    data: dict[str, Any] = {
        "changes": {k: _json_number(changes[k]) for k in result.knobs},
        "label": point.label,
        "clauses": list(point.clauses),
        "strict": point.strict,
        "editions": [
            {"edition": v.edition, "label": v.label, "clauses": list(v.clauses)}
            for v in point.verdicts
        ],
        "factors": {k: number(point.factors[k]) for k in result.knobs},
        "metrics": {m: number(changed.value(m)) for m in METRIC_IDS},
        "on": [_bound(b) for b in point.on],
        "piece": point.piece,
    }
    if point.limit:
        data["limit"] = True
    return data


def _json_number(value: Decimal) -> int | float:
    exact = Fraction(value)
    return exact.numerator if exact.denominator == 1 else float(value)


def piece_dict(piece: Piece) -> dict[str, Any]:
    return {
        "id": piece.id,
        "kind": piece.kind,
        "points": list(piece.points),
        "follows": [[_bound(b) for b in bounds] for bounds in piece.follows],
    }


def frontier_entries(result: Frontier) -> list[dict[str, Any]]:
    return [point_dict(result, p) for p in result.points]


def frontier_dict(spec: ChipSpec, result: Frontier) -> dict[str, Any]:
    from chipclass.report.tailor_text import chip_dict

    metrics = result.metrics
    return {
        "chipclass": __version__,
        "file": spec.path,
        "chip": chip_dict(spec),
        "estimated": spec.estimated,
        "metrics": {m: number(metrics.value(m)) for m in METRIC_IDS},
        "editions": [e.id for e in result.editions],
        "current": [
            {"edition": v.edition, "label": v.label, "clauses": list(v.clauses)}
            for v in result.current
        ],
        "target": result.target,
        "knobs": list(result.knobs),
        "fixed": [
            {"knob": k, "knob_quantity": QUANTITY[k], "note": why}
            for k, why in result.fixed.items()
        ],
        "within_target": result.within_target,
        "reachable": result.reachable,
        "frontier": frontier_entries(result),
        "pieces": [piece_dict(p) for p in result.pieces],
    }


def text_report(report: FrontierReport) -> Doc:
    """`tailor --knobs` (several knobs or editions), as text."""
    return frontier_doc(report.spec, report.frontier)


def json_report(report: FrontierReport) -> str:
    """`tailor --knobs ... --format json`."""
    return jsontext.dumps(frontier_dict(report.spec, report.frontier)) + "\n"
