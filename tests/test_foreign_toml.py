"""Folder walking: other tools' TOML is skipped with one note; named files, non-TOML
files and broken links are still errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from chipclass.problems import FILE_KINDS
from tests.conftest import ROOT, sheet_text

Run = Callable[..., Result]
NOTE = 'note: skipped 3 TOML files without format = "chipclass/..." (not chip sheets): '


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root: one sheet (TPP 296 * 8 = 2368), three other tools' TOML files."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.toml").write_text(sheet_text("a", "fp8 = 296"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "ruff.toml").write_text('format = "ruff"\nline-length = 88\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "markdown"])
def test_classify_a_repository_root_skips_other_tools_toml(run: Run, repo: Path, fmt: str) -> None:
    done = run("classify", ".", "-f", fmt, "-j", "1")
    assert done.exit_code == 0, done.stderr
    assert done.stderr == NOTE + "Cargo.toml, pyproject.toml, ruff.toml\n"
    assert "2368" in done.stdout


def test_classify_spread_over_processes_skips_them_too(run: Run, repo: Path) -> None:
    for index in range(3):
        (repo / "specs" / f"more{index}.toml").write_text(
            sheet_text(f"more{index}", "fp8 = 100"), encoding="utf-8"
        )
    done = run("classify", ".", "-f", "jsonl", "-j", "2")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.count("note: skipped") == 1
    assert len(done.stdout.splitlines()) == 4


@pytest.mark.parametrize("command", [["check", "--no-config"], ["report"]])
def test_check_and_report_skip_them(run: Run, repo: Path, command: list[str]) -> None:
    done = run(*command, ".")
    assert done.exit_code in (0, 1), done.stderr
    assert done.stderr.count("note: skipped 3 TOML files") == 1
    assert "error" not in done.stderr


def test_a_named_foreign_file_is_still_an_error(run: Run, repo: Path) -> None:
    done = run("classify", "specs", "Cargo.toml", "-f", "json")
    assert done.exit_code == 2
    errors = json.loads(done.stdout)["errors"]
    assert (errors[0]["file"], errors[0]["key"]) == ("Cargo.toml", "format")
    assert errors[0]["message"] == 'format: is required: format = "chipclass/1"'
    assert "note:" not in done.stderr


def test_only_sheets_skips_named_files_for_pre_commit(run: Run, repo: Path) -> None:
    done = run("check", "--no-config", "--only-sheets", "Cargo.toml", "ruff.toml")
    assert done.exit_code == 0
    assert 'note: skipped 2 TOML files without format = "chipclass/..."' in done.stderr
    hook = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    assert "entry: chipclass check --only-sheets" in hook


def test_a_chipclass_sheet_of_an_unknown_version_is_an_error(run: Run, repo: Path) -> None:
    (repo / "specs" / "future.toml").write_text(
        sheet_text("future").replace("chipclass/1", "chipclass/9"), encoding="utf-8"
    )
    done = run("classify", ".", "-f", "json")
    assert done.exit_code == 2
    assert [e["file"] for e in json.loads(done.stdout)["errors"]] == ["specs/future.toml"]


def test_a_file_that_is_not_toml_stays_an_error(run: Run, repo: Path) -> None:
    (repo / "specs" / "broken.toml").write_text("name = [\n", encoding="utf-8")
    done = run("classify", ".", "-f", "json")
    assert done.exit_code == 2
    assert [e["file"] for e in json.loads(done.stdout)["errors"]] == ["specs/broken.toml"]


def test_a_broken_symlink_in_a_folder_is_reported(run: Run, repo: Path) -> None:
    (repo / "specs" / "gone.toml").symlink_to("nowhere.toml")
    done = run("classify", ".", "-f", "json")
    assert done.exit_code == 2
    assert json.loads(done.stdout)["errors"] == [
        {"file": "specs/gone.toml", "message": "a broken symbolic link (to nowhere.toml)"}
    ]


def test_a_folder_of_only_other_tools_toml_has_no_sheets(run: Run, repo: Path) -> None:
    (repo / "specs" / "a.toml").unlink()
    done = run("classify", ".")
    assert done.exit_code == 2
    assert "no chip sheets found" in done.stderr


# --------------------------------------------------------------------------- the wrong command

#: one file of each of chipclass's kinds, and the command that reads it
KINDS = {
    "chipclass/1": ("specs/nvidia/h20.toml", ("classify",), "a chip sheet"),
    "chipclass-edition/1": (
        "chipclass/rules/us-2026-01.toml",
        ("rules", "check"),
        "a rule edition",
    ),
    "chipclass-transaction/1": (
        "examples/transactions/brisbane.toml",
        ("transaction",),
        "a transaction",
    ),
    "chipclass-parties/1": (
        "chipclass/data/parties/entity-list.toml",
        ("screen", "Huawei", "--list"),
        "a party list",
    ),
}


@pytest.mark.parametrize(
    ("given", "command"),
    [(g, c) for g in KINDS for c in KINDS if g != c],
)
def test_a_file_given_to_the_wrong_command_is_one_problem_naming_its_reader(
    run: Run, given: str, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    path, _, kind = KINDS[given]
    done = run(*KINDS[command][1], path)
    assert done.exit_code == 2
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert line.startswith(f"error: {path}:")
    assert f"format: {given!r} is {kind}, read by {FILE_KINDS[given][1]}" in line
    assert line.endswith(f'(this command reads "{command}")')
