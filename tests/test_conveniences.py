"""Conveniences (issue 14 item 14): `-` for stdin, globs in config paths, `schema`,
--quiet, --color and FORCE_COLOR/NO_COLOR, shell completion."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from chipclass.cli import cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
from chipclass.schema import sheet_schema
from tests.conftest import SPECS, sheet_text

Run = Callable[..., Result]
H20 = SPECS / "nvidia" / "h20.toml"


def _stdin_run(*args: str, text: str) -> Result:
    return CliRunner().invoke(cli, list(args), input=text, catch_exceptions=False)


def test_dash_reads_a_sheet_from_stdin() -> None:
    done = _stdin_run("classify", "-", "-f", "json", text=H20.read_text(encoding="utf-8"))
    assert done.exit_code == 0, done.stderr
    (result,) = json.loads(done.stdout)["results"]
    assert result["file"] == "<stdin>" and result["metrics"]["tpp"] == 2368


def test_a_bad_sheet_on_stdin_is_named_stdin() -> None:
    done = _stdin_run("check", "-", "--no-config", text="x")
    assert done.exit_code == 2
    assert "<stdin>:1: not valid TOML" in done.stderr


def test_stdin_with_jobs_is_read_once_in_this_process(tmp_path: Path) -> None:
    other = tmp_path / "a.toml"
    other.write_text(sheet_text("a", "fp8 = 100"), encoding="utf-8")
    done = _stdin_run("classify", "-", str(other), "-f", "jsonl", "-j", "2", text=H20.read_text())
    assert done.exit_code == 0
    ids = [json.loads(line)["chip"]["id"] for line in done.stdout.splitlines()]
    assert ids == ["nvidia-h20", "a"]


def test_globs_in_config_paths(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder, chip in (("a", "h1"), ("b", "h2"), ("b", "x3")):
        (tmp_path / "specs" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "specs" / folder / f"{chip}.toml").write_text(
            sheet_text(chip, "fp8 = 100"), encoding="utf-8"
        )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.chipclass]\npaths = ["specs/*/h*.toml"]\nallow-indeterminate = true\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    done = run("check", "-f", "json")
    assert done.exit_code == 0, done.stderr
    assert sorted(r["chip"]["id"] for r in json.loads(done.stdout)["results"]) == ["h1", "h2"]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.chipclass]\npaths = ["nope/*.toml"]\n', encoding="utf-8"
    )
    done = run("check")
    assert done.exit_code == 2
    assert "paths: 'nope/*.toml' matches no file or folder" in done.stderr


# --------------------------------------------------------------------------- schema


def _check(value: Any, schema: dict[str, Any], where: str) -> list[str]:
    """The structural part of draft-04 the sheet schema uses: types of tables, their
    properties, required keys, additionalProperties false, enums. (Enough to show the
    schema describes every bundled sheet; chipclass itself checks the figures.)"""
    found: list[str] = []
    if "anyOf" in schema:
        options = [_check(value, option, where) for option in schema["anyOf"]]
        return [] if any(not o for o in options) else [f"{where}: no anyOf option fits"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: not a table"]
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{where}: {key} missing")
        for key, item in value.items():
            if key in schema.get("properties", {}):
                found += _check(item, schema["properties"][key], f"{where}.{key}")
            elif any(re.match(p, key) for p in schema.get("patternProperties", {})):
                pattern = next(p for p in schema["patternProperties"] if re.match(p, key))
                found += _check(item, schema["patternProperties"][pattern], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{where}: unknown key {key}")
    elif kind == "array":
        if not isinstance(value, list):
            return [f"{where}: not an array"]
        for index, item in enumerate(value):
            found += _check(item, schema["items"], f"{where}[{index}]")
    elif kind == "string" and not isinstance(value, str):
        if not (schema.get("format") == "date" and hasattr(value, "isoformat")):
            found.append(f"{where}: not a string")
    elif kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        found.append(f"{where}: not a number")
    elif kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        found.append(f"{where}: not an integer")
    elif kind == "boolean" and not isinstance(value, bool):
        found.append(f"{where}: not a boolean")
    return found


def test_schema_command_prints_the_schema(run: Run) -> None:
    done = run("schema")
    assert done.exit_code == 0
    printed = json.loads(done.stdout)
    assert printed == json.loads(json.dumps(sheet_schema()))
    assert printed["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert printed["required"] == ["format", "chip", "performance"]
    assert printed["properties"]["format"] == {"enum": ["chipclass/1"]}


def test_every_bundled_sheet_fits_the_schema() -> None:
    schema = sheet_schema()
    sheets = sorted(SPECS.rglob("*.toml"))
    assert len(sheets) >= 60
    for sheet in sheets:
        data = tomllib.loads(sheet.read_text(encoding="utf-8"))
        assert _check(data, schema, sheet.name) == []


def test_the_schema_refuses_what_the_parser_refuses() -> None:
    schema = sheet_schema()
    data = tomllib.loads(sheet_text(rest="[memory]\nbandwidth = 1\n"))
    assert _check(data, schema, "s") == ["s.memory: unknown key bandwidth"]
    data = tomllib.loads(sheet_text().replace("chipclass/1", "chipclass/2"))
    assert _check(data, schema, "s") == ["s.format: 'chipclass/2' not in ['chipclass/1']"]


def test_the_docs_show_the_schema_line() -> None:
    text = (SPECS.parent / "docs" / "sheet-format.md").read_text(encoding="utf-8")
    assert "#:schema ./sheet.schema.json" in text
    assert "chipclass schema -o" in text


# --------------------------------------------------------------------------- quiet, color


def test_quiet_drops_the_notes_not_the_errors(run: Run, tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text("[package]\n", encoding="utf-8")
    (tmp_path / "bad.toml").write_text("x", encoding="utf-8")
    (tmp_path / "a.toml").write_text(sheet_text("a"), encoding="utf-8")
    loud = run("classify", str(tmp_path), "-f", "json")
    assert "note: skipped 1 TOML file" in loud.stderr
    quiet = run("--quiet", "classify", str(tmp_path), "-f", "json")
    assert "note:" not in quiet.stderr
    assert "bad.toml:1: not valid TOML" in quiet.stderr and quiet.exit_code == 2


def _piped(*args: str, **env: str) -> str:
    full = {**os.environ, **env}
    for name in ("NO_COLOR", "FORCE_COLOR"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "chipclass", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
        check=False,
    ).stdout


def test_color_always_never_and_the_environment() -> None:
    escape = "\x1b["
    assert escape not in _piped("classify", str(H20))  # auto, piped: plain
    assert escape in _piped("--color", "always", "classify", str(H20))
    assert escape in _piped("classify", str(H20), FORCE_COLOR="1")
    assert escape not in _piped("classify", str(H20), FORCE_COLOR="1", NO_COLOR="1")
    assert escape not in _piped("--color", "never", "classify", str(H20), FORCE_COLOR="1")


# --------------------------------------------------------------------------- completion


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(run: Run, shell: str) -> None:
    done = run("completion", shell)
    assert done.exit_code == 0
    assert "_CHIPCLASS_COMPLETE" in done.stdout


def _complete(words: str) -> list[str]:
    env = {
        **os.environ,
        "_CHIPCLASS_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from chipclass.cli import main; main()"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if "," in line]


def test_completion_of_edition_ids_and_destinations() -> None:
    assert _complete("chipclass classify -e us-2024") == ["us-2024-04", "us-2024-12"]
    assert "latest" in _complete("chipclass tailor x -e l")
    assert _complete("chipclass check -d SA") == ["SA"]
    assert "CN" in _complete("chipclass history x --destination C")
