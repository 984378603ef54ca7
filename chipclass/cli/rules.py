"""`chipclass rules` and `chipclass rules show ID`: the editions and their clauses."""

from __future__ import annotations

import sys

import click

from chipclass.cli.common import (
    InputError,
    emit,
    format_option,
    registry,
    rules_option,
)
from chipclass.editions import (
    EditionError,
    check_registry,
    parse_edition,
)
from chipclass.report.registry import formats

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
    try:
        known = registry().all()
    except EditionError as error:
        raise InputError(str(error)) from None
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
    except EditionError as error:
        raise InputError(str(error)) from None
    emit("rules show", fmt, edition, sys.stdout)


show_cmd.name = "show"


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check_cmd(files: tuple[str, ...]) -> None:
    """Validate edition files: exit 0 when every file reads as an edition (and they can
    stand beside the bundled ones), 2 otherwise, naming each problem's file and key.

    \b
    Example:
      chipclass rules check my-rules/us-2027-03.toml
    """
    parsed = []
    failed = False
    for file in files:
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            click.echo(f"error: {file}: cannot read the file: {error}", err=True)
            failed = True
            continue
        try:
            parsed.append(parse_edition(text, file))
        except EditionError as error:
            click.echo(f"error: {error}", err=True)
            failed = True
            continue
        click.echo(f"ok: {file}: edition {parsed[-1].id}, effective {parsed[-1].effective}")
    if parsed and not failed:
        bundled = {e.id: e for e in registry().all()}
        bundled.update((e.id, e) for e in parsed)
        try:
            check_registry(bundled.values())
        except EditionError as error:
            click.echo(f"error: with the bundled editions: {error}", err=True)
            failed = True
    sys.exit(2 if failed else 0)
