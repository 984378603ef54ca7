"""`chipclass check`: the policy, [expect] tables, exit codes, progress, integrations."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from known import EDITIONS, line_starting

from chipclass.cli.common import PROGRESS_FROM, wants_progress

Run = Callable[..., Result]
Write = Callable[..., Path]

ROOT = Path(__file__).resolve().parent.parent

#: a part with TPP 3152 (int8 394 x 8), no die: its density, hence its label under the
#: latest edition, is unknown (exportable or license-required, through 3A090.b.2)
INDETERMINATE = """
[memory]
bandwidth_gbs = 819

[interconnect]
chip_to_chip_gbs = 400
"""


@pytest.fixture(autouse=True)
def _away_from_any_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty folder, so no pyproject.toml [tool.chipclass] applies."""
    monkeypatch.chdir(tmp_path)


def doc(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def sheet(specs: Path, name: str) -> str:
    return str(specs / name)


def with_expect(specs: Path, write: Write, name: str, expect: str) -> Path:
    text = (specs / "nvidia/h20.toml").read_text(encoding="utf-8")
    return write(name, text + "\n[expect]\n" + expect)


# --------------------------------------------------------------------------- exit codes


def test_a_part_under_the_line_passes_with_exit_0(run: Run, specs: Path) -> None:
    result = run("check", sheet(specs, "nvidia/h20.toml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1 passed, 0 failed"
    assert "PASS  nvidia-h20" in result.stdout


def test_a_restricted_part_fails_with_exit_1_and_the_reason(run: Run, specs: Path) -> None:
    result = run("check", sheet(specs, "nvidia/b200.toml"), sheet(specs, "nvidia/h20.toml"))
    assert result.exit_code == 1
    out = result.stdout
    assert "FAIL  nvidia-b200" in out and "PASS  nvidia-h20" in out
    # B200: fp4 9000 x 4 = 36000 >= 4800
    assert "restricted under us-2026-01 via 3A090.a.1 (tpp 36000 >= 4800)" in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"


def test_fail_on_license_required_fails_license_required_parts(run: Run, specs: Path) -> None:
    h100 = sheet(specs, "nvidia/h100-sxm.toml")
    rtx = sheet(specs, "nvidia/rtx-4090-d.toml")
    assert run("check", h100).exit_code == 0
    assert run("check", h100, "--fail-on", "license-required").exit_code == 1
    assert run("check", rtx, "--fail-on", "license-required").exit_code == 0


def test_an_invalid_sheet_exits_2_and_valid_sheets_are_still_checked(
    run: Run, specs: Path, write_sheet: Write
) -> None:
    bad = write_sheet("bad.toml", performance="fp8 = -1")
    result = run("check", sheet(specs, "nvidia/h20.toml"), str(bad), "-f", "json")
    assert result.exit_code == 2
    data = doc(result)
    assert [r["chip"]["id"] for r in data["results"]] == ["nvidia-h20"]
    assert data["results"][0]["passed"] is True
    (error,) = data["errors"]
    assert error["file"] == str(bad) and error["key"] == "[performance] fp8"
    assert "bad.toml" in result.stderr and "[performance] fp8" in result.stderr


def test_errors_win_over_failures(run: Run, specs: Path, write_sheet: Write) -> None:
    bad = write_sheet("bad.toml", performance="fp8 = -1")
    result = run("check", sheet(specs, "nvidia/b200.toml"), str(bad))
    assert result.exit_code == 2
    assert "FAIL  nvidia-b200" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 1 failed, 1 input error"


def test_missing_path_and_empty_folder_are_input_errors(run: Run, tmp_path: Path) -> None:
    missing = run("check", str(tmp_path / "nope.toml"))
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run("check", str(tmp_path / "empty"))
    assert empty.exit_code == 2 and "no chip sheets" in empty.stderr


def test_no_path_and_no_configuration_is_a_usage_error(run: Run) -> None:
    result = run("check")
    assert result.exit_code == 2
    assert "[tool.chipclass]" in result.stderr


def test_bad_option_values_exit_2(run: Run, specs: Path) -> None:
    h20 = sheet(specs, "nvidia/h20.toml")
    assert run("check", h20, "--min-margin", "two").exit_code == 2
    assert run("check", h20, "--min-margin", "-1").exit_code == 2
    assert run("check", h20, "--fail-on", "exportable").exit_code == 2
    assert run("check", h20, "--edition", "us-1999-01").exit_code == 2
    assert run("check", h20, "--report", "pdf=out.pdf").exit_code == 2


# --------------------------------------------------------------------------- --min-margin


def test_min_margin_fails_a_part_too_close_to_a_stricter_label(run: Run, specs: Path) -> None:
    # H20 under us-2023-10: exportable; TPP 2368 -> 2400 is +32/2368 = +1.351 %
    h20 = sheet(specs, "nvidia/h20.toml")
    base = ("check", h20, "-e", "us-2023-10", "--fail-on", "license-required")
    assert run(*base).exit_code == 0
    close = run(*base, "--min-margin", "2", "-f", "json")
    assert close.exit_code == 1
    (res,) = doc(close)["results"]
    (reason,) = res["reasons"]
    assert (res["label"], reason["kind"], reason["rule"]) == ("exportable", "margin", "margin")
    assert "1.351 %" in reason["message"] and "3A090.b.1" in reason["message"]
    assert reason["key"] == "performance.fp8"
    assert run(*base, "--min-margin", "1").exit_code == 0


def test_min_margin_is_compared_exactly(run: Run, specs: Path) -> None:
    # 32/2368 = 1.35135... %: 1.351 is not above it, 1.3514 is
    base = ("check", sheet(specs, "nvidia/h20.toml"), "-e", "us-2023-10")
    assert run(*base, "--min-margin", "1.351").exit_code == 0
    assert run(*base, "--min-margin", "1.3514").exit_code == 1
    assert run(*base, "--min-margin", "1.3514%").exit_code == 1


# --------------------------------------------------------------------------- [expect]


def test_expect_table_passes_under_its_own_edition(
    run: Run, specs: Path, write_sheet: Write
) -> None:
    path = with_expect(
        specs, write_sheet, "h20.toml", 'label = "exportable"\nedition = "us-2023-10"'
    )
    result = run("check", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    results = doc(result)["results"]
    # us-2023-10 was not selected on the command line: classified for the expectation only
    assert [(r["edition"], r["checked"], r["label"]) for r in results] == [
        ("us-2023-10", ["expect"], "exportable"),
        ("us-2026-01", ["policy"], "license-required"),
    ]


def test_expect_label_fails_under_the_latest_edition_by_default(
    run: Run, specs: Path, write_sheet: Write
) -> None:
    path = with_expect(specs, write_sheet, "h20.toml", 'label = "exportable"')
    result = run("check", str(path), "-f", "json")
    assert result.exit_code == 1
    (res,) = doc(result)["results"]
    assert (res["edition"], res["checked"], res["passed"]) == (
        "us-2026-01",
        ["policy", "expect"],
        False,
    )
    (reason,) = res["reasons"]
    assert (reason["kind"], reason["rule"], reason["key"]) == ("expect", "expect", "expect.label")
    assert reason["line"] == line_starting(path, "label =", after="[expect]")
    assert "allows at most exportable" in reason["message"]


def test_expect_min_margin_fails_a_close_part(run: Run, specs: Path, write_sheet: Write) -> None:
    path = with_expect(
        specs, write_sheet, "h20.toml", 'edition = "us-2023-10"\nmin_margin_pct = 2.0'
    )
    result = run("check", str(path), "-e", "us-2023-10", "-f", "json")
    assert result.exit_code == 1
    (res,) = doc(result)["results"]
    (reason,) = res["reasons"]
    assert (reason["rule"], reason["key"]) == ("expect", "expect.min_margin_pct")
    relaxed = with_expect(
        specs, write_sheet, "h20b.toml", 'edition = "us-2023-10"\nmin_margin_pct = 1.0'
    )
    assert run("check", str(relaxed), "-e", "us-2023-10").exit_code == 0


def test_expect_on_top_of_the_command_line_policy(
    run: Run, specs: Path, write_sheet: Write
) -> None:
    # the sheet allows license-required; the command line does not: the sheet still fails
    path = with_expect(specs, write_sheet, "h20.toml", 'label = "license-required"')
    assert run("check", str(path)).exit_code == 0
    assert run("check", str(path), "--fail-on", "license-required").exit_code == 1


def test_expect_with_an_unknown_edition_is_an_input_error(
    run: Run, specs: Path, write_sheet: Write
) -> None:
    path = with_expect(specs, write_sheet, "h20.toml", 'label = "exportable"\nedition = "us-1999"')
    result = run("check", str(path), sheet(specs, "nvidia/rtx-4090-d.toml"), "-f", "json")
    assert result.exit_code == 2
    data = doc(result)
    assert [r["chip"]["id"] for r in data["results"]] == ["nvidia-rtx-4090-d"]
    (error,) = data["errors"]
    assert error["key"] == "[expect] edition" and error["file"] == str(path)
    assert error["line"] == line_starting(path, "edition =", after="[expect]")
    assert "[expect] edition" in result.stderr and "us-1999" in result.stderr


# --------------------------------------------------------------------------- indeterminate


def test_indeterminate_fails_unless_allowed(run: Run, write_sheet: Write) -> None:
    path = write_sheet("tpu.toml", performance="int8 = 394", rest=INDETERMINATE)
    result = run("check", str(path), "-f", "json")
    assert result.exit_code == 1
    (res,) = doc(result)["results"]
    assert res["label"] == "indeterminate"
    assert [r["rule"] for r in res["reasons"]] == ["indeterminate"]
    assert "exportable or license-required" in res["reasons"][0]["message"]
    assert run("check", str(path), "--allow-indeterminate").exit_code == 0


def test_an_allowed_indeterminate_part_still_fails_when_every_label_fails(
    run: Run, write_sheet: Write
) -> None:
    # TPP 8000, no [memory]: restricted by 3A090.a.1, or license-required by the 2026
    # relief when memory < 6500 GB/s; unknown which
    path = write_sheet("x.toml", performance="fp8 = 1000", rest="[[die]]\narea_mm2 = 800")
    allowed = ("check", str(path), "--allow-indeterminate")
    assert run(*allowed).exit_code == 0
    result = run(*allowed, "--fail-on", "license-required", "-f", "json")
    assert result.exit_code == 1
    (reason,) = doc(result)["results"][0]["reasons"]
    assert (reason["kind"], reason["rule"]) == ("label", "indeterminate")
    assert "(license-required or restricted)" in reason["message"]


# --------------------------------------------------------------------------- editions


def test_every_selected_edition_is_checked(run: Run, specs: Path) -> None:
    result = run("check", sheet(specs, "nvidia/h20.toml"), "--all-editions", "-f", "json")
    assert result.exit_code == 0
    every = {r["edition"]: r["label"] for r in doc(result)["results"]}
    labels = {edition: label for edition, label in every.items() if edition in EDITIONS}
    assert labels == {
        "us-2022-10": "exportable",
        "us-2023-10": "exportable",
        "us-2024-12": "exportable",
        "us-2025-01": "exportable",
        "us-2025-04": "license-required",
        "us-2026-01": "license-required",
    }
    as_of = run("check", sheet(specs, "nvidia/h20.toml"), "--as-of", "2024-06-01", "-f", "json")
    # 89 FR 23876, effective 2024-04-04
    assert [r["edition"] for r in doc(as_of)["results"]] == ["us-2024-04"]


def test_report_option_writes_more_formats_from_the_same_run(
    run: Run, specs: Path, tmp_path: Path
) -> None:
    result = run(
        "check",
        sheet(specs, "nvidia/b200.toml"),
        "-f",
        "json",
        "--report",
        f"markdown={tmp_path / 'summary.md'}",
        "--report",
        f"text={tmp_path / 'out.txt'}",
    )
    assert result.exit_code == 1
    assert doc(result)["summary"] == {"parts": 1, "passed": 0, "failed": 1, "errors": 0}
    assert "❌ 1 of 1 part failed" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert text.splitlines()[-1] == "0 passed, 1 failed"


# --------------------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_for_large_runs_on_a_terminal_outside_ci() -> None:
    assert wants_progress(PROGRESS_FROM, _Terminal(), {}) is True
    assert wants_progress(PROGRESS_FROM - 1, _Terminal(), {}) is False
    assert wants_progress(PROGRESS_FROM, io.StringIO(), {}) is False
    assert wants_progress(PROGRESS_FROM, _Terminal(), {"CI": "true"}) is False


def test_a_large_run_writes_no_progress_when_piped(run: Run, write_sheet: Write) -> None:
    for n in range(PROGRESS_FROM):
        write_sheet(
            f"many/chip-{n}.toml",
            chip_id=f"chip-{n}",
            performance="fp8 = 100",
            rest="[memory]\nbandwidth_gbs = 100\n[interconnect]\nhost_gbs = 64",
        )
    result = run("check", "many")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == f"{PROGRESS_FROM} passed, 0 failed"


# --------------------------------------------------------------------------- integrations


def test_pre_commit_hook_definition() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: chipclass-check" in text
    assert "entry: chipclass check" in text and "language: python" in text
    assert "files: \\.toml$" in text and "exclude: (^|/)pyproject\\.toml$" in text


def _action_script(step_id: str) -> str:
    """The `run: |` block of one step of action.yml (plain text slicing, no YAML needed)."""
    lines = (ROOT / "action.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"      id: {step_id}")
    begin = next(i for i in range(start, len(lines)) if lines[i].strip() == "run: |") + 1
    body = []
    for line in lines[begin:]:
        if line.strip() and not line.startswith(" " * 8):
            break
        body.append(line[8:])
    return "\n".join(body) + "\n"


@pytest.mark.skipif(sys.platform == "win32", reason="the action runs its script with bash")
def test_action_script_annotates_summarises_writes_sarif_and_keeps_the_exit_code(
    tmp_path: Path, specs: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "python"  # `python` on PATH, as actions/setup-python leaves it
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "CHIPCLASS_PATHS": f"{specs / 'nvidia/b200.toml'}\n{specs / 'nvidia/h20.toml'}",
        "CHIPCLASS_ARGS": "--fail-on restricted",
        "CHIPCLASS_SARIF": str(tmp_path / "out.sarif"),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
    }
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", _action_script("check")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("::error file=") and "nvidia-b200" in lines[0]
    assert lines[-1] == (
        "::notice title=chipclass check::1 passed, 1 failed · destination China (CN), the default"
    )
    assert "### chipclass check: ❌ 1 of 2 parts failed" in summary.read_text(encoding="utf-8")
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["3A090.a.1"]
    assert outputs.read_text(encoding="utf-8") == "exit-code=1\n"
