"""A determination for a terminal or a log: the label, each reason with its rule, red
flags apart, the not-enforced figures; `explain` walks through each reason's citation,
text and numbers. Every text from a file or a list is escaped (data, never control codes)."""

from __future__ import annotations

from chipclass.numbers import percent, show
from chipclass.report.doc import Cell, Doc
from chipclass.report.registry import Determined
from chipclass.report.screen import printable
from chipclass.transaction.determine import Determination
from chipclass.transaction.reasons import Compared
from chipclass.transaction.supercomputer import Aggregate


def compared_text(c: Compared) -> str:
    value = show(c.value) if c.value is not None else "unknown"
    unit = f" {c.unit}" if c.unit else ""
    met = "unknown" if c.met is None else ("met" if c.met else "not met")
    margin = (
        "" if c.margin is None else f"; margin {show(c.margin)}{unit} ({percent(c.margin_pct)})"
    )
    return f"{c.what}: {value}{unit} {c.op} {show(c.threshold)}{unit}: {met}{margin}"


def to_doc(found: Determination, explain: bool = False) -> Doc:
    tx = found.transaction
    ctx = found.context
    doc = Doc()
    dated = "" if tx.date_given or found.day != tx.date else " (no date in the file: today)"
    doc.heading(
        printable(
            f"Transaction {tx.id} ({tx.path}): {found.day}{dated}, to {ctx.destination.label}"
        )
    )
    possible = f" (could be {', '.join(found.possible)})" if found.possible else ""
    doc.line("Determination: ", Cell(found.label, found.label), possible)
    doc.blank()
    doc.heading("Reasons (the most severe decides)")
    for reason in found.reasons:
        doc.line(
            Cell(f"{reason.label:<16}", reason.label),
            printable(f" [{reason.kind}] {reason.rule}"),
            indent=2,
        )
        doc.line(printable(reason.text), indent=20)
        if explain:
            doc.line(printable(f"citation: {reason.citation}"), indent=20)
            if reason.url:
                doc.line(printable(f"source: {reason.url}"), indent=20)
            if reason.rule_text:
                kind = reason.text_kind or "text"
                doc.line(printable(f'{kind}: "{reason.rule_text}"'), indent=20)
            if reason.date_note:
                doc.line(printable(f"dates: {reason.date_note}"), indent=20)
            for compared in reason.numbers:
                doc.line(printable(f"compared: {compared_text(compared)}"), indent=20)
            if reason.possible:
                doc.line(f"could be: {', '.join(reason.possible)}", indent=20)
    doc.blank()
    doc.heading("Red flags (to resolve; not license requirements)")
    if not found.red_flags:
        doc.line("none", indent=2)
    for flag in found.red_flags:
        since = f" since {flag.since}" if flag.since else ""
        doc.line(Cell(f"{flag.kind}", "dim"), printable(f"{since}: {flag.text}"), indent=2)
        if explain and (flag.citation or flag.source):
            doc.line(printable(f"source: {flag.citation} {flag.source}".rstrip()), indent=6)
    if found.not_enforced:
        doc.blank()
        doc.heading("Not enforced (reported for the record; no effect on the label)")
        for item in found.not_enforced:
            would = f" (would be {item.would_be})" if item.would_be else ""
            doc.line(printable(f"{item.rule}, {item.status}: {item.text}{would}"), indent=2)
            for compared in item.numbers:
                doc.line(printable(compared_text(compared)), indent=6)
            if explain:
                doc.line(printable(f"source: {item.citation} {item.url}"), indent=6)
    doc.blank()
    doc.line(printable(end_use_line(found)))
    for snapshot in ctx.lists:
        as_of = snapshot.as_of or "undated"
        doc.line(
            printable(
                f"list: {snapshot.name} ({snapshot.path}), as of {as_of}, sha256"
                f" {snapshot.sha256[:12]}, {len(snapshot.entries)} entries"
            )
        )
    edition = ctx.edition
    doc.line(
        printable(
            f"edition: {edition.id} ({edition.status}, effective {edition.effective},"
            f" {edition.citation})"
        )
    )
    return doc


def end_use_line(found: Determination) -> str:
    """The supercomputer aggregate, whether or not the rule reaches this transaction."""
    summary = found.end_use
    parts = []
    for key in ("fp64", "fp32"):
        value = summary.get(key)
        if isinstance(value, Aggregate):
            shown = (
                show(value.value, 2)
                if value.value is not None
                else f">= {show(value.known_pf, 2)} (incomplete)"
            )
            parts.append(f"{key.upper()} {shown} PF")
    reaches = summary.get("reaches")
    fact = summary.get("fact")
    scope = (
        f"; the supercomputer rule reaches it ({reaches})"
        if reaches
        else "; the supercomputer rule does not reach this destination or these parties"
        if fact is not None
        else "; no supercomputer rule on this day"
    )
    return f"aggregate of the items: {', '.join(parts) or 'no chips'}{scope}"


def text_report(determined: Determined) -> Doc:
    """`transaction` as text."""
    return to_doc(determined.found, determined.explain)
