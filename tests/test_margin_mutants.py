"""The margin's corners that mutation testing found untested (docs/mutation.md): walks
along a knob under a synthetic edition a user could write (`--rules`), with figures that
can be checked by hand.
"""

from __future__ import annotations

from fractions import Fraction

from test_operators import E, L, R, clause, edition, judge, part

from chipclass import margin
from chipclass.evaluate import decide
from chipclass.margin import knob_changes, probes
from chipclass.metrics import compute
from chipclass.spec import parse_sheet


def _metrics(sheet: str) -> object:
    return compute(parse_sheet(sheet, "part.toml"))


def test_a_walk_up_the_throughput_meets_the_line_and_passes_it() -> None:
    # restricted at TPP 1000 or more; a part at 800 meets the line at x1.25 (+25 %,
    # TPP 1000), and just beyond it the label holds
    rules = edition("walk", clause("C", [("tpp", ">=", "1000")]))
    walk = list(probes(_metrics(part("800")), rules, "throughput", upward=True))
    assert [(p.factor, p.strict, p.label) for p in walk] == [
        (Fraction(5, 4), False, R),
        (Fraction(5, 4), True, R),
    ]
    assert [(p.change_pct, p.knob_value) for p in walk] == [(25, 1000), (25, 1000)]
    assert [c.id for c, _ in walk[0].crossing] == ["C"]
    # downward from 800 nothing is crossed
    assert list(probes(_metrics(part("800")), rules, "throughput", upward=False)) == []


def test_scaling_the_io_moves_memory_plus_io_with_it() -> None:
    # restricted at memory + I/O 1700 or more; 500 GB/s of memory and 1000 of I/O make
    # 1500. Raising the I/O by x1.2 (to 1200) reaches the line, nearer than raising the
    # memory by x2.4 (to 1200)
    rules = edition("sum", clause("C", [("memory_plus_io_gbs", ">=", "1700")]))
    verdict = judge(part("1000", area="100", memory="500", io="1000"), rules).verdicts[0]
    assert verdict.label == E
    change = verdict.nearest_stricter
    assert change is not None
    assert (change.knob, change.factor, change.knob_value, change.label) == (
        "io_bandwidth",
        Fraction(6, 5),
        1200,
        R,
    )
    assert (change.metric, change.threshold, change.strict) == ("memory_plus_io_gbs", 1700, False)


def test_the_density_line_is_reached_by_the_throughput_or_the_die_area() -> None:
    # restricted at a density of 5 or more; TPP 1000 on 250 mm2 is 4. The throughput
    # reaches 5 at x1.25 (TPP 1250); the die area at x0.8 (200 mm2), the nearer
    rules = edition("density", clause("C", [("performance_density", ">=", "5")]))
    metrics = _metrics(part("1000", area="250", memory="1"))
    current = decide(metrics, rules)
    assert current.label == E
    up = knob_changes(metrics, rules, current, "throughput")
    assert [(c.factor, c.knob_value, c.label, c.strict) for c in up] == [
        (Fraction(5, 4), 1250, R, False)
    ]
    down = knob_changes(metrics, rules, current, "die_area")
    assert [(c.factor, c.knob_value, c.label, c.strict) for c in down] == [
        (Fraction(4, 5), 200, R, False)
    ]
    verdict = judge(part("1000", area="250", memory="1"), rules).verdicts[0]
    assert verdict.nearest_stricter is not None
    assert (verdict.nearest_stricter.knob, verdict.nearest_stricter.factor) == (
        "die_area",
        Fraction(4, 5),
    )


