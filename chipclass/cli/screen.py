"""`chipclass screen NAME... [--batch FILE.csv]`: names against the party lists."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import click

from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    emit,
    finish,
    format_option,
    parse_date,
    report_problems,
)
from chipclass.report.registry import formats

if TYPE_CHECKING:
    from chipclass.parties.model import Problem

FORMATS = formats("screen")


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option(
    "--batch",
    type=click.Path(dir_okay=False),
    help="A CSV file with a 'name' column (and optionally 'country'): one query a row.",
)
@click.option(
    "--list",
    "list_paths",
    multiple=True,
    metavar="PATH",
    help="A list to screen against (repeatable): a chipclass snapshot or a Consolidated"
    " Screening List download (CSV or JSON). Default: the bundled Entity List snapshot.",
)
@click.option(
    "--country",
    metavar="CODE",
    help="Only entries of this country (ISO code or name); entries whose country the list"
    " does not give are kept.",
)
@click.option(
    "--threshold",
    metavar="N",
    help="Lowest score (0-100) that is a potential match. Default: 85.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Screen against the entries in force on this date (default: today, UTC).",
)
@format_option(FORMATS)
def screen(
    names: tuple[str, ...],
    batch: str | None,
    list_paths: tuple[str, ...],
    country: str | None,
    threshold: str | None,
    as_of: str | None,
    fmt: str,
) -> None:
    """Screen party names against the Entity List (bundled) or a CSL download.

    Names are compared after folding case, punctuation, accents, legal forms ("Co.,
    Ltd.", "GmbH", ...) and word order; every alias is tried. A related name (a
    rename, an unlisted unit) of a listed entry is reported as a red flag.

    Exit codes: 0 no potential match; 1 at least one potential match or red flag;
    2 an input error (the good queries are still answered).
    """
    from chipclass.parties.lists import load_list
    from chipclass.parties.model import PartiesError
    from chipclass.parties.screen import DEFAULT_THRESHOLD, Query, Screener, check_name, read_batch

    if not names and not batch:
        raise click.UsageError("give at least one NAME or --batch FILE.csv")
    day = parse_date(as_of, "--as-of") if as_of else dt.datetime.now(dt.timezone.utc).date()
    cutoff = _threshold(threshold) if threshold is not None else DEFAULT_THRESHOLD
    code = _country(country) if country else None

    lists = []
    list_problems: list[Problem] = []
    for path in list_paths or (None,):
        try:
            lists.append(load_list(path))
        except PartiesError as error:
            list_problems.extend(error.problems)
    if list_problems:
        report_problems(list_problems)
        finish(EXIT_ERROR)

    queries: list[Query] = []
    problems: list[Problem] = []
    for number, name in enumerate(names, start=1):
        where = f"<argument {number}>"
        problem = check_name(name, where)
        if problem is None:
            queries.append(Query(name, code, where))
        else:
            problems.append(problem)
    if batch:
        found, bad = read_batch(Path(batch), _resolve)
        queries.extend(q if q.country else Query(q.name, code, q.where) for q in found)
        problems.extend(bad)

    run = Screener(lists).screen(queries, cutoff, day, problems)
    report_problems(problems)
    emit("screen", fmt, run, sys.stdout)
    if problems:
        finish(EXIT_ERROR)
    finish(EXIT_FAILED if any(r.hit for r in run.results) else EXIT_OK)


def _threshold(text: str) -> Fraction:
    try:
        value = Fraction(Decimal(text.strip()))
    except (InvalidOperation, ValueError):
        raise click.BadParameter(f"{text!r} is not a number", param_hint="--threshold") from None
    if not 0 <= value <= 100:
        raise click.BadParameter(f"{text} is not within 0-100", param_hint="--threshold")
    return value


def _resolve(text: str) -> str:
    from chipclass.destinations import resolve

    return resolve(text).code


def _country(text: str) -> str:
    try:
        return _resolve(text)
    except LookupError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="--country") from None
