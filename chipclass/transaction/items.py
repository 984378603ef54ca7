"""Each item's label for the destination: the chip editions (dated groups, reach, letters,
relief) through the engine adapter; 4A090 for servers of 3A090 chips; model weights."""

from __future__ import annotations

from fractions import Fraction

from chipclass.numbers import show
from chipclass.transaction.context import Classified, Context
from chipclass.transaction.reasons import INDETERMINATE, Compared, Reason


def item_reasons(ctx: Context) -> list[Reason]:
    found = [_chip_reason(ctx, c) for c in ctx.classified]
    found.extend(
        _model_reason(ctx, item.key, item.name) for item in ctx.tx.items if item.kind == "model"
    )
    return found


def _chip_reason(ctx: Context, found: Classified) -> Reason:
    item = found.item
    verdict = found.verdict
    decision = verdict.decision
    edition = verdict.edition
    clauses = [c for c in edition.clauses if c.id in decision.clauses]
    quantity = (
        f"{item.units} x {item.chips_per_unit} = {item.count} chips"
        if item.kind == "server"
        else f"{item.count} chips"
    )
    eccn = found.eccn
    what = f"{item.name} ({quantity})"
    if item.kind == "server" and eccn is not None:
        what += f": servers containing {found.paragraph} chips are {eccn}"
    if decision.label == "exportable":
        notes = [c.reach_note for c in edition.clauses if c.reach_note and not c.applies]
        why = f"; {notes[0]}" if notes else ""
        text = f"{what}: no license requirement from {edition.id} for {ctx.destination.label}{why}"
    elif decision.label == INDETERMINATE:
        text = f"{what}: {', '.join(decision.unknown) or 'a figure'} unknown under {edition.id}"
    else:
        text = f"{what}: {decision.label} under {edition.id} ({', '.join(decision.clauses)})"
    listed = found.listed.decision.clauses
    met = [c for c in listed if c.startswith("3A090")]
    if decision.clauses:
        rule = ", ".join(decision.clauses)
    elif met:
        rule = f"{found.paragraph} ({', '.join(met)} met; not reached)"
    else:
        rule = "outside 3A090.a/.b"
    if item.kind == "server" and eccn is not None:
        rule = f"{eccn}: {rule}"
        fact = ctx.law.holding("4A090", ctx.day)
        citation = f"{edition.citation}; {fact.citation}" if fact else edition.citation
    else:
        citation = "; ".join(dict.fromkeys(c.citation for c in clauses)) or edition.citation
    numbers = tuple(
        Compared(
            f"{row.clause.id}: {row.condition.metric}",
            row.value,
            row.condition.op,
            row.condition.threshold,
        )
        for row in verdict.rows
        if row.clause.id in (decision.clauses or met or ("3A090.a.1",))
    )
    url = clauses[0].url if clauses else edition.url
    return Reason(
        kind="item",
        rule=f"{rule} ({edition.id})",
        label=decision.label,
        text=text,
        subject=item.key,
        citation=citation,
        url=url,
        text_kind=clauses[0].text_kind if clauses else None,
        rule_text=clauses[0].text if clauses else None,
        numbers=numbers,
        possible=decision.possible,
        status=edition.status,
    )


def _model_reason(ctx: Context, key: str, name: str) -> Reason:
    fact = ctx.law.holding("4E091", ctx.day)
    item = next(i for i in ctx.tx.items if i.key == key)
    ops = item.training_operations
    if fact is None:
        text = f"model weights {name}: no control on model weights is modelled for {ctx.day}"
        return Reason("item", "model weights (none modelled)", "exportable", text, key, "-", "-")
    threshold = fact.figure("training_operations")
    compared = Compared("training operations", ops, ">=", threshold, "operations")
    text = (
        f"model weights {name}: 4E091 ({show(threshold)} operations or more, unpublished"
        f" weights) is {fact.status} on {ctx.day}; no enforced control on model weights is"
        " modelled, so it sets no license requirement here (see the not-enforced figures)"
    )
    return Reason(
        kind="item",
        rule="4E091 (us-2025-01), not enforced",
        label="exportable",
        text=text,
        subject=key,
        citation=fact.citation,
        url=fact.url,
        text_kind=fact.text_kind,
        rule_text=fact.text,
        numbers=(compared,),
        status=fact.status,
    )


def total_tpp(found: Classified) -> Fraction:
    return found.verdict.metrics.tpp * found.item.count
