"""`chipclass check --format github`: GitHub Actions workflow commands.

One `::error` annotation per failing part (and per input error), pointing at
the sheet's line, then one `::notice` with the counts. Passing parts print
nothing. Every value is escaped by the runner's rules, so that no chip name,
note or file name can end the line early and start a command of its own:
in messages `%` -> `%25`, CR -> `%0D`, LF -> `%0A`; in properties also
`:` -> `%3A` and `,` -> `%2C`. Other control and line-breaking characters
become spaces.
"""

from __future__ import annotations

from chipclass.policy import Check, CheckRun
from chipclass.report.check_text import summary_line
from chipclass.report.where import destination_text
from chipclass.spec import Problem

_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY = {**_DATA, ":": "%3A", ",": "%2C"}


def _escape(text: str, table: dict[str, str]) -> str:
    out: list[str] = []
    for char in text:
        if char in table:
            out.append(table[char])
        elif char.isprintable():
            out.append(char)
        else:
            out.append(" ")
    return "".join(out)


def escape_data(text: str) -> str:
    return _escape(text, _DATA)


def escape_property(text: str) -> str:
    return _escape(text, _PROPERTY)


def command(name: str, message: str, **properties: str | int | None) -> str:
    """`::name key=value,...::message`, every part escaped."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _failure(check: Check) -> str:
    spec = check.spec
    lines = [f"{spec.name} ({spec.id}) fails under {check.edition}:"]
    lines += [f"- {reason.message}" for reason in check.reasons]
    return command(
        "error",
        "\n".join(lines),
        file=spec.path,
        line=check.line,
        title=f"chipclass: {spec.id} is {check.label} under {check.edition}",
    )


def _problem(problem: Problem) -> str:
    message = f"{problem.key}: {problem.message}" if problem.key else problem.message
    return command(
        "error",
        message,
        file=problem.file,
        line=problem.line,
        title="chipclass: invalid input",
    )


def github(run: CheckRun) -> str:
    lines = [_failure(c) for c in run.checks if not c.passed]
    lines += [_problem(p) for p in run.problems]
    where = f" · destination {destination_text(run.policy.editions)}"
    lines.append(command("notice", summary_line(run) + where, title="chipclass check"))
    return "\n".join(lines) + "\n"
