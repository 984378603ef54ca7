"""Chips on the TPP x performance-density plane under one edition (needs matplotlib).

The plane's geometry (threshold lines, the 3A090.a / 3A090.b regions) is read from
the edition's clauses, never hard-coded: every condition on `tpp` or
`performance_density` draws a line, and the cells between those lines are shaded by
the clause groups (3A090.a, 3A090.b, ...) whose plane conditions hold there.
Conditions on other metrics (the 2022 I/O prong) are named in the legend; clauses
with no plane condition at all (the 2025 bandwidth letters) in a footnote.

matplotlib is an optional extra (`pip install 'chipclass[plot]'`), imported only by
`render`, with the Agg backend: no display is needed.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from chipclass.editions import INDETERMINATE, SEVERITY, Clause, Condition, Edition
from chipclass.evaluate import combine, decide
from chipclass.metrics import Metrics
from chipclass.spec import ChipSpec

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

PLANE: Final = ("tpp", "performance_density")
FORMATS: Final = (".png", ".svg")
MISSING: Final = (
    "chipclass plot needs matplotlib, an optional extra: pip install 'chipclass[plot]'"
    " (or pip install matplotlib)"
)

#: label colours (Okabe-Ito, safe for colour-blind readers)
COLOURS: Final = {
    "exportable": "#009E73",
    "license-required": "#E69F00",
    "restricted": "#D55E00",
    INDETERMINATE: "#8E7CC3",
}
#: region shading by the label a clause group carries
SHADES: Final = {"restricted": "#F4B9A0", "license-required": "#FBE3A8"}
#: hatching marks a region that also needs a condition off the plane (the 2022 I/O prong)
HATCH: Final = "#C9866B"
OPS: Final = {">=": "≥", ">": ">", "<": "<", "<=": "≤"}
METRIC_WORDS: Final = {
    "tpp": "TPP",
    "performance_density": "density",
    "memory_bandwidth_gbs": "memory",
    "io_bandwidth_gbs": "I/O",
    "memory_plus_io_gbs": "memory+I/O",
}


class PlotUnavailable(Exception):
    """matplotlib is not installed."""


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Line:
    metric: str  # "tpp" (vertical) or "performance_density" (horizontal)
    value: Fraction
    clauses: tuple[str, ...]  # the clauses with a condition on this line


@dataclass(frozen=True)
class Group:
    """Control clauses sharing a prefix (3A090.a.1, 3A090.a.2 -> 3A090.a)."""

    id: str
    label: str  # the most severe label its clauses carry
    clauses: tuple[Clause, ...]
    off_plane: tuple[Condition, ...]  # conditions on metrics the plane does not show

    def holds(self, tpp: Fraction, density: Fraction | None) -> bool | None:
        """Do the plane conditions of any clause hold? None: it turns on the density."""
        outcomes = [_plane_met(c, tpp, density) for c in self.clauses]
        if any(o is True for o in outcomes):
            return True
        return None if any(o is None for o in outcomes) else False


@dataclass(frozen=True)
class Cell:
    x0: Fraction
    x1: Fraction
    y0: Fraction | None  # None, None: the density-unknown strip
    y1: Fraction | None
    group: Group


@dataclass(frozen=True)
class Plane:
    edition: Edition
    lines: tuple[Line, ...]
    groups: tuple[Group, ...]  # most severe first
    cells: tuple[Cell, ...]
    strip: tuple[Cell, ...]  # stretches of TPP where the group does not turn on the density
    off_plane: tuple[Clause, ...]  # evaluated clauses with no plane condition (not drawn)

    def values(self, metric: str) -> list[Fraction]:
        return [line.value for line in self.lines if line.metric == metric]


def _plane_met(clause: Clause, tpp: Fraction, density: Fraction | None) -> bool | None:
    results: list[bool | None] = []
    for condition in clause.conditions:
        if condition.metric == "tpp":
            results.append(condition.holds(tpp))
        elif condition.metric == "performance_density":
            results.append(None if density is None else condition.holds(density))
    return combine(results, clause.match)


def group_id(clause_id: str) -> str:
    """'3A090.a.1' -> '3A090.a'; an id without two dots is its own group."""
    parts = clause_id.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else clause_id


def lines(edition: Edition) -> tuple[Line, ...]:
    found: dict[tuple[str, Fraction], list[str]] = {}
    for clause in edition.evaluated:
        for condition in clause.conditions:
            if condition.metric in PLANE:
                ids = found.setdefault((condition.metric, condition.threshold), [])
                if clause.id not in ids:
                    ids.append(clause.id)
    return tuple(Line(m, v, tuple(ids)) for (m, v), ids in sorted(found.items()))


def groups(edition: Edition) -> tuple[Group, ...]:
    members: dict[str, list[Clause]] = {}
    for clause in edition.evaluated:
        if clause.role == "control" and any(c.metric in PLANE for c in clause.conditions):
            members.setdefault(group_id(clause.id), []).append(clause)
    found = [
        Group(
            gid,
            max((c.label or "exportable" for c in clauses), key=lambda name: SEVERITY[name]),
            tuple(clauses),
            tuple(k for c in clauses for k in c.conditions if k.metric not in PLANE),
        )
        for gid, clauses in members.items()
    ]
    return tuple(sorted(found, key=lambda g: -SEVERITY[g.label]))


def _edges(values: list[Fraction], low: Fraction, high: Fraction) -> list[Fraction]:
    inside = sorted({v for v in values if low < v < high})
    return [low, *inside, high]


def plane(
    edition: Edition, xlim: tuple[Fraction, Fraction], ylim: tuple[Fraction, Fraction]
) -> Plane:
    """The edition's lines and shaded cells within the given TPP and density ranges."""
    drawn = lines(edition)
    found = groups(edition)
    xs = _edges([ln.value for ln in drawn if ln.metric == "tpp"], *xlim)
    ys = _edges([ln.value for ln in drawn if ln.metric == "performance_density"], *ylim)
    cells: list[Cell] = []
    strip: list[Cell] = []
    # every density stretch, including those beyond the drawn range, for the strip
    all_ys = _edges(
        [ln.value for ln in drawn if ln.metric == "performance_density"],
        Fraction(0),
        max([ylim[1], *(ln.value for ln in drawn)]) * 2,
    )
    for x0, x1 in itertools.pairwise(xs):
        tpp = (x0 + x1) / 2
        for y0, y1 in itertools.pairwise(ys):
            hit = _first_group(found, tpp, (y0 + y1) / 2)
            if hit is not None:
                cells.append(Cell(x0, x1, y0, y1, hit))
        column = {_first_group(found, tpp, (a + b) / 2) for a, b in itertools.pairwise(all_ys)}
        if len(column) == 1:
            only = column.pop()
            if only is not None:
                strip.append(Cell(x0, x1, None, None, only))
    off = tuple(
        c
        for c in edition.evaluated
        if c.role == "control" and not any(k.metric in PLANE for k in c.conditions)
    )
    return Plane(edition, drawn, found, tuple(cells), tuple(strip), off)


