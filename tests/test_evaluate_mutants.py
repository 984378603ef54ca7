"""The evaluator's corners that mutation testing found untested (docs/mutation.md), each
through a synthetic edition a user could write (`--rules`) and a sheet whose figures can
be checked by hand, read through chipclass.classify where the result shows it.
"""

from __future__ import annotations

import pytest
from test_operators import IND, E, L, R, clause, edition, judge, part

from chipclass.classify import classify
from chipclass.evaluate import decide
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
