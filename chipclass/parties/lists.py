"""Any party list file, told apart by its content: a bundled-format TOML snapshot, an
imported JSON-lines snapshot, or a raw CSL download (CSV or JSON)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Final

from chipclass.parties.csl import CSL_NAME, looks_like_json, read_csl
from chipclass.parties.model import PartiesError, Problem, Snapshot
from chipclass.parties.snapshot import load_bundled, parse_snapshot
from chipclass.parties.store import JSONL_FORMAT, read_snapshot

_TOML_START: Final = re.compile(rb"^\s*(format\s*=|\[)", re.MULTILINE)


def load_list(path: str | Path | None) -> Snapshot:
    """The list at `path` (None: the bundled Entity List snapshot)."""
    if path is None:
        return load_bundled()
    path = Path(path)
    source = str(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise PartiesError([Problem(source, f"cannot read: {error.strerror or error}")]) from None
    if not head.strip():
        raise PartiesError([Problem(source, "empty file: not a CSL download or a snapshot")])
    if looks_like_json(head):
        if _is_jsonl_snapshot(head):
            return read_snapshot(path)
        return _raw(path, "csl-json")
    first = _first_line(head)
    if path.suffix.lower() == ".toml" or (
        not first.lstrip(b"\xef\xbb\xbf").lstrip(b'"').startswith(b"_id")
        and _TOML_START.match(first)
    ):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise PartiesError([Problem(source, f"cannot read: {error.strerror}")]) from None
        return parse_snapshot(data, source)
    return _raw(path, "csl-csv")


def _first_line(head: bytes) -> bytes:
    for line in head.split(b"\n"):
        if line.strip() and not line.lstrip().startswith(b"#"):
            return line
    return b""


def _is_jsonl_snapshot(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0]
    try:
        data = json.loads(first)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and data.get("format") == JSONL_FORMAT


def _raw(path: Path, kind: str) -> Snapshot:
    read = read_csl(path, str(path))
    digest = read.sha256
    if not digest:  # pragma: no cover - read_csl always hashes
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Snapshot(
        name=CSL_NAME,
        path=str(path),
        sha256=digest,
        kind=kind,
        entries=read.entries,
        as_of=None,
    )
