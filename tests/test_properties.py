"""Laws the classifier must obey for every input (hypothesis), and exact-threshold examples.

Most properties build `Metrics` directly from exact Fractions (fast); some go through
sheet text and the CLI. Every law is checked against every bundled edition.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import THOROUGH, examples, sheet_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipclass.classify import classify, judge, rows
from chipclass.cli import cli
from chipclass.editions import (
    INDETERMINATE,
    SEVERITY,
    Edition,
    all_editions,
    by_id,
    in_force,
    select,
)
from chipclass.evaluate import decide
from chipclass.margin import KNOBS, Change, knob_changes
from chipclass.metrics import Metrics, compute
from chipclass.serialize import result_dict, row_dict, verdict_dict
from chipclass.spec import KNOWN_BITS, parse_sheet

EDITIONS = all_editions()
EDITION_IDS = [e.id for e in EDITIONS]

# derandomized: the same examples on every run, so CI never flakes; no example database
FAST = settings(
    max_examples=examples(150),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SLOW = settings(FAST, max_examples=examples(40))
#: the properties run once per edition: the default profile spreads FAST's examples over
#: the editions (a quarter each, at least 5), so another edition adds little time; the
#: thorough profile gives every edition all of them
PER_EDITION = settings(FAST, max_examples=examples(150) if THOROUGH else max(5, examples(150) // 4))

# --------------------------------------------------------------------------- strategies

TPP_LINES = (1600, 2400, 4800, 21000)
DENSITY_LINES = (Fraction("1.6"), Fraction("3.2"), Fraction("5.92"))
MEMORY_LINES = (1400, 6500)
IO_LINES = (600, 1100)
HAIR = Fraction(1, 10**6)


def _near(lines: tuple[int | Fraction, ...]) -> st.SearchStrategy[Fraction]:
    """A threshold itself, or a hair to either side of it."""
    return st.builds(
        lambda line, step: Fraction(line) + step * HAIR,
        st.sampled_from(lines),
        st.sampled_from((-1, 0, 1)),
    )


def _spread(low: int, high: int) -> st.SearchStrategy[Fraction]:
    """Log-uniform from `low` to `high`, as exact fractions with small denominators."""
    return st.floats(min_value=math.log10(low), max_value=math.log10(high)).map(
        lambda e: Fraction(10**e).limit_denominator(1000)
    )


def _amount(low: int, high: int, lines: tuple[int | Fraction, ...]) -> st.SearchStrategy[Fraction]:
    """Near a threshold, anywhere from `low` to `high`, or any small exact fraction."""
    return st.one_of(
        _near(lines),
        _spread(low, high),
        st.fractions(min_value=Fraction(1, 100), max_value=high, max_denominator=1000),
    )


@st.composite
def metrics_strategy(
    draw: st.DrawFn, unknown: bool = True, unknown_area: bool | None = None
) -> Metrics:
    tpp = draw(_amount(100, 40_000, TPP_LINES))
    area_kind = draw(
        st.sampled_from(["density", "random", "none", "zero"] if unknown else ["density", "random"])
    )
    if unknown_area is True:
        area_kind = draw(st.sampled_from(["none", "zero"]))
    elif unknown_area is False and area_kind in ("none", "zero"):
        area_kind = "density"
    area: Fraction | None
    if area_kind == "density":
        area = tpp / draw(_amount(1, 30, DENSITY_LINES))
    elif area_kind == "random":
        area = draw(st.fractions(min_value=1, max_value=5000, max_denominator=100))
    else:
        area = None if area_kind == "none" else Fraction(0)
    io = draw(st.one_of(st.just(Fraction(0)), _amount(10, 4000, IO_LINES)))
    memory: Fraction | None
    memory_kind = draw(st.sampled_from(["line", "sum", "none"] if unknown else ["line", "sum"]))
    if memory_kind == "none":
        memory = None
    elif memory_kind == "sum" and io < 1700:  # memory + I/O on the 1700 line of 2025-04
        memory = Fraction(1700) - io + draw(st.sampled_from((-1, 0, 1))) * HAIR
    else:
        memory = draw(_amount(100, 10_000, MEMORY_LINES))
    datacenter = draw(st.booleans())
    return Metrics(
        tpp=tpp,
        applicable_die_area_mm2=area,
        memory_bandwidth_gbs=memory,
        io_bandwidth_gbs=io,
        datacenter=datacenter,
        us_available=dt.date(2024, 1, 1),  # the 2026 relief can apply (its facts: test_law)
    )


known_metrics = metrics_strategy(unknown=False)
any_metrics = metrics_strategy()
editions = st.sampled_from(EDITIONS)
factors = st.fractions(min_value=Fraction(101, 100), max_value=4, max_denominator=1000)


def _label(metrics: Metrics, edition: Edition) -> str:
    return decide(metrics, edition).label


# --------------------------------------------------------------------------- 1. monotone severity


@pytest.mark.parametrize("edition_id", EDITION_IDS)
@PER_EDITION
@given(metrics=any_metrics, knob=st.sampled_from(KNOBS), factor=factors)
def test_severity_is_monotone_in_throughput_memory_io_and_antitone_in_die_area(
    edition_id: str, metrics: Metrics, knob: str, factor: Fraction
) -> None:
    """More throughput, memory or I/O never lowers the label; more die area never raises it."""
    edition = by_id(edition_id)
    before = _label(metrics, edition)
    after = _label(metrics.scaled(knob, factor), edition)
    if INDETERMINATE in (before, after):
        return
    if knob == "die_area":
        assert SEVERITY[after] <= SEVERITY[before], (before, after)
    else:
        assert SEVERITY[after] >= SEVERITY[before], (before, after)


# --------------------------------------------------------------------------- 2. order of precisions

PRECISIONS = ("fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp6", "fp4", "int4")

entries = st.lists(
    st.tuples(
        st.sampled_from(PRECISIONS),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(5000), places=2),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda e: e[0],
)


@SLOW
@given(items=entries, data=st.data())
def test_the_order_of_precisions_in_a_sheet_does_not_matter(
    items: list[tuple[str, Decimal]], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(items))
    rest = "[[die]]\narea_mm2 = 500\n[memory]\nbandwidth_gbs = 2000\n"

    def result(order: list[tuple[str, Decimal]]) -> dict[str, object]:
        performance = "\n".join(f"{name} = {tops}" for name, tops in order)
        spec = parse_sheet(sheet_text(performance=performance, rest=rest), "chip.toml")
        return result_dict(classify(spec, EDITIONS))

    assert result(items) == result(list(shuffled))
    # and the TPP is the largest TOPS x bits, whichever precision comes first
    best = max(Fraction(tops) * KNOWN_BITS[name] for name, tops in items)
    shuffled_text = "\n".join(f"{n} = {t}" for n, t in shuffled)
    assert compute(parse_sheet(sheet_text(performance=shuffled_text), "y.toml")).tpp == best


# --------------------------------------------------------------------------- 3. units

decimals = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(9000), places=3)


@SLOW
@given(tops=decimals, area=decimals, memory=decimals, host=decimals)
def test_a_unit_string_and_its_number_give_the_same_result(
    tops: Decimal, area: Decimal, memory: Decimal, host: Decimal
) -> None:
    plain = sheet_text(
        performance=f"fp8 = {tops}",
        rest=f"[[die]]\narea_mm2 = {area}\n[memory]\nbandwidth_gbs = {memory}\n"
        f"[interconnect]\nhost_gbs = {host}\n",
    )
    shift = Decimal(1000)
    written = sheet_text(
        performance=f'fp8 = "{tops / shift} PFLOPS"',
        rest=f'[[die]]\narea_mm2 = "{area / 100} cm2"\n'
        f'[memory]\nbandwidth_gbs = "{memory / shift} TB/s"\n'
        f'[interconnect]\nhost_gbs = "{host * 8} Gb/s"\n',
    )
    a = classify(parse_sheet(plain, "a.toml"), EDITIONS)
    b = classify(parse_sheet(written, "a.toml"), EDITIONS)
    assert a.metrics == b.metrics
    assert a.metrics.tpp == Fraction(tops) * 8
    assert a.metrics.memory_bandwidth_gbs == Fraction(memory)
    assert result_dict(a) == result_dict(b)


def test_unit_strings_convert_exactly_by_hand() -> None:
    spec = parse_sheet(
        sheet_text(
            performance='fp8 = "296 TFLOPS"',
            rest='[[die]]\narea_mm2 = "814 mm2"\n[memory]\nbandwidth_gbs = "4.0 TB/s"\n',
        ),
        "h20.toml",
    )
    assert spec.memory_bandwidth_gbs == 4000 and isinstance(spec.memory_bandwidth_gbs, Fraction)
    assert spec.dies[0].area_mm2 == 814 and spec.throughput[0].tops == 296


# --------------------------------------------------------------------------- 4. JSON


@pytest.mark.parametrize("edition_id", EDITION_IDS)
@PER_EDITION
@given(metrics=any_metrics)
def test_json_of_any_verdict_parses_and_round_trips(edition_id: str, metrics: Metrics) -> None:
    data = verdict_dict(judge(metrics, by_id(edition_id)))
    text = json.dumps(data, allow_nan=False)  # no NaN / Infinity ever
    assert json.loads(text) == data
    assert data["label"] in (*SEVERITY, INDETERMINATE)


@SLOW
@given(
    tops=decimals,
    area=st.one_of(st.none(), decimals),
    memory=st.one_of(st.none(), decimals),
)
def test_cli_json_parses_and_matches_the_result_dict(
    tops: Decimal, area: Decimal | None, memory: Decimal | None
) -> None:
    rest = ""
    if area is not None:
        rest += f"[[die]]\narea_mm2 = {area}\n"
    if memory is not None:
        rest += f"[memory]\nbandwidth_gbs = {memory}\n"
    text = sheet_text(performance=f"fp8 = {tops}", rest=rest)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chip.toml"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(
            cli, ["classify", str(path), "--all-editions", "-f", "json"], catch_exceptions=True
        )
        assert result.exit_code == 0, (result.output, result.exception)
        doc = json.loads(result.stdout)
    expected = result_dict(classify(parse_sheet(text, str(path)), EDITIONS))
    assert doc["results"] == [json.loads(json.dumps(expected))]
    assert doc["errors"] == []


# --------------------------------------------------------------------------- 5. margin signs


@pytest.mark.parametrize("edition_id", EDITION_IDS)
@PER_EDITION
@given(metrics=any_metrics)
def test_margin_signs_agree_with_met(edition_id: str, metrics: Metrics) -> None:
    """margin = value - threshold; >= met iff margin >= 0, > iff > 0, < iff < 0, <= iff <= 0."""
    edition = by_id(edition_id)
    for row in rows(metrics, edition):
        if row.value is None:
            assert row.met is None and row.margin is None and row.margin_pct is None
            continue
        margin, op = row.margin, row.condition.op
        assert margin is not None and row.margin_pct is not None
        expected = {
            ">=": margin >= 0,
            ">": margin > 0,
            "<": margin < 0,
            "<=": margin <= 0,
        }[op]
        assert row.met is expected, (op, margin)
        assert (row.margin_pct > 0) == (margin > 0) and (row.margin_pct == 0) == (margin == 0)
    # the rounded JSON never contradicts `met` either (it may round a hair to 0)
    for row in rows(metrics, edition):
        data = row_dict(row)
        if data["met"] is None:
            continue
        op, met, margin = data["op"], data["met"], data["margin"]
        if op in (">=", ">"):
            assert margin >= 0 if met else margin <= 0
        else:
            assert margin <= 0 if met else margin >= 0


# --------------------------------------------------------------------------- 6. nearest changes

HAIR_FACTOR = Fraction(1, 10**12)
UPWARD_IS_STRICTER = {
    "throughput": True,
    "memory_bandwidth": True,
    "io_bandwidth": True,
    "die_area": False,
}


def _apply(
    metrics: Metrics, change: Change, fraction_of_the_way: Fraction = Fraction(1)
) -> Metrics:
    factor = 1 + (change.factor - 1) * fraction_of_the_way
    return metrics.scaled(change.knob, factor)


def _beyond(metrics: Metrics, change: Change, current: str) -> Metrics:
    """The knob scaled to the change's boundary and, for a strict one, a hair beyond it."""
    if not change.strict:
        return metrics.scaled(change.knob, change.factor)
    stricter = SEVERITY[change.label] > SEVERITY[current]
    upward = UPWARD_IS_STRICTER[change.knob] == stricter
    step = change.factor * HAIR_FACTOR
    return metrics.scaled(change.knob, change.factor + step if upward else change.factor - step)


