"""The bundled Entity List snapshot format (TOML), read and checked like a rule edition.

Unknown keys are refused; every problem names the file, the key and, where the light
line scan finds it, the line. See the README, "Screening parties" for the format.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from chipclass.keylines import KeyLines
from chipclass.parties.model import (
    RELATIONS,
    TEXT_KINDS,
    Entry,
    PartiesError,
    Problem,
    Related,
    Snapshot,
    in_force,
)
from chipclass.problems import another_kind, unknown_key

if TYPE_CHECKING:
    from chipclass.destinations import DestinationData

import tomli

SNAPSHOT_FORMAT: Final = "chipclass-parties/1"
BUNDLED: Final = "data/parties/entity-list.toml"

_TOP_KEYS: Final = ("format", "snapshot", "entry")
_SNAPSHOT_KEYS: Final = ("id", "list", "title", "as_of", "authority", "url", "notes")
_ENTRY_KEYS: Final = (
    "id",
    "name",
    "aliases",
    "country",
    "addresses",
    "list",
    "license_requirement",
    "license_policy",
    "federal_register",
    "added",
    "removed",
    "text_kind",
    "sources",
    "footnote",
    "parent",
    "notes",
    "related",
)
_RELATED_KEYS: Final = ("name", "relation", "since", "source", "text_kind", "note")
_ID: Final = re.compile(r"[a-z0-9][a-z0-9.-]*\Z")
_URL: Final = re.compile(r"https?://\S+\Z")
_COUNTRY: Final = re.compile(r"[A-Z]{2}\Z")


def bundled_bytes() -> tuple[bytes, str]:
    """The bundled snapshot's bytes and a name for messages."""
    resource = resources.files("chipclass").joinpath(BUNDLED)
    return resource.read_bytes(), f"chipclass/{BUNDLED}"


def load_bundled() -> Snapshot:
    data, name = bundled_bytes()
    return parse_snapshot(data, name)


