"""Consistency across commands (issue 14 items 9-11): the configured destination,
named in every output; options every command takes alike; strict JUnit; SARIF alerts
for input errors."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import SPECS, sheet_text

Run = Callable[..., Result]
H20 = str(SPECS / "nvidia" / "h20.toml")
SA = "Saudi Arabia (SA)"


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.chipclass]\ndestination = "SA"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        ["classify", H20],
        ["history", H20],
        ["tailor", H20, "-t", "exportable"],
        ["diff", H20, str(SPECS / "nvidia" / "h100-sxm.toml")],
    ],
    ids=lambda c: c[0],
)
def test_every_command_reads_the_configured_destination(
    run: Run, configured: Path, command: list[str]
) -> None:
    done = run(*command, "-f", "json")
    assert done.exit_code in (0, 1), done.stderr
    assert '"destination": "SA"' in done.stdout or "SA" in done.stdout
    plain = run(*command, "--no-config", "-f", "json")
    assert '"destination": "SA"' not in plain.stdout


def test_report_reads_and_names_the_configured_destination(run: Run, configured: Path) -> None:
    done = run("report", str(SPECS / "nvidia"), "-e", "latest")
    assert done.stdout.splitlines()[-1] == f"destination: {SA}"
    done = run("report", str(SPECS / "nvidia"), "-e", "latest", "--no-config")
    assert done.stdout.splitlines()[-1] == "destination: China (CN), the default"


def test_classify_text_names_the_configured_destination(run: Run, configured: Path) -> None:
    # the H20 is license-required for China under us-2026-01 (the 2025-04 letters), and
    # exportable for Saudi Arabia, which no 3A090 license requirement of it reaches
    done = run("classify", H20)
    assert f"for {SA}: exportable" in done.stdout
    done = run("classify", H20, "--no-config")
    assert "license-required" in done.stdout and SA not in done.stdout
    done = run("classify", H20, "--config", str(configured / "pyproject.toml"))
    assert f"for {SA}: exportable" in done.stdout


def test_a_broken_configuration_is_an_input_error(run: Run, configured: Path) -> None:
    (configured / "pyproject.toml").write_text(
        "[tool.chipclass]\ndestination = 5\n", encoding="utf-8"
    )
    done = run("classify", H20)
    assert done.exit_code == 2
    assert "pyproject.toml" in done.stderr and "destination" in done.stderr


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif", "junit", "github", "json"])
def test_check_names_the_destination_in_every_format(
    run: Run, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = run("check", H20, "-d", "SA", "-f", fmt)
    assert done.exit_code == 0, done.stderr
    if fmt == "json":
        policy = json.loads(done.stdout)["policy"]
        assert (policy["destination"], policy["destination_name"]) == ("SA", SA)
    elif fmt == "markdown":
        assert "Saudi Arabia \\(SA\\)" in done.stdout
    elif fmt == "sarif":
        assert json.loads(done.stdout)["runs"][0]["properties"]["destination"] == "SA"
    else:
        assert SA in done.stdout
    default = run("check", H20, "-f", fmt, "--allow-indeterminate", "--fail-on", "restricted")
    shown = default.stdout.replace("\\", "")  # markdown escapes the parentheses
    assert "China (CN)" in shown or '"destination": "CN"' in shown


def test_format_text_everywhere_and_table_still_for_classify(run: Run) -> None:
    text = run("classify", H20, "-f", "text")
    assert text.exit_code == 0
    assert run("classify", H20, "-f", "table").stdout == text.stdout
    assert run("classify", H20).stdout == text.stdout
    for command in (["check", H20, "--no-config"], ["history", H20], ["report", str(SPECS)]):
        assert run(*command, "-f", "text").exit_code in (0, 1)


def test_tailor_and_plot_take_destination(run: Run) -> None:
    done = run("tailor", H20, "-t", "exportable", "-d", "SA", "--no-config")
    assert done.exit_code == 0
    assert SA in done.stdout
    assert "--destination" in run("plot", "--help").stdout


def test_check_jobs_gives_the_same_outcome(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    one = run("check", str(SPECS), "-f", "json", "-j", "1")
    two = run("check", str(SPECS), "-f", "json", "-j", "2")
    assert one.exit_code == two.exit_code
    assert one.stdout == two.stdout


@pytest.mark.parametrize("command", ["classify", "report", "diff", "check"])
def test_edition_and_all_editions_exclude_each_other(run: Run, command: str) -> None:
    args = [H20, H20] if command == "diff" else [H20]
    done = run(command, *args, "-e", "us-2023-10", "--all-editions")
    assert done.exit_code == 2
    assert "--edition and --all-editions exclude each other" in done.stderr


def test_no_help_cites_the_internal_spec(run: Run) -> None:
    from chipclass.cli import cli

    for name in cli.commands:
        assert "spec-format" not in run(name, "--help").stdout, name
    assert "spec-format" not in run("--help").stdout


def test_the_report_footer_names_the_command_run(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "overview.md"
    sheet = tmp_path / "a.toml"
    sheet.write_text(sheet_text("a"), encoding="utf-8")
    done = run("report", str(sheet), "-d", "SA", "-f", "markdown", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    footer = [line for line in out.read_text().splitlines() if line.startswith("Generated by")]
    assert footer == [
        f"Generated by `chipclass report {sheet} --destination SA --format markdown --output"
        f" {out}`; do not edit by hand. Each sheet cites its sources."
    ]


def test_a_5000_digit_integer_is_an_input_error_with_its_line(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "digits.toml"
    sheet.write_text(sheet_text(performance="fp8 = " + "9" * 5000), encoding="utf-8")
    done = run("classify", str(sheet), "-f", "json")
    assert done.exit_code == 2
    (error,) = json.loads(done.stdout)["errors"]
    # sheet_text: format, blank, [chip], id, name, vendor, datacenter, blank, [performance]
    assert error["line"] == 11 and error["key"] == "fp8"  # conftest's sheet: fp8 on line 11
    assert error["message"].endswith(
        "a number of 5000 digits: far past any figure a sheet can hold"
    )
    assert "set_int_max_str_digits" not in done.stdout + done.stderr


def test_junit_testcases_carry_only_attributes_junit4_allows(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(sheet_text(performance="fp8 = -1"), encoding="utf-8")
    done = run("check", str(SPECS / "nvidia" / "b200.toml"), str(bad), "-f", "junit", "--no-config")
    root = ET.fromstring(done.stdout)
    allowed = {"name", "classname", "time", "assertions", "status"}
    cases = root.findall(".//testcase")
    assert cases
    for case in cases:
        assert set(case.attrib) <= allowed, case.attrib
    failure = root.find(".//testcase/failure")
    assert failure is not None
    assert (failure.get("message") or "").startswith(f"{SPECS / 'nvidia' / 'b200.toml'}:")
    error = root.find(".//testcase/error")
    assert error is not None and (error.get("message") or "").startswith(f"{bad}:11: ")


@pytest.mark.skipif(sys.platform == "win32", reason="pty")
def test_check_on_a_terminal_prints_each_input_error_once(tmp_path: Path) -> None:
    from conftest import run_in_pty

    bad = tmp_path / "bad.toml"
    bad.write_text(sheet_text(performance="fp8 = -1"), encoding="utf-8")
    code = f"from chipclass.cli import main; main(['check', {str(bad)!r}, '--no-config'])"
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    env.pop("CI", None)
    screen = run_in_pty([sys.executable, "-c", code], env)
    assert screen.count("must be above zero") == 1, screen
