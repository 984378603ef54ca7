"""`chipclass tailor --knobs`: the exact Pareto frontier, checked by hand and by property."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipclass.editions import LABELS, Edition, all_editions, by_id
from chipclass.evaluate import decide
from chipclass.files import load_sheet
from chipclass.frontier import (
    KNOBS,
    Frontier,
    FrontierPoint,
    apply,
    frontier,
    region,
    safe_changes,
    within,
)
from chipclass.metrics import Metrics, compute
from chipclass.tailor import tailor

E, L, R = "exportable", "license-required", "restricted"
HERE = Path(__file__).resolve().parent
B30A = HERE / "sheets" / "frontier" / "b30a-class.toml"
RELIEF = "742.6(b)(10)(iii)(A)(1)"
LETTERS = "2025-04 H20 letters"

Run = Callable[..., Result]


def _metrics(path: Path) -> Metrics:
    return compute(load_sheet(path))


def _frontier(path: Path, editions: list[str], target: str, knobs: list[str]) -> Frontier:
    return frontier(_metrics(path), [by_id(e) for e in editions], target, knobs)


def _changes(point: FrontierPoint) -> dict[str, Fraction]:
    return {k: (f - 1) * 100 for k, f in point.factors.items()}


def _label_at(metrics: Metrics, factors: dict[str, Fraction], edition: str) -> str:
    return decide(apply(metrics, factors), by_id(edition)).label


# --------------------------------------------------------------------------- the B30A class


def test_b30a_class_reaches_case_by_case_only_by_cutting_tpp_and_memory_together() -> None:
    # the test sheet: fp4 7000 dense x 4 bits = TPP 28000; memory 7700 GB/s; no die area
    metrics = _metrics(B30A)
    assert metrics.tpp == 28000 and metrics.memory_bandwidth_gbs == 7700
    # restricted today: 3A090.a.1 (TPP >= 4800); the relief of 91 FR 1684 needs TPP
    # "less than 21,000" AND DRAM bandwidth "less than 6,500 GB/s"
    result = _frontier(B30A, ["us-2026-01"], L, ["throughput", "memory_bandwidth"])
    assert [v.label for v in result.current] == [R]
    assert result.reachable and not result.within_target
    assert len(result.points) == 2
    together, deep = result.points
    # 21000 / 28000 = 3/4: -25 %;  6500 / 7700 = 65/77: -12/77 = -15.5844... %
    assert together.factors == {"throughput": Fraction(3, 4), "memory_bandwidth": Fraction(65, 77)}
    assert _changes(together) == {"throughput": -25, "memory_bandwidth": Fraction(-1200, 77)}
    assert round(float(_changes(together)["memory_bandwidth"]), 3) == -15.584
    # "less than": the boundary itself keeps the presumption of denial
    assert together.strict
    assert together.label == L and RELIEF in together.clauses
    assert {(b.clause, b.metric, b.threshold) for b in together.on} == {
        (RELIEF, "tpp", 21000),
        (RELIEF, "memory_bandwidth_gbs", 6500),
    }
    # the other Pareto point leaves 3A090 altogether: with the density unknown, only a TPP
    # below 1600 rules out 3A090.a.2 and 3A090.b.2 (both ">= 1600"); 1600 / 28000 = 2/35,
    # -94.2857 %; the bandwidth letters still ask a license (memory 7700 >= 1400)
    assert deep.factors == {"throughput": Fraction(2, 35), "memory_bandwidth": Fraction(1)}
    assert deep.strict and deep.label == L and deep.clauses == (LETTERS,)
    # neither cut alone reaches the relief: each stops one side of the other's line
    assert (
        _label_at(metrics, {"throughput": Fraction(3, 4) * Fraction(999, 1000)}, "us-2026-01") == R
    )
    assert _label_at(metrics, {"memory_bandwidth": Fraction(65, 77) / 2}, "us-2026-01") == R
    assert _label_at(metrics, together.witness, "us-2026-01") == L


def test_b30a_class_with_a_die_leaves_3a090a_below_the_density_line() -> None:
    # the same part with a (hypothetical) 800 mm2 die: 3A090.a.2 needs density >= 5.92,
    # so the deep cut is to TPP 5.92 x 800 = 4736: 4736 / 28000 = 148/875, -83.0857 %
    metrics = _metrics(B30A)._replace(applicable_die_area_mm2=Fraction(800))
    result = frontier(metrics, [by_id("us-2026-01")], L, ["throughput", "memory_bandwidth"])
    assert [p.factors for p in result.points] == [
        {"throughput": Fraction(3, 4), "memory_bandwidth": Fraction(65, 77)},
        {"throughput": Fraction(148, 875), "memory_bandwidth": Fraction(1)},
    ]
    assert all(p.strict for p in result.points)


def test_b30a_class_die_area_cannot_move_and_says_so() -> None:
    result = _frontier(B30A, ["us-2026-01"], L, ["throughput", "die_area", "memory_bandwidth"])
    assert result.knobs == ("throughput", "memory_bandwidth")
    assert "unknown" in result.fixed["die_area"]
    assert len(result.points) == 2


# --------------------------------------------------------------------------- the H20


def test_h20_under_2025_04_gets_out_only_through_the_memory_plus_io_sum(specs: Path) -> None:
    # letters: memory >= 1400, or I/O >= 1100, or memory + I/O >= 1700; H20: 4000 + 1028
    result = _frontier(
        specs / "nvidia/h20.toml", ["us-2025-04"], E, ["memory_bandwidth", "io_bandwidth"]
    )
    assert [v.label for v in result.current] == [L]
    assert len(result.pieces) == 1
    (segment,) = result.pieces
    assert segment.kind == "segment"
    ends = [result.points[n] for n in segment.points]
    assert {tuple(sorted(p.factors.items())) for p in ends} == {
        # I/O as it is: 4000 m + 1028 < 1700 -> m < 672/4000 = 21/125 (-83.2 %)
        (("io_bandwidth", Fraction(1)), ("memory_bandwidth", Fraction(21, 125))),
        # memory at the 1400 line: 1028 i < 1700 - 1400 = 300 -> i < 300/1028 = 75/257
        # (-70.817 %); memory 1400/4000 = 7/20 (-65 %)
        (("io_bandwidth", Fraction(75, 257)), ("memory_bandwidth", Fraction(7, 20))),
    }
    assert all(p.strict and p.label == E for p in ends)
    # the segment follows the sum's line, "1,700 GB/s or more"
    (follows,) = segment.follows
    assert {(b.clause, b.metric, b.op, b.threshold) for b in follows} == {
        (LETTERS, "memory_plus_io_gbs", ">=", 1700)
    }
    # every point between the ends trades one for the other on that line: the middle,
    # nudged a little below the sum, is exportable; it is not dominated by either end
    middle = {
        k: (ends[0].factors[k] + ends[1].factors[k]) / 2
        for k in ("memory_bandwidth", "io_bandwidth")
    }
    metrics = result.metrics
    assert metrics.memory_bandwidth_gbs is not None
    total = metrics.memory_bandwidth_gbs * middle["memory_bandwidth"]
    total += metrics.io_bandwidth_gbs * middle["io_bandwidth"]
    assert total == 1700
    nudged = {k: f * Fraction(999999, 1000000) for k, f in middle.items()}
    assert _label_at(metrics, nudged, "us-2025-04") == E
    assert _label_at(metrics, middle, "us-2025-04") == L  # on the line: still caught


def test_h20_under_2025_04_io_alone_cannot_get_out(specs: Path) -> None:
    # memory 4000 >= 1400 whatever the I/O: unreachable
    result = _frontier(specs / "nvidia/h20.toml", ["us-2025-04"], E, ["throughput", "io_bandwidth"])
    assert not result.reachable and result.points == ()


def test_h100_density_line_is_a_segment_with_a_limit(specs: Path) -> None:
    # H100 SXM: TPP 15832, 814 mm2; exportable under us-2023-10 needs TPP < 2400 (b.1),
    # or TPP < 4800 with density < 1.6 (b.1 "1.6 or more")
    result = _frontier(
        specs / "nvidia/h100-sxm.toml", ["us-2023-10"], E, ["throughput", "die_area"]
    )
    first, limit, far = result.points
    # 2400 / 15832 = 300/1979 with the area as it is
    assert first.factors == {"throughput": Fraction(300, 1979), "die_area": Fraction(1)}
    # along density = 1.6: at TPP 4800 (4800/15832 = 600/1979) the area is 4800/1.6 =
    # 3000 mm2 (3000/814 = 1500/407, +268.55 %); at TPP 2400 it is 1500 mm2 (750/407),
    # which the first point beats (same throughput cut, no area change): a limit
    assert far.factors == {"throughput": Fraction(600, 1979), "die_area": Fraction(1500, 407)}
    assert limit.factors == {"throughput": Fraction(300, 1979), "die_area": Fraction(750, 407)}
    assert limit.limit and not far.limit and not first.limit
    assert result.pieces[1].kind == "segment" and result.pieces[1].points == (1, 2)


def test_a_surface_where_both_groups_trade_off() -> None:
    # TPP 3000 on 1000 mm2 (density 3, 3A090.b.2), memory 2000, I/O 900: to exportable
    # under us-2025-04, density < 1.6 (or TPP < 2400) AND the letters' sum < 1700
    metrics = Metrics(
        tpp=Fraction(3000),
        applicable_die_area_mm2=Fraction(1000),
        memory_bandwidth_gbs=Fraction(2000),
        io_bandwidth_gbs=Fraction(900),
        datacenter=True,
    )
    result = frontier(metrics, [by_id("us-2025-04")], E, KNOBS)
    kinds = sorted(p.kind for p in result.pieces)
    assert kinds == ["segment", "surface"]
    surface = next(p for p in result.pieces if p.kind == "surface")
    corners = {tuple(result.points[n].factors[k] for k in KNOBS) for n in surface.points}
    # density line t = (1.6/3) a from (t 1, a 15/8) to (t 4/5, a 3/2); sum line
    # 2000 m + 900 i = 1700 from (m 7/10, i 1/3) to (m 2/5, i 1)
    assert corners == {
        (t, a, m, i)
        for t, a in ((Fraction(1), Fraction(15, 8)), (Fraction(4, 5), Fraction(3, 2)))
        for m, i in ((Fraction(7, 10), Fraction(1, 3)), (Fraction(2, 5), Fraction(1)))
    }


# --------------------------------------------------------------------------- one knob


def test_one_knob_is_todays_answer_on_the_whole_catalog(specs: Path) -> None:
    # the frontier of one knob is the single-knob cut of `tailor` (factor, strictness,
    # label), and the zero point for a part already within the target
    editions = [by_id("us-2023-10"), by_id("us-2025-04"), by_id("us-2026-01")]
    for path in sorted(specs.rglob("*.toml"))[::3]:
        metrics = _metrics(path)
        for edition in editions:
            for target in LABELS:
                today = tailor(metrics, edition, target)
                for item in today.knobs:
                    found = frontier(metrics, [edition], target, [item.knob])
                    if today.within_target:
                        assert [p.strict for p in found.points] == [False]
                        assert all(f == 1 for f in found.points[0].factors.values())
                    elif item.limit is None:
                        assert not found.points, (path, edition.id, target, item.knob)
                    else:
                        (point,) = found.points
                        assert point.factors == {item.knob: item.limit.factor}
                        assert point.strict == item.limit.strict
                        assert point.label == item.limit.label


def test_cli_one_knob_h20_2023_is_todays_answer(run: Run, specs: Path) -> None:
    sheet = str(specs / "nvidia/h20.toml")
    today = run("tailor", sheet, "-t", E, "-e", "us-2023-10")
    one = run("tailor", sheet, "-t", E, "-e", "us-2023-10", "--knobs", "throughput")
    assert today.exit_code == one.exit_code == 0
    assert one.stdout == today.stdout
    today_json = json.loads(run("tailor", sheet, "-t", E, "-e", "us-2023-10", "-f", "json").stdout)
    one_json = json.loads(
        run("tailor", sheet, "-t", E, "-e", "us-2023-10", "-k", "throughput", "-f", "json").stdout
    )
    frontier_entries = one_json.pop("frontier")
    assert one_json == today_json
    # already exportable: the frontier is the part itself (TPP 2368 < 2400); today's
    # answer gives its headroom, +1.351 % to 2400 (32/2368 = 1/74)
    assert frontier_entries == [
        {
            "changes": {"throughput": 0},
            "label": E,
            "clauses": [],
            "strict": False,
            "editions": [{"edition": "us-2023-10", "label": E, "clauses": []}],
            "factors": {"throughput": 1},
            "metrics": today_json["metrics"],
            "on": [],
            "piece": 0,
        }
    ]
    throughput = today_json["knobs"][0]
    assert (throughput["change_pct"], throughput["direction"]) == (1.351351, "headroom")


def test_cli_one_knob_h100_cut_matches_today(run: Run, specs: Path) -> None:
    sheet = str(specs / "nvidia/h100-sxm.toml")
    args = ("tailor", sheet, "-t", E, "-e", "us-2023-10", "-f", "json")
    today = json.loads(run(*args).stdout)
    one = json.loads(run(*args, "-k", "throughput").stdout)
    (entry,) = one["frontier"]
    limit = today["knobs"][0]
    # 2400 / 15832 - 1 = -84.8408...%; shown to 7 places: at 6, -84.840829 would put the
    # TPP just below 2400, the other side of the line than the boundary itself
    assert entry["changes"] == {"throughput": -84.8408287}
    assert entry["strict"] is limit["strict"] is True
    assert entry["label"] == limit["label"] == E
    assert entry["metrics"]["tpp"] == limit["knob_value"] == 2400


# --------------------------------------------------------------------------- the CLI


def test_cli_b30a_class_table_and_json(run: Run) -> None:
    args = ("tailor", str(B30A), "-t", L, "-e", "us-2026-01", "-k", "throughput,memory_bandwidth")
    text = run(*args)
    assert text.exit_code == 0
    assert "(estimate)" in text.stdout
    row = next(line for line in text.stdout.splitlines() if line.strip().startswith("1 "))
    assert "-25 %" in row and "-15.584 %" in row and "21000" in row and "6500" in row
    assert "beyond" in row
    data = json.loads(run(*args, "-f", "json").stdout)
    assert data["reachable"] is True and data["editions"] == ["us-2026-01"]
    first = data["frontier"][0]
    # exact -1200/77 = -15.584415584...; at 6 and 7 places (-15.584416, -15.5844156) the
    # memory would be just below 6500, inside the relief, while the boundary itself is
    # not: the first rounding on the boundary's side is at 8 places
    assert first["changes"] == {"throughput": -25, "memory_bandwidth": -15.58441558}
    assert first["strict"] is True and first["label"] == L
    assert RELIEF in first["clauses"]


def test_cli_unreachable_exits_1(run: Run, specs: Path) -> None:
    result = run(
        "tailor",
        str(specs / "nvidia/h20.toml"),
        "-t",
        E,
        "-e",
        "us-2025-04",
        "-k",
        "throughput,die_area",
    )
    assert result.exit_code == 1
    assert "no change of throughput, die area reaches it" in result.stdout


def test_cli_several_editions_must_all_hold(run: Run, specs: Path) -> None:
    # H20 under us-2023-10 is exportable already; under us-2025-04 only the memory cut
    # (to 672: -83.2 %) helps among these knobs, so the frontier is that under both
    sheet = str(specs / "nvidia/h20.toml")
    data = json.loads(
        run(
            "tailor", sheet, "-t", E, "-e", "us-2023-10", "-e", "us-2025-04",
            "-k", "throughput,memory_bandwidth", "-f", "json",
        ).stdout
    )  # fmt: skip
    assert [p["changes"] for p in data["frontier"]] == [
        {"throughput": 0, "memory_bandwidth": -83.2}
    ]
    assert [v["edition"] for v in data["frontier"][0]["editions"]] == ["us-2023-10", "us-2025-04"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("-k", "throughput,clock_speed"), "unknown knob 'clock_speed'"),
        (("-k", "throughput,"), "separated by commas"),
        (("-e", "us-2023-10", "-e", "us-2025-04"), "give --knobs"),
        (("-k", "throughput,memory_bandwidth", "-e", "us-1999-01"), "unknown edition"),
    ],
)
def test_cli_bad_input_exits_2(run: Run, specs: Path, extra: tuple[str, ...], message: str) -> None:
    result = run("tailor", str(specs / "nvidia/h20.toml"), "-t", E, *extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_sheet_text_is_escaped(run: Run, write_sheet: Callable[..., Path]) -> None:
    sheet = write_sheet(
        "evil.toml",
        text='format = "chipclass/1"\n[chip]\nid = "evil"\nname = "Evil \\u001b[31mred"\n'
        'vendor = "X"\n[performance]\nfp8 = 296\n',
    )
    result = run("tailor", str(sheet), "-t", E, "-e", "us-2023-10", "-k", "throughput,die_area")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\\u001b[31m" in result.stdout


def test_unknown_density_is_indeterminate_until_the_tpp_settles_it(specs: Path) -> None:
    # TPU v5e: no die area, so the density is unknown; TPP 197 x 16 = 3152 leaves
    # 3A090.a.2 / b.1 / b.2 open (indeterminate); only below 1600 does no clause apply
    # whatever the density: 1600 / 3152 = 100/197, -49.24 %
    result = _frontier(specs / "google/tpu-v5e.toml", ["us-2023-10"], E, ["throughput", "die_area"])
    assert [v.label for v in result.current] == ["indeterminate"]
    assert "die_area" in result.fixed
    (point,) = result.points
    assert point.factors == {"throughput": Fraction(100, 197)}
    assert point.strict and point.label == E


def test_display_rounding_never_crosses_the_line(specs: Path) -> None:
    result = _frontier(
        specs / "nvidia/h100-sxm.toml", ["us-2023-10"], E, ["throughput", "die_area"]
    )
    first = result.points[0]
    shown = safe_changes(result, first)
    # exact -84.84082...; to 3 places -84.841 would land below TPP 2400, inside the target,
    # while the boundary point itself (TPP 2400) is outside: one more digit, -84.8408
    assert str(shown["throughput"]) == "-84.8408"
    tpp = Fraction(15832) * (1 + Fraction(shown["throughput"]) / 100)
    assert tpp >= 2400


def test_plot_frontier_writes_an_svg(run: Run, specs: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "h20.svg"
    result = run(
        "plot", str(specs / "nvidia/h20.toml"), "--frontier",
        "--knobs", "memory_bandwidth,io_bandwidth", "-e", "us-2025-04", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert "today" in svg and "#1" in svg and "#2" in svg
    bad = run(
        "plot", str(specs / "nvidia/h20.toml"), "--frontier", "-k", "throughput", "-o", str(out)
    )
    assert bad.exit_code == 2 and "exactly two knobs" in bad.stderr


def test_region_of_h20_sum_is_below_the_line(specs: Path) -> None:
    metrics = _metrics(specs / "nvidia/h20.toml")
    cells = region(metrics, [by_id("us-2025-04")], E, ("memory_bandwidth", "io_bandwidth"))
    assert cells
    for cell in cells:  # every corner of every target cell is on or below both lines
        for m, i in cell:
            assert 4000 * m + 1028 * i <= 1700 and 4000 * m <= 1400


# --------------------------------------------------------------------------- properties

VALUES = st.fractions(min_value=Fraction(1, 2), max_value=Fraction(30000), max_denominator=8)


@st.composite
def parts(draw: st.DrawFn) -> Metrics:
    return Metrics(
        tpp=draw(st.fractions(min_value=100, max_value=30000, max_denominator=4)),
        applicable_die_area_mm2=draw(
            st.none() | st.fractions(min_value=100, max_value=2000, max_denominator=2)
        ),
        memory_bandwidth_gbs=draw(st.none() | st.fractions(min_value=100, max_value=9000)),
        io_bandwidth_gbs=draw(st.fractions(min_value=0, max_value=2000, max_denominator=2)),
        datacenter=draw(st.booleans()),
    )


def _magnitudes(point: FrontierPoint) -> tuple[Fraction, ...]:
    return tuple(abs(point.factors.get(k, Fraction(1)) - 1) for k in KNOBS)


def _dominates(p: tuple[Fraction, ...], q: tuple[Fraction, ...]) -> bool:
    return all(a <= b for a, b in zip(p, q, strict=True)) and p != q


def _within_all(
    metrics: Metrics, factors: dict[str, Fraction], editions: list[Edition], target: str
) -> bool:
    changed = apply(metrics, factors)
    return all(within(decide(changed, e).label, target) for e in editions)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    metrics=parts(),
    chosen=st.lists(
        st.sampled_from(all_editions()), min_size=1, max_size=2, unique_by=lambda e: e.id
    ),
    knobs=st.lists(st.sampled_from(KNOBS), min_size=1, max_size=3, unique=True),
    target=st.sampled_from(LABELS),
)
def test_every_point_reaches_the_target_and_none_dominates_another(
    metrics: Metrics, chosen: list[Edition], knobs: list[str], target: str
) -> None:
    result = frontier(metrics, chosen, target, knobs)
    for point in result.points:
        # the point itself: within the target exactly when it is not strict
        if all(f > 0 for f in point.factors.values()):
            assert _within_all(metrics, point.factors, chosen, target) is not point.strict
        # nudged past the line (a millionth of the way into its cell): within the target
        for knob, factor in point.witness.items():
            assert abs(factor - point.factors[knob]) <= Fraction(1, 10**6)
        assert _within_all(metrics, point.witness, chosen, target)
        # the labels reported are what the evaluator gives there
        reached = apply(metrics, point.witness if point.strict else point.factors)
        assert [v.label for v in point.verdicts] == [decide(reached, e).label for e in chosen]
    frontier_points = [p for p in result.points if not p.limit]
    for p in frontier_points:
        for q in frontier_points:
            assert not _dominates(_magnitudes(p), _magnitudes(q))
        # minimal: shrinking any one change toward zero, the others held, leaves the target
        for knob, factor in p.factors.items():
            if factor == 1:
                continue
            for keep in (Fraction(1, 2), Fraction(999, 1000)):
                smaller = dict(p.factors, **{knob: 1 + (factor - 1) * keep})
                assert not _within_all(metrics, smaller, chosen, target)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    metrics=parts(),
    edition=st.sampled_from(all_editions()),
    knobs=st.lists(st.sampled_from(KNOBS), min_size=1, max_size=2, unique=True),
    target=st.sampled_from(LABELS),
    probes=st.lists(
        st.fractions(min_value=Fraction(1, 50), max_value=5, max_denominator=50),
        min_size=2,
        max_size=2,
    ),
)
def test_every_reachable_combination_is_at_least_a_frontier_point(
    metrics: Metrics, edition: Edition, knobs: list[str], target: str, probes: list[Fraction]
) -> None:
    # completeness: a combination within the target is dominated by, or equals, some point
    # of the frontier (a corner, or a point of a segment between two)
    factors = dict(zip(knobs, probes, strict=False))
    if not _within_all(metrics, factors, [edition], target):
        return
    result = frontier(metrics, [edition], target, knobs)
    assert result.reachable
    size = {k: abs(factors.get(k, Fraction(1)) - 1) for k in result.knobs}
    for piece in result.pieces:
        ends = [result.points[n] for n in piece.points]
        if piece.kind == "point" and all(
            abs(ends[0].factors[k] - 1) <= size[k] for k in result.knobs
        ):
            return
        if piece.kind == "segment" and _segment_reaches(ends[0], ends[1], size, result.knobs):
            return
    pytest.fail(f"{factors} is within {target} but no frontier point is at most as large")


def _segment_reaches(
    a: FrontierPoint, b: FrontierPoint, size: dict[str, Fraction], knobs: tuple[str, ...]
) -> bool:
    """Is some point of the segment a-b at most `size` in every |change|? (Both ends lie in
    one orthant, so each |change| is linear along it.)"""
    lo, hi = Fraction(0), Fraction(1)
    for k in knobs:
        fa, fb = a.factors[k] - 1, b.factors[k] - 1
        sign = 1 if fa + fb > 0 else -1
        start, slope = sign * fa, sign * (fb - fa)  # |change| = start + slope * lambda
        if slope == 0:
            if start > size[k]:
                return False
        elif slope > 0:
            hi = min(hi, (size[k] - start) / slope)
        else:
            lo = max(lo, (size[k] - start) / slope)
    return lo <= hi


# --------------------------------------------------------------------------- lines of their own

ONLY_THE_LINE = """\
format = "chipclass-edition/1"
id = "test-only-the-line"
title = "A test edition: density exactly 2 is free"
citation = "test"
url = "https://example.invalid/"
effective = 2030-01-01
status = "published"
destination = "test"
summary = "test"
evidence = "test"

