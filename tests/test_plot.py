"""`chipclass plot`: the plane's geometry read from the edition, and the image written."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import Result

from chipclass import plot
from chipclass.editions import Edition, by_id
from chipclass.files import load_all
from chipclass.metrics import compute

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
