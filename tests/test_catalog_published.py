"""Each listed sheet's computed TPP is within 1 % of the figure its source publishes.

Also: every sheet outside NVIDIA's folder states us_available, and the new parts carry the labels
their figures give."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import catalog_published
import pytest

from chipclass.classify import classify
from chipclass.editions import by_id
from chipclass.files import load_sheet
from chipclass.metrics import compute
from chipclass.spec import ChipSpec

SPECS = Path(__file__).resolve().parent.parent / "specs"

#: every list in catalog_published.py (one per engineer's scope), rows merged
PUBLISHED = [
    row
    for name, rows in sorted(vars(catalog_published).items())
    if name.endswith("_PUBLISHED")
    for row in rows
]

#: sheets of this scope (every folder but nvidia/) that may leave us_available out, with the reason
US_AVAILABLE_UNKNOWN = {
    "groq-lp30": "pre-release estimate; no report of U.S. availability found",
}


def _sheet(chip_id: str) -> ChipSpec:
    vendor_folder, _, part = chip_id.partition("-")
    return load_sheet(SPECS / vendor_folder / f"{part}.toml")


def test_the_list_is_not_empty_and_ids_are_unique() -> None:
    ids = [chip_id for chip_id, _, _ in PUBLISHED]
    assert len(ids) >= 16
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("chip_id", "published", "how"), PUBLISHED)
def test_computed_tpp_is_within_one_percent_of_the_published_figure(
    chip_id: str, published: float, how: str
) -> None:
    spec = _sheet(chip_id)
    assert spec.id == chip_id
    tpp = compute(spec).tpp
    expected = Fraction(str(published))
    assert abs(tpp - expected) <= expected / 100, f"{chip_id}: {tpp} vs {published} ({how})"


def _scope_sheets() -> list[Path]:
    return sorted(p for p in SPECS.rglob("*.toml") if p.parent.name != "nvidia")


def test_every_sheet_in_scope_states_us_available() -> None:
    sheets = _scope_sheets()
    assert len(sheets) >= 29
    missing = []
    for path in sheets:
        spec = load_sheet(path)
        if spec.us_available is None and spec.id not in US_AVAILABLE_UNKNOWN:
            missing.append(spec.id)
        if spec.us_available is None:
            assert spec.notes is not None and "us_available" in spec.notes, spec.id
    assert missing == []


@pytest.mark.parametrize("folder", ["huawei", "biren", "cambricon"])
def test_chinese_vendors_parts_are_not_us_available(folder: str) -> None:
    sheets = sorted((SPECS / folder).glob("*.toml"))
    assert sheets
    for path in sheets:
        spec = load_sheet(path)
        assert spec.us_available is False, spec.id
        assert spec.notes is not None and "us_available = false" in spec.notes, spec.id


def test_a_few_availability_dates_a_reader_can_check() -> None:
    assert _sheet("aws-trainium2").us_available == dt.date(2024, 12, 3)
    assert _sheet("google-tpu-v5p").us_available == dt.date(2024, 4, 9)
    assert _sheet("intel-gaudi2-hl-225b").us_available is False
    assert _sheet("meta-mtia-v2").us_available is False  # never sold, anywhere


def test_estimates_are_flagged() -> None:
    for chip_id in ["huawei-ascend-950pr", "huawei-ascend-950dt", "huawei-ascend-920", "groq-lp30"]:
        assert _sheet(chip_id).estimated, chip_id
    assert not _sheet("aws-trainium3").estimated


@pytest.mark.parametrize(
    ("chip", "edition", "label", "why"),
    [
        # TPP 2832 >= 1600 and density 2832 / 421 = 6.73 >= 5.92: 3A090.a.2
        ("meta-mtia-v2", "us-2023-10", "restricted", "density"),
        # TPP 2899.2 sits in 3A090.b's band; no die area, so the density that decides is unknown
        ("amd-mi210", "us-2023-10", "indeterminate", "no die area"),
        # TPP 2048 < 4800: the 2022 rule needs both TPP >= 4800 and I/O >= 600
        ("cambricon-mlu370-x8", "us-2022-10", "exportable", "TPP"),
        # Biren's Hot Chips figures: 512 + 128 = 640 >= 600 and TPP 16384
        ("biren-br100", "us-2022-10", "restricted", "I/O 640"),
        # HCCS 392 read as bidirectional: 392 + 64 = 456 < 600
        ("huawei-ascend-910b", "us-2022-10", "exportable", "I/O 456"),
        # TF32 671 x 32 = 21472 >= 21000: outside the 2026 case-by-case box
        ("aws-trainium3", "us-2026-01", "restricted", "TF32 at 32 bits"),
        # TPP 6192 >= 4800: Note 2 cannot excuse it whatever the datacenter reading
        ("tenstorrent-blackhole", "us-2023-10", "restricted", "TPP >= 4800"),
        # no die area published (Epoch's 325 mm2 unsourced), TPP 3152 in 3A090.b's band
        ("google-tpu-v5e", "us-2023-10", "indeterminate", "no die area"),
    ],
)
def test_new_and_corrected_parts_carry_their_labels(
    chip: str, edition: str, label: str, why: str
) -> None:
    assert classify(_sheet(chip), [by_id(edition)]).verdicts[0].label == label, why


def test_blackhole_is_controlled_under_either_datacenter_reading() -> None:
    # TPP 6192 >= 4800, so Note 2 cannot take the card out of 3A090; the datacenter reading
    # decides only the licence policy (presumption of denial vs the non-datacenter NAC/ACA path)
    spec = _sheet("tenstorrent-blackhole")
    assert spec.datacenter
    consumer = spec._replace(datacenter=False)
    for edition in ["us-2023-10", "us-2024-12"]:
        assert classify(spec, [by_id(edition)]).verdicts[0].label == "restricted"
        assert classify(consumer, [by_id(edition)]).verdicts[0].label == "license-required"
