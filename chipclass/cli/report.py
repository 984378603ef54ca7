"""`chipclass report PATH...`: the catalog overview."""

from __future__ import annotations

from pathlib import Path

import click

from chipclass import catalog, tariffs
from chipclass.classify import classify
from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    config_options,
    configured_destination,
    edition_options,
    emit,
    finish,
    format_option,
    note_skipped,
    output_option,
    output_stream,
    progress_for,
    report_problems,
    resolve_editions,
)
from chipclass.files import iter_loaded
from chipclass.report.registry import Catalog, formats
from chipclass.spec import ChipSpec, Problem


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@edition_options(default_all=True)
@format_option(formats("report"))
@output_option
@config_options
def report(
    paths: tuple[Path, ...],
    edition_ids: tuple[str, ...],
    all_editions: bool,
    as_of: str | None,
    destination: str | None,
    fmt: str,
    output: str | None,
    config_file: str | None,
    no_config: bool,
) -> None:
    """Render a catalog as one table: metrics, a label per edition, and for tailored
    variants the parent and the margin they were cut to keep.

    \b
    Example (regenerates the bundled overview):
      chipclass report specs/ --format markdown --output specs/README.md
      chipclass report specs/ --format html -o docs/catalog.html
    """
    destination = configured_destination(destination, config_file, no_config)
    chosen = resolve_editions(
        edition_ids, all_editions, as_of, default_all=True, destination=destination
    )
    skipped: list[str] = []
    specs: list[ChipSpec] = []
    problems: list[Problem] = []
    for item in progress_for(iter_loaded(paths, skipped), paths, "reading"):
        if isinstance(item, list):
            problems.extend(item)
        else:
            specs.append(item)
    if not specs and not problems:
        shown = ", ".join(str(p) for p in paths)
        problems.append(Problem(shown, "no chip sheets (*.toml) found"))
    bands = tariffs.bundled()
    results = [classify(spec, chosen, tariff_bands=bands) for spec in specs]
    for result, parent in catalog.unresolved_parents(results):
        problems.append(
            Problem(
                result.spec.path,
                f"variant_of names {parent!r}, which is not in the catalog",
                "[chip] variant_of",
                result.spec.line_of("chip.variant_of"),
            )
        )
    entries = catalog.entries(results, chosen)
    command = _command_line(paths, edition_ids, all_editions, as_of, destination, output)
    with output_stream(output) as stream:
        emit("report", fmt, Catalog(entries, chosen, problems, command), stream)
    note_skipped(skipped)
    report_problems(problems)
    finish(EXIT_ERROR if problems else EXIT_OK)


def _command_line(
    paths: tuple[Path, ...],
    edition_ids: tuple[str, ...],
    all_editions: bool,
    as_of: str | None,
    destination: str | None,
    output: str | None,
) -> str:
    """The command that writes this overview again, as it was asked for."""
    import shlex

    words = ["chipclass", "report", *(str(p) for p in paths)]
    for edition_id in edition_ids:
        words += ["--edition", edition_id]
    if all_editions:
        words.append("--all-editions")
    if as_of:
        words += ["--as-of", as_of]
    if destination:
        words += ["--destination", destination]
    words += ["--format", "markdown"]
    if output:
        words += ["--output", str(output)]
    return shlex.join(words)
