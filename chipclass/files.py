"""Sheets on disk: reading one file, walking folders, loading many sheets.

chipclass.spec validates one sheet's text; this module finds and reads the files.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from typing import Final, NamedTuple

from chipclass.spec import (
    MAX_SHEET_BYTES,
    ChipSpec,
    Problem,
    SheetError,
    StrPath,
    not_a_sheet,
    parse_sheet,
)


def read_sheet_text(path: StrPath) -> str:
    """Read a sheet's bytes with the size limit and strict UTF-8; raise SheetError."""
    return read_input_text(path, "sheet")


def read_input_text(path: StrPath, noun: str) -> str:
    """Read an input file (a "sheet", an "edition") with the 1 MiB limit and strict UTF-8;
    raise SheetError with the one problem, in words that name the `noun`.

    Never blocks on a FIFO nobody writes to: the file is opened with O_NONBLOCK (a
    FIFO without a writer opens at once and reads as empty) and read blocking from
    then on, so a pipe that has a writer (`<(cat sheet.toml)`) is read to its end.
    A folder, a socket or a device that is not a terminal-safe file is refused.
    """
    file = path_text(path)
    try:
        raw = _read_limited(path, file, noun)
    except OSError as error:
        raise SheetError([Problem(file, f"cannot read: {error.strerror or error}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = f"not UTF-8 text (byte {error.start}): save the {noun} as UTF-8"
        raise SheetError([Problem(file, message, line=line)]) from None


#: the path that names standard input
STDIN: Final = "-"
#: how a sheet read from standard input is named in results and errors
STDIN_NAME: Final = "<stdin>"


def _read_stdin(noun: str) -> bytes:
    import sys

    raw = sys.stdin.buffer.read(MAX_SHEET_BYTES + 1)
    if len(raw) > MAX_SHEET_BYTES:
        raise SheetError([Problem(STDIN_NAME, f"the {noun} is over 1 MiB")])
    return raw


def _read_limited(path: StrPath, file: str, noun: str) -> bytes:
    if os.fspath(path) == STDIN:
        return _read_stdin(noun)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    with open(descriptor, "rb", closefd=True) as handle:
        status = os.fstat(descriptor)
        kind = _kind(status.st_mode)
        if kind is not None:
            article = "an" if noun[0] in "aeiou" else "a"
            raise SheetError([Problem(file, f"not {article} {noun} file: {kind}")])
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        size = status.st_size
        if size > MAX_SHEET_BYTES:
            raise SheetError([Problem(file, f"the {noun} is {size} bytes; the limit is 1 MiB")])
        # a file's own size (a buffer of the limit's size is a megabyte per sheet);
        # anything else (a pipe) up to the limit
        regular = stat.S_ISREG(status.st_mode)
        limit = size if regular else MAX_SHEET_BYTES
        raw = handle.read(limit + 1)
        if len(raw) > limit:  # it grew since: the rest, up to the limit
            raw += handle.read(MAX_SHEET_BYTES + 1 - len(raw))
        if len(raw) > MAX_SHEET_BYTES:
            raise SheetError([Problem(file, f"the {noun} is over 1 MiB")])
        if not raw and stat.S_ISFIFO(status.st_mode):
            raise SheetError([Problem(file, "a FIFO (named pipe) with nothing written to it")])
        return raw


def _kind(mode: int) -> str | None:
    """What a path is when it is not something a sheet can be read from (else None)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def load_sheet(path: StrPath, display: str | None = None) -> ChipSpec:
    """Load one sheet from disk (`-`: from standard input); raise SheetError on any
    problem."""
    if display is None and os.fspath(path) == STDIN:
        display = STDIN_NAME
    file = display if display is not None else path_text(path)
    try:
        text = read_sheet_text(path)
    except SheetError as error:
        raise SheetError(
            [Problem(file, p.message, p.key, p.line) for p in error.problems]
        ) from None
    return parse_sheet(text, file)


def path_text(path: StrPath) -> str:
    """A path as pathlib writes it: on POSIX without "." parts, repeated or trailing
    slashes ("./specs/" is "specs"), ".." parts kept (a link may make "a/.." mean
    elsewhere than "."). Where the path has no ".." part, os.path.normpath writes it so;
    pathlib is imported only for the others (its import would cost a one-sheet run
    about 5 ms, more than the rest of the run's own work)."""
    text = os.fspath(path)
    if os.altsep is None and ".." not in text.split(os.sep):
        return os.path.normpath(text)
    import pathlib

    return str(pathlib.PurePath(text))


def _child(folder: str, name: str) -> str:
    """path_text(folder / name), for a folder already written as path_text writes it."""
    if folder == ".":
        return name
    return folder + name if folder.endswith(os.sep) else folder + os.sep + name


def iter_sheet_paths(paths: Sequence[StrPath]) -> Iterator[tuple[str, str | None]]:
    """Yield (sheet path, None) for every *.toml under the given files and folders.

    Folders are walked recursively in sorted order; hidden files and folders are
    skipped; symlinked folders are followed once (loops are safe), and a file reached
    twice (given twice, or through a link) is yielded once. A path that does not exist
    yields (path, message). Paths are written as path_text writes them.
    """
    seen: set[tuple[int, int]] = set()  # (device, inode) of every sheet yielded
    stdin_taken = False
    for given in paths:
        if os.fspath(given) == STDIN:  # standard input, once
            if not stdin_taken:
                stdin_taken = True
                yield STDIN, None
            continue
        root = path_text(given)
        try:
            status = os.stat(root)
        except OSError:
            yield root, "no such file or folder"
            continue
        if stat.S_ISDIR(status.st_mode):
            yield from _walk(root, seen, frozenset())
        elif _first_time((status.st_dev, status.st_ino), seen):
            yield root, None


def _first_time(identity: tuple[int, int], seen: set[tuple[int, int]]) -> bool:
    if identity in seen:
        return False
    seen.add(identity)
    return True


def _walk(
    folder: str, seen: set[tuple[int, int]], visiting: frozenset[tuple[int, int]]
) -> Iterator[tuple[str, str | None]]:
    try:
        status = os.stat(folder)
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield folder, f"cannot list folder: {error.strerror or error}"
        return
    identity = (status.st_dev, status.st_ino)
    if identity in visiting:  # a link back up the tree
        return
    visiting = visiting | {identity}
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            if entry.is_dir():
                yield from _walk(_child(folder, name), seen, visiting)
            elif name.endswith(".toml") and entry.is_file():
                found = entry.stat()
                if _first_time((found.st_dev, found.st_ino), seen):
                    yield _child(folder, name), None
            elif name.endswith(".toml") and entry.is_symlink() and not entry.is_file():
                yield _child(folder, name), _broken_link(_child(folder, name))
        except OSError:  # a link to itself (a loop), or gone since the listing
            path = _child(folder, name)
            if name.endswith(".toml") and os.path.islink(path):
                yield path, _broken_link(path)
            continue


def _broken_link(path: str) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        return "a broken symbolic link"
    return f"a broken symbolic link (to {target})"


class Loaded(NamedTuple):
    """The outcome of reading a set of paths: good sheets, and every problem."""

    specs: tuple[ChipSpec, ...]
    problems: tuple[Problem, ...]


def skippable(
    problems: Sequence[Problem], named: frozenset[str] | None, skipped: list[str] | None
) -> bool:
    """Whether a file's problems are another tool's TOML found by walking a folder
    (not named in `named`, the given paths as path_text writes them; None: every file
    may be skipped); when so, its path is added to `skipped`. Without a `skipped` list
    nothing is skipped."""
    if skipped is None or not problems or not not_a_sheet(problems):
        return False
    file = problems[0].file
    if named is not None and file in named:
        return False
    skipped.append(file)
    return True


def named_paths(paths: Iterable[StrPath]) -> frozenset[str]:
    return frozenset(path_text(p) for p in paths)


def iter_loaded(
    paths: Iterable[StrPath], skipped: list[str] | None = None, skip_named: bool = False
) -> Iterator[ChipSpec | list[Problem]]:
    """Load every sheet under the paths, yielding a spec or that sheet's problems.

    The same chip id in two sheets is reported against the second, naming both. With
    a `skipped` list, a TOML file found in a folder that is not a chipclass sheet (no
    `format = "chipclass/..."`) is added to it instead of being an error; with
    `skip_named` too, also one named in `paths`.
    """
    paths = list(paths)
    named = None if skip_named else named_paths(paths)
    owners: dict[str, str] = {}
    for path, message in iter_sheet_paths(paths):
        if message is not None:
            yield [Problem(str(path), message)]
            continue
        try:
            spec = load_sheet(path)
        except SheetError as error:
            if not skippable(error.problems, named, skipped):
                yield error.problems
            continue
        first = owners.get(spec.id)
        if first is not None:
            yield [duplicate_id(spec.path, spec.id, first, spec.line_of("chip.id"))]
            continue
        owners[spec.id] = spec.path
        yield spec


def duplicate_id(file: str, chip_id: str, first: str, line: int | None) -> Problem:
    """The problem of a sheet whose chip id an earlier sheet (`first`) already uses."""
    return Problem(
        file,
        f"chip id {chip_id!r} is already used by {first}; ids must be unique",
        "[chip] id",
        line,
    )


def load_all(paths: Iterable[StrPath], skipped: list[str] | None = None) -> Loaded:
    specs: list[ChipSpec] = []
    problems: list[Problem] = []
    for item in iter_loaded(paths, skipped):
        if isinstance(item, list):
            problems.extend(item)
        else:
            specs.append(item)
    return Loaded(tuple(specs), tuple(problems))
