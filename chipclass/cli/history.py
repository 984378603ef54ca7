"""`chipclass history SHEET`: the part's label in every edition, and what changed it."""

from __future__ import annotations

from pathlib import Path

import click

from chipclass.classify import Result
from chipclass.cli.common import (
    EXIT_OK,
    config_options,
    configured_destination,
    destination_option,
    emit,
    finish,
    format_option,
    narrow,
    output_option,
    output_stream,
    registry,
    rules_option,
    sheet_or_fail,
)
from chipclass.history import history as label_history
from chipclass.metrics import compute
from chipclass.report.registry import History, formats

FORMATS = formats("history")


@click.command()
@click.argument("sheet", type=click.Path(path_type=Path, readable=False))
@rules_option
@format_option(FORMATS)
@output_option
@destination_option
@config_options
def history(
    sheet: Path,
    fmt: str,
    output: str | None,
    destination: str | None,
    config_file: str | None,
    no_config: bool,
) -> None:
    """SHEET's label under every rule edition, oldest first, and why it changed.

    A timeline: each edition's effective date and status, the label (marked where it
    changed), and the clauses deciding it. Where the label changed, the clauses that
    entered or left the deciding set, with what the new edition did to them (a new
    clause, a dropped condition, ...).

    Exit codes: 0 done; 2 usage or input error.

    \b
    Examples:
      chipclass history specs/nvidia/a800.toml
      chipclass history specs/nvidia/h20.toml --format json
      chipclass history specs/nvidia/h100-sxm.toml --destination SA
    """
    spec = sheet_or_fail(sheet)
    result = Result(spec, compute(spec), ())
    destination = configured_destination(destination, config_file, no_config)
    steps = label_history(result.metrics, narrow(registry().all(), destination))
    with output_stream(output) as stream:
        emit("history", fmt, History(result, steps), stream)
    finish(EXIT_OK)
