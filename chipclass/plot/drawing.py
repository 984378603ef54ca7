"""The chip map drawn with matplotlib (the optional `plot` extra), Agg backend only.

Everything the map shows is worked out in chipclass.plot.geometry (regions, lines,
points, arrows, strip rows) and chipclass.plot.layout (where each name goes); this
module measures the texts with the figure's renderer, hands the placement the display
pixels of every marker, threshold name and arrow, and draws what comes back. matplotlib
is imported inside the functions, never when chipclass is imported.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from chipclass.editions import INDETERMINATE, Edition
from chipclass.metrics import Metrics
from chipclass.plot import layout
from chipclass.plot.geometry import (
    COLOURS,
    HATCH,
    SHADES,
    Plane,
    Point,
    arrows,
    axis_range,
    colocated,
    footnotes,
    group_text,
    lines,
    number,
    plane,
    points,
    short_clause,
    spread,
    strip_rows,
    subtitle,
    title,
)
from chipclass.spec import ChipSpec

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS: Final = (".png", ".svg")
MISSING: Final = (
    "chipclass plot needs matplotlib, an optional extra: pip install 'chipclass[plot]'"
    " (or pip install matplotlib)"
)
MARKER_AREA: Final = 46  # points squared
FONT_SIZE: Final = 8
TITLE_WIDTH: Final = 100  # characters a line: the figure's width at the title's size
SUBTITLE_WIDTH: Final = 150
#: the gid of each kind of artist the placement keeps apart (tests find them by it)
GIDS: Final = {
    "label": "chip-label",
    "line": "line-name",
    "arrow": "variant-arrow",
    "leader": "leader",
    "marker": "chip-marker",
}


class PlotUnavailable(Exception):
    """matplotlib is not installed."""


def require_matplotlib() -> Any:
    """Import matplotlib with the Agg backend; raise PlotUnavailable when it is missing."""
    try:
        import matplotlib
    except ImportError as error:
        raise PlotUnavailable(MISSING) from error
    matplotlib.use("Agg", force=True)
    return matplotlib


def render(
    chips: Sequence[tuple[ChipSpec, Metrics]], edition: Edition, path: Path, dpi: int = 110
) -> None:
    """Draw the chips under one edition to a .png or .svg file."""
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"{path}: the file must end in {' or '.join(FORMATS)}")
    require_matplotlib()
    import matplotlib.pyplot as plt

    with plt.rc_context({"font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "chipclass"}):
        figure = draw(chips, edition, dpi)
        try:
            metadata = {"Software": None} if path.suffix.lower() == ".png" else {"Date": None}
            figure.savefig(path, dpi=dpi, metadata=metadata)
        finally:
            plt.close(figure)


def draw(chips: Sequence[tuple[ChipSpec, Metrics]], edition: Edition, dpi: int = 110) -> Figure:
    """The map as a matplotlib figure (13 x 9 inches at `dpi`); the caller closes it."""
    require_matplotlib()
    import matplotlib.pyplot as plt

    found = points(chips, edition)
    known = [p for p in found if p.density is not None]
    unknown = [p for p in found if p.density is None]
    xlim = axis_range(
        [p.tpp for p in found], [ln.value for ln in lines(edition) if ln.metric == "tpp"]
    )
    ylim = axis_range(
        [p.density for p in known if p.density is not None],
        [ln.value for ln in lines(edition) if ln.metric == "performance_density"],
    )
    geometry = plane(edition, xlim, ylim)
    figure = plt.figure(figsize=(13, 9), dpi=dpi)
    try:
        _draw(figure, geometry, known, unknown, found, xlim, ylim)
    except BaseException:
        plt.close(figure)
        raise
    return figure


class _Measure:
    """Text sizes in display pixels, from the figure's own renderer."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]

    def __call__(self, text: str) -> tuple[float, float]:
        probe = self.figure.text(0, 0, text, fontsize=FONT_SIZE)
        box = probe.get_window_extent(self.renderer)
        probe.remove()
        return float(box.width), float(box.height)


PAD: Final = 1.5  # pixels between a name and the edge of its box


