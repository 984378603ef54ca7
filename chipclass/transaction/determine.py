"""items (verdicts) + parties (matches, ownership) + end use -> one dated determination.

The label is the most severe of the reasons (chipclass.transaction.reasons.combine); red
flags and the not-enforced us-2025-01 figures are listed apart and never change it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from chipclass.classify import classify
from chipclass.destinations import DestinationData
from chipclass.editions import Edition, Registry
from chipclass.parties.model import Snapshot
from chipclass.scoped import for_destination
from chipclass.transaction.affiliates import Standing, affiliates, standings
from chipclass.transaction.certifications import certification_reasons
from chipclass.transaction.context import Classified, Context
from chipclass.transaction.diffusion import diffusion_reported
from chipclass.transaction.headquarters import headquarters_reasons, parent_flags
from chipclass.transaction.items import item_reasons
from chipclass.transaction.law import LawBook
from chipclass.transaction.model import Transaction, name_key
from chipclass.transaction.parties import listing_reasons, related_flags
from chipclass.transaction.reasons import Reason, RedFlag, Reported, combine
from chipclass.transaction.remote import remote_flags
from chipclass.transaction.screening import screen_names
from chipclass.transaction.supercomputer import supercomputer


@dataclass(frozen=True)
class Determination:
    transaction: Transaction
    day: dt.date
    label: str
    possible: tuple[str, ...]  # when indeterminate: the labels it could be
    reasons: tuple[Reason, ...]
    red_flags: tuple[RedFlag, ...]
    not_enforced: tuple[Reported, ...]
    context: Context
    standings: dict[str, Standing] = field(default_factory=dict)
    end_use: dict[str, object] = field(default_factory=dict)

    @property
    def editions(self) -> tuple[Edition, ...]:
        return (self.context.edition,)


def determine(
    tx: Transaction,
    *,
    lists: Sequence[Snapshot],
    law: LawBook,
    places: DestinationData,
    registry: Registry,
    as_of: dt.date | None = None,
) -> Determination:
    """The determination for the transaction's date (or `as_of`)."""
    day = as_of or tx.date
    edition = registry.in_force(day)  # LookupError before the first edition
    destination = places.resolve(tx.destination)
    narrowed = for_destination(edition, destination.code, day, places)
    classified = []
    for item in tx.items:
        if item.spec is None:
            continue
        # classified as the engine reads a part outside a transaction: the 2026 relief's
        # certifications assumed, so the labels and clauses say what the part can get and
        # which 3A090 paragraph it meets; the certification reasons judge the
        # certifications themselves, once, from [certifications]
        result = classify(item.spec, (narrowed, edition))
        destination_verdict, listed = result.verdicts
        certified = destination_verdict.decision.clauses
        classified.append(Classified(item, destination_verdict, listed, result, certified))
    names = [(c.name, c.country) for c in tx.companies()]
    screened = screen_names(lists, names, day)
    ctx = Context(
        tx=tx,
        day=day,
        law=law,
        places=places,
        destination=destination,
        edition=edition,
        narrowed=narrowed,
        classified=tuple(classified),
        screened={name_key(s.name): s for s in screened},
        lists=tuple(lists),
    )
    reasons: list[Reason] = item_reasons(ctx)
    reasons.extend(certification_reasons(ctx))
    reasons.extend(listing_reasons(ctx))
    owned, owner_flags = affiliates(ctx)
    reasons.extend(owned)
    reasons.extend(headquarters_reasons(ctx))
    big, big_flags, summary = supercomputer(ctx)
    reasons.extend(big)
    flags = [
        *stale_lists(ctx),
        *related_flags(ctx),
        *owner_flags,
        *big_flags,
        *parent_flags(ctx),
        *remote_flags(ctx),
    ]
    label, possible = combine(reasons)
    return Determination(
        transaction=tx,
        day=day,
        label=label,
        possible=possible,
        reasons=tuple(reasons),
        red_flags=tuple(flags),
        not_enforced=tuple(diffusion_reported(ctx)),
        context=ctx,
        standings=standings(ctx),
        end_use=summary,
    )


def stale_lists(ctx: Context) -> list[RedFlag]:
    """A list older than the day cannot show entries added since: say so."""
    found = []
    for snapshot in ctx.lists:
        if snapshot.as_of is not None and snapshot.as_of < ctx.day:
            found.append(
                RedFlag(
                    kind="list-older-than-day",
                    text=f"the list {snapshot.name!r} ({snapshot.path}) is as of {snapshot.as_of},"
                    f" before {ctx.day}: entries added since are not in it; screen against a"
                    " current Consolidated Screening List (--list)",
                    subject="lists",
                    source=snapshot.url or "",
                    citation=f"sha256 {snapshot.sha256[:12]}",
                    since=snapshot.as_of,
                )
            )
    return found
