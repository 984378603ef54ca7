"""The README's terminal examples are what the commands print today.

Each ```console block of README.md holds one or more `$ chipclass ...` commands, each
followed by its output (stdout and stderr in the order a terminal shows them, as text
written to a pipe). A line "..." in the README stands for any number of lines left out.
A command naming a file the project does not have (a reader's own sheet or rules
folder) would be illustrative and is not run; every other one is.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
ELLIPSIS = "..."


def examples(text: str) -> list[tuple[int, str, list[str]]]:
    """(line of the command, the command, its expected output lines) for every command
    of every console block."""
    found: list[tuple[int, str, list[str]]] = []
    for block in re.finditer(r"^```console\n(.*?)^```", text, re.S | re.M):
        first = text.count("\n", 0, block.start()) + 2
        for offset, line in enumerate(block.group(1).splitlines()):
            if line.startswith("$ "):
                found.append((first + offset, line[2:], []))
            elif found:
                found[-1][2].append(line)
    for _, _, lines in found:  # a blank line may set one command's output off the next's
        while lines and not lines[-1].strip():
            lines.pop()
    return found


def matches(expected: list[str], got: list[str]) -> bool:
    """Line for line, trailing spaces aside; "..." stands for any run of lines."""
    if not expected:
        return not got
    if expected[0].strip() == ELLIPSIS:
        return any(matches(expected[1:], got[n:]) for n in range(len(got) + 1))
    return bool(got) and expected[0].rstrip() == got[0].rstrip() and matches(expected[1:], got[1:])


def _runnable(command: str) -> bool:
    words = shlex.split(command)
    files = [w for w in words[1:] if w.endswith(".toml") or w.endswith("/")]
    return words[0] == "chipclass" and all((ROOT / w).exists() for w in files)


EXAMPLES = examples(README.read_text(encoding="utf-8"))
RUN = [(line, command, out) for line, command, out in EXAMPLES if _runnable(command)]


def test_the_readme_has_examples_to_run() -> None:
    assert len(EXAMPLES) >= 9 and len(RUN) >= 7, [c for _, c, _ in EXAMPLES]


def test_the_ellipsis_matches_a_run_of_lines_and_nothing_else() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "c"])
    assert matches(["a  "], ["a"])


@pytest.mark.parametrize(("line", "command", "expected"), RUN, ids=[f"README:{r[0]}" for r in RUN])
def test_a_readme_example_prints_what_it_shows(
    line: int, command: str, expected: list[str]
) -> None:
    # a child process with unbuffered streams, both into one pipe: the lines in the order a
    # terminal shows them (the text as a pipe gets it: no rich tables)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(COLUMNS="100", PYTHONUNBUFFERED="1")
    done = subprocess.run(
        [sys.executable, "-m", "chipclass", *shlex.split(command)[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    got = done.stdout.rstrip("\n").splitlines()
    assert matches(expected, got), f"README.md:{line}: `{command}` now prints:\n" + "\n".join(got)
