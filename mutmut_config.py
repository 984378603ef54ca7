"""Mutation testing of the core: each mutant runs only the tests that cover its line.

Two roles in one module (docs/mutation.md says how to run it):

* a pytest plugin (``-p mutmut_config``) that, under ``coverage run``, records which
  test covers which line: each test runs in its own coverage context, named by the
  test's node id;
* mutmut 2's hook file (mutmut imports ``mutmut_config`` from the working folder):
  before each mutant, ``pre_mutation`` narrows the test command to the test functions
  whose context covers the mutated line. A line run by no test (a module-level table,
  run once at import) keeps the whole command from ``[tool.mutmut] runner``.

Survivors are run again against the whole command (``rerun_all`` in pyproject.toml), so
a narrowed selection can never make a mutant survive that the whole set would kill.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Generator
from typing import Any

#: the coverage data file the contexts are recorded in (docs/mutation.md, step 1)
DATA_FILE = ".mutmut-coverage"


# --------------------------------------------------------------------------- pytest plugin

try:
    import pytest
except ImportError:  # pragma: no cover - mutmut itself runs without pytest imported
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item: Any, nextitem: Any) -> Generator[None, None, None]:
        """Setup, call and teardown of each test in a coverage context named by its id."""
        import coverage

        current = coverage.Coverage.current()
        if current is not None:
            current.switch_context(item.nodeid)
        yield
        if current is not None:
            current.switch_context("")


# --------------------------------------------------------------------------- mutmut hooks


class _Selection:
    """Per source file: line -> the test functions that cover it (read once per run)."""

    def __init__(self) -> None:
        self.by_file: dict[str, dict[int, list[str]]] = {}
        self.loaded = False

    def load(self) -> None:
        from coverage import CoverageData

        if not os.path.exists(DATA_FILE):
            raise SystemExit(
                f"{DATA_FILE} is missing: record the coverage contexts first (docs/mutation.md)"
            )
        data = CoverageData(basename=DATA_FILE)
        data.read()
        for path in data.measured_files():
            lines: dict[int, list[str]] = {}
            for line, contexts in data.contexts_by_lineno(path).items():
                tests = {_function_of(c) for c in contexts if c}
                if tests:
                    lines[line] = sorted(tests)
            self.by_file[os.path.realpath(path)] = lines
        self.loaded = True

    def tests_for(self, filename: str, line: int) -> list[str]:
        if not self.loaded:
            self.load()
        return self.by_file.get(os.path.realpath(filename), {}).get(line, [])


def _function_of(node_id: str) -> str:
    """tests/test_x.py::test_y[a-b] -> tests/test_x.py::test_y (a parameter's id can hold
    characters a command line mangles; the function runs every parameter)."""
    return node_id.split("[", 1)[0]


_selection = _Selection()


def init() -> None:
    """mutmut: before the baseline run; fail early when the contexts were not recorded."""
    _selection.load()


def pre_mutation(context: Any) -> None:
    """mutmut: narrow the test command to the test functions covering the mutated line."""
    line = context.current_line_index + 1  # mutmut counts lines from 0
    tests = _selection.tests_for(context.filename, line)
    if not tests:
        return  # run at import only (or by no test): the whole command
    words = shlex.split(context.config.test_command)
    options = [w for w in words if not w.startswith("tests/")]
    context.config.test_command = shlex.join([*options, *tests])


# --------------------------------------------------------------------------- recording


def runner_tests() -> list[str]:
    """The test files of `[tool.mutmut] runner` in pyproject.toml."""
    import tomllib

    with open("pyproject.toml", "rb") as handle:
        runner = tomllib.load(handle)["tool"]["mutmut"]["runner"]
    return [word for word in shlex.split(runner) if word.startswith("tests/")]


def record() -> int:
    """Run the runner's tests once under coverage, one context per test (step 2 of
    docs/mutation.md)."""
    import subprocess
    import sys

    command = [
        sys.executable,
        "-m",
        "coverage",
        "run",
        f"--data-file={DATA_FILE}",
        "--source=chipclass",
        "-m",
        "pytest",
        "-q",
        "-p",
        "mutmut_config",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:hypothesispytest",
        *runner_tests(),
    ]
    # the same tests, with the same examples, as mutmut_runner.py runs (tests/conftest.py)
    env = {**os.environ, "CHIPCLASS_HYPOTHESIS": "mutation"}
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--record"]:
        raise SystemExit("usage: python mutmut_config.py --record")
    sys.exit(record())
