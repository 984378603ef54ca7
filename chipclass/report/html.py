"""The catalog as one self-contained web page (spec-format.md section 12).

The page is the catalog overview's model (chipclass.catalog.entries) rendered a second
way: every chip's data is the JSON object `classify --format json` writes for it
(`result_object`, the one adapter), beside what the page adds (display figures, the
tailoring margin, `us_available`, estimates, sources, map positions). The map's
geometry per edition comes from chipclass.plot (regions, threshold lines, the
density-unknown strip, parent -> variant arrows), worked out here for every edition
and embedded as data; the page's script only switches between editions and draws.

Everything a sheet supplies reaches the page inside one `<script type="application/json">`
block, with `<`, `>`, `&`, U+2028 and U+2029 escaped, and the script puts it on the page
with textContent only. The page loads nothing from the network.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from typing import Any, Final

from chipclass import __version__, plot
from chipclass.catalog import Entry
from chipclass.classify import Result
from chipclass.editions import Edition
from chipclass.numbers import show
from chipclass.report.catalog import tailoring_text
from chipclass.report.registry import Catalog
from chipclass.serialize import edition_dict, problem_dict
from chipclass.spec import Problem

#: labels from least to most severe, then indeterminate (the page's sort order)
LABEL_ORDER: Final = ("exportable", "license-required", "restricted", "indeterminate")

#: badge colours per label: (background, text, border). The text is always the label's
#: name; every pair of text on background has a WCAG contrast ratio of at least 4.5
#: (tests/test_html_report.py checks it), and the border carries the map's colour.
BADGES: Final = {
    "exportable": ("#d7f2e8", "#004d38", "#009E73"),
    "license-required": ("#fcebc4", "#5c3b00", "#E69F00"),
    "restricted": ("#f9d9ca", "#7a2a00", "#D55E00"),
    "indeterminate": ("#ebe6f5", "#3d2b70", "#8E7CC3"),
}

ASSETS: Final = ("catalog.css", "catalog.js")
_SAFE_URL: Final = re.compile(r"https?://[^\s]+", re.IGNORECASE)


# --------------------------------------------------------------------------- the adapter


def result_object(result: Result) -> dict[str, Any]:
    """The JSON object `chipclass classify --format json` writes for this result (the
    same serializer). The one place the page reads a result from."""
    return result.to_dict()


# --------------------------------------------------------------------------- the page


def render(
    entries: Sequence[Entry],
    editions: Sequence[Edition],
    problems: Sequence[Problem] = (),
    generated: dt.datetime | None = None,
) -> str:
    """The whole page, as text."""
    data = page_data(entries, editions, problems, generated or generation_time())
    css, js = (_asset(name) for name in ASSETS)
    return _SKELETON.format(
        css=css,
        js=js,
        data=script_json(data),
        badges=_badge_css(),
    )


def generation_time() -> dt.datetime:
    """Now, in UTC; or SOURCE_DATE_EPOCH where it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def script_json(data: Any) -> str:
    """JSON text that is safe inside a <script> element: no `<`, `>` or `&` (so nothing
    can close the element or open a comment), no U+2028/U+2029, nothing but ASCII.
    These characters only ever occur inside JSON strings, where the escapes mean the same."""
    text = json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def page_data(
    entries: Sequence[Entry],
    editions: Sequence[Edition],
    problems: Sequence[Problem],
    generated: dt.datetime,
) -> dict[str, Any]:
    """Everything the page shows, as plain data."""
    geometry = map_geometry(entries, editions)
    return {
        "chipclass": __version__,
        "generated": generated.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "labels": list(LABEL_ORDER),
        "words": {"metrics": dict(plot.METRIC_WORDS), "ops": dict(plot.OPS)},
        "editions": [_edition(e) for e in editions],
        "chips": [_chip(entry, geometry.positions) for entry in entries],
        "map": geometry.data,
        "errors": [problem_dict(p) for p in problems],
    }


def _edition(edition: Edition) -> dict[str, Any]:
    data = edition_dict(edition)
    data["summary"] = edition.summary
    data["link"] = _is_link(edition.url)
    return data


