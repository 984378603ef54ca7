"""The catalog as one self-contained web page (spec-format.md section 12).

The page is the catalog overview's model (chipclass.catalog.entries) rendered a second
way: every chip's data is the JSON object `classify --format json` writes for it
(`result_object`, the one adapter), beside what the page adds (display figures, the
tailoring margin, `us_available`, estimates, sources, map positions). The map's
geometry per edition comes from chipclass.plot.geometry (regions, threshold lines, the
density-unknown strip and its rows, parent -> variant arrows) and the chips' names are
placed by chipclass.plot.layout, as on `chipclass plot`'s image, worked out here for
every edition and embedded as data; the page's script only switches between editions
and draws.

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

from chipclass import __version__, words
from chipclass.catalog import Entry
from chipclass.classify import Result
from chipclass.editions import Edition
from chipclass.numbers import show
from chipclass.plot import geometry, layout
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
    drawn = map_geometry(entries, editions)
    return {
        "chipclass": __version__,
        "generated": generated.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "labels": list(LABEL_ORDER),
        "words": {"metrics": dict(words.METRIC_WORDS), "ops": dict(words.OPS)},
        "editions": [_edition(e) for e in editions],
        "chips": [_chip(entry, drawn.positions) for entry in entries],
        "map": drawn.data,
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
ROW_HEIGHT: Final = 21  # a row of the density-unknown strip
MIN_ROWS: Final = 3
BOTTOM: Final = 40
FONT: Final = 10.0  # the names' font size (catalog.css: #map .point .name)
LINE_FONT: Final = 9.5  # the threshold names' (#map .line-name)
LABEL_HEIGHT: Final = 13.0  # a name's box: the font's line and its white halo
BASELINE: Final = 9.5  # from a name box's top to its text's baseline
MARKER: Final = 6.0  # the markers' half size (catalog.js SHAPES: a diamond reaches 6)

#: a character's advance, in em, for a sans-serif font no narrower than DejaVu Sans
#: (the widest of the usual system-ui fonts): the boxes err on the wide side
_NARROW: Final = frozenset("ijlI.,:;'!|")
_THIN: Final = frozenset("frt()[]-/ ")
_WIDE: Final = frozenset("mwMW@%")


def text_width(text: str, size: float = FONT) -> float:
    """An upper estimate of a text's width in SVG units at `size` (the page cannot measure
    before the browser draws, and the placement works here)."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.32
        elif char in _THIN:
            em += 0.42
        elif char in _WIDE:
            em += 0.98
        elif char.isupper():
            em += 0.76
        else:
            em += 0.64
    return em * size + 2.5  # the halo (stroke 2.5) on both ends


@dataclass(frozen=True)
class _Frame:
    """Log-scale mapping of TPP and density onto the drawing (display only: floats)."""

    xlim: tuple[Fraction, Fraction]
    ylim: tuple[Fraction, Fraction]
    rows: int = MIN_ROWS  # the strip's rows

    @property
    def strip_height(self) -> int:
        return ROW_HEIGHT * (self.rows + 1)

    @property
    def height(self) -> int:
        return TOP + PLANE_HEIGHT + GAP + self.strip_height + BOTTOM

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
        """Row 0 at the top of the strip."""
        return self.strip_top + ROW_HEIGHT * (row + 1)

    @property
    def plane_box(self) -> layout.Box:
        return (LEFT, TOP, WIDTH - RIGHT, TOP + PLANE_HEIGHT)

    @property
    def strip_box(self) -> layout.Box:
        return (LEFT, self.strip_top, WIDTH - RIGHT, self.strip_top + self.strip_height)


@dataclass(frozen=True)
class _Geometry:
    data: dict[str, Any]
    positions: dict[str, dict[str, Any]]


def _display_name(point: geometry.Point) -> str:
    return point.name + (" (estimate)" if point.spec.estimated else "")


