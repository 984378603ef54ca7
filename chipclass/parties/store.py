"""Imported snapshots: a CSL download turned into a JSON-lines file with its manifest.

Line 1 is the header: `{"format": "chipclass-parties-jsonl/1", "list": ..., "as_of":
..., "manifest": {...}}`; every further line is one entry. Files are written to a
temporary file beside the target and renamed into place only when complete, so a
failed or interrupted import leaves nothing behind (and an existing snapshot intact).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any, Final

from chipclass.parties.csl import CSL_NAME, CslRead, read_csl
from chipclass.parties.model import Entry, Manifest, PartiesError, Problem, Snapshot

JSONL_FORMAT: Final = "chipclass-parties-jsonl/1"
_HEADER_KEYS: Final = ("format", "list", "as_of", "manifest")
_MANIFEST_KEYS: Final = (
    "source_file",
    "source_sha256",
    "source_format",
    "imported_at",
    "url",
    "entries",
    "per_list",
)
_ENTRY_KEYS: Final = (
    "id",
    "name",
    "list",
    "aliases",
    "country",
    "countries",
    "addresses",
    "license_requirement",
    "license_policy",
    "federal_register",
    "added",
    "removed",
    "text_kind",
    "sources",
    "type",
    "programs",
)
_TUPLES: Final = ("aliases", "countries", "addresses", "federal_register", "sources", "programs")
_DATES: Final = ("added", "removed")


def manifest_for(read: CslRead, source_file: str, now: dt.datetime, url: str | None) -> Manifest:
    counts = Counter(e.list for e in read.entries)
    return Manifest(
        source_file=source_file,
        source_sha256=read.sha256,
        source_format=read.format,
        imported_at=now.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat(),
        entries=len(read.entries),
        per_list=tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        url=url,
    )


def import_csl(
    source: Path,
    target: Path,
    now: dt.datetime | None = None,
    url: str | None = None,
    source_name: str | None = None,
) -> Snapshot:
    """Read a CSL download and write it as a snapshot at `target`; PartiesError (and
    nothing written) when any row is bad."""
    read = read_csl(source, str(source))
    moment = now or dt.datetime.now(dt.timezone.utc)
    manifest = manifest_for(read, source_name or source.name, moment, url)
    return write_snapshot(read.entries, manifest, target)


def write_snapshot(entries: Iterable[Entry], manifest: Manifest, target: Path) -> Snapshot:
    entries = tuple(entries)
    as_of = manifest.imported_at[:10]
    header = {
        "format": JSONL_FORMAT,
        "list": CSL_NAME,
        "as_of": as_of,
        "manifest": _manifest_json(manifest),
    }
    with atomic_write(target) as handle:
        handle.write(_line(header))
        for entry in entries:
            handle.write(_line(_entry_json(entry)))
    return read_snapshot(target)


@contextmanager
def atomic_write(target: Path) -> Iterator[IO[str]]:
    """A text file that appears at `target` only when the block completes."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise PartiesError(
            [Problem(str(target), f"cannot write here: {error.strerror or error}")]
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _manifest_json(manifest: Manifest) -> dict[str, Any]:
    data = asdict(manifest)
    data["per_list"] = dict(manifest.per_list)
    return data


def _entry_json(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in _ENTRY_KEYS:
        value = getattr(entry, key)
        if key in _TUPLES:
            value = list(value)
        elif key in _DATES:
            value = value.isoformat() if value else None
        data[key] = value
    return data


# --------------------------------------------------------------------------- reading


def read_snapshot(path: Path, data: bytes | None = None) -> Snapshot:
    """An imported (JSON-lines) snapshot; PartiesError naming the file and line."""
    source = str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise PartiesError(
                [Problem(source, f"cannot read: {error.strerror or error}")]
            ) from None
    problems: list[Problem] = []
    lines = data.split(b"\n")
    header = _json_line(lines[0], source, 1, problems)
    manifest = None
    as_of = None
    if isinstance(header, dict):
        manifest, as_of = _header(header, source, problems)
    elif not problems:
        problems.append(Problem(source, "line 1 must be the snapshot's header object", line=1))
    entries: list[Entry] = []
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        record = _json_line(raw, source, number, problems)
        if isinstance(record, dict):
            entry = _entry_from(record, source, number, problems)
            if entry is not None:
                entries.append(entry)
        elif record is not None:
            problems.append(Problem(source, "an entry must be a JSON object", line=number))
        if len(problems) >= 50:
            break
    if problems:
        raise PartiesError(problems)
    return Snapshot(
        name=str(header.get("list") or CSL_NAME) if isinstance(header, dict) else CSL_NAME,
        path=source,
        sha256=hashlib.sha256(data).hexdigest(),
        kind="imported",
        entries=tuple(entries),
        as_of=as_of,
        manifest=manifest,
    )


def _json_line(raw: bytes, source: str, number: int, problems: list[Problem]) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(source, "not UTF-8 text", line=number))
    except json.JSONDecodeError as error:
        problems.append(Problem(source, f"not valid JSON: {error.msg}", line=number))
    return None


def _header(
    header: dict[str, Any], source: str, problems: list[Problem]
) -> tuple[Manifest | None, dt.date | None]:
    def fail(message: str, key: str | None = None) -> None:
        problems.append(Problem(source, message, key, 1))

    if header.get("format") != JSONL_FORMAT:
        fail(f"must be {JSONL_FORMAT!r}", "format")
    for key in header:
        if key not in _HEADER_KEYS:
            fail("unknown key", key)
    as_of = None
    try:
        as_of = dt.date.fromisoformat(str(header.get("as_of")))
    except ValueError:
        fail("must be a date (YYYY-MM-DD)", "as_of")
    raw = header.get("manifest")
    if not isinstance(raw, dict):
        fail("must be an object", "manifest")
        return None, as_of
    for key in raw:
        if key not in _MANIFEST_KEYS:
            fail("unknown key", f"manifest.{key}")
    per_list = raw.get("per_list")
    try:
        manifest = Manifest(
            source_file=str(raw["source_file"]),
            source_sha256=str(raw["source_sha256"]),
            source_format=str(raw["source_format"]),
            imported_at=str(raw["imported_at"]),
            entries=int(raw["entries"]),
            per_list=tuple((str(k), int(v)) for k, v in dict(per_list or {}).items()),
            url=None if raw.get("url") is None else str(raw["url"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        fail(f"incomplete or malformed ({error})", "manifest")
        return None, as_of
    return manifest, as_of


def _entry_from(
    record: dict[str, Any], source: str, number: int, problems: list[Problem]
) -> Entry | None:
    before = len(problems)
    for key in record:
        if key not in _ENTRY_KEYS:
            problems.append(Problem(source, "unknown key", key, number))
    values: dict[str, Any] = {}
    for key in _ENTRY_KEYS:
        value = record.get(key)
        if key in _TUPLES:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(Problem(source, "must be a list of strings", key, number))
                continue
            values[key] = tuple(value)
        elif key in _DATES:
            if value is None:
                values[key] = None
                continue
            try:
                values[key] = dt.date.fromisoformat(str(value))
            except ValueError:
                problems.append(Problem(source, f"{value!r} is not a date", key, number))
        elif key in ("id", "name", "list"):
            if not isinstance(value, str) or not value:
                problems.append(Problem(source, "must be a non-empty string", key, number))
                continue
            values[key] = value
        else:
            if value is not None and not isinstance(value, str):
                problems.append(Problem(source, "must be a string or null", key, number))
                continue
            values[key] = value
    if len(problems) != before:
        return None
    return Entry(**values)
