"""`chipclass rules check FILE...`: the files that are valid editions, and a summary. Each
problem is a line on stderr as well (chipclass.cli.common.report_problems), in every
format; the JSON document lists them with `file`, `key`, `line` and `message`, as `check`
writes its errors."""

from __future__ import annotations

from typing import Any

from chipclass import __version__
from chipclass.report import jsontext
from chipclass.report.doc import Cell, Doc
from chipclass.rulescheck import FilesCheck
from chipclass.serialize import problem_dict


def check_doc(result: FilesCheck) -> Doc:
    """An ok line per valid file, then `N valid, M invalid (K problems)`."""
    doc = Doc()
    for checked in result.files:
        if checked.edition is not None:
            edition = checked.edition
            doc.line(
                Cell("ok: ", "exportable"),
                f"{checked.file}: edition {edition.id}, effective {edition.effective}",
            )
    valid = sum(1 for f in result.files if not f.problems)
    count = len(result.all_problems)
    doc.line(
        f"{valid} valid, {len(result.files) - valid} invalid"
        f" ({count} problem{'' if count == 1 else 's'})"
    )
    return doc


def check_json(result: FilesCheck) -> str:
    return jsontext.dumps(_document(result)) + "\n"


def _document(result: FilesCheck) -> dict[str, Any]:
    valid = sum(1 for f in result.files if not f.problems)
    return {
        "chipclass": __version__,
        "valid": result.valid,
        "summary": {
            "files": len(result.files),
            "valid": valid,
            "invalid": len(result.files) - valid,
            "errors": len(result.all_problems),
        },
        "files": [
            {
                "file": f.file,
                "valid": not f.problems,
                "edition": f.edition.id if f.edition else None,
                "effective": f.edition.effective.isoformat() if f.edition else None,
                "errors": len(f.problems),
            }
            for f in result.files
        ],
        "notes": list(result.notes),
        "errors": [problem_dict(p) for p in result.all_problems],
    }
