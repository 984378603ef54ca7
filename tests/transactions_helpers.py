"""Shared helpers for the transaction tests: a small party list, sheets, a transaction
written from parts, and the bundled data read once per test session."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from chipclass.destinations import DestinationData, bundled
from chipclass.editions import Registry
from chipclass.parties.lists import load_list
from chipclass.parties.model import Snapshot
from chipclass.transaction import law
from chipclass.transaction.determine import Determination, determine
from chipclass.transaction.load import parse_transaction

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "transactions"
SPECS = ROOT / "specs"

#: two listed entities with different review policies, names far from every other name
LIST_TOML = """\
format = "chipclass-parties/1"

[snapshot]
id = "test-list"
list = "Entity List"
title = "test list"
as_of = 2030-01-01

[[entry]]
id = "zephyrion"
name = "Zephyrion Quantum Works"
country = "CN"
list = "Entity List"
license_requirement = "For all items subject to the EAR."
license_policy = "Presumption of denial."
federal_register = ["99 FR 1, 1/1/25"]
added = 2020-01-01
text_kind = "paraphrase"
sources = ["https://example.org/zephyrion"]

[[entry]]
id = "borealith"
name = "Borealith Metallurgy"
country = "CN"
list = "Entity List"
license_requirement = "For all items subject to the EAR."
license_policy = "Case-by-case review."
federal_register = ["99 FR 2, 1/2/25"]
added = 2020-01-01
text_kind = "paraphrase"
sources = ["https://example.org/borealith"]

[[entry]]
id = "calderix"
name = "Calderix Optoelectronics"
country = "CN"
list = "Entity List"
license_requirement = "For all items subject to the EAR."
license_policy = "Presumption of denial."
federal_register = ["99 FR 3, 1/3/25"]
added = 2020-01-01
text_kind = "paraphrase"
sources = ["https://example.org/calderix"]
"""

#: a non-datacenter part with TPP 50 x 64 = 3200 < 4800: outside 3A090 (Note 2), with an
#: FP64 figure of 50 TFLOPS and FP32 of 60 (2000 of them: exactly 100 PF FP64)
FP64_SHEET = """\
format = "chipclass/1"

[chip]
id = "test-fp64"
name = "Test FP64 part"
vendor = "Test"
datacenter = false

[performance]
fp64 = 50
fp32 = 60

[[die]]
name = "die"
area_mm2 = 800
"""


@cache
def places() -> DestinationData:
    return bundled()


@cache
def book() -> law.LawBook:
    return law.bundled()


@cache
def registry() -> Registry:
    return Registry()


def write_list(folder: Path) -> Path:
    path = folder / "list.toml"
    path.write_text(LIST_TOML, encoding="utf-8")
    return path


def small_list(folder: Path) -> Snapshot:
    return load_list(write_list(folder))


def resolve(text: str) -> str:
    return places().resolve(text).code


def transaction_text(
    *,
    sheet: str,
    count: int = 10,
    destination: str = "DE",
    date: str = "2026-12-01",
    parties: str = "",
    entities: str = "",
    end_use: str = "",
    certifications: str = "",
    extra_items: str = "",
) -> str:
    party = (
        parties
        or '[[party]]\nrole = "end-user"\nname = "Plainfield Analytics GmbH"\ncountry = "DE"\n'
    )
    return (
        'format = "chipclass-transaction/1"\n\n'
        f'[transaction]\nid = "t"\ndate = {date}\ndestination = "{destination}"\n\n'
        f'[[item]]\nsheet = "{sheet}"\ncount = {count}\n\n{extra_items}\n{party}\n{entities}\n'
        f"{end_use}\n{certifications}\n"
    )


def decide(
    text: str,
    folder: Path,
    lists: list[Snapshot] | None = None,
    as_of: dt.date | None = None,
    name: str = "t.toml",
) -> Determination:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    tx = parse_transaction(text, str(path), resolve)
    chosen = lists if lists is not None else [load_list(None)]
    return determine(
        tx, lists=chosen, law=book(), places=places(), registry=registry(), as_of=as_of
    )