def map_geometry(entries: Sequence[Entry], editions: Sequence[Edition]) -> _Geometry:
    """Every edition's regions, lines and notes, and each chip's place on the map."""
    chips = [(e.result.spec, e.result.metrics) for e in entries]
    if not chips or not editions:
        return _Geometry({"editions": {}}, {})
    every_line = [ln for ed in editions for ln in geometry.lines(ed)]
    tpps = [m.tpp for _, m in chips]
    densities = [d for _, m in chips if (d := m.performance_density) is not None]
    xlim = geometry.axis_range(tpps, [ln.value for ln in every_line if ln.metric == "tpp"])
    ylim = geometry.axis_range(densities, [ln.value for ln in every_line if ln.metric != "tpp"])
    found = geometry.points(chips, editions[-1])  # names and positions: alike in every edition
    rows = geometry.strip_rows(
        [p for p in found if p.density is None],
        xlim,
        WIDTH - LEFT - RIGHT,
        lambda p: text_width(_display_name(p)) + 2 * MARKER + 12,
    )
    frame = _Frame(xlim, ylim, max(MIN_ROWS, max(rows.values(), default=0) + 1))
    maps = {ed.id: _edition_map(frame, ed) for ed in editions}
    positions = _positions(frame, found, rows)
    curves = {
        (parent.spec.id, variant.spec.id): _curve(positions, parent, variant)
        for parent, variant in geometry.arrows(found)
    }
    arrows = [
        {"from": a, "to": b, "path": _path(shape)} for (a, b), shape in curves.items() if shape
    ]
    fixed = [box for m in maps.values() for box in _line_name_boxes(frame, m["lines"])]
    fixed.append(_strip_title_box(frame))
    _place_names(frame, positions, found, fixed, [layout.sample(c) for c in curves.values()])
    for place in positions.values():
        for key in ("x", "y", "tx", "ty"):
            place[key] = _r(place[key])
    data = {
        "width": WIDTH,
        "height": frame.height,
        "plane": {"x": LEFT, "y": TOP, "w": WIDTH - LEFT - RIGHT, "h": PLANE_HEIGHT},
        "strip": {
            "x": LEFT,
            "y": frame.strip_top,
            "w": WIDTH - LEFT - RIGHT,
            "h": frame.strip_height,
        },
        "xticks": _ticks(frame.xlim, frame.x),
        "yticks": _ticks(frame.ylim, frame.y),
        "shades": dict(geometry.SHADES),
        "colours": dict(geometry.COLOURS),
        "arrows": arrows,
        "editions": maps,
    }
    return _Geometry(data, positions)


def _edition_map(frame: _Frame, edition: Edition) -> dict[str, Any]:
    plane = geometry.plane(edition, frame.xlim, frame.ylim)
    cells = []
    for cell in plane.cells:
        assert cell.y0 is not None and cell.y1 is not None
        x0, x1 = frame.x(cell.x0), frame.x(cell.x1)
        top, bottom = frame.y(cell.y1), frame.y(cell.y0)
        cells.append(_cell(cell, x0, top, x1 - x0, bottom - top))
    strip = [
        _cell(
            cell,
            frame.x(cell.x0),
            frame.strip_top,
            frame.x(cell.x1) - frame.x(cell.x0),
            frame.strip_height,
        )
        for cell in plane.strip
    ]
    lines = []
    for line in plane.lines:
        who = ", ".join(geometry.short_clause(c) for c in line.clauses)  # as plot names them
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
            "hatch": group.conditional,
            "needs": "; ".join(group.needs),
        }
        for group in plane.groups
    ]
    return {
        "cells": cells,
        "strip": strip,
        "lines": lines,
        "legend": legend,
        "subtitle": geometry.subtitle(plane),
        "footnotes": _unwrap(geometry.footnotes(plane)),
    }


def _line_name_boxes(frame: _Frame, lines: Sequence[Mapping[str, Any]]) -> list[layout.Box]:
    """Where catalog.js writes each threshold's name: up a TPP line from the plane's top
    (rotated), or along a density line at the plane's right."""
    boxes: list[layout.Box] = []
    for line in lines:
        width = text_width(f"{line['text']} ({line['clauses']})", LINE_FONT)
        if line["axis"] == "x":
            x = line["at"] - 3
            boxes.append((x - 9, TOP + 4, x + 3, TOP + 4 + width))
        else:
            right, y = WIDTH - RIGHT - 4, line["at"] - 3
            boxes.append((right - width, y - 9, right, y + 3))
    return boxes