def test_no_memory_at_all_is_no_boundary() -> None:
    # restricted above memory + I/O 1000; with 1000 GB/s of I/O, any memory at all
    # passes, so lowering the memory never makes the part exportable (memory 0 is not a
    # part's memory); lowering the I/O by half does, on the line itself (1000 is not
    # above 1000)
    rules = edition("sum-strict", clause("C", [("memory_plus_io_gbs", ">", "1000")]))
    metrics = _metrics(part("1000", area="100", memory="500", io="1000"))
    current = decide(metrics, rules)
    assert current.label == R
    assert knob_changes(metrics, rules, current, "memory_bandwidth") == []
    (change,) = knob_changes(metrics, rules, current, "io_bandwidth")
    assert (change.factor, change.knob_value, change.label, change.strict) == (
        Fraction(1, 2),
        500,
        E,
        False,
    )


def test_a_line_at_half_the_part_is_a_boundary() -> None:
    # restricted at TPP 1 or more (a line a user edition may draw); a part at TPP 2
    # becomes exportable just below x0.5
    rules = edition("tiny", clause("C", [("tpp", ">=", "1")]))
    metrics = _metrics(part("2"))
    current = decide(metrics, rules)
    (change,) = knob_changes(metrics, rules, current, "throughput")
    assert (change.factor, change.knob_value, change.label, change.strict) == (
        Fraction(1, 2),
        1,
        E,
        True,
    )


def test_distances_a_float_cannot_tell_apart_are_ordered_exactly_either_side_of_one() -> None:
    # x4/3 is 1/3 above the part; x(2/3 - 1e-30) is farther below it, by less than a
    # float can tell: the one above comes first
    above = Fraction(4, 3)
    below = Fraction(2, 3) - Fraction(1, 10**30)
    assert float(1 - below) == float(above - 1)
    points = [
        margin._Point(
            "throughput",
            False,
            (below.numerator, below.denominator),
            False,
            (below.numerator, below.denominator),
            frozenset(),
        ),
        margin._Point(
            "memory_bandwidth",
            True,
            (above.numerator, above.denominator),
            False,
            (above.numerator, above.denominator),
            frozenset(),
        ),
    ]
    assert [Fraction(*p.boundary) for p in margin._by_distance(points)] == [above, below]


def test_the_changes_along_one_knob_are_listed_nearest_first() -> None:
    # license-required from TPP 500 up to (not including) 1200, restricted from 1700: a
    # part at 1000 becomes exportable at x1.2 (laxer, the nearer) and restricted at x1.7
    rules = edition(
        "up",
        clause("band.L", [("tpp", ">=", "500"), ("tpp", "<", "1200")], label=L),
        clause("top.R", [("tpp", ">=", "1700")], label=R),
    )
    metrics = _metrics(part("1000"))
    current = decide(metrics, rules)
    assert current.label == L
    changes = knob_changes(metrics, rules, current, "throughput")
    assert [(c.factor, c.label) for c in changes] == [
        (Fraction(6, 5), E),
        (Fraction(17, 10), R),
        (Fraction(1, 2), E),  # downward: just below 500
    ]
    # downward: restricted just below 800 (x0.8), exportable just below 200 (x0.2)
    rules = edition(
        "down",
        clause("all.L", [("tpp", ">=", "500")], label=L),
        clause("band.R", [("tpp", ">=", "200"), ("tpp", "<", "800")], label=R),
    )
    current = decide(metrics, rules)
    assert current.label == L
    changes = knob_changes(metrics, rules, current, "throughput")
    assert [(c.factor, c.label, c.strict) for c in changes] == [
        (Fraction(4, 5), R, True),
        (Fraction(1, 5), E, True),
    ]


def test_each_edition_finds_its_own_nearest_change_among_anothers_lines() -> None:
    # restricted at TPP 1000 or more in one edition, 1100 in another: a part at 900
    # meets the first at x10/9 and the second at x11/9 (past the first's line)
    first = edition("at-1000", clause("C", [("tpp", ">=", "1000")]))
    second = edition("at-1100", clause("C", [("tpp", ">=", "1100")]))
    verdicts = judge(part("900"), first, second).verdicts
    factors = [v.nearest_stricter.factor if v.nearest_stricter else None for v in verdicts]
    assert factors == [Fraction(10, 9), Fraction(11, 9)]
