"""A batch of sheets, classified and rendered in order, in one process or spread over several.

`rendered()` yields, for every sheet under the paths and in the order `iter_loaded()`
walks them, either the sheet's problems or its result rendered to text by a caller's
function, as UTF-8 bytes (a worker's text crosses to the writing process as bytes and
is written as it comes, never decoded and encoded again). Spread over processes, the
sheets are read, classified and rendered by a pool of worker processes (`Pool.imap`,
in chunks, order kept); the walk of the folders and the check that chip ids are unique
stay in this process, so the sequence is the same as with one process, item for item.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

from chipclass import tariffs
from chipclass.classify import Result, classify
from chipclass.editions import Edition
from chipclass.files import (
    duplicate_id,
    iter_loaded,
    iter_sheet_paths,
    load_sheet,
    named_paths,
    skippable,
)
from chipclass.spec import Problem, SheetError, StrPath
from chipclass.tariffs import Band

if TYPE_CHECKING:
    from chipclass.policy import Outcome as CheckOutcome
    from chipclass.policy import Policy

Render = Callable[[Result], str]
#: what a worker sends back for one sheet: its problems, or (id, file, UTF-8 text)
Outcome = list[Problem] | tuple[str, str, bytes]

#: an outcome of a worker as the pool loop reads it: chip id, file, the line of its id
#: (worked out only for a duplicate), and what to yield
Keyed = tuple[str, str, Callable[[], int | None], Any]
#: sheets a worker takes at a time, at most (fewer when the batch is small)
MAX_CHUNK = 64
#: --jobs auto: the fewest sheets spread over processes (below it, starting the workers
#: costs about what they save, more where workers start by a fresh interpreter)
AUTO_MIN_SHEETS = 500
#: --jobs auto: the fewest sheets per worker
AUTO_SHEETS_PER_WORKER = 250
AUTO: Final = -1


def jobs_for(jobs: int, sheets: int | None = None) -> int:
    """The number of processes --jobs asks for, at most one per CPU: 0 means one per CPU;
    AUTO (-1) means one
    for a batch of fewer than AUTO_MIN_SHEETS `sheets`, else one per AUTO_SHEETS_PER_WORKER
    sheets, up to one per CPU."""
    cpus = os.cpu_count() or 1
    if jobs > 0:  # never more processes than CPUs: more only compete for them
        return min(jobs, cpus)
    if jobs == 0:
        return cpus
    if sheets is None or sheets < AUTO_MIN_SHEETS:
        return 1
    return max(1, min(cpus, sheets // AUTO_SHEETS_PER_WORKER))


def rendered(
    paths: Iterable[StrPath],
    editions: Sequence[Edition],
    render: Render,
    jobs: int = 1,
    skipped: list[str] | None = None,
) -> Iterator[bytes | list[Problem]]:
    """Each sheet's rendered result, or its problems, in walk order.

    `jobs` as --jobs takes it (jobs_for). `render` must be a module-level function when
    the sheets are spread (it is sent to the workers). Before the workers start,
    sys.stdout and sys.stderr are flushed, so a forked worker inherits no half-written
    output. `skipped`: as iter_loaded takes it.
    """
    paths = list(paths)
    if any(os.fspath(p) == "-" for p in paths):  # standard input: read once, here
        jobs = 1
    if jobs == 1:
        bands = tariffs.bundled()
        for item in iter_loaded(paths, skipped):
            if isinstance(item, list):
                yield item
            else:
                yield render(classify(item, editions, tariff_bands=bands)).encode()
        return
    walked = list(iter_sheet_paths(list(paths)))
    sheets = [path for path, message in walked if message is None]
    workers = min(jobs_for(jobs, len(sheets)), len(sheets))
    if workers <= 1:  # nothing to spread
        yield from rendered(paths, editions, render, 1, skipped)
        return
    yield from _spread(
        walked,
        sheets,
        workers,
        (_start, (tuple(editions), render), _work),
        _rendered_key,
        named_paths(paths),
        skipped,
    )


def _rendered_key(outcome: tuple[str, str, bytes]) -> Keyed:
    chip_id, file, text = outcome
    return chip_id, file, lambda: _id_line(file), text


def _spread(
    walked: Sequence[tuple[str, str | None]],
    sheets: Sequence[str],
    workers: int,
    pool_work: tuple[Callable[..., None], tuple[Any, ...], Callable[[str], Any]],
    keyed: Callable[[Any], Keyed],
    named: frozenset[str] | None,
    skipped: list[str] | None,
) -> Iterator[Any]:
    """The pool's half of rendered() and checked(): each sheet's outcome from the workers
    (`pool_work`: the initializer, its arguments, the function of one sheet), in walk
    order; walk errors and the workers' problems (less those `skipped` takes) in their
    places; a chip id met again reported as a duplicate of its first file. `keyed` tells
    an outcome's chip id, file, the line of its id (asked for only for a duplicate) and
    what to yield."""
    start, args, work = pool_work
    chunk = max(1, min(MAX_CHUNK, len(sheets) // (workers * 4)))
    sys.stdout.flush()
    sys.stderr.flush()
    import multiprocessing  # here: a one-process run does not pay for its import

    owners: dict[str, str] = {}
    with multiprocessing.Pool(workers, start, args) as pool:
        outcomes = pool.imap(work, sheets, chunk)
        for path, message in walked:
            if message is not None:
                yield [Problem(str(path), message)]
                continue
            outcome = next(outcomes)
            if isinstance(outcome, list):
                if not skippable(outcome, named, skipped):
                    yield outcome
                continue
            chip_id, file, line, item = keyed(outcome)
            first = owners.get(chip_id)
            if first is not None:
                yield [duplicate_id(file, chip_id, first, line())]
                continue
            owners[chip_id] = file
            yield item


# --------------------------------------------------------------------------- in a worker

_editions: tuple[Edition, ...] = ()
_render: list[Render] = []
_bands: list[tuple[Band, ...]] = []


def _start(editions: tuple[Edition, ...], render: Render) -> None:
    """A worker's initializer: what every sheet it classifies is read against."""
    import signal

    # Ctrl-C is the parent's to handle (it stops the pool): a worker never prints a
    # KeyboardInterrupt trace of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _editions
    _editions = editions
    _render[:] = [render]
    _bands[:] = [tariffs.bundled()]


