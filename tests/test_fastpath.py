"""The fast paths give what the step-by-step code gives, exactly.

Issue #7 made the hot paths cheap: decisions looked up by which conditions hold,
computed on integer terms; the margin walk without a Probe per point; JSON numbers
and indented JSON text without the standard library's slow paths; one edition
file parsed when one edition is asked for; commands imported when they run. Each
is checked here against the plain code it replaces, which stays in the modules
(tests/oracle.py, the plain factor and walk below, Row's properties, json.dumps,
round(), all_editions()).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import oracle
import pytest
from conftest import examples, sheet_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipclass import editions as editions_module
from chipclass import margin
from chipclass.classify import Row, classify
from chipclass.cli import cli
from chipclass.cli.common import narrow
from chipclass.editions import (
    INDETERMINATE,
    SEVERITY,
    Condition,
    Edition,
    all_editions,
    by_id,
)
from chipclass.evaluate import Decision, Part, decide, metric_values
from chipclass.files import iter_loaded
from chipclass.margin import KNOB_QUANTITY, KNOBS, Change, knob_changes, label_changes
from chipclass.metrics import Metrics
from chipclass.numbers import number, number_of
from chipclass.report import jsontext, serialize
from chipclass.serialize import change_dict, result_dict, row_dict
from chipclass.spec import SheetError, parse_sheet

EDITIONS = all_editions()
CHECK = settings(
    max_examples=examples(120),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# --------------------------------------------------------------------------- strategies

LINES = (600, 1100, 1400, 1600, 1700, 2400, 4800, 6500, 21000)
DENSITIES = (Fraction("1.6"), Fraction("3.2"), Fraction("5.92"))


def _around(lines: tuple[int | Fraction, ...]) -> st.SearchStrategy[Fraction]:
    """On a line, a hair to either side, or anywhere (small denominators)."""
    hair = Fraction(1, 10**6)
    return st.one_of(
        st.builds(
            lambda line, step: Fraction(line) + step * hair,
            st.sampled_from(lines),
            st.sampled_from((-1, 0, 1)),
        ),
        st.fractions(min_value=Fraction(1, 10), max_value=40_000, max_denominator=997),
    )


@st.composite
def parts(draw: st.DrawFn) -> Metrics:
    tpp = draw(_around(LINES))
    kind = draw(st.sampled_from(("density", "any", "none", "zero")))
    area: Fraction | None = None
    if kind == "density":
        area = tpp / draw(_around(DENSITIES))
    elif kind == "any":
        area = draw(st.fractions(min_value=1, max_value=5000, max_denominator=97))
    elif kind == "zero":
        area = Fraction(0)
    io = draw(st.one_of(st.just(Fraction(0)), _around(LINES)))
    memory = draw(st.one_of(st.none(), _around(LINES)))
    if memory is not None and draw(st.booleans()) and io < 1700:
        memory = Fraction(1700) - io  # memory + I/O exactly on the 2025 line
    return Metrics(
        tpp=tpp,
        applicable_die_area_mm2=area,
        memory_bandwidth_gbs=memory,
        io_bandwidth_gbs=io,
        datacenter=draw(st.booleans()),
    )


factors = st.one_of(
    st.fractions(min_value=Fraction(1, 50), max_value=50, max_denominator=997),
    st.sampled_from((Fraction(1), Fraction(1, 2), Fraction(2))),
)

# --------------------------------------------------------------------------- decisions


@CHECK
@given(metrics=parts(), knob=st.sampled_from(KNOBS), factor=factors)
def test_decisions_are_those_of_the_step_by_step_code(
    metrics: Metrics, knob: str, factor: Fraction
) -> None:
    for edition in EDITIONS:
        expected = oracle.decide(metrics, edition)
        assert decide(metrics, edition) == expected
        assert decide(metrics, edition) == expected  # again, from the memo
        scaled = oracle.decide(metrics.scaled(knob, factor), edition)
        part = Part(metrics)
        assert part.decide_at(edition, knob, factor.numerator, factor.denominator) == scaled
        assert decide(metrics.scaled(knob, factor), edition) == scaled


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.id for e in EDITIONS])
def test_decisions_on_the_lines_themselves(edition: Edition) -> None:
    """Every metric exactly on a threshold: where >= and > part ways."""
    for tpp, density, memory, io, datacenter in itertools.product(
        (1600, 2400, 4800, 21000),
        (*DENSITIES, None),
        (1400, 6500, None, "sum"),
        (0, 600, 1100),
        (True, False),
    ):
        metrics = Metrics(
            tpp=Fraction(tpp),
            applicable_die_area_mm2=None if density is None else Fraction(tpp) / density,
            memory_bandwidth_gbs=(
                Fraction(1700 - io)
                if memory == "sum"
                else None
                if memory is None
                else Fraction(memory)
            ),
            io_bandwidth_gbs=Fraction(io),
            datacenter=datacenter,
        )
        assert decide(metrics, edition) == oracle.decide(metrics, edition)


def _plain_factor(metrics: Metrics, knob: str, condition: Condition) -> Fraction | None:
    """The knob factor at which the condition's metric equals its threshold, as first
    written: on Fractions."""
    values = metric_values(metrics)
    t, metric = condition.threshold, condition.metric
    tpp, density = values["tpp"], values["performance_density"]
    memory, io = values["memory_bandwidth_gbs"], values["io_bandwidth_gbs"]
    assert tpp is not None and io is not None
    factor: Fraction | None = None
    if knob == "throughput":
        if metric == "tpp":
            factor = t / tpp
        elif metric == "performance_density" and density:
            factor = t / density
    elif knob == "die_area":
        if metric == "performance_density" and density:
            factor = density / t
    elif knob == "memory_bandwidth" and memory:
        if metric == "memory_bandwidth_gbs":
            factor = t / memory
        elif metric == "memory_plus_io_gbs" and t > io:
            factor = (t - io) / memory
    elif knob == "io_bandwidth" and io:
        if metric == "io_bandwidth_gbs":
            factor = t / io
        elif metric == "memory_plus_io_gbs" and memory is not None and t > memory:
            factor = (t - memory) / io
    return factor if factor is not None and factor > 0 else None


def _plain_walk(points: list[Fraction], upward: bool) -> Iterator[tuple[Fraction, Fraction]]:
    """(boundary, a point just beyond it) moving away from factor 1, as first written."""
    if upward:
        ahead = [p for p in points if p >= 1]
        for here, after in itertools.zip_longest(ahead, ahead[1:]):
            yield here, (here + after) / 2 if after is not None else here * 2
    else:
        behind = sorted((p for p in points if p <= 1), reverse=True)
        for here, after in itertools.zip_longest(behind, behind[1:]):
            yield here, (here + after) / 2 if after is not None else here / 2


def _reference_points(
    metrics: Metrics, edition: Edition, knob: str, upward: bool
) -> Iterator[tuple[Fraction, bool, Decision, list[tuple[object, ...]]]]:
    """The margin walk as first written: every boundary, decided on and beyond."""
    found: dict[Fraction, list[tuple[object, ...]]] = {}
    for clause in edition.evaluated:
        for condition in clause.conditions:
            factor = _plain_factor(metrics, knob, condition)
            if factor is not None:
                found.setdefault(factor, []).append((clause, condition))
    for boundary, beyond in _plain_walk(sorted(found), upward):
        for factor, strict in ((boundary, False), (beyond, True)):
            if factor != 1:
                yield (
                    boundary,
                    strict,
                    oracle.decide(metrics.scaled(knob, factor), edition),
                    found[boundary],
                )


def _reference_changes(
    metrics: Metrics, edition: Edition, current: Decision, knob: str
) -> list[Change]:
    base = metric_values(metrics)[KNOB_QUANTITY[knob]]
    if current.label == INDETERMINATE or base is None or base <= 0:
        return []
    changes: list[Change] = []
    for upward in (True, False):
        seen: set[bool] = set()
        for boundary, strict, reached, crossing in _reference_points(
            metrics, edition, knob, upward
        ):
            if reached.label in (INDETERMINATE, current.label):
                continue
            stricter = SEVERITY[reached.label] > SEVERITY[current.label]
            if stricter in seen:
                continue
            seen.add(stricter)
            prefer = reached.clauses if stricter else current.clauses
            clause, condition = margin._pick(crossing, prefer)  # type: ignore[arg-type]
            changes.append(
                Change(
                    knob,
                    boundary,
                    reached.label,
                    clause.id,
                    condition.metric,
                    condition.threshold,
                    strict,
                    base * boundary,
                )
            )
            if len(seen) == 2:
                break
    return changes


@CHECK
@given(metrics=parts())
def test_the_margin_walk_finds_what_the_plain_walk_finds(metrics: Metrics) -> None:
    for edition in EDITIONS:
        current = oracle.decide(metrics, edition)
        for knob in KNOBS:
            expected = _reference_changes(metrics, edition, current, knob)
            assert knob_changes(metrics, edition, current, knob) == expected
            for upward in (True, False):
                walked = [
                    (p.factor, p.strict, p.decision)
                    for p in margin.probes(metrics, edition, knob, upward)
                ]
                plain = [
                    (b, s, d) for b, s, d, _ in _reference_points(metrics, edition, knob, upward)
                ]
                assert walked == plain


def _reference_nearest(
    metrics: Metrics, edition: Edition, current: Decision
) -> tuple[Change | None, Change | None]:
    """The nearest changes as first written: every knob's changes, the smallest kept
    (a tie keeps the first found)."""
    found: dict[bool, Change] = {}
    for knob in KNOBS:
        for change in _reference_changes(metrics, edition, current, knob):
            stricter = SEVERITY[change.label] > SEVERITY[current.label]
            best = found.get(stricter)
            key = (abs(change.factor - 1), change.strict)
            if best is None or key < (abs(best.factor - 1), best.strict):
                found[stricter] = change
    return found.get(True), found.get(False)


@CHECK
@given(metrics=parts())
def test_the_best_first_search_finds_the_nearest_changes(metrics: Metrics) -> None:
    for edition in EDITIONS:
        current = oracle.decide(metrics, edition)
        assert margin.nearest(metrics, edition, current) == _reference_nearest(
            metrics, edition, current
        )


def _point(knob: str, factor: Fraction, strict: bool) -> margin._Point:
    terms = (factor.numerator, factor.denominator)
    return margin._Point(knob, factor > 1, terms, strict, terms, frozenset())


@CHECK
@given(metrics=parts())
def test_a_change_is_written_with_its_exact_figures(metrics: Metrics) -> None:
    for edition in EDITIONS:
        for change in margin.nearest(metrics, edition, oracle.decide(metrics, edition)):
            if change is None:
                continue
            data = change_dict(change)
            assert data is not None
            assert data["change_pct"] == number((change.factor - 1) * 100)
            assert data[KNOB_QUANTITY[change.knob]] == number(change.knob_value)
            assert data["threshold"] == number(change.threshold)


def test_points_at_equal_distances_keep_the_walk_order() -> None:
    """Two boundaries the same distance either side of the part (x1.25 and x0.75): the
    upward one comes first, a boundary before the point just beyond it."""
    points = [
        _point("throughput", Fraction(5, 4), False),
        _point("throughput", Fraction(5, 4), True),
        _point("throughput", Fraction(3, 4), False),
        _point("throughput", Fraction(3, 4), True),
        _point("io_bandwidth", Fraction(11, 10), False),
    ]
    ordered = margin._by_distance(points)
    assert [(p.knob, Fraction(*p.boundary), p.strict) for p in ordered] == [
        ("io_bandwidth", Fraction(11, 10), False),
        ("throughput", Fraction(5, 4), False),
        ("throughput", Fraction(3, 4), False),
        ("throughput", Fraction(5, 4), True),
        ("throughput", Fraction(3, 4), True),
    ]


def test_distances_a_float_cannot_tell_apart_are_ordered_exactly() -> None:
    b = Fraction(4, 3)
    a = b + Fraction(1, 10**30)  # farther, by less than a float can tell
    assert (a.numerator - a.denominator) / a.denominator == (b.numerator - b.denominator) / 3
    points = [_point("throughput", a, False), _point("memory_bandwidth", b, False)]
    assert [Fraction(*p.boundary) for p in margin._by_distance(points)] == [b, a]


def test_label_changes_walk_the_h20_to_the_2023_lines() -> None:
    h20 = Metrics(Fraction(2368), Fraction(814), Fraction(4000), Fraction(1028), True)
    edition = by_id("us-2023-10")
    up = [(p.factor, p.label) for p in label_changes(h20, edition, "throughput", True)]
    # TPP 2368 -> 2400 (3A090.b.1, license-required) -> 4800 (3A090.a.1, restricted)
    assert up == [(Fraction(2400, 2368), "license-required"), (Fraction(4800, 2368), "restricted")]


class _Factors:
    """A stand-in for a part: each line's factor given."""

    def __init__(self, factors: dict[margin._Key, tuple[int, int] | None]) -> None:
        self.factors = factors

    def factor(self, key: margin._Key) -> tuple[int, int] | None:
        return self.factors[key]