def _first_group(found: Sequence[Group], tpp: Fraction, density: Fraction) -> Group | None:
    return next((g for g in found if g.holds(tpp, density)), None)


# --------------------------------------------------------------------------- chips


@dataclass(frozen=True)
class Point:
    spec: ChipSpec
    tpp: Fraction
    density: Fraction | None
    label: str
    name: str  # short display name


def short_name(spec: ChipSpec) -> str:
    """'NVIDIA GeForce RTX 4090' -> 'RTX 4090'; 'NVIDIA H100 SXM5 80GB' -> 'H100 SXM5'."""
    name = spec.name
    if name.lower().startswith(spec.vendor.lower() + " "):
        name = name[len(spec.vendor) + 1 :]
    name = re.sub(r"\s*\([^)]*\)", "", name)
    words = [
        w
        for w in name.split()
        if w not in ("GeForce", "Instinct") and not re.fullmatch(r"\d+GB", w, re.IGNORECASE)
    ]
    return " ".join(words[:4]) or spec.id


def points(chips: Sequence[tuple[ChipSpec, Metrics]], edition: Edition) -> list[Point]:
    found = [
        Point(spec, m.tpp, m.performance_density, decide(m, edition).label, short_name(spec))
        for spec, m in chips
    ]
    names = [p.name for p in found]
    return [
        p if names.count(p.name) == 1 else Point(p.spec, p.tpp, p.density, p.label, p.spec.id)
        for p in found
    ]


