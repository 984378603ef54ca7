"""The NVIDIA part of the catalog: U.S. availability stated, tailored parts linked, estimates
flagged, and the labels a reader can check by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chipclass.classify import classify
from chipclass.editions import by_id
from chipclass.files import load_all
from chipclass.metrics import compute
from chipclass.spec import ChipSpec

NVIDIA = Path(__file__).resolve().parent.parent / "specs" / "nvidia"

#: China-market parts: never sold in the United States
CHINA_ONLY = (
    "nvidia-a800",
    "nvidia-a800-pcie",
    "nvidia-h800",
    "nvidia-h20",
    "nvidia-l20",
    "nvidia-l2",
    "nvidia-rtx-4090-d",
    "nvidia-rtx-5090-d",
    "nvidia-rtx-5090-d-v2",
    "nvidia-b30a",
)


@pytest.fixture(scope="module")
def nvidia() -> dict[str, ChipSpec]:
    loaded = load_all([NVIDIA])
    assert loaded.problems == (), "\n".join(str(p) for p in loaded.problems)
    return {spec.id: spec for spec in loaded.specs}


def test_at_least_thirty_five_nvidia_sheets(nvidia: dict[str, ChipSpec]) -> None:
    assert len(nvidia) >= 35


def test_every_nvidia_sheet_states_us_availability(nvidia: dict[str, ChipSpec]) -> None:
    """A date or false, or (where no source settles it) notes that say it is unknown."""
    for spec in nvidia.values():
        if spec.us_available is None:
            assert "U.S. availability unknown" in (spec.notes or ""), spec.path
        else:
            assert spec.us_available is False or isinstance(spec.us_available, dt.date)


def test_a_false_us_availability_gives_its_reason(nvidia: dict[str, ChipSpec]) -> None:
    for spec in nvidia.values():
        if spec.us_available is False:
            notes = spec.notes or ""
            assert "China" in notes and "us_available = false" in notes, spec.path


@pytest.mark.parametrize("chip", CHINA_ONLY)
def test_china_market_parts_were_never_available_in_the_us(
    nvidia: dict[str, ChipSpec], chip: str
) -> None:
    assert nvidia[chip].us_available is False


def test_only_china_market_parts_say_false(nvidia: dict[str, ChipSpec]) -> None:
    assert {s.id for s in nvidia.values() if s.us_available is False} == set(CHINA_ONLY)


@pytest.mark.parametrize(
    ("chip", "date"),
    [
        ("nvidia-a100-sxm", dt.date(2020, 5, 14)),
        ("nvidia-rtx-4090", dt.date(2022, 10, 12)),
        ("nvidia-h200", dt.date(2024, 6, 30)),
        ("nvidia-rtx-pro-6000-server", dt.date(2025, 7, 31)),
        ("nvidia-gb10", dt.date(2025, 10, 15)),
    ],
)
def test_us_availability_dates(nvidia: dict[str, ChipSpec], chip: str, date: dt.date) -> None:
    assert nvidia[chip].us_available == date


def test_case_by_case_candidates_were_available_in_the_us_before_the_2026_rule(
    nvidia: dict[str, ChipSpec],
) -> None:
    """Every non-estimated part under TPP 21000 and 6500 GB/s that was sold in the U.S. was
    available there before 91 FR 1684 took effect (2026-01-15)."""
    effective = dt.date(2026, 1, 15)
    for spec in nvidia.values():
        m = compute(spec)
        if spec.estimated or not isinstance(spec.us_available, dt.date):
            continue
        if m.tpp < 21000 and (m.memory_bandwidth_gbs or 0) < 6500:
            assert spec.us_available < effective, spec.path


@pytest.mark.parametrize(
    ("variant", "parent"),
    [
        ("nvidia-b30a", "nvidia-b300"),
        ("nvidia-gb300", "nvidia-b300"),
        ("nvidia-b100", "nvidia-b200"),
        ("nvidia-h100-nvl", "nvidia-h100-sxm"),
        ("nvidia-h200-nvl", "nvidia-h200"),
        ("nvidia-rtx-pro-6000-server", "nvidia-rtx-pro-6000"),
        ("nvidia-gh200", "nvidia-h100-sxm"),
        ("nvidia-l20", "nvidia-l40s"),
        ("nvidia-l2", "nvidia-l4"),
    ],
)
def test_variants_name_their_parents(
    nvidia: dict[str, ChipSpec], variant: str, parent: str
) -> None:
    assert nvidia[variant].variant_of == parent


def test_estimates_are_flagged(nvidia: dict[str, ChipSpec]) -> None:
    assert {s.id for s in nvidia.values() if s.estimated} == {"nvidia-b30a", "nvidia-rubin"}
    for spec in nvidia.values():
        if spec.estimated:
            assert "ESTIMATE" in (spec.notes or ""), spec.path


def test_b30a_estimate_is_half_the_b300(nvidia: dict[str, ChipSpec]) -> None:
    """Reuters: 'half the raw computing power' of the B300: 56000 / 2 = 28000."""
    assert compute(nvidia["nvidia-b30a"]).tpp * 2 == compute(nvidia["nvidia-b300"]).tpp == 56000


def test_rtx_pro_6000_editions_share_the_tpp_and_only_the_server_is_a_datacenter_part(
    nvidia: dict[str, ChipSpec],
) -> None:
    server, workstation = nvidia["nvidia-rtx-pro-6000-server"], nvidia["nvidia-rtx-pro-6000"]
    assert server.datacenter and not workstation.datacenter
    assert compute(server).tpp == compute(workstation).tpp == 8000
    # the passive server board runs its memory slower: 1597 GB/s against 1792
    assert (server.memory_bandwidth_gbs, workstation.memory_bandwidth_gbs) == (1597, 1792)


@pytest.mark.parametrize(
    ("chip", "edition", "label"),
    [
        # 8000 / 750 = 10.67 >= 5.92: 3A090.a.2 for a datacenter part ...
        ("nvidia-rtx-pro-6000-server", "us-2023-10", "restricted"),
        # ... while the workstation card (TPP >= 4800, not datacenter) needs a licence only
        ("nvidia-rtx-pro-6000", "us-2023-10", "license-required"),
        # 2000 < 2400 and 2000 / 628 = 3.185 < 3.2: no 3A090 clause
        ("nvidia-a10", "us-2023-10", "exportable"),
        # 2394.72 < 2400, but 2394.72 / 628 = 3.81 >= 3.2: 3A090.b.2
        ("nvidia-a40", "us-2023-10", "license-required"),
        # 2000 < 4800 and not a datacenter part: Note 2
        ("nvidia-gb10", "us-2023-10", "exportable"),
        # 5832 >= 4800: Note 2 does not apply even to a workstation card
        ("nvidia-rtx-6000-ada", "us-2023-10", "license-required"),
        ("nvidia-b300", "us-2026-01", "restricted"),
        ("nvidia-gb300", "us-2026-01", "restricted"),
        ("nvidia-b30a", "us-2026-01", "restricted"),
        ("nvidia-h200-nvl", "us-2023-10", "restricted"),
    ],
)
def test_labels_checkable_by_hand(
    nvidia: dict[str, ChipSpec], chip: str, edition: str, label: str
) -> None:
    assert classify(nvidia[chip], [by_id(edition)]).verdicts[0].label == label