def test_factors_past_the_float_range_are_ordered_exactly() -> None:
    def key(n: int) -> margin._Key:
        return ("throughput", "tpp", n, 1)

    huge, huger = (10**400, 1), (10**401, 3)  # both past a float; huge < huger
    part = _Factors({key(1): huger, key(2): huge, key(3): (1, 1)})
    up, _ = margin._crossings(part, [key(1), key(2), key(3)])  # type: ignore[arg-type]
    assert [terms for terms, _ in up[1]] == [(1, 1), huge, huger]
    points = [_point("throughput", Fraction(*t), False) for t in (huger, huge)]
    assert [p.boundary for p in margin._by_distance(points)] == [huge, huger]


def test_crossings_sort_and_group_exactly_where_floats_tie() -> None:
    def key(n: int) -> margin._Key:
        return ("throughput", "tpp", n, 1)

    close = (10**20 + 1, 10**20)  # the same float as 1
    part = _Factors({key(1): close, key(2): (1, 1), key(3): (1, 2), key(4): (2, 4), key(5): None})
    up, down = margin._crossings(part, [key(n) for n in range(1, 6)])  # type: ignore[arg-type]
    assert up == (True, [((1, 1), frozenset({key(2)})), (close, frozenset({key(1)}))])
    assert down == (
        False,
        [((1, 1), frozenset({key(2)})), ((1, 2), frozenset({key(3), key(4)}))],
    )