def _draw(
    figure: Figure,
    geometry: Plane,
    known: Sequence[Point],
    unknown: Sequence[Point],
    found: Sequence[Point],
    xlim: tuple[Fraction, Fraction],
    ylim: tuple[Fraction, Fraction],
) -> None:
    measure = _Measure(figure)
    radius = (math.sqrt(MARKER_AREA) / 2 + 0.8) * figure.dpi / 72
    width_px = figure.get_figwidth() * figure.dpi
    rows = strip_rows(
        unknown, xlim, width_px, lambda p: measure(p.name)[0] + 2 * radius + 4 * PAD + 8
    )
    count = max(3, max(rows.values(), default=0) + 1)
    grid = figure.add_gridspec(2, 1, height_ratios=(7.2, 0.38 * count), hspace=0.04)
    ax = figure.add_subplot(grid[0])
    strip = figure.add_subplot(grid[1], sharex=ax)
    bottom = 0.115 + 0.017 * len(footnotes(geometry))
    top = _top(geometry, found)
    figure.subplots_adjust(left=0.07, right=0.985, top=top, bottom=bottom)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(float(xlim[0]), float(xlim[1]))
    ax.set_ylim(float(ylim[0]), float(ylim[1]))
    strip.set_ylim(0.2, count + 0.8)
    _style_axes(ax, strip)
    _shade(ax, strip, geometry)
    names = _draw_lines(ax, strip, geometry)
    where = _markers(ax, strip, known, unknown, rows, count)
    markers = [layout.Marker(key, x, y, radius) for key, (_, x, y) in where.items()]
    curves = _draw_arrows(figure, found, where, radius)
    fixed = [_extent(n.get_window_extent(measure.renderer)) for n in names]
    labels = _labels(ax, strip, known, unknown, measure)
    spacing = layout.Spacing(gap=2.0, beside=3.0, step=11.0, doubt=8.0)
    placed = layout.place(
        [label for label, _ in labels], markers, fixed, [layout.sample(c) for c in curves], spacing
    )
    for label, text in labels:
        _draw_label(figure, text, placed[label.key])
    _titles(figure, geometry, found, top)
    _legend(figure, geometry)


def _extent(box: Any) -> layout.Box:
    return (float(box.x0), float(box.y0), float(box.x1), float(box.y1))


def _labels(
    ax: Axes,
    strip: Axes,
    known: Sequence[Point],
    unknown: Sequence[Point],
    measure: _Measure,
) -> list[tuple[layout.Label, str]]:
    """One label for the chips at each spot of the plane (their names, ' / ' between,
    in lines), one for each chip of the strip; each kept inside its own axes."""
    plane_frame = _extent(ax.get_window_extent())
    strip_frame = _extent(strip.get_window_extent())
    wanted = [(group, group_text(group), plane_frame) for group in colocated(known)]
    wanted += [([point], point.name, strip_frame) for point in unknown]
    found = []
    for group, text, frame in wanted:
        width, height = measure(text)
        owners = tuple(p.spec.id for p in group)
        label = layout.Label(
            " ".join(owners),
            owners,
            width + 2 * PAD,
            height + 2 * PAD,
            frame,
            first=frame is strip_frame,
        )
        found.append((label, text))
    return found


def _draw_label(figure: Figure, text: str, spot: layout.Placed) -> None:
    from matplotlib.lines import Line2D

    width, height = figure.bbox.width, figure.bbox.height
    x0, y0, _, _ = spot.box
    figure.text(
        (x0 + PAD) / width,
        (y0 + PAD) / height,
        text,
        fontsize=FONT_SIZE,
        ha="left",
        va="bottom",
        zorder=7,
        gid=GIDS["label"],
        bbox={"boxstyle": "square,pad=0.08", "fc": "white", "ec": "none", "alpha": 0.6},
    )
    if spot.leader is not None:
        ax0, ay0, ax1, ay1 = spot.leader
        figure.add_artist(
            Line2D(
                [ax0 / width, ax1 / width],
                [ay0 / height, ay1 / height],
                transform=figure.transFigure,
                color="#555555",
                linewidth=0.6,
                zorder=6,
                gid=GIDS["leader"],
            )
        )