def arrows(found: Sequence[Point]) -> list[tuple[Point, Point]]:
    """(parent, variant) for every variant whose parent is among the plotted chips."""
    by_id = {p.spec.id: p for p in found}
    return [
        (by_id[p.spec.variant_of], p)
        for p in found
        if p.spec.variant_of is not None and p.spec.variant_of in by_id
    ]


def condition_words(condition: Condition) -> str:
    unit = " GB/s" if condition.metric.endswith("_gbs") else ""
    value = _number(condition.threshold)
    return f"{METRIC_WORDS[condition.metric]} {OPS[condition.op]} {value}{unit}"


def clause_words(clause: Clause) -> str:
    joiner = " or " if clause.match == "any" else " and "
    return joiner.join(condition_words(k) for k in clause.conditions)


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.4g}"


# --------------------------------------------------------------------------- drawing


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
    with plt.rc_context({"font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "chipclass"}):
        figure = plt.figure(figsize=(13, 9))
        try:
            _draw(figure, geometry, known, unknown, found, xlim, ylim)
            metadata = {"Software": None} if path.suffix.lower() == ".png" else {"Date": None}
            figure.savefig(path, dpi=dpi, metadata=metadata)
        finally:
            plt.close(figure)


def axis_range(
    values: Sequence[Fraction], lines_at: Sequence[Fraction]
) -> tuple[Fraction, Fraction]:
    every = [v for v in (*values, *lines_at) if v > 0] or [Fraction(1)]
    low, high = min(every), max(every)
    return _round_down(low / Fraction(3, 2)), _round_up(high * Fraction(3, 2))


def _round_down(value: Fraction) -> Fraction:
    step = Fraction(10) ** math.floor(math.log10(value))
    return max(Fraction(math.floor(value / step)) * step, step)


def _round_up(value: Fraction) -> Fraction:
    step = Fraction(10) ** math.floor(math.log10(value))
    return Fraction(math.ceil(value / step)) * step


def _draw(
    figure: Figure,
    geometry: Plane,
    known: Sequence[Point],
    unknown: Sequence[Point],
    found: Sequence[Point],
    xlim: tuple[Fraction, Fraction],
    ylim: tuple[Fraction, Fraction],
) -> None:
    rows = strip_rows(unknown, xlim, figure.get_figwidth() * figure.dpi)
    strip_rows_used = max(rows.values(), default=0) + 1
    count = max(3, strip_rows_used)
    grid = figure.add_gridspec(2, 1, height_ratios=(7.2, 0.38 * count), hspace=0.04)
    ax = figure.add_subplot(grid[0])
    strip = figure.add_subplot(grid[1], sharex=ax)
    bottom = 0.115 + 0.017 * len(footnotes(geometry))
    figure.subplots_adjust(left=0.07, right=0.985, top=0.90, bottom=bottom)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(float(xlim[0]), float(xlim[1]))
    ax.set_ylim(float(ylim[0]), float(ylim[1]))
    strip.set_ylim(0.2, count + 0.8)
    _style_axes(ax, strip)
    _shade(ax, strip, geometry)
    names = _draw_lines(ax, strip, geometry)
    positions = _markers(ax, strip, known, unknown, rows, count)
    avoid = [n.get_window_extent() for n in names]  # extents from the figure's Agg renderer
    _label_plane(ax, known, positions, avoid)
    _label_strip(strip, unknown, positions)
    _draw_arrows(figure, found, positions)
    _titles(figure, geometry, found)
    _legend(figure, geometry)


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
                hatch="/" if cell.group.off_plane else None,
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
                hatch="/" if cell.group.off_plane else None,
                zorder=0.5,
            )
        )


