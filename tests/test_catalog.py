"""The bundled catalog: every sheet valid, sourced, linked, and its overview current."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from chipclass.classify import classify
from chipclass.editions import all_editions, by_id
from chipclass.files import load_all
from chipclass.spec import ChipSpec

SPECS = Path(__file__).resolve().parent.parent / "specs"
VENDOR_PREFIX = {
    "amd": "amd-",
    "nvidia": "nvidia-",
    "intel": "intel-",
    "huawei": "huawei-",
    "google": "google-",
    "biren": "biren-",
    "aws": "aws-",
    "meta": "meta-",
    "tenstorrent": "tenstorrent-",
    "cambricon": "cambricon-",
    "groq": "groq-",
}


@pytest.fixture(scope="module")
def catalog() -> dict[str, ChipSpec]:
    loaded = load_all([SPECS])
    assert loaded.problems == (), "\n".join(str(p) for p in loaded.problems)
    return {spec.id: spec for spec in loaded.specs}


def test_at_least_thirty_sheets_with_unique_ids(catalog: dict[str, ChipSpec]) -> None:
    sheets = sorted(SPECS.rglob("*.toml"))
    assert len(sheets) >= 30
    assert len(catalog) == len(sheets)  # ids unique: a duplicate would be a problem above


def test_file_names_follow_the_ids(catalog: dict[str, ChipSpec]) -> None:
    for spec in catalog.values():
        path = Path(spec.path)
        prefix = VENDOR_PREFIX.get(path.parent.name, f"{path.parent.name}-")
        assert spec.id == prefix + path.stem, spec.path


def test_every_variant_of_resolves(catalog: dict[str, ChipSpec]) -> None:
    for spec in catalog.values():
        if spec.variant_of is not None:
            assert spec.variant_of in catalog, f"{spec.path}: variant_of {spec.variant_of}"


@pytest.mark.parametrize(
    ("variant", "parent"),
    [
        ("nvidia-a800", "nvidia-a100-sxm"),
        ("nvidia-h800", "nvidia-h100-sxm"),
        ("nvidia-h20", "nvidia-h100-sxm"),
        ("nvidia-rtx-4090-d", "nvidia-rtx-4090"),
    ],
)
def test_tailored_variants_name_their_parents(
    catalog: dict[str, ChipSpec], variant: str, parent: str
) -> None:
    assert catalog[variant].variant_of == parent


def test_every_sheet_cites_a_public_source(catalog: dict[str, ChipSpec]) -> None:
    for spec in catalog.values():
        assert spec.sources, f"{spec.path} has no [[source]]"
        assert all(s.url.startswith(("https://", "http://")) for s in spec.sources), spec.path
        assert all(s.note.strip() for s in spec.sources), f"{spec.path}: a source without a note"


@pytest.mark.parametrize(
    ("chip", "edition", "label"),
    [
        ("nvidia-a800", "us-2022-10", "exportable"),
        ("nvidia-h800", "us-2022-10", "exportable"),
        ("nvidia-a100-sxm", "us-2022-10", "restricted"),
        ("nvidia-h20", "us-2023-10", "exportable"),
        ("nvidia-h20", "us-2025-04", "license-required"),
        ("nvidia-b200", "us-2026-01", "restricted"),
        ("nvidia-h200", "us-2026-01", "license-required"),
        ("nvidia-rtx-4090", "us-2023-10", "license-required"),
        ("nvidia-rtx-4090-d", "us-2023-10", "exportable"),
        ("nvidia-rtx-5090-d-v2", "us-2025-04", "exportable"),
        ("nvidia-rtx-5090-d", "us-2025-04", "license-required"),
    ],
)
def test_headline_parts_keep_their_labels(
    catalog: dict[str, ChipSpec], chip: str, edition: str, label: str
) -> None:
    assert classify(catalog[chip], [by_id(edition)]).verdicts[0].label == label


def test_whole_catalog_classifies_under_every_edition(catalog: dict[str, ChipSpec]) -> None:
    for spec in catalog.values():
        result = classify(spec, all_editions())
        assert len(result.verdicts) == len(all_editions())


def test_committed_overview_is_current(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SPECS.parent)
    result = run("report", "specs/", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    committed = (SPECS / "README.md").read_text(encoding="utf-8")
    assert result.stdout == committed, (
        "specs/README.md is stale: run"
        " `chipclass report specs/ --format markdown --output specs/README.md`"
    )


def test_report_flags_a_variant_whose_parent_is_missing(
    run: Callable[..., Result], write_sheet: Callable[..., Path]
) -> None:
    path = write_sheet(
        text='format = "chipclass/1"\n[chip]\nid = "x-cut"\nname = "X cut"\nvendor = "X"\n'
        'variant_of = "x-full"\n[performance]\nfp8 = 100\n'
    )
    result = run("report", str(path))
    assert result.exit_code == 2
    assert "variant_of names 'x-full'" in result.stderr
