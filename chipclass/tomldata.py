"""Reading the law's data files (country groups, tariffs, presumptions, transaction law):
one TOML reader with exact decimals and one set of field checks, raising the caller's
error. (Editions are read by chipclass.editions, which reports every problem of a file
with its key and line.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import tomli

from chipclass.problems import unknown_key


def load(text: str, source: str, error: type[Exception], exact: bool = True) -> dict[str, Any]:
    """The file's tables, numbers as Decimal (exact) or as TOML gives them; `error` names
    the file and what is wrong."""
    try:
        if exact:
            return tomli.loads(text, parse_float=Decimal)
        return tomli.loads(text)
    except tomli.TOMLDecodeError as problem:
        raise error(f"{source}: not valid TOML: {problem}") from None
    except (RecursionError, ValueError) as problem:  # nesting, or integers past the parser
        raise error(f"{source}: not usable TOML: {type(problem).__name__}") from None


# --------------------------------------------------------------------------- fields
# The checks every law-data reader makes of a table, with one wording; `error` is the
# reader's own exception, `where` names the file and table.


def no_unknown(
    table: Mapping[str, Any], allowed: tuple[str, ...], where: str, error: type[Exception]
) -> None:
    """Refuse a key the format does not have (a typo must not pass as absent)."""
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise error(f"{where}: {unknown_key(unknown[0], allowed, named=True)}")


def text(table: Mapping[str, Any], key: str, where: str, error: type[Exception]) -> str:
    """A required, non-empty string."""
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise error(f"{where} {key}: required, a non-empty string")
    return value


def optional_text(
    table: Mapping[str, Any], key: str, where: str, error: type[Exception]
) -> str | None:
    """A non-empty string where the key is given, else None."""
    return None if table.get(key) is None else text(table, key, where, error)


def date(
    table: Mapping[str, Any],
    key: str,
    where: str,
    error: type[Exception],
    example: str,
    required: bool = False,
) -> dt.date | None:
    """A TOML date (not a date-time), or None where the key is absent and not required;
    `example` is the date the message shows."""
    value = table.get(key)
    if value is None:
        if required:
            raise error(f"{where} {key}: required, a TOML date")
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise error(f"{where} {key}: must be a TOML date such as {example}")
    return value