def parse_snapshot(data: bytes, source: str) -> Snapshot:
    """A snapshot from a TOML file's bytes; PartiesError with every problem found."""
    checker = _Checker(source, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PartiesError([Problem(source, "not UTF-8 text", line=line)]) from None
    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise PartiesError([Problem(source, f"not valid TOML: {error}")]) from None
    snapshot = checker.snapshot(doc)
    if checker.problems:
        raise PartiesError(checker.problems)
    assert snapshot is not None
    return snapshot


class _Checker:
    def __init__(self, source: str, data: bytes) -> None:
        self.source = source
        self.data = data
        self.problems: list[Problem] = []
        self._lines: KeyLines | None = None
        self._places: DestinationData | None = None

    def places(self) -> DestinationData:
        """The bundled country table (read once per list)."""
        if self._places is None:
            from chipclass.destinations import bundled

            self._places = bundled()
        return self._places

    def known_country(self, code: str) -> bool:
        """An ISO 3166-1 alpha-2 code of the bundled country table."""
        return bool(_COUNTRY.match(code)) and code in self.places().names

    def address_countries(self, addresses: tuple[str, ...]) -> tuple[str, ...]:
        """The countries the addresses end with ("..., Kowloon, Hong Kong." is HK): the
        Entity List files Hong Kong and Macau addresses under China, and a screen with
        --country HK must still find them."""
        from chipclass.destinations import fold

        index = self.places().index
        found: list[str] = []
        for address in addresses:
            last = address.rsplit(",", 1)[-1].strip().rstrip(".").strip()
            code = index.get(fold(last))
            if code is not None and code not in found:
                found.append(code)
        return tuple(found)

    # -- reporting

    def line(self, where: str) -> int | None:
        if self._lines is None:
            self._lines = KeyLines(self.data.decode("utf-8", "replace"))
        return self._lines.near(where)

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, message, where, self.line(where)))

    # -- kinds

    def keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(
                    f"{where}.{key}" if where else key,
                    unknown_key(key, allowed),
                )

    def text(self, table: Mapping[str, Any], key: str, where: str, required: bool) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}.{key}", f"must be a non-empty string, not {value!r}")
            return None
        return value

    def texts(
        self, table: Mapping[str, Any], key: str, where: str, required: bool
    ) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "is required (a list of strings, at least one)")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"{where}.{key}", "must be a list of non-empty strings")
            return ()
        if required and not value:
            self.fail(f"{where}.{key}", "must list at least one")
        return tuple(value)

    def date(
        self, table: Mapping[str, Any], key: str, where: str, required: bool
    ) -> dt.date | None:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "is required (a TOML date, e.g. 2019-06-24)")
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.fail(f"{where}.{key}", f"must be a TOML date (e.g. 2019-06-24), not {value!r}")
            return None
        return value

    def choice(
        self, table: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...]
    ) -> str | None:
        value = self.text(table, key, where, True)
        if value is not None and value not in allowed:
            self.fail(f"{where}.{key}", f"{value!r} is not one of: {', '.join(allowed)}")
            return None
        return value

    def url(self, value: str, where: str) -> None:
        if not _URL.match(value):
            self.fail(where, f"{value!r} is not an http(s) URL")

    # -- tables

    def snapshot(self, doc: Mapping[str, Any]) -> Snapshot | None:
        other = another_kind(doc.get("format"), SNAPSHOT_FORMAT)
        if other is not None:  # another of chipclass's files: that one problem
            self.fail("format", other)
            return None
        self.keys(doc, _TOP_KEYS, "")
        if doc.get("format") != SNAPSHOT_FORMAT:
            self.fail("format", f"must be {SNAPSHOT_FORMAT!r}, not {doc.get('format')!r}")
        head = doc.get("snapshot")
        if not isinstance(head, dict):
            self.fail("snapshot", "the [snapshot] table is required")
            head = {}
        self.keys(head, _SNAPSHOT_KEYS, "snapshot")
        snapshot_id = self.text(head, "id", "snapshot", True)
        list_name = self.text(head, "list", "snapshot", True)
        title = self.text(head, "title", "snapshot", True)
        as_of = self.date(head, "as_of", "snapshot", True)
        authority = self.text(head, "authority", "snapshot", False)
        url = self.text(head, "url", "snapshot", False)
        if url:
            self.url(url, "snapshot.url")
        notes = self.text(head, "notes", "snapshot", False)
        raw_entries = doc.get("entry", [])
        if not isinstance(raw_entries, list):
            self.fail("entry", "must be an array of tables ([[entry]])")
            raw_entries = []
        entries = [self.entry(raw, f"entry[{i}]") for i, raw in enumerate(raw_entries)]
        kept = [e for e in entries if e is not None]
        self.cross_check(entries)
        if self.problems:
            return None
        return Snapshot(
            name=list_name or "",
            path=self.source,
            sha256=hashlib.sha256(self.data).hexdigest(),
            kind="snapshot",
            entries=tuple(kept),
            as_of=as_of,
            id=snapshot_id,
            title=title,
            authority=authority,
            url=url,
            notes=notes,
        )

    def entry(self, raw: Any, where: str) -> Entry | None:
        if not isinstance(raw, dict):
            self.fail(where, "must be a table")
            return None
        before = len(self.problems)
        self.keys(raw, _ENTRY_KEYS, where)
        entry_id = self.text(raw, "id", where, True)
        if entry_id is not None and not _ID.match(entry_id):
            self.fail(f"{where}.id", f"{entry_id!r} is not an id ([a-z0-9][a-z0-9.-]*)")
        name = self.text(raw, "name", where, True)
        country = self.text(raw, "country", where, True)
        if country is not None and not self.known_country(country):
            self.fail(f"{where}.country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
        added = self.date(raw, "added", where, True)
        removed = self.date(raw, "removed", where, False)
        if added and removed and not in_force(added, removed, added):
            self.fail(f"{where}.removed", f"{removed} is not after added ({added})")
        sources = self.texts(raw, "sources", where, True)
        for source in sources:
            self.url(source, f"{where}.sources")
        related = self.related(raw.get("related", []), where)
        addresses = self.texts(raw, "addresses", where, False)
        places = self.address_countries(addresses)
        entry = Entry(
            id=entry_id or "",
            name=name or "",
            list=self.text(raw, "list", where, True) or "",
            aliases=self.texts(raw, "aliases", where, False),
            country=country,
            countries=tuple(dict.fromkeys([*([country] if country else []), *places])),
            addresses=addresses,
            license_requirement=self.text(raw, "license_requirement", where, False),
            license_policy=self.text(raw, "license_policy", where, False),
            federal_register=self.texts(raw, "federal_register", where, True),
            added=added,
            removed=removed,
            text_kind=self.choice(raw, "text_kind", where, TEXT_KINDS),
            sources=sources,
            footnote=self.text(raw, "footnote", where, False),
            parent=self.text(raw, "parent", where, False),
            notes=self.text(raw, "notes", where, False),
            related=related,
        )
        return entry if len(self.problems) == before else None

    def related(self, raw: Any, where: str) -> tuple[Related, ...]:
        if not isinstance(raw, list):
            self.fail(f"{where}.related", "must be an array of tables ([[entry.related]])")
            return ()
        found: list[Related] = []
        for index, item in enumerate(raw):
            at = f"{where}.related[{index}]"
            if not isinstance(item, dict):
                self.fail(at, "must be a table")
                continue
            self.keys(item, _RELATED_KEYS, at)
            name = self.text(item, "name", at, True)
            relation = self.choice(item, "relation", at, RELATIONS)
            source = self.text(item, "source", at, True)
            if source:
                self.url(source, f"{at}.source")
            text_kind = self.choice(item, "text_kind", at, TEXT_KINDS)
            since = self.date(item, "since", at, False)
            note = self.text(item, "note", at, False)
            if name and relation and source and text_kind:
                found.append(Related(name, relation, source, text_kind, since, note))
        return tuple(found)

    def cross_check(self, entries: list[Entry | None]) -> None:
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if entry is None:
                continue
            if entry.id in seen:
                self.fail(f"entry[{index}].id", f"{entry.id!r} repeats entry[{seen[entry.id]}]")
            seen.setdefault(entry.id, index)
        for index, entry in enumerate(entries):
            if entry is not None and entry.parent is not None and entry.parent not in seen:
                self.fail(f"entry[{index}].parent", f"{entry.parent!r} is no entry's id")
