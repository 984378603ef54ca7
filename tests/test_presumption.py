"""Note 1 to 3A090.a: the foundry presumption by transistor count, at its exact thresholds.

The Note (verbatim eCFR text, 2026-07-23): the presumption is overcome by an attestation that
the count "is below 30 billion transistors, or ... does not contain high-bandwidth memory and
... is below (i) 35 billion transistors for any exports ... completed in 2027; or (ii) 40
billion transistors for any exports ... completed in 2029 or thereafter". "Below" is strict.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chipclass.presumption import (
    PRESUMPTIONS_FILE,
    PresumptionDataError,
    bundled,
    margin_billion,
    parse,
    presumption_on,
)

RULE = bundled()
D2026 = dt.date(2026, 6, 1)
D2027 = dt.date(2027, 6, 1)
D2028 = dt.date(2028, 6, 1)
D2029 = dt.date(2029, 1, 1)


def applies(billions: str | int, day: dt.date, hbm: bool | None) -> bool | None:
    return presumption_on(Fraction(billions), day, hbm=hbm, data=RULE).applies


@pytest.mark.parametrize(
    ("billions", "day", "hbm", "expected"),
    [
        ("29.999", D2026, True, False),  # below 30: overcome
        (30, D2026, True, True),  # 30 is not below 30
        (30, D2026, False, True),  # in 2026 no HBM-free threshold is in force
        ("34.999", D2027, False, False),  # 2027, no HBM: below 35
        (35, D2027, False, True),
        ("34.999", D2027, True, True),  # with HBM, 30 is the threshold
        ("34.999", D2028, False, True),  # 2028: the text names no HBM-free threshold
        ("39.999", D2029, False, False),  # 2029 on, no HBM: below 40
        (40, D2029, False, True),
        ("39.999", D2029, None, True),  # HBM unknown: read as with HBM (30)
        ("29.999", D2029, None, False),
    ],
)
def test_the_thresholds_are_strict_and_dated(
    billions: str | int, day: dt.date, hbm: bool | None, expected: bool
) -> None:
    assert applies(billions, day, hbm) is expected


def test_the_threshold_dates_are_inclusive_from_and_exclusive_until() -> None:
    assert applies(34, dt.date(2026, 12, 31), False) is True
    assert applies(34, dt.date(2027, 1, 1), False) is False
    assert applies(34, dt.date(2027, 12, 31), False) is False
    assert applies(34, dt.date(2028, 1, 1), False) is True


def test_before_the_rule_it_is_not_in_force() -> None:
    finding = presumption_on(Fraction(100), dt.date(2025, 1, 15), hbm=True, data=RULE)
    assert (finding.applies, finding.in_force) == (False, False)
    assert "takes effect 2025-01-16" in finding.reason
    assert presumption_on(Fraction(100), dt.date(2025, 1, 16), hbm=True, data=RULE).applies


def test_an_unknown_count_is_unknown_not_a_pass() -> None:
    finding = presumption_on(None, D2026, hbm=True, data=RULE)
    assert finding.applies is None and finding.in_force
    assert "transistor count unknown" in finding.reason and "30 billion" in finding.reason


def test_the_reason_and_citation_say_why() -> None:
    finding = presumption_on(Fraction(80), D2026, hbm=True, data=RULE)
    assert finding.reason == (
        "80 billion transistors is not below the 30 billion threshold in force on 2026-06-01:"
        " the presumption applies"
    )
    assert "FR Doc 2025-00711" in finding.citation and "90 FR 9604" in finding.citation
    assert finding.threshold is not None
    assert margin_billion(Fraction(80), finding.threshold) == -50


def test_the_file_is_cited_and_its_thresholds_quote_the_text() -> None:
    assert RULE.text_kind == "verbatim" and RULE.url.startswith("https://www.govinfo.gov/")
    assert [(t.billions, t.hbm) for t in RULE.thresholds] == [
        (30, "any"),
        (35, "none"),
        (40, "none"),
    ]


@given(st.fractions(min_value=0, max_value=100), st.booleans())
def test_in_2029_the_count_overcomes_it_exactly_below_its_threshold(
    count: Fraction, hbm: bool
) -> None:
    overcome = presumption_on(count, D2029, hbm=hbm, data=RULE).applies is False
    assert overcome == (count < 30 or (not hbm and count < 40))


TEXT = PRESUMPTIONS_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("billions = 30", "billions = -30", "billions: must be above zero"),
        ("billions = 30", 'billions = "30"', "billions: must be a number"),
        ('hbm = "any"', 'hbm = "some"', "hbm: must be one of any, none"),
        ("from = 2027-01-01", "from = 2028-06-01", "until: 2028-01-01 is not after from"),
        ('text = "below 30 billion transistors"', 'text = "below 31 billion"', "is not in"),
        ('text_kind = "verbatim"', 'text_kind = "exact"', "text_kind: must be one of"),
        ('id = "30 billion"', 'id = "30 billion"\nunit = "B"', "unknown key 'unit'"),
        ("chipclass-presumptions/1", "chipclass-presumptions/2", "format must be"),
    ],
)
def test_bad_data_is_refused_naming_the_key(old: str, new: str, fragment: str) -> None:
    assert old in TEXT
    with pytest.raises(PresumptionDataError, match=r"presumptions\.toml") as caught:
        parse(TEXT.replace(old, new, 1), "data/presumptions.toml")
    assert fragment in str(caught.value)
