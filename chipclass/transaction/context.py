"""What every rule family reads: the transaction, the day, the law, the destination data,
the items classified and the names screened, worked out once per determination."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from chipclass.classify import Result, Verdict
from chipclass.destinations import Destination, DestinationData
from chipclass.editions import Edition
from chipclass.parties.model import Snapshot
from chipclass.transaction.law import LawBook
from chipclass.transaction.model import Company, Item, Transaction, name_key
from chipclass.transaction.screening import Screened

D5_OR_MACAU = ("D:5", "MO")


@dataclass(frozen=True)
class Classified:
    """A chip or server item under the edition in force: for the destination, and as the
    edition's clauses read for its default destination (which says its ECCN)."""

    item: Item
    verdict: Verdict  # for the transaction's destination
    listed: Verdict  # the edition as written (China): which 3A090 paragraph the part meets
    result: Result  # the engine's result, both verdicts (the destination's first)
    certified: tuple[str, ...] = ()  # the deciding clauses were every certification made

    @property
    def paragraph(self) -> str | None:
        """`3A090.a`, `3A090.b`, or None (outside 3A090.a/.b) for the chip."""
        for prefix in ("3A090.a", "3A090.b"):
            if any(c == prefix or c.startswith(prefix + ".") for c in self.listed.decision.clauses):
                return prefix
        return None

    @property
    def eccn(self) -> str | None:
        """The item's ECCN paragraph: 4A090.x for servers of 3A090.x chips."""
        found = self.paragraph
        if found is None:
            return None
        return found.replace("3A090", "4A090") if self.item.kind == "server" else found


@dataclass(frozen=True)
class Context:
    tx: Transaction
    day: dt.date
    law: LawBook
    places: DestinationData
    destination: Destination
    edition: Edition  # in force on the day, as written
    narrowed: Edition  # read for the destination on the day
    classified: tuple[Classified, ...]
    screened: Mapping[str, Screened]  # by name_key
    lists: tuple[Snapshot, ...]

    def screening(self, company: Company) -> Screened | None:
        return self.screened.get(name_key(company.name))

    def in_d5_or_macau(self, code: str | None) -> bool | None:
        """Whether a country was in D:5 or is Macau on the day (None: not known)."""
        if code is None:
            return None
        return self.places.in_groups(self.places.resolve(code), D5_OR_MACAU, on=self.day)

    def label_of(self, code: str | None) -> str:
        if code is None:
            return "unknown country"
        return self.places.resolve(code).label
