"""One thing wrong with an input file, and the words every reader of TOML input shares.

A sheet, an edition, a party list, a transaction and a configuration are each checked
completely before they are refused; each problem found is a `Problem`: the file, what is
wrong, and where the text allows, the key and its line (chipclass.keylines).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Final, NamedTuple

import tomli


class Problem(NamedTuple):
    """One thing wrong with an input file: `FILE:LINE: KEY: message`."""

    file: str
    message: str
    key: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


#: chipclass's own kinds of file, by their `format`: what one is, and the command that
#: reads it (a file given to another command is told so, in one problem)
FILE_KINDS: Final = {
    "chipclass/1": ("a chip sheet", "`chipclass classify`"),
    "chipclass-edition/1": ("a rule edition", "`chipclass rules check` and `--rules DIR`"),
    "chipclass-transaction/1": ("a transaction", "`chipclass transaction`"),
    "chipclass-parties/1": ("a party list", "`chipclass screen --list`"),
}


def another_kind(fmt: object, wanted: str) -> str | None:
    """The problem of a `format` that names another of chipclass's kinds of file than
    `wanted`: "'chipclass-transaction/1' is a transaction, read by `chipclass
    transaction` (this command reads "chipclass/1")"; None for any other value."""
    if not isinstance(fmt, str) or fmt == wanted or fmt not in FILE_KINDS:
        return None
    kind, readers = FILE_KINDS[fmt]
    return f"{fmt!r} is {kind}, read by {readers} {reads(wanted)}"


def reads(wanted: str) -> str:
    """The end of a wrong format's problem: '(this command reads "chipclass/1")'."""
    return f'(this command reads "{wanted}")'


def kind_of(value: Any) -> str:
    """What a TOML value is, in words, for "must be a string, not a number (5)"."""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        shown = repr(value) if len(value) <= 60 else repr(value[:57]) + "..."
        return f"a string ({shown})"
    if isinstance(value, (int, Decimal)):
        return f"a number ({value})"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def unknown_key(key: str, allowed: tuple[str, ...], named: bool = False) -> str:
    """The one wording of a key the format does not have (every reader refuses it: a typo
    must not pass as absent): "unknown key (did you mean 'memory'?); allowed here: ...",
    the key itself `named` where the message is all there is ("unknown key 'unit'...")."""
    name = f" {key!r}" if named else ""
    return f"unknown key{name}{closest(key, allowed)}; allowed here: {', '.join(allowed)}"


def closest(key: str, allowed: tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' for a key close to an allowed one, else ''."""
    import difflib

    match = difflib.get_close_matches(key, allowed, n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


# ------------------------------------------------------------------ TOML that does not read

_AT_LINE: Final = re.compile(r"\(at line (\d+), column \d+\)")
#: a number this long is refused by Python's int() (sys.get_int_max_str_digits default)
_LONG_NUMBER: Final = re.compile(r"[0-9][0-9_]{4000,}")
_KEY_AT_LINE_START: Final = re.compile(r"\s*([A-Za-z0-9_.\"'-]+?)\s*=")


def toml_problem(file: str, text: str, error: Exception, what: str) -> Problem:
    """The one problem of a text the TOML parser refuses (a TOMLDecodeError), cannot nest
    (RecursionError) or cannot hold (ValueError); `what` is "a sheet", "an edition"..."""
    if isinstance(error, tomli.TOMLDecodeError):
        return _decode_problem(file, text, str(error))
    if isinstance(error, RecursionError):
        return Problem(file, "not usable TOML: values are nested too deeply")
    if isinstance(error, ValueError):  # e.g. an integer past Python's 4300-digit limit
        return _value_problem(file, text, error, what)
    return Problem(file, f"not usable TOML: {type(error).__name__}")


def _decode_problem(file: str, text: str, error: str) -> Problem:
    """A TOML syntax error, with its line and the statement quoted (so the key is named)."""
    lines = text.split("\n")  # the TOML parser counts lines by LF alone
    match = _AT_LINE.search(error)
    if match is not None:
        number = int(match.group(1))
    elif "at end of document" in error:
        filled = [n for n, line in enumerate(lines, start=1) if line.strip()]
        number = filled[-1] if filled else 0
    else:
        number = 0
    if not 1 <= number <= len(lines):
        return Problem(file, f"not valid TOML: {error}")
    statement = lines[number - 1].strip()
    if len(statement) > 60:
        statement = statement[:57] + "..."
    quoted = f" in {statement!r}" if statement else ""
    return Problem(file, f"not valid TOML: {error}{quoted}", line=number)


def _value_problem(file: str, text: str, error: ValueError, what: str) -> Problem:
    """A value TOML reads but Python cannot hold: an integer of thousands of digits."""
    match = _LONG_NUMBER.search(text)
    if match is None:
        return Problem(file, f"not usable TOML: {' '.join(str(error).split())}")
    digits = sum(1 for c in match.group() if c.isdigit())
    start = text.rfind("\n", 0, match.start()) + 1
    line = text.count("\n", 0, match.start()) + 1
    key = _KEY_AT_LINE_START.match(text, start)
    return Problem(
        file,
        f"a number of {digits} digits: far past any figure {what} can hold",
        key.group(1).strip("\"'") if key else None,
        line,
    )