def _changes(metrics: Metrics, edition: Edition) -> Iterator[tuple[str, Change]]:
    verdict = judge(metrics, edition)
    for change in (verdict.nearest_stricter, verdict.nearest_laxer):
        if change is not None:
            yield verdict.label, change


@pytest.mark.parametrize("edition_id", EDITION_IDS)
@PER_EDITION
@given(metrics=any_metrics)
def test_applying_the_nearest_change_reaches_its_label_and_half_of_it_does_not(
    edition_id: str, metrics: Metrics
) -> None:
    edition = by_id(edition_id)
    for current, change in _changes(metrics, edition):
        assert change.label != current and INDETERMINATE not in (current, change.label)
        stricter = SEVERITY[change.label] > SEVERITY[current]
        reached = _label(_beyond(metrics, change, current), edition)
        assert reached == change.label, (change, reached)
        if change.strict:  # the boundary itself is not enough
            assert _label(metrics.scaled(change.knob, change.factor), edition) != change.label
        if change.factor != 1:
            half = _label(_apply(metrics, change, Fraction(1, 2)), edition)
            assert half in (current, INDETERMINATE), (change, half)
        # the change moves the knob the way the monotone law says it must
        if change.factor != 1:
            assert (change.factor > 1) == (UPWARD_IS_STRICTER[change.knob] == stricter)


