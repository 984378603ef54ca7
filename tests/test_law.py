"""The law beyond thresholds (issue 13), with known answers worked out by hand from the
rule texts: letters bind their addressees, the 2026 relief needs its facts, no control
before the first letters, tariff bands beside the verdicts, user editions."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import chipclass
from chipclass.classify import classify
from chipclass.editions import NO_CONTROL, Registry
from chipclass.files import load_sheet
from chipclass.spec import parse_sheet

SPECS = Path(__file__).resolve().parent.parent / "specs"
RULES = Path(__file__).resolve().parent.parent / "chipclass" / "rules"
Run = Callable[..., Result]


def _clone(sheet: str, vendor: str, **chip: str) -> str:
    """A sheet's text with another vendor (and other [chip] lines) in its [chip] table."""
    text = (SPECS / sheet).read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        key = line.split(" = ", 1)[0]
        if key == "vendor":
            line = f'vendor = "{vendor}"'
        elif key in chip:
            line = f"{key} = {chip.pop(key)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _label(text: str, edition: str, certifications: dict[str, bool | None] | None = None) -> str:
    spec = parse_sheet(text, "clone.toml")
    result = classify(spec, [Registry().by_id(edition)], certifications)
    return result.verdicts[0].label


# --------------------------------------------------------------------------- the letters


def test_the_2022_letters_bind_nvidia_and_amd_only() -> None:
    """Letters of 2022-08-26 (NVIDIA 8-K of 2022-08-31): A100-class parts of the
    addressees need a license; the A100's figures under another vendor's name do not."""
    day = dt.date(2022, 9, 15)
    edition = Registry().in_force(day)
    assert edition.id == "us-2022-08-letters"
    a100 = (SPECS / "nvidia" / "a100-sxm.toml").read_text(encoding="utf-8")
    assert _label(a100, edition.id) == "license-required"  # TPP 4992 >= 4800, I/O 664 >= 600
    assert _label(_clone("nvidia/a100-sxm.toml", "Example"), edition.id) == "exportable"


def test_the_2023_notice_reached_the_a800_at_once() -> None:
    """The notice of 2023-10-23 put the 2023 rule's requirements on NVIDIA's A100, A800,
    H100, H800 and L40S at once: on 2023-11-01 the A800 (TPP 4992 >= 4800) is caught,
    though the 2023 rule itself took effect only on 2023-11-17."""
    edition = Registry().in_force(dt.date(2023, 11, 1))
    assert edition.id == "us-2023-10-notice"
    a800 = (SPECS / "nvidia" / "a800.toml").read_text(encoding="utf-8")
    assert _label(a800, edition.id) == "restricted"


def test_the_2025_letters_do_not_bind_another_vendors_h20_clone() -> None:
    """us-2025-04: the bandwidth letters went to NVIDIA, AMD and Intel. The H20's TPP
    (296 x 8 = 2368) is under every 3A090 line, so only the letters catch it (memory
    4000 >= 1400 GB/s): an identical part of another vendor is exportable."""
    h20 = (SPECS / "nvidia" / "h20.toml").read_text(encoding="utf-8")
    assert _label(h20, "us-2025-04") == "license-required"
    assert _label(_clone("nvidia/h20.toml", "Example Silicon"), "us-2025-04") == "exportable"


# --------------------------------------------------------------------------- the 2026 relief


def test_the_2026_relief_needs_the_part_on_sale_in_the_united_states() -> None:
    """91 FR 1684: case-by-case review only for parts commercially available in the U.S.
    The H200 (TPP 15832 < 21000, memory 4800 < 6500) was; the A800 never was; a sheet that
    does not say could be either."""
    h200 = (SPECS / "nvidia" / "h200.toml").read_text(encoding="utf-8")
    assert _label(h200, "us-2026-01") == "license-required"
    a800 = (SPECS / "nvidia" / "a800.toml").read_text(encoding="utf-8")
    assert "us_available = false" in a800
    assert _label(a800, "us-2026-01") == "restricted"
    unknown = "\n".join(line for line in h200.splitlines() if not line.startswith("us_available"))
    spec = parse_sheet(unknown, "h200-unknown.toml")
    verdict = classify(spec, [Registry().by_id("us-2026-01")]).verdicts[0]
    assert verdict.label == "indeterminate"
    assert verdict.decision.possible == ("license-required", "restricted")
    assert verdict.decision.unknown_facts == ("us_available",)


def test_a_part_first_sold_after_the_rule_keeps_the_presumption_of_denial() -> None:
    late = _clone("nvidia/h200.toml", "NVIDIA", us_available="2026-02-01")
    assert _label(late, "us-2026-01") == "restricted"
    on_the_day = _clone("nvidia/h200.toml", "NVIDIA", us_available="2026-01-15")
    assert _label(on_the_day, "us-2026-01") == "license-required"


