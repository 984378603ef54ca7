"""`chipclass plot`: chips on the TPP x performance-density plane under one edition.

chipclass.plot.geometry works out what the map shows (pure, exact: which clauses bound
which region, the chips as points, the arrows); chipclass.plot.layout where each name
goes (pure arithmetic); chipclass.plot.drawing draws it with matplotlib, an optional
extra (`pip install 'chipclass[plot]'`) imported only when a map is drawn. The names
below are the package's public interface.
"""

from __future__ import annotations

from chipclass.plot.drawing import (
    FORMATS,
    GIDS,
    MISSING,
    PlotUnavailable,
    draw,
    render,
    require_matplotlib,
)
from chipclass.plot.geometry import (
    COLOURS,
    HATCH,
    PLANE,
    SHADES,
    Cell,
    Group,
    Line,
    Plane,
    Point,
    arrows,
    axis_range,
    clause_words,
    colocated,
    condition_words,
    footnotes,
    group_id,
    group_text,
    groups,
    lines,
    plane,
    points,
    short_clause,
    short_name,
    spread,
    strip_rows,
    subtitle,
    title,
)

__all__ = [
    "COLOURS",
    "FORMATS",
    "GIDS",
    "HATCH",
    "MISSING",
    "PLANE",
    "SHADES",
    "Cell",
    "Group",
    "Line",
    "Plane",
    "PlotUnavailable",
    "Point",
    "arrows",
    "axis_range",
    "clause_words",
    "colocated",
    "condition_words",
    "draw",
    "footnotes",
    "group_id",
    "group_text",
    "groups",
    "lines",
    "plane",
    "points",
    "render",
    "require_matplotlib",
    "short_clause",
    "short_name",
    "spread",
    "strip_rows",
    "subtitle",
    "title",
]
