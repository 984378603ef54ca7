"""Every number chipclass/units.py holds, pinned to a figure a reader can check by hand.

Each unit spelling is converted from "1 <unit>" and compared with its factor to the
canonical unit, written out here independently of the unit table: 1 TB/s is 1000 GB/s,
1 Gb/s is 1/8 GB/s (8 bits a byte), 1 GiB is 2**30 bytes = 1.073741824 GB, 1 cm^2 is
100 mm^2. The case variants a datasheet reader might type are refused, never guessed.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from chipclass.units import MAX_DIGITS, MAX_EXPONENT, UNITS, UnitError, parse_quantity

# kind -> unit spelling -> its value in the kind's canonical unit, by hand
FACTORS: dict[str, dict[str, Fraction]] = {
    "bandwidth": {  # canonical: GB/s
        "GB/s": Fraction(1),
        "GBps": Fraction(1),
        "Gbyte/s": Fraction(1),
        "TB/s": Fraction(1000),  # 10**12 bytes / 10**9 bytes
        "TBps": Fraction(1000),
        "MB/s": Fraction(1, 1000),  # 10**6 / 10**9
        "Gb/s": Fraction(1, 8),  # a gigabit is an eighth of a gigabyte
        "Gbps": Fraction(1, 8),
        "Tb/s": Fraction(125),  # 1000 Gb/s = 1000 / 8 GB/s
        "Tbps": Fraction(125),
    },
    "area": {  # canonical: mm^2
        "mm2": Fraction(1),
        "mm^2": Fraction(1),
        "mm²": Fraction(1),
        "cm2": Fraction(100),  # 10 mm x 10 mm
        "cm^2": Fraction(100),
        "cm²": Fraction(100),
    },
    "throughput": {  # canonical: TOPS (10**12 operations per second)
        "TOPS": Fraction(1),
        "TFLOPS": Fraction(1),
        "TFLOP/s": Fraction(1),
        "TOP/s": Fraction(1),
        "POPS": Fraction(1000),  # 10**15 / 10**12
        "PFLOPS": Fraction(1000),
        "PFLOP/s": Fraction(1000),
        "GOPS": Fraction(1, 1000),  # 10**9 / 10**12
        "GFLOPS": Fraction(1, 1000),
        "GFLOP/s": Fraction(1, 1000),
    },
    "capacity": {  # canonical: GB (10**9 bytes)
        "GB": Fraction(1),
        "TB": Fraction(1000),
        "GiB": Fraction(1_073_741_824, 1_000_000_000),  # 2**30 bytes
    },
    "transistor count": {  # canonical: billions
        "billion": Fraction(1),
        "B": Fraction(1),
        "million": Fraction(1, 1000),
    },
}

TABLE = [(kind, unit, factor) for kind, units in FACTORS.items() for unit, factor in units.items()]


def test_the_table_here_lists_every_spelling_the_code_knows() -> None:
    """A spelling added to units.py without a pinned factor here fails this test."""
    assert {kind: set(units) for kind, units in UNITS.items()} == {
        kind: set(units) for kind, units in FACTORS.items()
    }


@pytest.mark.parametrize(("kind", "unit", "factor"), TABLE)
def test_one_of_each_unit_is_its_factor(kind: str, unit: str, factor: Fraction) -> None:
    assert parse_quantity(f"1 {unit}", kind) == factor


@pytest.mark.parametrize(("kind", "unit", "factor"), TABLE)
def test_a_decimal_amount_is_multiplied_exactly(kind: str, unit: str, factor: Fraction) -> None:
    # 2.5 of anything is five halves of it, with no rounding anywhere
    assert parse_quantity(f"2.5 {unit}", kind) == Fraction(5, 2) * factor


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("4.0 TB/s", "bandwidth", Fraction(4000)),
        ("3.35 TB/s", "bandwidth", Fraction(3350)),
        ("900 GB/s", "bandwidth", Fraction(900)),
        ("64 Gbps", "bandwidth", Fraction(8)),
        ("1.8 Tb/s", "bandwidth", Fraction(225)),
        ("500 MB/s", "bandwidth", Fraction(1, 2)),
        ("814 mm2", "area", Fraction(814)),
        ("8.14 cm2", "area", Fraction(814)),
        ("1979 TFLOPS", "throughput", Fraction(1979)),
        ("1.979 PFLOPS", "throughput", Fraction(1979)),
        ("300 GOPS", "throughput", Fraction(3, 10)),
        ("80 GiB", "capacity", Fraction(80 * 2**30, 10**9)),  # 85.89934592 GB
        ("0.192 TB", "capacity", Fraction(192)),
        ("80 billion", "transistor count", Fraction(80)),
        ("76300 million", "transistor count", Fraction(763, 10)),
    ],
)
def test_datasheet_figures_convert_by_hand(text: str, kind: str, expected: Fraction) -> None:
    assert parse_quantity(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1 gb/s", "bandwidth"),
        ("1 GB/S", "bandwidth"),
        ("1 gbps", "bandwidth"),
        ("1 tb/s", "bandwidth"),
        ("1 Tb/S", "bandwidth"),
        ("1 TB/S", "bandwidth"),
        ("1 mb/s", "bandwidth"),
        ("1 tops", "throughput"),
        ("1 Tops", "throughput"),
        ("1 tflops", "throughput"),
        ("1 TFlops", "throughput"),
        ("1 pops", "throughput"),
        ("1 gops", "throughput"),
        ("1 MM2", "area"),
        ("1 CM2", "area"),
        ("1 gb", "capacity"),
        ("1 tb", "capacity"),
        ("1 gib", "capacity"),
        ("1 GIB", "capacity"),
        ("1 Billion", "transistor count"),
        ("1 b", "transistor count"),
        ("1 Million", "transistor count"),
    ],
)
def test_case_variants_are_refused_not_guessed(text: str, kind: str) -> None:
    with pytest.raises(UnitError, match=f"unknown {kind} unit"):
        parse_quantity(text, kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1 TB", "bandwidth"),  # a capacity is not a bandwidth
        ("1 TB/s", "capacity"),
        ("1 TOPS", "area"),
        ("1 mm2", "throughput"),
        ("1 GB/s", "transistor count"),
    ],
)
def test_a_unit_of_another_kind_is_refused(text: str, kind: str) -> None:
    with pytest.raises(UnitError, match=f"unknown {kind} unit"):
        parse_quantity(text, kind)


# --------------------------------------------------------------------------- zero


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("0 GB/s", "bandwidth"),
        ("0.0 GB/s", "bandwidth"),
        ("0.000 GB/s", "bandwidth"),
        ("0 TB/s", "bandwidth"),
        ("0.0 TB/s", "bandwidth"),
        ("0 Gbps", "bandwidth"),
        ("0e0 GB/s", "bandwidth"),
        ("0.0e5 TB/s", "bandwidth"),
        ("0 mm2", "area"),
        ("0.0 cm2", "area"),
        ("0 TOPS", "throughput"),
        ("0.0 PFLOPS", "throughput"),
        ("0 GB", "capacity"),
        ("0.0 GiB", "capacity"),
        ("0 billion", "transistor count"),
        ("0.0 million", "transistor count"),
    ],
)
def test_zero_in_every_form_is_zero(text: str, kind: str) -> None:
    """Zero is zero (whether a sheet may say zero is the sheet's rule, not the unit's)."""
    assert parse_quantity(text, kind) == 0


# --------------------------------------------------------------------------- limits


def test_the_limits_are_forty_digits_and_an_exponent_of_forty() -> None:
    assert (MAX_DIGITS, MAX_EXPONENT) == (40, 40)


#: forty significant digits, the last not a zero (a trailing zero is no precision)
FORTY = "1234567891" * 4


def test_forty_significant_digits_are_read_exactly() -> None:
    assert parse_quantity(f"{FORTY} GB/s", "bandwidth") == int(FORTY)
    assert parse_quantity(f"0.{FORTY} GB/s", "bandwidth") == Fraction(int(FORTY), 10**40)


def test_forty_one_significant_digits_are_refused() -> None:
    for text in (f"{FORTY}3 GB/s", f"0.{FORTY}3 GB/s", f"1.{FORTY} GB/s"):
        with pytest.raises(UnitError) as caught:
            parse_quantity(text, "bandwidth")
        assert str(caught.value) == f"{text!r}: has more than 40 significant digits"


def test_trailing_zeros_past_forty_digits_add_no_precision() -> None:
    # 41 written digits, 40 significant: accepted, and exactly ten times the 40
    assert parse_quantity(f"{FORTY}0 GB/s", "bandwidth") == int(FORTY) * 10
    assert parse_quantity(f"1.{'0' * 45} GB/s", "bandwidth") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e40 GB/s", Fraction(10**40)),
        ("9.9e40 GB/s", Fraction(99 * 10**39)),
        ("1e-40 GB/s", Fraction(1, 10**40)),
        ("5E+40 GB/s", Fraction(5 * 10**40)),
        ("1e+2 GB/s", Fraction(100)),
        ("2.5E-3 TB/s", Fraction(5, 2)),
    ],
)
def test_an_exponent_of_forty_either_way_is_read(text: str, expected: Fraction) -> None:
    assert parse_quantity(text, "bandwidth") == expected


@pytest.mark.parametrize(
    ("text", "size"),
    [("1e41 GB/s", "large"), ("10e40 GB/s", "large"), ("1e-41 GB/s", "small")],
)
def test_an_exponent_past_forty_is_refused(text: str, size: str) -> None:
    message = f"is implausibly {size} \\(a decimal exponent beyond \\+/-40\\)"
    with pytest.raises(UnitError, match=message):
        parse_quantity(text, "bandwidth")


# --------------------------------------------------------------------------- the text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4TB/s", Fraction(4000)),  # no space
        ("4    TB/s", Fraction(4000)),
        ("  4 TB/s  ", Fraction(4000)),  # surrounding space is stripped
        ("\t4 TB/s\n", Fraction(4000)),
        ("007 GB/s", Fraction(7)),
    ],
)
def test_spacing_around_the_number_does_not_matter(text: str, expected: Fraction) -> None:
    assert parse_quantity(text, "bandwidth") == expected


@pytest.mark.parametrize(
    "text", ["TB/s", "4", "-4 TB/s", "+4 TB/s", ".5 TB/s", "4 5 GB/s", "", "   "]
)
def test_text_that_is_not_a_number_and_a_unit_is_refused(text: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_quantity(text, "bandwidth")
    assert str(caught.value) == f'{text!r} is not a bandwidth (try "4000 GB/s" or "4.0 TB/s")'


@pytest.mark.parametrize(("text", "unit"), [("4. TB/s", ". TB/s"), ("4 TB/s/s", "TB/s/s")])
def test_what_follows_the_number_is_read_as_the_unit(text: str, unit: str) -> None:
    with pytest.raises(UnitError, match=f"unknown bandwidth unit {unit!r}"):
        parse_quantity(text, "bandwidth")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("bandwidth", """'fast' is not a bandwidth (try "4000 GB/s" or "4.0 TB/s")"""),
        ("area", """'fast' is not an area (try "814 mm2")"""),
        ("throughput", """'fast' is not a throughput (try "296 TFLOPS" or "296 TOPS")"""),
        ("capacity", """'fast' is not a capacity (try "96 GB")"""),
        ("transistor count", """'fast' is not a transistor count (try "80 billion" or 80)"""),
    ],
)
def test_a_word_is_not_a_quantity_and_the_message_says_what_is(kind: str, message: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_quantity("fast", kind)
    assert str(caught.value) == message


def test_an_unknown_unit_is_named_with_the_known_ones() -> None:
    with pytest.raises(UnitError) as caught:
        parse_quantity("4 furlongs", "capacity")
    assert str(caught.value) == (
        """'4 furlongs': unknown capacity unit 'furlongs' (known: GB, TB, GiB; try "96 GB")"""
    )


def test_a_limit_message_quotes_the_text() -> None:
    with pytest.raises(UnitError) as caught:
        parse_quantity("1e41 GB/s", "bandwidth")
    assert str(caught.value) == (
        "'1e41 GB/s': 1E+41 is implausibly large (a decimal exponent beyond +/-40)"
    )


def test_a_long_text_is_quoted_whole_up_to_sixty_characters_then_cut_at_fifty_seven() -> None:
    sixty = "x" * 60
    with pytest.raises(UnitError) as caught:
        parse_quantity(sixty, "area")
    assert str(caught.value) == f'{sixty!r} is not an area (try "814 mm2")'
    sixty_one = "y" * 61
    with pytest.raises(UnitError) as caught:
        parse_quantity(sixty_one, "area")
    assert str(caught.value) == f"""{"y" * 57!r}... is not an area (try "814 mm2")"""
