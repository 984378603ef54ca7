"""The GitHub Action's shell steps, run locally (the `run:` blocks sliced out of action.yml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, sheet_text
from tests.test_check import _action_script

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the action runs bash")


def _python_on_path(tmp_path: Path, record: Path | None = None) -> Path:
    """A `python` on PATH, as actions/setup-python leaves it: the real one, or one
    that records its arguments (one per line) and does nothing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "python"
    if record is None:
        wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    else:
        wrapper.write_text(
            f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a" >> "{record}"; done\n',
            encoding="utf-8",
        )
    wrapper.chmod(0o755)
    return bin_dir


def _run_step(
    step: str, tmp_path: Path, bin_dir: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    full = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "outputs"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "CHIPCLASS_PATHS": "",
        "CHIPCLASS_ARGS": "",
        "CHIPCLASS_SARIF": "",
        **env,
    }
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", _action_script(step)],
        env=full,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_action_installs_its_own_checkout_never_a_package_name(tmp_path: Path) -> None:
    record = tmp_path / "argv"
    bin_dir = _python_on_path(tmp_path, record)
    action_path = tmp_path / "actions dir" / "chipclass"
    done = _run_step("install", tmp_path, bin_dir, GITHUB_ACTION_PATH=str(action_path))
    assert done.returncode == 0, done.stderr
    argv = record.read_text(encoding="utf-8").splitlines()
    assert argv == ["-m", "pip", "install", "--disable-pip-version-check", str(action_path)]
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert "chipclass==" not in text and "install --disable-pip-version-check chipclass" not in text


def test_the_version_input_is_ignored_with_a_warning(tmp_path: Path) -> None:
    record = tmp_path / "argv"
    bin_dir = _python_on_path(tmp_path, record)
    done = _run_step(
        "install", tmp_path, bin_dir, GITHUB_ACTION_PATH="/a", CHIPCLASS_VERSION="0.2.0"
    )
    assert done.returncode == 0
    assert done.stdout.startswith("::warning title=chipclass check::the version input is ignored")
    assert record.read_text(encoding="utf-8").splitlines()[-1] == "/a"


@pytest.fixture
def spaced(tmp_path: Path) -> Path:
    """`my specs/h.toml`: a part at TPP 296 * 8 = 2368, exportable under the latest edition."""
    folder = tmp_path / "my specs"
    folder.mkdir()
    (folder / "h.toml").write_text(sheet_text("spaced", "fp8 = 296"), encoding="utf-8")
    return folder


def test_args_with_a_quoted_value_reach_check_as_one_word(tmp_path: Path, spaced: Path) -> None:
    bin_dir = _python_on_path(tmp_path)
    done = _run_step(
        "check",
        tmp_path,
        bin_dir,
        CHIPCLASS_PATHS=f'"{spaced}"',
        CHIPCLASS_ARGS='--fail-on restricted --allow-indeterminate --destination "Saudi Arabia"',
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "::error" not in done.stdout
    assert (tmp_path / "outputs").read_text(encoding="utf-8") == "exit-code=0\n"
    assert "1 passed" in done.stdout


def test_paths_one_per_line_keep_their_spaces(tmp_path: Path, spaced: Path) -> None:
    other = tmp_path / "b c.toml"
    other.write_text(sheet_text("other", "fp8 = 100"), encoding="utf-8")
    bin_dir = _python_on_path(tmp_path)
    done = _run_step(
        "check",
        tmp_path,
        bin_dir,
        CHIPCLASS_PATHS=f"{spaced}\n  {other}  \n\n",
        CHIPCLASS_ARGS="--allow-indeterminate",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == (
        "::notice title=chipclass check::2 passed, 0 failed · destination China (CN), the default"
    )


def test_a_usage_error_becomes_an_error_annotation(tmp_path: Path, spaced: Path) -> None:
    bin_dir = _python_on_path(tmp_path)
    done = _run_step(
        "check", tmp_path, bin_dir, CHIPCLASS_PATHS=str(spaced), CHIPCLASS_ARGS="--fail-on nonsense"
    )
    assert done.returncode == 2
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1
    assert errors[0].startswith("::error title=chipclass check::Invalid value for '--fail-on'")
    assert (tmp_path / "outputs").read_text(encoding="utf-8") == "exit-code=2\n"


def test_an_unbalanced_quote_in_args_is_an_error_annotation(tmp_path: Path, spaced: Path) -> None:
    bin_dir = _python_on_path(tmp_path)
    done = _run_step(
        "check", tmp_path, bin_dir, CHIPCLASS_PATHS=str(spaced), CHIPCLASS_ARGS='-d "Saudi'
    )
    assert done.returncode == 2
    assert (
        done.stdout
        == "::error title=chipclass check::cannot read the args input: No closing quotation\n"
    )


def test_args_are_never_run_or_expanded(tmp_path: Path, spaced: Path) -> None:
    bin_dir = _python_on_path(tmp_path)
    marker = tmp_path / "pwned"
    done = _run_step(
        "check",
        tmp_path,
        bin_dir,
        CHIPCLASS_PATHS=str(spaced),
        CHIPCLASS_ARGS=f"$(touch {marker}) `touch {marker}` *",
    )
    assert not marker.exists()
    assert done.returncode == 2  # the words are paths that do not exist


def test_the_readme_text_pins_by_commit_sha() -> None:
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "@v0.2.0" not in text and "rev: v0" not in text
    assert re.search(r"uses: <owner>/chipclass@<commit-sha>", text)
    assert re.search(r"rev: <commit-sha>", text)
    assert "pip install chipclass" not in text and "version:" not in text
