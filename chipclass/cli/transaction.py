"""`chipclass transaction FILE`: items x parties x end use -> one dated determination."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from chipclass.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    emit,
    fail,
    finish,
    format_option,
    parse_date,
    registry,
    rules_option,
)
from chipclass.report.registry import Determined, formats

if TYPE_CHECKING:
    pass

FORMATS = formats("transaction")


@click.command()
@click.argument("file", metavar="FILE.toml")
@rules_option
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Determine for this day instead of the file's [transaction] date.",
)
@click.option(
    "--list",
    "list_paths",
    multiple=True,
    metavar="PATH",
    help="A party list to screen against (repeatable): a chipclass snapshot or a"
    " Consolidated Screening List download. Default: the bundled Entity List snapshot.",
)
@format_option(FORMATS)
@click.option("--explain", is_flag=True, help="Walk through each reason: citation, text, numbers.")
def transaction(
    file: str, as_of: str | None, list_paths: tuple[str, ...], fmt: str, explain: bool
) -> None:
    """Determine one transaction: may these items go to these parties, for this end use,
    on this day?

    Applies, for the date: each item's label for the destination (4A090 for servers of
    3A090 chips), every party and owner screened, the Affiliates Rule, headquarters in
    D:5 or Macau, the supercomputer end use, the 2026 relief's certifications. Remote
    access and IaaS facts are red flags, listed apart; the us-2025-01 quantities are
    reported as not enforced.

    Exit codes: 0 exportable; 1 license-required, restricted or indeterminate; 2 an input
    error (every problem named with file and key).
    """
    from chipclass.destinations import DestinationDataError, bundled
    from chipclass.transaction import law
    from chipclass.transaction.determine import determine
    from chipclass.transaction.load import load_transaction
    from chipclass.transaction.model import TransactionError
    from chipclass.transaction.screening import load_lists

    day = parse_date(as_of, "--as-of") if as_of else None
    try:
        places = bundled()
        book = law.bundled()
    except (DestinationDataError, law.LawError) as error:
        fail([str(error)])
    lists, list_problems = load_lists(list(list_paths))
    try:
        tx = load_transaction(file, lambda text: places.resolve(text).code)
    except TransactionError as error:
        fail([str(p) for p in [*error.problems, *list_problems]])
    if list_problems:
        fail([str(p) for p in list_problems])
    try:
        found = determine(tx, lists=lists, law=book, places=places, registry=registry(), as_of=day)
    except LookupError as error:
        fail([f"{file}: {error.args[0] if error.args else error}"])
    emit("transaction", fmt, Determined(found, explain), sys.stdout)
    finish(EXIT_OK if found.label == "exportable" else EXIT_FAILED)
