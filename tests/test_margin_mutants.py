"""The margin's corners that mutation testing found untested (docs/mutation.md): walks
along a knob under a synthetic edition a user could write (`--rules`), with figures that
can be checked by hand.
"""

from __future__ import annotations

from fractions import Fraction

from test_operators import R, clause, edition, part

from chipclass.margin import probes
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