# --------------------------------------------------------------------------- numbers and rows


def _rounded(value: Fraction) -> int | float:
    """number() as first written: Fraction rounding."""
    if value.denominator == 1:
        return value.numerator
    rounded = round(value, 6)
    return float(rounded.numerator) if rounded.denominator == 1 else float(rounded)


@CHECK
@given(
    value=st.fractions(max_denominator=10**9) | st.fractions(min_value=-(10**12), max_value=10**12),
    spread=st.integers(min_value=1, max_value=1000),
)
def test_json_numbers_round_as_fractions_do(value: Fraction, spread: int) -> None:
    expected = _rounded(value)
    for got in (number(value), number_of(value.numerator * spread, value.denominator * spread)):
        assert type(got) is type(expected) and repr(got) == repr(expected)


def test_json_numbers_round_half_to_even() -> None:
    assert number(Fraction(1, 2 * 10**6)) == 0.0  # 0.0000005 -> 0.000000
    assert number(Fraction(3, 2 * 10**6)) == 0.000002  # 0.0000015 -> 0.000002
    assert number(Fraction(2368, 814)) == 2.909091
    assert number(Fraction(-32 * 100, 2400)) == -1.333333
    assert number(Fraction(4800)) == 4800 and type(number(Fraction(4800))) is int


