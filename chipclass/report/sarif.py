"""`chipclass check --format sarif`: SARIF 2.1.0 for code scanning.

One rule per clause of the editions checked (its citation and verbatim text
as help), plus rules for `[expect]` failures, `--min-margin` failures and
`indeterminate` labels. One result per failing part and edition, at the line
of the sheet value that decides it. Input errors are tool notifications.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from chipclass import __version__
from chipclass.editions import Clause, Edition
from chipclass.policy import (
    RULE_EXPECT,
    RULE_INDETERMINATE,
    RULE_MARGIN,
    Check,
    CheckRun,
)
from chipclass.report.where import destination_code, destination_text
from chipclass.spec import Problem

SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION: Final = "2.1.0"
INFORMATION_URI: Final = "https://pypi.org/project/chipclass/"

#: the rule of an input error: a sheet chipclass cannot read (a result on that file)
RULE_INPUT: Final = "input-error"

_EXTRA: Final = {
    RULE_EXPECT: (
        "The part does not meet its sheet's [expect] table",
        "The sheet's [expect] table names the most severe label the part may carry"
        " (label), under which edition (edition, default: the latest), and the smallest"
        " relative change of one knob that may separate it from a stricter label"
        " (min_margin_pct). The part's classification breaks one of them.",
    ),
    RULE_MARGIN: (
        "A stricter label is nearer than --min-margin",
        "The smallest change of one physical knob (throughput, die area, memory or I/O"
        " bandwidth) that makes the part's label more severe is smaller than the"
        " percentage the policy asks for (--min-margin, or min-margin in [tool.chipclass]).",
    ),
    RULE_INDETERMINATE: (
        "The label depends on a figure the sheet does not give",
        "A metric that decides the label (the performance density, without a die area;"
        " the memory bandwidth, without [memory]) is unknown, and the part could carry"
        " different labels depending on it. Give the missing figure in the sheet, or"
        " tolerate it with --allow-indeterminate.",
    ),
    RULE_INPUT: (
        "The sheet cannot be read",
        "The file is not a usable chipclass sheet (unreadable, not TOML, a key or value"
        " the sheet format does not allow, a chip id used twice): the part in it is not"
        " classified at all until it is fixed.",
    ),
}


def artifact_uri(path: str) -> str:
    """The sheet path as a URI reference: relative paths stay relative (as given)."""
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return quote(path.replace("\\", "/"), safe="/", errors="surrogateescape")


def _role(clause: Clause) -> str:
    if clause.role == "control":
        return f"control: {clause.label}"
    if clause.role == "relief":
        return f"relief to {clause.label} for {', '.join(clause.targets)}"
    return f"exclusion from {', '.join(clause.targets)}"


def _clause_rule(versions: list[tuple[Edition, Clause]]) -> dict[str, Any]:
    """One rule for a clause id, with the text of every edition it appears in."""
    _, latest = versions[-1]
    groups: dict[tuple[str, str], list[str]] = {}
    for edition, clause in versions:
        groups.setdefault((clause.citation, clause.text), []).append(edition.id)
    sections_text = []
    sections_md = []
    for (citation, text), ids in groups.items():
        editions = ", ".join(ids)
        sections_text.append(f"{citation} (editions: {editions})\n\n\u201c{text}\u201d")
        sections_md.append(f"**{citation}** (editions: {editions})\n\n> {text}")
    return {
        "id": latest.id,
        "name": latest.id,
        "shortDescription": {"text": f"{latest.id} ({_role(latest)})"},
        "fullDescription": {"text": latest.citation},
        "help": {"text": "\n\n".join(sections_text), "markdown": "\n\n".join(sections_md)},
        "helpUri": latest.url,
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["export-control", "3A090"],
            "editions": [e.id for e, _ in versions],
        },
    }


def _extra_rule(rule_id: str) -> dict[str, Any]:
    short, full = _EXTRA.get(rule_id, (f"{rule_id}", f"chipclass policy rule {rule_id}"))
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["export-control", "chipclass-policy"]},
    }


def rules(run: CheckRun) -> list[dict[str, Any]]:
    versions: dict[str, list[tuple[Edition, Clause]]] = {}
    for edition in run.editions:
        for clause in edition.evaluated:
            versions.setdefault(clause.id, []).append((edition, clause))
    found = [_clause_rule(v) for v in versions.values()]
    extra = list(_EXTRA)
    for check in run.checks:
        for reason in check.reasons:
            if reason.rule not in versions and reason.rule not in extra:
                extra.append(reason.rule)
    return found + [_extra_rule(r) for r in extra]


def _location(path: str, line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if line is not None:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _result(check: Check, index: dict[str, int]) -> dict[str, Any]:
    spec = check.spec
    first = check.reasons[0]
    lines = [f"{spec.name} ({spec.id}) fails under {check.edition}:"]
    lines += [f"- {reason.message}" for reason in check.reasons]
    return {
        "ruleId": first.rule,
        "ruleIndex": index[first.rule],
        "level": "error",
        "message": {"text": "\n".join(lines)},
        "locations": [_location(spec.path, check.line)],
        "properties": {
            "chip": spec.id,
            "edition": check.edition,
            "label": check.label,
            "allowed": check.allowed,
            "reasons": [
                {"kind": r.kind, "rule": r.rule, "message": r.message} for r in check.reasons
            ],
        },
    }


def _notification(problem: Problem) -> dict[str, Any]:
    message = f"{problem.key}: {problem.message}" if problem.key else problem.message
    return {
        "level": "error",
        "message": {"text": message},
        "locations": [_location(problem.file, problem.line)],
    }


def _problem_result(problem: Problem, index: dict[str, int]) -> dict[str, Any]:
    message = f"{problem.key}: {problem.message}" if problem.key else problem.message
    return {
        "ruleId": RULE_INPUT,
        "ruleIndex": index[RULE_INPUT],
        "level": "error",
        "message": {"text": message},
        "locations": [_location(problem.file, problem.line)],
        "properties": {"key": problem.key},
    }


def sarif_log(run: CheckRun) -> dict[str, Any]:
    catalog = rules(run)
    index = {rule["id"]: n for n, rule in enumerate(catalog)}
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "chipclass",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": catalog,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not run.problems,
                        "toolExecutionNotifications": [_notification(p) for p in run.problems],
                    }
                ],
                "results": [_result(c, index) for c in run.checks if not c.passed]
                + [_problem_result(p, index) for p in run.problems],
                "properties": {
                    "destination": destination_code(run.policy.editions),
                    "destinationName": destination_text(run.policy.editions),
                },
            }
        ],
    }


def sarif(run: CheckRun) -> str:
    return json.dumps(sarif_log(run), indent=2) + "\n"
