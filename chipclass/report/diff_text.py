"""Human-readable `diff` output: the two parts' numbers side by side, then each edition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from chipclass.compare import Comparison, Crossing, Delta, EditionDiff
from chipclass.numbers import percent, show, signed
from chipclass.report.classify_text import QUANTITY_NAMES, chip_title, label_cell
from chipclass.report.doc import Cell, Doc

#: short names for the metric rows
METRIC_NAMES = {
    "tpp": "TPP",
    "performance_density": "density (TPP/mm²)",
    "applicable_die_area_mm2": "applicable die area mm²",
    "memory_bandwidth_gbs": "memory GB/s",
    "io_bandwidth_gbs": "I/O GB/s",
    "memory_plus_io_gbs": "memory + I/O GB/s",
}

LINK_NAMES = {
    "chip_to_chip_gbs": "chip-to-chip GB/s",
    "host_gbs": "host link GB/s",
    "memory_capacity_gb": "memory capacity GB",
}


def quantity_name(delta: Delta, kind: str) -> str:
    if kind == "metric":
        return METRIC_NAMES.get(delta.name, delta.name)
    if kind == "throughput":
        return f"{delta.name} TOPS"
    return LINK_NAMES.get(delta.name, delta.name)


def column_names(comparison: Comparison) -> tuple[str, str]:
    """The chip ids, or plain a / b when both sheets carry the same id."""
    a, b = comparison.a.spec.id, comparison.b.spec.id
    return (a, b) if a != b else ("a", "b")


def delta_cells(delta: Delta, kind: str = "metric") -> tuple[str, str]:
    """The change and the change in percent as shown: '?' where a metric is unknown,
    '-' where a sheet does not name the precision or there is no percentage of 0."""
    missing = "-" if kind == "throughput" else "?"
    change = missing if delta.delta is None else signed(delta.delta)
    if delta.delta_pct is not None:
        pct = percent(delta.delta_pct)
    elif delta.delta is not None:  # a is 0: no percentage of it
        pct = "-"
    else:
        pct = missing
    return change, pct


def value_text(value: Fraction | None, kind: str) -> str:
    """A side's value; a precision a sheet does not name is '-', an unknown metric '?'."""
    if value is None:
        return "-" if kind == "throughput" else "?"
    return show(value)


def quantity_rows(comparison: Comparison) -> list[tuple[str, Delta]]:
    """(kind, delta) for every row of the numbers table, in display order."""
    groups: tuple[tuple[str, Sequence[Delta]], ...] = (
        ("metric", comparison.metrics),
        ("throughput", comparison.throughput),
        ("link", comparison.links),
    )
    return [(kind, delta) for kind, deltas in groups for delta in deltas]


def summary_line(comparison: Comparison) -> str:
    changed = [e.edition.id for e in comparison.editions if e.changed]
    total = len(comparison.editions)
    if not changed:
        word = "the edition" if total == 1 else f"all {total} editions"
        return f"same label under {word} compared"
    return f"labels differ in {len(changed)} of {total} editions: {', '.join(changed)}"


# --------------------------------------------------------------------------- crossings


@dataclass(frozen=True)
class CrossingGroup:
    """Crossings of one metric in one direction, thresholds in the order b passed them."""

    metric: str
    direction: str
    a: Fraction
    b: Fraction
    thresholds: tuple[tuple[Fraction, tuple[str, ...]], ...]  # (threshold, clause ids)


def group_crossings(crossed: Sequence[Crossing]) -> list[CrossingGroup]:
    order: list[tuple[str, str]] = []
    found: dict[tuple[str, str], list[Crossing]] = {}
    for crossing in crossed:
        key = (crossing.metric, crossing.direction)
        if key not in found:
            order.append(key)
            found[key] = []
        found[key].append(crossing)
    groups: list[CrossingGroup] = []
    for key in order:
        items = found[key]
        falling = items[0].b < items[0].a
        by_threshold: dict[Fraction, list[str]] = {}
        for item in items:
            clauses = by_threshold.setdefault(item.threshold, [])
            if item.clause not in clauses:
                clauses.append(item.clause)
        ordered = sorted(by_threshold, reverse=falling)
        groups.append(
            CrossingGroup(
                metric=key[0],
                direction=key[1],
                a=items[0].a,
                b=items[0].b,
                thresholds=tuple((t, tuple(by_threshold[t])) for t in ordered),
            )
        )
    return groups