[[clause]]
id = "below"
role = "control"
label = "restricted"
text = "a density less than 2"
citation = "test"
url = "https://example.invalid/"
evidence = "test"
text_kind = "paraphrase"
conditions = [{ metric = "performance_density", op = "<", threshold = 2, text = "less than 2" }]

[[clause]]
id = "above"
role = "control"
label = "restricted"
text = "a density greater than 2"
citation = "test"
url = "https://example.invalid/"
evidence = "test"
text_kind = "paraphrase"
conditions = [{ metric = "performance_density", op = ">", threshold = 2, text = "greater than 2" }]
"""


def test_a_line_that_is_the_whole_target_is_found() -> None:
    from chipclass.editions import parse_edition

    edition = parse_edition(ONLY_THE_LINE, "test")
    # TPP 3000 on 1000 mm2: density 3; exportable only at density exactly 2, on the line
    # t / a = 2/3: from (t 2/3, a 1) to (t 1, a 3/2), every point of it on the boundary
    metrics = Metrics(
        tpp=Fraction(3000),
        applicable_die_area_mm2=Fraction(1000),
        memory_bandwidth_gbs=Fraction(100),
        io_bandwidth_gbs=Fraction(0),
        datacenter=True,
    )
    one = frontier(metrics, [edition], E, ["throughput"])
    assert [(p.factors, p.strict) for p in one.points] == [({"throughput": Fraction(2, 3)}, False)]
    today = tailor(metrics, edition, E)
    limit = next(k.limit for k in today.knobs if k.knob == "throughput")
    assert limit is not None and (limit.factor, limit.strict) == (Fraction(2, 3), False)
    two = frontier(metrics, [edition], E, ["throughput", "die_area"])
    (segment,) = two.pieces
    assert segment.kind == "segment"
    assert {tuple(sorted(two.points[n].factors.items())) for n in segment.points} == {
        (("die_area", Fraction(1)), ("throughput", Fraction(2, 3))),
        (("die_area", Fraction(3, 2)), ("throughput", Fraction(1))),
    }
    assert not any(p.strict for p in two.points)
    middle = {"throughput": Fraction(5, 6), "die_area": Fraction(5, 4)}  # 2500 / 1250 = 2
    assert within(decide(apply(metrics, middle), edition).label, E)
