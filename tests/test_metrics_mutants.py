"""Metrics' corners that mutation testing found untested (docs/mutation.md): what a
caller building the values by hand (the library's API, as chipclass.tariffs' example
does) gets for what it leaves out, read through a synthetic edition a user could write.
"""

from __future__ import annotations

from fractions import Fraction

from test_evaluate_mutants import _on_sale_relief
from test_operators import IND, E, L, R, clause, edition, part

from chipclass.evaluate import decide
from chipclass.metrics import Metrics, compute, io_bandwidth
from chipclass.spec import parse_sheet


def test_the_io_is_unknown_when_either_link_is() -> None:
    # a sheet always gives both links or neither; a spec built by hand can give one
    spec = parse_sheet(part("1000", io="900"), "part.toml")
    assert io_bandwidth(spec) == 900  # 0 GB/s chip to chip, 900 to the host
    assert io_bandwidth(spec._replace(chip_to_chip_gbs=None)) is None
    assert io_bandwidth(spec._replace(host_gbs=None)) is None
    assert compute(spec._replace(host_gbs=None)).memory_plus_io_gbs is None


def _by_hand() -> Metrics:
    """TPP 1000 for a datacenter, nothing else known, vendor and U.S. sale left out."""
    return Metrics(Fraction(1000), None, None, None, True)


def test_values_built_by_hand_leave_the_vendor_unknown_and_bound_by_a_letter() -> None:
    # a letter to NVIDIA restricts TPP 1000 or more: a part of unknown vendor is read
    # as bound (the reading that never understates), one by another vendor is not
    letter = clause("Letter", [("tpp", ">=", "1000")]).replace(
        'match = "all"', 'match = "all"\naddressees = ["NVIDIA"]'
    )
    rules = edition("letter-by-hand", letter)
    assert _by_hand().vendor is None
    assert decide(_by_hand(), rules).label == R
    assert decide(_by_hand()._replace(vendor="Test"), rules).label == E


def test_values_built_by_hand_leave_the_us_sale_unknown() -> None:
    # the relief for a part on sale in the U.S. by 2030-01-15 stays open
    assert _by_hand().us_available is None
    decision = decide(_by_hand(), _on_sale_relief())
    assert (decision.label, decision.possible, decision.unknown_facts) == (IND, (L, R), ("us",))
