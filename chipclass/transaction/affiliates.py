"""The Affiliates Rule (15 CFR 744.11(a)(1), FR Doc 2025-19001): a foreign entity owned
50 % or more, individually or in the aggregate, by listed entities is itself subject to
their restrictions. Aggregated along the ownership graph as OFAC does: an owner that is
itself captured passes its capture down; an owner that is not captured does not. The
rule's windows (in force, suspended, in force again) are read from the law data."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from chipclass.numbers import show
from chipclass.transaction.context import Context
from chipclass.transaction.law import Fact
from chipclass.transaction.model import Company, name_key
from chipclass.transaction.parties import policy_label
from chipclass.transaction.reasons import INDETERMINATE, Compared, Reason, RedFlag, most_severe

THRESHOLD_PCT = Fraction(50)


@dataclass(frozen=True)
class Standing:
    """A company's place in the graph: listed itself, captured (None: unknown shares could
    decide), the aggregate share its listed or captured owners hold, and why."""

    company: Company
    listed: bool
    captured: bool | None
    aggregate: Fraction
    unknown: tuple[str, ...]  # listed or captured owners whose share is not known
    label: str  # the most restrictive owner's label (for a captured company)
    chain: tuple[str, ...]  # listed companies up the graph, in words, for the red flags
    foreign: bool


def standings(ctx: Context, threshold: Fraction = THRESHOLD_PCT) -> dict[str, Standing]:
    """Every company's standing, by name key (the graph is acyclic: the loader checks)."""
    by_name = {name_key(c.name): c for c in ctx.tx.companies()}
    done: dict[str, Standing] = {}

    def visit(company: Company) -> Standing:
        key = name_key(company.name)
        if key in done:
            return done[key]
        screened = ctx.screening(company)
        listings = screened.listings if screened is not None else ()
        listed = bool(listings)
        labels = [policy_label(listing.entry) for listing in listings]
        aggregate = Fraction(0)
        unknown: list[str] = []
        open_share = Fraction(0)  # known shares of owners that could be captured
        share_unknown = False  # a listed or possibly captured owner's share is not known
        owner_labels: list[str] = []
        chain: list[str] = []
        for owner in company.owners:
            other = by_name.get(name_key(owner.name))
            if other is None:  # pragma: no cover - the loader adds every named owner
                continue
            standing = visit(other)
            share = owner.share_pct
            shown = "share unknown" if share is None else f"{show(share)} %"
            if standing.listed:
                chain.append(f"{other.name} (listed) owns {shown} of {company.name}")
            for link in standing.chain:
                chain.append(f"{link}, which owns {shown} of {company.name}")
            if standing.listed or standing.captured is True:
                owner_labels.append(standing.label)
                if share is None:
                    unknown.append(other.name)
                    share_unknown = True
                else:
                    aggregate += share
            elif standing.captured is None:
                owner_labels.append(standing.label)
                unknown.append(other.name)
                if share is None:
                    share_unknown = True
                else:
                    open_share += share
        foreign = company.country != "US"  # unknown country: foreign (does not understate)
        if not foreign:
            captured: bool | None = False
        elif aggregate >= threshold:
            captured = True
        elif unknown and aggregate + open_share + _room(company, share_unknown) >= threshold:
            captured = None  # the shares not known could make it captured
        else:
            captured = False
        label = most_severe([*labels, *owner_labels]) if (labels or owner_labels) else "restricted"
        found = Standing(
            company, listed, captured, aggregate, tuple(unknown), label, tuple(chain), foreign
        )
        done[key] = found
        return found

    for company in ctx.tx.companies():
        visit(company)
    return done


def _room(company: Company, share_unknown: bool) -> Fraction:
    """How much the owners of unknown share could hold at most: what the known shares
    leave, where some listed or possibly captured owner's share is unknown; else nothing
    (the shares of owners that are neither listed nor captured never count)."""
    if not share_unknown:
        return Fraction(0)
    known = sum((o.share_pct for o in company.owners if o.share_pct is not None), Fraction(0))
    return max(Fraction(0), 100 - known)