def describe_group(group: CrossingGroup) -> str:
    """'TPP 15832 → 2368 fell below 4800 (3A090.a.1, 3A090.b.1) and 2400 (3A090.b.1)'."""
    parts = [f"{show(t)} ({', '.join(clauses)})" for t, clauses in group.thresholds]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    name = QUANTITY_NAMES.get(group.metric, group.metric)
    lines = [t for t, _ in group.thresholds]  # each side shown on its side of each line
    a, b = show(group.a, near=lines), show(group.b, near=lines)
    return f"{name} {a} → {b} {group.direction} {listed}"


def crossing_lines(row: EditionDiff) -> list[str]:
    return [describe_group(g) for g in group_crossings(row.crossed)]


def crossing_blocks(
    crossed: Sequence[EditionDiff],
) -> list[tuple[EditionDiff, list[str], str | None]]:
    """(edition row, its crossing lines, None) or (row, [], the edition id it repeats)."""
    blocks: list[tuple[EditionDiff, list[str], str | None]] = []
    shown: list[str] = []
    first = ""
    for row in crossed:
        lines = crossing_lines(row)
        if lines == shown:
            blocks.append((row, [], first))
        else:
            blocks.append((row, lines, None))
            shown, first = lines, row.edition.id
    return blocks


def met_text(clauses: Sequence[str]) -> str:
    return ", ".join(clauses) if clauses else "-"


# --------------------------------------------------------------------------- the document


def diff_doc(comparison: Comparison) -> Doc:
    doc = Doc()
    a_name, b_name = column_names(comparison)
    doc.heading(f"a: {chip_title(comparison.a)}")
    doc.heading(f"b: {chip_title(comparison.b)}")
    doc.line(Cell(summary_line(comparison), "changed" if comparison.differs else "dim"), indent=2)
    doc.blank()
    numbers_table(doc, comparison, a_name, b_name)
    doc.blank()
    editions_table(doc, comparison, a_name, b_name)
    crossed = [row for row in comparison.editions if row.crossed]
    if crossed:
        doc.blank()
        doc.heading(f"thresholds {b_name} moved across ({a_name} → {b_name})")
        for row, lines, same_as in crossing_blocks(crossed):
            marker = Cell("label changed", "changed") if row.changed else Cell("same label", "dim")
            doc.line(f"{row.edition.id} (effective {row.edition.effective}): ", marker, indent=2)
            if same_as is not None:
                doc.line(Cell(f"the same as under {same_as}", "dim"), indent=4)
            for text in lines:
                doc.line(text, indent=4)
    return doc


def numbers_table(doc: Doc, comparison: Comparison, a_name: str, b_name: str) -> None:
    rows: list[tuple[str | Cell, ...]] = []
    previous = "metric"
    for kind, delta in quantity_rows(comparison):
        if kind != previous:
            rows.append(("", "", "", "", ""))
            previous = kind
        change, pct = delta_cells(delta, kind)
        style = "changed" if delta.delta else None
        rows.append(
            (
                quantity_name(delta, kind),
                value_text(delta.a, kind),
                value_text(delta.b, kind),
                Cell(change, style),
                Cell(pct, style),
            )
        )
    doc.table(("", a_name, b_name, "change", "change %"), rows, right=(1, 2, 3, 4))


def editions_table(doc: Doc, comparison: Comparison, a_name: str, b_name: str) -> None:
    rows: list[tuple[str | Cell, ...]] = [
        (
            row.edition.id,
            label_cell(row.a.label),
            label_cell(row.b.label),
            Cell("≠ differs", "changed") if row.changed else Cell("= same", "dim"),
            met_text(row.met_a),
            met_text(row.met_b),
        )
        for row in comparison.editions
    ]
    doc.table(
        ("edition", a_name, b_name, "", f"{a_name} meets", f"{b_name} meets"),
        rows,
    )
