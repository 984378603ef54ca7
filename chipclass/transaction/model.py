"""The values a transaction file is read into (spec-format.md section 10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final

from chipclass.spec import ChipSpec, Problem

TRANSACTION_FORMAT: Final = "chipclass-transaction/1"
ROLES: Final = ("consignee", "end-user", "purchaser", "intermediate")
END_USES: Final = ("datacenter", "iaas", "supercomputer", "research", "other")
#: the exporter's certifications for the 2026 case-by-case review (91 FR 1684), yes/no
CERTIFICATION_FLAGS: Final = (
    "us_supply",
    "foundry_capacity",
    "security_procedures",
    "third_party_tested",
    "kyc_remote_access",
)
#: the one certification given as a figure: China/Macau shipments as % of U.S. shipments
SHARE_KEY: Final = "share_of_us_shipments_pct"
#: every certification id the determination reports, in the rule's order
CERTIFICATION_IDS: Final = (
    "us_supply",
    "foundry_capacity",
    "security_procedures",
    "third_party_tested",
    "share_of_us_shipments",
    "kyc_remote_access",
)


class TransactionError(Exception):
    """A transaction file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Owner:
    name: str
    share_pct: Fraction | None  # None: the share is not known (Red Flag 29 if listed)


@dataclass(frozen=True)
class Company:
    """A party to the transaction (role given) or another company of the ownership graph."""

    name: str
    country: str | None  # ISO code; None for an owner the file only names
    headquarters: str | None  # ISO code of the ultimate parent's headquarters
    owners: tuple[Owner, ...]
    role: str | None  # None: an [[entity]] (or an owner named only in `owners`)
    key: str  # where it is in the file: "party[1]", "entity[2]", "party[1].owners[1]"

    @property
    def hq(self) -> str | None:
        """Where the company counts as headquartered (default: its own country)."""
        return self.headquarters or self.country


@dataclass(frozen=True)
class Item:
    """One line of the order: chips, servers of chips, or model weights."""

    key: str  # "item[1]"
    kind: str  # "chip" | "server" | "model"
    sheet: str | None = None  # the path as written in the file
    spec: ChipSpec | None = None
    count: int = 0  # chips (servers: units x chips_per_unit)
    units: int | None = None
    chips_per_unit: int | None = None
    model: str | None = None
    training_operations: Fraction | None = None
    published_weights: bool | None = None

    @property
    def name(self) -> str:
        if self.spec is not None:
            return self.spec.name
        return self.model or self.key


@dataclass(frozen=True)
class EndUse:
    kind: str | None = None
    remote_users: tuple[str, ...] = ()  # ISO codes
    volume_ft3: Fraction | None = None


@dataclass(frozen=True)
class Certifications:
    """The exporter's statements; a missing one is unknown (None), never assumed."""

    flags: dict[str, bool | None] = field(default_factory=dict)
    share_of_us_shipments_pct: Fraction | None = None
    given: bool = False  # the file has a [certifications] table


@dataclass(frozen=True)
class Transaction:
    path: str
    id: str
    date: dt.date
    destination: str  # ISO code
    items: tuple[Item, ...]
    parties: tuple[Company, ...]
    entities: tuple[Company, ...]  # [[entity]] and owners named only in `owners`
    end_use: EndUse
    certifications: Certifications
    date_given: bool = True  # False: no date in the file (today was used)

    def companies(self) -> tuple[Company, ...]:
        return (*self.parties, *self.entities)

    def company(self, name: str) -> Company | None:
        wanted = name_key(name)
        return next((c for c in self.companies() if name_key(c.name) == wanted), None)


def name_key(name: str) -> str:
    """How names in one file refer to each other: case and spacing do not matter."""
    return " ".join(name.casefold().split())