def test_certifications_decide_the_relief_in_a_transaction() -> None:
    h200 = (SPECS / "nvidia" / "h200.toml").read_text(encoding="utf-8")
    ids = (
        "us_supply",
        "foundry_capacity",
        "security_procedures",
        "third_party_tested",
        "share_of_us_shipments",
    )
    every: dict[str, bool | None] = dict.fromkeys(ids, True)
    assert _label(h200, "us-2026-01", every) == "license-required"
    assert _label(h200, "us-2026-01", {**every, "third_party_tested": False}) == "restricted"
    assert _label(h200, "us-2026-01", {**every, "us_supply": None}) == "indeterminate"


def test_conditions_are_listed_in_each_verdict(run: Run) -> None:
    done = run("classify", str(SPECS / "nvidia" / "h200.toml"), "-e", "us-2026-01", "-f", "json")
    verdict = json.loads(done.stdout)["results"][0]["verdicts"][0]
    status = {c["condition"]: (c["status"], c.get("assumed", False)) for c in verdict["conditions"]}
    assert status["us_available"] == ("met", False)  # on sale in the U.S. since 2023-11
    assert status["third_party_tested"] == ("unknown", True)  # no transaction: assumed
    assert {c["clause"] for c in verdict["conditions"]} == {"742.6(b)(10)(iii)(A)(1)"}
    older = run("classify", str(SPECS / "nvidia" / "h200.toml"), "-e", "us-2023-10", "-f", "json")
    assert json.loads(older.stdout)["results"][0]["verdicts"][0]["conditions"] == []


# --------------------------------------------------------------------------- dates


def test_before_the_first_letters_no_control_was_in_force(run: Run) -> None:
    a100 = str(SPECS / "nvidia" / "a100-sxm.toml")
    done = run("classify", a100, "--as-of", "2022-08-25", "-f", "json")
    assert done.exit_code == 0
    verdict = json.loads(done.stdout)["results"][0]["verdicts"][0]
    assert (verdict["edition"], verdict["label"]) == (NO_CONTROL, "exportable")
    assert "no control on advanced computing chips was in force on 2022-08-25" in done.stderr
    assert "us-2022-08-letters" in done.stderr
    first = run("classify", a100, "--as-of", "2022-08-26", "-f", "json")
    assert json.loads(first.stdout)["results"][0]["verdicts"][0]["label"] == "license-required"


# --------------------------------------------------------------------------- tariffs


def test_tariff_bands_are_reported_beside_the_verdicts(run: Run) -> None:
    """Proclamation of 2026-01-14, Annex band 1: TPP 14,000-17,500 with DRAM bandwidth
    4,500-5,000 GB/s: the H200 (15832, 4800) falls in it; the H100 (3350 GB/s) does not."""
    h200 = str(SPECS / "nvidia" / "h200.toml")
    done = run("classify", h200, "-e", "us-2026-01", "-f", "json")
    tariffs = json.loads(done.stdout)["results"][0]["tariffs"]
    assert [(t["rate_pct"], t["effective"], t["status"]) for t in tariffs] == [
        (25, "2026-01-15", "in")
    ]
    h100 = run(
        "classify", str(SPECS / "nvidia" / "h100-sxm.toml"), "-e", "us-2026-01", "-f", "json"
    )
    assert json.loads(h100.stdout)["results"][0]["tariffs"] == []
    before = run("classify", h200, "-e", "us-2023-10", "-f", "json")  # read on 2023-11-17
    assert json.loads(before.stdout)["results"][0]["tariffs"] == []
    text = run("classify", h200, "-e", "us-2026-01").stdout
    assert "tariff: falls in" in text and "25 %" in text


# --------------------------------------------------------------------------- user editions


