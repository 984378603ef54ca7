"""Results as JSON text: the `classify --format json` document and `--format jsonl`
lines, written as the results arrive."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO

from chipclass import __version__
from chipclass.classify import Result, Row
from chipclass.editions import Edition
from chipclass.evaluate import metric_values
from chipclass.report import jsontext
from chipclass.report.registry import Streamed
from chipclass.serialize import problem_dict, result_dict, row_dict
from chipclass.spec import Problem

#: what a streamed writer is given: each result rendered (UTF-8 bytes), or a sheet's
#: problems, in input order
Items = Iterable[bytes | list[Problem]]


def result_json(result: Result, margin: int = 0) -> str:
    """jsontext.dumps(result_dict(result), margin=margin).

    A threshold row recurs from edition to edition (the same clause and threshold, the
    same value): each distinct row is spelled once per result.
    """
    spelled: dict[tuple[object, ...], jsontext.Raw] = {}
    metrics = result.metrics
    values = metric_values(metrics)

    def spelled_rows(edition: Edition) -> list[jsontext.Raw]:
        # margin.rows(metrics, edition), each row built and spelled only the first time
        # it occurs in this result
        texts = []
        for clause in edition.evaluated:
            in_scope = clause.in_scope(metrics.datacenter, metrics.vendor)
            for condition in clause.conditions:
                t = condition.threshold
                key = (
                    clause.id,
                    condition.metric,
                    condition.op,
                    t.numerator,
                    t.denominator,
                    in_scope,
                )
                text = spelled.get(key)
                if text is None:
                    row = Row(clause, condition, values[condition.metric], in_scope)
                    # a row is a leaf object, on one line: json's own compact-with-spaces
                    # form is jsontext's leaf layout (", " and ": ", ASCII escapes)
                    text = spelled[key] = jsontext.Raw(json.dumps(row_dict(row)))
                texts.append(text)
        return texts

    thresholds = [spelled_rows(verdict.edition) for verdict in result.verdicts]
    return jsontext.dumps(result_dict(result, thresholds), margin=margin)


def result_line(result: Result) -> str:
    """One result as a line of --format jsonl."""
    return json.dumps(result_dict(result))


def result_entry(result: Result) -> str:
    """One result as an entry of the --format json document's results array, every line
    indented 4 spaces."""
    return result_json(result, margin=4)


def write_lines(items: Items, stream: IO[str], problems: list[Problem]) -> None:
    """--format jsonl: one result per line, and one {"error": ...} line per problem, in
    input order; the problems are also kept in `problems`."""
    write = _bytes_writer(stream)
    for item in items:
        if isinstance(item, list):
            problems.extend(item)
            for problem in item:
                write(json.dumps({"error": problem_dict(problem)}).encode() + b"\n")
        else:
            write(item + b"\n")


def write_document(items: Items, stream: IO[str], problems: list[Problem]) -> None:
    """--format json: {"chipclass": version, "results": [...], "errors": [...]}, opened
    at "results": [, each result written as it comes, then closed with the errors (the
    problems, also kept in `problems`)."""
    write = _bytes_writer(stream)
    write(b'{\n  "chipclass": ' + json.dumps(__version__).encode() + b',\n  "results": [')
    stream.flush()  # workers may start now: nothing half-written for them to inherit
    first = True
    for item in items:
        if isinstance(item, list):
            problems.extend(item)
            continue
        write((b"\n" if first else b",\n") + item)
        first = False
    errors = jsontext.dumps([problem_dict(p) for p in problems], margin=2).lstrip()
    closing = ("\n  " if not first else "") + '],\n  "errors": ' + errors
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


DOCUMENT = Streamed(result_entry, write_document)
LINES = Streamed(result_line, write_lines)
