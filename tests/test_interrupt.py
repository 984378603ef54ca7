"""Runs that end badly: Ctrl-C (exit 130, no worker noise, no half-written -o file), a
closed pipe (quiet, exit 141), a full disk (a plain I/O error, exit 2)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import sheet_text

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pipes")


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _chipclass(*args: str) -> list[str]:
    return [sys.executable, "-m", "chipclass", *args]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 sheets: a run that is still writing well after it opens its output."""
    folder = tmp_path_factory.mktemp("big")
    for index in range(3000):
        (folder / f"c{index:04d}.toml").write_text(
            sheet_text(f"c{index:04d}", f"fp8 = {100 + index}"), encoding="utf-8"
        )
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_quietly_and_leaves_the_output_as_it_was(
    big: Path, tmp_path: Path, jobs: str
) -> None:
    out = tmp_path / "out.json"
    out.write_text("the previous run\n", encoding="utf-8")
    process = subprocess.Popen(
        _chipclass("classify", str(big), "-f", "json", "-o", str(out), "-j", jobs),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # and SIGINT as such a job has it: a test run started in the background (`&`)
        # passes SIGINT ignored to its children, and Python keeps it ignored
        preexec_fn=_default_sigint,
    )
    # interrupt as soon as the run is writing its temporary file (a fixed wait would race a
    # fast machine: the whole batch can be done in a second or two)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.name != "out.json" for p in tmp_path.iterdir()):
            break
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip() == "chipclass: interrupted"
    assert "ForkPoolWorker" not in stderr and "Traceback" not in stderr
    assert out.read_text(encoding="utf-8") == "the previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary left


def test_a_complete_run_replaces_the_output(tmp_path: Path) -> None:
    sheet = tmp_path / "a.toml"
    sheet.write_text(sheet_text("a", "fp8 = 296"), encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    done = subprocess.run(
        _chipclass("classify", str(sheet), "-f", "json", "-o", str(out)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"tpp": 2368' in out.read_text(encoding="utf-8")
    assert (out.stat().st_mode & 0o777) == 0o640  # the file's mode is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "out.json"]


def test_every_command_writes_its_output_whole(tmp_path: Path) -> None:
    """The -o of each command goes through output_stream: no temporary left, the file
    complete (a quick check of the ones that write text)."""
    sheet = tmp_path / "a.toml"
    sheet.write_text(sheet_text("a", "fp8 = 296"), encoding="utf-8")
    commands = [
        ["classify", str(sheet)],
        ["check", str(sheet), "--no-config"],
        ["report", str(sheet)],
        ["history", str(sheet)],
        ["tailor", str(sheet), "-t", "exportable"],
        ["diff", str(sheet), str(sheet)],
    ]
    for index, command in enumerate(commands):
        out = tmp_path / f"out{index}.txt"
        done = subprocess.run(
            _chipclass(*command, "-o", str(out)),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode in (0, 1), (command, done.stderr)
        assert out.read_text(encoding="utf-8").strip(), command
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_closed_pipe_exits_141_without_a_trace(big: Path, fmt: str) -> None:
    shell = f"{' '.join(_chipclass('classify', str(big), '-f', fmt, '--detail'))} | head -c 10"
    done = subprocess.run(
        ["bash", "-c", shell + '; echo "rc=${PIPESTATUS[0]}" >&2'],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr.strip() == "rc=141"
    assert len(done.stdout) == 10


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_is_a_plain_io_error(tmp_path: Path) -> None:
    sheet = tmp_path / "a.toml"
    sheet.write_text(sheet_text("a", "fp8 = 296"), encoding="utf-8")
    done = subprocess.run(
        _chipclass("classify", str(sheet), "-f", "json", "-o", "/dev/full"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "Error: cannot write /dev/full: No space left on device\n"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            _chipclass("classify", str(sheet)),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == "chipclass: cannot write: No space left on device\n"


def test_an_interrupt_just_after_the_temporary_is_made_leaves_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C between making the temporary and writing to it (the window the run above hit
    # on a loaded machine): the temporary is removed, the target left as it was
    from chipclass.cli import common

    out = tmp_path / "out.json"
    out.write_text("the previous run\n", encoding="utf-8")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(common.os, "chmod", interrupted)
    with pytest.raises(KeyboardInterrupt), common.output_stream(out) as stream:
        stream.write("never")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert out.read_text(encoding="utf-8") == "the previous run\n"