def affiliates(ctx: Context) -> tuple[list[Reason], list[RedFlag]]:
    fact = ctx.law.holding("affiliates-rule", ctx.day)
    threshold = fact.figure("threshold_pct") if fact is not None else THRESHOLD_PCT
    found = standings(ctx, threshold)
    reasons: list[Reason] = []
    flags: list[RedFlag] = []
    for party in ctx.tx.parties:
        standing = found[name_key(party.name)]
        compared = Compared(
            "listed ownership (aggregate)", standing.aggregate, ">=", threshold, "%"
        )
        if standing.captured is True:
            _captured(ctx, fact, standing, compared, reasons, flags)
        elif standing.captured is None:
            _unknown(ctx, fact, standing, compared, reasons, flags)
        elif standing.chain or standing.aggregate > 0:
            where = "; ".join(standing.chain)
            why = (
                "not foreign (a U.S. entity)"
                if not standing.foreign
                else (
                    f"listed ownership {show(standing.aggregate)} % < {show(threshold)} %; a share"
                    " held through an owner that is not captured does not pass down"
                )
            )
            flags.append(
                RedFlag(
                    kind="listed-owner",
                    text=f"{party.name!r} is not captured by the Affiliates Rule ({why}), but"
                    f" listed parties stand in its ownership: {where}",
                    subject=party.name,
                    source=fact.url if fact else "",
                    citation=fact.citation if fact else "15 CFR 744.11(a)(1)",
                )
            )
    return reasons, flags


def _window(ctx: Context, fact: Fact | None) -> str:
    if fact is None:
        first = ctx.law.next_after("affiliates-rule", ctx.day)
        return f"not yet in force on {ctx.day} (from {first.start})" if first else "not in force"
    again = ctx.law.next_after("affiliates-rule", ctx.day)
    later = f"; {again.status} from {again.start}" if again is not None else ""
    return f"{fact.status} {fact.window()} ({fact.citation}){later}"


def _captured(
    ctx: Context,
    fact: Fact | None,
    standing: Standing,
    compared: Compared,
    reasons: list[Reason],
    flags: list[RedFlag],
) -> None:
    name = standing.company.name
    text = (
        f"{name!r} is owned {show(standing.aggregate)} % by listed or captured entities"
        f" (>= {show(compared.threshold)} %): {'; '.join(standing.chain)}"
    )
    if fact is not None and fact.in_force:
        reasons.append(
            Reason(
                kind="affiliates",
                rule="15 CFR 744.11(a)(1) (Affiliates Rule)",
                label=standing.label,
                text=f"{text}; subject to its owners' Entity List restrictions",
                subject=name,
                citation=fact.citation,
                url=fact.url,
                text_kind=fact.text_kind,
                rule_text=fact.text,
                numbers=(compared,),
                date_note=_window(ctx, fact),
            )
        )
    else:
        flags.append(
            RedFlag(
                kind="affiliates-not-in-force",
                text=f"{text}; the Affiliates Rule is {_window(ctx, fact)}: no license"
                " requirement from it on this day",
                subject=name,
                source=fact.url if fact else "",
                citation=fact.citation if fact else "FR Doc 2025-19001",
                since=fact.start if fact else None,
            )
        )


def _unknown(
    ctx: Context,
    fact: Fact | None,
    standing: Standing,
    compared: Compared,
    reasons: list[Reason],
    flags: list[RedFlag],
) -> None:
    name = standing.company.name
    flag = ctx.law.holding("red-flag-29", ctx.day)
    who = ", ".join(standing.unknown)
    text = (
        f"{name!r}: listed or possibly captured owners of unknown share ({who}); known listed"
        f" ownership {show(standing.aggregate)} %"
    )
    if fact is not None and fact.in_force:
        reasons.append(
            Reason(
                kind="affiliates",
                rule="15 CFR 744.11(a)(1) (Affiliates Rule); Red Flag 29",
                label=INDETERMINATE,
                text=f"{text}: whether it is captured depends on the shares (Red Flag 29)",
                subject=name,
                citation=f"{fact.citation}; {flag.citation}" if flag else fact.citation,
                url=fact.url,
                text_kind=fact.text_kind,
                rule_text=flag.text if flag else fact.text,
                numbers=(compared,),
                possible=("exportable", standing.label),
                date_note=_window(ctx, fact),
            )
        )
    else:
        flags.append(
            RedFlag(
                kind="red-flag-29",
                text=f"{text}; the Affiliates Rule is {_window(ctx, fact)}",
                subject=name,
                source=flag.url if flag else (fact.url if fact else ""),
                citation=flag.citation if flag else "Red Flag 29",
                since=flag.start if flag else None,
            )
        )
