"""The supercomputer end use (15 CFR 744.23(a)(2), 772.1): a system of 100 or more
double-precision (64-bit) petaflops or 200 or more single-precision (32-bit) petaflops
within 41,600 cubic feet, located in or destined to the rule's destinations on the day.

Aggregated from the sheets: FP64 is the sheet's `fp64` figure, FP32 its `fp32` figure
(both are the datasheets' peak figures; the rule counts the "maximum theoretical compute
capacity", so where a sheet gives the tensor-core FP64 figure that is the one counted).
TF32 is not counted as single precision (its significand is 10 bits); where counting it
would cross the line, that is a red flag. A missing figure is unknown, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from chipclass.numbers import show
from chipclass.transaction.context import Classified, Context
from chipclass.transaction.law import Fact
from chipclass.transaction.reasons import INDETERMINATE, Compared, Reason, RedFlag

TERA_PER_PETA = 1000


@dataclass(frozen=True)
class Aggregate:
    """A precision's total over the items, in PF: known part, and whether all is known."""

    precision: str
    known_pf: Fraction
    complete: bool
    missing: tuple[str, ...]  # items without the figure

    @property
    def value(self) -> Fraction | None:
        return self.known_pf if self.complete else None


def aggregate(classified: tuple[Classified, ...], precision: str) -> Aggregate:
    total = Fraction(0)
    missing: list[str] = []
    for found in classified:
        spec = found.item.spec
        figure = (
            next((t for t in spec.throughput if t.precision == precision), None) if spec else None
        )
        if figure is None:
            missing.append(found.item.key)
            continue
        total += figure.tops * found.item.count / TERA_PER_PETA
    return Aggregate(precision, total, not missing, tuple(missing))


def supercomputer(ctx: Context) -> tuple[list[Reason], list[RedFlag], dict[str, object]]:
    """The reason (where the rule reaches the destination), red flags, and the figures
    for the report (always given, reached or not)."""
    fact = ctx.law.holding("supercomputer", ctx.day)
    fp64 = aggregate(ctx.classified, "fp64")
    fp32 = aggregate(ctx.classified, "fp32")
    tf32 = aggregate(ctx.classified, "tf32")
    summary: dict[str, object] = {"fp64": fp64, "fp32": fp32, "fact": fact}
    if fact is None or not ctx.classified:
        return [], [], summary
    line64 = fact.figure("fp64_pf")
    line32 = fact.figure("fp32_pf")
    envelope = fact.figure("envelope_ft3")
    volume = ctx.tx.end_use.volume_ft3
    c64 = _compared("aggregate FP64", fp64, line64)
    c32 = _compared("aggregate FP32", fp32, line32)
    cvol = Compared("envelope", volume, "<=", envelope, "ft3")
    crosses = _any(c64, c32)
    is_super = _all(crosses, cvol.met)
    reaches = _reaches(ctx, fact)
    summary.update(reaches=reaches, supercomputer=is_super)
    flags: list[RedFlag] = []
    if tf32.complete and tf32.known_pf >= line32 and c32.met is False and reaches:
        flags.append(
            RedFlag(
                kind="supercomputer-tf32",
                text=f"counting TF32 as single precision would give {show(tf32.known_pf)} PF"
                f" >= {show(line32)} PF; chipclass counts IEEE FP32 only"
                f" ({show(fp32.known_pf)} PF)",
                subject="items",
                source=fact.url,
                citation=fact.citation,
                since=fact.start,
            )
        )
    if ctx.tx.end_use.kind == "supercomputer" and is_super is not True:
        flags.append(
            RedFlag(
                kind="supercomputer-end-use",
                text="the end use is declared a supercomputer; these items alone do not show"
                " the line crossed: the whole system's capacity decides",
                subject="end use",
                source=fact.url,
                citation=fact.citation,
                since=fact.start,
            )
        )
    if not reaches:
        return [], flags, summary
    where = (
        f"{ctx.destination.label}"
        if reaches == "destination"
        else "a party headquartered in D:5 or Macau"
    )
    numbers = (c64, c32, cvol)
    possible: tuple[str, ...] = ()
    if is_super is True:
        label = "restricted"
        text = (
            f"the items make a supercomputer for {where}: {_line(c64)}, {_line(c32)}, {_line(cvol)}"
        )
    elif is_super is False:
        label = "exportable"
        text = (
            f"below the supercomputer line for {where}: {_line(c64)}, {_line(c32)}, {_line(cvol)}"
        )
    else:
        label, possible = INDETERMINATE, ("exportable", "restricted")
        gaps = [
            *(f"{k} lacks fp64" for k in fp64.missing),
            *(f"{k} lacks fp32" for k in fp32.missing),
        ]
        if volume is None:
            gaps.append("no [end_use] volume_ft3")
        text = (
            f"whether the items make a supercomputer for {where} is unknown"
            f" ({'; '.join(gaps)}): {_line(c64)}, {_line(c32)}"
        )
    return (
        [
            Reason(
                kind="supercomputer",
                rule="15 CFR 744.23(a)(2), 772.1 'supercomputer'",
                label=label,
                text=text,
                subject="items",
                citation=fact.citation,
                url=fact.url,
                text_kind=fact.text_kind,
                rule_text=fact.text,
                numbers=numbers,
                possible=possible,
                date_note=f"{fact.status} {fact.window()}; reaches {', '.join(fact.destinations)}",
            )
        ],
        flags,
        summary,
    )


def _reaches(ctx: Context, fact: Fact) -> str | None:
    dest = ctx.places.resolve(ctx.tx.destination)
    if ctx.places.in_groups(dest, fact.destinations, on=ctx.day):
        return "destination"
    if "D:5" in fact.destinations and any(ctx.in_d5_or_macau(p.hq) for p in ctx.tx.parties):
        return "headquarters"
    return None


def _compared(what: str, found: Aggregate, line: Fraction) -> Compared:
    """The aggregate against its line; an incomplete sum that already reaches the line is
    enough (the missing figures can only add)."""
    known = found.complete or found.known_pf >= line
    return Compared(what, found.known_pf if known else None, ">=", line, "PF")


def _line(compared: Compared) -> str:
    value = show(compared.value, 2) if compared.value is not None else "unknown"
    unit = compared.unit
    line = f"{show(compared.threshold)} {unit}"
    return f"{compared.what} {value} {unit} {compared.op} {line}: {_word(compared.met)}"


def _word(met: bool | None) -> str:
    return "unknown" if met is None else ("met" if met else "not met")


def _any(a: Compared, b: Compared) -> bool | None:
    values = (a.met, b.met)
    if True in values:
        return True
    return None if None in values else False


def _all(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True
