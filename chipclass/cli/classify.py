"""`chipclass classify PATH...`"""

from __future__ import annotations

import click

from chipclass.classify import Result
from chipclass.classify import classify as classify_spec
from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    config_options,
    configured_destination,
    edition_options,
    emit,
    finish,
    format_option,
    jobs_option,
    note_skipped,
    output_option,
    output_stream,
    progress_for,
    report_problems,
    resolve_editions,
)
from chipclass.editions import Edition
from chipclass.files import iter_loaded, iter_sheet_paths
from chipclass.parallel import AUTO_MIN_SHEETS, AUTO_SHEETS_PER_WORKER, rendered
from chipclass.report.registry import canonical, choices, streamed
from chipclass.spec import Problem

FORMATS = choices("classify")


_jobs = jobs_option


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@edition_options()
@format_option(
    FORMATS,
    default="text",
    help="text (or table): rich on a terminal, plain when piped; json: one document;"
    " jsonl: one result per line, streamed; markdown: a summary table.",
)
@click.option("--explain", is_flag=True, help="Clause by clause: verbatim text, numbers, outcome.")
@click.option(
    "--detail/--summary",
    "detail",
    default=None,
    help="Per-chip detail, or one summary row per chip (default: detail for one chip).",
)
@output_option
@click.option(
    "--jobs",
    "-j",
    callback=lambda ctx, param, value: _jobs(value),
    default="auto",
    show_default=True,
    metavar="N|auto",
    help="Spread a json/jsonl batch over N processes (0: one per CPU; auto: from"
    f" {AUTO_MIN_SHEETS} sheets on, one per {AUTO_SHEETS_PER_WORKER} sheets, up to one per CPU)."
    " The output is the same as with one.",
)
@config_options
def classify(
    paths: tuple[str, ...],
    edition_ids: tuple[str, ...],
    all_editions: bool,
    as_of: str | None,
    destination: str | None,
    fmt: str,
    explain: bool,
    detail: bool | None,
    output: str | None,
    jobs: int,
    config_file: str | None,
    no_config: bool,
) -> None:
    """Classify chip sheets (files, or folders searched for *.toml) under rule editions.

    \b
    Examples:
      chipclass classify specs/nvidia/h20.toml
      chipclass classify specs/ --all-editions
      chipclass classify specs/nvidia/h20.toml --edition us-2023-10 --explain
      chipclass classify specs/ --as-of 2024-06-01 --format json
    """
    fmt = canonical("classify", fmt)
    destination = configured_destination(destination, config_file, no_config)
    chosen = resolve_editions(edition_ids, all_editions, as_of, destination=destination)
    problems: list[Problem] = []
    if next(iter_sheet_paths(list(paths)), None) is None:  # a wrong folder must not pass CI
        shown = ", ".join(str(p) for p in paths)
        report_problems([Problem(shown, "no chip sheets (*.toml) found")])
        finish(EXIT_ERROR)
    skipped: list[str] = []
    with output_stream(output) as stream:
        writer = streamed("classify", fmt)
        if writer is not None:
            items = progress_for(
                rendered(paths, chosen, writer.item, jobs, skipped), paths, "classifying"
            )
            writer.write(items, stream, problems)
        else:
            from chipclass.report.subjects import Classified

            results = _collect(paths, chosen, problems, skipped)
            emit("classify", fmt, Classified(results, chosen, problems, explain, detail), stream)
    note_skipped(skipped)
    if skipped and not problems and len(skipped) == _sheet_count(paths):
        shown = ", ".join(str(p) for p in paths)
        problems.append(Problem(shown, "no chip sheets found (only other tools' TOML files)"))
    report_problems(problems)
    finish(EXIT_ERROR if problems else EXIT_OK)


def _sheet_count(paths: tuple[str, ...]) -> int:
    return sum(1 for _, message in iter_sheet_paths(list(paths)) if message is None)


def _collect(
    paths: tuple[str, ...],
    chosen: tuple[Edition, ...],
    problems: list[Problem],
    skipped: list[str] | None = None,
) -> list[Result]:
    results: list[Result] = []
    for item in progress_for(iter_loaded(paths, skipped), paths, "classifying"):
        if isinstance(item, list):
            problems.extend(item)
        else:
            results.append(classify_spec(item, chosen))
    return results
