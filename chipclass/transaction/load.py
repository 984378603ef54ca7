"""Read and validate a transaction file (format chipclass-transaction/1).

Validated like a sheet: every problem is collected (unknown keys, shares over 100 % per
owner or in sum, ownership cycles, unknown countries, unreadable item sheets), each
naming the file, the key and, where it can be found, the line; then TransactionError
carries them all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import tomli

from chipclass.keylines import KeyLines
from chipclass.problems import another_kind, kind_of, unknown_key
from chipclass.spec import ChipSpec, Problem, SheetError
from chipclass.transaction.model import (
    CERTIFICATION_FLAGS,
    END_USES,
    ROLES,
    SHARE_KEY,
    TRANSACTION_FORMAT,
    Certifications,
    Company,
    EndUse,
    Item,
    Owner,
    Transaction,
    TransactionError,
    name_key,
)

MAX_FILE_BYTES: Final = 1024 * 1024
#: a count above this is refused as implausible (no order ships a billion chips)
MAX_COUNT: Final = 10**9

_TOP_KEYS: Final = ("format", "transaction", "item", "party", "entity", "end_use", "certifications")
_TRANSACTION_KEYS: Final = ("id", "date", "destination", "note")
_ITEM_KEYS: Final = (
    "sheet",
    "count",
    "units",
    "chips_per_unit",
    "model",
    "training_operations",
    "published_weights",
    "note",
)
_PARTY_KEYS: Final = ("role", "name", "country", "headquarters", "owners", "note")
_ENTITY_KEYS: Final = ("name", "country", "headquarters", "owners", "note")
_OWNER_KEYS: Final = ("name", "share_pct")
_END_USE_KEYS: Final = ("kind", "remote_users", "volume_ft3", "note")
_CERT_KEYS: Final = (*CERTIFICATION_FLAGS, SHARE_KEY)

#: an item's number in a key (1-based): [2]
_ITEM: Final = re.compile(r"\[(\d+)\]")

#: resolves a country (code or name) to an ISO code, or raises LookupError
Resolver = Callable[[str], str]
#: reads a chip sheet, or raises SheetError
SheetReader = Callable[[str], ChipSpec]


def load_transaction(
    path: str, resolve: Resolver | None = None, read_sheet: SheetReader | None = None
) -> Transaction:
    """The transaction at `path`; raises TransactionError naming every problem."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise TransactionError([Problem(path, f"cannot read: {error.strerror or error}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise TransactionError([Problem(path, "larger than 1 MiB: not a transaction file")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TransactionError([Problem(path, f"not UTF-8 text: {error.reason}")]) from None
    return parse_transaction(text, path, resolve, read_sheet)


def parse_transaction(
    text: str,
    path: str,
    resolve: Resolver | None = None,
    read_sheet: SheetReader | None = None,
) -> Transaction:
    """Parse a transaction file's text; sheets are read relative to `path`'s folder."""
    try:
        data = tomli.loads(text, parse_float=Decimal)
    except tomli.TOMLDecodeError as error:
        raise TransactionError([Problem(path, f"not valid TOML: {error}")]) from None
    except (RecursionError, ValueError) as error:
        raise TransactionError(
            [Problem(path, f"not usable TOML: {type(error).__name__}")]
        ) from None
    if resolve is None:
        from chipclass.destinations import bundled

        resolve = _resolver(bundled())
    if read_sheet is None:
        from chipclass.files import load_sheet

        read_sheet = load_sheet
    reader = _Reader(path, text, resolve, read_sheet)
    transaction = reader.read(data)
    if reader.problems or transaction is None:
        raise TransactionError(reader.problems)
    return transaction


def _resolver(data: Any) -> Resolver:
    def resolve(text: str) -> str:
        code: str = data.resolve(text).code
        return code

    return resolve


class _Reader:
    def __init__(self, path: str, text: str, resolve: Resolver, read_sheet: SheetReader) -> None:
        self.path = path
        self.lines = KeyLines(text)
        self.resolve = resolve
        self.read_sheet = read_sheet
        self.problems: list[Problem] = []

    # --- problems, with the line where one can be found

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, message, key, self.line_of(key)))

    def line_of(self, key: str) -> int | None:
        """The line of `item[2].count`, `transaction.date`, `party[1].owners[2]`... (items
        are counted from 1 here, from 0 by the locator), or of what holds it."""
        return self.lines.near(_ITEM.sub(lambda m: f"[{int(m.group(1)) - 1}]", key))

    def keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(
                    f"{where}.{key}" if where else key,
                    unknown_key(key, allowed),
                )

    # --- the file

    def read(self, data: dict[str, Any]) -> Transaction | None:
        fmt = data.get("format")
        if fmt is not None and fmt != TRANSACTION_FORMAT:  # another file: that one problem
            other = another_kind(fmt, TRANSACTION_FORMAT)
            shown = repr(fmt) if isinstance(fmt, str) else kind_of(fmt)
            self.fail("format", other or f'{shown}: format must be "{TRANSACTION_FORMAT}"')
            return None
        self.keys(data, _TOP_KEYS, "")
        if fmt is None:
            self.fail("format", f'is required: format = "{TRANSACTION_FORMAT}"')
        head = self.table(data, "transaction")
        self.keys(head, _TRANSACTION_KEYS, "transaction")
        ident = self.text(head, "id", "transaction.id", default=os.path.basename(self.path))
        date_given = "date" in head
        day = self.date(head.get("date"), "transaction.date")
        destination = self.country(head.get("destination"), "transaction.destination", True)
        items = tuple(
            item
            for n, raw in enumerate(self.array(data, "item"), start=1)
            if (item := self.item(raw, f"item[{n}]")) is not None
        )
        if not items and "item" not in data:
            self.fail("item", "at least one [[item]] is required")
        parties = tuple(
            c
            for n, raw in enumerate(self.array(data, "party"), start=1)
            if (c := self.company(raw, f"party[{n}]", True)) is not None
        )
        if not parties and "party" not in data:
            self.fail("party", "at least one [[party]] is required")
        entities = [
            c
            for n, raw in enumerate(self.array(data, "entity"), start=1)
            if (c := self.company(raw, f"entity[{n}]", False)) is not None
        ]
        entities.extend(self.named_owners([*parties, *entities]))
        self.check_graph([*parties, *entities])
        end_use = self.end_use(data.get("end_use"))
        certifications = self.certifications(data.get("certifications"))
        if self.problems or destination is None:
            return None
        return Transaction(
            path=self.path,
            id=ident or os.path.basename(self.path),
            date=day or dt.datetime.now(dt.timezone.utc).date(),
            destination=destination,
            items=items,
            parties=parties,
            entities=tuple(entities),
            end_use=end_use,
            certifications=certifications,
            date_given=date_given,
        )

    # --- items

    def item(self, raw: Any, where: str) -> Item | None:
        if not isinstance(raw, dict):
            self.fail(where, "must be a table ([[item]])")
            return None
        self.keys(raw, _ITEM_KEYS, where)
        if "model" in raw:
            return self.model_item(raw, where)
        sheet = raw.get("sheet")
        if not isinstance(sheet, str) or not sheet.strip():
            self.fail(f"{where}.sheet", "required: the path of a chip sheet (or model = ...)")
            return None
        has_units = "units" in raw or "chips_per_unit" in raw
        if has_units and "count" in raw:
            self.fail(f"{where}.count", "give count (chips) or units and chips_per_unit, not both")
            return None
        if has_units:
            units = self.count(raw.get("units"), f"{where}.units")
            per_unit = self.count(raw.get("chips_per_unit"), f"{where}.chips_per_unit")
            count = units * per_unit if units and per_unit else None
        else:
            units = per_unit = None
            count = self.count(raw.get("count"), f"{where}.count")
        spec = self.sheet(sheet, f"{where}.sheet")
        if spec is None or count is None:
            return None
        kind = "server" if has_units else "chip"
        return Item(where, kind, sheet, spec, count, units, per_unit)

    def model_item(self, raw: dict[str, Any], where: str) -> Item | None:
        for key in ("sheet", "count", "units", "chips_per_unit"):
            if key in raw:
                self.fail(f"{where}.{key}", "a model item has no sheet or count")
        name = self.text(raw, "model", f"{where}.model")
        operations = raw.get("training_operations")
        exact: Fraction | None = None
        if operations is not None:
            if isinstance(operations, bool) or not isinstance(operations, (int, Decimal)):
                self.fail(f"{where}.training_operations", "must be a number such as 3e26")
            elif not Decimal(operations).is_finite() or operations < 0:
                self.fail(f"{where}.training_operations", "must be a finite number, 0 or more")
            else:
                exact = Fraction(operations)
        published = raw.get("published_weights")
        if published is not None and not isinstance(published, bool):
            self.fail(f"{where}.published_weights", "must be true or false")
            published = None
        if name is None:
            return None
        return Item(
            where, "model", model=name, training_operations=exact, published_weights=published
        )

    def sheet(self, sheet: str, where: str) -> ChipSpec | None:
        path = os.path.join(os.path.dirname(self.path), sheet)
        try:
            return self.read_sheet(path)
        except SheetError as error:
            first = error.problems[0] if error.problems else None
            why = f": {first.message}" if first is not None else ""
            self.fail(where, f"the sheet {sheet!r} cannot be read{why}")
            self.problems.extend(error.problems[1:] if first is not None else [])
            return None

    def count(self, value: Any, where: str) -> int | None:
        if value is None:
            self.fail(where, "required: a whole number of 1 or more")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(where, f"{value!r} is not a whole number of 1 or more")
            return None
        if value > MAX_COUNT:
            self.fail(where, f"{value} is more than {MAX_COUNT:,}: not a plausible count")
            return None
        return value

    # --- parties and the ownership graph

    def company(self, raw: Any, where: str, party: bool) -> Company | None:
        if not isinstance(raw, dict):
            self.fail(where, "must be a table")
            return None
        self.keys(raw, _PARTY_KEYS if party else _ENTITY_KEYS, where)
        role: str | None = None
        if party:
            role = raw.get("role")
            if role not in ROLES:
                self.fail(f"{where}.role", f"{role!r}: must be one of {', '.join(ROLES)}")
                role = None
        name = self.text(raw, "name", f"{where}.name")
        country = self.country(raw.get("country"), f"{where}.country", True)
        hq = self.country(raw.get("headquarters"), f"{where}.headquarters", False)
        owners = self.owners(raw.get("owners", []), f"{where}.owners")
        if name is None or (party and role is None):
            return None
        return Company(name, country, hq, owners, role, where)

    def owners(self, raw: Any, where: str) -> tuple[Owner, ...]:
        if not isinstance(raw, list):
            self.fail(where, 'must be a list such as [{ name = "...", share_pct = 60 }]')
            return ()
        found: list[Owner] = []
        total = Fraction(0)
        for n, entry in enumerate(raw, start=1):
            at = f"{where}[{n}]"
            if not isinstance(entry, dict):
                self.fail(at, 'must be a table such as { name = "...", share_pct = 60 }')
                continue
            self.keys(entry, _OWNER_KEYS, at)
            name = self.text(entry, "name", f"{at}.name")
            share = self.share(entry.get("share_pct"), f"{at}.share_pct")
            if share is not None:
                total += share
            if name is not None:
                if any(name_key(o.name) == name_key(name) for o in found):
                    self.fail(f"{at}.name", f"{name!r} is listed twice as an owner")
                found.append(Owner(name, share))
        if total > 100:
            self.fail(where, f"the owners' shares add up to {_pct(total)} %, over 100 %")
        return tuple(found)

    def share(self, value: Any, where: str) -> Fraction | None:
        if value is None:
            return None  # not known
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            self.fail(where, f"{value!r} is not a percentage (0 to 100)")
            return None
        exact = Fraction(value)
        if not Decimal(value).is_finite() or exact < 0 or exact > 100:
            self.fail(where, f"{value} is not a percentage from 0 to 100")
            return None
        return exact

    def named_owners(self, companies: list[Company]) -> list[Company]:
        """Owners named only in `owners`: companies of unknown country, owning nothing."""
        known = {name_key(c.name) for c in companies}
        extra: list[Company] = []
        for company in companies:
            for n, owner in enumerate(company.owners, start=1):
                key = name_key(owner.name)
                if key not in known:
                    known.add(key)
                    extra.append(
                        Company(owner.name, None, None, (), None, f"{company.key}.owners[{n}]")
                    )
        seen: dict[str, str] = {}
        for company in companies:
            key = name_key(company.name)
            if key in seen:
                self.fail(f"{company.key}.name", f"{company.name!r} is already {seen[key]}")
            seen.setdefault(key, company.key)
        return extra

    def check_graph(self, companies: list[Company]) -> None:
        by_name = {name_key(c.name): c for c in companies}
        state: dict[str, int] = {}  # 1 on the path, 2 done

        def visit(company: Company, path: list[str]) -> None:
            key = name_key(company.name)
            state[key] = 1
            for owner in company.owners:
                other = by_name.get(name_key(owner.name))
                if other is None:
                    continue
                mark = state.get(name_key(other.name))
                if mark == 1:
                    chain = " -> ".join([*path, company.name, other.name])
                    self.fail(f"{company.key}.owners", f"ownership cycle: {chain} (owned by)")
                elif mark is None:
                    visit(other, [*path, company.name])
            state[key] = 2

        for company in companies:
            if name_key(company.name) not in state:
                visit(company, [])

    # --- end use and certifications

    def end_use(self, raw: Any) -> EndUse:
        if raw is None:
            return EndUse()
        if not isinstance(raw, dict):
            self.fail("end_use", "must be a table ([end_use])")
            return EndUse()
        self.keys(raw, _END_USE_KEYS, "end_use")
        kind = raw.get("kind")
        if kind is not None and kind not in END_USES:
            self.fail("end_use.kind", f"{kind!r}: must be one of {', '.join(END_USES)}")
            kind = None
        users_raw = raw.get("remote_users", [])
        users: list[str] = []
        if not isinstance(users_raw, list):
            self.fail("end_use.remote_users", 'must be a list of countries such as ["CN"]')
        else:
            for n, value in enumerate(users_raw, start=1):
                code = self.country(value, f"end_use.remote_users[{n}]", True)
                if code is not None and code not in users:
                    users.append(code)
        volume = raw.get("volume_ft3")
        exact: Fraction | None = None
        if volume is not None:
            if isinstance(volume, bool) or not isinstance(volume, (int, Decimal)):
                self.fail("end_use.volume_ft3", f"{volume!r} is not a volume in cubic feet")
            elif not Decimal(volume).is_finite() or volume <= 0:
                self.fail("end_use.volume_ft3", f"{volume} is not a volume above 0")
            else:
                exact = Fraction(volume)
        return EndUse(kind, tuple(users), exact)

    def certifications(self, raw: Any) -> Certifications:
        if raw is None:
            return Certifications({k: None for k in CERTIFICATION_FLAGS})
        if not isinstance(raw, dict):
            self.fail("certifications", "must be a table ([certifications])")
            return Certifications({k: None for k in CERTIFICATION_FLAGS})
        self.keys(raw, _CERT_KEYS, "certifications")
        flags: dict[str, bool | None] = {}
        for key in CERTIFICATION_FLAGS:
            value = raw.get(key)
            if value is not None and not isinstance(value, bool):
                self.fail(f"certifications.{key}", f"{value!r}: must be true or false")
                value = None
            flags[key] = value
        share = self.share(raw.get(SHARE_KEY), f"certifications.{SHARE_KEY}")
        return Certifications(flags, share, True)

    # --- scalars

    def table(self, data: Mapping[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            self.fail(key, f"the [{key}] table is required")
            return {}
        if not isinstance(value, dict):
            self.fail(key, f"must be a table ([{key}])")
            return {}
        return value

    def array(self, data: Mapping[str, Any], key: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"must be an array of tables ([[{key}]])")
            return []
        return value

    def text(
        self, table: Mapping[str, Any], key: str, where: str, default: str | None = None
    ) -> str | None:
        value = table.get(key)
        if value is None and default is not None:
            return default
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "required: a non-empty string")
            return None
        return value

    def date(self, value: Any, where: str) -> dt.date | None:
        if value is None:
            return None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.fail(where, f"{value!r} is not a TOML date such as 2024-06-15")
            return None
        return value

    def country(self, value: Any, where: str, required: bool) -> str | None:
        if value is None:
            if required:
                self.fail(where, "required: an ISO 3166 code or a country name")
            return None
        if not isinstance(value, str):
            self.fail(where, f"{value!r} is not a country (an ISO code or a name)")
            return None
        try:
            return self.resolve(value)
        except LookupError as error:
            self.fail(where, str(error.args[0]))
            return None


def _pct(value: Fraction) -> str:
    from chipclass.numbers import show

    return show(value)
