"""`chipclass rules` and `rules show ID`: the editions, and one edition clause by clause."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chipclass.editions import Clause, Edition, Reach
from chipclass.numbers import number, show
from chipclass.report import jsontext
from chipclass.report.classify_text import edition_title
from chipclass.report.doc import Cell, Doc
from chipclass.serialize import edition_dict


def editions_json(known: Sequence[Edition]) -> str:
    """`rules --format json`."""
    return jsontext.dumps({"editions": [edition_dict(e) for e in known]}) + "\n"


def editions_doc(known: Sequence[Edition]) -> Doc:
    """`rules`: one row per edition, oldest first."""
    doc = Doc()
    doc.table(
        ("edition", "effective", "status", "citation", "title"),
        [
            (e.id, e.effective.isoformat(), Cell(e.status, _status_style(e)), e.citation, e.title)
            for e in known
        ],
    )
    doc.blank()
    doc.line(Cell(f"latest: {known[-1].id}; details: chipclass rules show ID", "dim"))
    return doc


def _status_style(edition: Edition) -> str | None:
    return None if edition.status == "published" else "license-required"


def edition_json(edition: Edition) -> str:
    """`rules show ID --format json`."""
    return jsontext.dumps(_edition_json(edition)) + "\n"


def _edition_json(edition: Edition) -> dict[str, Any]:
    data = edition_dict(edition)
    data.update(
        {
            "document": edition.document,
            "published": edition.published.isoformat() if edition.published else None,
            "summary": edition.summary,
            "evidence": edition.evidence,
            "notes": edition.notes,
            "clauses": [_clause_json(c) for c in edition.clauses],
            "reach": [_reach_json(r) for r in edition.reach],
        }
    )
    return data


def _clause_json(clause: Clause) -> dict[str, Any]:
    return {
        "id": clause.id,
        "role": clause.role,
        "label": clause.label,
        "scope": clause.scope,
        "match": clause.match,
        "targets": list(clause.targets),
        "context": clause.context,
        "text": clause.text,
        "citation": clause.citation,
        "url": clause.url,
        "evidence": clause.evidence,
        "effect": clause.effect,
        "reason": clause.reason,
        "destinations": list(clause.destinations),
        "conditions": [
            {"metric": k.metric, "op": k.op, "threshold": number(k.threshold), "text": k.text}
            for k in clause.conditions
        ],
    }


def _reach_json(reach: Reach) -> dict[str, Any]:
    return {
        "id": reach.id,
        "applies_to": list(reach.applies_to),
        "text": reach.text,
        "citation": reach.citation,
        "url": reach.url,
        "evidence": reach.evidence,
        "rules": [
            {
                "to": list(rule.to),
                "label": rule.label,
                "since": rule.since.isoformat() if rule.since else None,
                "note": rule.note,
            }
            for rule in reach.rules
        ],
        "otherwise": reach.otherwise,
    }


def _reach_doc(doc: Doc, reach: Reach) -> None:
    doc.blank()
    doc.heading(f"{reach.id}  [reach of {', '.join(reach.applies_to)}]")
    doc.line(reach.citation, indent=2)
    doc.line(f"“{reach.text}”", indent=2)
    for rule in reach.rules:
        since = f" from {rule.since}" if rule.since else ""
        note = f"  ({rule.note})" if rule.note else ""
        doc.line(f"- {', '.join(rule.to)}{since}: at most {rule.label}{note}", indent=4)
    doc.line(f"- anywhere else: {reach.otherwise}", indent=4)
    doc.line(Cell(f"evidence: {reach.evidence}; {reach.url}", "dim"), indent=2)


def edition_doc(edition: Edition) -> Doc:
    """`rules show ID`: metadata, then every clause with its text."""
    doc = Doc()
    doc.heading(edition_title(edition))
    doc.line(edition.title, indent=2)
    if edition.document:
        doc.line(Cell(edition.document, "dim"), indent=2)
    doc.line(f"source: {edition.url}", indent=2)
    doc.line(f"destination: {edition.destination}", indent=2)
    doc.line(f"evidence: {edition.evidence}", indent=2)
    doc.blank()
    for paragraph in edition.summary.split("\n"):
        doc.line(paragraph, indent=2)
    if edition.notes:
        doc.line(Cell(f"notes: {edition.notes}", "dim"), indent=2)
    for clause in edition.clauses:
        doc.blank()
        head = f"{clause.id}  [{clause.role}"
        if clause.label:
            head += f" → {clause.label}"
        if clause.targets:
            head += f"; targets {', '.join(clause.targets)}"
        if clause.scope != "all":
            head += f"; {clause.scope} parts only"
        doc.heading(head + "]")
        doc.line(clause.citation, indent=2)
        if clause.context:
            doc.line(Cell(clause.context, "dim"), indent=2)
        doc.line(f"“{clause.text}”", indent=2)
        for condition in clause.conditions:
            doc.line(
                f"- {condition.metric} {condition.op} {show(condition.threshold)}"
                f"   (“{condition.text}”)",
                indent=4,
            )
        if len(clause.conditions) > 1:
            doc.line(Cell(f"({clause.match} of the conditions)", "dim"), indent=4)
        if clause.effect:
            doc.line(f"effect: {clause.effect}", indent=2)
        if clause.reason:
            doc.line(Cell(f"not evaluated: {clause.reason}", "dim"), indent=2)
        if clause.destinations:
            doc.line(f"applies to: {', '.join(clause.destinations)}", indent=2)
        doc.line(Cell(f"evidence: {clause.evidence}; {clause.url}", "dim"), indent=2)
    for reach in edition.reach:
        _reach_doc(doc, reach)
    return doc