def _chip(entry: Entry, positions: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    result = entry.result
    spec, m = result.spec, result.metrics
    binding = entry.binding
    return {
        "result": result_object(result),
        "page": {
            "shown": {
                "tpp": show(m.tpp),
                "performance_density": show(m.performance_density, 2),
                "memory_bandwidth_gbs": show(m.memory_bandwidth_gbs),
                "io_bandwidth_gbs": show(m.io_bandwidth_gbs),
            },
            "us_available": _us_available(spec.us_available),
            "estimated": spec.estimated,
            "released": spec.released.isoformat() if spec.released else None,
            "notes": spec.notes,
            "parent_in_catalog": entry.parent is not None,
            "tailoring": None
            if binding is None
            else {
                "edition": binding.edition.id,
                "text": tailoring_text(entry),
                "change_pct": None
                if binding.nearest_stricter is None
                else float(binding.nearest_stricter.change_pct),
            },
            "sources": [
                {"url": s.url, "note": s.note, "link": _is_link(s.url)} for s in spec.sources
            ],
            "map": positions.get(spec.id),
        },
    }


def _us_available(value: dt.date | bool | None) -> str | bool | None:
    """A date as YYYY-MM-DD, False (never sold in the United States), or None (unknown)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return False if value is False else None


def _is_link(url: str) -> bool:
    """Only an http(s) URL becomes a link; anything else is shown as text."""
    return bool(_SAFE_URL.fullmatch(url))


def _asset(name: str) -> str:
    text = resources.files("chipclass.report").joinpath("assets", name).read_text("utf-8")
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower() or "<!--" in text:
        raise ValueError(f"chipclass/report/assets/{name} would end its element early")
    return text


def _badge_css() -> str:
    return "\n".join(
        f".badge.{label} {{ background: {bg}; color: {fg}; border-color: {border}; }}"
        for label, (bg, fg, border) in BADGES.items()
    )


_SKELETON: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>The chipclass catalog</title>
<style>
{css}
{badges}
</style>
</head>
<body>
<header>
<h1>The chipclass catalog</h1>
<p id="summary"></p>
<noscript><p class="warning">This page draws its table and map with JavaScript; the same
figures are in specs/README.md and in <code>chipclass classify --format json</code>.</p>
</noscript>
<div class="controls" role="group" aria-label="Edition">
<label for="edition">Edition</label> <select id="edition"></select>
<span id="edition-note"></span>
</div>
</header>
<main>
<section id="map-section" aria-labelledby="map-title">
<h2 id="map-title">The 3A090 map</h2>
<p id="map-subtitle" class="note"></p>
<div class="map-body">
<div id="map"></div>
<div class="map-side">
<div id="legend" class="legend"></div>
<p id="map-footnotes" class="note"></p>
</div>
</div>
</section>
<section id="table-section" aria-labelledby="table-title">
<h2 id="table-title">Every chip</h2>
<div class="controls filters" role="search">
<label for="search">Name</label> <input id="search" type="search" placeholder="e.g. H20">
<label for="vendor">Vendor</label> <select id="vendor"></select>
<label for="label">Label</label> <select id="label"></select>
<label><input id="all-columns" type="checkbox" checked> a column per edition</label>
<span id="count" aria-live="polite"></span>
</div>
<div class="scroll"><table id="chips"><thead></thead><tbody></tbody></table></div>
<p class="note">Figures in the table are rounded for display; every comparison is made
exactly. <q>?</q> is unknown, never zero. Click a chip for its thresholds, margins and
sources. The tailoring margin of a variant is its nearest stricter label change under the
edition in force when it was released.</p>
</section>
<section id="editions-section" aria-labelledby="editions-title">
<h2 id="editions-title">Rule editions</h2>
<div class="scroll"><table id="editions"><thead></thead><tbody></tbody></table></div>
</section>
<section id="errors-section" hidden>
<h2>Sheets that could not be read</h2>
<ul id="errors"></ul>
</section>
</main>
<footer><p id="generated"></p></footer>
<div id="tooltip" role="tooltip" hidden></div>
<pre id="self-test" hidden></pre>
<script type="application/json" id="catalog-data">{data}</script>
<script>
{js}
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- the map

#: the drawing's frame, in SVG user units
WIDTH: Final = 1000
LEFT: Final = 64
RIGHT: Final = 16
TOP: Final = 12
PLANE_HEIGHT: Final = 470
GAP: Final = 12
STRIP_HEIGHT: Final = 84
BOTTOM: Final = 40
STRIP_ROWS: Final = 3
CHAR_WIDTH: Final = 5.6  # an 10-unit sans-serif character, roughly, for label placement
LABEL_HEIGHT: Final = 11.0
MARKER: Final = 5.0


@dataclass(frozen=True)
class _Frame:
    """Log-scale mapping of TPP and density onto the drawing (display only: floats)."""

    xlim: tuple[Fraction, Fraction]
    ylim: tuple[Fraction, Fraction]

    @property
    def height(self) -> int:
        return TOP + PLANE_HEIGHT + GAP + STRIP_HEIGHT + BOTTOM

    @property
    def strip_top(self) -> int:
        return TOP + PLANE_HEIGHT + GAP

    def x(self, tpp: Fraction | float) -> float:
        low, high = (math.log10(v) for v in self.xlim)
        return LEFT + (math.log10(tpp) - low) / (high - low) * (WIDTH - LEFT - RIGHT)

    def y(self, density: Fraction | float) -> float:
        low, high = (math.log10(v) for v in self.ylim)
        return TOP + PLANE_HEIGHT - (math.log10(density) - low) / (high - low) * PLANE_HEIGHT

    def strip_y(self, row: int) -> float:
        """Row 1 at the bottom of the strip, STRIP_ROWS at the top."""
        step = STRIP_HEIGHT / (STRIP_ROWS + 1)
        return self.strip_top + STRIP_HEIGHT - step * row


@dataclass(frozen=True)
class _Geometry:
    data: dict[str, Any]
    positions: dict[str, dict[str, Any]]


def map_geometry(entries: Sequence[Entry], editions: Sequence[Edition]) -> _Geometry:
    """Every edition's regions, lines and notes, and each chip's place on the map."""
    chips = [(e.result.spec, e.result.metrics) for e in entries]
    if not chips or not editions:
        return _Geometry({"editions": {}}, {})
    every_line = [ln for ed in editions for ln in plot.lines(ed)]
    tpps = [m.tpp for _, m in chips]
    densities = [d for _, m in chips if (d := m.performance_density) is not None]
    frame = _Frame(
        plot.axis_range(tpps, [ln.value for ln in every_line if ln.metric == "tpp"]),
        plot.axis_range(densities, [ln.value for ln in every_line if ln.metric != "tpp"]),
    )
    found = plot.points(chips, editions[-1])  # names and positions: the same in every edition
    positions = _positions(frame, found)
    arrows = [
        {"from": parent.spec.id, "to": variant.spec.id, "path": _arrow(positions, parent, variant)}
        for parent, variant in plot.arrows(found)
        if _arrow(positions, parent, variant)
    ]
    data = {
        "width": WIDTH,
        "height": frame.height,
        "plane": {"x": LEFT, "y": TOP, "w": WIDTH - LEFT - RIGHT, "h": PLANE_HEIGHT},
        "strip": {"x": LEFT, "y": frame.strip_top, "w": WIDTH - LEFT - RIGHT, "h": STRIP_HEIGHT},
        "xticks": _ticks(frame.xlim, frame.x),
        "yticks": _ticks(frame.ylim, frame.y),
        "shades": dict(plot.SHADES),
        "colours": dict(plot.COLOURS),
        "arrows": arrows,
        "editions": {ed.id: _edition_map(frame, ed) for ed in editions},
    }
    return _Geometry(data, positions)


def _edition_map(frame: _Frame, edition: Edition) -> dict[str, Any]:
    geometry = plot.plane(edition, frame.xlim, frame.ylim)
    cells = []
    for cell in geometry.cells:
        assert cell.y0 is not None and cell.y1 is not None
        x0, x1 = frame.x(cell.x0), frame.x(cell.x1)
        top, bottom = frame.y(cell.y1), frame.y(cell.y0)
        cells.append(_cell(cell.group, x0, top, x1 - x0, bottom - top))
    strip = [
        _cell(
            cell.group,
            frame.x(cell.x0),
            frame.strip_top,
            frame.x(cell.x1) - frame.x(cell.x0),
            STRIP_HEIGHT,
        )
        for cell in geometry.strip
    ]
    lines = []
    for line in geometry.lines:
        who = ", ".join(plot.short_clause(c) for c in line.clauses)  # as plot names them
        if line.metric == "tpp":
            if not frame.xlim[0] < line.value < frame.xlim[1]:
                continue
            lines.append(
                {
                    "axis": "x",
                    "at": _r(frame.x(line.value)),
                    "text": f"TPP {_n(line.value)}",
                    "clauses": who,
                }
            )
        else:
            if not frame.ylim[0] < line.value < frame.ylim[1]:
                continue
            lines.append(
                {
                    "axis": "y",
                    "at": _r(frame.y(line.value)),
                    "text": f"density {_n(line.value)}",
                    "clauses": who,
                }
            )
    legend = [
        {
            "group": group.id,
            "label": group.label,
            "hatch": bool(group.off_plane),
            "needs": " and ".join(plot.condition_words(k) for k in group.off_plane),
        }
        for group in geometry.groups
    ]
    return {
        "cells": cells,
        "strip": strip,
        "lines": lines,
        "legend": legend,
        "subtitle": plot.subtitle(geometry),
        "footnotes": _unwrap(plot.footnotes(geometry)),
    }


def _unwrap(lines: Sequence[str]) -> str:
    """plot.footnotes' lines (wrapped for the image, breaking after hyphens too) as one
    paragraph: a line that ends in a word's hyphen runs on without a space."""
    text = ""
    for line in lines:
        joiner = "" if not text or re.search(r"\w-$", text) else " "
        text += joiner + line
    return text


def _cell(group: plot.Group, x: float, y: float, w: float, h: float) -> dict[str, Any]:
    return {
        "x": _r(x),
        "y": _r(y),
        "w": _r(w),
        "h": _r(h),
        "label": group.label,
        "group": group.id,
        "hatch": bool(group.off_plane),
    }


def _positions(frame: _Frame, found: Sequence[plot.Point]) -> dict[str, dict[str, Any]]:
    """Each chip's marker and name on the map: chips at one spot side by side (as plot
    draws them), chips of unknown density in rows of the strip."""
    places: dict[str, dict[str, Any]] = {}
    known = [p for p in found if p.density is not None]
    for group in plot.colocated(known):
        for index, point in enumerate(group):
            assert point.density is not None
            x = frame.x(float(point.tpp) * plot.spread(index, len(group)))
            places[point.spec.id] = {"x": x, "y": frame.y(point.density), "strip": False}
    unknown = sorted((p for p in found if p.density is None), key=lambda p: (p.tpp, p.name))
    for index, point in enumerate(unknown):
        row = STRIP_ROWS - index % STRIP_ROWS
        places[point.spec.id] = {"x": frame.x(point.tpp), "y": frame.strip_y(row), "strip": True}
    _place_names(places, found)
    for place in places.values():
        for key in ("x", "y", "tx", "ty"):
            place[key] = _r(place[key])
    return places


#: where a name may sit beside its marker: (dx, dy, anchor), nearest first; the text's
#: baseline is dy below the marker's centre
_SPOTS: Final = (
    (8, 3.5, "start"),
    (-8, 3.5, "end"),
    (0, -8, "middle"),
    (0, 15, "middle"),
    (7, -6, "start"),
    (7, 13, "start"),
    (-7, -6, "end"),
    (-7, 13, "end"),
)
#: how far out a name may go (a leader line joins it to its marker beyond the first)
_REACH: Final = (1.0, 2.2, 3.6)

_Box = tuple[float, float, float, float]


def _place_names(places: dict[str, dict[str, Any]], found: Sequence[plot.Point]) -> None:
    """Greedy, as plot's labeller: each name at the nearest spot that overlaps no marker
    or name placed so far and stays inside the frame; else the least bad spot."""
    boxes: list[_Box] = [
        (p["x"] - MARKER, p["y"] - MARKER, p["x"] + MARKER, p["y"] + MARKER)
        for p in places.values()
    ]
    order = sorted(found, key=lambda p: (places[p.spec.id]["strip"], p.tpp))
    for point in order:
        place = places[point.spec.id]
        name = point.name + (" (estimate)" if point.spec.estimated else "")
        spots = _SPOTS[:2] if place["strip"] else _SPOTS
        best: tuple[float, _Box, float, float, str, float] | None = None
        for reach in _REACH:
            for rank, (dx, dy, anchor) in enumerate(spots):
                ox, oy = dx * reach, dy if reach == 1 else dy * reach
                box = _name_box(place["x"] + ox, place["y"] + oy, anchor, len(name))
                outside = max(0.0, LEFT - box[0]) + max(0.0, box[2] - (WIDTH - RIGHT))
                overlap = sum(_overlap(box, other) for other in boxes)
                score = overlap + 40 * outside + (reach - 1) * 60 + rank
                if best is None or score < best[0]:
                    best = (score, box, ox, oy, anchor, reach)
            if best is not None and best[0] < 60 * (reach - 1) + len(spots):
                break  # a clean spot at this reach
        assert best is not None
        _, box, ox, oy, anchor, reach = best
        boxes.append(box)
        place.update(tx=place["x"] + ox, ty=place["y"] + oy, anchor=anchor, name=name)
        place["leader"] = _leader(place["x"], place["y"], box) if reach > 1 else None


def _name_box(tx: float, ty: float, anchor: str, characters: int) -> _Box:
    width = characters * CHAR_WIDTH
    left = tx if anchor == "start" else tx - width if anchor == "end" else tx - width / 2
    return (left, ty - LABEL_HEIGHT + 2, left + width, ty + 2)


def _leader(x: float, y: float, box: _Box) -> list[float]:
    """A line from the marker's edge to the nearest point of its name's box."""
    nx = min(max(x, box[0]), box[2])
    ny = min(max(y, box[1]), box[3])
    length = math.hypot(nx - x, ny - y) or 1.0
    sx, sy = x + (nx - x) / length * MARKER, y + (ny - y) / length * MARKER
    return [_r(sx), _r(sy), _r(nx), _r(ny)]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _arrow(
    positions: Mapping[str, Mapping[str, Any]], parent: plot.Point, variant: plot.Point
) -> str:
    """A gently curved path from the parent's marker to the variant's, stopping short of
    both (empty where the two sit at the same spot)."""
    a, b = positions[parent.spec.id], positions[variant.spec.id]
    x1, y1, x2, y2 = a["x"], a["y"], b["x"], b["y"]
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 2 * MARKER + 2:
        return ""
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    sx, sy = x1 + ux * (MARKER + 2), y1 + uy * (MARKER + 2)
    ex, ey = x2 - ux * (MARKER + 3), y2 - uy * (MARKER + 3)
    bend = 0.12 * length
    cx, cy = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
    return f"M{_r(sx)} {_r(sy)} Q{_r(cx)} {_r(cy)} {_r(ex)} {_r(ey)}"


def _ticks(limits: tuple[Fraction, Fraction], place: Any) -> list[dict[str, Any]]:
    """1, 2 and 5 times the powers of ten inside the range."""
    low, high = limits
    ticks = []
    power = Fraction(10) ** math.floor(math.log10(low))
    while power <= high:
        for step in (1, 2, 5):
            value = power * step
            if low <= value <= high:
                ticks.append({"at": _r(place(value)), "text": _n(value)})
        power *= 10
    return ticks


def _n(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.4g}"


def _r(value: float) -> float:
    return round(value, 1)


def html_report(catalog: Catalog) -> str:
    """`report --format html`: the whole page."""
    return render(catalog.entries, catalog.editions, catalog.problems)
