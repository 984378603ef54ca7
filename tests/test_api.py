"""The Python API of spec-format.md section 8, as a notebook user calls it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import chipclass
from chipclass.cli import cli

SPECS = Path(__file__).resolve().parent.parent / "specs"


def test_load_sheet_reads_the_h20() -> None:
    sheet = chipclass.load_sheet(SPECS / "nvidia" / "h20.toml")
    assert sheet.id == "nvidia-h20"
    assert max(t.tpp for t in sheet.throughput) == 2368  # 296 TOPS x 8 bits


def test_load_sheet_raises_sheet_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('format = "chipclass/1"\n[chip]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(chipclass.SheetError) as caught:
        chipclass.load_sheet(bad)
    assert all(p.file == str(bad) for p in caught.value.problems)
    assert "[chip] name" in str(caught.value)


def test_to_dict_is_the_json_result_object_key_for_key() -> None:
    results = chipclass.classify([SPECS / "nvidia"], editions=["us-2023-10"], destination="CN")
    runner = CliRunner()
    done = runner.invoke(
        cli, ["classify", str(SPECS / "nvidia"), "-e", "us-2023-10", "-f", "json", "--jobs", "1"]
    )
    document = json.loads(done.stdout)
    assert [r.to_dict() for r in results] == document["results"]
    assert results.to_dicts() == document["results"]
    h20 = next(r for r in results if r.spec.id == "nvidia-h20")
    assert h20.to_dict()["verdicts"][0]["label"] == "exportable"  # TPP 2368 < 2400


def test_classify_takes_one_path_as_well_as_a_list() -> None:
    one = chipclass.classify(SPECS / "nvidia" / "h20.toml", editions="us-2022-10")
    assert [r.verdicts[0].edition.id for r in one] == ["us-2022-10"]


def test_classify_defaults_to_the_latest_edition_and_as_of_picks_the_one_in_force() -> None:
    latest = chipclass.editions()[-1]
    (result,) = chipclass.classify(SPECS / "nvidia" / "h20.toml")
    assert [v.edition.id for v in result.verdicts] == [latest.id]
    import datetime as dt

    (dated,) = chipclass.classify(SPECS / "nvidia" / "h20.toml", as_of=dt.date(2023, 12, 1))
    assert [v.edition.id for v in dated.verdicts] == ["us-2023-10"]


def test_invalid_sheets_raise_unless_strict_is_off(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('format = "chipclass/1"\n', encoding="utf-8")
    good = (SPECS / "nvidia" / "h20.toml").read_text(encoding="utf-8")
    (tmp_path / "h20.toml").write_text(good, encoding="utf-8")
    with pytest.raises(chipclass.SheetError):
        chipclass.classify([tmp_path])
    results = chipclass.classify([tmp_path], strict=False)
    assert [r.spec.id for r in results] == ["nvidia-h20"]
    assert {p.file for p in results.problems} == {str(tmp_path / "bad.toml")}


def test_editions_are_oldest_first_and_the_module_stays_a_module() -> None:
    found = chipclass.editions()
    assert [e.effective for e in found] == sorted(e.effective for e in found)
    import chipclass.editions as module

    assert module.Registry().all() == found  # the same module, callable


def test_importing_chipclass_loads_no_click_rich_or_matplotlib() -> None:
    code = (
        "import sys, chipclass\n"
        "chipclass.classify\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('click', 'rich', 'matplotlib')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
