"""The `chipclass` command: click front end only. Parse options, call the core,
pick a reporter, exit with the code of spec-format.md section 6."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import click

from chipclass import __version__
from chipclass.cli.common import EXIT_ERROR


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="chipclass")
@click.option("--debug", is_flag=True, help="Show the full trace of an internal error.")
def cli(debug: bool) -> None:
    """Classify AI chips under US export controls (ECCN 3A090), exactly.

    Reads chip spec sheets (TOML), computes TPP, performance density and bandwidths
    with exact arithmetic, and labels each part exportable, license-required or
    restricted under each rule edition, with the tailoring margin to every threshold.

    Exit codes: 0 ran and nothing failed; 1 a policy failed (check) or labels differ
    (diff); 2 usage error, invalid input or internal error.
    """


def _register() -> None:
    from chipclass.cli import check as check_cmd
    from chipclass.cli import classify, rules
    from chipclass.cli import diff as diff_cmd
    from chipclass.cli import history as history_cmd
    from chipclass.cli import plot as plot_cmd
    from chipclass.cli import report as report_cmd
    from chipclass.cli import tailor as tailor_cmd

    cli.add_command(report_cmd.report)

    cli.add_command(check_cmd.check)
    cli.add_command(classify.classify)
    cli.add_command(rules.rules)
    cli.add_command(diff_cmd.diff)
    cli.add_command(tailor_cmd.tailor)
    cli.add_command(history_cmd.history)
    cli.add_command(plot_cmd.plot)


_register()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: never a traceback, never an error that exits 0."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or bool(os.environ.get("CHIPCLASS_DEBUG"))
    try:
        code = cli.main(args=args, prog_name="chipclass", standalone_mode=False)
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as error:
        error.show()
        code = EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("chipclass: aborted", err=True)
        code = EXIT_ERROR
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("chipclass: interrupted", err=True)
        code = 130
    except Exception as error:
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                f"chipclass: internal error: {type(error).__name__}: {error}"
                " (run with --debug for the trace)",
                err=True,
            )
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else 0)