def _style_axes(ax: Axes, strip: Axes) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    plain = FuncFormatter(lambda v, _: f"{v:g}")
    ax.set_ylabel("performance density (TPP per mm² of applicable die area, log scale)")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(plain)
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.tick_params(axis="x", labelbottom=False)
    ax.grid(True, which="major", color="#e6e6e6", linewidth=0.6, zorder=0)
    strip.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    strip.xaxis.set_major_formatter(plain)
    strip.xaxis.set_minor_formatter(NullFormatter())
    strip.set_xlabel("total processing performance, TPP (dense TOPS × bit length, log scale)")
    strip.set_yticks([])
    strip.set_ylabel("density\nunknown", rotation=0, ha="right", va="center", labelpad=6)
    strip.set_facecolor("#f7f7f7")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    strip.spines["right"].set_visible(False)


def _shade(ax: Axes, strip: Axes, geometry: Plane) -> None:
    from matplotlib.patches import Rectangle

    for cell in geometry.cells:
        assert cell.y0 is not None and cell.y1 is not None
        ax.add_patch(
            Rectangle(
                (float(cell.x0), float(cell.y0)),
                float(cell.x1 - cell.x0),
                float(cell.y1 - cell.y0),
                facecolor=SHADES.get(cell.group.label, "#dddddd"),
                edgecolor=HATCH,
                linewidth=0,
                alpha=0.55,
                hatch="/" if cell.hatched else None,
                zorder=0.5,
            )
        )
    low, high = strip.get_ylim()
    for cell in geometry.strip:
        strip.add_patch(
            Rectangle(
                (float(cell.x0), low),
                float(cell.x1 - cell.x0),
                high - low,
                facecolor=SHADES.get(cell.group.label, "#dddddd"),
                edgecolor=HATCH,
                linewidth=0,
                alpha=0.45,
                hatch="/" if cell.hatched else None,
                zorder=0.5,
            )
        )


def _draw_lines(ax: Axes, strip: Axes, geometry: Plane) -> list[Any]:
    """Draw and name every threshold line; return the name texts (for labels to avoid)."""
    texts: list[Any] = []
    for line in geometry.lines:
        value = float(line.value)
        who = ", ".join(short_clause(c) for c in line.clauses)
        if line.metric == "tpp":
            for axes in (ax, strip):
                axes.axvline(value, color="#555555", linewidth=0.9, linestyle="--", zorder=1)
            note = ax.annotate(
                f"TPP {number(line.value)}  ({who})",
                xy=(value, 1),
                xycoords=("data", "axes fraction"),
                xytext=(-3, -4),
                textcoords="offset points",
                rotation=90,
                ha="right",
                va="top",
                fontsize=8,
                color="#333333",
                zorder=6,
                gid=GIDS["line"],
            )
        else:
            ax.axhline(value, color="#555555", linewidth=0.9, linestyle="--", zorder=1)
            note = ax.annotate(
                f"density {number(line.value)}  ({who})",
                xy=(1, value),
                xycoords=("axes fraction", "data"),
                xytext=(-4, 3),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=8,
                color="#333333",
                zorder=6,
                gid=GIDS["line"],
            )
        texts.append(note)
    return texts


#: where each chip's marker is drawn, in display pixels: (axes, x, y)
Positions = dict[str, tuple[Any, float, float]]


def _markers(
    ax: Axes,
    strip: Axes,
    known: Sequence[Point],
    unknown: Sequence[Point],
    strip_row: dict[str, int],
    count: int,
) -> Positions:
    at: dict[str, tuple[Any, float, float]] = {}
    for group in colocated(known):
        for index, point in enumerate(group):
            assert point.density is not None
            at[point.spec.id] = (
                ax,
                float(point.tpp) * spread(index, len(group)),
                float(point.density),
            )
    for point in unknown:
        at[point.spec.id] = (strip, float(point.tpp), float(count - strip_row[point.spec.id]))
    positions: Positions = {}
    for point in [*known, *unknown]:
        axes, x, y = at[point.spec.id]
        indeterminate = point.label == INDETERMINATE
        axes.scatter(
            [x],
            [y],
            s=MARKER_AREA,
            color="white" if indeterminate else COLOURS[point.label],
            edgecolors=COLOURS[point.label] if indeterminate else "#222222",
            linewidths=1.4 if indeterminate else 0.6,
            zorder=5,
            gid=f"{GIDS['marker']}:{point.spec.id}",
        )
        px, py = axes.transData.transform((x, y))
        positions[point.spec.id] = (axes, float(px), float(py))
    return positions