@pytest.mark.parametrize("edition_id", EDITION_IDS)
@PER_EDITION
@given(metrics=any_metrics)
def test_the_nearest_change_is_the_smallest_over_all_knobs(
    edition_id: str, metrics: Metrics
) -> None:
    edition = by_id(edition_id)
    verdict = judge(metrics, edition)
    every = [c for knob in KNOBS for c in knob_changes(metrics, edition, verdict.decision, knob)]
    for nearest, want_stricter in (
        (verdict.nearest_stricter, True),
        (verdict.nearest_laxer, False),
    ):
        same_kind = [
            c for c in every if (SEVERITY[c.label] > SEVERITY[verdict.label]) == want_stricter
        ]
        if nearest is None:
            assert same_kind == []
        else:
            assert all(abs(nearest.factor - 1) <= abs(c.factor - 1) for c in same_kind)


# --------------------------------------------------------------------------- 7. --as-of

FIRST = EDITIONS[0].effective


@FAST
@given(day=st.dates(min_value=FIRST, max_value=dt.date(2040, 12, 31)))
def test_as_of_picks_the_latest_edition_in_force_on_that_date(day: dt.date) -> None:
    chosen = in_force(day)
    assert chosen.effective <= day
    assert all(e.effective <= chosen.effective or e.effective > day for e in EDITIONS)
    assert select([], False, day) == (chosen,)


