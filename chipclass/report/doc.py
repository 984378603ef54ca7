"""A small document model for terminal output, with two renderers.

Reporters build a `Doc` of headings, lines and tables once; `render_plain`
writes aligned plain text (for pipes, files and CI logs) and `render_rich`
draws it with rich on a terminal. rich is imported only when it draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Final

from chipclass.report.escape import terminal

#: style names -> rich styles; plain output ignores them
STYLES: Final = {
    "exportable": "bold green",
    "license-required": "bold yellow",
    "restricted": "bold red",
    "indeterminate": "bold magenta",
    "heading": "bold",
    "dim": "dim",
    "changed": "bold cyan",
    "error": "bold red",
}


@dataclass(frozen=True)
class Cell:
    text: str
    style: str | None = None


@dataclass(frozen=True)
class Heading:
    text: str
    style: str = "heading"


@dataclass(frozen=True)
class Line:
    cells: tuple[Cell, ...]
    indent: int = 0


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    indent: int = 0
    right: frozenset[int] = frozenset()  # right-aligned column indexes
    #: on a terminal too narrow for every column, the columns that may go, first to go
    #: first (empty: the widest first, never the first column)
    drop: tuple[int, ...] = ()


@dataclass
class Doc:
    blocks: list[Heading | Line | Table | None] = field(default_factory=list)

    def heading(self, text: str, style: str = "heading") -> None:
        self.blocks.append(Heading(text, style))

    def line(self, *parts: str | Cell, indent: int = 0) -> None:
        cells = tuple(p if isinstance(p, Cell) else Cell(p) for p in parts)
        self.blocks.append(Line(cells, indent))

    def table(
        self,
        columns: tuple[str, ...],
        rows: list[tuple[str | Cell, ...]],
        indent: int = 0,
        right: tuple[int, ...] = (),
        drop: tuple[int, ...] = (),
    ) -> None:
        cells = tuple(tuple(c if isinstance(c, Cell) else Cell(c) for c in row) for row in rows)
        self.blocks.append(Table(columns, cells, indent, frozenset(right), drop))

    def blank(self) -> None:
        self.blocks.append(None)


def render_plain(doc: Doc) -> str:
    out: list[str] = []
    for block in doc.blocks:
        if block is None:
            out.append("")
        elif isinstance(block, Heading):
            out.append(terminal(block.text))
        elif isinstance(block, Line):
            out.append(" " * block.indent + "".join(terminal(c.text) for c in block.cells))
        else:
            out.extend(_plain_table(block))
    return "\n".join(out) + "\n"


def _plain_table(table: Table) -> list[str]:
    grid = [
        [terminal(c) for c in table.columns],
        *[[terminal(c.text) for c in row] for row in table.rows],
    ]
    widths = [max(len(row[i]) for row in grid) for i in range(len(table.columns))]
    lines = []
    for row in grid:
        parts = [
            cell.rjust(widths[i]) if i in table.right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append((" " * table.indent + "  ".join(parts)).rstrip())
    return lines


#: label cells, shortened when a table does not fit the terminal
SHORT_LABELS: Final = {
    "exportable": "export",
    "license-required": "license",
    "restricted": "restrict",
    "indeterminate": "indet",
}


@dataclass(frozen=True)
class Fitted:
    """A table cut to a terminal's width: the columns kept, their cells, and what the
    footer says was shortened or left out."""

    columns: tuple[int, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    shortened: tuple[str, ...]
    dropped: tuple[str, ...]

    def note(self, width: int) -> str | None:
        if not self.shortened and not self.dropped:
            return None
        parts = []
        if self.shortened:
            parts.append(
                "labels shortened: "
                + ", ".join(f"{SHORT_LABELS[label]} = {label}" for label in self.shortened)
            )
        if self.dropped:
            parts.append("not shown: " + ", ".join(self.dropped))
        return f"({width} columns: {'; '.join(parts)}; pipe the output for every column)"


def fit_table(table: Table, width: int) -> Fitted:
    """The table as it fits in `width` terminal cells without breaking a cell: labels
    shortened first, then columns left out (table.drop's order, else the widest first;
    never the first column)."""
    from rich.cells import cell_len

    headers = tuple(terminal(c) for c in table.columns)
    rows = tuple(tuple(Cell(terminal(c.text), c.style) for c in row) for row in table.rows)

    def needed(columns: Sequence[int], body: Sequence[Sequence[Cell]]) -> int:
        widths = [
            max([cell_len(headers[i]), *(cell_len(row[i].text) for row in body)]) for i in columns
        ]
        # rich's SIMPLE_HEAD: a cell of padding each side of a one-cell separator
        return table.indent + sum(widths) + 3 * max(0, len(widths) - 1)

    columns = list(range(len(headers)))
    shortened: list[str] = []
    if needed(columns, rows) > width:
        present = {c.text for row in rows for c in row if c.style == c.text}
        shortened = [label for label in SHORT_LABELS if label in present]
        rows = tuple(
            tuple(
                Cell(SHORT_LABELS[c.text], c.style)
                if c.style == c.text and c.text in SHORT_LABELS
                else c
                for c in row
            )
            for row in rows
        )
    # without an order: the widest columns first (long text, seldom a figure)
    order = list(table.drop) or sorted(columns[1:], key=lambda i: -needed([i], rows))
    dropped: list[str] = []
    while needed(columns, rows) > width and order:
        gone = order.pop(0)
        if gone in columns and len(columns) > 1:
            columns.remove(gone)
            dropped.append(headers[gone] or f"column {gone + 1}")
    kept = tuple(columns)
    return Fitted(
        kept,
        tuple(headers[i] for i in kept),
        tuple(tuple(row[i] for i in kept) for row in rows),
        tuple(shortened),
        tuple(dropped),
    )


def render_rich(
    doc: Doc, stream: IO[str], no_color: bool, force_terminal: bool | None = None
) -> None:
    from rich import box
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(
        file=stream,
        no_color=no_color,
        highlight=False,
        soft_wrap=False,
        force_terminal=force_terminal,
    )

    def text(cells: tuple[Cell, ...]) -> Text:
        result = Text()
        for cell in cells:
            result.append(terminal(cell.text), style=STYLES.get(cell.style or "", cell.style or ""))
        return result

    for block in doc.blocks:
        if block is None:
            console.print()
        elif isinstance(block, Heading):
            console.print(Text(terminal(block.text), style=STYLES.get(block.style, block.style)))
        elif isinstance(block, Line):
            console.print(Padding(text(block.cells), (0, 0, 0, block.indent)))
        else:
            # never a number or a label broken over two lines: cells keep their width,
            # and what does not fit is shortened or left out, said in a line below
            fitted = fit_table(block, console.width)
            table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
            for index, column in zip(fitted.columns, fitted.headers, strict=True):
                table.add_column(
                    column,
                    justify="right" if index in block.right else "left",
                    no_wrap=True,
                    overflow="fold",
                )
            for row in fitted.rows:
                table.add_row(*(text((cell,)) for cell in row))
            console.print(Padding(table, (0, 0, 0, block.indent)), crop=False)
            note = fitted.note(console.width)
            if note is not None:
                console.print(Padding(Text(note, style="dim"), (0, 0, 0, block.indent)))
