"""`chipclass rules` and `chipclass rules show ID`: the editions and their clauses."""

from __future__ import annotations

import sys

import click

from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    InputError,
    emit,
    finish,
    format_option,
    registry,
    report_problems,
    rules_option,
)
from chipclass.report.escape import terminal
from chipclass.report.registry import formats
from chipclass.rulescheck import check_files

FORMATS = formats("rules")


@click.group(invoke_without_command=True)
@format_option(FORMATS)
@rules_option
@click.pass_context
def rules(ctx: click.Context, fmt: str) -> None:
    """List the rule editions (oldest first), show one with `rules show ID`, or check
    edition files with `rules check FILE...`."""
    if ctx.invoked_subcommand is not None:
        return
    known = registry().all()
    emit("rules", fmt, known, sys.stdout)


@rules.command()
@click.argument("edition_id", metavar="ID")
@format_option(FORMATS)
def show_cmd(edition_id: str, fmt: str) -> None:
    """Print one edition: metadata, then every clause with its verbatim text."""
    try:
        edition = registry().by_id(edition_id)
    except LookupError as error:
        raise InputError(str(error.args[0])) from None
    emit("rules show", fmt, edition, sys.stdout)


show_cmd.name = "show"


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@format_option(
    formats("rules check"),
    help="text: an ok line per valid file and a summary; json: one document. Either way"
    " each problem is also a line on stderr.",
)
def check_cmd(files: tuple[str, ...], fmt: str) -> None:
    """Validate edition files: every problem in every file, each as FILE:LINE: KEY: message
    on stderr; exit 0 when every file reads as an edition (and they can stand beside the
    bundled ones and those of --rules), 2 otherwise.

    \b
    Example:
      chipclass rules check my-rules/us-2027-03.toml
    """
    result = check_files(files, registry())
    for note in result.notes:
        click.echo(f"note: {terminal(note)}", err=True)
    report_problems(result.all_problems)
    emit("rules check", fmt, result, sys.stdout)
    finish(EXIT_OK if result.valid else EXIT_ERROR)
