"""`chipclass diff A B` and `chipclass diff SHEET --catalog DIR`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    InputError,
    config_options,
    configured_destination,
    edition_options,
    emit,
    finish,
    format_option,
    output_option,
    output_stream,
    report_problems,
    resolve_editions,
    write_doc,
)
from chipclass.compare import compare, find_parent
from chipclass.files import load_sheet
from chipclass.report.doc import Cell, Doc
from chipclass.report.registry import formats
from chipclass.spec import ChipSpec, Problem, SheetError

FORMATS = formats("diff")


@click.command()
@click.argument(
    "sheets",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, readable=False),
    metavar="A [B]",
)
@edition_options(default_all=True)
@click.option(
    "--catalog",
    "-c",
    "catalogs",
    multiple=True,
    type=click.Path(path_type=Path, readable=False),
    metavar="PATH",
    help="With one sheet: find the part its variant_of names under PATH (repeatable)"
    " and compare the two (that part as a, the sheet as b).",
)
@format_option(
    FORMATS,
    help="text: rich on a terminal, plain when piped; json: one document;"
    " markdown: tables for a pull-request comment.",
)
@output_option
@config_options
def diff(
    sheets: tuple[Path, ...],
    edition_ids: tuple[str, ...],
    all_editions: bool,
    as_of: str | None,
    destination: str | None,
    catalogs: tuple[Path, ...],
    fmt: str,
    output: str | None,
    config_file: str | None,
    no_config: bool,
) -> None:
    """Compare two parts (A, the reference, and B) metric by metric and edition by edition.

    Every metric, precision and link side by side with the change; then, per edition,
    both labels, the clauses each part meets and the thresholds B moved across.
    Default: every edition.

    Exit codes: 0 same label in every edition compared; 1 the labels differ in at
    least one; 2 usage or input error.

    \b
    Examples:
      chipclass diff specs/nvidia/h100-sxm.toml specs/nvidia/h20.toml
      chipclass diff specs/nvidia/h800.toml --catalog specs/
      chipclass diff specs/nvidia/h100-sxm.toml specs/nvidia/h800.toml --edition us-2022-10
      chipclass diff old/h20.toml specs/nvidia/h20.toml --format markdown -o diff.md
    """
    _check_arguments(sheets, catalogs)
    destination = configured_destination(destination, config_file, no_config)
    chosen = resolve_editions(
        edition_ids, all_editions, as_of, default_all=True, destination=destination
    )
    loaded = _load(sheets)
    if len(loaded) == 1:
        a, b = _parent(loaded[0], catalogs), loaded[0]
    else:
        a, b = loaded
    comparison = compare(a, b, chosen)
    with output_stream(output) as stream:
        emit("diff", fmt, comparison, stream)
    finish(EXIT_FAILED if comparison.differs else EXIT_OK)


def _check_arguments(sheets: Sequence[Path], catalogs: Sequence[Path]) -> None:
    if len(sheets) > 2:
        raise click.UsageError(f"diff compares two sheets; got {len(sheets)}")
    if len(sheets) == 2 and catalogs:
        raise click.UsageError("give either two sheets (A B) or one sheet with --catalog, not both")
    if len(sheets) == 1 and not catalogs:
        raise click.UsageError(
            "give two sheets (A B), or one sheet and --catalog PATH to compare it with"
            " the part its variant_of names"
        )


def _load(paths: Sequence[Path]) -> list[ChipSpec]:
    """Both sheets, or exit 2 naming every problem in either.

    Loaded one by one (not as a catalog): the same file twice, or two revisions of
    one sheet carrying the same chip id, are legitimate things to compare.
    """
    specs: list[ChipSpec] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            specs.append(load_sheet(path))
        except SheetError as error:
            problems.extend(error.problems)
    if problems:
        report_problems(problems)
        finish(EXIT_ERROR)
    return specs


def _parent(variant: ChipSpec, catalogs: Sequence[Path]) -> ChipSpec:
    """The part `variant_of` names, from the catalog; exit 2 when it cannot be told.

    Catalog sheets that cannot be read are reported. When the parent is still found
    (exactly one readable sheet with its id), they are warnings and the diff goes on;
    when it is not, they are errors, since the parent may be among them.
    """
    where = f"{variant.path}: [chip] variant_of"
    if variant.variant_of is None:
        raise InputError(
            f"{variant.path}: [chip] variant_of is not set, so there is no parent to find"
            " in the catalog; name the part to compare with as a second sheet"
        )
    search = find_parent(variant, catalogs)
    parent_id = variant.variant_of
    shown = ", ".join(str(c) for c in catalogs)
    if len(search.matches) > 1:
        report_problems(search.problems)
        raise InputError(
            f"{where}: {parent_id!r} is the chip id of {len(search.matches)} sheets in"
            f" {shown} ({', '.join(search.matches)}); ids must be unique"
        )
    if search.parent is None:
        report_problems(search.problems)
        unread = (
            f"; {len(search.problems)} problem(s) in the catalog (above) may hide it"
            if search.problems
            else ""
        )
        raise InputError(f"{where}: no sheet in {shown} has chip id {parent_id!r}{unread}")
    _warn(search.problems)
    return search.parent


def _warn(problems: Sequence[Problem]) -> None:
    if not problems:
        return
    doc = Doc()
    for problem in problems:
        doc.line(Cell("warning: ", "bold yellow"), f"catalog sheet skipped: {problem}")
    write_doc(doc, sys.stderr)
