"""A batch of sheets, classified and rendered in order, in one process or spread over several.

`rendered()` yields, for every sheet under the paths and in the order `iter_loaded()`
walks them, either the sheet's problems or its result rendered to text by a caller's
function. With jobs > 1 the sheets are read, classified and rendered by a pool of
worker processes (`Pool.imap`, in chunks, order kept); the walk of the folders and
the check that chip ids are unique stay in this process, so the sequence is the same
as with one process, item for item.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from chipclass.classify import Result, classify, duplicate_id, iter_loaded
from chipclass.editions import Edition
from chipclass.spec import Problem, SheetError, iter_sheet_paths, load_sheet

Render = Callable[[Result], str]
#: what a worker sends back for one sheet: its problems, or (id, file, id line, text)
Outcome = list[Problem] | tuple[str, str, int | None, str]

#: sheets a worker takes at a time, at most (fewer when the batch is small)
MAX_CHUNK = 64


def jobs_for(jobs: int) -> int:
    """The number of processes --jobs asks for: 0 means one per CPU."""
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def rendered(
    paths: Iterable[Path], editions: Sequence[Edition], render: Render, jobs: int = 1
) -> Iterator[str | list[Problem]]:
    """Each sheet's rendered result, or its problems, in walk order.

    `render` must be a module-level function when jobs > 1 (it is sent to the workers).
    Before the workers start, sys.stdout and sys.stderr are flushed, so a forked worker
    inherits no half-written output.
    """
    if jobs <= 1:
        for item in iter_loaded(paths):
            yield item if isinstance(item, list) else render(classify(item, editions))
        return
    walked = list(iter_sheet_paths(list(paths)))
    sheets = [path for path, message in walked if message is None]
    if len(sheets) <= 1:  # nothing to spread
        yield from rendered(paths, editions, render, 1)
        return
    workers = min(jobs, len(sheets))
    chunk = max(1, min(MAX_CHUNK, len(sheets) // (workers * 4)))
    sys.stdout.flush()
    sys.stderr.flush()
    import multiprocessing  # here: a one-process run does not pay for its import

    owners: dict[str, str] = {}
    with multiprocessing.Pool(workers, _start, (tuple(editions), render)) as pool:
        outcomes = pool.imap(_work, sheets, chunk)
        for path, message in walked:
            if message is not None:
                yield [Problem(str(path), message)]
                continue
            outcome = next(outcomes)
            if isinstance(outcome, list):
                yield outcome
                continue
            chip_id, file, line, text = outcome
            first = owners.get(chip_id)
            if first is not None:
                yield [duplicate_id(file, chip_id, first, line)]
                continue
            owners[chip_id] = file
            yield text


# --------------------------------------------------------------------------- in a worker

_editions: tuple[Edition, ...] = ()
_render: list[Render] = []


def _start(editions: tuple[Edition, ...], render: Render) -> None:
    global _editions
    _editions = editions
    _render[:] = [render]


def _work(path: Path) -> Outcome:
    try:
        spec = load_sheet(path)
    except SheetError as error:
        return error.problems
    text = _render[0](classify(spec, _editions))
    return spec.id, spec.path, spec.line_of("chip.id"), text
