"""`diff` as markdown: pull-request comments and job summaries."""

from __future__ import annotations

from chipclass.compare import Comparison, EditionDiff
from chipclass.report.diff_text import (
    column_names,
    crossing_blocks,
    delta_cells,
    met_text,
    quantity_name,
    quantity_rows,
    summary_line,
    value_text,
)
from chipclass.report.escape import markdown as md
from chipclass.report.escape import markdown_code
from chipclass.report.markdown import LABEL_MARKS, table


def _title(comparison: Comparison, side: str) -> str:
    result = comparison.a if side == "a" else comparison.b
    spec = result.spec
    variant = f", variant of `{spec.variant_of}`" if spec.variant_of else ""
    market = "" if spec.datacenter else ", not for datacenters"
    return f"**{side}**: {md(spec.name)} (`{spec.id}`{variant}{market}, {markdown_code(spec.path)})"


def diff_markdown(comparison: Comparison) -> str:
    a_name, b_name = column_names(comparison)
    lines = [
        f"### `{comparison.a.spec.id}` → `{comparison.b.spec.id}`",
        "",
        _title(comparison, "a") + "  ",
        _title(comparison, "b"),
        "",
        (f"**{summary_line(comparison)}**" if comparison.differs else summary_line(comparison)),
        "",
    ]
    rows = []
    for kind, delta in quantity_rows(comparison):
        change, pct = delta_cells(delta, kind)
        name = quantity_name(delta, kind)
        rows.append([name, value_text(delta.a, kind), value_text(delta.b, kind), change, pct])
    text = "\n".join(lines) + "\n"
    text += table(["", a_name, b_name, "change", "change %"], rows, right=(1, 2, 3, 4))
    text += "\n" + table(
        ["edition", a_name, b_name, "differs", f"{a_name} meets", f"{b_name} meets"],
        [_edition_row(row) for row in comparison.editions],
    )
    crossed = [row for row in comparison.editions if row.crossed]
    if crossed:
        text += f"\n**Thresholds `{b_name}` moved across**\n\n"
        for row, found, same_as in crossing_blocks(crossed):
            said = f"the same as under `{same_as}`" if same_as else "; ".join(found)
            text += f"- `{row.edition.id}`: {said}\n"
    return text


def _edition_row(row: EditionDiff) -> list[str]:
    return [
        f"`{row.edition.id}`",
        LABEL_MARKS[row.a.label],
        LABEL_MARKS[row.b.label],
        "**yes**" if row.changed else "no",
        met_text(row.met_a),
        met_text(row.met_b),
    ]