@CHECK
@given(
    value=st.none() | _around(LINES) | _around(DENSITIES),
    datacenter=st.booleans(),
)
def test_threshold_rows_serialize_as_their_properties_say(
    value: Fraction | None, datacenter: bool
) -> None:
    for edition in EDITIONS:
        for clause in edition.evaluated:
            for condition in clause.conditions:
                row = Row(clause, condition, value, clause.in_scope(datacenter))
                data = row_dict(row)
                assert (
                    data["threshold"],
                    data["value"],
                    data["met"],
                    data["margin"],
                    data["margin_pct"],
                ) == (
                    number(condition.threshold),
                    number(value),
                    row.met,
                    number(row.margin),
                    number(row.margin_pct),
                )


# --------------------------------------------------------------------------- JSON text

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6) | st.integers() | st.booleans(), inner, max_size=4)
    ),
    max_leaves=25,
)


def _laid_out(data: object, indent: int, level: int) -> str:
    """The layout as a plain reference: a container of scalars (or of empty containers)
    is json.dumps on one line; any other is indented like json.dumps(indent=N)."""
    if isinstance(data, dict):
        members = list(data.values())
    elif isinstance(data, (list, tuple)):
        members = list(data)
    else:
        return json.dumps(data)
    if not any(isinstance(m, (dict, list, tuple)) and m for m in members):
        return json.dumps(data)
    inner = "\n" + " " * (indent * (level + 1))
    if isinstance(data, dict):
        texts = [
            json.dumps({k: None})[1:-5] + _laid_out(v, indent, level + 1) for k, v in data.items()
        ]
        open_, close = "{", "}"
    else:
        texts = [_laid_out(m, indent, level + 1) for m in members]
        open_, close = "[", "]"
    return open_ + inner + ("," + inner).join(texts) + "\n" + " " * (indent * level) + close


