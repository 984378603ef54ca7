"""`chipclass tailor SHEET --target LABEL [--knobs K1,K2,...]`: the change each knob needs
to reach a label, or the Pareto frontier of several knobs moving together."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from chipclass.classify import classify as classify_spec
from chipclass.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    _complete_edition,
    config_options,
    configured_destination,
    destination_option,
    edition_or_fail,
    emit,
    finish,
    format_option,
    knobs_or_fail,
    narrow,
    output_option,
    output_stream,
    rules_option,
    sheet_or_fail,
)
from chipclass.editions import Edition
from chipclass.frontier import KNOBS
from chipclass.metrics import compute
from chipclass.report.registry import FrontierReport, Tailored, formats
from chipclass.spec import ChipSpec
from chipclass.tailor import TARGETS
from chipclass.tailor import tailor as tailor_metrics

FORMATS = formats("tailor")


@click.command()
@click.argument("sheet", type=click.Path(path_type=Path, readable=False))
@rules_option
@click.option(
    "--target",
    "-t",
    required=True,
    type=click.Choice(TARGETS),
    help="The label the part should carry at most.",
)
@click.option(
    "--edition",
    "-e",
    "edition_ids",
    multiple=True,
    metavar="ID",
    shell_complete=_complete_edition,
    help="Rule edition id, or 'latest' (default). Repeatable with --knobs: the target must"
    " then hold under every edition named.",
)
@click.option(
    "--knobs",
    "-k",
    "knobs",
    metavar="K1,K2,...",
    help="Move these knobs together (any of " + ", ".join(KNOBS) + ") and report the"
    " Pareto frontier of changes that reach the target.",
)
@format_option(FORMATS)
@output_option
@destination_option
@config_options
def tailor(
    sheet: Path,
    target: str,
    edition_ids: tuple[str, ...],
    knobs: str | None,
    fmt: str,
    output: str | None,
    destination: str | None,
    config_file: str | None,
    no_config: bool,
) -> None:
    """How far each knob must move, holding the others, for SHEET to reach a target label;
    with --knobs, every Pareto-minimal combination of changes of those knobs together.

    Knobs: throughput, die area, memory bandwidth, I/O bandwidth. A part above the target
    gets, per knob, the smallest change that reaches it (a cut: the boundary value, the
    change in percent, the clause that binds, and whether the part must pass strictly
    beyond the boundary). A part within the target gets, per knob, its headroom: the
    smallest change that would take it out. An indeterminate label is never within a
    target.

    With --knobs K1,K2,...: the frontier, exact, under every edition named (-e, repeatable):
    each combination of changes that brings the part within the target, such that no
    other is at most as large in magnitude on every knob and smaller on one. Each point
    gives the changes in percent to the boundary itself, the resulting part's metrics,
    the label reached and whether the part must pass beyond the boundary; a segment's
    two end points and the line it follows where the frontier trades one knob against
    another. With one knob and one edition, the answer is today's single-knob one.
    Weights or costs are not modelled: pick from the frontier.

    Exit codes: 0 the target is met, or reachable (by some single knob; with --knobs, by
    the knobs named); 1 not reachable; 2 usage or input error.

    \b
    Examples:
      chipclass tailor specs/nvidia/h100-sxm.toml --target exportable --edition us-2023-10
      chipclass tailor specs/nvidia/h20.toml --target exportable --edition us-2025-04
      chipclass tailor specs/nvidia/h20.toml -t exportable -e us-2023-10 --format json
      chipclass tailor specs/nvidia/h20.toml -t exportable -e us-2025-04 \\
          --knobs memory_bandwidth,io_bandwidth
    """
    chosen = knobs_or_fail(knobs) if knobs is not None else None
    ids = edition_ids or ("latest",)
    editions = tuple({e.id: e for e in (edition_or_fail(i) for i in ids)}.values())
    editions = narrow(editions, configured_destination(destination, config_file, no_config))
    if chosen is None and len(editions) > 1:
        raise click.BadParameter(
            "name one edition, or give --knobs to ask for several at once", param_hint="--edition"
        )
    spec = sheet_or_fail(sheet)
    if chosen is not None and (len(chosen) > 1 or len(editions) > 1):
        _frontier(spec, editions, target, chosen, fmt, output)
    edition = editions[0]
    # classified under the edition too: its thresholds tell the metrics line how many
    # digits each figure needs to show its side of them
    result = classify_spec(spec, (edition,))
    tailoring = tailor_metrics(result.metrics, edition, target)
    reachable = tailoring.reachable
    single = None
    if chosen is not None:  # one knob: today's answer, and its frontier beside it
        from chipclass.frontier import frontier

        single = frontier(result.metrics, editions, target, chosen)
        reachable = single.reachable
    with output_stream(output) as stream:
        emit("tailor", fmt, Tailored(result, tailoring, single), stream)
    finish(EXIT_OK if reachable else EXIT_FAILED)


def _frontier(
    spec: ChipSpec,
    editions: tuple[Edition, ...],
    target: str,
    knobs: tuple[str, ...],
    fmt: str,
    output: str | None,
) -> NoReturn:
    from chipclass.frontier import frontier

    result = frontier(compute(spec), editions, target, knobs)
    with output_stream(output) as stream:
        emit("frontier", fmt, FrontierReport(spec, result), stream)
    finish(EXIT_OK if result.reachable else EXIT_FAILED)
