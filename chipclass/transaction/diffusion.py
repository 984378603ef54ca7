"""The us-2025-01 quantities (AI Diffusion Rule, 90 FR 4544), reported and marked not
enforced: License Exception LPP's 26.9 million TPP per consignee per year, the Tier 2
country cap, and 4E091 for model weights. None of them changes the label."""

from __future__ import annotations

from fractions import Fraction

from chipclass.numbers import show
from chipclass.transaction.context import Context
from chipclass.transaction.items import total_tpp
from chipclass.transaction.reasons import Compared, Reported


def diffusion_reported(ctx: Context) -> list[Reported]:
    found: list[Reported] = []
    found.extend(_models(ctx))
    lpp = ctx.law.holding("diffusion-lpp", ctx.day)
    cap = ctx.law.holding("diffusion-country-cap", ctx.day)
    caught = [c for c in ctx.classified if c.paragraph == "3A090.a"]
    if not caught or (lpp is None and cap is None):
        return found
    tpp = sum((total_tpp(c) for c in caught), Fraction(0))
    tier = _tier(ctx)
    consignee = next(
        (p.name for p in ctx.tx.parties if p.role == "consignee"),
        next((p.name for p in ctx.tx.parties if p.role == "end-user"), ctx.tx.parties[0].name),
    )
    if lpp is not None:
        limit = lpp.figure("tpp_per_consignee_year")
        compared = Compared("TPP of this order (3A090.a / 4A090.a)", tpp, "<=", limit, "TPP")
        if tier == "tier 2":
            within = "within" if compared.met else "over"
            text = (
                f"{within} License Exception LPP's {show(limit)} TPP per consignee per year"
                f" ({consignee}; this order only)"
            )
            would = "exportable" if compared.met else "license-required"
        else:
            why = "AIA" if tier == "tier 1" else "D:5 and Macau excluded"
            text = f"{tier}: License Exception LPP not needed or not available ({why})"
            would = None
        found.append(
            Reported(
                "lpp",
                "15 CFR 740.29 (LPP), us-2025-01",
                text,
                consignee,
                lpp.citation,
                lpp.url,
                lpp.status,
                (compared,),
                would,
            )
        )
    if cap is not None and tier == "tier 2":
        limit = cap.figure("tpp_2025_2027")
        compared = Compared("TPP of this order", tpp, "<=", limit, "TPP")
        text = (
            f"Tier 2 country cap {show(limit)} TPP for 2025-2027 ({ctx.destination.label};"
            " this order only, earlier licences not counted)"
        )
        found.append(
            Reported(
                "country-cap",
                "15 CFR 742.6(b)(10) Tier 2 allocation, us-2025-01",
                text,
                ctx.destination.label,
                cap.citation,
                cap.url,
                cap.status,
                (compared,),
                None,
            )
        )
    return found


def _models(ctx: Context) -> list[Reported]:
    fact = ctx.law.holding("4E091", ctx.day)
    if fact is None:
        return []
    threshold = fact.figure("training_operations")
    found = []
    for item in ctx.tx.items:
        if item.kind != "model":
            continue
        compared = Compared(
            "training operations", item.training_operations, ">=", threshold, "operations"
        )
        if item.published_weights:
            text, would = (
                f"{item.name}: published weights are not controlled by 4E091 (Note 1)",
                "exportable",
            )
        elif compared.met is None:
            text, would = f"{item.name}: training operations not given", None
        elif compared.met:
            unknown = (
                " (published_weights not given: read as unpublished)"
                if item.published_weights is None
                else ""
            )
            text, would = (
                f"{item.name}: 4E091 would require a license to any destination{unknown}",
                "license-required",
            )
        else:
            text, would = f"{item.name}: below 4E091's {sci(threshold)} operations", "exportable"
        found.append(
            Reported(
                "4E091",
                "4E091 (us-2025-01)",
                text,
                item.key,
                fact.citation,
                fact.url,
                fact.status,
                (compared,),
                would,
            )
        )
    return found


def _tier(ctx: Context) -> str:
    dest = ctx.places.resolve(ctx.tx.destination)
    if ctx.in_d5_or_macau(dest.code):
        return "tier 3"
    if dest.code == "US" or "tier1" in ctx.places.groups_on(dest, ctx.day):
        return "tier 1"
    return "tier 2"


def sci(value: Fraction) -> str:
    """10^26, 3 x 10^26: a large exact figure for reading."""
    if value.denominator != 1 or value < 10**6:
        return show(value)
    digits = str(value.numerator)
    mantissa = digits.rstrip("0")
    exponent = len(digits) - 1
    if len(mantissa) == 1:
        return f"10^{exponent}" if mantissa == "1" else f"{mantissa} x 10^{exponent}"
    return f"{mantissa[0]}.{mantissa[1:]} x 10^{exponent}"