@CHECK
@given(data=json_values, indent=st.sampled_from((0, 2, 4)), margin_=st.sampled_from((0, 4)))
def test_json_text_is_indented_with_leaves_on_one_line(
    data: object, indent: int, margin_: int
) -> None:
    expected = "\n".join(" " * margin_ + line for line in _laid_out(data, indent, 0).split("\n"))
    text = jsontext.dumps(data, indent, margin_)
    assert text == expected
    assert json.dumps(json.loads(text)) == json.dumps(data)  # the same JSON, read back


def test_a_leaf_is_one_line_and_a_branch_is_indented() -> None:
    data = {"rows": [{"a": 1, "b": [1, 2]}, {"c": {}}], "empty": [], "n": 1.5, "s": ["x"]}
    assert jsontext.dumps(data) == (
        "{\n"
        '  "rows": [\n'
        "    {\n"
        '      "a": 1,\n'
        '      "b": [1, 2]\n'
        "    },\n"
        '    {"c": {}}\n'
        "  ],\n"
        '  "empty": [],\n'
        '  "n": 1.5,\n'
        '  "s": ["x"]\n'
        "}"
    )


@pytest.mark.parametrize("destination", [None, "AE", "FR"])
def test_result_json_is_the_layout_of_result_dict(specs: Path, destination: str | None) -> None:
    chosen = narrow(EDITIONS, destination)
    for item in iter_loaded([specs]):
        assert not isinstance(item, list), item
        result = classify(item, chosen)
        expected = jsontext.dumps(result_dict(result), margin=4)
        assert serialize.result_json(result, margin=4) == expected


def _figure(value: Fraction) -> str:
    return str(float(value)) if value.denominator != 1 else str(value.numerator)


@CHECK
@given(
    tpp=_around(LINES),
    area=st.none() | st.sampled_from((Fraction(0), Fraction(1), Fraction(814), Fraction(1, 3))),
    memory=st.none() | _around(LINES),
    io=_around(LINES) | st.just(Fraction(0)),
    datacenter=st.booleans(),
    destination=st.sampled_from((None, "AE", "FR")),
)
def test_result_json_writes_any_part_as_result_dict_does(
    tpp: Fraction,
    area: Fraction | None,
    memory: Fraction | None,
    io: Fraction,
    datacenter: bool,
    destination: str | None,
) -> None:
    rest = [f'[interconnect]\nhost_gbs = "{_figure(io)} GB/s"']
    if area is not None:
        rest.append(
            f'[[die]]\nname = "d"\narea_mm2 = "{_figure(area)} mm2"\ncount = 1\nnon_planar = true'
        )
    if memory is not None:
        rest.append(f'[memory]\nbandwidth_gbs = "{_figure(memory)} GB/s"')
    text = sheet_text(
        performance=f"tpp = {_figure(tpp)}", rest="\n".join(rest), datacenter=datacenter
    )
    try:
        spec = parse_sheet(text, "part.toml")
    except SheetError:
        return  # a figure the loader refuses (zero, or past a ceiling)
    result = classify(spec, narrow(EDITIONS, destination))
    expected = jsontext.dumps(result_dict(result), margin=4)
    assert serialize.result_json(result, margin=4) == expected


