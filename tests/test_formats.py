"""`chipclass check --format ...`: each format parsed back."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from known import line_starting

from chipclass import __version__
from chipclass.editions import by_id
from chipclass.report.github import command, escape_data, escape_property
from chipclass.report.junit import xml_text
from chipclass.report.sarif import artifact_uri

Run = Callable[..., Result]
Write = Callable[..., Path]

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

#: a chip name that tries to forge workflow commands (TOML escapes: \n, \r)
FORGERY = r"Evil %0A 100% :: chip, \n::warning file=x.toml::forged\r\n::error::also forged\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def copy(name: str, tmp_path: Path, extra: str = "") -> str:
    """Copy a catalog sheet into skus/ under the working folder; return its relative path."""
    target = tmp_path / "skus" / Path(name).name
    target.parent.mkdir(exist_ok=True)
    target.write_text((SPECS / name).read_text(encoding="utf-8") + extra, encoding="utf-8")
    return f"skus/{target.name}"


# --------------------------------------------------------------------------- json


def test_json_document(run: Run, tmp_path: Path) -> None:
    h20, b200 = copy("nvidia/h20.toml", tmp_path), copy("nvidia/b200.toml", tmp_path)
    result = run("check", h20, b200, "-e", "us-2023-10", "--min-margin", "1", "-f", "json")
    assert result.exit_code == 1
    data: dict[str, Any] = json.loads(result.stdout)
    assert set(data) == {"chipclass", "policy", "summary", "results", "errors"}
    assert data["chipclass"] == __version__ and data["errors"] == []
    assert data["policy"] == {
        "editions": ["us-2023-10"],
        "destination": "CN",
        "destination_name": "China (CN), the default",
        "fail_on": "restricted",
        "allowed": "license-required",
        "min_margin_pct": 1,
        "allow_indeterminate": False,
        "config": None,
    }
    assert data["summary"] == {"parts": 2, "passed": 1, "failed": 1, "errors": 0}
    first, second = data["results"]
    assert {"file", "chip", "edition", "label", "passed", "reasons", "nearest_stricter"} <= set(
        first
    )
    assert (first["file"], first["chip"]["id"], first["label"], first["passed"]) == (
        h20,
        "nvidia-h20",
        "exportable",
        True,
    )
    assert first["reasons"] == []
    assert first["nearest_stricter"]["change_pct"] == 1.351351
    assert (second["chip"]["id"], second["label"], second["passed"]) == (
        "nvidia-b200",
        "restricted",
        False,
    )
    (reason,) = second["reasons"]
    assert reason["rule"] == "3A090.a.1" and reason["key"] == "performance.fp4"
    assert reason["line"] == line_starting(tmp_path / b200, "fp4 =")


# --------------------------------------------------------------------------- sarif


def sarif_of(result: Result) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(result.stdout)
    return log


def test_sarif_log_structure_rules_and_locations(run: Run, tmp_path: Path) -> None:
    b200, h20 = copy("nvidia/b200.toml", tmp_path), copy("nvidia/h20.toml", tmp_path)
    result = run("check", b200, h20, "-f", "sarif")
    assert result.exit_code == 1
    log = sarif_of(result)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "chipclass" and driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    ids = [rule["id"] for rule in driver["rules"]]
    latest = by_id("latest")
    assert ids == [c.id for c in latest.evaluated] + [
        "expect",
        "margin",
        "indeterminate",
        "input-error",
    ]
    assert sarif_run["properties"] == {
        "destination": "CN",
        "destinationName": "China (CN), the default",
    }
    a1 = driver["rules"][ids.index("3A090.a.1")]
    clause = next(c for c in latest.clauses if c.id == "3A090.a.1")
    assert clause.text in a1["help"]["text"] and clause.citation in a1["help"]["text"]
    assert a1["helpUri"] == clause.url
    assert sarif_run["invocations"][0]["executionSuccessful"] is True
    (found,) = sarif_run["results"]  # one result per failing part: the B200
    assert found["ruleId"] == "3A090.a.1" and found["level"] == "error"
    assert ids[found["ruleIndex"]] == "3A090.a.1"
    assert "nvidia-b200" in found["message"]["text"]
    location = found["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == b200 == "skus/b200.toml"
    # the TPP-setting precision: fp4 9000 x 4 = 36000
    assert location["region"]["startLine"] == line_starting(tmp_path / b200, "fp4 =")


def test_sarif_points_memory_clauses_at_the_memory_bandwidth(run: Run, tmp_path: Path) -> None:
    # H20 under the latest edition: license-required by the 2025 bandwidth letters
    h20 = copy("nvidia/h20.toml", tmp_path)
    result = run("check", h20, "--fail-on", "license-required", "-f", "sarif")
    assert result.exit_code == 1
    (found,) = sarif_of(result)["runs"][0]["results"]
    assert found["ruleId"] == "2025-04 H20 letters"
    region = found["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == line_starting(tmp_path / h20, "bandwidth_gbs =")


def test_sarif_expect_margin_and_indeterminate_rules(
    run: Run, tmp_path: Path, write_sheet: Write
) -> None:
    expect = copy("nvidia/h20.toml", tmp_path, '\n[expect]\nlabel = "exportable"\n')
    close = copy("nvidia/rtx-4090-d.toml", tmp_path)  # +1.98 % from 3A090.a.1
    unknown = write_sheet(
        "skus/tpu.toml",
        chip_id="tpu",
        performance="int8 = 394",
        rest="[memory]\nbandwidth_gbs = 819",
    )
    result = run("check", expect, close, "skus/tpu.toml", "--min-margin", "2", "-f", "sarif")
    assert result.exit_code == 1
    found = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r
        for r in sarif_of(result)["runs"][0]["results"]
    }
    assert set(found) == {expect, close, "skus/tpu.toml"}

    def line(uri: str) -> int:
        return int(found[uri]["locations"][0]["physicalLocation"]["region"]["startLine"])

    assert found[expect]["ruleId"] == "expect"
    assert line(expect) == line_starting(tmp_path / expect, "label =", after="[expect]")
    assert found[close]["ruleId"] == "margin"
    precision = json.loads(run("classify", close, "-f", "json").stdout)["results"][0]
    assert line(close) == line_starting(tmp_path / close, f"{precision['tpp_precision']} =")
    assert found["skus/tpu.toml"]["ruleId"] == "indeterminate"
    # no die: no line for the deciding value, so the chip.id line
    assert line("skus/tpu.toml") == line_starting(unknown, "id =")


def test_sarif_reports_input_errors_as_notifications(run: Run, write_sheet: Write) -> None:
    write_sheet("skus/bad.toml", performance="fp8 = -1")
    result = run("check", "skus/bad.toml", str(SPECS / "nvidia/h20.toml"), "-f", "sarif")
    assert result.exit_code == 2
    (sarif_run,) = sarif_of(result)["runs"]
    invocation = sarif_run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "[performance] fp8" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "skus/bad.toml"
    # and a result on that file, so that code scanning shows an alert for it
    (alert,) = sarif_run["results"]
    assert alert["ruleId"] == "input-error" and alert["level"] == "error"
    assert alert["message"]["text"] == note["message"]["text"]
    assert alert["locations"] == note["locations"]


def test_artifact_uri() -> None:
    assert artifact_uri("specs/nvidia/h20.toml") == "specs/nvidia/h20.toml"
    assert artifact_uri("specs\\amd\\mi300x.toml") == "specs/amd/mi300x.toml"
    assert artifact_uri("my skus/a#1.toml") == "my%20skus/a%231.toml"
    assert artifact_uri("/abs/x.toml") == "file:///abs/x.toml"


# --------------------------------------------------------------------------- junit


def test_junit_suites_cases_and_counts(run: Run, tmp_path: Path, write_sheet: Write) -> None:
    h20, b200 = copy("nvidia/h20.toml", tmp_path), copy("nvidia/b200.toml", tmp_path)
    write_sheet("skus/bad.toml", performance="fp8 = -1")
    args = (h20, b200, "skus/bad.toml", "-e", "us-2023-10", "-e", "us-2026-01", "-f", "junit")
    result = run("check", *args)
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    # 2 parts x 2 editions + 1 input error; the B200 fails under both editions
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "2", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["us-2023-10", "us-2026-01", "chipclass input errors"]
    for suite in suites[:2]:
        assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
        cases = suite.findall("testcase")
        assert [(c.get("classname"), c.get("name")) for c in cases] == [
            ("NVIDIA", "nvidia-h20"),
            ("NVIDIA", "nvidia-b200"),
        ]
        assert cases[0].find("failure") is None
        failure = cases[1].find("failure")
        assert failure is not None and failure.get("type") == "3A090.a.1"
        assert "tpp 36000 >= 4800" in (failure.get("message") or "")
        assert "nvidia-b200" in (failure.text or "")
    error = suites[2].find("testcase/error")
    assert error is not None and "[performance] fp8" in (error.get("message") or "")


def test_junit_is_valid_xml_whatever_the_name(run: Run, write_sheet: Write) -> None:
    name = r"A <b>&amp; \"quoted\" \u0001 \u001b[31m chip]]> \n"
    write_sheet("x.toml", text=_named_sheet(name))
    result = run("check", "x.toml", "-f", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert 'A <b>&amp; "quoted" \ufffd \ufffd[31m chip]]>' in (failure.text or "")
    assert xml_text("a\x00b\ud800c\tok") == "a\ufffdb\ufffdc\tok"


# --------------------------------------------------------------------------- github


def _named_sheet(name: str, chip_id: str = "evil-chip") -> str:
    """A restricted part (TPP 36000) whose name is a TOML basic string, escapes included."""
    return (
        'format = "chipclass/1"\n[chip]\n'
        f'id = "{chip_id}"\nname = "{name}"\nvendor = "Evil, Inc.: 100%"\n'
        "[performance]\nfp8 = 4500\n[memory]\nbandwidth_gbs = 8000\n"
    )


def test_github_annotations_point_at_the_line(run: Run, tmp_path: Path) -> None:
    b200, h20 = copy("nvidia/b200.toml", tmp_path), copy("nvidia/h20.toml", tmp_path)
    result = run("check", b200, h20, "-f", "github")
    assert result.exit_code == 1
    error, notice = result.stdout.splitlines()
    line = line_starting(tmp_path / b200, "fp4 =")
    assert error.startswith(
        f"::error file=skus/b200.toml,line={line},title=chipclass%3A nvidia-b200 is restricted"
        " under us-2026-01::NVIDIA B200 (HGX, 1000 W) (nvidia-b200) fails under us-2026-01:%0A- "
    )
    assert "(tpp 36000 >= 4800)" in error
    assert notice == (
        "::notice title=chipclass check::1 passed, 1 failed · destination China (CN), the default"
    )


def test_a_hostile_chip_name_cannot_forge_a_workflow_command(run: Run, write_sheet: Write) -> None:
    write_sheet("evil, 1: x.toml", text=_named_sheet(FORGERY))
    write_sheet("bad.toml", text=_named_sheet(FORGERY, chip_id="Bad ID"))
    result = run("check", "evil, 1: x.toml", "bad.toml", "-f", "github")
    assert result.exit_code == 2
    out = result.stdout
    assert "\r" not in out
    lines = out.split("\n")
    assert lines[-1] == ""
    commands = lines[:-1]
    assert len(commands) == 3  # the failing part, the input error, the summary
    assert all(c.startswith(("::error ", "::notice ")) for c in commands)
    assert sum(c.startswith("::error ") for c in commands) == 2
    failure = commands[0]
    # properties: ':' and ',' escaped; the message: '%' and newlines escaped
    assert failure.startswith("::error file=evil%2C 1%3A x.toml,line=")
    assert "Evil %250A 100%25 %3A%3A chip%2C" not in failure  # the title holds no name
    assert "Evil %250A 100%25 :: chip, %0A::warning file=x.toml::forged%0D%0A::error::also" in (
        failure
    )
    # the only "::" at a line start are ours; the forged ones sit inside an escaped message
    assert [c.split("::")[1].split(" ")[0] for c in commands] == ["error", "error", "notice"]
    # nothing on stderr can start a command either
    assert all(not line.startswith("::") for line in result.stderr.splitlines())


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("a\u2028b\x1bc") == "a b c"
    assert (
        command("error", "m::x", file="f,1.toml", line=3) == "::error file=f%2C1.toml,line=3::m::x"
    )
    assert command("notice", "n") == "::notice::n"


# --------------------------------------------------------------------------- markdown, text


def test_markdown_summary(run: Run, tmp_path: Path) -> None:
    b200, h20 = copy("nvidia/b200.toml", tmp_path), copy("nvidia/h20.toml", tmp_path)
    result = run("check", b200, h20, "-f", "markdown")
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("### chipclass check: ❌ 1 of 2 parts failed\n")
    assert "| chip | edition | label | allowed | nearest stricter | result |" in out
    assert "| `nvidia-b200` | us-2026-01 | **restricted** | license-required | - | ❌ |" in out
    # the H20 is never sold in the U.S.: no 2026 relief, so 3A090.a.2 is near (density
    # 2368 / 814 = 2.909; 5.92 at a die of 2368 / 5.92 = 400 mm2, -50.86 %)
    assert (
        "| `nvidia-h20` | us-2026-01 | **license-required** | license-required"
        " | die area -50.86 % → restricted | ✅ |"
    ) in out
    assert "- ❌ `nvidia-b200` (us-2026-01, `skus/b200.toml` line" in out
    passing = run("check", h20, "-f", "markdown")
    assert passing.stdout.startswith("### chipclass check: ✅ all 1 part passed\n")


def test_markdown_folds_passing_rows_of_a_large_run(run: Run, write_sheet: Write) -> None:
    for n in range(55):
        write_sheet(
            f"many/c{n}.toml",
            chip_id=f"c{n}",
            performance="fp8 = 100",
            rest="[memory]\nbandwidth_gbs = 100\n[interconnect]\nhost_gbs = 64",
        )
    write_sheet("many/big.toml", chip_id="big", performance="fp8 = 4500")
    out = run("check", "many", "-f", "markdown").stdout
    assert "<details><summary>55 passing</summary>" in out
    assert out.index("`big`") < out.index("<details>")


def test_text_lists_pass_and_fail_with_reasons(run: Run, tmp_path: Path) -> None:
    b200, h20 = copy("nvidia/b200.toml", tmp_path), copy("nvidia/h20.toml", tmp_path)
    result = run("check", b200, h20)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("policy: fail on restricted or more severe")
    fail = next(i for i, line in enumerate(lines) if line.startswith("FAIL  nvidia-b200"))
    assert lines[fail + 1].strip().startswith("us-2026-01: restricted  allowed: license-required")
    assert lines[fail + 2].strip().startswith("- restricted under us-2026-01 via 3A090.a.1")
    assert any(line.startswith("PASS  nvidia-h20") for line in lines)
    assert lines[-1] == "1 passed, 1 failed"


def test_text_keeps_a_hostile_name_on_one_line(run: Run, write_sheet: Write) -> None:
    write_sheet("x.toml", text=_named_sheet(FORGERY))
    lines = run("check", "x.toml").stdout.splitlines()
    (head,) = [line for line in lines if "evil-chip" in line]
    assert head.startswith("FAIL  evil-chip  Evil %0A 100% :: chip, \\n::warning")
    assert not any(line.startswith("::") for line in lines)
