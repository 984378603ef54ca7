"""What every command shares: edition options, output streams, exit codes."""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:  # imported where used, so a command loads only what it draws with
    from pathlib import Path

    from chipclass.editions import Edition, Registry
    from chipclass.report.doc import Doc
    from chipclass.spec import ChipSpec, StrPath

#: a progress bar is drawn from this many sheets on (on a terminal, outside CI)
PROGRESS_FROM = 50
T = TypeVar("T")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_ERROR = 2

F = TypeVar("F", bound=Callable[..., Any])


def finish(code: int) -> NoReturn:
    """End a command with an exit code (works under the entry point and under CliRunner)."""
    raise click.exceptions.Exit(code)


class InputError(click.ClickException):
    """Bad input or usage that is not a parse error; always exit 2. The message may
    hold a path or sheet text: it is escaped (chipclass.report.escape.terminal)."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str) -> None:
        from chipclass.report.escape import terminal

        super().__init__(terminal(message))


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


_RULES_KEY = "chipclass.rules"


def _remember_rules(ctx: click.Context, _: click.Parameter, value: tuple[str, ...]) -> None:
    if value:
        ctx.meta[_RULES_KEY] = (*ctx.meta.get(_RULES_KEY, ()), *value)


def rules_option(func: F) -> F:
    """--rules DIR (repeatable): user edition files beside the bundled ones."""
    option = click.option(
        "--rules",
        "rules_dirs",
        multiple=True,
        metavar="DIR",
        expose_value=False,
        is_eager=True,
        callback=_remember_rules,
        type=click.Path(file_okay=False),
        help="A folder of edition files to use beside the bundled ones (repeatable); a file"
        " whose id is a bundled id replaces it.",
    )
    return option(func)


def registry() -> Registry:
    """The editions of this run: the bundled ones, then each --rules folder (and the
    `rules` of [tool.chipclass], which a command that reads the config adds)."""
    from chipclass.editions import Registry

    ctx = click.get_current_context(silent=True)
    folders: tuple[str, ...] = ctx.meta.get(_RULES_KEY, ()) if ctx is not None else ()
    return Registry(folders)


def add_rules(folders: Sequence[str]) -> None:
    """Add folders of user editions to this run (from a configuration file)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and folders:
        ctx.meta[_RULES_KEY] = (*tuple(folders), *ctx.meta.get(_RULES_KEY, ()))


