"""Results as JSON text: the `classify --format json` document and `--format jsonl`
lines, written as the results arrive."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO

from chipclass import __version__
from chipclass.classify import Result
from chipclass.editions import Condition, Edition
from chipclass.evaluate import metric_values
from chipclass.report import jsontext
from chipclass.report.registry import Streamed
from chipclass.serialize import condition_fields, measure_fields, problem_dict, result_dict
from chipclass.spec import Problem

#: what a streamed writer is given: each result rendered (UTF-8 bytes), or a sheet's
#: problems, in input order
Items = Iterable[bytes | list[Problem]]


def result_json(result: Result, margin: int = 0) -> str:
    """jsontext.dumps(result_dict(result), margin=margin).

    A threshold row is its condition's fields, the same for every part (spelled once
    per edition and kept with it), then the part's measure against the condition (spelled
    once per result: the same condition recurs from edition to edition)."""
    metrics = result.metrics
    values = metric_values(metrics)
    rows: dict[tuple[object, ...], jsontext.Raw] = {}
    measures: dict[tuple[object, ...], str] = {}

    def spelled_rows(edition: Edition) -> list[jsontext.Raw]:
        compiled = edition.compiled
        in_scope = compiled.in_scope(compiled.scope(metrics))
        texts = []
        for index, key, condition, fields in _row_layout(edition):
            inside = in_scope[index]
            text = rows.get((key, inside))
            if text is None:
                measure = measures.get((key[1:], inside))
                if measure is None:
                    value = values[condition.metric]
                    measure = jsontext.members(measure_fields(condition, value, inside))
                    measures[key[1:], inside] = measure
                text = rows[key, inside] = jsontext.Raw("{" + fields + ", " + measure + "}")
            texts.append(text)
        return texts

    thresholds = [spelled_rows(verdict.edition) for verdict in result.verdicts]
    return jsontext.dumps(result_dict(result, thresholds), margin=margin)


#: one threshold row of an edition: the index of its clause among the evaluated ones,
#: its key (clause id, metric, operator, threshold's terms), the condition, and the
#: condition's fields spelled (jsontext.members)
RowLayout = tuple[int, tuple[object, ...], Condition, str]


def _row_layout(edition: Edition) -> tuple[RowLayout, ...]:
    """The edition's threshold rows in order (classify.rows' order), worked out once and
    kept with the compiled edition."""
    texts = edition.compiled.texts
    layout: tuple[RowLayout, ...] | None = texts.get("json rows")
    if layout is None:
        layout = texts["json rows"] = tuple(
            (
                index,
                (clause.id, c.metric, c.op, c.threshold.numerator, c.threshold.denominator),
                c,
                jsontext.members(condition_fields(clause, c)),
            )
            for index, clause in enumerate(edition.evaluated)
            for c in clause.conditions
        )
    return layout


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