def _draw_arrows(
    figure: Figure, found: Sequence[Point], positions: Positions, radius: float
) -> list[tuple[layout.XY, ...]]:
    """An arrow from each parent to its variant (a curve in display pixels, as
    layout.curve draws it); returns the curves, for the labels to keep off."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MplPath

    width, height = figure.bbox.width, figure.bbox.height
    curves = []
    for parent, variant in arrows(found):
        _, xa, ya = positions[parent.spec.id]
        _, xb, yb = positions[variant.spec.id]
        shape = layout.curve((xa, ya), (xb, yb), 0.12, radius + 1, radius + 2)
        if not shape:
            continue
        curves.append(shape)
        vertices = [(x / width, y / height) for x, y in shape]
        figure.add_artist(
            FancyArrowPatch(
                path=MplPath(vertices, [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3]),
                transform=figure.transFigure,
                arrowstyle="-|>",
                mutation_scale=9,
                color="#4a6fa5",
                linewidth=0.8,
                alpha=0.75,
                zorder=4,
                gid=GIDS["arrow"],
            )
        )
    return curves


def _titles(figure: Figure, geometry: Plane, found: Sequence[Point], top: float) -> None:
    head = textwrap.wrap(title(geometry, len(found)), width=TITLE_WIDTH)
    figure.text(
        0.07, 0.985, "\n".join(head), fontsize=13, fontweight="bold", va="top", linespacing=1.3
    )
    below = textwrap.wrap(subtitle(geometry), width=SUBTITLE_WIDTH)
    figure.text(
        0.07,
        top + 0.012,
        "\n".join(below),
        fontsize=9.5,
        color="#333333",
        va="bottom",
        linespacing=1.35,
    )
    notes = footnotes(geometry)
    if notes:
        figure.text(
            0.07,
            0.06,
            "\n".join(notes),
            fontsize=8.5,
            color="#333333",
            va="bottom",
            linespacing=1.4,
        )


def _top(geometry: Plane, found: Sequence[Point]) -> float:
    """Where the plane's axes end: below the title's and subtitle's lines."""
    head = len(textwrap.wrap(title(geometry, len(found)), width=TITLE_WIDTH))
    below = len(textwrap.wrap(subtitle(geometry), width=SUBTITLE_WIDTH))
    return 0.90 - 0.024 * (head - 1) - 0.016 * (below - 1)


def _legend(figure: Figure, geometry: Plane) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=7,
            markerfacecolor="white" if label == INDETERMINATE else colour,
            markeredgecolor=colour if label == INDETERMINATE else "#222222",
            label=label,
        )
        for label, colour in COLOURS.items()
    ]
    for group in geometry.groups:
        extra = f" (with {'; '.join(group.needs)})" if group.conditional else ""
        handles.append(
            Patch(
                facecolor=SHADES.get(group.label, "#dddddd"),
                edgecolor=HATCH,
                linewidth=0,
                alpha=0.7,
                hatch="/" if group.conditional else None,
                label=f"{group.id} region → {group.label}{extra}",
            )
        )
    handles.append(
        Line2D(
            [], [], color="#4a6fa5", marker=">", markevery=[1], label="parent → tailored variant"
        )
    )
    handles.append(
        Line2D([], [], color="#555555", linestyle="--", linewidth=0.9, label="threshold")
    )
    figure.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.065, 0.0),
        ncol=4,
        fontsize=8.5,
        frameon=False,
    )


__all__ = [
    "FORMATS",
    "GIDS",
    "MISSING",
    "PlotUnavailable",
    "draw",
    "render",
    "require_matplotlib",
]