@settings(SLOW, max_examples=examples(15))
@given(day=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_cli_as_of_uses_the_edition_in_force(day: dt.date) -> None:
    result = CliRunner().invoke(
        cli,
        ["classify", "specs/nvidia/h20.toml", "--as-of", day.isoformat(), "-f", "json"],
        catch_exceptions=True,
    )
    if day < FIRST:  # before the first letters: no control, said plainly
        assert result.exit_code == 0 and "no control" in result.stderr
        (verdict,) = json.loads(result.stdout)["results"][0]["verdicts"]
        assert (verdict["edition"], verdict["label"]) == ("no-control", "exportable")
        return
    assert result.exit_code == 0, result.output
    (verdict,) = json.loads(result.stdout)["results"][0]["verdicts"]
    assert verdict["edition"] == in_force(day).id


def test_as_of_on_each_effective_date_and_the_day_before() -> None:
    for earlier, later in itertools.pairwise(EDITIONS):
        assert in_force(later.effective) == later
        assert in_force(later.effective - dt.timedelta(days=1)) == earlier
    assert in_force(FIRST - dt.timedelta(days=1)).id == "no-control"


# --------------------------------------------------------------------------- 8. unknowns


def fills_for_unknowns(metrics: Metrics, edition: Edition, extra: Fraction) -> list[Metrics]:
    """The part with every unknown metric replaced by each value that could matter."""
    density_values: list[Fraction | None] = [None]
    if metrics.performance_density is None:
        lines = set(edition.thresholds("performance_density")) | {Fraction(1), extra}
        density_values = sorted(
            {v for line in lines for v in (line - HAIR, line, line + HAIR) if v > 0}
            | {HAIR, Fraction(10**6)}
        )
    sums = edition.thresholds("memory_plus_io_gbs")

    def near(lines: set[Fraction], top: int) -> list[Fraction]:
        """Each line, a hair either side, and the ends of the scale (zero for I/O)."""
        return sorted(
            {v for line in lines for v in (line - HAIR, line, line + HAIR) if v >= 0}
            | {HAIR, Fraction(top)}
        )

    def memory_values_given(io: Fraction | None) -> list[Fraction | None]:
        if metrics.memory_bandwidth_gbs is not None:
            return [None]
        lines = set(edition.thresholds("memory_bandwidth_gbs")) | {extra * 1000}
        lines |= {t - io for t in sums} if io is not None else set(sums)
        return [v for v in near(lines, 10**7) if v > 0]

    def io_values_given(memory: Fraction | None) -> list[Fraction | None]:
        if metrics.io_bandwidth_gbs is not None:
            return [None]
        lines = set(edition.thresholds("io_bandwidth_gbs")) | {Fraction(0)}
        if memory is not None:
            lines |= {t - memory for t in sums}
        return list(near(lines, 10**7))

    filled = []
    for density in density_values:
        area = metrics.applicable_die_area_mm2 if density is None else metrics.tpp / density
        for memory in memory_values_given(metrics.io_bandwidth_gbs):
            bandwidth = metrics.memory_bandwidth_gbs if memory is None else memory
            for io in io_values_given(bandwidth):
                filled.append(
                    Metrics(
                        tpp=metrics.tpp,
                        applicable_die_area_mm2=area,
                        memory_bandwidth_gbs=bandwidth,
                        io_bandwidth_gbs=metrics.io_bandwidth_gbs if io is None else io,
                        datacenter=metrics.datacenter,
                        vendor=metrics.vendor,
                        us_available=metrics.us_available,
                    )
                )
    return filled


@pytest.mark.parametrize("edition_id", EDITION_IDS)
@PER_EDITION
@given(
    metrics=metrics_strategy(unknown_area=True),
    extra=st.fractions(min_value=Fraction(1, 100), max_value=20, max_denominator=100),
)
def test_no_label_rests_on_an_unknown_metric_that_could_change_it(
    edition_id: str, metrics: Metrics, extra: Fraction
) -> None:
    """A determinate label holds for every value the unknown metrics could take; an
    indeterminate one lists exactly the labels those values give; never exportable when
    some value would make the part controlled."""
    edition = by_id(edition_id)
    decision = decide(metrics, edition)
    outcomes = {_label(m, edition) for m in fills_for_unknowns(metrics, edition, extra)}
    assert INDETERMINATE not in outcomes
    if decision.label == INDETERMINATE:
        assert set(decision.possible) == outcomes and len(outcomes) > 1
    else:
        assert outcomes == {decision.label}
    if outcomes != {"exportable"}:
        assert decision.label != "exportable"


@settings(SLOW, max_examples=examples(60))
@given(
    tops=decimals,
    memory=st.one_of(st.none(), decimals),
    datacenter=st.booleans(),
    planar=st.booleans(),
)
def test_no_sheet_without_a_die_area_is_exportable_when_a_density_would_control_it(
    tops: Decimal, memory: Decimal | None, datacenter: bool, planar: bool
) -> None:
    rest = "[[die]]\narea_mm2 = 600\nnon_planar = false\n" if planar else ""
    if memory is not None:
        rest += f"[memory]\nbandwidth_gbs = {memory}\n"
    spec = parse_sheet(
        sheet_text(performance=f"fp8 = {tops}", rest=rest, datacenter=datacenter), "x.toml"
    )
    metrics = compute(spec)
    assert metrics.performance_density is None
    for edition in EDITIONS:
        label = _label(metrics, edition)
        outcomes = {_label(m, edition) for m in fills_for_unknowns(metrics, edition, Fraction(1))}
        if label != INDETERMINATE:
            assert outcomes == {label}
        if outcomes != {"exportable"}:
            assert label != "exportable"


# --------------------------------------------------------------------------- exact thresholds


def _m(
    tpp: Fraction | int | str,
    area: Fraction | int | str | None = None,
    memory: Fraction | int | str | None = 1000,
    io: Fraction | int | str = 0,
    datacenter: bool = True,
) -> Metrics:
    return Metrics(
        tpp=Fraction(tpp),
        applicable_die_area_mm2=None if area is None else Fraction(area),
        memory_bandwidth_gbs=None if memory is None else Fraction(memory),
        io_bandwidth_gbs=Fraction(io),
        datacenter=datacenter,
        us_available=dt.date(2024, 1, 1),  # on sale in the U.S.: the 2026 relief can apply
    )


def test_fp8_256_78_on_347_mm2_is_density_5_92_exactly_and_meets_a2() -> None:
    spec = parse_sheet(
        sheet_text(performance="fp8 = 256.78", rest="[[die]]\narea_mm2 = 347\n"), "a2.toml"
    )
    metrics = compute(spec)
    assert metrics.tpp == Fraction("2054.24")
    assert metrics.performance_density == Fraction("5.92")  # 2054.24 / 347, no float residue
    decision = decide(metrics, by_id("us-2023-10"))
    assert (decision.label, decision.clauses) == ("restricted", ("3A090.a.2",))
    # a hair less area is over the line too; a hair more area is not
    bigger = metrics.scaled("die_area", 1 + HAIR)
    assert decide(bigger, by_id("us-2023-10")).label == "license-required"  # 3A090.b.2


def test_tpp_exactly_4800_meets_a1_and_a_hair_less_does_not() -> None:
    edition = by_id("us-2023-10")
    assert decide(_m(4800, area=10_000), edition).clauses == ("3A090.a.1",)
    below = decide(_m(Fraction(4800) - HAIR, area=10_000), edition)
    assert below.label == "exportable"  # density 0.48, under 1.6


def test_tpp_4800_on_a_non_datacenter_part_is_not_excluded_by_note_2() -> None:
    for edition_id in ("us-2023-10", "us-2024-12", "us-2025-04", "us-2026-01"):
        edition = by_id(edition_id)
        at = decide(_m(4800, area=10_000, datacenter=False), edition)
        assert at.label == "license-required", edition_id  # NAC relief, not exportable
        assert "Note 2" not in at.clauses
        under = decide(_m(Fraction(4799), area=1000, datacenter=False), edition)
        assert (under.label, under.clauses) == ("exportable", ("Note 2",)), edition_id


def test_memory_exactly_1400_meets_the_2025_04_letter() -> None:
    edition = by_id("us-2025-04")
    at = decide(_m(1000, area=1000, memory=1400), edition)
    assert (at.label, at.clauses) == ("license-required", ("2025-04 H20 letters",))
    assert decide(_m(1000, area=1000, memory=1399), edition).label == "exportable"
    # and the other two letters: I/O 1100, memory + I/O 1700, each exactly
    assert decide(_m(1000, area=1000, memory=1, io=1100), edition).label == "license-required"
    assert decide(_m(1000, area=1000, memory=600, io=1100), edition).label == "license-required"
    assert decide(_m(1000, area=1000, memory=700, io=1000), edition).label == "license-required"
    assert decide(_m(1000, area=1000, memory=699, io=1000), edition).label == "exportable"


def test_tpp_exactly_21000_is_not_under_the_case_by_case_relief() -> None:
    edition = by_id("us-2026-01")
    at = decide(_m(21000, area=3000, memory=4000), edition)
    assert at.label == "restricted"
    below = decide(_m(Fraction(21000) - HAIR, area=3000, memory=4000), edition)
    assert below.label == "license-required"
    assert decide(_m(20000, area=3000, memory=6500), edition).label == "restricted"
    assert decide(_m(20000, area=3000, memory=6499), edition).label == "license-required"


def test_the_3a090_b_band_edges_exactly() -> None:
    edition = by_id("us-2023-10")
    # TPP 2400 and density 1.6 exactly: 3A090.b.1 ("2400 or more", "1.6 or more")
    assert decide(_m(2400, area=1500), edition).clauses == ("3A090.b.1",)
    # TPP 1600 and density 3.2 exactly: 3A090.b.2
    assert decide(_m(1600, area=500), edition).clauses == ("3A090.b.2",)
    # density 3.2 with TPP a hair under 1600: nothing
    assert decide(_m(Fraction(1600) - HAIR, area=500), edition).label == "exportable"
