"""`chipclass parties import | info | diff | fetch`: the party lists themselves."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    emit,
    finish,
    format_option,
    report_problems,
    write_doc,
)
from chipclass.report.registry import formats


@click.group()
def parties() -> None:
    """Import, inspect, compare and fetch party lists (the Consolidated Screening List).

    `parties fetch` is the only chipclass command that uses the network.
    """


@parties.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False),
    help="The snapshot to write (JSON lines, with its manifest on the first line).",
)
def import_cmd(file: str, output: str) -> None:
    """Read a CSL download (CSV or JSON) into a snapshot; nothing is written when any
    row is bad."""
    from chipclass.parties.model import PartiesError
    from chipclass.parties.store import import_csl

    try:
        snapshot = import_csl(Path(file), Path(output))
    except PartiesError as error:
        report_problems(error.problems)
        click.echo(f"chipclass: nothing written to {output}", err=True)
        finish(EXIT_ERROR)
    _summary("imported", snapshot)


@parties.command()
@click.option("--list", "list_path", metavar="PATH", help="Default: the bundled snapshot.")
@format_option(formats("parties info"))
def info(list_path: str | None, fmt: str) -> None:
    """Show a list's date, sha256, entries per source list and import manifest."""
    from chipclass.parties.lists import load_list
    from chipclass.parties.model import PartiesError

    try:
        snapshot = load_list(list_path)
    except PartiesError as error:
        report_problems(error.problems)
        finish(EXIT_ERROR)
    emit("parties info", fmt, snapshot, sys.stdout)


@parties.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@format_option(formats("parties diff"))
def diff_cmd(old: str, new: str, fmt: str) -> None:
    """Entries added, removed and changed (by entry id) between two lists.

    Exit 0 when they hold the same entries, 1 when they differ, 2 on an input error.
    """
    from chipclass.parties.diff import diff_lists
    from chipclass.parties.lists import load_list
    from chipclass.parties.model import PartiesError, Problem

    loaded = []
    problems: list[Problem] = []
    for path in (old, new):
        try:
            loaded.append(load_list(path))
        except PartiesError as error:
            problems.extend(error.problems)
    if problems:
        report_problems(problems)
        finish(EXIT_ERROR)
    result = diff_lists(loaded[0], loaded[1])
    emit("parties diff", fmt, result, sys.stdout)
    finish(EXIT_FAILED if result.differs else EXIT_OK)


@parties.command()
@click.argument("url", required=False)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False),
    help="The snapshot to replace (kept as it was when the new list fails or shrinks).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=120.0,
    show_default=True,
    help="Seconds for the whole download.",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Accept a list with more than 10 % fewer entries (overall or in a source list).",
)
def fetch(url: str | None, output: str, timeout: float, allow_shrink: bool) -> None:
    """Download the Consolidated Screening List, verify it as `import` does, and replace
    the snapshot -o only when it verifies and has not shrunk suspiciously.

    Default URL: the government's published CSV download. Exit 0 replaced; 1 refused
    because it shrank (the previous snapshot is kept); 2 the download or the file failed.
    """
    from chipclass.parties import fetch as fetching
    from chipclass.parties.model import PartiesError

    target = Path(output)
    try:
        fetched = fetching.fetch(url or fetching.DEFAULT_URL, target, timeout, allow_shrink)
    except fetching.FetchError as error:
        click.echo(f"error: {error}", err=True)
        _kept(target)
        finish(EXIT_ERROR)
    except PartiesError as error:
        report_problems(error.problems)
        _kept(target)
        finish(EXIT_ERROR)
    except fetching.ShrinkError as error:
        for shrink in error.shrinks:
            click.echo(f"refused: {shrink}", err=True)
        click.echo(
            f"chipclass: more than {float(fetching.MAX_SHRINK * 100):g} % fewer entries;"
            " pass --allow-shrink to accept",
            err=True,
        )
        _kept(target)
        finish(EXIT_FAILED)
    for shrink in fetched.shrinks:
        click.echo(f"accepted (--allow-shrink): {shrink}", err=True)
    _summary("fetched", fetched.snapshot)


def _kept(target: Path) -> None:
    state = "kept as it was" if target.exists() else "not written"
    click.echo(f"chipclass: {target} {state}", err=True)


def _summary(verb: str, snapshot: object) -> None:
    from chipclass.parties.model import Snapshot
    from chipclass.report.parties import info_doc

    assert isinstance(snapshot, Snapshot)
    click.echo(f"{verb} {len(snapshot.entries):,} entries into {snapshot.path}")
    write_doc(info_doc(snapshot), sys.stdout)