def _strip_title_box(frame: _Frame) -> layout.Box:
    """catalog.js's "density unknown", at the strip's top left."""
    return (LEFT, frame.strip_top, LEFT + 4 + text_width("density unknown"), frame.strip_top + 14)


def _unwrap(lines: Sequence[str]) -> str:
    """plot.footnotes' lines (wrapped for the image, breaking after hyphens too) as one
    paragraph: a line that ends in a word's hyphen runs on without a space."""
    text = ""
    for line in lines:
        joiner = "" if not text or re.search(r"\w-$", text) else " "
        text += joiner + line
    return text


def _cell(cell: geometry.Cell, x: float, y: float, w: float, h: float) -> dict[str, Any]:
    return {
        "x": _r(x),
        "y": _r(y),
        "w": _r(w),
        "h": _r(h),
        "label": cell.group.label,
        "group": cell.group.id,
        "hatch": cell.hatched,
    }


def _positions(
    frame: _Frame, found: Sequence[geometry.Point], rows: Mapping[str, int]
) -> dict[str, dict[str, Any]]:
    """Each chip's marker on the map: chips at one spot side by side (as plot draws
    them), chips of unknown density in the strip's rows (as plot gives them rows)."""
    places: dict[str, dict[str, Any]] = {}
    known = [p for p in found if p.density is not None]
    for group in geometry.colocated(known):
        for index, point in enumerate(group):
            assert point.density is not None
            x = frame.x(float(point.tpp) * geometry.spread(index, len(group)))
            places[point.spec.id] = {"x": x, "y": frame.y(point.density), "strip": False}
    for point in found:
        if point.density is None:
            y = frame.strip_y(rows[point.spec.id])
            places[point.spec.id] = {"x": frame.x(point.tpp), "y": y, "strip": True}
    return places


def _place_names(
    frame: _Frame,
    places: dict[str, dict[str, Any]],
    found: Sequence[geometry.Point],
    fixed: Sequence[layout.Box],
    paths: Sequence[Sequence[layout.XY]],
) -> None:
    """Each chip's name placed by plot's placement maths (chipclass.plot.layout): beside
    its marker, or in free space with a leader; clear of every marker, name, threshold
    name and arrow. The strip's names are placed first (their rows leave them room)."""
    markers = [layout.Marker(key, p["x"], p["y"], MARKER) for key, p in places.items()]
    labels = []
    for point in found:
        place = places[point.spec.id]
        name = _display_name(point)
        place["name"] = name
        labels.append(
            layout.Label(
                point.spec.id,
                (point.spec.id,),
                text_width(name),
                LABEL_HEIGHT,
                frame.strip_box if place["strip"] else frame.plane_box,
                first=place["strip"],
            )
        )
    spacing = layout.Spacing(gap=1.5, beside=3.0, step=9.0, doubt=7.0)
    for key, spot in layout.place(labels, markers, fixed, paths, spacing).items():
        x0, y0, _, _ = spot.box
        place = places[key]
        place.update(tx=x0 + 1.25, ty=y0 + BASELINE, anchor="start")
        place["leader"] = None if spot.leader is None else [_r(v) for v in spot.leader]


def _curve(
    positions: Mapping[str, Mapping[str, Any]],
    parent: geometry.Point,
    variant: geometry.Point,
) -> tuple[layout.XY, ...]:
    """A gently curved arrow from the parent's marker to the variant's, stopping short of
    both (none where the two sit at the same spot): plot's curve, bent the same way on
    the page's downward y axis."""
    a, b = positions[parent.spec.id], positions[variant.spec.id]
    return layout.curve((a["x"], a["y"]), (b["x"], b["y"]), -0.12, MARKER + 2, MARKER + 3)


def _path(shape: Sequence[layout.XY]) -> str:
    (sx, sy), (cx, cy), (ex, ey) = shape
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
