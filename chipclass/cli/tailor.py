"""`chipclass tailor SHEET --target LABEL`: the change each knob needs to reach a label."""

from __future__ import annotations

from pathlib import Path

import click

from chipclass.classify import Result
from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    InputError,
    edition_option,
    finish,
    format_option,
    output_option,
    output_stream,
    report_problems,
    write_doc,
)
from chipclass.editions import Edition, by_id
from chipclass.files import load_sheet
from chipclass.metrics import compute
from chipclass.report import jsontext
from chipclass.report.tailor_text import tailor_dict, tailor_doc
from chipclass.spec import ChipSpec, Problem, SheetError
from chipclass.tailor import TARGETS
from chipclass.tailor import tailor as tailor_metrics

FORMATS = ("text", "json")


def edition_or_fail(edition_id: str) -> Edition:
    try:
        return by_id(edition_id)
    except LookupError as error:
        raise InputError(str(error.args[0])) from None


def sheet_or_fail(path: Path) -> ChipSpec:
    """Load the one sheet, or report its problems on stderr and exit 2."""
    if path.is_dir():
        report_problems([Problem(str(path), "is a folder: give one sheet file (*.toml)")])
        finish(EXIT_ERROR)
    try:
        return load_sheet(path)
    except SheetError as error:
        report_problems(error.problems)
        finish(EXIT_ERROR)


@click.command()
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option(
    "--target",
    "-t",
    required=True,
    type=click.Choice(TARGETS),
    help="The label the part should carry at most.",
)
@edition_option
@format_option(FORMATS)
@output_option
def tailor(sheet: Path, target: str, edition_id: str, fmt: str, output: str | None) -> None:
    """How far each knob must move, holding the others, for SHEET to reach a target label.

    Knobs: throughput, die area, memory bandwidth, I/O bandwidth. A part above the target
    gets, per knob, the smallest change that reaches it (a cut: the boundary value, the
    change in percent, the clause that binds, and whether the part must pass strictly
    beyond the boundary). A part within the target gets, per knob, its headroom: the
    smallest change that would take it out. An indeterminate label is never within a
    target.

    Exit codes: 0 the target is met, or some single knob reaches it; 1 no single knob
    reaches it (several must move together); 2 usage or input error.

    \b
    Examples:
      chipclass tailor specs/nvidia/h100-sxm.toml --target exportable --edition us-2023-10
      chipclass tailor specs/nvidia/h20.toml --target exportable --edition us-2025-04
      chipclass tailor specs/nvidia/h20.toml -t exportable -e us-2023-10 --format json
    """
    edition = edition_or_fail(edition_id)
    spec = sheet_or_fail(sheet)
    result = Result(spec, compute(spec), ())
    tailoring = tailor_metrics(result.metrics, edition, target)
    with output_stream(output) as stream:
        if fmt == "json":
            stream.write(jsontext.dumps(tailor_dict(result, tailoring)) + "\n")
        else:
            write_doc(tailor_doc(result, tailoring), stream)
    finish(EXIT_OK if tailoring.reachable else EXIT_FAILED)
