"""`chipclass plot PATH... -o FILE`: chips on the TPP x density plane (needs matplotlib)."""

from __future__ import annotations

from pathlib import Path

import click

from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    InputError,
    config_options,
    configured_destination,
    destination_option,
    edition_option,
    edition_or_fail,
    finish,
    knobs_or_fail,
    narrow,
    note_skipped,
    quiet,
    report_problems,
    sheet_or_fail,
)
from chipclass.files import iter_loaded
from chipclass.metrics import compute
from chipclass.report.escape import terminal
from chipclass.spec import Problem


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The image to write: FILE.png or FILE.svg.",
)
@edition_option
@click.option(
    "--frontier",
    is_flag=True,
    default=False,
    help="Draw one sheet's two-knob tailoring frontier instead (with --knobs A,B).",
)
@click.option("--knobs", "-k", metavar="A,B", help="With --frontier: the two knobs to move.")
@click.option(
    "--target",
    "-t",
    default="exportable",
    show_default=True,
    type=click.Choice(("exportable", "license-required", "restricted")),
    help="With --frontier: the label the part should carry at most.",
)
@destination_option
@config_options
def plot(
    paths: tuple[Path, ...],
    output: Path,
    edition_id: str,
    frontier: bool,
    knobs: str | None,
    target: str,
    destination: str | None,
    config_file: str | None,
    no_config: bool,
) -> None:
    """Draw chip sheets (files, or folders searched for *.toml) on the TPP x density plane.

    TPP on a log x axis, performance density on a log y axis; the edition's 3A090.a and
    3A090.b regions shaded and every threshold drawn, read from the edition's clauses;
    each chip named and coloured by its label under the edition; chips without a die
    area in a strip marked "density unknown"; an arrow from each parent to its tailored
    variants (variant_of, among the plotted chips).

    With --frontier and --knobs A,B: one sheet's tailoring frontier for two knobs (see
    `chipclass tailor --knobs`), the target region shaded and today's part marked.

    Needs matplotlib: pip install 'chipclass[plot]'. Exit codes: 0 written; 2 usage or
    input error (bad sheets are reported, the good ones still drawn), or matplotlib
    missing.

    \b
    Examples:
      chipclass plot specs/ -o catalog-map.png --edition us-2023-10
      chipclass plot specs/nvidia -o nvidia.svg --edition us-2022-10
      chipclass plot specs/nvidia/h20.toml --frontier --knobs memory_bandwidth,io_bandwidth \\
          -e us-2025-04 -o h20-frontier.svg
    """
    from chipclass import plot as drawing

    destination = configured_destination(destination, config_file, no_config)
    if frontier or knobs is not None:
        _frontier(paths, output, edition_id, knobs, target, destination)

    if output.suffix.lower() not in drawing.FORMATS:
        raise InputError(f"{output}: the image must end in .png or .svg")
    (edition,) = narrow((edition_or_fail(edition_id),), destination)
    try:
        drawing.require_matplotlib()
    except drawing.PlotUnavailable as error:
        raise InputError(str(error)) from None
    problems: list[Problem] = []
    chips = []
    skipped: list[str] = []
    for item in iter_loaded(paths, skipped):
        if isinstance(item, list):
            problems.extend(item)
        else:
            chips.append((item, compute(item)))
    note_skipped(skipped)
    report_problems(problems)
    if not chips:
        raise InputError("no valid chip sheet to plot")
    try:
        drawing.render(chips, edition, output)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror or error}") from None
    if not quiet():
        click.echo(f"wrote {terminal(str(output))} ({len(chips)} chips, {edition.id})", err=True)
    finish(EXIT_ERROR if problems else EXIT_OK)


def _frontier(
    paths: tuple[Path, ...],
    output: Path,
    edition_id: str,
    knobs: str | None,
    target: str,
    destination: str | None = None,
) -> None:
    from chipclass import plot as drawing
    from chipclass.frontier import frontier

    if knobs is None:
        raise click.BadParameter("--frontier needs --knobs A,B", param_hint="--knobs")
    chosen = knobs_or_fail(knobs)
    if len(chosen) != 2:
        raise click.BadParameter("name exactly two knobs to draw", param_hint="--knobs")
    if len(paths) != 1:
        raise InputError("--frontier draws one sheet: give one sheet file")
    if output.suffix.lower() not in drawing.FORMATS:
        raise InputError(f"{output}: the image must end in .png or .svg")
    (edition,) = narrow((edition_or_fail(edition_id),), destination)
    try:
        drawing.require_matplotlib()
    except drawing.PlotUnavailable as error:
        raise InputError(str(error)) from None
    spec = sheet_or_fail(paths[0])
    result = frontier(compute(spec), (edition,), target, chosen)
    if len(result.knobs) != 2:
        fixed = "; ".join(f"{k}: {why}" for k, why in result.fixed.items())
        raise InputError(f"{spec.path}: cannot draw the frontier: {fixed}")
    from chipclass.plot import frontier as frontier_plot

    try:
        frontier_plot.render(spec, result, output)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror or error}") from None
    if not quiet():
        click.echo(
            f"wrote {terminal(str(output))} ({len(result.points)} frontier points, {edition.id})",
            err=True,
        )
    finish(EXIT_OK)
