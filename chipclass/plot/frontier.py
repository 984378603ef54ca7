"""The two-knob frontier drawn (needs matplotlib): the target region shaded, the frontier's
points and segments, today's part marked. Axes are the knobs' changes in percent."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Final

from chipclass.frontier import Frontier, region
from chipclass.plot import COLOURS, FORMATS, require_matplotlib
from chipclass.spec import ChipSpec
from chipclass.words import knob_name

SHADE: Final = "#CDEBD9"


def _pct(factor: Fraction) -> float:
    return float((factor - 1) * 100)


def _words(text: str) -> str:
    """Sheet text as plain words for matplotlib: no mathtext, no control characters."""
    return "".join(c if c.isprintable() else " " for c in text).replace("$", r"\$")


def _limits(values: list[float]) -> tuple[float, float]:
    lo, hi = min([0.0, *values]), max([0.0, *values])
    pad = max(10.0, 0.2 * (hi - lo))
    return max(-100.0, lo - pad), hi + pad


def render(spec: ChipSpec, result: Frontier, path: Path, dpi: int = 110) -> None:
    """Draw the frontier of exactly two moving knobs to a .png or .svg file."""
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"{path}: the file must end in {' or '.join(FORMATS)}")
    if len(result.knobs) != 2:
        raise ValueError("the frontier is drawn for two knobs that can move")
    require_matplotlib()
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    kx, ky = result.knobs
    cells = region(result.metrics, result.editions, result.target, (kx, ky))
    xs = [_pct(p.factors[kx]) for p in result.points]
    ys = [_pct(p.factors[ky]) for p in result.points]
    with plt.rc_context({"font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "chipclass"}):
        figure, ax = plt.subplots(figsize=(8, 6.5))
        try:
            for cell in cells:
                corners = [(_pct(x), _pct(y)) for x, y in cell]
                ax.add_patch(
                    Polygon(corners, closed=True, facecolor=SHADE, edgecolor=SHADE, linewidth=0.8)
                )
            for piece in result.pieces:
                if piece.kind == "segment":
                    ends = [result.points[n] for n in piece.points]
                    ax.plot(
                        [_pct(p.factors[kx]) for p in ends],
                        [_pct(p.factors[ky]) for p in ends],
                        color=COLOURS["exportable"],
                        linewidth=2,
                    )
            for n, point in enumerate(result.points):
                colour = COLOURS.get(point.label, "black")
                ax.plot(
                    xs[n],
                    ys[n],
                    marker="o",
                    markersize=7,
                    markerfacecolor="white" if point.strict else colour,
                    markeredgecolor=colour,
                    linestyle="none",
                )
                ax.annotate(
                    f"#{n + 1}",
                    (xs[n], ys[n]),
                    textcoords="offset points",
                    xytext=(6, 6),
                    parse_math=False,
                )
            ax.plot(0, 0, marker="*", markersize=14, color="black", linestyle="none")
            ax.annotate(
                "today", (0, 0), textcoords="offset points", xytext=(8, -12), parse_math=False
            )
            ax.set_xlim(*_limits(xs))
            ax.set_ylim(*_limits(ys))
            ax.axhline(0, color="#999999", linewidth=0.6)
            ax.axvline(0, color="#999999", linewidth=0.6)
            ax.set_xlabel(f"{knob_name(kx)} change, %")
            ax.set_ylabel(f"{knob_name(ky)} change, %")
            editions = ", ".join(e.id for e in result.editions)
            estimate = " (estimate)" if spec.estimated else ""
            ax.set_title(
                _words(f"{spec.name}{estimate}: to {result.target} under {editions}"),
                parse_math=False,
            )
            ax.text(
                0.01,
                0.01,
                "shaded: the target region (other knobs held); hollow: the part must pass"
                " beyond the point",
                transform=ax.transAxes,
                fontsize=7,
                color="#555555",
                parse_math=False,
            )
            metadata = {"Software": None} if path.suffix.lower() == ".png" else {"Date": None}
            figure.savefig(path, dpi=dpi, metadata=metadata)
        finally:
            plt.close(figure)