def test_indented_json_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({"a": object()})
    with pytest.raises(TypeError):
        jsontext.dumps({(1, 2): "tuple key"})


# --------------------------------------------------------------------------- editions


def test_the_edition_heads_agree_with_the_parsed_editions() -> None:
    registry = editions_module.Registry()
    heads = registry.heads()
    assert heads is not None
    assert [(e.id, e.effective) for e in EDITIONS] == [(i, d) for i, d, _ in heads]
    assert registry.latest() == EDITIONS[-1]
    for edition in EDITIONS:
        assert registry.by_id(edition.id) is registry.by_id(edition.id) == edition
        assert registry.in_force(edition.effective) == edition
        assert registry.in_force(edition.effective + dt.timedelta(days=1)) == edition
    for earlier, later in itertools.pairwise(EDITIONS):
        assert registry.in_force(later.effective - dt.timedelta(days=1)) == earlier


def test_one_edition_asked_for_is_one_file_parsed() -> None:
    registry = editions_module.Registry()
    registry.latest()
    registry.by_id("us-2023-10")
    assert len(registry._parsed) == 2


def test_a_head_that_does_not_read_plainly_falls_back_to_parsing_every_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for path in Path(editions_module.RULES_DIR).glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "us-2022-10.toml":
            text = text.replace('\nid = "us-2022-10"', '\nid="us-2022-10"')  # valid TOML
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(editions_module, "RULES_DIR", str(tmp_path))
    registry = editions_module.Registry()
    assert registry.heads() is None
    assert registry.latest() == EDITIONS[-1]
    assert registry.by_id("us-2022-10").id == "us-2022-10"
    monkeypatch.undo()
    assert all_editions() == EDITIONS


# --------------------------------------------------------------------------- the lazy CLI


def _modules_after(*args: str) -> set[str]:
    """The chipclass, rich and multiprocessing modules a fresh process imports for a run."""
    code = (
        "import sys\n"
        "from chipclass.cli import main\n"
        f"sys.argv = ['chipclass', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = [m for m in sys.modules if m.split('.')[0] in"
        " ('chipclass', 'rich', 'multiprocessing')]\n"
        "print(' '.join(sorted(names)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return set(done.stderr.strip().splitlines()[-1].split())


def test_classifying_one_sheet_imports_only_what_it_uses(specs: Path) -> None:
    loaded = _modules_after("classify", str(specs / "nvidia" / "h20.toml"), "--format", "json")
    assert "chipclass.cli.classify" in loaded and "chipclass.margin" in loaded
    for unused in ("rich", "multiprocessing", "chipclass.cli.rules", "chipclass.report.doc"):
        assert unused not in loaded
    assert not {m for m in loaded if m.startswith("chipclass.cli.")} - {
        "chipclass.cli.classify",
        "chipclass.cli.common",
    }


def test_help_lists_every_registered_command(run: object) -> None:
    names = sorted(cli.commands)
    assert {"classify", "rules", "report", "diff"} <= set(names)
    result = run("--help")  # type: ignore[operator]
    listed = result.stdout.split("Commands:")[1]
    for name in names:
        assert f"\n  {name} " in listed


def test_an_unknown_command_is_a_usage_error(run: object) -> None:
    result = run("clasify")  # type: ignore[operator]
    assert result.exit_code == 2
    assert "No such command 'clasify'" in result.stderr