def _user_edition(folder: Path, new_id: str, effective: str) -> Path:
    text = (RULES / "us-2026-01.toml").read_text(encoding="utf-8")
    text = text.replace('id = "us-2026-01"', f'id = "{new_id}"', 1)
    text = text.replace("effective = 2026-01-15", f"effective = {effective}", 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{new_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_dir_adds_an_edition_to_every_command(run: Run, tmp_path: Path) -> None:
    mine = tmp_path / "my-rules"
    _user_edition(mine, "acme-2027-03", "2027-03-01")
    h20 = str(SPECS / "nvidia" / "h20.toml")
    listed = run("rules", "--rules", str(mine), "-f", "json")
    assert json.loads(listed.stdout)["editions"][-1]["id"] == "acme-2027-03"
    latest = run("classify", h20, "--rules", str(mine), "-f", "json")
    assert json.loads(latest.stdout)["results"][0]["verdicts"][0]["edition"] == "acme-2027-03"
    dated = run("classify", h20, "--rules", str(mine), "--as-of", "2027-04-01", "-f", "json")
    assert json.loads(dated.stdout)["results"][0]["verdicts"][0]["edition"] == "acme-2027-03"
    without = run("classify", h20, "-f", "json")
    assert json.loads(without.stdout)["results"][0]["verdicts"][0]["edition"] != "acme-2027-03"
    assert [e.id for e in chipclass.editions(rules=[mine])][-1] == "acme-2027-03"


def test_a_user_edition_with_a_bundled_id_replaces_it_with_a_note(run: Run, tmp_path: Path) -> None:
    mine = tmp_path / "over"
    mine.mkdir()
    shutil.copy(RULES / "us-2023-10.toml", mine / "us-2023-10.toml")
    done = run(
        "classify", str(SPECS / "nvidia" / "h20.toml"), "--rules", str(mine), "-e", "us-2023-10"
    )
    assert done.exit_code == 0
    assert "replaces the one of the same id" in done.stderr


def test_rules_from_the_configuration(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user_edition(tmp_path / "law", "acme-2027-03", "2027-03-01")
    shutil.copy(SPECS / "nvidia" / "h20.toml", tmp_path / "h20.toml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.chipclass]\nrules = ["law"]\nedition = "acme-2027-03"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    done = run("check", "h20.toml", "-f", "json")
    assert done.exit_code in (0, 1), done.stderr
    assert "acme-2027-03" in done.stdout


def test_rules_check_validates_edition_files(run: Run, tmp_path: Path) -> None:
    good = _user_edition(tmp_path, "acme-2027-03", "2027-03-01")
    assert run("rules", "check", str(good)).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace("role = ", "rolle = ", 1), "utf-8")
    done = run("rules", "check", str(good), str(bad))
    assert done.exit_code == 2
    assert str(bad) in done.stderr and "rolle" in done.stderr
    clash = _user_edition(tmp_path / "clash", "acme-2027-04", "2026-01-15")  # a bundled date
    done = run("rules", "check", str(clash))
    assert done.exit_code == 2
    assert ": effective: shares the effective date 2026-01-15" in done.stderr


def test_load_sheet_reads_us_available_and_estimates() -> None:
    h200 = load_sheet(SPECS / "nvidia" / "h200.toml")
    assert isinstance(h200.us_available, dt.date)
    a800 = load_sheet(SPECS / "nvidia" / "a800.toml")
    assert a800.us_available is False


def test_a_bit_rate_is_read_divided_by_eight_with_a_warning(tmp_path: Path) -> None:
    """spec-format.md 1: "4800 Gbps" is 600 GB/s, with a warning naming file and key."""
    import subprocess
    import sys
    import warnings

    from chipclass.spec import SheetWarning

    text = (
        'format = "chipclass/1"\n[chip]\nid = "bits"\nname = "Bits"\nvendor = "Test"\n'
        '[performance]\nfp8 = 100\n[interconnect]\nchip_to_chip_gbs = "4800 Gbps"\n'
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = parse_sheet(text, "bits.toml")
    assert spec.chip_to_chip_gbs == 600  # 4800 / 8
    assert [str(w.message) for w in caught if w.category is SheetWarning] == [
        "bits.toml:9: [interconnect] chip_to_chip_gbs: '4800 Gbps' is a bit rate: read as"
        " 600 GB/s (divided by 8); write GB/s to say bytes"
    ]
    sheet = tmp_path / "bits.toml"
    sheet.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "chipclass", "classify", str(sheet), "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert f"warning: {sheet}:9: [interconnect] chip_to_chip_gbs:" in done.stderr


def test_the_foundry_presumption_is_reported_for_a_stated_transistor_count(run: Run) -> None:
    """Note 1 to 3A090.a (FR Doc 2025-00711): reported beside the verdicts, never lowering a
    label; only for a sheet that states its transistor count."""
    h100 = (SPECS / "nvidia" / "h100-sxm.toml").read_text(encoding="utf-8")
    stated = h100.replace('vendor = "NVIDIA"', 'vendor = "NVIDIA"\ntransistors_billion = 80', 1)
    spec = parse_sheet(stated, "h100.toml")
    result = classify(spec, [Registry().by_id("us-2026-01")])
    assert result.presumption is not None and result.presumption.in_force
    assert result.presumption.applies is True  # 80 billion is not below 30 (or 35) billion
    assert result.verdicts[0].label == "license-required"  # the label is the edition's
    plain = classify(parse_sheet(h100, "h100.toml"), [Registry().by_id("us-2026-01")])
    assert plain.presumption is None
    done = run("classify", str(SPECS / "nvidia" / "h100-sxm.toml"), "-f", "json")
    assert "foundry_presumption" not in json.loads(done.stdout)["results"][0]
