"""`chipclass check` for people: a text list (PASS/FAIL with reasons) and a
markdown summary for `$GITHUB_STEP_SUMMARY` and pull-request comments."""

from __future__ import annotations

from collections.abc import Sequence

from chipclass.numbers import show
from chipclass.policy import Check, CheckRun, Policy, line_for
from chipclass.report.doc import Cell, Doc
from chipclass.report.escape import markdown as md
from chipclass.report.escape import markdown_code, terminal
from chipclass.report.markdown import LABEL_MARKS, table
from chipclass.report.where import destination_text
from chipclass.spec import Problem
from chipclass.words import short_change

#: above this many rows, the markdown summary folds the passing parts away
FOLD_PASSING_ROWS = 50


#: text safe to print on one line (the one escaping function, chipclass.report.escape)
oneline = terminal


def policy_line(policy: Policy, config: str | None) -> str:
    editions = ", ".join(e.id for e in policy.editions)
    margin = "none" if policy.min_margin_pct is None else f"{show(policy.min_margin_pct)} %"
    unknown = "allowed" if policy.allow_indeterminate else "fails"
    where = f"; config: {oneline(config)}" if config else ""
    return (
        f"policy: fail on {policy.fail_on} or more severe · editions {editions}"
        f" · destination {destination_text(policy.editions)}"
        f" · min margin {margin} · indeterminate {unknown}{where}"
    )


def summary_line(run: CheckRun) -> str:
    text = f"{run.passed} passed, {run.failed} failed"
    if run.problems:
        errors = len(run.problems)
        text += f", {errors} input error{'s' if errors != 1 else ''}"
    return text


# --------------------------------------------------------------------------- text


def text_doc(run: CheckRun) -> Doc:
    doc = Doc()
    doc.line(Cell(policy_line(run.policy, run.config), "dim"))
    for outcome in run.outcomes:
        spec = outcome.spec
        mark = Cell("PASS", "exportable") if outcome.passed else Cell("FAIL", "error")
        doc.line(
            mark,
            f"  {spec.id}  ",
            Cell(f"{oneline(spec.name)}  {oneline(spec.path)}", "dim"),
        )
        for check in outcome.checks:
            _check_lines(doc, check)
    if run.problems:
        doc.blank()
        for problem in run.problems:
            doc.line(Cell("ERROR", "error"), f"  {oneline(str(problem))}")
    doc.blank()
    doc.line(summary_line(run))
    return doc


def _check_lines(doc: Doc, check: Check) -> None:
    allowed = check.allowed or "any label"
    scope = "" if check.by_policy else "  ([expect] only)"
    doc.line(
        f"{check.edition}: ",
        Cell(check.label, check.label),
        f"  allowed: {allowed}  nearest stricter: {short_change(check.verdict.nearest_stricter)}",
        Cell(scope, "dim"),
        indent=6,
    )
    for reason in check.reasons:
        where = f"{oneline(check.spec.path)}:{_line(check, reason.key)}"
        doc.line(f"- {reason.message}", Cell(f"  ({where})", "dim"), indent=8)


def _line(check: Check, key: str | None) -> int:
    return line_for(check.spec, key)


# --------------------------------------------------------------------------- markdown


#: an inline code span that holds any text (backticks included)
code = markdown_code


def headline(run: CheckRun) -> str:
    total = len(run.outcomes)
    if run.failed:
        head = f"❌ {run.failed} of {total} part{'s' if total != 1 else ''} failed"
    elif total:
        head = f"✅ all {total} part{'s' if total != 1 else ''} passed"
    else:
        head = "no part checked"
    if run.problems:
        errors = len(run.problems)
        head += f" · ⚠️ {errors} input error{'s' if errors != 1 else ''}"
    return f"### chipclass check: {head}\n"


def _row(check: Check) -> list[str]:
    return [
        f"`{check.spec.id}`",
        check.edition,
        LABEL_MARKS.get(check.label, check.label),
        check.allowed or "any",
        short_change(check.verdict.nearest_stricter),
        "✅" if check.passed else "❌",
    ]


COLUMNS = ("chip", "edition", "label", "allowed", "nearest stricter", "result")


def markdown(run: CheckRun) -> str:
    parts = [headline(run), "\n", md(policy_line(run.policy, run.config)), "\n\n"]
    checks = run.checks
    failing = [c for c in checks if not c.passed]
    passing = [c for c in checks if c.passed]
    if len(checks) > FOLD_PASSING_ROWS and failing:
        parts.append(table(COLUMNS, [_row(c) for c in failing]))
        parts.append(f"\n<details><summary>{len(passing)} passing</summary>\n\n")
        parts.append(table(COLUMNS, [_row(c) for c in passing]) if passing else "")
        parts.append("\n</details>\n")
    elif checks:
        parts.append(table(COLUMNS, [_row(c) for c in checks]))
    if failing:
        parts.append("\n**Why**\n\n")
        for check in failing:
            for reason in check.reasons:
                parts.append(
                    f"- ❌ `{check.spec.id}` ({check.edition}, {code(check.spec.path)}"
                    f" line {_line(check, reason.key)}): {md(reason.message)}\n"
                )
    parts.append(_problems_markdown(run.problems))
    parts.append(f"\n{summary_line(run)}\n")
    return "".join(parts)


def _problems_markdown(problems: Sequence[Problem]) -> str:
    if not problems:
        return ""
    return "\n**Input errors**\n\n" + "".join(f"- ⚠️ {code(str(p))}\n" for p in problems)
