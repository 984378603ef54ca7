"""Mutation testing of the core: each mutant runs only the tests that cover its line.

Two roles in one module (docs/mutation.md says how to run it):

* a pytest plugin (``-p mutmut_config``) that, under ``coverage run``, records which
  test covers which line: each test runs in its own coverage context, named by the
  test's node id;
* mutmut 2's hook file (mutmut imports ``mutmut_config`` from the working folder):
  before each mutant, ``pre_mutation`` narrows the test command to the test functions
  whose context covers the mutated line, fastest first. A line run by no test (a
  module-level table, run once at import) runs against its module's own test files
  (``MODULE_LEVEL``). Under mutmut_parallel.py it first claims the mutant, so two
  workers share one run.

``rerun_all`` is off (pyproject.toml): a test that never runs the mutated line cannot
see the mutant, so running a survivor again against the whole command finds nothing new.
"""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Generator
from typing import Any

#: the coverage data file the contexts are recorded in (docs/mutation.md, step 1)
DATA_FILE = ".mutmut-coverage"
#: each test function's time in the recording: a mutant's tests run fastest first, so
#: a mutant is killed (`-x`) by the quickest test that can kill it
DURATIONS_FILE = ".mutmut-durations.json"
#: the coverage settings of the recording (written by `--record`)
RCFILE = ".mutmut-coveragerc"

_durations: dict[str, float] = {}


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

    @pytest.hookimpl
    def pytest_runtest_logreport(report: Any) -> None:
        """Each test function's time (setup, call and teardown, over its parameters)."""
        if report.when in ("setup", "call", "teardown"):
            name = _function_of(report.nodeid)
            _durations[name] = _durations.get(name, 0.0) + report.duration

    @pytest.hookimpl
    def pytest_sessionfinish(session: Any) -> None:
        """Under the recording, the times go next to the contexts (fastest test first)."""
        import json

        import coverage

        if coverage.Coverage.current() is not None and _durations:
            with open(DURATIONS_FILE, "w", encoding="utf-8") as handle:
                json.dump(_durations, handle, indent=0, sort_keys=True)


# --------------------------------------------------------------------------- mutmut hooks


#: the test files a module-level line of each module runs against, fastest to fail first:
#: a module-level line (a table, a constant, a class or function being defined) runs once
#: at import, so no test covers it alone. These are the files written for the module's
#: tables and rules (`CHIPCLASS_MUTATION_FULL=1` with `rerun_all` runs a survivor against
#: the whole command as well, docs/mutation.md).
MODULE_LEVEL: dict[str, tuple[str, ...]] = {
    "chipclass/units.py": ("tests/test_pinned_units.py", "tests/test_pinned_sheet.py"),
    "chipclass/metrics.py": (
        "tests/test_pinned_sheet.py",
        "tests/test_metrics_mutants.py",
        "tests/test_pinned_units.py",
    ),
    "chipclass/spec.py": (
        "tests/test_pinned_sheet.py",
        "tests/test_sheet_messages.py",
        "tests/test_invalid_sheets.py",
        "tests/test_walk.py",
    ),
    "chipclass/evaluate.py": (
        "tests/test_evaluate_mutants.py",
        "tests/test_operators.py",
        "tests/test_engine.py",
        "tests/test_margin_mutants.py",
        "tests/test_tailor.py",
        "tests/test_fastpath.py",
    ),
    "chipclass/margin.py": (
        "tests/test_margin_mutants.py",
        "tests/test_operators.py",
        "tests/test_tailor.py",
        "tests/test_fastpath.py",
        "tests/test_evaluate_mutants.py",
    ),
}


#: tests left out of the selections for a module's mutants. Each of these compares two
#: renderings of one classification (serialize.result_json against result_dict, over
#: the catalog or generated parts): a mutant of the module changes the result both
#: render, so only a crash could fail them, and the module's own tests, which run the
#: same code first, meet the crash too. They cover most lines of evaluate.py and
#: margin.py and took about 4 s of every survivor there.
LEFT_OUT: dict[str, tuple[str, ...]] = {
    module: (
        "tests/test_fastpath.py::test_result_json_is_the_layout_of_result_dict",
        "tests/test_fastpath.py::test_result_json_writes_any_part_as_result_dict_does",
    )
    for module in ("chipclass/evaluate.py", "chipclass/margin.py")
}