def short_clause(clause_id: str) -> str:
    return (
        clause_id.replace("3A090.", "")
        .replace("License Exceptions ", "")
        .replace("License Exception ", "")
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
                f"TPP {_number(line.value)}  ({who})",
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
            )
            texts.append(note)
        else:
            ax.axhline(value, color="#555555", linewidth=0.9, linestyle="--", zorder=1)
            note = ax.annotate(
                f"density {_number(line.value)}  ({who})",
                xy=(1, value),
                xycoords=("axes fraction", "data"),
                xytext=(-4, 3),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=8,
                color="#333333",
                zorder=6,
            )
            texts.append(note)
    return texts


#: where each chip's marker is drawn: (axes, x, y)
Positions = dict[str, tuple[Any, float, float]]


def strip_rows(
    unknown: Sequence[Point], xlim: tuple[Fraction, Fraction], width_px: float
) -> dict[str, int]:
    """A row of the density-unknown strip for each chip, so that no label runs into the
    next chip's marker or label in its row: chips by TPP, each in the first row whose last
    label ends before it (labels are estimated at 6.5 px a character, beside the marker)."""
    decades = math.log10(float(xlim[1]) / float(xlim[0]))
    per_px = decades / (width_px * 0.9)
    ends: list[float] = []  # per row: where its last label ends, in log10 TPP
    rows: dict[str, int] = {}
    for point in sorted(unknown, key=lambda p: (p.tpp, p.name)):
        x = math.log10(float(point.tpp))
        width = (len(point.name) * 6.5 + 20) * per_px
        row = next((n for n, end in enumerate(ends) if end < x), len(ends))
        if row == len(ends):
            ends.append(x + width)
        else:
            ends[row] = x + width
        rows[point.spec.id] = row
    return rows


def _markers(
    ax: Axes,
    strip: Axes,
    known: Sequence[Point],
    unknown: Sequence[Point],
    strip_row: dict[str, int],
    count: int,
) -> Positions:
    positions: Positions = {}
    for group in colocated(known):
        for index, point in enumerate(group):
            x = float(point.tpp) * spread(index, len(group))
            assert point.density is not None
            positions[point.spec.id] = (ax, x, float(point.density))
    for point in unknown:
        positions[point.spec.id] = (
            strip,
            float(point.tpp),
            float(count - strip_row[point.spec.id]),
        )
    for point in [*known, *unknown]:
        axes, x, y = positions[point.spec.id]
        indeterminate = point.label == INDETERMINATE
        axes.scatter(
            [x],
            [y],
            s=46,
            color="white" if indeterminate else COLOURS[point.label],
            edgecolors=COLOURS[point.label] if indeterminate else "#222222",
            linewidths=1.4 if indeterminate else 0.6,
            zorder=5,
        )
    return positions


def colocated(found: Sequence[Point]) -> list[list[Point]]:
    groups: dict[tuple[Fraction, Fraction | None], list[Point]] = {}
    for point in found:
        groups.setdefault((point.tpp, point.density), []).append(point)
    return list(groups.values())


def spread(index: int, count: int) -> float:
    """Side-by-side markers for chips at the same spot (a display device: 3 % of TPP apart)."""
    return 1.0 if count == 1 else 1.0 + 0.03 * (index - (count - 1) / 2)


