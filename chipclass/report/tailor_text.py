"""`chipclass tailor` output: a table of per-knob limits, and the JSON document."""

from __future__ import annotations

from typing import Any

from chipclass import __version__
from chipclass.classify import Result
from chipclass.margin import KNOB_QUANTITY
from chipclass.metrics import METRIC_IDS, Metrics
from chipclass.numbers import number, percent, show
from chipclass.report import jsontext
from chipclass.report.classify_text import (
    QUANTITY_NAMES,
    chip_title,
    edition_title,
    label_cell,
    metrics_line,
)
from chipclass.report.doc import Cell, Doc
from chipclass.report.registry import Tailored
from chipclass.spec import ChipSpec
from chipclass.tailor import CUT, KnobLimit, Limit, Tailoring
from chipclass.words import METRIC_WORDS, OPS


def knob_name(knob: str) -> str:
    return knob.replace("_", " ").replace("io ", "I/O ")


def requirement(limit: Limit) -> str:
    """'TPP < 2400': what a cut needs, or what keeps a part within its target."""
    unit = " GB/s" if limit.metric.endswith("_gbs") else ""
    return f"{METRIC_WORDS[limit.metric]} {OPS[limit.op]} {show(limit.threshold)}{unit}"


def describe(limit: Limit, metrics: Metrics) -> str:
    """One line: 'throughput -84.841 % (TPP 15832 → 2400): TPP < 2400 → exportable via ...'."""
    quantity = KNOB_QUANTITY[limit.knob]
    before = metrics.value(quantity)
    return (
        f"{knob_name(limit.knob)} {percent(limit.change_pct)}"
        f" ({QUANTITY_NAMES[quantity]} {show(before, near=(limit.knob_value,))}"
        f" → {show(limit.knob_value)}):"
        f" {requirement(limit)}; {limit.clause} → {limit.label}"
    )


def _row(item: KnobLimit, metrics: Metrics, target: str) -> tuple[str | Cell, ...]:
    name = knob_name(item.knob)
    limit = item.limit
    if limit is None:
        if not item.scalable:
            why = f"{QUANTITY_NAMES[KNOB_QUANTITY[item.knob]]} unknown or zero: cannot scale"
        elif item.direction == CUT:
            why = f"no change of this knob alone reaches {target}"
        else:
            why = f"unlimited: no change of this knob alone leaves {target}"
        return (name, "-", "", Cell(why, "dim"), "", "")
    quantity = KNOB_QUANTITY[item.knob]
    return (
        name,
        percent(limit.change_pct),
        f"{QUANTITY_NAMES[quantity]} {show(metrics.value(quantity), near=(limit.knob_value,))}"
        f" → {show(limit.knob_value)}",
        requirement(limit),
        limit.clause,
        label_cell(limit.label),
    )


def tailor_doc(result: Result, tailoring: Tailoring) -> Doc:
    metrics, target = result.metrics, tailoring.target
    doc = Doc()
    doc.heading(chip_title(result))
    doc.line(metrics_line(result), indent=2)
    for note in metrics.notes:
        doc.line(Cell(f"note: {note}", "dim"), indent=2)
    doc.blank()
    now = [Cell(edition_title(tailoring.edition) + ": "), label_cell(tailoring.label)]
    if tailoring.decision.clauses:
        now.append(Cell(f"  [{', '.join(tailoring.decision.clauses)}]", "dim"))
    doc.line(*now, indent=2)
    cut = not tailoring.within_target
    if cut:
        doc.line(
            f"target {target}: not met; the change each knob alone needs (holding the others)"
            f" to reach it:",
            indent=2,
        )
    else:
        doc.line(
            f"target {target}: met; the headroom of each knob alone (holding the others)"
            f" before the part leaves it:",
            indent=2,
        )
    doc.table(
        (
            "knob",
            "change",
            "knob value",
            "needs" if cut else "stays while",
            "binding clause",
            "reaches" if cut else "would become",
        ),
        [_row(item, metrics, target) for item in tailoring.knobs],
        indent=4,
        right=(1,),
    )
    nearest = tailoring.nearest()
    if nearest is not None:
        lead = "nearest cut: " if cut else "tightest headroom: "
        doc.line(lead + describe(nearest, metrics), indent=2)
    elif cut:
        doc.line(
            Cell(f"no single-knob change reaches {target}; several knobs must move", "error"),
            indent=2,
        )
    else:
        doc.line(f"no single-knob change takes the part out of {target}", indent=2)
    return doc


def chip_dict(spec: ChipSpec) -> dict[str, Any]:
    chip: dict[str, Any] = {"id": spec.id, "name": spec.name, "vendor": spec.vendor}
    if spec.variant_of is not None:
        chip["variant_of"] = spec.variant_of
    chip["datacenter"] = spec.datacenter
    return chip


def limit_dict(item: KnobLimit) -> dict[str, Any]:
    data: dict[str, Any] = {"knob": item.knob, "direction": item.direction}
    found = item.limit is not None
    data["reachable" if item.direction == CUT else "limited"] = found
    if not item.scalable:
        data["note"] = f"{KNOB_QUANTITY[item.knob]} is unknown or zero: the knob cannot be scaled"
    limit = item.limit
    if limit is None:
        return data
    data.update(
        {
            "boundary_metric": limit.metric,
            "boundary": number(limit.threshold),
            "op": limit.op,
            "strict": limit.strict,
            "change_pct": number(limit.change_pct),
            "knob_quantity": KNOB_QUANTITY[limit.knob],
            "knob_value": number(limit.knob_value),
            "clause": limit.clause,
            "label": limit.label,
        }
    )
    return data


def tailor_dict(result: Result, tailoring: Tailoring) -> dict[str, Any]:
    spec, metrics = result.spec, result.metrics
    data: dict[str, Any] = {
        "chipclass": __version__,
        "file": spec.path,
        "chip": chip_dict(spec),
        "metrics": {m: number(metrics.value(m)) for m in METRIC_IDS},
        "edition": tailoring.edition.id,
        "destination": tailoring.edition.destination_code,
        "label": tailoring.label,
        "clauses": list(tailoring.decision.clauses),
        "target": tailoring.target,
        "within_target": tailoring.within_target,
        "reachable": tailoring.reachable,
        "knobs": [limit_dict(k) for k in tailoring.knobs],
    }
    if tailoring.decision.possible:
        data["possible_labels"] = list(tailoring.decision.possible)
        data["unknown_metrics"] = list(tailoring.decision.unknown)
    return data


def text_report(tailored: Tailored) -> Doc:
    """`tailor` with one edition, as text."""
    return tailor_doc(tailored.result, tailored.tailoring)


def json_report(tailored: Tailored) -> str:
    """`tailor --format json`; with one knob named by --knobs, its frontier beside it."""
    data = tailor_dict(tailored.result, tailored.tailoring)
    if tailored.frontier is not None:
        from chipclass.report.frontier_text import frontier_entries

        data["frontier"] = frontier_entries(tailored.frontier)
    return jsontext.dumps(data) + "\n"
