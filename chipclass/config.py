"""`[tool.chipclass]` in pyproject.toml: the defaults of `chipclass check`.

The table is looked for in the nearest pyproject.toml that has one, from the
working folder up to the filesystem root. Every key is checked: an unknown key
or a value of the wrong type is an input error naming the file and the key.
Relative `paths` are read against the folder of the pyproject.toml.

    [tool.chipclass]
    edition = "us-2026-01"        # or a list of ids; default: the latest edition
    fail-on = "license-required"  # default: restricted
    min-margin = 2.0              # percent; default: none
    paths = ["specs"]             # or globs ("specs/**/*.toml"); default: PATH arguments
                                  # are required
    allow-indeterminate = false   # default: false
    destination = "CN"            # ISO code or name; default: CN (China)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import tomli

from chipclass.editions import EditionError, Registry
from chipclass.keylines import KeyLines
from chipclass.problems import kind_of, unknown_key
from chipclass.spec import Problem

PYPROJECT: Final = "pyproject.toml"
TABLE: Final = "[tool.chipclass]"
Fail = Callable[[str, str], None]
KEYS: Final = (
    "edition",
    "fail-on",
    "min-margin",
    "paths",
    "allow-indeterminate",
    "destination",
    "rules",
)
MAX_MARGIN: Final = Fraction(1000)


@dataclass(frozen=True)
class Config:
    """The values a `[tool.chipclass]` table sets; None (or empty) where it is silent."""

    source: Path
    editions: tuple[str, ...] = ()
    fail_on: str | None = None
    min_margin_pct: Fraction | None = None
    paths: tuple[Path, ...] = ()
    allow_indeterminate: bool | None = None
    destination: str | None = None
    #: folders of user editions, beside the bundled ones (read against the pyproject's folder)
    rules: tuple[Path, ...] = ()

    def under(self, given: Config, editions_chosen: bool) -> Config:
        """The settings of a run: what the command line gives (`given`, a Config of its
        options) wins key by key; where it is silent, this table's value holds. The
        editions count as given when the command line chose any way (--edition,
        --all-editions or --as-of: `editions_chosen`). Rule folders are this table's."""
        return replace(
            given,
            source=self.source,
            editions=given.editions if editions_chosen else self.editions,
            fail_on=given.fail_on or self.fail_on,
            min_margin_pct=(
                given.min_margin_pct if given.min_margin_pct is not None else self.min_margin_pct
            ),
            allow_indeterminate=(
                given.allow_indeterminate
                if given.allow_indeterminate is not None
                else self.allow_indeterminate
            ),
            destination=given.destination or self.destination,
            paths=given.paths or self.paths,
            rules=self.rules,
        )


class ConfigError(Exception):
    """A configuration that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _read(path: Path) -> tuple[dict[str, Any], str]:
    """The file's tables, and its text (for the lines of problems)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError([Problem(str(path), f"cannot read: {error.strerror or error}")]) from None
    except UnicodeDecodeError as error:
        raise ConfigError([Problem(str(path), f"not UTF-8 text (byte {error.start})")]) from None
    try:
        return tomli.loads(text, parse_float=Decimal), text
    except tomli.TOMLDecodeError as error:
        raise ConfigError([Problem(str(path), f"not valid TOML: {error}")]) from None


def _table(data: Mapping[str, Any]) -> Any:
    tool = data.get("tool")
    return tool.get("chipclass") if isinstance(tool, dict) else None


def find(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.chipclass] table, from `start` up."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / PYPROJECT
        if path.is_file() and _table(_read(path)[0]) is not None:
            return path
    return None


def discover(start: Path) -> Config | None:
    """The configuration in force in `start` (usually the working folder), if any."""
    path = find(start)
    return None if path is None else load(path)


def load(path: Path) -> Config:
    """Read and check the [tool.chipclass] table of one file; raise ConfigError."""
    data, text = _read(path)
    table = _table(data)
    file = str(path)
    lines = KeyLines(text)
    if table is None:
        raise ConfigError([Problem(file, "has no [tool.chipclass] table", TABLE)])
    if not isinstance(table, dict):
        raise ConfigError([Problem(file, "must be a table", TABLE, lines.near("tool.chipclass"))])
    return _check(table, path, lines)