class _Selection:
    """Per source file: line -> the test functions that cover it (each file read from the
    contexts when a mutant first needs it: mutmut starts a fresh worker process every
    100 mutants, and reading every measured file took it seconds)."""

    def __init__(self) -> None:
        self.by_file: dict[str, dict[int, list[str]]] = {}
        self.starts: dict[str, dict[int, int]] = {}
        self.data: Any = None
        self.measured: dict[str, str] = {}
        self.times: dict[str, float] = {}

    def load(self) -> None:
        from coverage import CoverageData

        if not os.path.exists(DATA_FILE):
            raise SystemExit(
                f"{DATA_FILE} is missing: record the coverage contexts first (docs/mutation.md)"
            )
        self.data = CoverageData(basename=DATA_FILE)
        self.data.read()
        self.measured = {os.path.realpath(p): p for p in self.data.measured_files()}
        if os.path.exists(DURATIONS_FILE):
            import json

            with open(DURATIONS_FILE, encoding="utf-8") as handle:
                self.times = json.load(handle)

    def lines_of(self, path: str) -> dict[int, list[str]]:
        found = self.by_file.get(path)
        if found is None:
            if self.data is None:
                self.load()
            found = self.by_file[path] = {}
            if path in self.measured:
                times = self.times
                for line, contexts in self.data.contexts_by_lineno(self.measured[path]).items():
                    tests = {_function_of(c) for c in contexts if c}
                    if tests:
                        found[line] = sorted(tests, key=lambda t: (times.get(t, 0.0), t))
        return found

    def tests_for(self, filename: str, line: int) -> list[str]:
        """The tests covering the statement the line belongs to (coverage records a
        statement of several lines on its first line; mutmut mutates any of them)."""
        path = os.path.realpath(filename)
        line = self.statement_start(path, line)
        return self.lines_of(path).get(line, [])

    def statement_start(self, path: str, line: int) -> int:
        starts = self.starts.get(path)
        if starts is None:
            starts = self.starts[path] = _statement_starts(path)
        return starts.get(line, line)


def _statement_starts(path: str) -> dict[int, int]:
    """line -> the first line of the innermost simple statement (or compound statement's
    header) that spans it, for the lines after a statement's first."""
    import ast

    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    starts: dict[int, int] = {}
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.end_lineno is not None:
            body = getattr(node, "body", None)
            # a compound statement's own lines are its header, up to its body
            end = body[0].lineno - 1 if isinstance(body, list) and body else node.end_lineno
            spans.append((node.lineno, max(end, node.lineno)))
    for first, last in sorted(spans, key=lambda span: span[1] - span[0], reverse=True):
        for line in range(first + 1, last + 1):
            starts[line] = first  # narrower statements (later) overwrite wider ones
    return starts


def _function_of(node_id: str) -> str:
    """tests/test_x.py::test_y[a-b] -> tests/test_x.py::test_y (a parameter's id can hold
    characters a command line mangles; the function runs every parameter)."""
    return node_id.split("[", 1)[0]


_selection = _Selection()


def init() -> None:
    """mutmut: before the baseline run; fail early when the contexts were not recorded."""
    _selection.load()


#: `CHIPCLASS_MUTATION_FULL=1 mutmut run ...`: a module-level line's survivor runs again
#: against the whole command too, as any other line's does (docs/mutation.md)
FULL = os.environ.get("CHIPCLASS_MUTATION_FULL", "") == "1"

#: the whole command, as mutmut read it from `[tool.mutmut] runner` (kept at the first
#: mutant: a module-level line's command stands in for it while that mutant runs)
_whole: list[str] = []


#: a mutant runs the FIRST_STAGE fastest tests that cover its line first, and the others
#: only if those pass (a module-level line: its first file, then the others); most
#: mutants are killed in the first stage, without collecting the later stages' test files
#: (a stage boundary costs a survivor one more pytest start, about 0.4 s)
FIRST_STAGE = 3
#: mutmut_runner.py's stage marker
STAGE = "--stage"

#: set by mutmut_parallel.py: the folder where the workers claim mutants, so two mutmut
#: processes (each in its own copy of the tree) share one run, each mutant tested once
CLAIMS = os.environ.get("CHIPCLASS_MUTATION_CLAIMS", "")


