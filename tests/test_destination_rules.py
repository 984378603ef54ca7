"""Destinations: each edition's reach, read for one country at a time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from chipclass.classify import classify
from chipclass.destinations import bundled
from chipclass.editions import EditionError, all_editions, by_id, parse_edition
from chipclass.files import load_all, load_sheet
from chipclass.scoped import for_destination

SPECS = Path(__file__).resolve().parent.parent / "specs"
E, L, R = "exportable", "license-required", "restricted"
Run = Callable[..., Result]


def label(sheet: str, edition: str, destination: str, on: dt.date | None = None) -> str:
    narrowed = for_destination(by_id(edition), destination, on)
    return classify(load_sheet(SPECS / sheet), [narrowed]).verdicts[0].label


def test_china_reads_every_edition_as_written() -> None:
    """The clauses are written for China: narrowing to CN changes no verdict in the catalog."""
    specs = load_all([SPECS]).specs
    base = all_editions()
    china = [for_destination(e, "CN") for e in base]
    for spec in specs:
        plain, narrowed = classify(spec, base), classify(spec, china)
        for a, b in zip(plain.verdicts, narrowed.verdicts, strict=True):
            assert (a.label, a.decision.clauses) == (b.label, b.decision.clauses), spec.id
            assert (a.nearest_stricter, a.nearest_laxer) == (b.nearest_stricter, b.nearest_laxer)


@pytest.mark.parametrize(
    ("destination", "expected"),
    [
        ("CN", R),  # Country Group D:5: presumption of denial
        ("HK", R),  # treated as China
        ("MO", R),  # "Macau or a destination specified in Country Group D:5"
        ("RU", R),  # D:5
        ("SA", L),  # D:4 only: license, presumption of approval
        ("KZ", L),  # D:1 only
        ("IL", E),  # D:4, but also A:6: excluded
        # D:4 on 2023-11-17 (A:5 only from 2026-07-10, 91 FR 43034): NVIDIA's 8-K of
        # 2023-10-17 names "Saudi Arabia, the United Arab Emirates, and Vietnam" among the
        # D1/D4/D5 destinations newly needing licenses
        ("AE", L),
        ("DE", E),  # in no D group
        ("BR", E),
    ],
)
def test_h100_under_2023_by_destination(destination: str, expected: str) -> None:
    assert label("nvidia/h100-sxm.toml", "us-2023-10", destination) == expected


def test_3a090b_parts_carry_their_own_label_where_the_reach_is_denial() -> None:
    # the A30 is 3A090.b (license-required) for China; the reach does not raise it
    assert label("nvidia/a30.toml", "us-2023-10", "CN") == L
    assert label("nvidia/a30.toml", "us-2023-10", "SA") == L
    assert label("nvidia/a30.toml", "us-2023-10", "DE") == E


def test_2022_rule_reached_china_only_and_macau_from_january_2023() -> None:
    assert label("nvidia/a100-sxm.toml", "us-2022-10", "CN") == R
    assert label("nvidia/a100-sxm.toml", "us-2022-10", "HK") == R
    assert label("nvidia/a100-sxm.toml", "us-2022-10", "RU") == E
    assert label("nvidia/a100-sxm.toml", "us-2022-10", "MO") == E  # as published, 2022-10-07
    # 88 FR 2821: "effective as of January 17, 2023" (published 2023-01-18)
    assert label("nvidia/a100-sxm.toml", "us-2022-10", "MO", dt.date(2023, 1, 16)) == E
    assert label("nvidia/a100-sxm.toml", "us-2022-10", "MO", dt.date(2023, 1, 17)) == R


def test_ai_diffusion_tiers() -> None:
    edition = by_id("us-2025-01")
    assert edition.status == "not-enforced"
    assert label("nvidia/h100-sxm.toml", "us-2025-01", "CN") == R  # Tier 3
    assert label("nvidia/h100-sxm.toml", "us-2025-01", "DE") == E  # Tier 1: AIA
    assert label("nvidia/h100-sxm.toml", "us-2025-01", "US") == E
    assert label("nvidia/h100-sxm.toml", "us-2025-01", "SA") == L  # Tier 2
    assert label("nvidia/h100-sxm.toml", "us-2025-01", "BR") == L
    assert label("nvidia/h100-sxm.toml", "us-2025-01", "AE") == L  # Tier 2, though in A:5
    # 3A090.b keeps the pre-diffusion reach: D:1/D:4/D:5 outside A:5/A:6
    assert label("nvidia/a30.toml", "us-2025-01", "BR") == E
    assert label("nvidia/a30.toml", "us-2025-01", "SA") == L


def test_april_2025_letters_reach_china_macau_and_d5_only() -> None:
    assert label("nvidia/h20.toml", "us-2025-04", "CN") == L
    assert label("nvidia/h20.toml", "us-2025-04", "MO") == L
    assert label("nvidia/h20.toml", "us-2025-04", "RU") == L
    assert label("nvidia/h20.toml", "us-2025-04", "SA") == E


def test_2026_case_by_case_review_is_for_china_and_macau_only() -> None:
    assert label("nvidia/h100-sxm.toml", "us-2026-01", "CN") == L
    assert label("nvidia/h100-sxm.toml", "us-2026-01", "MO") == L
    assert label("nvidia/h100-sxm.toml", "us-2026-01", "RU") == R
    assert label("nvidia/h100-sxm.toml", "us-2026-01", "SA") == L


def test_a_clause_that_does_not_reach_says_why() -> None:
    edition = for_destination(by_id("us-2026-01"), "DE")
    a1 = next(c for c in edition.clauses if c.id == "3A090.a.1")
    assert not a1.applies and "does not reach Germany" in (a1.reach_note or "")
    letters = next(c for c in edition.clauses if c.id == "2025-04 H20 letters")
    assert not letters.applies and "CN, MO, D:5" in (letters.reach_note or "")
    saudi = for_destination(by_id("us-2023-10"), "Saudi Arabia")
    a1 = next(c for c in saudi.clauses if c.id == "3A090.a.1")
    assert a1.label == L and "presumption of approval" in (a1.reach_note or "")


def test_every_place_named_in_the_rules_is_a_known_group_or_code() -> None:
    data = bundled()
    china = data.resolve("CN")
    for edition in all_editions():
        places = [p for c in edition.clauses for p in c.destinations]
        places += [p for r in edition.reach for rule in r.rules for p in rule.to]
        for place in places:
            data.in_groups(china, [place], on=edition.effective)  # LookupError if unknown


def test_reach_must_name_known_clauses_and_labels() -> None:
    text = (SPECS.parent / "chipclass/rules/us-2023-10.toml").read_text(encoding="utf-8")
    with pytest.raises(EditionError, match="applies_to names unknown clause"):
        parse_edition(
            text.replace('applies_to = ["3A090.a", "3A090.b"]', 'applies_to = ["3A091"]'), "x"
        )
    with pytest.raises(EditionError, match=r"rules\[2\]\.label: must be one of"):
        parse_edition(
            text.replace('label = "license-required", note = "D:1', 'label = "maybe", note = "D:1'),
            "x",
        )
    with pytest.raises(EditionError, match="unknown key"):
        parse_edition(
            text.replace('otherwise = "exportable"', 'otherwise = "exportable"\nelse = 1'), "x"
        )


def test_cli_destination_option(run: Run) -> None:
    result = run(
        "classify", str(SPECS / "nvidia/h100-sxm.toml"), "-d", "Saudi Arabia", "-f", "json"
    )
    assert result.exit_code == 0
    verdict = json.loads(result.stdout)["results"][0]["verdicts"][0]
    assert (verdict["destination"], verdict["label"]) == ("SA", L)
    default = run("classify", str(SPECS / "nvidia/h100-sxm.toml"), "-f", "json")
    assert json.loads(default.stdout)["results"][0]["verdicts"][0]["destination"] == "CN"
    text = run("classify", str(SPECS / "nvidia/h100-sxm.toml"), "-d", "SA", "-e", "us-2023-10")
    assert "for Saudi Arabia (SA)" in text.stdout
    macau = run(
        "classify",
        str(SPECS / "nvidia/a100-sxm.toml"),
        "-d",
        "MO",
        "--as-of",
        "2023-06-01",
        "-f",
        "json",
    )
    assert json.loads(macau.stdout)["results"][0]["verdicts"][0]["label"] == R
    unknown = run("classify", str(SPECS / "nvidia/h100-sxm.toml"), "-d", "Germny")
    assert unknown.exit_code == 2 and "Germany" in unknown.stderr


def test_destination_on_check_diff_and_history(run: Run) -> None:
    h100 = str(SPECS / "nvidia/h100-sxm.toml")
    assert run("check", h100, "-d", "DE").exit_code == 0
    assert run("check", h100, "-d", "CN", "--fail-on", "license-required").exit_code == 1
    diff = run("diff", h100, str(SPECS / "nvidia/h20.toml"), "-d", "DE", "-e", "us-2023-10")
    assert diff.exit_code == 0  # both exportable to Germany
    history = run("history", h100, "-d", "SA", "-f", "json")
    labels = [e["label"] for e in json.loads(history.stdout)["editions"]]
    # us-2022-08-letters and us-2022-10 reach China and Russia only; from the notice of
    # 2023-10-23 on, the 2023 rule's D:4 reach (presumption of approval)
    assert labels == [E, E, L, L, L, L, L, L, L]


def test_config_destination(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.chipclass]\ndestination = "Germany"\n')
    monkeypatch.chdir(tmp_path)
    h100 = str(SPECS / "nvidia/h100-sxm.toml")
    assert run("check", h100).exit_code == 0  # exportable to Germany
    assert run("check", h100, "-d", "RU").exit_code == 1  # the option overrides
    (tmp_path / "pyproject.toml").write_text('[tool.chipclass]\ndestination = "Atlantis"\n')
    bad = run("check", h100)
    assert bad.exit_code == 2 and "destination" in bad.stderr


# --- the dated country groups, end to end ---------------------------------------------------


def test_uae_is_exportable_under_the_2023_text_only_from_its_a5_date() -> None:
    """us-2023-10's reach ("D:1, D:4, or D:5 that is not also specified in A:5 or A:6")
    read on the days around 91 FR 43034 (effective 2026-07-10: the UAE leaves D:4 for A:5)."""
    h100 = "nvidia/h100-sxm.toml"
    assert label(h100, "us-2023-10", "AE") == L  # read on 2023-11-17: D:4
    assert label(h100, "us-2023-10", "AE", dt.date(2026, 7, 9)) == L
    assert label(h100, "us-2023-10", "AE", dt.date(2026, 7, 10)) == E


def test_uae_stays_licensed_under_the_2026_row_that_names_it() -> None:
    """The current 3A090.b row: "To or within the United Arab Emirates or destinations
    specified in Country Groups D:1, D:4, and D:5 ..." (eCFR 2026-07-23); 91 FR 43034 gives
    license-free access only to approved UAE end users, which chipclass does not model."""
    h100 = "nvidia/h100-sxm.toml"
    assert label(h100, "us-2026-01", "AE", dt.date(2026, 7, 9)) == L  # D:4
    assert label(h100, "us-2026-01", "AE", dt.date(2026, 7, 10)) == L  # the UAE row
    assert label(h100, "us-2026-01", "DE", dt.date(2026, 7, 10)) == E


@pytest.mark.parametrize(("day", "expected"), [("2023-01-16", E), ("2023-01-17", R)])
def test_macau_a100_by_as_of_date(run: Run, day: str, expected: str) -> None:
    """88 FR 2821 added Macau to the 3A090 RS control effective 2023-01-17 (published the
    18th): the A100 (INT8 624 x 8 = 4992 >= 4800; I/O 600 + 64 = 664 >= 600 GB/s) to MO."""
    result = run(
        "classify", str(SPECS / "nvidia/a100-sxm.toml"), "-d", "MO", "--as-of", day, "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    verdict = json.loads(result.stdout)["results"][0]["verdicts"][0]
    assert (verdict["edition"], verdict["label"]) == ("us-2022-10", expected)


def test_cambodia_is_d5_until_2026_02_03_then_d1() -> None:
    """FR Doc 2026-02262, effective 2026-02-03: Cambodia no longer D:5 (it stays in D:1)."""
    h100 = "nvidia/h100-sxm.toml"
    assert label(h100, "us-2026-01", "KH", dt.date(2026, 2, 2)) == R  # D:5: denial
    assert label(h100, "us-2026-01", "KH", dt.date(2026, 2, 3)) == L  # D:1: approval
