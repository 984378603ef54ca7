"""Section 232 tariff bands (Proclamation of 2026-01-14, Annex), at their exact edges.

The Annex, as quoted (gsm.international): "(1) a total processing performance greater than
14,000 and less than 17,500, and a total DRAM bandwidth greater than 4,500 GB/s and less than
5,000 GB/s; or (2) a total processing performance greater than 20,800 and less than 21,100,
and total DRAM bandwidth greater than 5,[800 ... 6,200 GB/s]". Every edge is strict.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chipclass.metrics import Metrics
from chipclass.tariffs import TARIFFS_FILE, TariffDataError, bands, bundled, margins, parse

DATA = bundled()
ON = dt.date(2026, 2, 1)


def part(tpp: int | str, memory: int | str | None) -> Metrics:
    bandwidth = None if memory is None else Fraction(memory)
    return Metrics(Fraction(tpp), Fraction(814), bandwidth, Fraction(900), True)


def found(tpp: int | str, memory: int | str | None, on: dt.date = ON) -> list[tuple[str, str]]:
    return [(b.band.id, b.status) for b in bands(part(tpp, memory), on, data=DATA)]


BAND1, BAND2 = "232-semiconductors-1", "232-semiconductors-2"


@pytest.mark.parametrize(
    ("tpp", "memory", "expected"),
    [
        (14000, 4800, []),  # "greater than 14,000": 14,000 is out
        ("14000.001", 4800, [(BAND1, "in")]),
        ("17499.999", 4800, [(BAND1, "in")]),
        (17500, 4800, []),  # "less than 17,500": 17,500 is out
        (15832, 4500, []),  # memory edges strict too
        (15832, "4500.001", [(BAND1, "in")]),
        (15832, "4999.999", [(BAND1, "in")]),
        (15832, 5000, []),
        (15832, 4800, [(BAND1, "in")]),  # H200: FP8 1979 x 8 = 15,832, 4,800 GB/s
        (20800, 6000, []),
        (20919, 6000, [(BAND2, "in")]),  # MI325X TPP (FP8 2614.9 x 8), memory inside
        (21100, 6000, []),
        (20919, 5800, []),
        (20919, 6200, []),
        (20919, 6000, [(BAND2, "in")]),
        (15832, None, [(BAND1, "unknown")]),  # no [memory]: unknown, never "not in band"
        (20919, None, [(BAND2, "unknown")]),
        (19000, None, []),  # the TPP alone puts it outside both
    ],
)
def test_the_bands_at_their_edges(
    tpp: int | str, memory: int | str | None, expected: list[tuple[str, str]]
) -> None:
    assert found(tpp, memory) == expected


def test_a_band_applies_from_its_effective_date() -> None:
    assert found(15832, 4800, dt.date(2026, 1, 14)) == []
    assert found(15832, 4800, dt.date(2026, 1, 15)) == [(BAND1, "in")]


def test_margins_to_each_edge_are_exact() -> None:
    (h200,) = bands(part(15832, 4800), ON, data=DATA)
    assert [(m.edge.metric, m.edge.op, m.edge.threshold, m.inside_by) for m in h200.margins] == [
        ("tpp", ">", 14000, 1832),  # 15,832 - 14,000
        ("tpp", "<", 17500, 1668),  # 17,500 - 15,832
        ("memory_bandwidth_gbs", ">", 4500, 300),
        ("memory_bandwidth_gbs", "<", 5000, 200),
    ]
    band2 = next(b for b in DATA if b.id == BAND2)
    outside = margins(part(15832, 4800), band2)
    assert [m.holds for m in outside] == [False, True, False, True]
    assert outside[0].inside_by == 15832 - 20800
    unknown = margins(part(15832, None), band2)
    assert [m.inside_by for m in unknown[2:]] == [None, None]


def test_each_band_is_cited_with_rate_date_and_text_kind() -> None:
    for band in DATA:
        assert band.rate_pct == 25 and band.effective == dt.date(2026, 1, 15)
        assert "Proclamation" in band.citation and band.url.startswith("https://")
        assert band.text_kind in ("quoted", "paraphrase")
        assert all(edge.op in (">", "<") for edge in band.edges)


@given(st.fractions(min_value=10000, max_value=25000), st.fractions(min_value=4000, max_value=7000))
def test_in_band_means_strictly_inside_every_edge(tpp: Fraction, memory: Fraction) -> None:
    metrics = Metrics(tpp, Fraction(814), memory, Fraction(0), True)
    ids = {b.band.id for b in bands(metrics, ON, data=DATA)}
    assert (BAND1 in ids) == (14000 < tpp < 17500 and 4500 < memory < 5000)
    assert (BAND2 in ids) == (20800 < tpp < 21100 and 5800 < memory < 6200)


TEXT = Path(TARIFFS_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('op = ">", threshold = 14000', 'op = "=>", threshold = 14000', "op: must be one of"),
        (
            'metric = "tpp", op = ">", threshold = 14000',
            'metric = "tops", op = ">", threshold = 14000',
            "metric: must be one of",
        ),
        ("threshold = 14000", "threshold = 0", "threshold: must be above zero"),
        ("rate_pct = 25", 'rate_pct = "25%"', "rate_pct: must be a number"),
        ("effective = 2026-01-15", 'effective = "2026-01-15"', "effective: required, a TOML date"),
        ('text_kind = "quoted"', 'text_kind = "exact"', "text_kind: must be one of"),
        (
            'text = "a total processing performance greater than 14,000" }',
            'text = "over 14,000" }',
            "is not in the band's text",
        ),
        ("rate_pct = 25", "rate_pct = 25\nsurcharge = 1", "unknown key 'surcharge'"),
    ],
)
def test_bad_data_is_refused_naming_the_file_and_key(old: str, new: str, fragment: str) -> None:
    assert old in TEXT
    with pytest.raises(TariffDataError, match=r"tariffs\.toml") as caught:
        parse(TEXT.replace(old, new, 1), "data/tariffs.toml")
    assert fragment in str(caught.value)
