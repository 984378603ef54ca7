"""`chipclass parties info` and `parties diff` output, text (a Doc) and JSON."""

from __future__ import annotations

from typing import Any

from chipclass import __version__
from chipclass.parties.diff import ListDiff
from chipclass.parties.model import Entry, Snapshot
from chipclass.report import jsontext
from chipclass.report.doc import Cell, Doc
from chipclass.report.screen import list_dict, printable


def info_dict(snapshot: Snapshot) -> dict[str, Any]:
    manifest = snapshot.manifest
    data: dict[str, Any] = {
        **list_dict(snapshot),
        "path": snapshot.path,
        "kind": snapshot.kind,
        "id": snapshot.id,
        "title": snapshot.title,
        "authority": snapshot.authority,
        "url": snapshot.url,
        "per_list": dict(snapshot.per_list()),
        "manifest": None,
    }
    if manifest is not None:
        data["manifest"] = {
            "source_file": manifest.source_file,
            "source_sha256": manifest.source_sha256,
            "source_format": manifest.source_format,
            "imported_at": manifest.imported_at,
            "url": manifest.url,
            "entries": manifest.entries,
            "per_list": dict(manifest.per_list),
        }
    return data


def info_json(snapshot: Snapshot) -> str:
    return jsontext.dumps({"chipclass": __version__, "list": info_dict(snapshot)}) + "\n"


def info_doc(snapshot: Snapshot) -> Doc:
    doc = Doc()
    doc.heading(printable(snapshot.title or snapshot.name))
    rows: list[tuple[str, str]] = [
        ("list", snapshot.name),
        ("file", snapshot.path),
        ("kind", snapshot.kind),
        ("as of", snapshot.as_of.isoformat() if snapshot.as_of else "unknown (a raw download)"),
        ("sha256", snapshot.sha256),
        ("entries", f"{len(snapshot.entries):,}"),
    ]
    if snapshot.authority:
        rows.append(("authority", snapshot.authority))
    manifest = snapshot.manifest
    if manifest is not None:
        rows.extend(
            [
                ("imported from", manifest.source_file),
                ("source sha256", manifest.source_sha256),
                ("source format", manifest.source_format),
                ("imported at", manifest.imported_at),
            ]
        )
        if manifest.url:
            rows.append(("downloaded from", manifest.url))
    for key, value in rows:
        doc.line(Cell(f"{key}: ", "dim"), printable(value))
    doc.blank()
    doc.table(
        ("source list", "entries"),
        [(printable(name), f"{count:,}") for name, count in snapshot.per_list()],
        right=(1,),
    )
    return doc


def _entry_label(entry: Entry) -> str:
    return printable(f"{entry.id}: {entry.name} ({entry.list})")


def diff_dict(result: ListDiff) -> dict[str, Any]:
    def brief(entry: Entry) -> dict[str, Any]:
        return {"id": entry.id, "name": entry.name, "list": entry.list}

    return {
        "chipclass": __version__,
        "old": list_dict(result.old),
        "new": list_dict(result.new),
        "added": [brief(e) for e in result.added],
        "removed": [brief(e) for e in result.removed],
        "changed": [{**brief(c.new), "fields": list(c.fields)} for c in result.changed],
    }


def diff_json(result: ListDiff) -> str:
    return jsontext.dumps(diff_dict(result)) + "\n"


def diff_doc(result: ListDiff) -> Doc:
    doc = Doc()
    for label, snapshot in (("old", result.old), ("new", result.new)):
        as_of = snapshot.as_of.isoformat() if snapshot.as_of else "date unknown"
        doc.line(
            Cell(f"{label}: ", "dim"),
            printable(f"{snapshot.path} ({len(snapshot.entries):,} entries, {as_of},"),
            printable(f" sha256 {snapshot.sha256})"),
        )
    doc.blank()
    for entry in result.added:
        doc.line(Cell("+ ", "exportable"), _entry_label(entry))
    for entry in result.removed:
        doc.line(Cell("- ", "restricted"), _entry_label(entry))
    for change in result.changed:
        doc.line(
            Cell("~ ", "changed"),
            _entry_label(change.new),
            Cell(f"  changed: {', '.join(change.fields)}", "dim"),
        )
    doc.blank()
    doc.line(
        Cell(
            f"{len(result.added)} added, {len(result.removed)} removed,"
            f" {len(result.changed)} changed",
            "heading",
        )
    )
    return doc
