"""`check --format json`: the policy, a summary, one result per part and edition, the
errors (spec-format.md section 6)."""

from __future__ import annotations

from typing import Any

from chipclass import __version__
from chipclass.numbers import number
from chipclass.policy import Check, CheckRun, line_for
from chipclass.report import jsontext
from chipclass.report.where import destination_code, destination_text
from chipclass.serialize import change_dict, problem_dict


def check_document(run: CheckRun) -> dict[str, Any]:
    policy = run.policy
    return {
        "chipclass": __version__,
        "policy": {
            "editions": [e.id for e in policy.editions],
            "destination": destination_code(policy.editions),
            "destination_name": destination_text(policy.editions),
            "fail_on": policy.fail_on,
            "allowed": policy.allowed,
            "min_margin_pct": number(policy.min_margin_pct),
            "allow_indeterminate": policy.allow_indeterminate,
            "config": run.config,
        },
        "summary": {
            "parts": len(run.outcomes),
            "passed": run.passed,
            "failed": run.failed,
            "errors": len(run.problems),
        },
        "results": [_check_dict(c) for c in run.checks],
        "errors": [problem_dict(p) for p in run.problems],
    }


def _check_dict(check: Check) -> dict[str, Any]:
    spec = check.spec
    return {
        "file": spec.path,
        "chip": {"id": spec.id, "name": spec.name, "vendor": spec.vendor},
        "edition": check.edition,
        "label": check.label,
        "allowed": check.allowed,
        "passed": check.passed,
        "checked": [
            n for n, on in (("policy", check.by_policy), ("expect", check.by_expect)) if on
        ],
        "line": check.line,
        "reasons": [
            {
                "kind": r.kind,
                "rule": r.rule,
                "message": r.message,
                "key": r.key,
                "line": line_for(spec, r.key),
            }
            for r in check.reasons
        ],
        "nearest_stricter": change_dict(check.verdict.nearest_stricter),
    }


def json_report(run: CheckRun) -> str:
    """`check --format json`."""
    return jsontext.dumps(check_document(run)) + "\n"
