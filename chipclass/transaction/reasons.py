"""What a determination is made of: reasons (each with its rule, citation and the numbers
compared), red flags (listed apart, never license requirements), and the us-2025-01
figures reported as not enforced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from chipclass.editions import COMPARE

LABELS: Final = ("exportable", "license-required", "restricted")
INDETERMINATE: Final = "indeterminate"
_RANK: Final = {label: rank for rank, label in enumerate(LABELS)}


@dataclass(frozen=True)
class Compared:
    """One number compared with one threshold: `value op threshold`, exactly."""

    what: str  # "aggregate FP64", "listed ownership", "TPP"
    value: Fraction | None  # None: unknown
    op: str  # >=, >, <, <=
    threshold: Fraction
    unit: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.value is None else COMPARE[self.op](self.value, self.threshold)

    @property
    def margin(self) -> Fraction | None:
        return None if self.value is None else self.value - self.threshold

    @property
    def margin_pct(self) -> Fraction | None:
        margin = self.margin
        if margin is None or self.threshold == 0:
            return None
        return margin * 100 / self.threshold


@dataclass(frozen=True)
class Reason:
    """One ground of the determination, with the label it carries."""

    kind: str  # item | certifications | entity-list | affiliates | headquarters | supercomputer
    rule: str  # the rule in the regulation's words: "15 CFR 744.11(a)(1) (Affiliates Rule)"
    label: str  # one of the four labels
    text: str  # what the reason says, in one sentence
    subject: str  # what it is about: an item, a party
    citation: str
    url: str
    text_kind: str | None = None  # of the rule text it rests on
    rule_text: str | None = None  # that text
    numbers: tuple[Compared, ...] = ()
    possible: tuple[str, ...] = ()  # indeterminate: the labels it could be
    status: str = "in-force"
    date_note: str | None = None  # the dates of the rule, as read for the day


@dataclass(frozen=True)
class RedFlag:
    """A fact to resolve before shipping; not a license requirement by itself."""

    kind: str
    text: str
    subject: str
    source: str  # URL
    citation: str
    since: dt.date | None = None
    status: str = "red-flag"


@dataclass(frozen=True)
class Reported:
    """A figure of a rule that is not enforced (us-2025-01), reported for the record."""

    kind: str  # 4E091 | lpp | country-cap
    rule: str
    text: str
    subject: str
    citation: str
    url: str
    status: str  # not-enforced
    numbers: tuple[Compared, ...] = ()
    would_be: str | None = None  # the label it would carry were it enforced


def rank(label: str) -> int:
    return _RANK[label]


def most_severe(labels: Iterable[str]) -> str:
    return max(labels, key=rank, default="exportable")


def combine(reasons: Sequence[Reason]) -> tuple[str, tuple[str, ...]]:
    """The determination's label (the most severe reason wins) and, when indeterminate,
    the labels it could be. A known `restricted` settles it; an unknown that could only
    reach labels at or below the known worst changes nothing."""
    known = most_severe(r.label for r in reasons if r.label != INDETERMINATE)
    unknown = [r for r in reasons if r.label == INDETERMINATE]
    possible = {known}
    for reason in unknown:
        possible.update(reason.possible or LABELS)
    if max(rank(p) for p in possible) > rank(known):
        ordered = tuple(sorted((p for p in possible if rank(p) >= rank(known)), key=rank))
        return INDETERMINATE, ordered
    return known, ()


def ceiling(label: str, possible: Sequence[str]) -> int:
    """How severe a label can be: for indeterminate, its most severe possible label."""
    if label == INDETERMINATE:
        return max((rank(p) for p in possible), default=rank("restricted"))
    return rank(label)