def _complete_edition(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from chipclass.cli.completion import complete_edition

    return complete_edition(ctx, param, incomplete)


def _complete_destination(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from chipclass.cli.completion import complete_destination

    return complete_destination(ctx, param, incomplete)


def edition_options(default_all: bool = False) -> Callable[[F], F]:
    """--edition (repeatable), --all-editions, --as-of, --rules."""

    def decorate(func: F) -> F:
        func = rules_option(func)
        func = destination_option(func)
        func = click.option(
            "--as-of",
            "as_of",
            metavar="YYYY-MM-DD",
            help="Use the edition in force on this date.",
        )(func)
        func = click.option(
            "--all-editions",
            "all_editions",
            is_flag=True,
            default=False,
            help="Every edition, oldest first." + (" (default)" if default_all else ""),
        )(func)
        func = click.option(
            "--edition",
            "-e",
            "edition_ids",
            multiple=True,
            metavar="ID",
            shell_complete=_complete_edition,
            help="Rule edition id (repeatable), or 'latest'. Default: "
            + ("every edition." if default_all else "the latest edition."),
        )(func)
        return func

    return decorate


def format_option(
    formats: Sequence[str], default: str = "text", help: str | None = None
) -> Callable[[F], F]:
    """--format/-f, one of `formats`."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(tuple(formats)),
        default=default,
        show_default=True,
        help=help,
    )


def output_option(func: F) -> F:
    """--output/-o FILE: write there instead of stdout."""
    option = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False),
        help="Write here instead of stdout.",
    )
    return option(func)


def edition_option(func: F) -> F:
    """--edition/-e ID: one edition (default: the latest)."""
    option = click.option(
        "--edition",
        "-e",
        "edition_id",
        default="latest",
        show_default=True,
        metavar="ID",
        shell_complete=_complete_edition,
        help="Rule edition id, or 'latest'.",
    )
    return rules_option(option(func))


def destination_option(func: F) -> F:
    """--destination: the country the export goes to (default China)."""
    option = click.option(
        "--destination",
        "-d",
        "destination",
        metavar="CODE",
        shell_complete=_complete_destination,
        help="Destination country: ISO 3166 code or name (default: CN, China). The"
        " editions' reach decides each control's label there.",
    )
    return option(func)


def jobs_option(value: str) -> int:
    """--jobs: a count of processes (0: one per CPU), or `auto` (parallel.AUTO)."""
    from chipclass.parallel import AUTO

    text = value.strip().lower()
    if text == "auto":
        return AUTO
    if text.isdigit():
        return int(text)
    raise click.BadParameter(f"{value!r} is not a number of processes (0 or more) or 'auto'")


def config_options(func: F) -> F:
    """--config FILE / --no-config: where [tool.chipclass] (its destination) comes from."""
    func = click.option("--no-config", is_flag=True, help="Ignore [tool.chipclass] configuration.")(
        func
    )
    func = click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, readable=False),
        help="Read [tool.chipclass] from this file instead of the nearest pyproject.toml.",
    )(func)
    return func


def _may_hold_a_configuration(folder: str) -> bool:
    """Does any pyproject.toml from `folder` up mention tool.chipclass? (A cheap look
    before the configuration is read properly: a run outside a configured project imports
    neither pathlib nor the configuration's reader.)"""
    folder = os.path.abspath(folder)
    while True:
        try:
            with open(os.path.join(folder, "pyproject.toml"), "rb") as handle:
                if b"tool.chipclass" in handle.read():
                    return True
        except OSError:
            pass
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def configured_destination(
    destination: str | None, config_file: str | None = None, no_config: bool = False
) -> str | None:
    """--destination, else `destination` from [tool.chipclass] (the nearest
    pyproject.toml, or --config), else None (China). A broken configuration is an
    input error, reported with its file and key, exit 2."""
    if destination is not None:
        return destination
    if config_file is not None and no_config:
        raise click.UsageError("--config and --no-config exclude each other")
    if no_config:
        return None
    if config_file is None and not _may_hold_a_configuration(os.getcwd()):
        return None  # no pyproject.toml up the tree names [tool.chipclass]: nothing to read
    from pathlib import Path

    from chipclass import config as configuration

    found: configuration.Config | None
    try:
        if config_file is not None:
            found = configuration.load(Path(config_file))
        else:
            found = configuration.discover(Path.cwd())
    except configuration.ConfigError as error:
        report_problems(error.problems)
        finish(EXIT_ERROR)
    return found.destination if found is not None else None


def resolve_editions(
    edition_ids: Sequence[str],
    all_editions: bool,
    as_of: str | None,
    default_all: bool = False,
    destination: str | None = None,
) -> tuple[Edition, ...]:
    """The editions the options ask for, read for the destination when one is given."""
    if edition_ids and all_editions:
        raise click.UsageError("--edition and --all-editions exclude each other: give one")
    date = parse_date(as_of, "--as-of") if as_of else None
    if default_all and not edition_ids and date is None:
        all_editions = True
    from chipclass.editions import NO_CONTROL

    found = registry()
    try:
        chosen = found.select(edition_ids, all_editions, date)
    except LookupError as error:
        raise InputError(str(error.args[0])) from None
    for note in found.notes:
        click.echo(f"note: {note}", err=True)
    for edition in chosen:
        if edition.id == NO_CONTROL:
            click.echo(f"note: {edition.notes}", err=True)
    return narrow(chosen, destination, date)


def narrow(
    chosen: Sequence[Edition], destination: str | None, date: dt.date | None = None
) -> tuple[Edition, ...]:
    """Each edition read for --destination (unchanged without one)."""
    if destination is None:
        return tuple(chosen)
    from chipclass.destinations import bundled
    from chipclass.scoped import for_destination

    try:
        data = bundled()
        return tuple(for_destination(e, destination, date, data) for e in chosen)
    except LookupError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="--destination") from None


def _root_option(name: str) -> Any:
    """A global option (`chipclass --quiet ...`) of the command running, if any."""
    ctx = click.get_current_context(silent=True)
    return None if ctx is None else ctx.find_root().params.get(name)


def quiet() -> bool:
    """--quiet (or CHIPCLASS_QUIET): no progress bars, no notes; errors still shown."""
    return bool(_root_option("quiet")) or bool(os.environ.get("CHIPCLASS_QUIET"))


def color_mode() -> str:
    """--color as asked: always, never or auto (auto: FORCE_COLOR means always; NO_COLOR
    and TERM=dumb mean no colour; NO_COLOR wins when both are set)."""
    mode = _root_option("color") or "auto"
    if mode != "auto":
        return str(mode)
    if os.environ.get("NO_COLOR"):
        return "never"
    if os.environ.get("FORCE_COLOR"):
        return "always"
    return "auto"


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


#: the exit code of a run whose reader closed the pipe (128 + SIGPIPE, as a shell has it)
EXIT_PIPE = 141
#: the exit code of an interrupted run (128 + SIGINT)
EXIT_INTERRUPTED = 130


def stdout_closed() -> NoReturn:
    """The reader of stdout went away (`| head -1`): stop quietly, exit 141."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing more to flush at exit
    except (OSError, ValueError):
        pass
    raise click.exceptions.Exit(EXIT_PIPE)


@contextmanager
def output_stream(path: StrPath | None) -> Iterator[IO[str]]:
    """stdout, or the --output file, UTF-8.

    A file is written whole or not at all: to a temporary name in the same folder,
    renamed over the target only when the command finishes writing (an interrupted or
    failed run leaves the target as it was, and no temporary behind). A target that
    exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is written in
    place. A write that fails (a full disk, /dev/full) is an I/O error with a plain
    message, exit 2; a closed pipe on stdout ends the run quietly (exit 141).
    """
    if path is None:
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            stdout_closed()
        return
    target = os.fspath(path)
    try:
        status: os.stat_result | None = os.stat(target)
    except OSError:
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode):
        yield from _write_in_place(target)
        return
    folder = os.path.dirname(target) or "."
    base = os.path.basename(target)
    temporary: str | None = None
    committed = False
    ended: click.exceptions.Exit | None = None
    try:
        try:
            import tempfile

            # Ctrl-C waits until the temporary is named here, so the finally below always
            # knows what to remove (it came between mkstemp and the cleanup's try before)
            with _interrupt_deferred():
                descriptor, temporary = tempfile.mkstemp(
                    prefix=f".{base}.", suffix=".part", dir=folder
                )
            os.chmod(temporary, status.st_mode & 0o7777 if status else 0o666 & ~_umask())
            handle = open(descriptor, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            with handle:
                try:
                    yield handle
                except click.exceptions.Exit as done:  # a command that ends inside the block
                    if done.exit_code not in (0, 1):
                        raise
                    ended = done
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
            committed = True
        except OSError as error:
            raise InputError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        if temporary is not None and not committed:
            _remove(temporary)
    if ended is not None:
        raise ended


@contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """SIGINT held back for the block (where the platform can), delivered after it."""
    import signal

    block = getattr(signal, "pthread_sigmask", None)
    if block is None:  # pragma: no cover - Windows
        yield
        return
    previous = block(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)


def _write_in_place(target: str) -> Iterator[IO[str]]:
    try:
        handle = open(target, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    except OSError as error:
        raise InputError(f"cannot write {target}: {error.strerror or error}") from None
    try:
        with handle:
            yield handle
    except OSError as error:
        raise InputError(f"cannot write {target}: {error.strerror or error}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)


def emit(command: str, fmt: str, subject: object, stream: IO[str], plain: bool = False) -> None:
    """Write `command`'s result in `fmt` with its reporter (chipclass.report.registry):
    text as it is; a Doc rich on a terminal, plain elsewhere, or always plain with
    `plain` (a report file written beside the main output)."""
    from chipclass.report.doc import Doc, render_plain
    from chipclass.report.registry import reporter

    written = reporter(command, fmt)(subject)
    if not isinstance(written, Doc):
        stream.write(written)
    elif plain:
        stream.write(render_plain(written))
    else:
        write_doc(written, stream)


def write_doc(doc: Doc, stream: IO[str]) -> None:
    """Rich tables in colour on a terminal (--color auto), or anywhere (--color always,
    FORCE_COLOR); plain aligned text, not one escape sequence, anywhere else: piped, with
    --color never, NO_COLOR or TERM=dumb."""
    from chipclass.report.doc import render_plain, render_rich

    mode = color_mode()
    if mode == "always":
        render_rich(doc, stream, False, force_terminal=True)
    elif mode == "auto" and is_terminal(stream) and os.environ.get("TERM") != "dumb":
        render_rich(doc, stream, False)
    else:
        stream.write(render_plain(doc))


def note_skipped(skipped: Sequence[str]) -> None:
    """One note on stderr for every TOML file skipped as another tool's (not a sheet)."""
    if not skipped or quiet():
        return
    from chipclass.report.escape import terminal

    shown = ", ".join(terminal(s) for s in skipped[:5])
    more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    count = len(skipped)
    sys.stderr.write(
        f"note: skipped {count} TOML file{'s' if count != 1 else ''} without"
        f' format = "chipclass/..." (not chip sheets): {shown}{more}\n'
    )


def report_problems(problems: Sequence[object]) -> None:
    """Diagnostics go to stderr, one line each, `error: ` first. A problem's text names
    files and quotes sheets and lists: it is escaped (chipclass.report.escape.terminal),
    so no control code or line break in it reaches the terminal."""
    if not problems:
        return
    from chipclass.report.doc import Cell, Doc
    from chipclass.report.escape import terminal

    doc = Doc()
    for problem in problems:
        doc.line(Cell("error: ", "error"), terminal(str(problem)))
    write_doc(doc, sys.stderr)


def fail(problems: Sequence[object]) -> NoReturn:
    """Report the problems and exit 2."""
    report_problems(problems)
    finish(EXIT_ERROR)


def edition_or_fail(edition_id: str) -> Edition:
    """The edition with this id (or "latest"); exit 2 naming the known ids when none is."""
    try:
        return registry().by_id(edition_id)
    except LookupError as error:
        raise InputError(str(error.args[0])) from None


def sheet_or_fail(path: Path) -> ChipSpec:
    """Load the one sheet, or report its problems on stderr and exit 2."""
    from chipclass.files import load_sheet
    from chipclass.spec import Problem, SheetError

    if path.is_dir():
        fail([Problem(str(path), "is a folder: give one sheet file (*.toml)")])
    try:
        return load_sheet(path)
    except SheetError as error:
        fail(error.problems)


def knobs_or_fail(text: str) -> tuple[str, ...]:
    """--knobs K1,K2,...: the knob names, each once, in the order given."""
    from chipclass.frontier import KNOBS

    names = [name.strip() for name in text.split(",")]
    if not names or any(not name for name in names):
        raise click.BadParameter(
            f"{text!r}: give knob names separated by commas ({', '.join(KNOBS)})",
            param_hint="--knobs",
        )
    unknown = [name for name in names if name not in KNOBS]
    if unknown:
        raise click.BadParameter(
            f"unknown knob {unknown[0]!r} (any of {', '.join(KNOBS)})", param_hint="--knobs"
        )
    return tuple(dict.fromkeys(names))


def wants_progress(count: int, stream: IO[str], environ: Mapping[str, str]) -> bool:
    """A progress bar for large runs, on a terminal, and never in CI, nor with --quiet
    (CHIPCLASS_QUIET) or TERM=dumb."""
    return (
        count >= PROGRESS_FROM
        and is_terminal(stream)
        and not environ.get("CI")
        and not environ.get("CHIPCLASS_QUIET")
        and environ.get("TERM") != "dumb"
    )


def sheet_count(paths: Sequence[StrPath]) -> int:
    from chipclass.files import iter_sheet_paths

    return sum(1 for _, message in iter_sheet_paths(list(paths)) if message is None)


def progress_for(items: Iterator[T], paths: Sequence[StrPath], verb: str) -> Iterator[T]:
    """`items` (one per sheet under `paths`) with a progress bar on stderr when
    wants_progress says so; else `items` as they are."""
    count = sheet_count(paths)
    return with_progress(items, count, verb) if shows_progress(count) else items


def shows_progress(count: int) -> bool:
    """A progress bar for this run of `count` sheets: wants_progress, and neither --quiet
    nor --color never (not one escape sequence, as asked)."""
    never = _root_option("color") == "never"
    return not quiet() and not never and wants_progress(count, sys.stderr, os.environ)


def with_progress(items: Iterator[T], count: int, verb: str) -> Iterator[T]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(file=sys.stderr)
    columns = (TextColumn(verb), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(verb, total=count)
        for item in items:
            yield item
            progress.advance(task)