def _work(path: str) -> Outcome:
    try:
        spec = load_sheet(path)
    except SheetError as error:
        return error.problems
    text = _render[0](classify(spec, _editions, tariff_bands=_bands[0]))
    return spec.id, spec.path, text.encode()


def _id_line(file: str) -> int | None:
    """The line of [chip] id in a sheet (asked for only when the id is a duplicate)."""
    try:
        return load_sheet(file).line_of("chip.id")
    except SheetError:
        return None


# --------------------------------------------------------------------------- check


def checked(
    paths: Iterable[StrPath],
    policy: Policy,
    jobs: int,
    skipped: list[str] | None = None,
    skip_named: bool = False,
) -> Iterator[CheckOutcome | list[Problem]]:
    """`chipclass check`'s work spread over processes: each sheet's Outcome (read,
    classified and checked in a worker), or its problems, in walk order. The walk and
    the check that chip ids are unique stay in this process, as in rendered()."""
    from chipclass.policy import check_spec, expectation_problem

    paths = list(paths)
    walked = list(iter_sheet_paths(paths))
    sheets = [path for path, message in walked if message is None]
    workers = min(jobs_for(jobs, len(sheets)), len(sheets))
    if any(os.fspath(p) == "-" for p in paths):  # standard input: read once, here
        workers = 1
    if workers <= 1:
        for item in iter_loaded(paths, skipped, skip_named):
            if isinstance(item, list):
                yield item
                continue
            problem = expectation_problem(item)
            yield [problem] if problem is not None else check_spec(item, policy)
        return
    yield from _spread(
        walked,
        sheets,
        workers,
        (_start_check, (policy,), _check_work),
        _checked_key,
        None if skip_named else named_paths(paths),
        skipped,
    )


def _checked_key(outcome: CheckOutcome) -> Keyed:
    spec = outcome.spec
    return spec.id, spec.path, lambda: spec.line_of("chip.id"), outcome


_policy: list[Policy] = []


def _start_check(policy: Policy) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _policy[:] = [policy]


def _check_work(path: str) -> CheckOutcome | list[Problem]:
    from chipclass.policy import check_spec, expectation_problem

    try:
        spec = load_sheet(path)
    except SheetError as error:
        return error.problems
    problem = expectation_problem(spec)
    if problem is not None:
        return [problem]
    return check_spec(spec, _policy[0])
