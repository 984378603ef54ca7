"""Every report chipclass writes, in one table: (command, format) -> its reporter.

A reporter is a function of one argument, the object the command built (a CheckRun,
a Comparison, a `Tailored`, ...), returning text to write as it is or a `Doc`, which
`chipclass.cli.common.emit` renders: rich on a terminal, plain aligned text anywhere
else. Commands parse options, call the core, hand the result to `emit` with the
format asked for, and exit; none of them knows how a format is written.

The table names each reporter as "module:function" below chipclass.report, so that
a command imports only the reporter it uses (the CSV writer never loads rich, the
JSON writer never loads the text tables).

What a command hands its reporters, where no one core object says it all, is in
chipclass.report.subjects. `classify --format json|jsonl` streams its results as the
worker processes finish them; those two formats are `Streamed` writers instead (see
chipclass.report.serialize).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from chipclass.classify import Result
    from chipclass.report.doc import Doc

#: command -> format -> "module:function" (module below chipclass.report)
REPORTERS: Final[Mapping[str, Mapping[str, str]]] = {
    "classify": {
        "text": "classify_text:text_report",
        "json": "serialize:DOCUMENT",
        "jsonl": "serialize:LINES",
        "markdown": "markdown:markdown_report",
    },
    "check": {
        "text": "check_text:text_doc",
        "json": "check_json:json_report",
        "sarif": "sarif:sarif",
        "junit": "junit:junit",
        "github": "github:github",
        "markdown": "check_text:markdown",
    },
    "diff": {
        "text": "diff_text:diff_doc",
        "json": "diff_json:json_report",
        "markdown": "diff_markdown:diff_markdown",
    },
    "history": {"text": "history_text:text_report", "json": "history_text:json_report"},
    "tailor": {"text": "tailor_text:text_report", "json": "tailor_text:json_report"},
    "frontier": {"text": "frontier_text:text_report", "json": "frontier_text:json_report"},
    "report": {
        "text": "catalog:text_report",
        "markdown": "catalog:markdown_report",
        "html": "html:html_report",
    },
    "rules": {"text": "rules_text:editions_doc", "json": "rules_text:editions_json"},
    "rules show": {"text": "rules_text:edition_doc", "json": "rules_text:edition_json"},
    "rules check": {"text": "rules_check:check_doc", "json": "rules_check:check_json"},
    "screen": {"text": "screen:to_doc", "json": "screen:to_json", "csv": "screen:to_csv"},
    "parties info": {"text": "parties:info_doc", "json": "parties:info_json"},
    "parties diff": {"text": "parties:diff_doc", "json": "parties:diff_json"},
    "transaction": {
        "text": "transaction_text:text_report",
        "json": "transaction_json:json_report",
        "markdown": "transaction_markdown:markdown_report",
    },
}


#: command -> old --format spellings still accepted -> the format each stands for
ALIASES: Final[Mapping[str, Mapping[str, str]]] = {"classify": {"table": "text"}}


def formats(command: str) -> tuple[str, ...]:
    """The formats a command writes, text first (its default)."""
    return tuple(REPORTERS[command])


def choices(command: str) -> tuple[str, ...]:
    """What a command's --format accepts: its formats, then their old spellings."""
    return (*REPORTERS[command], *ALIASES.get(command, {}))


def canonical(command: str, fmt: str) -> str:
    """The format a --format spelling stands for (an old spelling, or itself)."""
    return ALIASES.get(command, {}).get(fmt, fmt)


def reporter(command: str, fmt: str) -> Callable[[Any], str | Doc]:
    """The function that writes `command`'s result in `fmt` (imported on first use)."""
    module, name = REPORTERS[command][fmt].split(":")
    found: Callable[[Any], str | Doc] = getattr(
        importlib.import_module(f"chipclass.report.{module}"), name
    )
    return found


def streamed(command: str, fmt: str) -> Streamed | None:
    """The streaming writer of `command` in `fmt`, or None when the format is written
    from the whole result at once (then use `reporter`)."""
    module, name = REPORTERS[command][fmt].split(":")
    found = getattr(importlib.import_module(f"chipclass.report.{module}"), name)
    return found if isinstance(found, Streamed) else None


class Streamed:
    """A format written item by item as results arrive (classify's json and jsonl).

    `item` renders one result (in a worker process, so it is a module-level function
    that pickles); `write` writes the rendered items and the run's problems to a
    stream, opening and closing the document around them."""

    __slots__ = ("item", "write")

    def __init__(self, item: Callable[[Result], str], write: Callable[..., None]) -> None:
        self.item = item
        self.write = write
