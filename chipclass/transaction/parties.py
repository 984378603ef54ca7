"""Every party screened against the lists: a party on the Entity List on the day needs a
license for the items of its entry's License Requirement column, reviewed under its
License Review Policy column (15 CFR 744.11, 744.16)."""

from __future__ import annotations

from chipclass.numbers import show
from chipclass.parties.model import Entry
from chipclass.transaction.context import Context
from chipclass.transaction.law import Fact
from chipclass.transaction.reasons import Compared, Reason, RedFlag
from chipclass.transaction.screening import Listing, threshold


def policy_label(entry: Entry) -> str:
    """The label an entry's review policy gives: a presumption of denial (or a policy the
    list does not state: the reading that does not understate) is `restricted`; a
    case-by-case review or a presumption of approval alone is `license-required`."""
    text = (entry.license_policy or "").casefold()
    if "denial" in text:
        return "restricted"
    if "case-by-case" in text or "case by case" in text or "approval" in text:
        return "license-required"
    return "restricted"


def listing_reasons(ctx: Context) -> list[Reason]:
    fact = ctx.law.holding("entity-list", ctx.day)
    found: list[Reason] = []
    for party in ctx.tx.parties:
        screened = ctx.screening(party)
        if screened is None:
            continue
        for listing in screened.listings:
            found.append(_reason(ctx, party.name, party.role or "party", listing, fact))
    return found


def _reason(ctx: Context, name: str, role: str, listing: Listing, law: Fact | None) -> Reason:
    entry = listing.entry
    label = policy_label(entry)
    fr = "; ".join(entry.federal_register) or "no FR citation in the list"
    requirement = entry.license_requirement or "not stated by the list"
    policy = entry.license_policy or "not stated by the list (read as a presumption of denial)"
    text = (
        f"{role} {name!r} matches {entry.name!r} on the {listing.list_name} (score"
        f" {show(listing.score, 2)}, as {listing.matched_name!r};"
        f" listed {entry.added or 'date unknown'}):"
        f" license requirement {requirement}; review policy {policy}"
    )
    citation = f"{law.citation}; {fr}" if law is not None else fr
    return Reason(
        kind="entity-list",
        rule="15 CFR 744.11 / 744.16 (Entity List)",
        label=label,
        text=text,
        subject=name,
        citation=citation,
        url=entry.sources[0] if entry.sources else (law.url if law else ""),
        text_kind=entry.text_kind,
        rule_text=law.text if law is not None else None,
        numbers=(Compared("name match score", listing.score, ">=", threshold()),),
    )


def related_flags(ctx: Context) -> list[RedFlag]:
    """Names related to a listed entry (renames, unlisted units): red flags, not hits."""
    found: list[RedFlag] = []
    for company in ctx.tx.companies():
        screened = ctx.screening(company)
        if screened is None:
            continue
        for related in screened.related:
            found.append(
                RedFlag(
                    kind="related-to-listed",
                    text=(
                        f"{company.name!r} matches {related.name!r}, {related.relation} of the"
                        f" listed {related.entry.name!r} (score {show(related.score, 2)}):"
                        " not itself listed; check the relationship"
                    ),
                    subject=company.name,
                    source=related.source,
                    citation="; ".join(related.entry.federal_register),
                )
            )
    return found
