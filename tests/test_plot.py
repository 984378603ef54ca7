"""`chipclass plot`: the plane's geometry read from the edition, and the image written."""

from __future__ import annotations

import itertools
import math
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from chipclass import plot
from chipclass.editions import Clause, Edition, all_editions, by_id
from chipclass.files import load_all
from chipclass.metrics import compute
from chipclass.plot import layout

XLIM = (Fraction(100), Fraction(100000))
YLIM = (Fraction(1, 2), Fraction(50))


def _thresholds(edition: Edition, metric: str) -> set[Fraction]:
    """Independently of plot.py: every threshold on `metric` in the edition's clauses."""
    return {
        k.threshold
        for clause in edition.clauses
        if clause.role != "out-of-scope"
        for k in clause.conditions
        if k.metric == metric
    }


def _group_at(edition: Edition, tpp: str, density: str | None) -> str | None:
    """The shaded group at a point of the plane (or of the density-unknown strip)."""
    x = Fraction(tpp)
    geometry = plot.plane(edition, XLIM, YLIM)
    if density is None:
        hits = [c for c in geometry.strip if c.x0 < x < c.x1]
    else:
        y = Fraction(density)
        hits = [
            c
            for c in geometry.cells
            if c.x0 < x < c.x1 and c.y0 is not None and c.y1 is not None and c.y0 < y < c.y1
        ]
    assert len(hits) <= 1
    return hits[0].group.id if hits else None


# --------------------------------------------------------------------------- geometry


@pytest.mark.parametrize("edition_id", ["us-2022-10", "us-2023-10", "us-2025-04", "us-2026-01"])
def test_lines_are_read_from_the_edition(edition_id: str) -> None:
    edition = by_id(edition_id)
    lines = plot.lines(edition)
    tpp = {ln.value for ln in lines if ln.metric == "tpp"}
    density = {ln.value for ln in lines if ln.metric == "performance_density"}
    assert tpp == _thresholds(edition, "tpp")
    assert density == _thresholds(edition, "performance_density")
    assert {ln.metric for ln in lines} <= {"tpp", "performance_density"}


def test_2023_lines_by_hand() -> None:
    lines = plot.lines(by_id("us-2023-10"))
    assert [ln.value for ln in lines if ln.metric == "tpp"] == [1600, 2400, 4800]
    assert [ln.value for ln in lines if ln.metric == "performance_density"] == [
        Fraction("1.6"),
        Fraction("3.2"),
        Fraction("5.92"),
    ]
    at_4800 = next(ln for ln in lines if ln.metric == "tpp" and ln.value == 4800)
    assert {"3A090.a.1", "3A090.b.1", "Note 2"} <= set(at_4800.clauses)


def test_2023_regions() -> None:
    edition = by_id("us-2023-10")
    assert _group_at(edition, "15832", "19.45") == "3A090.a"  # H100: TPP >= 4800
    assert _group_at(edition, "1940", "6.6") == "3A090.a"  # L4: TPP >= 1600, density >= 5.92
    assert _group_at(edition, "2644", "3.25") == "3A090.b"  # A30-like: b.1 and b.2
    assert _group_at(edition, "2000", "4") == "3A090.b"  # b.2: TPP >= 1600, density >= 3.2
    assert _group_at(edition, "2368", "2.909") is None  # H20: under every line
    assert _group_at(edition, "3000", "1") is None  # b.1 needs density >= 1.6
    assert _group_at(edition, "1000", "20") is None  # TPP under 1600
    # density unknown: only from TPP 4800 up does the group not depend on it
    assert _group_at(edition, "6000", None) == "3A090.a"
    assert _group_at(edition, "3000", None) is None
    assert _group_at(edition, "1000", None) is None


def test_2022_has_no_density_line_and_the_io_prong_is_named() -> None:
    edition = by_id("us-2022-10")
    geometry = plot.plane(edition, XLIM, YLIM)
    assert geometry.values("performance_density") == []
    assert geometry.values("tpp") == [4800]
    (group,) = geometry.groups
    assert group.id == "3A090.a" and group.label == "restricted"
    assert [(k.metric, k.threshold) for k in group.off_plane] == [("io_bandwidth_gbs", 600)]
    assert _group_at(edition, "5000", "2") == "3A090.a"
    assert _group_at(edition, "5000", None) == "3A090.a"
    words = plot.subtitle(geometry)
    assert "no density line" in words and "I/O ≥ 600 GB/s" in words