def claimed_elsewhere(context: Any) -> bool:
    """With CLAIMS set: claim the mutant for this worker, or find another worker has.

    Every worker walks the same mutants in the same order (the copies are the same), and
    a mutant goes to the first worker to reach it: an empty file, created exclusively,
    named by the module, the line and the mutant's index on it.
    """
    if not CLAIMS:
        return False
    module = os.path.relpath(os.path.realpath(context.filename)).replace(os.sep, "/")
    mutant = context.mutation_id
    name = f"{module.replace('/', '.')}-{mutant.line_number}-{mutant.index}"
    try:
        handle = os.open(os.path.join(CLAIMS, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return True
    with os.fdopen(handle, "w", encoding="utf-8") as claim:  # who, and when (for timings)
        claim.write(f"{os.getcwd()} {time.time():.3f}\n")
    return False


#: per source file: its annotations' lines, where the module defers annotations (else {})
_annotated: dict[str, set[int]] = {}


def only_annotations(context: Any) -> bool:
    """Does the mutant change nothing but annotations Python never evaluates? Such a
    mutant is equivalent by construction (chipclass never asks for type hints); mutmut 2
    mutates the annotation of an assignment with a value (`result: Fraction | None =
    ...` to `Fraction & None`). Which annotations are never evaluated: `_annotation_lines`."""
    path = os.path.realpath(context.filename)
    lines = _annotated.get(path)
    if lines is None:
        lines = _annotated[path] = _annotation_lines(context.source)
    if context.current_line_index + 1 not in lines:
        return False
    import ast

    from mutmut import Context, mutate

    mutant = Context(
        source=context.source,
        filename=context.filename,
        mutation_id=context.mutation_id,
        dict_synonyms=context.dict_synonyms,
    )
    before = ast.parse(context.source)
    after = ast.parse(mutate(mutant)[0])
    return ast.dump(_unannotated(before)) == ast.dump(_unannotated(after))


def _annotation_lines(source: str) -> set[int]:
    """The lines of the annotations Python never evaluates: every one where the module
    defers them (`from __future__ import annotations`); else those of local variables
    and attributes in a function body (PEP 526: they are not evaluated)."""
    import ast

    tree = ast.parse(source)
    deferred = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    scopes = [tree] if deferred else _functions(tree)
    return {
        line
        for scope in scopes
        for node in ast.walk(scope)
        if isinstance(node, ast.AnnAssign)
        for line in range(node.annotation.lineno, (node.annotation.end_lineno or 0) + 1)
    }


def _functions(tree: Any) -> list[Any]:
    import ast

    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _unannotated(tree: Any) -> Any:
    """The tree with every annotation dropped."""
    import ast

    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign):
            node.annotation = ast.Constant(None)
        elif isinstance(node, ast.arg):
            node.annotation = None
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
    return tree


def pre_mutation(context: Any) -> None:
    """mutmut: narrow the test command to the test functions covering the mutated line;
    for a module-level line, to the module's own test files (MODULE_LEVEL). Under
    mutmut_parallel.py, a mutant another worker has claimed is skipped here."""
    if claimed_elsewhere(context):
        context.skip = True  # mutmut records it as skipped; the driver merges the caches
        return
    if only_annotations(context):
        context.skip = True  # never evaluated: nothing to test (docs/mutation.md)
        return
    config = context.config
    if not _whole:
        _whole.append(config._default_test_command)
    config._default_test_command = config.test_command = _whole[0]
    line = context.current_line_index + 1  # mutmut counts lines from 0
    module = os.path.relpath(os.path.realpath(context.filename)).replace(os.sep, "/")
    left_out = LEFT_OUT.get(module, ())
    tests = [t for t in _selection.tests_for(context.filename, line) if t not in left_out]
    module_level = not tests
    if module_level:  # run at import only (or by no test): the module's own test files
        tests = [t for t in MODULE_LEVEL.get(module, ()) if os.path.exists(t)]
    if not tests:
        return  # the whole command
    words = shlex.split(_whole[0])
    options = [w for w in words if not w.startswith("tests/")]
    if module_level:
        options += [f"--deselect={t}" for t in left_out]
    # in two stages: the fastest tests (or the first file), then, if they pass, the rest
    cut = 1 if module_level else FIRST_STAGE
    stages = [tests[:cut], tests[cut:]] if len(tests) > cut else [tests]
    staged = [word for stage in stages for word in (STAGE, *stage)]
    config.test_command = shlex.join([*options, *staged])
    if module_level and not FULL:
        # mutmut reruns a survivor against its default command when the command was
        # narrowed (`rerun_all`): here the module's files are that default, so a survivor
        # is not run twice; the survivors left are confirmed with CHIPCLASS_MUTATION_FULL=1
        config._default_test_command = config.test_command


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

    # the files are recorded relative to this folder, so the contexts hold for any copy
    # of the tree (mutmut_parallel.py records once, for all its workers)
    with open(RCFILE, "w", encoding="utf-8") as handle:
        handle.write(f"[run]\ndata_file = {DATA_FILE}\nsource = chipclass\nrelative_files = True\n")
    command = [
        sys.executable,
        "-m",
        "coverage",
        "run",
        f"--rcfile={RCFILE}",
        "-m",
        "pytest",
        "-q",
        "--assert=plain",
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
