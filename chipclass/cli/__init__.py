"""The `chipclass` command: click front end only. Parse options, call the core,
pick a reporter, exit with the code of spec-format.md section 6."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping, Sequence
from importlib import import_module
from typing import Any

import click

from chipclass import __version__
from chipclass.cli.common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_PIPE


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs.

    `chipclass NAME ...` imports `chipclass.cli.NAME` (dashes as underscores) and takes
    its attribute NAME when that is the command called NAME; nothing else is imported.
    Anything else (help, listings, suggestions for a mistyped name, a command kept
    elsewhere, and any read of `.commands`) runs `_register()` first, which imports
    and adds every command.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._all_registered = True  # nothing to register while the group is being built
        super().__init__(*args, **kwargs)
        self._all_registered = False

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        self.register_all()
        return self._commands

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self._commands = value

    def register_all(self) -> None:
        if self._all_registered:
            return
        self._all_registered = True
        try:
            _register()
        except BaseException:
            self._all_registered = False
            raise

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self._commands[name] = cmd

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; rule files that do not read (a --rules folder, an edition
        asked for by id) are input errors, reported one problem a line, exit 2, whichever
        command met them."""
        try:
            return super().invoke(ctx)
        except Exception as error:
            from chipclass.editions import EditionError

            if not isinstance(error, EditionError):
                raise
            from chipclass.cli.common import fail

            fail(error.problems or [str(error)])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self._commands.get(cmd_name)
        if command is None:
            command = self._import(cmd_name)
        if command is None:
            self.register_all()
            command = self._commands.get(cmd_name)
        return command

    def _import(self, name: str) -> click.Command | None:
        attribute = name.replace("-", "_")
        if self._all_registered or not attribute.isidentifier() or attribute.startswith("_"):
            return None
        module_name = f"{__name__}.{attribute}"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                return None
            raise
        command = getattr(module, attribute, None)
        if not isinstance(command, click.Command) or command.name != name:
            return None
        self._commands[name] = command
        return command


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(
    __version__,
    "--version",
    prog_name="chipclass",
    # click's own wording, given here so importing the CLI asks gettext for nothing
    message="%(prog)s, version %(version)s",
    help="Show the version and exit.",
)
@click.option("--debug", is_flag=True, help="Show the full trace of an internal error.")
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bars and no notes on stderr; errors are still reported.",
)
@click.option(
    "--color",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    show_default=True,
    help="Colour and rich tables: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR"
    " forces them), always (also when piped), never (plain text and no progress bar, as"
    " when piped).",
)
def cli(debug: bool, quiet: bool, color: str) -> None:
    """Classify AI chips under US export controls (ECCN 3A090), exactly.

    Reads chip spec sheets (TOML), computes TPP, performance density and bandwidths
    with exact arithmetic, and labels each part exportable, license-required or
    restricted under each rule edition, with the tailoring margin to every threshold.

    Exit codes: 0 ran and nothing failed; 1 a policy failed (check) or labels differ
    (diff); 2 usage error, invalid input, an I/O error or internal error; 130
    interrupted (Ctrl-C); 141 the reader of the output went away (a closed pipe).
    """


def _register() -> None:
    from chipclass.cli import check as check_cmd
    from chipclass.cli import classify, rules
    from chipclass.cli import diff as diff_cmd
    from chipclass.cli import history as history_cmd
    from chipclass.cli import parties as parties_cmd
    from chipclass.cli import plot as plot_cmd
    from chipclass.cli import report as report_cmd
    from chipclass.cli import screen as screen_cmd
    from chipclass.cli import tailor as tailor_cmd
    from chipclass.cli import transaction as transaction_cmd

    cli.add_command(report_cmd.report)

    cli.add_command(check_cmd.check)
    cli.add_command(classify.classify)
    cli.add_command(rules.rules)
    cli.add_command(diff_cmd.diff)
    cli.add_command(tailor_cmd.tailor)
    cli.add_command(history_cmd.history)
    cli.add_command(plot_cmd.plot)
    cli.add_command(screen_cmd.screen)
    cli.add_command(parties_cmd.parties)
    from chipclass.cli import completion as completion_cmd
    from chipclass.cli import schema as schema_cmd

    cli.add_command(schema_cmd.schema)
    cli.add_command(completion_cmd.completion)
    cli.add_command(transaction_cmd.transaction)


# _register() runs when a command outside the naming convention, help or a listing needs
# the whole list (LazyGroup.register_all); `chipclass NAME` imports only its own module.


def show_sheet_warnings() -> None:
    """Print a sheet's warnings (chipclass.spec.SheetWarning) on stderr, one line each."""
    import warnings

    from chipclass.spec import SheetWarning

    shown = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        if issubclass(category, SheetWarning):
            click.echo(f"warning: {message}", err=True)
        else:
            shown(message, category, *args, **kwargs)

    warnings.showwarning = show
    warnings.simplefilter("always", SheetWarning)


def _quiet_stdout() -> None:
    """Point stdout at the null device: nothing left to fail when Python flushes it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: never a traceback, never an error that exits 0."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or bool(os.environ.get("CHIPCLASS_DEBUG"))
    show_sheet_warnings()
    try:
        try:
            code = cli.main(args=args, prog_name="chipclass", standalone_mode=False)
        except SystemExit:
            # click ends a run whose stdout pipe closed with sys.exit(1), which would read
            # as "policy failed": a closed pipe is 141, said nothing about
            pacified = getattr(click.utils, "_PacifyFlushWrapper", None)
            if pacified is not None and isinstance(sys.stdout, pacified):
                raise BrokenPipeError from None
            raise
        sys.stdout.flush()
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as error:
        error.show()
        code = EXIT_ERROR
    except click.exceptions.Abort as error:
        if isinstance(error.__cause__, KeyboardInterrupt):
            click.echo("chipclass: interrupted", err=True)
            code = EXIT_INTERRUPTED
        else:
            click.echo("chipclass: aborted", err=True)
            code = EXIT_ERROR
    except BrokenPipeError:
        _quiet_stdout()
        code = EXIT_PIPE
    except KeyboardInterrupt:
        click.echo("chipclass: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except OSError as error:  # stdout on a full disk, /dev/full
        click.echo(f"chipclass: cannot write: {error.strerror or error}", err=True)
        _quiet_stdout()
        code = EXIT_ERROR
    except Exception as error:
        if debug:
            import traceback

            traceback.print_exc()
        else:
            message = " ".join(str(error).split())  # one line, whatever the exception holds
            click.echo(
                f"chipclass: internal error: {type(error).__name__}: {message}"
                " (run with --debug for the trace)",
                err=True,
            )
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else 0)
