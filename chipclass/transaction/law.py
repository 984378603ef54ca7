"""The law a transaction reads beyond the chip editions, as dated facts.

`data/transaction-law.toml` holds one [[fact]] per dated window of a topic (the
Affiliates Rule in force, suspended, in force again; the supercomputer rule's reach; the
proposed KYC rule; ...). `LawBook.holding(topic, day)` is the one function that compares
those dates: it answers "what held on this day", and None before a topic's first window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any, Final

from chipclass import tomldata

LAW_FILE: Final = Path(__file__).parent.parent / "data" / "transaction-law.toml"
LAW_FORMAT: Final = "chipclass-law/1"
STATUSES: Final = ("in-force", "suspended", "not-enforced", "proposed", "guidance", "bill")
TEXT_KINDS: Final = ("verbatim", "quoted", "paraphrase", "press-report")
_FACT_KEYS: Final = (
    "topic",
    "id",
    "status",
    "from",
    "until",
    "citation",
    "url",
    "text",
    "text_kind",
    "note",
    "date_note",
    "destinations",
    "figures",
)


class LawError(Exception):
    """A law data file that cannot be used; the message names the file and the key."""


# the field checks of chipclass.tomldata, raising this file's error
_text = partial(tomldata.text, error=LawError)
_no_unknown = partial(tomldata.no_unknown, error=LawError)
_optional = partial(tomldata.optional_text, error=LawError)
_date = partial(tomldata.date, error=LawError, example="2025-09-29")


@dataclass(frozen=True)
class Fact:
    """One dated window of one topic of the law, with its source."""

    topic: str
    id: str
    status: str
    start: dt.date | None  # None: on every modelled day (date_note says why)
    until: dt.date | None  # exclusive; None: still holds
    citation: str
    url: str
    text: str
    text_kind: str
    note: str | None = None
    date_note: str | None = None
    destinations: tuple[str, ...] = ()
    figures: Mapping[str, Fraction] | None = None

    @property
    def in_force(self) -> bool:
        return self.status == "in-force"

    def figure(self, name: str) -> Fraction:
        if self.figures is None or name not in self.figures:
            raise KeyError(f"{self.id}: no figure {name!r}")
        return self.figures[name]

    def window(self) -> str:
        """`2025-11-10 to 2026-11-09`, `from 2026-11-10`."""
        if self.until is None:
            return f"from {self.start}" if self.start is not None else "on every day modelled"
        last = self.until - dt.timedelta(days=1)
        return f"{self.start} to {last}" if self.start is not None else f"until {last}"


@dataclass(frozen=True)
class LawBook:
    """Every fact of the law file, by topic, windows in date order."""

    source: str
    topics: Mapping[str, tuple[Fact, ...]]

    def holding(self, topic: str, day: dt.date) -> Fact | None:
        """The fact of `topic` that held on `day` (None: nothing did). The one place that
        compares a fact's dates."""
        for fact in self.topic(topic):
            if (fact.start is None or fact.start <= day) and (
                fact.until is None or day < fact.until
            ):
                return fact
        return None

    def topic(self, topic: str) -> tuple[Fact, ...]:
        found = self.topics.get(topic)
        if found is None:
            raise LookupError(f"{self.source}: no topic {topic!r}")
        return found

    def next_after(self, topic: str, day: dt.date) -> Fact | None:
        """The first window of `topic` starting after `day` (to say what comes next)."""
        return next((f for f in self.topic(topic) if f.start is not None and f.start > day), None)


def bundled() -> LawBook:
    """The law file shipped with chipclass, read and checked (each call reads it: keep it)."""
    try:
        text = LAW_FILE.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LawError(f"{LAW_FILE}: cannot read: {error}") from None
    return parse(text, str(LAW_FILE))


def parse(text: str, source: str) -> LawBook:
    data = tomldata.load(text, source, LawError, exact=False)
    _no_unknown(data, ("format", "fact"), source)
    if data.get("format") != LAW_FORMAT:
        raise LawError(f'{source}: format must be "{LAW_FORMAT}"')
    raw = data.get("fact")
    if not isinstance(raw, list) or not raw:
        raise LawError(f"{source}: at least one [[fact]] is required")
    topics: dict[str, list[Fact]] = {}
    ids: set[str] = set()
    for number, table in enumerate(raw, start=1):
        fact = _fact(table, f"{source}: [[fact]] #{number}")
        if fact.id in ids:
            raise LawError(f"{source}: [[fact]] #{number} id: {fact.id!r} is used twice")
        ids.add(fact.id)
        topics.setdefault(fact.topic, []).append(fact)
    ordered: dict[str, tuple[Fact, ...]] = {}
    for topic, facts in topics.items():
        facts.sort(key=lambda f: f.start or dt.date.min)
        for before, after in pairwise(facts):
            if before.until is None or (after.start is not None and after.start < before.until):
                raise LawError(f"{source}: topic {topic!r}: {after.id} overlaps {before.id}")
        ordered[topic] = tuple(facts)
    return LawBook(source, ordered)


def _fact(table: Any, where: str) -> Fact:
    if not isinstance(table, dict):
        raise LawError(f"{where}: must be a table")
    _no_unknown(table, _FACT_KEYS, where)
    status = table.get("status")
    if status not in STATUSES:
        raise LawError(f"{where} status: must be one of {', '.join(STATUSES)}")
    kind = table.get("text_kind")
    if kind not in TEXT_KINDS:
        raise LawError(f"{where} text_kind: must be one of {', '.join(TEXT_KINDS)}")
    start = _date(table, "from", where)
    until = _date(table, "until", where)
    if start is not None and until is not None and until <= start:
        raise LawError(f"{where} until: {until} is not after from {start}")
    date_note = _optional(table, "date_note", where)
    if start is None and date_note is None:
        raise LawError(f"{where} from: required, or a date_note saying why it is not sourced")
    places = table.get("destinations", [])
    if not isinstance(places, list) or not all(isinstance(p, str) for p in places):
        raise LawError(f"{where} destinations: must be a list of groups or codes")
    return Fact(
        topic=_text(table, "topic", where),
        id=_text(table, "id", where),
        status=status,
        start=start,
        until=until,
        citation=_text(table, "citation", where),
        url=_text(table, "url", where),
        text=_text(table, "text", where),
        text_kind=kind,
        note=_optional(table, "note", where),
        date_note=date_note,
        destinations=tuple(places),
        figures=_figures(table.get("figures", {}), f"{where} figures"),
    )


def _figures(value: Any, where: str) -> dict[str, Fraction]:
    if not isinstance(value, dict):
        raise LawError(f"{where}: must be a table of numbers")
    found: dict[str, Fraction] = {}
    for key, number in value.items():
        if isinstance(number, bool) or not isinstance(number, (int, str)):
            raise LawError(f"{where} {key}: an integer or a decimal string (exact), not {number!r}")
        try:
            found[key] = Fraction(Decimal(number)) if isinstance(number, str) else Fraction(number)
        except (InvalidOperation, ValueError):
            raise LawError(f"{where} {key}: {number!r} is not a number") from None
    return found
