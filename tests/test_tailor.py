"""`chipclass tailor`: the change each knob needs to reach a label, checked by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import Result
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from chipclass.editions import Edition, all_editions, by_id
from chipclass.evaluate import decide
from chipclass.files import load_sheet
from chipclass.margin import KNOBS, label_changes
from chipclass.metrics import Metrics, compute
from chipclass.tailor import CUT, HEADROOM, TARGETS, Tailoring, tailor, within

E, L, R = "exportable", "license-required", "restricted"


def _metrics(specs: Path, sheet: str) -> Metrics:
    return compute(load_sheet(specs / sheet))


def _tailor(specs: Path, sheet: str, edition: str, target: str) -> Tailoring:
    return tailor(_metrics(specs, sheet), by_id(edition), target)


# --------------------------------------------------------------------------- known answers


def test_h100_to_exportable_under_2023_needs_tpp_below_2400(specs: Path) -> None:
    # H100 SXM: TPP 1979 x 8 = 15832; restricted under us-2023-10 (3A090.a.1, a.2)
    result = _tailor(specs, "nvidia/h100-sxm.toml", "us-2023-10", E)
    assert result.label == R
    assert not result.within_target and result.reachable
    throughput = next(k for k in result.knobs if k.knob == "throughput")
    assert throughput.direction == CUT
    limit = throughput.limit
    assert limit is not None
    # by hand: 2400 / 15832 = 300 / 1979; change = (300/1979 - 1) x 100 = -84.8408... %
    assert limit.factor == Fraction(2400, 15832) == Fraction(300, 1979)
    assert limit.change_pct == Fraction(-167900, 1979)
    assert round(float(limit.change_pct), 3) == -84.841
    assert (limit.metric, limit.threshold, limit.knob_value) == ("tpp", 2400, 2400)
    # at TPP 2400 itself 3A090.b.1 (">= 2400") still holds: the part must go below it
    assert limit.strict is True
    assert limit.op == "<"
    assert (limit.clause, limit.label) == ("3A090.b.1", E)
    # TPP >= 4800 whatever the die area or bandwidths: no other knob alone gets there
    for knob in ("die_area", "memory_bandwidth", "io_bandwidth"):
        other = next(k for k in result.knobs if k.knob == knob)
        assert other.limit is None and other.scalable


def test_h20_headroom_under_2023(specs: Path) -> None:
    result = _tailor(specs, "nvidia/h20.toml", "us-2023-10", E)
    assert result.label == E and result.within_target and result.reachable
    assert {k.direction for k in result.knobs} == {HEADROOM}
    throughput = next(k for k in result.knobs if k.knob == "throughput").limit
    assert throughput is not None
    # 2368 -> 2400: +32/2368 = +1.3513... %; at 2400 3A090.b.1 (">= 2400") catches it
    assert throughput.factor == Fraction(2400, 2368) == Fraction(75, 74)
    assert throughput.change_pct == Fraction(50, 37)
    assert round(float(throughput.change_pct), 3) == 1.351
    assert (throughput.metric, throughput.threshold, throughput.strict) == ("tpp", 2400, False)
    assert (throughput.clause, throughput.label, throughput.op) == ("3A090.b.1", L, "<")
    area = next(k for k in result.knobs if k.knob == "die_area").limit
    assert area is not None
    # density 2368/814 = 2.909; it reaches 3.2 at 2368/3.2 = 740 mm2: 740/814 - 1 = -1/11
    assert area.knob_value == 740
    assert area.factor == Fraction(10, 11)
    assert area.change_pct == Fraction(-100, 11)
    assert (area.metric, area.threshold, area.strict) == (
        "performance_density",
        Fraction("3.2"),
        False,
    )
    assert (area.clause, area.label) == ("3A090.b.2", L)
    assert area.op == "<"  # it stays exportable while the density is below 3.2
    for knob in ("memory_bandwidth", "io_bandwidth"):  # no bandwidth clause in us-2023-10
        assert next(k for k in result.knobs if k.knob == knob).limit is None
    nearest = result.nearest()
    assert nearest is not None and nearest.knob == "throughput"


def test_h20_to_exportable_under_2025_only_by_memory(specs: Path) -> None:
    # the letters: memory >= 1400, or I/O >= 1100, or memory + I/O >= 1700 (I/O = 1028)
    result = _tailor(specs, "nvidia/h20.toml", "us-2025-04", E)
    assert result.label == L and not result.within_target and result.reachable
    for knob in ("throughput", "die_area", "io_bandwidth"):
        assert next(k for k in result.knobs if k.knob == knob).limit is None
    memory = next(k for k in result.knobs if k.knob == "memory_bandwidth").limit
    assert memory is not None
    # memory + 1028 < 1700 -> memory < 672 (also < 1400): 672 / 4000 = 21/125, -83.2 %
    assert memory.knob_value == 672
    assert memory.factor == Fraction(21, 125)
    assert memory.change_pct == Fraction(-416, 5)
    assert (memory.metric, memory.threshold, memory.strict) == ("memory_plus_io_gbs", 1700, True)
    assert (memory.clause, memory.label) == ("2025-04 H20 letters", E)


def test_rtx_4090_to_exportable_under_2023_by_note_2(specs: Path) -> None:
    # not for datacenters: TPP 660.6 x 8 = 5284.8 >= 4800 (a.1, NAC); below 4800 Note 2 applies
    result = _tailor(specs, "nvidia/rtx-4090.toml", "us-2023-10", E)
    assert result.label == L
    limit = next(k for k in result.knobs if k.knob == "throughput").limit
    assert limit is not None
    assert limit.factor == Fraction(4800) / Fraction("5284.8")
    assert (limit.threshold, limit.strict, limit.clause, limit.label) == (
        4800,
        True,
        "3A090.a.1",
        E,
    )


def test_a100_cannot_reach_exportable_under_2026_by_one_knob(specs: Path) -> None:
    # memory 2039 >= 1400 (letters) and TPP 4992 >= 4800: two knobs would have to move
    result = _tailor(specs, "nvidia/a100-sxm.toml", "us-2026-01", E)
    assert result.label == L
    assert not result.reachable
    assert all(k.limit is None for k in result.knobs)
    assert result.nearest() is None


def test_a100_headroom_under_2026_is_the_relief(specs: Path) -> None:
    # case-by-case relief (the A100 is on sale in the U.S.) while TPP < 21000 and memory
    # < 6500: 21000/4992 and 6500/2039
    result = _tailor(specs, "nvidia/a100-sxm.toml", "us-2026-01", L)
    assert result.within_target
    throughput = next(k for k in result.knobs if k.knob == "throughput").limit
    memory = next(k for k in result.knobs if k.knob == "memory_bandwidth").limit
    assert throughput is not None and memory is not None
    assert throughput.factor == Fraction(21000, 4992)
    assert memory.factor == Fraction(6500, 2039)
    for limit in (throughput, memory):
        assert (limit.clause, limit.label, limit.strict) == ("742.6(b)(10)(iii)(A)(1)", R, False)


def test_indeterminate_is_never_within_a_target(specs: Path) -> None:
    # TPU v5e: no die area, so the density is unknown and the label indeterminate
    result = _tailor(specs, "google/tpu-v5e.toml", "us-2023-10", R)
    assert result.label == "indeterminate"
    assert not result.within_target
    area = next(k for k in result.knobs if k.knob == "die_area")
    assert area.limit is None and not area.scalable
    # below TPP 1600 no clause of us-2023-10 can hold, whatever the density
    throughput = next(k for k in result.knobs if k.knob == "throughput").limit
    assert throughput is not None
    assert (throughput.threshold, throughput.strict, throughput.label) == (1600, True, E)


def test_within_is_severity_and_never_indeterminate() -> None:
    assert within(E, E) and within(E, R) and within(L, L) and within(L, R)
    assert not within(L, E) and not within(R, L)
    assert not any(within("indeterminate", t) for t in TARGETS)


def test_unknown_target_is_refused(specs: Path) -> None:
    with pytest.raises(ValueError, match="unknown target"):
        _tailor(specs, "nvidia/h20.toml", "us-2023-10", "fine")


def test_label_changes_along_h100_throughput(specs: Path) -> None:
    metrics = _metrics(specs, "nvidia/h100-sxm.toml")
    edition = by_id("us-2023-10")
    down = [
        (p.factor * 15832, p.strict, p.label)
        for p in label_changes(metrics, edition, "throughput", upward=False)
    ]
    # restricted until TPP drops below 4800 (a.1), license-required until below 2400 (b.1)
    assert down == [(4800, True, L), (2400, True, E)]
    assert list(label_changes(metrics, edition, "throughput", upward=True)) == []


# --------------------------------------------------------------------------- properties

CHIPS = st.builds(
    Metrics,
    tpp=st.fractions(min_value=100, max_value=60000, max_denominator=10),
    applicable_die_area_mm2=st.one_of(
        st.none(), st.fractions(min_value=50, max_value=2000, max_denominator=4)
    ),
    memory_bandwidth_gbs=st.one_of(
        st.none(), st.fractions(min_value=50, max_value=9000, max_denominator=4)
    ),
    io_bandwidth_gbs=st.fractions(min_value=1, max_value=2500, max_denominator=4),
    datacenter=st.booleans(),
)


@settings(max_examples=examples(60), deadline=None)
@given(
    metrics=CHIPS,
    edition=st.sampled_from(all_editions()),
    target=st.sampled_from(TARGETS),
)
def test_every_limit_is_where_the_label_crosses_the_target(
    metrics: Metrics, edition: Edition, target: str
) -> None:
    result = tailor(metrics, edition, target)
    cut = not result.within_target
    assert result.within_target == within(decide(metrics, edition).label, target)
    for item in result.knobs:
        limit = item.limit
        if limit is None:
            continue
        assert item.knob in KNOBS
        f = limit.factor
        # a point just beyond the boundary, and one just short of it
        step = Fraction(1, 10**9)
        beyond = f * (1 + step) if f > 1 else f * (1 - step)
        short = f + (1 - f) * step
        at = decide(metrics.scaled(item.knob, f), edition).label
        past = decide(metrics.scaled(item.knob, beyond), edition).label
        before = decide(metrics.scaled(item.knob, short), edition).label
        # cut: the target is reached on (inclusive) or past (strict) the boundary, not before
        # headroom: the part leaves on or past the boundary, not before
        assert within(past, target) == cut
        assert within(at, target) == (cut != limit.strict)
        assert within(before, target) != cut


# --------------------------------------------------------------------------- the CLI


def test_cli_text_for_h100(run: Callable[..., Result], specs: Path) -> None:
    result = run(
        "tailor", str(specs / "nvidia/h100-sxm.toml"), "--target", E, "--edition", "us-2023-10"
    )
    assert result.exit_code == 0
    out = result.stdout
    assert "target exportable: not met" in out
    assert "-84.841 %" in out
    assert "TPP 15832 → 2400" in out
    assert "TPP < 2400" in out
    assert "3A090.b.1" in out


def test_cli_json_for_h20(run: Callable[..., Result], specs: Path) -> None:
    result = run(
        "tailor", str(specs / "nvidia/h20.toml"), "-t", E, "-e", "us-2023-10", "--format", "json"
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["chip"]["id"] == "nvidia-h20"
    assert (data["edition"], data["label"], data["target"]) == ("us-2023-10", E, E)
    assert data["within_target"] is True
    knobs = {k["knob"]: k for k in data["knobs"]}
    assert list(knobs) == list(KNOBS)
    assert knobs["throughput"] == {
        "knob": "throughput",
        "direction": "headroom",
        "limited": True,
        "boundary_metric": "tpp",
        "boundary": 2400,
        "op": "<",
        "strict": False,
        "change_pct": 1.351351,
        "knob_quantity": "tpp",
        "knob_value": 2400,
        "clause": "3A090.b.1",
        "label": L,
    }
    assert knobs["die_area"]["knob_value"] == 740
    assert knobs["die_area"]["boundary"] == 3.2
    assert knobs["memory_bandwidth"] == {
        "knob": "memory_bandwidth",
        "direction": "headroom",
        "limited": False,
    }


def test_cli_json_cut_marks_unreachable_knobs(run: Callable[..., Result], specs: Path) -> None:
    result = run(
        "tailor", str(specs / "nvidia/h20.toml"), "-t", E, "-e", "us-2025-04", "-f", "json"
    )
    assert result.exit_code == 0
    knobs = {k["knob"]: k for k in json.loads(result.stdout)["knobs"]}
    assert knobs["throughput"] == {"knob": "throughput", "direction": "cut", "reachable": False}
    memory = knobs["memory_bandwidth"]
    assert (memory["reachable"], memory["knob_value"], memory["strict"]) == (True, 672, True)
    assert (memory["boundary_metric"], memory["boundary"]) == ("memory_plus_io_gbs", 1700)
    assert memory["change_pct"] == -83.2


def test_cli_exit_1_when_no_single_knob_reaches(run: Callable[..., Result], specs: Path) -> None:
    result = run("tailor", str(specs / "nvidia/a100-sxm.toml"), "--target", E)
    assert result.exit_code == 1
    assert "no single-knob change reaches exportable" in result.stdout
    as_json = run("tailor", str(specs / "nvidia/a100-sxm.toml"), "--target", E, "-f", "json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["reachable"] is False


def test_cli_already_within_target_exits_0(run: Callable[..., Result], specs: Path) -> None:
    result = run("tailor", str(specs / "nvidia/h100-sxm.toml"), "--target", R)
    assert result.exit_code == 0
    assert "target restricted: met" in result.stdout


def test_cli_input_errors_exit_2(
    run: Callable[..., Result], specs: Path, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    sheet = str(specs / "nvidia/h20.toml")
    missing = run("tailor", str(tmp_path / "nope.toml"), "--target", E)
    assert missing.exit_code == 2 and "nope.toml" in missing.stderr
    folder = run("tailor", str(specs), "--target", E)
    assert folder.exit_code == 2 and "folder" in folder.stderr
    assert run("tailor", sheet, "--target", E, "--edition", "us-1999").exit_code == 2
    assert run("tailor", sheet, "--target", "fine").exit_code == 2
    assert run("tailor", sheet).exit_code == 2  # --target is required
    bad = write_sheet("bad.toml", rest='[memory]\nbandwidth_gbs = "4 furlongs"')
    broken = run("tailor", str(bad), "--target", E)
    assert broken.exit_code == 2
    assert "bad.toml" in broken.stderr and "bandwidth_gbs" in broken.stderr
    assert "Traceback" not in broken.stderr + broken.stdout
