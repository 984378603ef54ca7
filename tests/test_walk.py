"""Walking folders for sheets: recursive, *.toml only, hidden entries skipped, symlink
loops safe, every file once, and one chip id in two sheets is an error naming both."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner, Result
from conftest import sheet_text
from hypothesis import given
from hypothesis import strategies as st

from chipclass.cli import cli
from chipclass.files import iter_loaded, iter_sheet_paths, load_all, load_sheet, path_text
from chipclass.spec import ChipSpec

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX path spelling")
needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks"
)


def _sheet(path: Path, chip_id: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sheet_text(chip_id=chip_id or path.stem), encoding="utf-8")
    return path


def _found(*roots: Path) -> list[str]:
    base = roots[0] if roots[0].is_dir() else roots[0].parent
    out: list[str] = []
    for path, message in iter_sheet_paths(list(roots)):
        assert message is None, (path, message)
        out.append(Path(path).relative_to(base).as_posix())
    return out


def _invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@posix_only
@given(st.text(alphabet="ab./", max_size=12))
def test_paths_are_written_as_pathlib_writes_them(text: str) -> None:
    assert path_text(text) == str(PurePosixPath(text))
    assert path_text(PurePosixPath(text)) == str(PurePosixPath(text))


@posix_only
def test_a_walk_names_paths_as_pathlib_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sheet(tmp_path / "sub" / "x.toml")
    monkeypatch.chdir(tmp_path)
    expected = {
        ".": "sub/x.toml",
        "./": "sub/x.toml",
        "sub//": "sub/x.toml",
        "./sub/./x.toml": "sub/x.toml",
        "./sub/..": "sub/../sub/x.toml",  # ".." is kept: a link may make it mean elsewhere
        str(tmp_path) + "/": str(tmp_path / "sub" / "x.toml"),
    }
    for typed, name in expected.items():
        assert list(iter_sheet_paths([typed])) == [(name, None)], typed


def test_the_walk_is_recursive_sorted_and_reads_only_toml(tmp_path: Path) -> None:
    _sheet(tmp_path / "b.toml")
    _sheet(tmp_path / "a" / "deep" / "deeper" / "c.toml")
    _sheet(tmp_path / "a" / "a.toml")
    (tmp_path / "notes.txt").write_text("not a sheet")
    (tmp_path / "a" / "old.toml.bak").write_text("not a sheet")
    (tmp_path / "a" / "sheet.json").write_text("{}")
    (tmp_path / "a" / "toml").mkdir()  # a folder named like the suffix
    (tmp_path / "a" / "folder.toml").mkdir()  # a folder named like a sheet: walked, not read
    _sheet(tmp_path / "a" / "folder.toml" / "inner.toml")
    assert _found(tmp_path) == [
        "a/a.toml",
        "a/deep/deeper/c.toml",
        "a/folder.toml/inner.toml",
        "b.toml",
    ]


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    _sheet(tmp_path / "visible.toml")
    _sheet(tmp_path / ".hidden.toml")
    _sheet(tmp_path / ".git" / "config.toml")
    _sheet(tmp_path / "sub" / ".cache" / "x.toml")
    _sheet(tmp_path / "sub" / "y.toml")
    assert _found(tmp_path) == ["sub/y.toml", "visible.toml"]


def test_an_explicit_file_is_read_whatever_its_name_and_only_once(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "chip.sheet")  # not *.toml, but named on the command line
    twice = list(iter_sheet_paths([sheet, sheet, tmp_path / "." / "chip.sheet"]))
    assert twice == [(str(sheet), None)]


def test_a_missing_path_yields_a_message_and_the_walk_goes_on(tmp_path: Path) -> None:
    _sheet(tmp_path / "a.toml")
    found = list(iter_sheet_paths([tmp_path / "nope", tmp_path]))
    assert found == [
        (str(tmp_path / "nope"), "no such file or folder"),
        (str(tmp_path / "a.toml"), None),
    ]


@needs_symlinks
def test_symlink_loops_are_safe_and_each_sheet_is_read_once(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    _sheet(root / "a.toml")
    _sheet(root / "sub" / "b.toml")
    os.symlink(root, root / "sub" / "back-to-root")  # sub/back-to-root -> catalog (a loop)
    os.symlink(root / "sub", root / "sub-again")  # a second way into sub
    os.symlink(root / "a.toml", root / "sub" / "alias.toml")  # the same sheet, twice
    os.symlink(root / "self.toml", root / "self.toml")  # a link to itself
    os.symlink(root / "gone.toml", root / "dangling.toml")  # a link to nothing
    listed = list(iter_sheet_paths([root]))
    found = sorted(Path(p).relative_to(root).as_posix() for p, m in listed if m is None)
    assert found == ["a.toml", "sub/b.toml"]
    loaded = load_all([root])
    assert sorted(s.id for s in loaded.specs) == ["a", "b"]
    # the links to nothing (and to themselves) are reported, never skipped silently
    assert sorted((Path(p.file).name, p.message) for p in loaded.problems) == [
        ("dangling.toml", f"a broken symbolic link (to {root / 'gone.toml'})"),
        ("self.toml", f"a broken symbolic link (to {root / 'self.toml'})"),
    ]


@needs_symlinks
def test_a_loop_between_two_folders_terminates(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    _sheet(one / "x.toml")
    _sheet(two / "y.toml")
    os.symlink(two, one / "to-two")
    os.symlink(one, two / "to-one")
    found = _found(tmp_path)
    assert found == ["one/to-two/y.toml", "one/x.toml"]  # y reached first through the link
    assert {(tmp_path / f).resolve() for f in found} == {
        (one / "x.toml").resolve(),
        (two / "y.toml").resolve(),
    }
    result = _invoke("classify", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert sorted(r["chip"]["id"] for r in json.loads(result.stdout)["results"]) == ["x", "y"]


def test_the_same_chip_id_in_two_sheets_is_an_error_naming_both(tmp_path: Path) -> None:
    first = _sheet(tmp_path / "a" / "first.toml", chip_id="twin")
    second = _sheet(tmp_path / "b" / "second.toml", chip_id="twin")
    _sheet(tmp_path / "c" / "other.toml", chip_id="other")
    items = list(iter_loaded([tmp_path]))
    specs = [i for i in items if isinstance(i, ChipSpec)]
    problems = [p for i in items if isinstance(i, list) for p in i]
    assert [s.id for s in specs] == ["twin", "other"]
    (problem,) = problems
    assert problem.file == str(second)
    assert str(first) in problem.message and "twin" in problem.message
    assert problem.key == "[chip] id" and problem.line == 4

    result = _invoke("classify", str(tmp_path), "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [r["chip"]["id"] for r in doc["results"]] == ["twin", "other"]
    (error,) = doc["errors"]
    assert error["file"] == str(second) and str(first) in error["message"]
    assert str(first) in result.stderr and str(second) in result.stderr


def test_a_duplicate_id_across_separate_arguments_is_caught_too(tmp_path: Path) -> None:
    first = _sheet(tmp_path / "x" / "one.toml", chip_id="same")
    second = _sheet(tmp_path / "y" / "two.toml", chip_id="same")
    result = _invoke("classify", str(first), str(second))
    assert result.exit_code == 2
    assert f"{second}:4: [chip] id: chip id 'same' is already used by {first}" in result.stderr


def test_an_empty_folder_yields_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert list(iter_sheet_paths([tmp_path / "empty"])) == []


def test_two_sheets_alike_but_for_layout_are_equal_and_keep_their_own_lines(
    tmp_path: Path,
) -> None:
    text = sheet_text(chip_id="same")
    first = tmp_path / "a.toml"
    second = tmp_path / "b.toml"
    first.write_text(text, encoding="utf-8")
    second.write_text("\n\n" + text, encoding="utf-8")
    a, b = load_sheet(first, "x.toml"), load_sheet(second, "x.toml")
    assert a == b and hash(a) == hash(b)
    line = a.line_of("chip.id")
    assert line is not None and b.line_of("chip.id") == line + 2
