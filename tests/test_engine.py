"""Known answers a reader can check by hand: metrics, labels, thresholds, margins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from known import EDITIONS, KNOWN_LABELS, LATEST

from chipclass.classify import classify
from chipclass.editions import all_editions, by_id, in_force
from chipclass.evaluate import decide
from chipclass.files import load_sheet
from chipclass.margin import nearest
from chipclass.metrics import Metrics, compute
from chipclass.spec import SheetError, parse_sheet

SPECS = Path(__file__).resolve().parent.parent / "specs"

E, L, R = "exportable", "license-required", "restricted"


def test_the_pinned_editions_are_bundled_in_date_order() -> None:
    ids = [e.id for e in all_editions()]
    assert [i for i in ids if i in EDITIONS] == list(EDITIONS)
    dates = [e.effective for e in all_editions()]
    assert dates == sorted(dates)


@pytest.mark.parametrize(("sheet", "edition", "label"), KNOWN_LABELS)
def test_seed_chips_carry_their_known_labels(sheet: str, edition: str, label: str) -> None:
    result = classify(load_sheet(SPECS / sheet), [by_id(edition)])
    assert result.verdicts[0].label == label


def test_h20_metrics_by_hand() -> None:
    metrics = compute(load_sheet(SPECS / "nvidia/h20.toml"))
    assert metrics.tpp == 2368  # 296 x 8
    assert metrics.tpp_precision == "fp8"  # ties with bf16 148 x 16: the shortest bits are named
    assert metrics.performance_density == Fraction(2368, 814)
    assert metrics.io_bandwidth_gbs == 1028  # NVLink 900 + PCIe Gen5 x16 128
    assert metrics.memory_plus_io_gbs == 5028


def test_h20_under_2023_margins_and_nearest_change() -> None:
    result = classify(load_sheet(SPECS / "nvidia/h20.toml"), [by_id("us-2023-10")])
    verdict = result.verdicts[0]
    assert verdict.label == E
    assert verdict.decision.clauses == ()
    b1 = next(r for r in verdict.rows if r.clause.id == "3A090.b.1" and r.condition.op == ">=")
    assert (b1.value, b1.margin, b1.met) == (2368, -32, False)
    assert b1.margin_pct == Fraction(-32 * 100, 2400)  # -1.333 %
    b2 = next(
        r
        for r in verdict.rows
        if r.clause.id == "3A090.b.2"
        and r.condition.metric == "performance_density"
        and r.condition.op == ">="
    )
    assert b2.margin == Fraction(2368, 814) - Fraction(16, 5)  # about -0.29
    change = verdict.nearest_stricter
    assert change is not None
    assert (change.knob, change.label, change.clause, change.strict) == (
        "throughput",
        L,
        "3A090.b.1",
        False,
    )
    assert change.factor == Fraction(2400, 2368)  # +1.351 %
    assert round(float(change.change_pct), 3) == 1.351
    assert verdict.nearest_laxer is None


def test_h100_nearest_laxer_must_pass_strictly_below_4800() -> None:
    verdict = classify(load_sheet(SPECS / "nvidia/h100-sxm.toml"), [by_id("us-2023-10")]).verdicts[
        0
    ]
    change = verdict.nearest_laxer
    assert change is not None
    assert (change.knob, change.label, change.clause) == ("throughput", L, "3A090.a.1")
    assert change.factor == Fraction(4800, 15832)
    assert change.strict  # at exactly 4800 the part still meets 3A090.a.1


def test_h100_under_2026_is_case_by_case_and_21000_is_the_line() -> None:
    verdict = classify(load_sheet(SPECS / "nvidia/h100-sxm.toml"), [by_id("us-2026-01")]).verdicts[
        0
    ]
    assert verdict.label == L
    assert "742.6(b)(10)(iii)(A)(1)" in verdict.decision.clauses
    change = verdict.nearest_stricter
    assert change is not None
    # "TPP less than 21,000": reaching 21000 itself already loses the relief
    assert (change.factor, change.strict, change.label) == (Fraction(21000, 15832), False, R)


def part(
    tpp: Fraction | int | str,
    area: Fraction | int | str | None = None,
    memory: Fraction | int | str | None = None,
    io: Fraction | int | str = 0,
    datacenter: bool = True,
) -> Metrics:
    def exact(v: Fraction | int | str | None) -> Fraction | None:
        return None if v is None else Fraction(v)

    io_value = exact(io)
    assert io_value is not None
    tpp_value = exact(tpp)
    assert tpp_value is not None
    return Metrics(
        tpp=tpp_value,
        applicable_die_area_mm2=exact(area),
        memory_bandwidth_gbs=exact(memory),
        io_bandwidth_gbs=io_value,
        datacenter=datacenter,
        us_available=dt.date(2024, 1, 1),  # on sale in the U.S.: the 2026 relief can apply
    )


def label(metrics: Metrics, edition: str) -> str:
    return decide(metrics, by_id(edition)).label


@pytest.mark.parametrize(
    ("metrics", "edition", "expected"),
    [
        # 3A090.a.1 "4800 or more": on the line is in
        (part(4800, area=3000), "us-2023-10", R),
        (part("4799.999", area=2999), "us-2023-10", L),  # density 1.6005: 3A090.b.1
        # 3A090.b.1 "2400 or more ... 1.6 or more"
        (part(2400, area=1500), "us-2023-10", L),  # density exactly 1.6
        (part("2399.999", area=1500), "us-2023-10", E),
        (part(2400, area="1500.001"), "us-2023-10", E),
        # 3A090.b.2 "3.2 or more and less than 5.92"
        (part(1600, area=500), "us-2023-10", L),  # density exactly 3.2
        (part(1600, area="500.0001"), "us-2023-10", E),
        # 3A090.a.2 "1600 or more and ... 5.92 or more"
        (part(1600, area=Fraction(1600 * 100, 592)), "us-2023-10", R),
        (part("1599.99", area=100), "us-2023-10", E),
        # Note 2 and NAC: a non-datacenter part at exactly 4800 is not excluded
        (part(4800, area=100, datacenter=False), "us-2023-10", L),
        (part("4799.99", area=100, datacenter=False), "us-2023-10", E),
        # the 2022 rule needs both prongs: I/O "600 Gbyte/s or more" AND 4800
        (part(4800, io=600), "us-2022-10", R),
        (part(4800, io="599.999"), "us-2022-10", E),
        (part("4799.999", io=10_000), "us-2022-10", E),
        # the April 2025 letters: 1400 / 1100 / 1700, each "or more"
        (part(100, area=1000, memory=1400), "us-2025-04", L),
        (part(100, area=1000, memory=1399, io=300), "us-2025-04", E),  # sum 1699
        (part(100, area=1000, memory=1399, io=301), "us-2025-04", L),  # sum exactly 1700
        (part(100, area=1000, memory=1, io=1100), "us-2025-04", L),
        (part(100, area=1000, memory=1, io=1099), "us-2025-04", E),
        # us-2026-01: "TPP less than 21,000 ... less than 6,500 GB/s"
        (part(20999, area=100, memory=6499), "us-2026-01", L),
        (part(21000, area=100, memory=6499), "us-2026-01", R),
        (part(20999, area=100, memory=6500), "us-2026-01", R),
    ],
)
def test_exactly_on_and_beside_each_threshold(
    metrics: Metrics, edition: str, expected: str
) -> None:
    assert label(metrics, edition) == expected


def test_density_exactly_592_where_binary_floats_fall_short(
    write_sheet: Callable[..., Path],
) -> None:
    # FP8 256.78 TOPS x 8 = 2054.24 on 347 mm^2 is 5.92 exactly; in binary floats it is 5.9199999...
    assert 256.78 * 8 / 347 < 5.92
    path = write_sheet(performance="fp8 = 256.78", rest="[[die]]\narea_mm2 = 347\n")
    metrics = compute(load_sheet(path))
    assert metrics.performance_density == Fraction("5.92")
    verdict = classify(load_sheet(path), [by_id("us-2023-10")]).verdicts[0]
    assert verdict.label == R
    assert verdict.decision.clauses == ("3A090.a.2",)


@pytest.mark.parametrize(
    ("metrics", "edition", "expected"),
    [
        (part(36000), "us-2023-10", R),  # 3A090.a.1 regardless of density
        (part(1520), "us-2023-10", E),  # under every TPP floor: density cannot matter
        (part(3000), "us-2023-10", "indeterminate"),
        (part(3000, area=100, memory=None), "us-2023-10", R),  # memory never matters in 2023
        (part(100, area=1000, memory=None), "us-2025-04", "indeterminate"),
        (part(100, area=1000, memory=None, io=1100), "us-2025-04", L),
    ],
)
def test_unknown_metrics_decide_only_when_they_could_change_the_label(
    metrics: Metrics, edition: str, expected: str
) -> None:
    assert label(metrics, edition) == expected


def test_indeterminate_names_the_unknown_and_the_possible_labels() -> None:
    decision = decide(part(3000), by_id("us-2023-10"))
    assert decision.unknown == ("performance_density",)
    assert decision.possible == (E, L, R)
    assert nearest(part(3000), by_id("us-2023-10"), decision) == (None, None)


def test_note_2_clears_a_consumer_part_and_says_so() -> None:
    # RTX 4090 D: TPP 4707 < 4800, density 7.7 meets 3A090.a.2, but Note 2 takes it out
    result = classify(load_sheet(SPECS / "nvidia/rtx-4090-d.toml"), [by_id("us-2023-10")])
    assert result.verdicts[0].label == E
    assert result.verdicts[0].decision.clauses == ("Note 2",)


def test_rtx_4090_is_3a090a_with_nac() -> None:
    result = classify(load_sheet(SPECS / "nvidia/rtx-4090.toml"), [by_id("us-2023-10")])
    clauses = result.verdicts[0].decision.clauses
    assert "3A090.a.1" in clauses
    assert "License Exception NAC" in clauses


def test_as_of_picks_the_edition_in_force() -> None:
    assert in_force(by_id("us-2023-10").effective).id == "us-2023-10"
    import datetime as dt

    # the notice of 2023-10-23 is in force until the rule itself, 2023-11-17
    assert in_force(dt.date(2023, 10, 22)).id == "us-2022-10"
    assert in_force(dt.date(2023, 11, 16)).id == "us-2023-10-notice"
    assert in_force(dt.date(2030, 1, 1)).id == LATEST
    before = in_force(dt.date(2021, 1, 1))  # before the letters of 2022-08-26: no control
    assert (before.id, before.clauses) == ("no-control", ())
    assert "takes effect 2022-08-26" in (before.notes or "")


def test_tf32_alone_setting_tpp_is_noted_with_the_19_bit_reading(
    write_sheet: Callable[..., Path],
) -> None:
    path = write_sheet(performance="tf32 = 100\nfp16 = 150")
    metrics = compute(load_sheet(path))
    assert metrics.tpp == 3200  # 100 x 32
    assert any("19 bits" in note and "2400" in note for note in metrics.notes)


def test_sparse_figure_is_halved_and_reported_as_derived(
    write_sheet: Callable[..., Path],
) -> None:
    path = write_sheet(performance="fp4 = { tops = 3352, sparse = true }")
    metrics = compute(load_sheet(path))
    assert metrics.tpp == 6704  # 3352 / 2 x 4
    assert any("halved" in note for note in metrics.notes)


def test_unit_strings_convert_exactly(write_sheet: Callable[..., Path]) -> None:
    path = write_sheet(
        performance='fp8 = "296 TFLOPS"',
        rest='[[die]]\narea_mm2 = "814 mm2"\n[memory]\nbandwidth_gbs = "4.0 TB/s"\n',
    )
    spec = load_sheet(path)
    assert spec.memory_bandwidth_gbs == 4000
    assert compute(spec).performance_density == Fraction(2368, 814)


def test_declared_tpp_is_cross_checked(write_sheet: Callable[..., Path]) -> None:
    ok = write_sheet("ok.toml", performance="fp8 = 296\ntpp = 2375")  # +0.3 %
    assert compute(load_sheet(ok)).tpp == 2368
    bad = write_sheet("bad.toml", performance="fp8 = 296\ntpp = 2400")  # +1.35 %
    with pytest.raises(SheetError, match=r"\[performance\] tpp: declared 2400 disagrees"):
        load_sheet(bad)


def test_tpp_only_sheet(write_sheet: Callable[..., Path]) -> None:
    path = write_sheet(performance="tpp = 2368")
    assert compute(load_sheet(path)).tpp == 2368


def test_planar_dies_leave_density_unknown(write_sheet: Callable[..., Path]) -> None:
    path = write_sheet(
        performance="fp8 = 400", rest="[[die]]\narea_mm2 = 100\nnon_planar = false\n"
    )
    metrics = compute(load_sheet(path))
    assert metrics.applicable_die_area_mm2 == 0
    assert metrics.performance_density is None
    assert label(metrics, "us-2023-10") == "indeterminate"


def test_die_count_multiplies_area(write_sheet: Callable[..., Path]) -> None:
    path = write_sheet(
        performance="fp8 = 4000",
        rest="[[die]]\narea_mm2 = 400\ncount = 2\n[[die]]\narea_mm2 = 300\nnon_planar = false\n",
    )
    metrics = compute(load_sheet(path))
    assert metrics.applicable_die_area_mm2 == 800
    assert metrics.performance_density == 40


def test_missing_interconnect_is_unknown_never_zero(write_sheet: Callable[..., Path]) -> None:
    """spec-format.md 1: no [interconnect] table is an unknown I/O bandwidth."""
    path = write_sheet(performance="fp8 = 700")
    assert compute(load_sheet(path)).io_bandwidth_gbs is None
    links = write_sheet("links.toml", performance="fp8 = 700", rest="[interconnect]\nhost_gbs = 64")
    assert compute(load_sheet(links)).io_bandwidth_gbs == 64  # chip_to_chip missing: 0


def test_an_h100_without_its_interconnect_table_is_indeterminate_in_2022(specs: Path) -> None:
    """87 FR 62186 (us-2022-10): 3A090 needs TPP >= 4800 AND I/O >= 600 GB/s. The H100's
    TPP is 15832 (989 x 16); with the I/O unknown the label could be either side."""
    text = (specs / "nvidia" / "h100-sxm.toml").read_text(encoding="utf-8")
    head, rest = text.split("[interconnect]", 1)
    tail = rest.split("\n[", 1)[1]
    spec = parse_sheet(head + "[" + tail, "h100-no-links.toml")
    metrics = compute(spec)
    assert metrics.io_bandwidth_gbs is None and metrics.memory_plus_io_gbs is None
    decision = decide(metrics, by_id("us-2022-10"))
    assert decision.label == "indeterminate"
    assert decision.possible == ("exportable", "restricted")
    assert decision.unknown == ("io_bandwidth_gbs",)
