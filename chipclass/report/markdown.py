"""Markdown tables for pull-request comments, job summaries and the catalog overview."""

from __future__ import annotations

from collections.abc import Sequence

from chipclass.classify import Result
from chipclass.editions import Edition
from chipclass.numbers import percent, show
from chipclass.report.escape import markdown_code
from chipclass.report.registry import Classified
from chipclass.spec import Problem

LABEL_MARKS = {
    "exportable": "exportable",
    "license-required": "**license-required**",
    "restricted": "**restricted**",
    "indeterminate": "_indeterminate_",
}


def cell(text: str) -> str:
    """A table cell written by a reporter: already markdown (sheet text in it has been
    through chipclass.report.escape.markdown), kept on one line."""
    return text.replace("\n", " ").replace("\r", " ")


def table(columns: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A markdown table of cells that are markdown already (see `cell`)."""
    head = "| " + " | ".join(cell(c) for c in columns) + " |"
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(columns))) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join([head, rule, *body]) + "\n"


def classify_markdown(
    results: Sequence[Result], editions: Sequence[Edition], problems: Sequence[Problem]
) -> str:
    from chipclass.report.classify_text import thresholds

    last = editions[-1].id if editions else ""
    rows = []
    for result in results:
        m = result.metrics
        change = result.verdict(last).nearest_stricter if last else None
        nearest = (
            f"{change.knob.replace('_', ' ')} {percent(change.change_pct, 2)} → {change.label}"
            f" ({change.clause})"
            if change
            else "-"
        )
        rows.append(
            [
                f"`{result.spec.id}`",
                show(m.tpp, near=thresholds(result, "tpp")),
                show(m.performance_density, 2, thresholds(result, "performance_density")),
                show(m.memory_bandwidth_gbs, near=thresholds(result, "memory_bandwidth_gbs")),
                show(m.io_bandwidth_gbs, near=thresholds(result, "io_bandwidth_gbs")),
                *(LABEL_MARKS[v.label] for v in result.verdicts),
                nearest,
            ]
        )
    columns = ["chip", "TPP", "density", "memory GB/s", "I/O GB/s", *(e.id for e in editions)]
    text = table([*columns, f"nearest stricter ({last})"], rows, right=(1, 2, 3, 4))
    if problems:
        text += "\n**Errors**\n\n" + "".join(f"- {markdown_code(str(p))}\n" for p in problems)
    return text


def markdown_report(run: Classified) -> str:
    """`classify --format markdown`."""
    return classify_markdown(run.results, run.editions, run.problems)
