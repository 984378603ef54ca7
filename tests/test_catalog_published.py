"""Each listed sheet's computed TPP is within 1 % of the figure its source publishes."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import catalog_published
import pytest

from chipclass.metrics import compute
from chipclass.spec import load_sheet

SPECS = Path(__file__).resolve().parent.parent / "specs"

ROWS = [
    row
    for name in sorted(vars(catalog_published))
    if name.endswith("_PUBLISHED")
    for row in getattr(catalog_published, name)
]


def sheet_path(chip_id: str) -> Path:
    """specs/<vendor>/<rest>.toml for an id <vendor>-<rest> (the catalog's naming rule)."""
    vendor, _, stem = chip_id.partition("-")
    return SPECS / vendor / f"{stem}.toml"


def test_the_lists_are_not_empty_and_name_each_sheet_once() -> None:
    ids = [chip_id for chip_id, _, _ in ROWS]
    assert len(ids) >= 10
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("chip_id", "published", "source"), ROWS, ids=[r[0] for r in ROWS])
def test_computed_tpp_is_within_one_percent_of_the_published(
    chip_id: str, published: float, source: str
) -> None:
    assert source.startswith("https://"), source
    spec = load_sheet(sheet_path(chip_id))
    assert spec.id == chip_id
    tpp = compute(spec).tpp
    expected = Fraction(str(published))
    assert abs(tpp - expected) * 100 <= expected, f"{chip_id}: computed {float(tpp)} vs {published}"
