"""Rounding never hides the side of a line: text shows the digits it takes, JSON adds
an exact value where its 6 decimals would put a value on or across its threshold."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from chipclass.numbers import exact_text, honest_number, number, show
from tests.conftest import examples

Run = Callable[..., Result]

NEAR = """\
format = "chipclass/1"

[chip]
id = "near"
name = "Near the lines"
vendor = "NVIDIA"  # an addressee of the 2025 letters, so their 1400 GB/s line binds it
datacenter = true

[performance]
fp8 = 256.78

[[die]]
area_mm2 = 347.0001

[memory]
bandwidth_gbs = {memory}

[interconnect]
host_gbs = 64
"""


def test_show_by_hand() -> None:
    # 256.78 * 8 = 2054.24 TPP on 347.0001 mm2: density 5.9199982...; 2 places say 5.92
    density = Fraction("2054.24") / Fraction("347.0001")
    assert show(density, 2) == "5.92"
    assert show(density, 2, [Fraction("5.92")]) == "5.919998"
    assert show(Fraction("1399.999999"), 3, [Fraction(1400)]) == "1399.999999"
    assert show(Fraction("1400.0000001"), 3, [Fraction(1400)]) == "1400.0000001"
    assert show(Fraction(1400), 3, [Fraction(1400)]) == "1400"  # on the line: as it is
    assert show(Fraction(1, 3), 3, [Fraction(1)]) == "0.333"  # far from it: as before
    # 5.925 rounds half to even to 5.92, onto the line it is above: one more digit
    assert show(Fraction("5.925"), 2, [Fraction("5.92")]) == "5.925"


def test_exact_text_by_hand() -> None:
    assert exact_text(Fraction(1399999999, 1000000)) == "1399.999999"
    assert exact_text(Fraction(1, 3)) == "1/3"
    assert exact_text(Fraction(-5, 4)) == "-1.25"
    assert exact_text(Fraction(7)) == "7"


def test_honest_number_by_hand() -> None:
    # 1399.9999999 rounds to 1400.0 at 6 decimals: onto the line of 1400
    value = Fraction("1399.9999999")
    assert number(value) == 1400
    assert honest_number(value, Fraction(1400)) == (1399.9999999, "1399.9999999")
    # far from any line: number() as before, nothing added
    assert honest_number(Fraction(1, 3), Fraction(1)) == (0.333333, None)
    # beyond a float's precision: the float next to the line, on the value's side
    above = Fraction("5.92") + Fraction(1, 10**30)
    shown, exact = honest_number(above, Fraction("5.92"))
    assert shown is not None and shown > 5.92
    assert exact == "5.920000000000000000000000000001"


def test_json_value_never_contradicts_met(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "near.toml"
    sheet.write_text(NEAR.format(memory="1399.9999999"), encoding="utf-8")
    done = run("classify", str(sheet), "-f", "json", "--all-editions")
    rows = [
        row
        for verdict in json.loads(done.stdout)["results"][0]["verdicts"]
        for row in verdict["thresholds"]
        if row["metric"] == "memory_bandwidth_gbs" and row["threshold"] == 1400
    ]
    assert rows, "the H20 letters' 1400 GB/s line"
    for row in rows:
        assert row["value"] == 1399.9999999
        assert row["value_exact"] == "1399.9999999"
        assert (row["value"] >= row["threshold"]) is (row["op"] == ">=" and row["met"])


def test_text_summary_and_detail_show_the_side(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "near.toml"
    sheet.write_text(NEAR.format(memory="1399.999999"), encoding="utf-8")
    summary = run("classify", str(sheet), "--summary").stdout
    assert "5.919998" in summary and "1399.999999" in summary
    detail = run("classify", str(sheet)).stdout
    assert "density 5.919998" in detail and "memory 1399.999999 GB/s" in detail
    assert "1400 GB/s" not in detail


fractions = st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**12)
lines = st.decimals(min_value=-(10**6), max_value=10**6, places=4).map(Fraction)


@settings(max_examples=examples(800))
@given(fractions, lines, st.integers(min_value=0, max_value=4))
def test_shown_figures_keep_their_side(value: Fraction, line: Fraction, places: int) -> None:
    text = show(value, places, [line])
    shown = Fraction(text)
    assert (shown > line) == (value > line) and (shown < line) == (value < line)


@settings(max_examples=examples(800))
@given(fractions, lines)
def test_json_numbers_keep_their_side(value: Fraction, line: Fraction) -> None:
    shown, exact = honest_number(value, line)
    threshold = number(line)
    assert shown is not None and threshold is not None
    assert (Fraction(shown) > Fraction(threshold)) == (value > line)
    assert (Fraction(shown) < Fraction(threshold)) == (value < line)
    if exact is not None:
        assert Fraction(exact) == value


def test_diff_and_tailor_show_the_side(run: Run, tmp_path: Path) -> None:
    """The H20 letters' line of 1400 GB/s: a part at 1399.9999999 is below it, and the
    text says 1399.9999999, never 1400."""
    near = tmp_path / "near.toml"
    near.write_text(NEAR.format(memory="1399.9999999"), encoding="utf-8")
    above = tmp_path / "above.toml"
    above.write_text(NEAR.format(memory="1500").replace('"near"', '"above"'), encoding="utf-8")
    diff = run("diff", str(above), str(near), "-e", "us-2025-04").stdout
    assert "1399.9999999" in diff
    tailor = run("tailor", str(near), "-t", "license-required", "-e", "us-2025-04").stdout
    assert "1400 GB/s" not in tailor.replace("→ 1400", "")
