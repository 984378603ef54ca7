"""The Consolidated Screening List download, read as published: CSV or JSON.

CSV: the 29 columns of `CSL_COLUMNS`, in that order (a header with a column more, a
column less or out of order is refused, naming what differs). JSON: an object whose
`results` array holds one object per row, `addresses` an array of objects.

Read row by row; a row that cannot be read (bad encoding, wrong column count, a date
that is not YYYY-MM-DD, no `_id` or no `name`) is a problem with the file, the line
and the reason. Any problem refuses the whole file (PartiesError).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final

from chipclass.parties.model import Entry, PartiesError, Problem

CSL_NAME: Final = "Consolidated Screening List"
CSL_COLUMNS: Final = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
#: at most this many problems are listed; the rest are counted
MAX_PROBLEMS: Final = 50
_BOM: Final = b"\xef\xbb\xbf"
_CODE: Final = re.compile(r"[A-Z]{2}\Z")


class CslRead:
    """What reading a download gives: its entries, format and sha256."""

    def __init__(self, entries: tuple[Entry, ...], fmt: str, sha256: str) -> None:
        self.entries = entries
        self.format = fmt
        self.sha256 = sha256


def looks_like_json(head: bytes) -> bool:
    return head.removeprefix(_BOM).lstrip().startswith(b"{")


def read_csl(path: Path, source: str | None = None) -> CslRead:
    """Every row of a CSL download (CSV or JSON, told apart by the first character)."""
    name = source or str(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
            handle.seek(0)
            if looks_like_json(head):
                return _read_json(handle, name)
            return _read_csv(handle, name)
    except OSError as error:
        raise PartiesError([Problem(name, f"cannot read: {error.strerror or error}")]) from None


# --------------------------------------------------------------------------- CSV


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[Problem] = []
        self.more = 0

    def add(self, message: str, line: int | None = None, key: str | None = None) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(Problem(self.source, message, key, line))
        else:
            self.more += 1

    def raise_any(self) -> None:
        if not self.found:
            return
        found = list(self.found)
        if self.more:
            found.append(Problem(self.source, f"and {self.more} more problems"))
        raise PartiesError(found)


def _lines(handle: IO[bytes], problems: _Problems, digest: Any) -> Iterator[str]:
    for number, raw in enumerate(handle, start=1):
        digest.update(raw)
        if number == 1:
            raw = raw.removeprefix(_BOM)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.add(f"not UTF-8 text (byte {error.start + 1} of the line)", number)
            yield raw.decode("utf-8", "replace")


def _read_csv(handle: IO[bytes], source: str) -> CslRead:
    problems = _Problems(source)
    digest = hashlib.sha256()
    reader = csv.reader(_lines(handle, problems, digest), strict=True)
    entries: list[Entry] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, 64 * 1024 * 1024))
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise PartiesError([Problem(source, "empty file: not a CSL download")]) from None
        _check_header(header, source)
        seen: set[str] = set()
        previous = reader.line_num
        for row in reader:
            line = previous + 1
            previous = reader.line_num
            if len(row) != len(CSL_COLUMNS):
                problems.add(f"{len(row)} columns, the header has {len(CSL_COLUMNS)}", line)
                continue
            entry = _entry(dict(zip(CSL_COLUMNS, row, strict=True)), problems, line)
            if entry is not None:
                entries.append(_unique(entry, seen))
    except csv.Error as error:
        problems.add(f"not readable as CSV: {error}", reader.line_num)
    finally:
        csv.field_size_limit(limit)
    problems.raise_any()
    return CslRead(tuple(entries), "csv", digest.hexdigest())


def _check_header(header: list[str], source: str) -> None:
    if tuple(header) == CSL_COLUMNS:
        return
    missing = [c for c in CSL_COLUMNS if c not in header]
    extra = [c for c in header if c not in CSL_COLUMNS]
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        shown = ", ".join(repr(c[:40]) for c in extra[:5])
        parts.append(f"unexpected {shown}" + (" ..." if len(extra) > 5 else ""))
    if not parts:
        differ = [i for i, (a, b) in enumerate(zip(header, CSL_COLUMNS, strict=False)) if a != b]
        if differ:
            at = differ[0]
            parts.append(
                f"column {at + 1} is {header[at]!r}, the published order has {CSL_COLUMNS[at]!r}"
            )
        else:
            parts.append("a column is repeated")
    message = (
        f"not a CSL download: the header has {len(header)} columns, the published one"
        f" {len(CSL_COLUMNS)} ({'; '.join(parts)})"
    )
    raise PartiesError([Problem(source, message, line=1)])


def _unique(entry: Entry, seen: set[str]) -> Entry:
    """A repeated `_id` gets a suffix (`~2`), so that every entry has its own id."""
    if entry.id not in seen:
        seen.add(entry.id)
        return entry
    count = 2
    while f"{entry.id}~{count}" in seen:
        count += 1
    new_id = f"{entry.id}~{count}"
    seen.add(new_id)
    from dataclasses import replace

    return replace(entry, id=new_id)


# --------------------------------------------------------------------------- rows


def _split(value: str) -> tuple[str, ...]:
    """ "A; B; and C" -> (A, B, C)."""
    parts = []
    for part in value.split(";"):
        part = part.strip()
        if part.startswith("and "):
            part = part[4:].strip()
        if part:
            parts.append(part)
    return tuple(parts)


def _date(value: str, key: str, problems: _Problems, line: int) -> tuple[bool, dt.date | None]:
    value = value.strip()
    if not value:
        return True, None
    try:
        return True, dt.date.fromisoformat(value)
    except ValueError:
        problems.add(f"{value[:40]!r} is not a date (YYYY-MM-DD)", line, key)
        return False, None


def _countries_of(addresses: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for address in addresses:
        last = address.rsplit(",", 1)[-1].strip()
        if _CODE.match(last) and last not in found:
            found.append(last)
    return tuple(found)


def _entry(row: Mapping[str, Any], problems: _Problems, line: int) -> Entry | None:
    """An Entry from a row whose values are strings (CSV) or already split (JSON)."""
    ok = True
    entry_id = _text(row.get("_id", row.get("id")))
    name = _text(row.get("name"))
    source = _text(row.get("source"))
    for key, value in (("_id", entry_id), ("name", name), ("source", source)):
        if not value:
            problems.add("is empty", line, key)
            ok = False
    good_start, added = _date(_text(row.get("start_date")), "start_date", problems, line)
    good_end, removed = _date(_text(row.get("end_date")), "end_date", problems, line)
    if not (ok and good_start and good_end):
        return None
    addresses, countries = _addresses(row.get("addresses"))
    sources = tuple(
        dict.fromkeys(
            u
            for u in (_text(row.get("source_list_url")), _text(row.get("source_information_url")))
            if u
        )
    )
    return Entry(
        id=entry_id,
        name=name,
        list=source,
        aliases=_many(row.get("alt_names")),
        country=countries[0] if countries else None,
        countries=countries,
        addresses=addresses,
        license_requirement=_text(row.get("license_requirement")) or None,
        license_policy=_text(row.get("license_policy")) or None,
        federal_register=_many(row.get("federal_register_notice")),
        added=added,
        removed=removed,
        text_kind="verbatim",
        sources=sources,
        type=_text(row.get("type")) or None,
        programs=_many(row.get("programs")),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if _text(v))
    return ""


def _many(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(t for t in (_text(v) for v in value) if t)
    return _split(_text(value))


def _addresses(value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if isinstance(value, list):
        texts: list[str] = []
        codes: list[str] = []
        for item in value:
            if isinstance(item, dict):
                parts = [_text(item.get(k)) for k in ("address", "city", "state", "postal_code")]
                country = _text(item.get("country"))
                text = ", ".join(p for p in [*parts, country] if p)
                if text:
                    texts.append(text)
                if _CODE.match(country) and country not in codes:
                    codes.append(country)
            elif _text(item):
                texts.append(_text(item))
        return tuple(texts), tuple(codes) or _countries_of(tuple(texts))
    addresses = _split(_text(value))
    return addresses, _countries_of(addresses)


# --------------------------------------------------------------------------- JSON


class _Walker:
    """Steps through a JSON document one value at a time, counting lines."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.pos = 0
        self.line = 1
        self._counted = 0
        self.decoder = json.JSONDecoder()

    def line_at(self, pos: int) -> int:
        self.line += self.text.count("\n", self._counted, pos)
        self._counted = pos
        return self.line

    def skip(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        self.pos = pos

    def expect(self, chars: str) -> str:
        self.skip()
        if self.pos >= len(self.text) or self.text[self.pos] not in chars:
            found = self.text[self.pos : self.pos + 1] or "the end of the file"
            self.fail(f"expected {' or '.join(repr(c) for c in chars)}, found {found!r}")
        char = self.text[self.pos]
        self.pos += 1
        return char

    def value(self) -> Any:
        self.skip()
        try:
            value, self.pos = self.decoder.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as error:
            raise PartiesError(
                [Problem(self.source, f"not valid JSON: {error.msg}", line=error.lineno)]
            ) from None
        return value

    def fail(self, message: str) -> None:
        line = self.line_at(self.pos)
        raise PartiesError([Problem(self.source, f"not a CSL download: {message}", line=line)])


def _read_json(handle: IO[bytes], source: str) -> CslRead:
    data = handle.read()
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PartiesError([Problem(source, "not UTF-8 text", line=line)]) from None
    walker = _Walker(text, source)
    problems = _Problems(source)
    entries: list[Entry] = []
    seen: set[str] = set()
    found_results = False
    walker.expect("{")
    walker.skip()
    if walker.text.startswith("}", walker.pos):
        walker.pos += 1
    else:
        while True:
            key = walker.value()
            if not isinstance(key, str):
                walker.fail("an object key must be a string")
            walker.expect(":")
            if key == "results":
                found_results = True
                _results(walker, problems, entries, seen)
            else:
                walker.value()
            if walker.expect(",}") == "}":
                break
    walker.skip()
    if walker.pos != len(walker.text):
        walker.fail("text after the end of the JSON object")
    if not found_results:
        raise PartiesError([Problem(source, 'not a CSL download: no "results" array')])
    problems.raise_any()
    return CslRead(tuple(entries), "json", sha)


def _results(walker: _Walker, problems: _Problems, entries: list[Entry], seen: set[str]) -> None:
    walker.expect("[")
    walker.skip()
    if walker.text.startswith("]", walker.pos):
        walker.pos += 1
        return
    while True:
        walker.skip()
        line = walker.line_at(walker.pos)
        record = walker.value()
        if not isinstance(record, dict):
            problems.add(f"a result must be an object, not {type(record).__name__}", line)
        else:
            entry = _entry(record, problems, line)
            if entry is not None:
                entries.append(_unique(entry, seen))
        if walker.expect(",]") == "]":
            return
