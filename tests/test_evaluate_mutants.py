"""The evaluator's corners that mutation testing found untested (docs/mutation.md), each
through a synthetic edition a user could write (`--rules`) and a sheet whose figures can
be checked by hand, read through chipclass.classify where the result shows it.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from test_operators import IND, E, L, R, clause, edition, judge, part

from chipclass.classify import classify
from chipclass.editions import Fact
from chipclass.evaluate import candidates, decide, fact_holds, stretches
from chipclass.metrics import compute
from chipclass.spec import parse_sheet


def _without_interconnect(sheet: str) -> str:
    """The sheet with no [interconnect] table: its I/O bandwidth is unknown."""
    return sheet.replace("[interconnect]\nhost_gbs = 0\n", "")


def test_memory_and_io_both_unknown_name_the_memory_when_it_decides() -> None:
    # restricted with 1000 GB/s of memory or more (and memory + I/O 1000 or more, which
    # follows): a part with neither its memory nor its I/O bandwidth known, density known
    # (TPP 1000 on 100 mm2), could be either label, and the memory is what decides
    rules = edition(
        "memory-and-sum",
        clause("C", [("memory_bandwidth_gbs", ">=", "1000"), ("memory_plus_io_gbs", ">=", "1000")]),
    )
    sheet = _without_interconnect(part("1000", area="100"))
    decision = judge(sheet, rules).verdicts[0].decision
    assert (decision.label, decision.possible) == (IND, (E, R))
    assert "memory_bandwidth_gbs" in decision.unknown
    assert "performance_density" not in decision.unknown


# --------------------------------------------------------------------------- facts

CERTIFIED = (
    '\nfacts = [{ id = "cert", fact = "certification", text = "the exporter certifies",'
    ' citation = "none", text_kind = "paraphrase" }]\n'
)


def _relieved(scope: str = "") -> object:
    """Restricted at TPP 1000 or more; license-required instead where the exporter
    certifies (a relief with a certification fact, as us-2026-01's)."""
    relief = clause("Rel", [("tpp", ">=", "1000")], label=L, role="relief", targets=("X",))
    if scope:
        relief = relief.replace('match = "all"', f'match = "all"\nscope = "{scope}"')
    return edition(
        "facts" + scope, clause("X.1", [("tpp", ">=", "1000")], label=R), relief + CERTIFIED
    )


def _label_with(sheet: str, rules: object, cert: bool | None) -> object:
    spec = parse_sheet(sheet, "part.toml")
    return classify(spec, [rules], certifications={"cert": cert}).verdicts[0].decision


def test_a_certification_decides_the_relief_and_unknown_it_leaves_the_label_open() -> None:
    rules = _relieved()
    assert _label_with(part("1000"), rules, True).label == L
    assert _label_with(part("1000"), rules, False).label == R
    open_ = _label_with(part("1000"), rules, None)
    assert (open_.label, open_.possible, open_.unknown_facts) == (IND, (L, R), ("cert",))
    # without a transaction the certification is assumed
    assert judge(part("1000"), rules).verdicts[0].label == L


def test_an_unknown_certification_is_no_question_where_its_clause_fails_anyway() -> None:
    # TPP 999: the relief's condition fails, so its certification cannot matter
    decision = _label_with(part("999"), _relieved(), None)
    assert (decision.label, decision.unknown_facts) == (E, ())
    # a relief for datacenter parts only does not reach a part not for datacenters
    rules = _relieved("datacenter")
    decision = _label_with(part("1000", datacenter=False), rules, None)
    assert (decision.label, decision.unknown_facts) == (R, ())
    decision = _label_with(part("1000"), rules, None)
    assert (decision.label, decision.unknown_facts) == (IND, ("cert",))


ON_SALE = (
    '\nfacts = [{ id = "us", fact = "us_available", on = 2030-01-15, text = "commercially'
    ' available in the United States", citation = "none", text_kind = "paraphrase" }]\n'
)


def _on_sale_relief() -> object:
    """Restricted at TPP 1000 or more; license-required instead for a part on sale in the
    United States by 2030-01-15 (a relief with a us_available fact, as us-2026-01's)."""
    relief = clause("Rel", [("tpp", ">=", "1000")], label=L, role="relief", targets=("X",))
    return edition("on-sale", clause("X.1", [("tpp", ">=", "1000")], label=R), relief + ON_SALE)


@pytest.mark.parametrize(
    ("us_available", "expected"),
    [
        ("2030-01-14", L),  # on sale the day before: relieved
        ("2030-01-15", L),  # on sale that very day: relieved
        ("2030-01-16", R),  # a day late: not relieved
        ("false", R),  # never on sale there
    ],
)
def test_the_us_availability_date_decides_the_relief(us_available: str, expected: str) -> None:
    sheet = part("1000").replace(
        'vendor = "Test"\n', f'vendor = "Test"\nus_available = {us_available}\n'
    )
    assert judge(sheet, _on_sale_relief()).verdicts[0].label == expected


def test_an_unknown_us_availability_leaves_the_relief_open() -> None:
    # the sheet does not say; a certification would be assumed, a date never is
    decision = judge(part("1000"), _on_sale_relief()).verdicts[0].decision
    assert (decision.label, decision.possible, decision.unknown_facts) == (IND, (L, R), ("us",))
    # on sale, on a date not known (as a part built by hand can be): still open
    metrics = compute(parse_sheet(part("1000"), "part.toml"))._replace(us_available=True)
    decision = decide(metrics, _on_sale_relief())
    assert (decision.label, decision.unknown_facts) == (IND, ("us",))


def test_a_us_availability_fact_with_no_date_needs_the_part_on_sale_at_all() -> None:
    # the bundled editions always give the date; a fact built without one (on=None) holds
    # for a part on sale in the United States, whether its date is known or not
    fact = Fact("us", "us_available", "on sale in the United States", "none", "paraphrase")
    metrics = compute(parse_sheet(part("1000"), "part.toml"))
    assert fact_holds(fact, metrics._replace(us_available=True), None) is True
    assert fact_holds(fact, metrics._replace(us_available=dt.date(2031, 1, 1)), None) is True
    assert fact_holds(fact, metrics._replace(us_available=False), None) is False
    assert fact_holds(fact, metrics._replace(us_available=None), None) is None
    dated = fact._replace(on=dt.date(2030, 1, 15))
    assert fact_holds(dated, metrics._replace(us_available=True), None) is None
    assert fact_holds(dated, metrics._replace(us_available=dt.date(2030, 1, 15)), None) is True


# --------------------------------------------------------------------------- relief


def test_a_relief_to_the_same_label_relieves_nothing() -> None:
    # a relief that would set restricted where the control already says restricted
    # changes nothing, and is not named as deciding
    control = clause("X.1", [("tpp", ">=", "1000")], label=R)
    relief = clause("Rel", [("tpp", ">=", "1000")], label=R, role="relief", targets=("X",))
    decision = judge(part("1000"), edition("same", control, relief)).verdicts[0].decision
    assert (decision.label, decision.clauses) == (R, ("X.1",))


def test_a_relief_reaches_only_the_clauses_it_targets() -> None:
    # the relief is for the clauses under Y (restricted from TPP 5000); X.1 stays
    control = clause("X.1", [("tpp", ">=", "1000")], label=R)
    other = clause("Y.1", [("tpp", ">=", "5000")], label=R)
    relief = clause("Rel", [("tpp", ">=", "1000")], label=L, role="relief", targets=("Y",))
    rules = edition("elsewhere", control, other, relief)
    decision = judge(part("1000"), rules).verdicts[0].decision
    assert (decision.label, decision.clauses) == (R, ("X.1",))


# --------------------------------------------------------------------------- candidates


@pytest.mark.parametrize(
    ("conditions", "possible"),
    [
        # above the highest line: a density of more than 5 is restricted
        ([("performance_density", ">", "5")], (E, R)),
        # strictly between two lines (2 < density < 4) and nowhere else
        ([("performance_density", ">", "2"), ("performance_density", "<", "4")], (E, R)),
        ([("performance_density", ">", "2"), ("performance_density", "<", "2.5")], (E, R)),
    ],
)
def test_an_unknown_density_is_tried_in_every_stretch_the_lines_cut(
    conditions: list[tuple[str, str, str]], possible: tuple[str, ...]
) -> None:
    rules = edition("stretch", clause("C", conditions))
    decision = judge(part("1000", memory="1"), rules).verdicts[0].decision  # no die
    assert (decision.label, decision.possible) == (IND, possible)


def test_stretches_are_each_line_a_value_between_and_one_beyond_either_end() -> None:
    assert stretches([Fraction(4), Fraction(2), Fraction(4)]) == [1, 2, 3, 4, 5]
    assert stretches([Fraction(6)]) == [3, 6, 7]


def test_the_memory_candidates_with_the_io_unknown_are_cut_by_the_memory_lines_only() -> None:
    rules = edition(
        "cuts",
        clause("M", [("memory_bandwidth_gbs", ">=", "1000")]),
        clause("S", [("memory_plus_io_gbs", ">=", "1500")]),
    )
    assert candidates("memory_bandwidth_gbs", None, rules) == [500, 1000, 1001]
    # with 300 GB/s of I/O, the memory + I/O line at 1500 cuts the memory's at 1200
    assert candidates("memory_bandwidth_gbs", Fraction(300), rules) == [500, 1000, 1100, 1200, 1201]


# --------------------------------------------------------------------------- memory and I/O

M, IO, SUM = "memory_bandwidth_gbs", "io_bandwidth_gbs", "memory_plus_io_gbs"


@pytest.mark.parametrize(
    ("conditions", "match", "expected"),
    [
        # restricted only where memory + I/O is strictly between 1500 and 1600 with
        # memory 1000 or more and I/O 100 or more: e.g. memory 1000 and I/O 550
        (
            [(M, ">=", "1000"), (IO, ">=", "100"), (SUM, ">", "1500"), (SUM, "<", "1600")],
            "all",
            IND,
        ),
        # restricted only with I/O from 1000 up to (not including) 1001 and memory 3 or more
        ([(IO, ">=", "1000"), (IO, "<", "1001"), (M, ">=", "3")], "all", IND),
        # restricted only with memory above 400 and below 500 (then I/O 500 fits under
        # memory + I/O 1000): e.g. memory 450 and I/O 500
        ([(IO, ">=", "500"), (SUM, "<", "1000"), (M, ">", "400")], "all", IND),
        # restricted only with I/O above 500 and memory + I/O below 1000, memory 400 or
        # more: e.g. memory 400 and I/O 550
        ([(IO, ">", "500"), (SUM, "<", "1000"), (M, ">=", "400")], "all", IND),
        # any memory below 1000 is restricted, and from 1000 on any I/O at all takes memory
        # + I/O past 1000: restricted whatever the two are
        ([(M, "<", "1000"), (SUM, ">", "1000")], "any", R),
        # the same with the I/O: below 1000, or from 1000 on with any memory at all
        ([(IO, "<", "1000"), (SUM, ">", "1000")], "any", R),
    ],
)
def test_memory_and_io_both_unknown_are_tried_in_every_cell_their_lines_cut(
    conditions: list[tuple[str, str, str]], match: str, expected: str
) -> None:
    rules = edition("cells", clause("C", conditions, match=match))
    sheet = _without_interconnect(part("1000", area="100"))  # no memory, no interconnect
    decision = judge(sheet, rules).verdicts[0].decision
    assert decision.label == expected
    assert decision.possible == ((E, R) if expected == IND else ())


def test_an_unknown_memory_with_io_on_a_strict_sum_line_passes_it_with_any_memory() -> None:
    # memory + I/O above 1000 with 1000 GB/s of I/O: any memory at all passes
    rules = edition("strict-sum", clause("C", [(SUM, ">", "1000")]))
    assert judge(part("1000", area="100", io="1000"), rules).verdicts[0].label == R


def test_an_unknown_certification_and_an_unknown_density_leave_every_label_open() -> None:
    # restricted at TPP 1000 and a density of 5 or more; license-required instead where
    # the exporter certifies. With no die (density unknown) and the certification not
    # known, the part could be exportable, license-required or restricted; the density
    # is named (each certification's answer is itself open over it). Which facts are
    # named here is left open: see docs/mutation.md (a label compared as "indeterminate")
    control = clause("X.1", [("tpp", ">=", "1000"), ("performance_density", ">=", "5")])
    relief = clause("Rel", [("tpp", ">=", "1000")], label=L, role="relief", targets=("X",))
    rules = edition("both-open", control, relief + CERTIFIED)
    decision = _label_with(part("1000", memory="1"), rules, None)
    assert (decision.label, decision.possible) == (IND, (E, L, R))
    assert decision.unknown == ("performance_density",)


def test_memory_plus_io_adds_fractions_exactly() -> None:
    # 1000 GB/s of memory and 0.5 GB/s of I/O: 1000.5 in all, on a line at 1000.5 and a
    # hair short of one at 1000.6
    rules = edition("sum", clause("C", [(SUM, ">=", "1000.5")]))
    assert judge(part("1000", area="100", memory="1000", io="0.5"), rules).verdicts[0].label == R
    assert judge(part("1000", area="100", memory="999.9", io="0.5"), rules).verdicts[0].label == E
    rules = edition("sum-2", clause("C", [(SUM, ">=", "1000.6")]))
    assert judge(part("1000", area="100", memory="1000", io="0.5"), rules).verdicts[0].label == E


# --------------------------------------------------------------------------- addressees


def test_a_letter_binds_its_addressees_only() -> None:
    # restricted at TPP 1000 or more, by a letter to NVIDIA (in any case): a part by
    # another vendor is not bound
    letter = clause("Letter", [("tpp", ">=", "1000")]).replace(
        'match = "all"', 'match = "all"\naddressees = ["NVIDIA"]'
    )
    rules = edition("letter", letter)
    assert judge(part("1000").replace('"Test"', '"NVIDIA"'), rules).verdicts[0].label == R
    assert judge(part("1000").replace('"Test"', '"nvidia"'), rules).verdicts[0].label == R
    assert judge(part("1000"), rules).verdicts[0].label == E  # made by "Test"


def test_an_unknown_io_is_decided_afresh_for_each_memory() -> None:
    # restricted at memory + I/O 1000 or more. With the I/O unknown, 900 GB/s of memory
    # could go either way, 1100 cannot miss; one edition decides both parts in turn (what
    # it has decided for one memory is not the answer for another)
    rules = edition("io-open", clause("C", [(SUM, ">=", "1000")]))
    first = judge(_without_interconnect(part("1000", area="100", memory="900")), rules)
    second = judge(_without_interconnect(part("1000", area="100", memory="1100")), rules)
    assert first.verdicts[0].decision.label == IND
    assert first.verdicts[0].decision.unknown == ("io_bandwidth_gbs",)
    assert second.verdicts[0].label == R


def test_memory_and_io_both_unknown_name_the_io_when_only_it_is_read() -> None:
    rules = edition("io-only", clause("C", [(IO, ">=", "1000")]))
    decision = judge(_without_interconnect(part("1000", area="100")), rules).verdicts[0].decision
    assert (decision.label, decision.possible, decision.unknown) == (IND, (E, R), (IO,))


def test_an_unknown_memory_is_decided_afresh_for_each_io() -> None:
    # restricted at memory + I/O 1000 or more. With the memory unknown and the density
    # known (TPP 1000 on 100 mm2), 500 GB/s of I/O could go either way, 1500 cannot miss
    # (any memory at all adds to 1500); one edition decides both parts, in both orders:
    # its memo of decisions with every metric known must not answer for these
    for order in ((("500", IND), ("1500", R)), (("1500", R), ("500", IND))):
        rules = edition("memory-open", clause("C", [(SUM, ">=", "1000")]))
        for io, expected in order:
            decision = judge(part("1000", area="100", io=io), rules).verdicts[0].decision
            assert decision.label == expected
            assert decision.unknown == ((M,) if expected == IND else ())
