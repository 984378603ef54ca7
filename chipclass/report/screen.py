"""`chipclass screen` output: JSON (spec-format.md section 9), text and CSV.

Each format names every list used with its date and sha256. Names from a list or a
query are data: in text and CSV, control and line-breaking characters are escaped, and
a CSV cell that a spreadsheet would read as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Final

from chipclass import __version__
from chipclass.parties.model import Snapshot
from chipclass.parties.screen import Match, QueryResult, RedFlag, ScreenRun
from chipclass.report import jsontext
from chipclass.report.doc import Cell, Doc


def printable(text: str) -> str:
    """Text safe on one line of a terminal: control and line-breaking characters escaped."""
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def score_number(score: Fraction) -> float:
    """A score for display (two decimals); comparisons use the exact fraction."""
    return round(float(score), 2)


def list_dict(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "name": snapshot.name,
        "as_of": snapshot.as_of.isoformat() if snapshot.as_of else None,
        "sha256": snapshot.sha256,
        "entries": len(snapshot.entries),
    }


def match_dict(match: Match) -> dict[str, Any]:
    entry = match.entry
    return {
        "entry_id": entry.id,
        "name": entry.name,
        "matched_name": match.matched_name,
        "score": score_number(match.score),
        "list": entry.list,
        "country": entry.country,
        "federal_register": list(entry.federal_register),
        "license_requirement": entry.license_requirement,
        "license_policy": entry.license_policy,
        "added": entry.added.isoformat() if entry.added else None,
    }


def red_flag_dict(flag: RedFlag) -> dict[str, Any]:
    related = flag.related
    return {
        "name": related.name,
        "relation": related.relation,
        "since": related.since.isoformat() if related.since else None,
        "score": score_number(flag.score),
        "entry_id": flag.entry.id,
        "entry_name": flag.entry.name,
        "list": flag.entry.list,
        "source": related.source,
        "text_kind": related.text_kind,
        "note": related.note,
    }


def result_dict(result: QueryResult) -> dict[str, Any]:
    return {
        "query": result.query.name,
        "country": result.query.country,
        "matches": [match_dict(m) for m in result.matches],
        "red_flags": [red_flag_dict(f) for f in result.red_flags],
    }


def to_json(run: ScreenRun) -> str:
    data = {
        "chipclass": __version__,
        "lists": [list_dict(s) for s in run.lists],
        "results": [result_dict(r) for r in run.results],
        "errors": [
            {"file": p.file if p.line is None else f"{p.file}:{p.line}", "message": _message(p)}
            for p in run.errors
        ],
    }
    return jsontext.dumps(data) + "\n"


def _message(problem: Any) -> str:
    return f"{problem.key}: {problem.message}" if problem.key else str(problem.message)


# --------------------------------------------------------------------------- text


def to_doc(run: ScreenRun) -> Doc:
    doc = Doc()
    for result in run.results:
        query = printable(result.query.name)
        country = f" ({result.query.country})" if result.query.country else ""
        if not result.hit:
            doc.line(Cell("no match  ", "exportable"), query + country)
            continue
        count = len(result.matches)
        label = f"{count} potential match" + ("es" if count != 1 else "") if count else "red flag"

        doc.line(Cell(label + "  ", "restricted"), Cell(query + country, "heading"))
        if result.matches:
            doc.table(
                ("score", "entry", "matched name", "list", "country", "federal register", "added"),
                [_match_row(m) for m in result.matches],
                indent=2,
                right=(0,),
            )
        for flag in result.red_flags:
            doc.line(
                Cell("red flag: ", "license-required"),
                printable(
                    f"{flag.related.name!s} ({flag.related.relation} of {flag.entry.name},"
                    f" {flag.entry.list}; score {score_number(flag.score):g})"
                ),
                indent=2,
            )
            note = f"{flag.related.note} " if flag.related.note else ""
            doc.line(
                Cell(printable(f"{note}[{flag.related.text_kind}] {flag.related.source}"), "dim"),
                indent=4,
            )
    if run.results:
        doc.blank()
    hits = sum(1 for r in run.results if r.hit)
    doc.line(
        Cell(
            f"{len(run.results)} screened, {hits} with a potential match or red flag;"
            f" threshold {score_number(run.threshold):g}, as of {run.as_of.isoformat()}",
            "dim",
        )
    )
    for snapshot in run.lists:
        doc.line(Cell(printable(list_line(snapshot)), "dim"))
    doc.line(
        Cell(
            "A potential match is a lead to review, not a determination; screening covers"
            " only the lists named above (see the README: Screening parties).",
            "dim",
        )
    )
    return doc


def list_line(snapshot: Snapshot) -> str:
    as_of = snapshot.as_of.isoformat() if snapshot.as_of else "date unknown"
    return (
        f"list: {snapshot.name}, as of {as_of}, {len(snapshot.entries):,} entries,"
        f" sha256 {snapshot.sha256} ({snapshot.path})"
    )


def _match_row(match: Match) -> tuple[str | Cell, ...]:
    entry = match.entry
    return (
        f"{score_number(match.score):g}",
        printable(f"{entry.name} [{entry.id}]"),
        printable(match.matched_name),
        printable(entry.list),
        printable(entry.country or "?"),
        printable("; ".join(entry.federal_register) or "-"),
        entry.added.isoformat() if entry.added else "?",
    )


# --------------------------------------------------------------------------- CSV

CSV_COLUMNS: Final = (
    "query",
    "query_country",
    "result",
    "score",
    "entry_id",
    "name",
    "matched_name",
    "relation",
    "list",
    "country",
    "federal_register",
    "license_requirement",
    "license_policy",
    "added",
    "source",
    "list_file",
    "list_as_of",
    "list_sha256",
    "threshold",
    "as_of",
)
_FORMULA: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: escaped, never read as a formula."""
    text = "" if value is None else printable(str(value))
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv(run: ScreenRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    common = {"threshold": _shown(run.threshold), "as_of": run.as_of.isoformat()}
    for result in run.results:
        base = {"query": result.query.name, "query_country": result.query.country}
        rows: list[Mapping[str, object]] = []
        for match in result.matches:
            entry = match.entry
            rows.append(
                {
                    **base,
                    "result": "match",
                    "score": _shown(match.score),
                    "entry_id": entry.id,
                    "name": entry.name,
                    "matched_name": match.matched_name,
                    "list": entry.list,
                    "country": entry.country,
                    "federal_register": "; ".join(entry.federal_register),
                    "license_requirement": entry.license_requirement,
                    "license_policy": entry.license_policy,
                    "added": entry.added.isoformat() if entry.added else None,
                    **_list_cells(match.snapshot),
                }
            )
        for flag in result.red_flags:
            rows.append(
                {
                    **base,
                    "result": "red-flag",
                    "score": _shown(flag.score),
                    "entry_id": flag.entry.id,
                    "name": flag.entry.name,
                    "matched_name": flag.related.name,
                    "relation": flag.related.relation,
                    "list": flag.entry.list,
                    "country": flag.entry.country,
                    "federal_register": "; ".join(flag.entry.federal_register),
                    "source": flag.related.source,
                    **_list_cells(flag.snapshot),
                }
            )
        if not rows:
            rows.append({**base, "result": "no-match", **_all_lists(run.lists)})
        for row in rows:
            merged = {**row, **common}
            writer.writerow([csv_cell(merged.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


def _shown(score: Fraction) -> str:
    return f"{score_number(score):g}"


def _list_cells(snapshot: Snapshot) -> dict[str, object]:
    return {
        "list_file": snapshot.path,
        "list_as_of": snapshot.as_of.isoformat() if snapshot.as_of else None,
        "list_sha256": snapshot.sha256,
    }


def _all_lists(lists: tuple[Snapshot, ...]) -> dict[str, object]:
    return {
        "list_file": "; ".join(s.path for s in lists),
        "list_as_of": "; ".join(s.as_of.isoformat() if s.as_of else "" for s in lists),
        "list_sha256": "; ".join(s.sha256 for s in lists),
    }


#: format name -> writer (text is drawn by the CLI through a Doc)
