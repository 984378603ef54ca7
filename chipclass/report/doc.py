"""A small document model for terminal output, with two renderers.

Reporters build a `Doc` of headings, lines and tables once; `render_plain`
writes aligned plain text (for pipes, files and CI logs) and `render_rich`
draws it with rich on a terminal. rich is imported only when it draws.
"""

from __future__ import annotations

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
    ) -> None:
        cells = tuple(tuple(c if isinstance(c, Cell) else Cell(c) for c in row) for row in rows)
        self.blocks.append(Table(columns, cells, indent, frozenset(right)))

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


def render_rich(doc: Doc, stream: IO[str], no_color: bool) -> None:
    from rich import box
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(file=stream, no_color=no_color, highlight=False, soft_wrap=False)

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
            table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
            for index, column in enumerate(block.columns):
                # fold rather than cut: a narrow terminal must not hide a figure behind "…"
                table.add_column(
                    terminal(column),
                    justify="right" if index in block.right else "left",
                    overflow="fold",
                )
            for row in block.rows:
                table.add_row(*(text((cell,)) for cell in row))
            console.print(Padding(table, (0, 0, 0, block.indent)))
