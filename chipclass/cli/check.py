"""`chipclass check PATH...`: the CI gate. Fails (exit 1) when a part crosses the
policy's line or comes too close to one; exit 2 on any input or usage error."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import click

from chipclass import config as configuration
from chipclass import tariffs
from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    add_rules,
    edition_options,
    emit,
    finish,
    format_option,
    is_terminal,
    jobs_option,
    note_skipped,
    output_option,
    output_stream,
    report_problems,
    resolve_editions,
    shows_progress,
    with_progress,
)
from chipclass.config import Config, ConfigError
from chipclass.files import iter_loaded, iter_sheet_paths
from chipclass.parallel import checked
from chipclass.policy import (
    DEFAULT_FAIL_ON,
    FAIL_ON_LABELS,
    CheckRun,
    Outcome,
    Policy,
    run_checks,
)
from chipclass.report import check_text
from chipclass.report.registry import formats
from chipclass.spec import Problem

FORMATS = formats("check")

T = TypeVar("T")


def _margin(ctx: click.Context, param: click.Parameter, value: str | None) -> Fraction | None:
    if value is None:
        return None
    try:
        amount = Decimal(value.strip().removesuffix("%").strip())
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not a number of percent (e.g. 2)") from None
    if not amount.is_finite() or amount < 0:
        raise click.BadParameter(f"{value!r} must be a finite number, zero or more")
    return Fraction(amount)


def _reports(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, Path]]:
    parsed = []
    for value in values:
        fmt, sep, file = value.partition("=")
        if not sep or fmt not in FORMATS or not file:
            raise click.BadParameter(
                f"{value!r}: expected FORMAT=FILE with FORMAT one of {', '.join(FORMATS)}"
            )
        parsed.append((fmt, Path(file)))
    return parsed


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, readable=False))
@edition_options()
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_LABELS),
    default=None,
    help=f"A part at this label or a more severe one fails. Default: {DEFAULT_FAIL_ON}.",
)
@click.option(
    "--min-margin",
    metavar="PCT",
    callback=_margin,
    help="Also fail a part whose nearest stricter label is less than PCT percent away"
    " (one knob: throughput, die area, memory or I/O bandwidth).",
)
@click.option(
    "--allow-indeterminate/--no-allow-indeterminate",
    default=None,
    help="Let parts pass whose label is indeterminate (a deciding figure is unknown)."
    " Default: they fail.",
)
@format_option(
    FORMATS,
    help="text: PASS/FAIL with reasons; json; sarif (2.1.0, code scanning); junit (XML);"
    " github (workflow-command annotations); markdown (job summary, PR comment).",
)
@output_option
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=FILE",
    callback=_reports,
    help="Also write this format to FILE, from the same run (repeatable),"
    " e.g. --report sarif=chipclass.sarif --report markdown=summary.md.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False, readable=False),
    help="Read [tool.chipclass] from this file instead of the nearest pyproject.toml.",
)
@click.option("--no-config", is_flag=True, help="Ignore [tool.chipclass] configuration.")
@click.option(
    "--jobs",
    "-j",
    callback=lambda ctx, param, value: jobs_option(value),
    default="auto",
    show_default=True,
    metavar="N|auto",
    help="Read, classify and check the sheets in N processes (0: one per CPU, at most one"
    " per CPU; auto: for large batches). The outcome is the same as with one.",
)
@click.option(
    "--only-sheets",
    is_flag=True,
    help='Skip TOML files without format = "chipclass/..." even when named (as in a'
    " folder), with one note: for pre-commit, which names every *.toml a commit touches.",
)
def check(
    paths: tuple[Path, ...],
    edition_ids: tuple[str, ...],
    all_editions: bool,
    as_of: str | None,
    destination: str | None,
    fail_on: str | None,
    min_margin: Fraction | None,
    allow_indeterminate: bool | None,
    fmt: str,
    output: str | None,
    reports: list[tuple[str, Path]],
    config_file: Path | None,
    no_config: bool,
    jobs: int,
    only_sheets: bool,
) -> None:
    """Check chip sheets against a policy, for CI: exit 0 pass, 1 fail, 2 error.

    A part fails when its label is FAIL_ON or more severe, when a stricter label is
    nearer than --min-margin, when its label is indeterminate (unless allowed), or
    when it breaks its sheet's own [expect] table. Defaults come from [tool.chipclass]
    in the nearest pyproject.toml; options given here override them.

    \b
    Examples:
      chipclass check specs/
      chipclass check specs/ --fail-on license-required --min-margin 2
      chipclass check specs/ --format sarif --output chipclass.sarif
      chipclass check --format github --report markdown=summary.md
    """
    if config_file is not None and no_config:
        raise click.UsageError("--config and --no-config exclude each other")
    config = _config(config_file, no_config)
    given = Config(
        Path.cwd(),
        editions=edition_ids,
        fail_on=fail_on,
        min_margin_pct=min_margin,
        allow_indeterminate=allow_indeterminate,
        destination=destination,
    )
    chose = bool(edition_ids or all_editions or as_of)
    settled = config.under(given, chose) if config is not None else given
    add_rules([str(r) for r in settled.rules])
    policy = Policy(
        editions=resolve_editions(
            settled.editions, all_editions, as_of, destination=settled.destination
        ),
        fail_on=settled.fail_on or DEFAULT_FAIL_ON,
        min_margin_pct=settled.min_margin_pct,
        allow_indeterminate=bool(settled.allow_indeterminate),
        destination=settled.destination,
        tariff_bands=tariffs.bundled(),
    )
    targets = paths or (tuple(_display(p) for p in config.paths) if config else ())
    if not targets:
        raise click.UsageError(
            "give PATH... (sheets or folders), or set paths in [tool.chipclass] of pyproject.toml"
        )
    source = str(_display(config.source)) if config else None
    skipped: list[str] = []
    run = _run(targets, policy, source, skipped, only_sheets, jobs)
    if not run.outcomes and not run.problems and not (only_sheets and skipped):
        shown = ", ".join(str(t) for t in targets)
        run = replace(run, problems=(Problem(shown, "no chip sheets (*.toml) found"),))
    with output_stream(output) as stream:
        emit("check", fmt, run, stream)
    for report_fmt, file in reports:
        with output_stream(file) as stream:
            emit("check", report_fmt, run, stream, plain=True)
    note_skipped(skipped)
    # the text report on a terminal lists the input errors already: once is enough
    if not (fmt == "text" and output is None and is_terminal(sys.stdout)):
        report_problems([_printable(p) for p in run.problems])
    if run.problems:
        finish(EXIT_ERROR)
    finish(EXIT_FAILED if run.failed else EXIT_OK)


def _config(config_file: Path | None, no_config: bool) -> Config | None:
    try:
        if config_file is not None:
            return configuration.load(config_file)
        if no_config:
            return None
        return configuration.discover(Path.cwd())
    except ConfigError as error:
        report_problems([_printable(p) for p in error.problems])
        finish(EXIT_ERROR)


def _display(path: Path) -> Path:
    """A path relative to the working folder when it lies below it; else as it is."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else Path(relative)


def _printable(problem: Problem) -> Problem:
    """A problem whose text cannot break a line (or start a CI command) on stderr."""
    return problem._replace(
        file=check_text.oneline(problem.file),
        message=check_text.oneline(problem.message),
    )


# --------------------------------------------------------------------------- loading


def _run(
    targets: Iterable[Path],
    policy: Policy,
    source: str | None,
    skipped: list[str],
    only_sheets: bool,
    jobs: int,
) -> CheckRun:
    targets = list(targets)
    listed = list(iter_sheet_paths(targets))
    count = sum(1 for _, message in listed if message is None)
    if jobs == 1:
        items: Iterator[Any] = iter_loaded(targets, skipped, only_sheets)
        if shows_progress(count):
            items = with_progress(items, count, "checking")
        return run_checks(items, policy, source)
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    found: Iterator[Any] = checked(targets, policy, jobs, skipped, only_sheets)
    if shows_progress(count):
        found = with_progress(found, count, "checking")
    for item in found:
        if isinstance(item, list):
            problems.extend(item)
        else:
            outcomes.append(item)
    return CheckRun(policy, tuple(outcomes), tuple(problems), source)
