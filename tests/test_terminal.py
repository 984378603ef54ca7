"""The terminal at 80 columns (through a pseudo-terminal): no number or label broken,
what does not fit is shortened or left out and said so; progress on stderr only when
interactive and the batch is large."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import SPECS, run_in_pty, sheet_text

pty = pytest.importorskip("pty")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pty")

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
LABELS = ("exportable", "license-required", "restricted", "indeterminate")


def through_pty(args: list[str], columns: int = 80, raw: bool = False, **env: str) -> str:
    """Run chipclass with a pseudo-terminal as stdout and stderr; what it drew, with
    the terminal's control sequences taken out (`raw`: everything it wrote)."""
    code = f"from chipclass.cli import main; main({args!r})"
    full = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm", **env}
    for name in ("CI", "NO_COLOR", "FORCE_COLOR", "CHIPCLASS_QUIET"):
        if name not in env:
            full.pop(name, None)
    screen = run_in_pty([sys.executable, "-c", code], full)
    return screen if raw else ANSI.sub("", screen).replace("\r", "")


def _no_broken_cells(screen: str) -> None:
    for line in screen.splitlines():
        assert len(line.rstrip()) <= 80, line
        # a label is whole or shortened, never split at the end of a line
        assert not re.search(r"\b(license-req|licen|restri|exporta|indeterm)\s*$", line), line


def test_color_never_writes_plain_text_on_a_terminal_too() -> None:
    """`--color never`: not one escape sequence, in the output or in an error line; by
    default a terminal gets rich tables and a bold `error:`."""
    args = ["classify", str(SPECS / "nvidia" / "h20.toml"), "missing.toml"]
    drawn = through_pty(args, columns=120, raw=True)
    plain = through_pty(["--color", "never", *args], columns=120, raw=True)
    assert "\x1b[" in drawn and "nvidia-h20" in drawn
    assert "\x1b" not in plain, plain
    unset = through_pty(args, columns=120, raw=True, NO_COLOR="1")
    assert "\x1b" not in unset and unset.replace("\r", "") == plain.replace("\r", "")
    assert "error: missing.toml: no such file or folder" in plain and "3A090.b.1" in plain


def test_classify_all_editions_at_80_columns() -> None:
    screen = through_pty(["classify", str(SPECS / "nvidia"), "--all-editions"])
    _no_broken_cells(screen)
    # the A30 row whole: TPP 2644, density 3.201 (next to the 3.2 line), memory 933 GB/s,
    # license-required under us-2026-01 (shortened); the oldest editions and I/O left out
    (row,) = [line for line in screen.splitlines() if line.startswith("nvidia-a30 ")]
    assert row.split() == ["nvidia-a30", "2644", "3.201", "933", "license"]
    note = " ".join(screen[screen.index("(80 columns:") :].split())
    assert note.startswith("(80 columns: labels shortened: export = exportable, license =")
    assert "not shown: nearest stricter (us-2026-01), us-2022-08-letters," in note
    assert "us-2025-04, I/O GB/s; pipe the output for every column)" in note


def test_classify_detail_at_80_columns_keeps_value_and_met() -> None:
    screen = through_pty(["classify", str(SPECS / "nvidia" / "a10.toml"), "--all-editions"])
    _no_broken_cells(screen)
    heads = [line.split() for line in screen.splitlines() if line.strip().startswith("clause")]
    assert heads and all("value" in h and "met" in h for h in heads)


@pytest.mark.parametrize(
    "args",
    [
        ["diff", str(SPECS / "nvidia" / "h100-sxm.toml"), str(SPECS / "nvidia" / "h20.toml")],
        ["history", str(SPECS / "nvidia" / "h20.toml")],
        ["tailor", str(SPECS / "nvidia" / "h20.toml"), "-t", "exportable", "-e", "us-2025-04"],
        ["report", str(SPECS / "nvidia")],
    ],
    ids=lambda a: a[0],
)
def test_other_tables_at_80_columns(args: list[str]) -> None:
    _no_broken_cells(through_pty(args))


def test_piped_output_keeps_full_rows(capfd: pytest.CaptureFixture[str]) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "chipclass", "classify", str(SPECS / "nvidia"), "--all-editions"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
        check=False,
    )
    header = done.stdout.splitlines()[0].split()
    assert "us-2022-08-letters" in header and header[-1] == "(us-2026-01)"
    assert "not shown" not in done.stdout


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    for index in range(60):  # PROGRESS_FROM is 50
        (folder / f"c{index}.toml").write_text(
            sheet_text(f"c{index}", f"fp8 = {100 + index}"), encoding="utf-8"
        )
    return folder


@pytest.mark.parametrize("command", ["classify", "report"])
def test_progress_on_a_terminal_for_a_large_batch(batch: Path, command: str) -> None:
    from chipclass.cli.common import PROGRESS_FROM

    assert PROGRESS_FROM <= 60
    screen = through_pty([command, str(batch), "-f", "markdown"])
    assert "/60" in screen  # rich's "N/60" count, drawn on stderr
    quiet = through_pty([command, str(batch), "-f", "markdown"], CI="true")
    assert "/60" not in quiet
    plain = through_pty(["--color", "never", command, str(batch), "-f", "markdown"])
    assert "/60" not in plain and "c59" in plain  # no progress bar, the whole output