def _label_plane(
    ax: Axes, known: Sequence[Point], positions: Positions, avoid: Sequence[Any]
) -> None:
    labeller = _Labeller(ax, positions, avoid)
    groups = sorted(colocated(known), key=lambda g: (-float(g[0].density or 0), float(g[0].tpp)))
    for group in groups:
        text = " / ".join(p.name for p in group)
        _, _, y = positions[group[0].spec.id]
        labeller.place(text, float(group[0].tpp), y, {p.spec.id for p in group})


def _label_strip(strip: Axes, unknown: Sequence[Point], positions: Positions) -> None:
    """One label per chip: the strip gives chips at the same TPP rows of their own."""
    labeller = _Labeller(strip, positions, (), rows_apart=True)
    spots = [(7, 0, "left", "center")]  # the rows leave room on the right
    for point in sorted(unknown, key=lambda p: (p.tpp, p.name)):
        _, x, y = positions[point.spec.id]
        labeller.place(point.name, x, y, {point.spec.id}, spots)


#: label positions around a marker, in points: (dx, dy, ha, va), nearest first
SPOTS: Final = [
    (7, 0, "left", "center"),
    (-7, 0, "right", "center"),
    (0, 7, "center", "bottom"),
    (0, -8, "center", "top"),
    (6, 6, "left", "bottom"),
    (6, -6, "left", "top"),
    (-6, 6, "right", "bottom"),
    (-6, -6, "right", "top"),
]
MARKER_HALF: Final = 6.0  # half the side of the box a label keeps clear of, in pixels


