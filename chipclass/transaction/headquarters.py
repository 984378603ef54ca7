"""Entities headquartered in, or whose ultimate parent is headquartered in, Country Group
D:5 or Macau: a license requirement for 3A090 / 4A090 items wherever they are located
(15 CFR 742.6(a)(6)(iii)(A), 744.23(a)(3), since 2023-11-17; restated by BIS on
2026-05-31), reviewed with a presumption of denial."""

from __future__ import annotations

from chipclass.transaction.context import Context
from chipclass.transaction.reasons import Reason


def headquarters_reasons(ctx: Context) -> list[Reason]:
    fact = ctx.law.holding("headquarters", ctx.day)
    if fact is None or not fact.in_force:
        return []
    caught = [c for c in ctx.classified if c.paragraph is not None]
    if not caught:
        return []
    if ctx.in_d5_or_macau(ctx.tx.destination):
        return []  # the items' own labels for the destination already answer for it
    found: list[Reason] = []
    for party in ctx.tx.parties:
        hq = party.hq
        if not ctx.in_d5_or_macau(hq):
            continue
        items = ", ".join(f"{c.item.name} ({c.eccn})" for c in caught)
        where = ctx.label_of(party.country)
        text = (
            f"{party.role} {party.name!r} (located in {where}) is headquartered in"
            f" {ctx.label_of(hq)}, in Country Group D:5 or Macau on {ctx.day}: a license is"
            f" required for {items} wherever the party is located; presumption of denial (the"
            " 2026 case-by-case review covers exports to China and Macau only)"
        )
        found.append(
            Reason(
                kind="headquarters",
                rule="15 CFR 742.6(a)(6)(iii)(A) / 744.23(a)(3) (headquartered in D:5 or Macau)",
                label="restricted",
                text=text,
                subject=party.name,
                citation=fact.citation,
                url=fact.url,
                text_kind=fact.text_kind,
                rule_text=fact.text,
                date_note=f"{fact.status} {fact.window()}",
            )
        )
    return found
