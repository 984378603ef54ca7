"""`chipclass history` output: a timeline table, and the JSON document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chipclass import __version__
from chipclass.classify import Result
from chipclass.editions import INDETERMINATE, SEVERITY, Condition
from chipclass.history import Cause, Step
from chipclass.metrics import METRIC_IDS
from chipclass.numbers import number, show
from chipclass.report import jsontext
from chipclass.report.classify_text import chip_title, metrics_line
from chipclass.report.doc import Cell, Doc
from chipclass.report.registry import History
from chipclass.report.tailor_text import chip_dict
from chipclass.report.where import destination_code

STRICTER, LAXER, UNSETTLED = "▲", "▼", "◆"


def marker(previous: str | None, label: str) -> str:
    """▲ more severe than the edition before, ▼ less severe, ◆ to or from indeterminate."""
    if previous is None or previous == label:
        return " "
    if INDETERMINATE in (previous, label):
        return UNSETTLED
    return STRICTER if SEVERITY[label] > SEVERITY[previous] else LAXER


def condition_text(condition: Condition) -> str:
    return f"{condition.metric} {condition.op} {show(condition.threshold)}"


def why(cause: Cause, edition_id: str) -> str:
    """'new in us-2023-10', 'drops io_bandwidth_gbs >= 600', 'label restricted → ...'."""
    revision = cause.revision
    if revision.new:
        return f"new in {edition_id}"
    if revision.gone:
        return f"not in {edition_id}"
    parts = [f"drops {condition_text(c)}" for c in revision.dropped]
    parts += [f"adds {condition_text(c)}" for c in revision.added]
    parts += [f"{name} {old} → {new}" for name, old, new in revision.fields]
    return "; ".join(parts) if parts else "unchanged text; its outcome moved with the others"


def cause_text(cause: Cause, edition_id: str) -> str:
    return f"{cause.clause} {cause.change} ({why(cause, edition_id)})"


def _previous(steps: Sequence[Step], index: int) -> str | None:
    return steps[index - 1].label if index else None


def history_doc(result: Result, steps: Sequence[Step]) -> Doc:
    doc = Doc()
    doc.heading(chip_title(result))
    doc.line(metrics_line(result), indent=2)
    for note in result.metrics.notes:
        doc.line(Cell(f"note: {note}", "dim"), indent=2)
    doc.blank()
    rows: list[tuple[str | Cell, ...]] = []
    for index, step in enumerate(steps):
        edition = step.edition
        mark = marker(_previous(steps, index), step.label)
        label = step.label
        if step.decision.possible:
            label += f" ({' or '.join(step.decision.possible)})"
        rows.append(
            (
                edition.id,
                edition.effective.isoformat(),
                Cell(edition.status, None if edition.status == "published" else "dim"),
                Cell(f"{mark} {label}", step.label),
                ", ".join(step.decision.clauses) or "-",
            )
        )
    doc.table(("edition", "effective", "status", "label", "deciding clauses"), rows, indent=2)
    changes = [(i, s) for i, s in enumerate(steps) if s.changed]
    doc.blank()
    if not changes:
        doc.line("the label is the same in every edition", indent=2)
        return doc
    doc.line(
        f"{STRICTER} more severe, {LAXER} less severe, {UNSETTLED} to or from indeterminate",
        indent=2,
    )
    for index, step in changes:
        reasons = "; ".join(cause_text(c, step.edition.id) for c in step.because) or "-"
        doc.line(
            Cell(f"{step.edition.id}: ", "heading"),
            f"{_previous(steps, index)} → ",
            Cell(step.label, step.label),
            f" because {reasons}",
            indent=2,
        )
    return doc


def step_dict(step: Step, previous: str | None) -> dict[str, Any]:
    edition = step.edition
    data: dict[str, Any] = {
        "edition": edition.id,
        "effective": edition.effective.isoformat(),
        "status": edition.status,
        "label": step.label,
        "clauses": list(step.decision.clauses),
        "previous": previous,
        "changed": step.changed,
        "because": [
            {"clause": c.clause, "change": c.change, "why": why(c, edition.id)}
            for c in step.because
        ],
    }
    if step.decision.possible:
        data["possible_labels"] = list(step.decision.possible)
        data["unknown_metrics"] = list(step.decision.unknown)
    return data


def history_dict(result: Result, steps: Sequence[Step]) -> dict[str, Any]:
    spec, metrics = result.spec, result.metrics
    return {
        "chipclass": __version__,
        "file": spec.path,
        "chip": chip_dict(spec),
        "metrics": {m: number(metrics.value(m)) for m in METRIC_IDS},
        "destination": destination_code([s.edition for s in steps]),
        "editions": [step_dict(s, _previous(steps, i)) for i, s in enumerate(steps)],
    }


def text_report(history: History) -> Doc:
    """`history` as text."""
    return history_doc(history.result, history.steps)


def json_report(history: History) -> str:
    """`history --format json`."""
    return jsontext.dumps(history_dict(history.result, history.steps)) + "\n"