class _Labeller:
    """Greedy label placement: nearest spot first, scored by overlap, clipping, distance,
    and by whether another chip's marker would sit nearer the label than its own."""

    def __init__(
        self,
        axes: Axes,
        positions: Positions,
        avoid: Sequence[Any],
        rows_apart: bool = False,  # markers on separate rows: a label beside one is its own
    ) -> None:
        from matplotlib.transforms import Bbox

        self.axes = axes
        self.rows_apart = rows_apart
        self.frame = axes.get_window_extent()
        self.centers = {
            chip: tuple(axes.transData.transform((x, y)))
            for chip, (a, x, y) in positions.items()
            if a is axes
        }
        h = MARKER_HALF
        self.placed: list[Any] = [
            Bbox.from_extents(cx - h, cy - h, cx + h, cy + h) for cx, cy in self.centers.values()
        ]
        self.placed.extend(avoid)

    def place(
        self,
        text: str,
        x: float,
        y: float,
        own: set[str],
        spots: Sequence[tuple[int, int, str, str]] = SPOTS,
    ) -> None:
        best: tuple[float, Annotation] | None = None
        for reach in (1.0, 2.2, 3.6):
            for dx, dy, ha, va in spots:
                note = self._note(text, x, y, dx * reach, dy * reach, ha, va, reach > 1)
                score, clean = self._score(note, own, reach)
                if best is None or score < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (score, note)
                else:
                    note.remove()
                if clean:
                    break
            else:
                continue
            break
        assert best is not None
        self.placed.append(best[1].get_window_extent())

    def _note(
        self, text: str, x: float, y: float, dx: float, dy: float, ha: str, va: str, lead: bool
    ) -> Annotation:
        return self.axes.annotate(
            text,
            xy=(x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=8,
            zorder=7,
            annotation_clip=False,
            bbox={"boxstyle": "square,pad=0.08", "fc": "white", "ec": "none", "alpha": 0.55},
            arrowprops=(
                {"arrowstyle": "-", "color": "#555555", "linewidth": 0.6, "shrinkA": 0}
                if lead
                else None
            ),
        )

    def _score(self, note: Annotation, own: set[str], reach: float) -> tuple[float, bool]:
        box = note.get_window_extent()
        overlap = sum(_area(box, other) for other in self.placed)
        outside = box.width * box.height - _area(box, self.frame)
        mine = min(_gap(box, self.centers[c]) for c in own if c in self.centers)
        others = [_gap(box, xy) for c, xy in self.centers.items() if c not in own]
        # a leader line names its marker; without one, the nearest marker must be its own
        confusing = (
            not self.rows_apart and reach == 1 and bool(others) and min(others) < mine * 1.5 + 8
        )
        score = overlap + 4 * outside + (reach - 1) * 60 + (500 if confusing else 0)
        return score, overlap == 0 and outside <= 0 and not confusing


def _gap(box: Any, point: tuple[float, float]) -> float:
    """Distance in pixels from a point to a box (0 inside)."""
    px, py = point
    dx = max(box.x0 - px, 0.0, px - box.x1)
    dy = max(box.y0 - py, 0.0, py - box.y1)
    return math.hypot(dx, dy)


def _area(a: Any, b: Any) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width * height if width > 0 and height > 0 else 0.0


def _draw_arrows(figure: Figure, found: Sequence[Point], positions: Positions) -> None:
    from matplotlib.patches import ConnectionPatch

    for parent, variant in arrows(found):
        axes_a, xa, ya = positions[parent.spec.id]
        axes_b, xb, yb = positions[variant.spec.id]
        if axes_a is axes_b and (xa, ya) == (xb, yb):
            continue
        # within one axes the arrow stays under the labels; across axes it is the figure's
        arrow = ConnectionPatch(
            xyA=(xa, ya),
            coordsA=axes_a.transData,
            xyB=(xb, yb),
            coordsB=axes_b.transData,
            arrowstyle="-|>",
            mutation_scale=9,
            color="#4a6fa5",
            linewidth=0.8,
            alpha=0.75,
            shrinkA=5,
            shrinkB=5,
            connectionstyle="arc3,rad=0.12",
            zorder=4,
        )
        if axes_a is axes_b:
            axes_a.add_artist(arrow)
        else:
            figure.add_artist(arrow)


def subtitle(geometry: Plane) -> str:
    notes = ["colour: each chip's label under this edition, every clause counted"]
    if not geometry.values("performance_density"):
        notes.append("no density line in this edition")
    for group in geometry.groups:
        if group.off_plane:
            needs = " and ".join(condition_words(k) for k in group.off_plane)
            notes.append(f"{group.id} also needs {needs}: that decides inside the hatched region")
    return ";  ".join(notes)


def footnotes(geometry: Plane) -> list[str]:
    """What the colours count beyond the plane: exclusions, reliefs, bandwidth controls."""
    words: list[str] = []
    for clause in geometry.edition.evaluated:
        scope = "" if clause.scope == "all" else f"{clause.scope} parts, "
        targets = ", ".join(clause.targets)
        if clause.role == "exclusion":
            words.append(f"{clause.id} ({scope}{clause_words(clause)}) takes out {targets}")
        elif clause.role == "relief":
            words.append(
                f"{clause.id} ({scope}{clause_words(clause)}): {targets} at most {clause.label}"
            )
    words += [f"{c.id} ({clause_words(c)}) → {c.label}, not drawn" for c in geometry.off_plane]
    if not words:
        return []
    return textwrap.wrap("also counted in the colours: " + ";  ".join(words), width=190)


def _titles(figure: Figure, geometry: Plane, found: Sequence[Point]) -> None:
    edition = geometry.edition
    status = "" if edition.status == "published" else f", {edition.status.upper()} figures"
    figure.suptitle(
        f"3A090 chip map: {len(found)} chips under {edition.id} ({edition.citation}, effective"
        f" {edition.effective}{status})",
        x=0.07,
        ha="left",
        fontsize=13,
        fontweight="bold",
    )
    figure.text(0.07, 0.925, subtitle(geometry), fontsize=9.5, color="#333333")
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
        extra = (
            f" (with {' and '.join(condition_words(k) for k in group.off_plane)})"
            if group.off_plane
            else ""
        )
        handles.append(
            Patch(
                facecolor=SHADES.get(group.label, "#dddddd"),
                edgecolor=HATCH,
                linewidth=0,
                alpha=0.7,
                hatch="/" if group.off_plane else None,
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
