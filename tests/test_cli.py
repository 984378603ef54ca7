"""`chipclass classify` and `chipclass rules`, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from known import EDITIONS

from chipclass import __version__
from chipclass.editions import all_editions
from chipclass.report import jsontext

Run = Callable[..., Result]

H20 = "specs/nvidia/h20.toml"


def test_classify_h20_text_shows_label_margins_and_nearest_change(run: Run, specs: Path) -> None:
    result = run("classify", str(specs / "nvidia/h20.toml"), "--edition", "us-2023-10")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "us-2023-10" in out and "exportable" in out
    assert "3A090.b.1" in out and "-32" in out and "-1.333 %" in out
    assert "throughput +1.351 % (TPP 2368 → 2400) → license-required via 3A090.b.1" in out
    assert "\x1b[" not in out  # plain text when not a terminal


def test_classify_json_matches_the_documented_shape(run: Run, specs: Path) -> None:
    result = run("classify", str(specs / "nvidia/h20.toml"), "-e", "us-2023-10", "-f", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) == {"chipclass", "results", "errors"}
    assert doc["chipclass"] == __version__ and doc["errors"] == []
    (res,) = doc["results"]
    assert {"file", "chip", "metrics", "verdicts"} <= set(res)
    assert {"id": "nvidia-h20", "name": "NVIDIA H20", "vendor": "NVIDIA"}.items() <= res[
        "chip"
    ].items()
    assert res["metrics"] == {
        "tpp": 2368,
        "performance_density": 2.909091,
        "applicable_die_area_mm2": 814,
        "memory_bandwidth_gbs": 4000,
        "io_bandwidth_gbs": 1028,
        "memory_plus_io_gbs": 5028,
    }
    (verdict,) = res["verdicts"]
    assert {
        "edition",
        "label",
        "clauses",
        "thresholds",
        "nearest_stricter",
        "nearest_laxer",
    } <= set(verdict)
    assert (verdict["edition"], verdict["label"], verdict["clauses"]) == (
        "us-2023-10",
        "exportable",
        [],
    )
    row = next(t for t in verdict["thresholds"] if t["clause"] == "3A090.b.1" and t["op"] == ">=")
    assert row == row | {
        "metric": "tpp",
        "threshold": 2400,
        "value": 2368,
        "met": False,
        "margin": -32,
        "margin_pct": -1.333333,
    }
    stricter: dict[str, Any] = verdict["nearest_stricter"]
    assert stricter == stricter | {
        "knob": "throughput",
        "change_pct": 1.351351,
        "label": "license-required",
        "clause": "3A090.b.1",
    }
    assert verdict["nearest_laxer"] is None


def test_default_edition_is_the_latest_and_all_editions_lists_every_one(
    run: Run, specs: Path
) -> None:
    one = json.loads(run("classify", str(specs / "nvidia/h20.toml"), "-f", "json").stdout)
    assert [v["edition"] for v in one["results"][0]["verdicts"]] == ["us-2026-01"]
    latest = json.loads(
        run("classify", str(specs / "nvidia/h20.toml"), "-e", "latest", "-f", "json").stdout
    )
    assert latest["results"][0]["verdicts"][0]["edition"] == "us-2026-01"
    every = json.loads(
        run("classify", str(specs / "nvidia/h20.toml"), "--all-editions", "-f", "json").stdout
    )
    labels = [(v["edition"], v["label"]) for v in every["results"][0]["verdicts"]]
    assert [edition for edition, _ in labels] == [e.id for e in all_editions()]
    assert [row for row in labels if row[0] in EDITIONS] == [
        ("us-2022-10", "exportable"),
        ("us-2023-10", "exportable"),
        ("us-2024-12", "exportable"),
        ("us-2025-01", "exportable"),
        ("us-2025-04", "license-required"),
        ("us-2026-01", "license-required"),
    ]


def test_as_of_picks_the_edition_in_force(run: Run, specs: Path) -> None:
    out = run("classify", str(specs / "nvidia/a800.toml"), "--as-of", "2023-06-30", "-f", "json")
    verdict = json.loads(out.stdout)["results"][0]["verdicts"][0]
    assert (verdict["edition"], verdict["label"]) == ("us-2022-10", "exportable")
    early = run("classify", str(specs / "nvidia/a800.toml"), "--as-of", "2021-01-01")
    assert early.exit_code == 0
    assert "no control on advanced computing chips was in force on 2021-01-01" in early.stderr
    bad = run("classify", str(specs / "nvidia/a800.toml"), "--as-of", "yesterday")
    assert bad.exit_code == 2


def test_unknown_edition_is_a_usage_error(run: Run, specs: Path) -> None:
    result = run("classify", str(specs / "nvidia/h20.toml"), "--edition", "us-1999-01")
    assert result.exit_code == 2
    assert "unknown edition 'us-1999-01'" in result.stderr


def test_explain_quotes_the_regulation_and_the_numbers(run: Run, specs: Path) -> None:
    result = run("classify", str(specs / "nvidia/h20.toml"), "-e", "us-2023-10", "--explain")
    assert result.exit_code == 0
    out = result.stdout
    assert "A 'total processing performance' of 2400 or more and less than 4800" in out
    assert "TPP 2368 >= 2400" in out
    assert "15 CFR 774 Supp. 1, ECCN 3A090.b.1" in out


def test_folder_run_mixes_good_and_bad_sheets(run: Run, tmp_path: Path, specs: Path) -> None:
    (tmp_path / "good.toml").write_bytes((specs / "nvidia/h20.toml").read_bytes())
    (tmp_path / "bad.toml").write_text('format = "chipclass/1"\n[chip]\nid = "x"\n')
    (tmp_path / "notes.txt").write_text("not a sheet")
    result = run("classify", str(tmp_path), "-f", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [r["chip"]["id"] for r in doc["results"]] == ["nvidia-h20"]
    assert doc["errors"] and all(e["file"].endswith("bad.toml") for e in doc["errors"])
    assert "bad.toml" in result.stderr and "[chip] name" in result.stderr


def test_bad_value_names_file_key_and_line(run: Run, write_sheet: Callable[..., Path]) -> None:
    path = write_sheet(rest='[memory]\nbandwidth_gbs = "4 furlongs"\n')
    result = run("classify", str(path))
    assert result.exit_code == 2
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "furlongs" in t)
    assert f"{path}:{line}: [memory] bandwidth_gbs:" in result.stderr
    assert "4.0 TB/s" in result.stderr  # the hint of what would be right
    assert "Traceback" not in result.output


def test_jsonl_streams_one_result_per_line(run: Run, specs: Path) -> None:
    result = run("classify", str(specs / "nvidia"), "-f", "jsonl")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    ids = [json.loads(line)["chip"]["id"] for line in lines]
    assert "nvidia-h20" in ids and len(ids) == len(set(ids)) >= 7


def test_json_of_a_whole_folder_parses(run: Run, specs: Path) -> None:
    result = run("classify", str(specs), "--all-editions", "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["results"]) >= 7 and doc["errors"] == []


@pytest.mark.parametrize("with_errors", [False, True])
def test_streamed_json_is_the_documents_own_layout(
    run: Run, specs: Path, tmp_path: Path, with_errors: bool
) -> None:
    """The document is written a result at a time; the text is still exactly
    jsontext.dumps of the whole: one line per leaf (a threshold row, a change)."""
    paths = [str(specs / "nvidia" / "h20.toml"), str(specs / "amd")]
    if with_errors:
        paths.append(str(tmp_path / "missing.toml"))
    result = run("classify", *paths, "--all-editions", "-f", "json")
    doc = json.loads(result.stdout)
    assert result.stdout == jsontext.dumps(doc) + "\n"
    assert bool(doc["errors"]) == with_errors
    rows = [line for line in result.stdout.splitlines() if '"margin_pct"' in line]
    assert rows and all(line.strip().startswith('{"clause": ') for line in rows)


def test_summary_table_for_many_chips(run: Run, specs: Path) -> None:
    result = run("classify", str(specs / "nvidia"), "--all-editions")
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0]
    assert header.split()[:3] == ["chip", "TPP", "density"]
    assert "us-2022-10" in header and "us-2026-01" in header


def test_markdown_summary(run: Run, specs: Path) -> None:
    result = run("classify", str(specs / "nvidia/h20.toml"), "-f", "markdown")
    assert result.stdout.startswith("| chip | TPP |")
    assert "| `nvidia-h20` | 2368 |" in result.stdout


def test_output_file(run: Run, specs: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run("classify", str(specs / "nvidia/h20.toml"), "-f", "json", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["results"][0]["chip"]["id"] == "nvidia-h20"


def test_rules_lists_and_shows_editions(run: Run) -> None:
    listing = run("rules")
    assert listing.exit_code == 0
    for edition in ("us-2022-10", "us-2023-10", "us-2024-12", "us-2025-04", "us-2026-01"):
        assert edition in listing.stdout
    shown = run("rules", "show", "us-2025-04")
    assert shown.exit_code == 0
    assert "1,400 gigabytes per second or more" in shown.stdout
    assert "REPORTED" in shown.stdout or "reported" in shown.stdout
    data = json.loads(run("rules", "show", "us-2023-10", "-f", "json").stdout)
    assert [c["id"] for c in data["clauses"]][:4] == [
        "3A090.a.1",
        "3A090.a.2",
        "3A090.b.1",
        "3A090.b.2",
    ]
    assert run("rules", "show", "nope").exit_code == 2


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_entry_point_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    def chipclass(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "chipclass", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,
        )

    assert chipclass("classify", H20).returncode == 0
    missing = chipclass("classify", str(tmp_path / "missing.toml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    usage = chipclass("classify", "--format", "yaml", H20)
    assert usage.returncode == 2
    assert "Traceback" not in missing.stderr + usage.stderr


def test_a_folder_without_sheets_is_an_error(run: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no sheets here")
    for fmt in ("table", "json", "jsonl"):
        result = run("classify", str(tmp_path), "-f", fmt)
        assert result.exit_code == 2
        assert "no chip sheets (*.toml) found" in result.stderr


def test_rich_tables_never_cut_or_break_a_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A column too wide for the terminal is left out, and the footer says so: never a
    figure behind "…", never one broken over two lines."""
    monkeypatch.setenv("COLUMNS", "80")
    import io

    from chipclass.report.doc import Doc, render_rich

    doc = Doc()
    doc.table(("clause", "metric", "value"), [("3A090.a.2", "performance_density" * 5, "2.909")])
    out = io.StringIO()
    render_rich(doc, out, no_color=True)
    text = out.getvalue()
    assert "…" not in text
    header, _rule, row, note = text.splitlines()[:4]
    assert header.split() == ["clause", "value"]
    assert row.split() == ["3A090.a.2", "2.909"]
    assert note.startswith("(80 columns: not shown: metric;")