def _check(table: Mapping[str, Any], path: Path, lines: KeyLines) -> Config:
    file = str(path)
    problems: list[Problem] = []

    def fail(key: str, message: str) -> None:
        line = lines.near(f"tool.chipclass.{key}")
        problems.append(Problem(file, message, f"{TABLE} {key}", line))

    for key in table:
        if key not in KEYS:
            fail(key, unknown_key(key, KEYS))

    rules = _paths(table.get("rules"), path.parent, fail, "rules", '["my-rules"]')
    editions = _editions(table.get("edition"), fail, rules)
    fail_on = table.get("fail-on")
    from chipclass.policy import FAIL_ON_LABELS

    if fail_on is not None and fail_on not in FAIL_ON_LABELS:
        fail("fail-on", f"must be one of {', '.join(FAIL_ON_LABELS)}, not {_kind(fail_on)}")
        fail_on = None
    margin = _margin(table.get("min-margin"), fail)
    paths = _paths(table.get("paths"), path.parent, fail)
    allow = table.get("allow-indeterminate")
    if allow is not None and not isinstance(allow, bool):
        fail("allow-indeterminate", f"must be true or false, not {_kind(allow)}")
        allow = None
    destination = _destination(table.get("destination"), fail)
    if problems:
        raise ConfigError(problems)
    return Config(path, editions, fail_on, margin, paths, allow, destination, rules)


def _destination(value: Any, fail: Fail) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        fail("destination", f'must be a country code or name (e.g. "CN"), not {_kind(value)}')
        return None
    from chipclass.destinations import resolve

    try:
        return resolve(value).code
    except LookupError as error:
        fail("destination", str(error.args[0]))
        return None


def _editions(value: Any, fail: Fail, rules: tuple[Path, ...]) -> tuple[str, ...]:
    if value is None:
        return ()
    ids = [value] if isinstance(value, str) else value
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        fail(
            "edition",
            f'must be an edition id or a list of ids (e.g. "us-2026-01"), not {_kind(value)}',
        )
        return ()
    registry = Registry([str(r) for r in rules])
    for edition_id in ids:
        try:
            registry.by_id(edition_id)
        except LookupError as error:
            fail("edition", str(error.args[0]))
            return ()
        except EditionError as error:
            fail("rules", str(error))
            return ()
    return tuple(ids)


def _margin(value: Any, fail: Fail) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        fail("min-margin", f"must be a number of percent (e.g. 2.0), not {_kind(value)}")
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        fail("min-margin", f"must be a finite number, not {value}")
        return None
    margin = Fraction(value)
    if margin < 0 or margin > MAX_MARGIN:
        fail("min-margin", f"must be between 0 and {MAX_MARGIN} (percent), not {value}")
        return None
    return margin


def _paths(
    value: Any, base: Path, fail: Fail, key: str = "paths", example: str = '["specs"]'
) -> tuple[Path, ...]:
    if value is None:
        return ()
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(p, str) and p.strip() for p in value)
    ):
        fail(key, f"must be a list of paths (e.g. {key} = {example}), not {_kind(value)}")
        return ()
    found: list[Path] = []
    for pattern in value:
        if not _GLOB.search(pattern):
            found.append(base / pattern)
            continue
        import glob

        # a glob (specs/*/h*.toml, specs/**/*.toml), read against the config's folder;
        # hidden files only where the pattern names them, as a shell has it
        matches = sorted(glob.glob(str(base / pattern), recursive=True))
        if not matches:
            fail("paths", f"{pattern!r} matches no file or folder")
        found.extend(Path(m) for m in matches)
    return tuple(found)


_GLOB: Final = re.compile(r"[*?\[]")


def _kind(value: Any) -> str:
    """kind_of(value), an array with its length (a list of paths or ids is read here)."""
    if isinstance(value, list):
        return f"an array ({len(value)} items)" if value else "an empty array"
    return kind_of(value)