def test_bandwidth_clauses_are_footnotes_not_regions() -> None:
    geometry = plot.plane(by_id("us-2025-04"), XLIM, YLIM)
    assert [c.id for c in geometry.off_plane] == ["2025-04 H20 letters"]
    assert {g.id for g in geometry.groups} == {"3A090.a", "3A090.b"}
    text = " ".join(plot.footnotes(geometry))
    assert "2025-04 H20 letters (memory ≥ 1400 GB/s or I/O ≥ 1100 GB/s" in text
    assert "Note 2 (non-datacenter parts, TPP < 4800) takes out 3A090.a, 3A090.b" in text


def test_short_names_and_arrows(specs: Path) -> None:
    loaded = load_all([specs])
    points = plot.points([(s, compute(s)) for s in loaded.specs], by_id("us-2023-10"))
    names = {p.spec.id: p.name for p in points}
    assert names["nvidia-rtx-4090"] == "RTX 4090"
    assert names["nvidia-h100-sxm"] == "H100 SXM5"
    assert names["nvidia-h20"] == "H20"
    assert len(set(names.values())) == len(names)  # every label names one chip
    # two short names alike: both take words until they differ, never the sheet ids
    assert names["nvidia-rtx-pro-6000"] == "RTX PRO 6000 Blackwell Workstation"
    assert names["nvidia-rtx-pro-6000-server"] == "RTX PRO 6000 Blackwell Server"
    assert not set(names.values()) & set(names)
    labels = {p.spec.id: p.label for p in points}
    assert labels["nvidia-h20"] == "exportable" and labels["nvidia-h100-sxm"] == "restricted"
    pairs = {(a.spec.id, b.spec.id) for a, b in plot.arrows(points)}
    assert ("nvidia-h100-sxm", "nvidia-h20") in pairs
    assert ("nvidia-rtx-4090", "nvidia-rtx-4090-d") in pairs
    # a variant whose parent is not plotted gets no arrow
    alone = [p for p in points if p.spec.id == "nvidia-h20"]
    assert plot.arrows(alone) == []


# --------------------------------------------------------------------------- the CLI


