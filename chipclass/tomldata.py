"""Reading the law's data files (country groups, tariffs, presumptions): one TOML reader
with exact decimals, raising the caller's error. (Editions are read by chipclass.editions,
which reports every problem of a file with its key and line.)"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def load(text: str, source: str, error: type[Exception], exact: bool = True) -> dict[str, Any]:
    """The file's tables, numbers as Decimal (exact) or as TOML gives them; `error` names
    the file and what is wrong."""
    try:
        if exact:
            return tomllib.loads(text, parse_float=Decimal)
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{source}: not valid TOML: {problem}") from None
    except (RecursionError, ValueError) as problem:  # nesting, or integers past the parser
        raise error(f"{source}: not usable TOML: {type(problem).__name__}") from None
