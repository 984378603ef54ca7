"""A fork server for pytest, so a mutation run does not pay pytest's start-up per mutant.

mutmut 2 starts one test process per mutant; most of that process's time is importing
pytest, click and rich before the first test. The server imports those once, then forks
a child per request: the child imports chipclass afresh (the mutant is the file on disk;
no bytecode is written, so a stale .pyc can never stand in for it) and runs pytest.main.

    python mutmut_runner.py --serve &             # in the folder mutmut runs in
    python mutmut_runner.py -x -q tests/...       # what [tool.mutmut] runner calls
    python mutmut_runner.py -x -q --stage tests/a.py::t --stage tests/b.py  # in stages

The client exits with pytest's exit code. Without a server it runs pytest itself, the
same way, so the runner command also works alone (and for mutmut's baseline run).
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import sys
import time
from typing import Any

SOCKET = ".mutmut-runner.sock"
#: seconds a mutant's tests may take before the server stops them and reports the mutant
#: killed (mutmut's own time-out is ten times its baseline, the whole command: minutes
#: per hanging mutant); `CHIPCLASS_MUTATION_TIMEOUT` in the server's environment changes it
TIMEOUT = float(os.environ.get("CHIPCLASS_MUTATION_TIMEOUT", "120"))


class _Collection:
    """A pytest plugin that notes whether collecting a test file failed."""

    def __init__(self) -> None:
        self.failed = False

    def pytest_collectreport(self, report: object) -> None:
        if getattr(report, "failed", False):
            self.failed = True


def _run_pytest(args: list[str]) -> int:
    """pytest's exit code, as mutmut 2 reads it (1: killed; anything else: survived).

    A mutant that breaks the import of chipclass stops pytest at collection (2) or
    inside pytest (3): the suite fails, so it is killed (1). With test ids given (the
    narrowed selections), a test file that fails to import makes pytest find "no
    collectors" for its ids, a usage error (4): killed too, since a file failed to
    collect. So is a conftest.py that fails to import (tests/conftest.py imports
    chipclass.cli), or the module of a warning category in the configuration
    (`filterwarnings` names chipclass.spec.SheetWarning): pytest reports either as a
    usage error (4) before collecting anything. No tests collected (5), or any other
    usage error, stay as they are: a selection gone wrong shows as a survivor, never as
    a kill.
    """
    sys.dont_write_bytecode = True
    # the tests' mutation profile: fewer property examples, derandomized (tests/conftest.py)
    os.environ.setdefault("CHIPCLASS_HYPOTHESIS", "mutation")
    # no plugin the tests need is installed as one (hypothesis' is turned off by the
    # runner command, xdist is not used): pytest then skips scanning every installed
    # package's entry points, per session
    os.environ.setdefault("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    import _pytest.config
    import pytest

    collection = _Collection()
    broken: list[object] = []  # what failed to import before collection, as pytest saw it
    report = _pytest.config.print_conftest_import_error
    resolve = _pytest.config._resolve_warning_category

    def conftest_failed(error: Any, file: Any) -> None:
        broken.append(error)
        report(error, file)

    def category(name: str) -> Any:
        try:
            return resolve(name)
        except Exception as error:  # the category's module raised while importing
            broken.append(error)
            raise

    _pytest.config.print_conftest_import_error = conftest_failed
    _pytest.config._resolve_warning_category = category
    code = int(pytest.main(args, plugins=[collection]))
    if code in (2, 3) or (code == 4 and (collection.failed or broken)):
        return 1
    return code


def _child(args: list[str], cwd: str) -> None:
    """In the forked child: run the tests, output to /dev/null, and exit with the code."""
    code = 3
    try:
        os.chdir(cwd)
        if sys.path[0] != cwd:
            sys.path.insert(0, cwd)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        code = _run_pytest(args)
    finally:
        os._exit(code)


def serve() -> None:
    sys.dont_write_bytecode = True
    import click.testing  # noqa: F401  (imported once here, inherited by every child)
    import hypothesis.strategies  # noqa: F401  (over a second to import, in a few test files)
    import pytest  # noqa: F401
    import rich.console  # noqa: F401

    for name in list(sys.modules):
        if name == "chipclass" or name.startswith("chipclass."):
            raise SystemExit("the server must not import chipclass (a child imports the mutant)")
    if os.path.exists(SOCKET):
        os.unlink(SOCKET)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(SOCKET)
    server.listen(1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            connection, _ = server.accept()
            with connection:
                _answer(connection)
    finally:
        server.close()
        os.unlink(SOCKET)


def _answer(connection: socket.socket) -> None:
    size = struct.unpack("!I", _read(connection, 4))[0]
    request = json.loads(_read(connection, size))
    pid = os.fork()
    if pid == 0:
        connection.close()
        _child(request["args"], request["cwd"])
    deadline = time.monotonic() + TIMEOUT
    while True:  # wait for the child; if the client goes away (mutmut's timeout), kill it
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            code = 1 if code < 0 else code  # the mutant crashed the interpreter: killed
            connection.sendall(struct.pack("!i", code))
            return
        if time.monotonic() > deadline:  # the mutant made the tests hang: killed
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            print(f"timed out after {TIMEOUT:g} s: {' '.join(request['args'])}", file=sys.stderr)
            connection.sendall(struct.pack("!i", 1))
            return
        readable, _, _ = select.select([connection], [], [], 0.05)
        if readable and not connection.recv(1):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return


def _local(args: list[str]) -> int:
    """pytest in this process. The runner command starts the client with `python -S`
    (a client that only talks to the server needs no site-packages, and starts in half
    the time); pytest needs them, so the client starts again with them first."""
    if sys.flags.no_site:
        os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), *args])
    return _run_pytest(args)


def _read(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client went away")
        data += chunk
    return data


#: `OPTIONS --stage TESTS --stage MORE_TESTS`: the tests in stages, each stage run only
#: when the one before passed (mutmut_config.py puts a mutant's fastest tests first, so
#: most mutants are killed without collecting the test files of the rest)
STAGE = "--stage"


def client(args: list[str]) -> int:
    options, stages = _stages(args)
    if not os.path.exists(SOCKET):  # no server: one pytest, in this process, every stage
        return _local([*options, *(test for stage in stages for test in stage)])
    code = 0
    for number, tests in enumerate(stages, 1):
        start = time.monotonic()
        code = _request([*options, *tests])
        _log(f"{number}/{len(stages)} {code} {time.monotonic() - start:.2f} {len(tests)}")
        if code != 0:  # killed (or a selection gone wrong): the later stages cannot help
            return code
    return code


def _log(line: str) -> None:
    """With CHIPCLASS_MUTATION_LOG set (mutmut_parallel.py sets it): one line a stage,
    `stage/stages exit-code seconds tests`, for the report's count of kills per stage."""
    path = os.environ.get("CHIPCLASS_MUTATION_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def _stages(args: list[str]) -> tuple[list[str], list[list[str]]]:
    """The options before the first STAGE, and each stage's words (all one stage if no
    STAGE is given)."""
    if STAGE not in args:
        return [], [args]
    first = args.index(STAGE)
    stages: list[list[str]] = []
    for word in args[first:]:
        if word == STAGE:
            stages.append([])
        else:
            stages[-1].append(word)
    return args[:first], [stage for stage in stages if stage]


def _request(args: list[str]) -> int:
    """The exit code of pytest run by the server on these arguments."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        try:
            connection.connect(SOCKET)
        except OSError:  # the server went away: run it here
            return _local(args)
        body = json.dumps({"args": args, "cwd": os.getcwd()}).encode()
        connection.sendall(struct.pack("!I", len(body)) + body)
        return int(struct.unpack("!i", _read(connection, 4))[0])


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        sys.exit(client(sys.argv[1:]))
