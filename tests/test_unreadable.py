"""Unreadable files and FIFOs: each is an input error of that file (exit 2 at the end),
the good sheets are still reported in every format, and nothing blocks."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import sheet_text

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")


@functools.cache
def _demote() -> list[str]:
    """The command prefix that runs as a user without root's way past permissions (the
    probe runs once a test run)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv")
    prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import chipclass"],
        capture_output=True,
        check=False,
        cwd="/",
    )
    if probe.returncode != 0:  # e.g. the virtual environment sits in a folder only root reads
        pytest.skip("user nobody cannot run this interpreter with chipclass")
    return prefix


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder anyone can enter (pytest's tmp_path is root's own): ok.toml (TPP 296 * 8
    = 2368), locked.toml (mode 000) and fifo.toml (a FIFO nobody writes to)."""
    place = Path(tempfile.mkdtemp(prefix="chipclass-unreadable-"))
    place.chmod(0o755)
    (place / "ok.toml").write_text(sheet_text("ok", "fp8 = 296"), encoding="utf-8")
    (place / "ok.toml").chmod(0o644)
    locked = place / "locked.toml"
    locked.write_text(sheet_text("locked"), encoding="utf-8")
    locked.chmod(0)
    os.mkfifo(place / "fifo.toml")
    yield place
    shutil.rmtree(place)


def _cli(folder: Path, *args: str, demote: bool = True) -> subprocess.CompletedProcess[str]:
    prefix = _demote() if demote else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "chipclass", *args],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=60,  # a FIFO that blocks fails the test here
        check=False,
        env={**os.environ, "HOME": str(folder)},
    )


LOCKED = "locked.toml: cannot read: Permission denied"
FIFO = "fifo.toml: a FIFO (named pipe) with nothing written to it"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_check_reports_the_good_sheet_and_each_bad_file(folder: Path, fmt: str) -> None:
    done = _cli(
        folder,
        "check",
        "ok.toml",
        "locked.toml",
        "fifo.toml",
        "--no-config",
        "-f",
        fmt,
        "--allow-indeterminate",
    )
    assert done.returncode == 2, done.stderr
    assert "Usage:" not in done.stderr and "Traceback" not in done.stderr
    assert LOCKED in done.stderr and FIFO in done.stderr
    if fmt in ("text", "junit", "markdown"):
        assert "ok" in done.stdout
    if fmt == "github":
        assert "1 passed, 0 failed, 2 input errors" in done.stdout
    if fmt == "json":
        data = json.loads(done.stdout)
        assert [r["chip"]["id"] for r in data["results"]] == ["ok"]
        assert sorted(e["file"] for e in data["errors"]) == ["fifo.toml", "locked.toml"]
    if fmt == "sarif":
        assert "locked.toml" in done.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "markdown"])
def test_classify_reports_the_good_sheet(folder: Path, fmt: str) -> None:
    done = _cli(folder, "classify", "ok.toml", "locked.toml", "fifo.toml", "-f", fmt)
    assert done.returncode == 2
    assert LOCKED in done.stderr and FIFO in done.stderr
    assert "2368" in done.stdout


def test_a_folder_with_an_unreadable_sheet(folder: Path) -> None:
    done = _cli(folder, "classify", ".", "-f", "jsonl")
    assert done.returncode == 2
    assert LOCKED in done.stderr
    ids = [json.loads(line).get("chip", {}).get("id") for line in done.stdout.splitlines()]
    assert "ok" in ids


@pytest.mark.parametrize(
    "args",
    [["history", "{x}"], ["tailor", "{x}", "-t", "exportable"], ["diff", "ok.toml", "{x}"]],
    ids=lambda a: a[0],
)
@pytest.mark.parametrize("bad", ["locked.toml", "fifo.toml"])
def test_one_sheet_commands_name_the_file(folder: Path, args: list[str], bad: str) -> None:
    done = _cli(folder, *(a.format(x=bad) for a in args))
    assert done.returncode == 2
    assert "Usage:" not in done.stderr and "Traceback" not in done.stderr
    assert (LOCKED if bad == "locked.toml" else FIFO) in done.stderr


def test_a_fifo_does_not_block_even_as_root(folder: Path) -> None:
    done = _cli(folder, "classify", "fifo.toml", demote=False)
    assert done.returncode == 2
    assert FIFO in done.stderr


def test_a_pipe_with_a_writer_is_read(folder: Path) -> None:
    """`<(cat ok.toml)`: a pipe, read to its end."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    done = subprocess.run(
        [bash, "-c", f'"{sys.executable}" -m chipclass classify <(cat ok.toml) -f json'],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"][0]["metrics"]["tpp"] == 2368


def test_a_device_is_refused(folder: Path) -> None:
    done = _cli(folder, "classify", "/dev/null", "ok.toml", demote=False)
    assert done.returncode == 2
    assert "/dev/null: not a sheet file: a character device" in done.stderr