def test_missing_matplotlib_is_a_clear_exit_2(
    run: Callable[..., Result], specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    out = tmp_path / "map.png"
    result = run("plot", str(specs / "nvidia"), "-o", str(out))
    assert result.exit_code == 2
    assert "pip install 'chipclass[plot]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_usage_errors_exit_2(run: Callable[..., Result], specs: Path, tmp_path: Path) -> None:
    wrong = run("plot", str(specs), "-o", str(tmp_path / "map.jpg"))
    assert wrong.exit_code == 2 and ".png or .svg" in wrong.stderr
    edition = run("plot", str(specs), "-o", str(tmp_path / "m.png"), "--edition", "us-1999")
    assert edition.exit_code == 2 and "unknown edition" in edition.stderr
    assert run("plot", str(specs)).exit_code == 2  # -o is required


def test_png(run: Callable[..., Result], specs: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "map.png"
    result = run("plot", str(specs), "-o", str(out), "--edition", "us-2023-10")
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 20_000 < len(data) < 400_000


def test_svg_with_a_bad_sheet_alongside(
    run: Callable[..., Result], specs: Path, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    bad = write_sheet("sheets/bad.toml", performance="fp8 = true")
    out = tmp_path / "map.svg"
    result = run(
        "plot",
        str(specs / "nvidia"),
        str(bad),
        "-o",
        str(out),
        "--edition",
        "us-2022-10",
    )
    assert result.exit_code == 2  # the bad sheet is reported ...
    assert "bad.toml" in result.stderr
    root = ET.parse(out).getroot()  # ... and the good ones still drawn
    assert root.tag.endswith("svg")
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text
    for name in ("H20", "A800 SXM4", "TPP 4800", ">density<", ">unknown<"):  # the strip's name
        assert name in text
    assert "no density line in this edition" in text


def test_no_valid_sheet_writes_nothing(
    run: Callable[..., Result], write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    bad = write_sheet("bad.toml", performance="fp8 = -1")
    out = tmp_path / "map.png"
    result = run("plot", str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert "no valid chip sheet" in result.stderr
    assert not out.exists()


def test_strip_rows_keep_labels_apart() -> None:
    """Chips without a die area sit in rows of the strip: a label never reaches the next
    chip of its row (estimated at 6.5 px a character)."""
    from conftest import sheet_text

    from chipclass.plot import Point, strip_rows
    from chipclass.spec import parse_sheet

    specs = [
        parse_sheet(sheet_text(f"c{n}", performance=f"fp8 = {tops}"), f"c{n}.toml")
        for n, tops in enumerate((700, 710, 720, 2000))
    ]
    tpps = (5600, 5680, 5760, 16000)
    points = [
        Point(s, Fraction(t), None, "restricted", f"Chip {n}")
        for n, (s, t) in enumerate(zip(specs, tpps, strict=True))
    ]
    rows = strip_rows(points, (Fraction(1000), Fraction(300000)), 1430)
    assert [rows[f"c{n}"] for n in range(4)] == [0, 1, 2, 0]  # three crowded, one far


def test_names_alike_to_the_end_fall_back_to_the_sheet_id() -> None:
    from conftest import sheet_text

    from chipclass.spec import parse_sheet

    sheets = [
        parse_sheet(
            sheet_text(chip_id, performance="fp8 = 700").replace(
                f'name = "Test chip {chip_id}"', 'name = "Test chip"'
            ),
            f"{chip_id}.toml",
        )
        for chip_id in ("twin-a", "twin-b")
    ]
    found = plot.points([(s, compute(s)) for s in sheets], by_id("us-2023-10"))
    assert sorted(p.name for p in found) == ["twin-a", "twin-b"]


# --------------------------------------------------------------------------- each edition


def test_every_plane_region_is_bounded_by_its_groups_clauses() -> None:
    """For every bundled edition: a cell is shaded for a group only where one of the
    group's clauses holds on the plane (checked with the clause conditions directly), a
    point under no shaded cell is under no control clause, and the strip is shaded only
    where the density cannot change the group."""
    for edition in all_editions():
        geometry = plot.plane(edition, XLIM, YLIM)
        controls = [c for c in edition.evaluated if c.role == "control" and c.applies]
        xs = sorted({XLIM[0], XLIM[1], *geometry.values("tpp")})
        ys = sorted({YLIM[0], YLIM[1], *geometry.values("performance_density")})
        for x0, x1 in itertools.pairwise(xs):
            for y0, y1 in itertools.pairwise(ys):
                x, y = (x0 + x1) / 2, (y0 + y1) / 2
                holding = [c for c in controls if _on_plane(c, x, y)]
                shaded = _group_at(edition, str(x), str(y))
                if holding:
                    assert shaded in {plot.group_id(c.id) for c in holding}, (edition.id, x, y)
                else:
                    assert shaded is None, (edition.id, x, y)


def _on_plane(clause: Clause, tpp: Fraction, density: Fraction) -> bool:
    values = {"tpp": tpp, "performance_density": density}
    plane = [k for k in clause.conditions if k.metric in values]
    if not plane:
        return False
    met = [k.holds(values[k.metric]) for k in plane]
    return all(met) if clause.match == "all" else any(met)


def test_2022_letters_region_is_hatched_and_names_its_addressees() -> None:
    """The 2022-08-26 letters (NVIDIA 8-K of 2022-08-31) bound NVIDIA and AMD only, for
    China and Russia, and turn on the I/O prong too: the region says all of it."""
    geometry = plot.plane(by_id("us-2022-08-letters"), XLIM, YLIM)
    (group,) = geometry.groups
    assert group.id == "2022-08 A100 letters" and group.label == "license-required"
    assert group.needs == ("I/O ≥ 600 GB/s", "NVIDIA and AMD parts only", "exports to CN, RU")
    assert geometry.cells and all(c.hatched for c in geometry.cells)
    assert geometry.values("tpp") == [4800]
    assert "NVIDIA and AMD parts only" in plot.subtitle(geometry)


def test_2023_notice_region_names_both_ways_in() -> None:
    """Under the 2023-10-23 notice a part at TPP >= 4800 is restricted by 3A090.a.1 (2022
    text: with I/O >= 600 GB/s) or, for NVIDIA datacenter parts, by the notice whatever
    its I/O: both groups, neither decides alone, so the region is hatched."""
    geometry = plot.plane(by_id("us-2023-10-notice"), XLIM, YLIM)
    assert [g.id for g in geometry.groups] == ["3A090.a", "2023-10-23 notice"]
    notice = geometry.groups[1]
    assert notice.needs == ("datacenter parts only", "NVIDIA parts only")
    assert all(c.hatched for c in geometry.cells) and all(c.hatched for c in geometry.strip)
    words = plot.subtitle(geometry)
    assert "3A090.a also needs I/O ≥ 600 GB/s" in words
    assert "2023-10-23 notice also needs datacenter parts only; NVIDIA parts only" in words


@pytest.mark.parametrize("edition_id", ["us-2023-10", "us-2024-04", "us-2024-12", "us-2026-01"])
def test_published_rules_regions_are_not_hatched(edition_id: str) -> None:
    """From 88 FR 73458 on, 3A090.a and .b turn on TPP and density alone."""
    geometry = plot.plane(by_id(edition_id), XLIM, YLIM)
    assert {g.id for g in geometry.groups} == {"3A090.a", "3A090.b"}
    assert not any(c.hatched for c in (*geometry.cells, *geometry.strip))
    assert _group_at(by_id(edition_id), "15832", "19.45") == "3A090.a"  # H100
    assert _group_at(by_id(edition_id), "2000", "4") == "3A090.b"


def test_footnotes_name_each_editions_clauses_off_the_plane() -> None:
    text = {e.id: " ".join(plot.footnotes(plot.plane(e, XLIM, YLIM))) for e in all_editions()}
    # 88 FR 73458 created License Exception NAC; 89 FR 23876 split it into NAC and ACA
    assert "License Exception NAC (non-datacenter parts, TPP ≥ 4800)" in text["us-2023-10"]
    assert "License Exceptions NAC/ACA (non-datacenter parts" in text["us-2024-04"]
    # the 2025-04 letters: addressees (NVIDIA, AMD, Intel) and destinations (8-K 2025-04-09)
    for edition_id in ("us-2025-04", "us-2026-01"):
        assert (
            "2025-04 H20 letters (memory ≥ 1400 GB/s or I/O ≥ 1100 GB/s or memory+I/O ≥ 1700"
            " GB/s; NVIDIA, AMD and Intel parts only; exports to CN, MO, D:5) → license-required"
        ) in text[edition_id]
    # 91 FR 1684: the case-by-case review turns on U.S. availability and certifications
    relief = text["us-2026-01"].split("742.6(b)(10)(iii)(A)(1) (", 1)[1]
    assert relief.startswith("TPP < 21000 and memory < 6500 GB/s; exports to CN, MO; if")
    assert "commercially available in the US by 2026-01-15 (the sheet's us_available)" in relief
    for certification in ("us supply", "third party tested", "share of us shipments"):
        assert certification in relief
    assert "assumed outside a transaction" in relief
    # Note 2 in every edition from 2023 on; nothing off the plane in 2022
    for edition_id in ("us-2023-10", "us-2024-04", "us-2024-12", "us-2025-01", "us-2026-01"):
        assert "Note 2 (non-datacenter parts, TPP < 4800)" in text[edition_id]
    assert text["us-2022-10"] == ""


def test_a_clause_that_does_not_reach_the_destination_is_not_drawn() -> None:
    from chipclass.scoped import for_destination

    letters = for_destination(by_id("us-2022-08-letters"), "DE")  # the letters: CN, RU
    geometry = plot.plane(letters, XLIM, YLIM)
    assert geometry.groups == () and geometry.cells == () and geometry.lines == ()
    assert "under us-2022-08-letters for export to DE (" in plot.title(geometry, 3)
    assert "2022-08 A100 letters does not reach this destination" in " ".join(
        plot.footnotes(geometry)
    )


# --------------------------------------------------------------------------- labels


def test_layout_keeps_labels_off_markers_labels_and_arrows() -> None:
    """Pure placement maths: a tight cluster of markers under an arrow; every label ends
    up inside its frame, clear of the rest, with leaders for the crowded ones."""
    markers = [
        layout.Marker(f"m{n}", 200 + 14 * (n % 4), 200 + 14 * (n // 4), 5) for n in range(12)
    ]
    arrow = layout.sample(layout.curve((150, 150), (300, 260), 0.12, 6, 7))
    frame = (0.0, 0.0, 500.0, 400.0)
    labels = [layout.Label(m.key, (m.key,), 46, 12, frame) for m in markers]
    placed = layout.place(labels, markers, [(400, 0, 500, 40)], [arrow])
    boxes = [p.box for p in placed.values()]
    assert all(p.clean for p in placed.values())
    assert any(p.leader for p in placed.values())
    for n, box in enumerate(boxes):
        assert layout.inside(box, frame)
        assert not layout.overlaps(box, (400, 0, 500, 40))
        assert not any(layout.overlaps(box, other) for other in boxes[n + 1 :])
        assert not any(layout.overlaps(box, m.box()) for m in markers)
        assert not any(layout.segment_hits_box(s, box) for s in layout.polyline(arrow))


_coordinate = st.floats(-300, 300, allow_nan=False, allow_infinity=False)
_box = st.builds(
    lambda x, y, w, h: (x, y, x + w, y + h),
    _coordinate,
    _coordinate,
    st.floats(0, 90),
    st.floats(0, 40),
)


@given(st.lists(_box, max_size=30), _box, st.data())
def test_the_board_grid_finds_every_box_a_query_meets(
    boxes: list[layout.Box], query: layout.Box, data: st.DataObject
) -> None:
    """The board's grid is an index, not a filter: every box that overlaps a query (or
    that a segment across the query's box hits) is among those it returns, each once;
    a box taken off is gone, an equal one left in place stays."""
    entries = [(f"m{n}" if n % 3 == 0 else None, box) for n, box in enumerate(boxes)]
    grid = layout._Grid(layout._CELL)
    for whose, box in entries:
        grid.add(whose, box)
    if entries:
        grid.remove(*entries.pop(data.draw(st.integers(0, len(entries) - 1))))

    def near(box: layout.Box) -> list[tuple[str | None, layout.Box]]:
        found = grid.near(box)
        assert len({serial for serial, _, _ in found}) == len(found)  # each once
        return [(whose, box) for _, whose, box in found]

    padded = near(layout.grow(query, 2.0))
    assert len(padded) <= len(entries)
    for entry in entries:
        if layout.overlaps(query, entry[1], 2.0):
            assert entry in padded
    inside = near(query)
    for entry in entries:
        if layout.segment_hits_box(query, entry[1]):  # the query's diagonal, as a segment
            assert entry in inside


def test_curve_stops_short_of_both_markers() -> None:
    start, control, end = layout.curve((0, 0), (100, 0), 0.12, 6, 8)
    assert math.dist(start, (0, 0)) == pytest.approx(6, abs=0.01)
    assert math.dist(end, (100, 0)) == pytest.approx(8, abs=0.01)
    assert control[1] < 0  # arc3's side, in y-up units
    assert layout.curve((0, 0), (10, 0), 0.12, 6, 8) == ()


def _drawn(figure: Any) -> dict[str, list[Any]]:
    """The map's names, threshold names, markers and arrows, in display pixels."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()

    def extent(artist: Any) -> tuple[float, float, float, float]:
        box = artist.get_window_extent(renderer)
        return (box.x0, box.y0, box.x1, box.y1)

    def having(gid: str) -> list[Any]:
        return figure.findobj(lambda a: (a.get_gid() or "").startswith(gid))

    markers = []
    for dot in having(plot.GIDS["marker"]):
        ((x, y),) = dot.get_offset_transform().transform(dot.get_offsets())
        half = math.sqrt(dot.get_sizes()[0]) / 2 * figure.dpi / 72  # the marker's radius
        markers.append((dot.get_gid(), (x - half, y - half, x + half, y + half)))
    arrows = []
    for arrow in having(plot.GIDS["arrow"]):
        path = arrow.get_transform().transform_path(arrow.get_path())
        for polygon in path.to_polygons(closed_only=False):
            arrows.append(layout.polyline([(float(x), float(y)) for x, y in polygon]))
    return {
        "labels": [(t.get_text(), extent(t)) for t in having(plot.GIDS["label"])],
        "names": [(t.get_text(), extent(t)) for t in having(plot.GIDS["line"])],
        "markers": markers,
        "arrows": arrows,
    }


@pytest.mark.parametrize("edition_id", ["us-2023-10", "us-2026-01"])
def test_no_name_on_the_map_touches_another_a_marker_or_an_arrow(
    specs: Path, edition_id: str
) -> None:
    """The catalog drawn with Agg: each chip name's box (the renderer's own extent) is
    clear of every other name, every threshold name, every marker and every arrow."""
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    chips = [(s, compute(s)) for s in load_all([specs]).specs]
    with plt.rc_context({"font.size": 9}):
        figure = plot.draw(chips, by_id(edition_id))
    try:
        drawn = _drawn(figure)
    finally:
        plt.close(figure)
    found = plot.points(chips, by_id(edition_id))
    known = [p for p in found if p.density is not None]
    expected = [plot.group_text(g) for g in plot.colocated(known)]
    expected += [p.name for p in found if p.density is None]
    assert sorted(text for text, _ in drawn["labels"]) == sorted(expected)
    assert len(drawn["markers"]) == len(chips) and drawn["arrows"]
    problems = []
    labels = drawn["labels"]
    for n, (text, box) in enumerate(labels):
        for other, where in [*labels[n + 1 :], *drawn["names"], *drawn["markers"]]:
            if layout.overlaps(box, where):
                problems.append(f"{text!r} on {other!r}")
        if any(layout.segment_hits_box(s, box) for arrow in drawn["arrows"] for s in arrow):
            problems.append(f"{text!r} on an arrow")
    assert problems == []
