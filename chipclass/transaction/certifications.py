"""The 2026 case-by-case review's conditions (91 FR 1684): the relief holds only with the
exporter's certifications. Met: the relief stands; one not met: the relief is lost and the
presumption of denial applies; unknown: indeterminate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chipclass.transaction.context import Classified, Context
from chipclass.transaction.model import CERTIFICATION_IDS, Certifications
from chipclass.transaction.reasons import INDETERMINATE, Compared, Reason

#: the relief clause of us-2026-01 whose conditions these are
RELIEF_PREFIX = "742.6(b)(10)"
#: the rule's condition on the part itself (a sheet fact): available in the U.S. on this day
US_AVAILABLE_BY = dt.date(2026, 1, 15)

_WORDS = {
    "us_supply": "sufficient U.S. supply",
    "foundry_capacity": "no diversion of global foundry capacity",
    "security_procedures": "sufficient security procedures of the recipient",
    "third_party_tested": "independent third-party testing in the United States",
    "share_of_us_shipments": "China/Macau shipments at most 50 % of U.S. shipments",
    "kyc_remote_access": "KYC and remote-access screening by the ultimate consignee",
    "us_available": "commercially available in the United States on 2026-01-15",
}


@dataclass(frozen=True)
class Condition:
    id: str
    words: str
    status: str  # met | not-met | unknown


def engine_certifications(
    given: Certifications, limit_pct: int | None = 50
) -> dict[str, bool | None]:
    """The certification ids the engine takes (id -> True/False/None)."""
    found: dict[str, bool | None] = {k: v for k, v in given.flags.items()}
    share = given.share_of_us_shipments_pct
    found["share_of_us_shipments"] = (
        None if share is None or limit_pct is None else share <= limit_pct
    )
    return found


def certification_reasons(ctx: Context) -> list[Reason]:
    fact = ctx.law.holding("relief-certifications", ctx.day)
    if fact is None:
        return []
    limit = fact.figure("max_share_of_us_shipments_pct")
    found: list[Reason] = []
    for classified in ctx.classified:
        relief = [c for c in classified.certified if c.startswith(RELIEF_PREFIX)]
        if not relief:
            continue
        conditions = _conditions(ctx, classified, int(limit))
        statuses = {c.status for c in conditions}
        possible: tuple[str, ...] = ()
        if "not-met" in statuses:
            label = "restricted"
            lost = ", ".join(c.words for c in conditions if c.status == "not-met")
            text = f"the case-by-case review is lost (not met: {lost}): presumption of denial"
        elif "unknown" in statuses:
            label, possible = INDETERMINATE, ("license-required", "restricted")
            open_ = ", ".join(c.words for c in conditions if c.status == "unknown")
            text = f"the case-by-case review needs certifications not given: {open_}"
        else:
            label = "license-required"
            text = "every certification is made: license reviewed case by case"
        share = ctx.tx.certifications.share_of_us_shipments_pct
        found.append(
            Reason(
                kind="certifications",
                rule=f"{relief[0]} ({classified.verdict.edition.id}) certifications",
                label=label,
                text=f"{classified.item.name}: {text}",
                subject=classified.item.key,
                citation=fact.citation,
                url=fact.url,
                text_kind=fact.text_kind,
                rule_text=fact.text,
                numbers=(Compared("share of U.S. shipments", share, "<=", limit, "%"),),
                possible=possible,
            )
        )
    return found


def conditions_of(ctx: Context, classified: Classified) -> list[Condition]:
    fact = ctx.law.holding("relief-certifications", ctx.day)
    limit = int(fact.figure("max_share_of_us_shipments_pct")) if fact else 50
    return _conditions(ctx, classified, limit)


def _conditions(ctx: Context, classified: Classified, limit: int) -> list[Condition]:
    given = engine_certifications(ctx.tx.certifications, limit)
    found = [Condition(k, _WORDS[k], _status(given.get(k))) for k in CERTIFICATION_IDS]
    spec = classified.item.spec
    available = spec.us_available if spec is not None else None
    if available is None:
        status = "unknown"
    elif available is False or available is True:
        status = "met" if available is True else "not-met"
    else:
        status = "met" if available <= US_AVAILABLE_BY else "not-met"
    found.insert(0, Condition("us_available", _WORDS["us_available"], status))
    return found


def _status(value: bool | None) -> str:
    return "unknown" if value is None else ("met" if value else "not-met")
