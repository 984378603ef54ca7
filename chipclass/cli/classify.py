"""`chipclass classify PATH...`"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO

import click

from chipclass import __version__
from chipclass.classify import Result
from chipclass.classify import classify as classify_spec
from chipclass.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    config_options,
    configured_destination,
    edition_options,
    finish,
    format_option,
    jobs_option,
    note_skipped,
    output_option,
    output_stream,
    progress_for,
    report_problems,
    resolve_editions,
    write_doc,
)
from chipclass.editions import Edition
from chipclass.files import iter_loaded, iter_sheet_paths
from chipclass.parallel import AUTO_MIN_SHEETS, AUTO_SHEETS_PER_WORKER, rendered
from chipclass.report import jsontext
from chipclass.report.serialize import result_json
from chipclass.serialize import problem_dict, result_dict
from chipclass.spec import Problem

#: "table" is the old name of "text", still accepted
FORMATS = ("text", "json", "jsonl", "markdown", "table")


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
    destination = configured_destination(destination, config_file, no_config)
    chosen = resolve_editions(edition_ids, all_editions, as_of, destination=destination)
    problems: list[Problem] = []
    if next(iter_sheet_paths(list(paths)), None) is None:  # a wrong folder must not pass CI
        shown = ", ".join(str(p) for p in paths)
        report_problems([Problem(shown, "no chip sheets (*.toml) found")])
        finish(EXIT_ERROR)
    skipped: list[str] = []
    with output_stream(output) as stream:
        if fmt in ("json", "jsonl"):
            _stream_json(paths, chosen, stream, problems, fmt == "jsonl", jobs, skipped)
        else:
            results = _collect(paths, chosen, problems, skipped)
            if fmt == "markdown":
                from chipclass.report.markdown import classify_markdown

                stream.write(classify_markdown(results, chosen, problems))
            elif results:
                from chipclass.report import classify_text

                show_detail = detail if detail is not None else (len(results) == 1 or explain)
                doc = (
                    classify_text.detail(results, explain)
                    if show_detail
                    else classify_text.summary(results, chosen)
                )
                write_doc(doc, stream)
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


def _stream_json(
    paths: tuple[str, ...],
    chosen: tuple[Edition, ...],
    stream: IO[str],
    problems: list[Problem],
    lines: bool,
    jobs: int = 1,
    skipped: list[str] | None = None,
) -> None:
    """Write results as they are computed; only the (few) errors are held."""
    items = progress_for(
        rendered(paths, chosen, _json_line if lines else _json_entry, jobs, skipped),
        paths,
        "classifying",
    )
    write = _bytes_writer(stream)
    if lines:
        for item in items:
            if isinstance(item, list):
                problems.extend(item)
                for problem in item:
                    write(json.dumps({"error": problem_dict(problem)}).encode() + b"\n")
            else:
                write(item + b"\n")
        return
    # the document (serialize.document) written in its layout: opened at "results": [,
    # each result as it comes, then closed with the errors
    write(b'{\n  "chipclass": ' + json.dumps(__version__).encode() + b',\n  "results": [')
    stream.flush()  # workers may start now: nothing half-written for them to inherit
    first = True
    for item in items:
        if isinstance(item, list):
            problems.extend(item)
            continue
        write((b"\n" if first else b",\n") + item)
        first = False
    errors = jsontext.dumps([problem_dict(p) for p in problems])
    closing = ("\n  " if not first else "") + '],\n  "errors": ' + _indent(errors, 2).lstrip()
    write(closing.encode() + b"\n}\n")


def _bytes_writer(stream: IO[str]) -> Callable[[bytes], object]:
    """A writer of UTF-8 bytes to a text stream: straight to its binary buffer where it
    has one in UTF-8 (the text layer flushed first, and written through from then on:
    stream.flush() flushes both), else decoded."""
    stream.flush()
    buffer: IO[bytes] | None = getattr(stream, "buffer", None)
    encoding = str(getattr(stream, "encoding", "")).lower().replace("-", "")
    if buffer is None or encoding != "utf8":
        return lambda data: stream.write(data.decode())
    return buffer.write


def _json_line(result: Result) -> str:
    """One result as a line of --format jsonl."""
    return json.dumps(result_dict(result))


def _json_entry(result: Result) -> str:
    """One result as an entry of the --format json document's results array, every line
    indented 4 spaces."""
    return result_json(result, margin=4)


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.splitlines())
