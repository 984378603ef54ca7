"""Entities headquartered in, or whose ultimate parent is headquartered in, Country Group
D:5 or Macau: a license requirement for 3A090 / 4A090 items wherever they are located
(15 CFR 742.6(a)(6)(iii)(A), 744.23(a)(3), since 2023-11-17; restated by BIS on
2026-05-31), reviewed with a presumption of denial."""

from __future__ import annotations

from chipclass.transaction.context import Context
from chipclass.transaction.model import Company, name_key
from chipclass.transaction.reasons import INDETERMINATE, Reason, RedFlag


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
            parent = majority_parent_in_d5(ctx, party)
            if parent is not None and party.headquarters is None:
                found.append(_undeclared(ctx, party, parent, fact.citation, fact.url))
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


def majority_parent_in_d5(ctx: Context, company: Company) -> Company | None:
    """An owner up the graph, through shares over 50 % (or of unknown size), headquartered
    in D:5 or Macau: a possible ultimate parent there."""
    by_name = {name_key(c.name): c for c in ctx.tx.companies()}
    seen: set[str] = set()
    todo = [company]
    while todo:
        current = todo.pop()
        for owner in current.owners:
            if owner.share_pct is not None and owner.share_pct <= 50:
                continue
            other = by_name.get(name_key(owner.name))
            if other is None or name_key(other.name) in seen:
                continue
            seen.add(name_key(other.name))
            if ctx.in_d5_or_macau(other.hq):
                return other
            todo.append(other)
    return None


def _undeclared(ctx: Context, party: Company, parent: Company, citation: str, url: str) -> Reason:
    text = (
        f"{party.role} {party.name!r} gives no headquarters, and its majority owner"
        f" {parent.name!r} is in {ctx.label_of(parent.hq)} (D:5 or Macau): if that is its"
        " ultimate parent, a license is required wherever the party is located"
    )
    return Reason(
        kind="headquarters",
        rule="15 CFR 742.6(a)(6)(iii)(A) / 744.23(a)(3) (ultimate parent not declared)",
        label=INDETERMINATE,
        text=text,
        subject=party.name,
        citation=citation,
        url=url,
        possible=("exportable", "restricted"),
    )


def parent_flags(ctx: Context) -> list[RedFlag]:
    """A declared headquarters outside D:5 and Macau with a majority owner there."""
    found = []
    for party in ctx.tx.parties:
        if party.headquarters is None or ctx.in_d5_or_macau(party.hq):
            continue
        parent = majority_parent_in_d5(ctx, party)
        if parent is not None:
            found.append(
                RedFlag(
                    kind="parent-in-d5",
                    text=f"{party.name!r} is declared headquartered in {ctx.label_of(party.hq)},"
                    f" but its majority owner {parent.name!r} is in {ctx.label_of(parent.hq)}:"
                    " check where the ultimate parent is headquartered",
                    subject=party.name,
                    source="",
                    citation="15 CFR 744.23(a)(3)",
                )
            )
    return found
