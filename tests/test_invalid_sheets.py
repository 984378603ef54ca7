"""Hostile and broken input: every bad sheet is refused with exit 2, a message naming the
file, the key and what would be right, and never a traceback; edge-case sheets that are
valid give hand-checked metrics; good sheets in a mixed run are still reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import sheet_text
from known import pinned_editions

import chipclass.cli as cli_module
from chipclass.classify import classify
from chipclass.cli import cli, main
from chipclass.editions import all_editions
from chipclass.files import load_sheet
from chipclass.metrics import compute
from chipclass.spec import MAX_SHEET_BYTES, SheetError, parse_sheet

Run = Callable[..., Result]

SHEETS = Path(__file__).resolve().parent / "sheets"
INVALID = SHEETS / "invalid"
VALID = SHEETS / "valid"
ROOT = Path(__file__).resolve().parent.parent

# file name -> (the key or what is wrong, as the message names it; the hint of what is right)
#: the corpus files that are TOML without a format line: skipped when a folder is walked
FOREIGN = {"empty-file.toml", "format-missing.toml"}

EXPECTED: dict[str, tuple[str, str]] = {
    "empty-file.toml": ("format: is required", 'format = "chipclass/1"'),
    "not-toml-at-all.toml": ("not valid TOML", "This is a datasheet"),
    "format-missing.toml": ("format: is required", 'format = "chipclass/1"'),
    "format-unknown-version.toml": ("format: 'chipclass/2'", 'reads "chipclass/1"'),
    "duplicate-toml-key-fp8.toml": ("Cannot overwrite a value", "'fp8 = 300'"),
    "duplicate-table-memory.toml": ("Cannot declare ('memory',) twice", "'[memory]'"),
    "performance-table-missing.toml": ("performance: the [performance] table", "is required"),
    "performance-table-empty.toml": ("performance: needs at least one", "(e.g. fp8 = 296) or tpp"),
    "unknown-top-level-key.toml": ("colour: unknown key", "allowed here: format, chip"),
    "die-as-single-table.toml": ("[[die]]: dies are an array", "write [[die]]"),
    "fp8-exponent-1e400000000.toml": ("[performance] fp8: 1E+400000000", "at most 10000000"),
    "chip-id-missing.toml": ("[chip] id: is required", "(a string)"),
    "chip-id-uppercase-and-space.toml": ("[chip] id: 'NVIDIA H20'", "(e.g. nvidia-h20)"),
    "chip-name-empty.toml": ("[chip] name: must not be empty", "must not be empty"),
    "chip-unknown-key-typo.toml": ("[chip] vendr: unknown key", "did you mean 'vendor'?"),
    "chip-datacenter-string.toml": ("[chip] datacenter", "must be true or false"),
    "chip-released-invalid-date.toml": ("Invalid date or datetime", "'released = 2024-02-30'"),
    "chip-released-string-not-date.toml": ("[chip] released", "a TOML date such as 2024-02-01"),
    "fp8-negative.toml": ("[performance] fp8", "must be above zero, not -296"),
    "fp8-zero.toml": ("[performance] fp8", "must be above zero, not 0"),
    "fp16-nan.toml": ("[performance] fp16", "must be a finite number, not NaN"),
    "fp8-infinite.toml": ("[performance] fp8", "must be a finite number, not Infinity"),
    "fp8-absurdly-large.toml": ("[performance] fp8: 100000000", "at most 10000000"),
    "fp8-boolean.toml": ("[performance] fp8", "must be a number, not a boolean (true)"),
    "fp8-bare-string-no-unit.toml": ("[performance] fp8: '296'", 'try "296 TFLOPS"'),
    "fp8-unknown-unit.toml": ("[performance] fp8: '296 horsepower'", 'try "296 TFLOPS"'),
    "precision-uppercase-name.toml": ("[performance] FP8", "lower-case letters"),
    "unknown-precision-without-bits.toml": ("[performance] fp12", "fp12 = { tops = ..., bits"),
    "bits-zero.toml": ("[performance] custom.bits", "must be at least 1, not 0"),
    "bits-negative.toml": ("[performance] custom.bits", "must be at least 1, not -12"),
    "bits-contradict-known-precision.toml": ("[performance] fp8.bits", "8 bits by definition"),
    "entry-table-without-tops.toml": ("[performance] fp8", "{ tops = 100, bits = 12 }"),
    "entry-table-unknown-key.toml": ("[performance] fp8.sparsity", "did you mean 'sparse'?"),
    "entry-sparse-not-boolean.toml": ("[performance] fp8.sparse", "must be true or false"),
    "tpp-disagrees-with-throughput.toml": ("[performance] tpp", "fp8 296 x 8 bits = 2368"),
    "tpp-only-negative.toml": ("[performance] tpp", "must be above zero"),
    "die-area-zero.toml": ("[[die]] #1 area_mm2", "must be above zero, not 0"),
    "die-area-negative.toml": ("[[die]] #1 area_mm2", "must be above zero, not -814"),
    "die-area-absurdly-large.toml": ("[[die]] #1 area_mm2: 1000000", "at most 100000"),
    "die-area-bandwidth-unit.toml": ("[[die]] #1 area_mm2", 'try "814 mm2"'),
    "die-area-missing.toml": ("[[die]] #1 area_mm2: is required", "area in mm^2"),
    "die-count-zero.toml": ("[[die]] #1 count", "must be at least 1, not 0"),
    "die-count-negative.toml": ("[[die]] #1 count", "must be at least 1, not -2"),
    "die-count-fractional.toml": ("[[die]] #1 count", "must be a whole number"),
    "die-unknown-key.toml": ("[[die]] #1 area: unknown key", "did you mean 'area_mm2'?"),
    "die-non-planar-string.toml": ("[[die]] #1 non_planar", "must be true or false"),
    "memory-bandwidth-negative.toml": ("[memory] bandwidth_gbs", "must be zero or more"),
    "memory-bandwidth-infinite.toml": ("[memory] bandwidth_gbs", "must be a finite number"),
    "memory-bandwidth-absurdly-large.toml": ("[memory] bandwidth_gbs", "at most 10000000"),
    "memory-bandwidth-unknown-unit.toml": ("[memory] bandwidth_gbs", 'try "4000 GB/s"'),
    "memory-bandwidth-boolean.toml": ("[memory] bandwidth_gbs", "not a boolean (false)"),
    "memory-unknown-key.toml": ("[memory] bandwidth: unknown key", "'bandwidth_gbs'"),
    "interconnect-host-negative.toml": ("[interconnect] host_gbs", "must be zero or more"),
    "interconnect-unknown-key.toml": ("[interconnect] nvlink_gbs", "allowed here: chip_to_chip"),
    "interconnect-chip-to-chip-array.toml": ("[interconnect] chip_to_chip_gbs", "not an array"),
    "source-unknown-key.toml": ("[[source]] #1 link: unknown key", "allowed here: url"),
    "source-url-not-http.toml": ("[[source]] #1 url", "is not an http(s) URL"),
    "source-accessed-not-a-date.toml": ("[[source]] #1 accessed", "must be a date (2024-02-01)"),
    "expect-unknown-key.toml": ("[expect] lable: unknown key", "did you mean 'label'?"),
    "expect-label-unknown.toml": ("[expect] label: 'fine'", "exportable, license-required"),
    "non-utf8-latin1-byte.toml": ("not UTF-8 text (byte ", "save the sheet as UTF-8"),
}


def _corpus() -> list[str]:
    return sorted(p.name for p in INVALID.iterdir())


def _run(*args: str) -> Result:
    """Invoke the CLI like the fuzz tests do: an escaped exception fails the test."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped: {result.exception!r}")
    return result


# --------------------------------------------------------------------------- the corpus


def test_the_corpus_is_large_and_every_file_is_in_the_table() -> None:
    names = _corpus()
    assert len(names) >= 30
    assert set(names) == set(EXPECTED), "add every corpus file to EXPECTED (and only those)"
    assert all(name.endswith(".toml") for name in names)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_states_why_it_fails_in_a_leading_comment(name: str) -> None:
    raw = (INVALID / name).read_bytes()
    if name == "empty-file.toml":
        assert raw == b""  # the one file that cannot carry a comment: its name says it
        return
    first = raw.split(b"\n", 1)[0]
    assert first.startswith(b"# ") and len(first) > 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_sheet_exits_2_naming_file_key_and_hint(name: str) -> None:
    key, hint = EXPECTED[name]
    path = INVALID / name
    result = _run("classify", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""  # nothing classified, nothing printed as if it passed
    errors = [line for line in result.stderr.splitlines() if str(path) in line]
    assert errors, result.stderr
    assert any(key in line and hint in line for line in errors), result.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_sheet_raises_sheet_error_from_the_loader(name: str) -> None:
    key, _ = EXPECTED[name]
    with pytest.raises(SheetError) as caught:
        load_sheet(INVALID / name, display=name)
    assert caught.value.problems
    assert all(p.file == name for p in caught.value.problems)
    assert any(key in str(p) for p in caught.value.problems)


def test_the_whole_corpus_in_one_json_run_lists_every_file_in_errors() -> None:
    result = _run("classify", str(INVALID), "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["results"] == []
    failed = {Path(e["file"]).name for e in doc["errors"]}
    # found by walking, a file that parses as TOML without format = "chipclass/..." is
    # another tool's file: skipped with one note (named, it is an error: see EXPECTED)
    assert failed == set(EXPECTED) - FOREIGN
    assert result.stderr.startswith(
        'note: skipped 2 TOML files without format = "chipclass/..." (not chip sheets): '
    )
    for error in doc["errors"]:
        assert error["message"]
        if "key" in error:
            assert error["message"].startswith(error["key"] + ": ")


def test_problems_carry_the_line_of_the_key() -> None:
    with pytest.raises(SheetError) as caught:
        load_sheet(INVALID / "fp8-negative.toml")
    (problem,) = caught.value.problems
    line = (INVALID / "fp8-negative.toml").read_text().splitlines()[problem.line - 1]  # type: ignore[operator]
    assert line == "fp8 = -296"
    with pytest.raises(SheetError) as caught:
        load_sheet(INVALID / "duplicate-toml-key-fp8.toml")
    (problem,) = caught.value.problems
    assert problem.line == 11  # the second fp8, after the two comment lines


def test_a_sheet_with_many_problems_names_every_one() -> None:
    text = sheet_text(
        performance="fp8 = -1\nfp12 = 3",
        rest="[[die]]\narea_mm2 = 0\n[memory]\nbandwidth_gbs = true\n[interconnect]\nx = 1\n",
    )
    with pytest.raises(SheetError) as caught:
        parse_sheet(text, "many.toml")
    keys = {p.key for p in caught.value.problems}
    assert {
        "[performance] fp8",
        "[performance] fp12",
        "[[die]] #1 area_mm2",
        "[memory] bandwidth_gbs",
        "[interconnect] x",
    } <= keys


# ------------------------------------------------------------------ generated hostile input


def test_a_sheet_over_one_mib_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    padding = "# " + "x" * 1000 + "\n"
    body = sheet_text(chip_id="huge") + padding * (MAX_SHEET_BYTES // len(padding) + 1)
    path.write_text(body, encoding="utf-8")
    assert path.stat().st_size > MAX_SHEET_BYTES
    result = _run("classify", str(path))
    assert result.exit_code == 2
    assert str(path) in result.stderr and "the limit is 1 MiB" in result.stderr
    with pytest.raises(SheetError, match="over 1 MiB"):
        parse_sheet(body, "huge.toml")


def test_a_sheet_of_exactly_one_mib_is_still_read(tmp_path: Path) -> None:
    body = sheet_text(chip_id="big")
    body += "#" * (MAX_SHEET_BYTES - len(body.encode()) - 1) + "\n"
    assert len(body.encode()) == MAX_SHEET_BYTES
    path = tmp_path / "big.toml"
    path.write_text(body, encoding="utf-8")
    assert load_sheet(path).id == "big"


@pytest.mark.parametrize(
    "nested",
    [
        "a = " + "[" * 10000 + "]" * 10000,
        "a = " + "{ b = " * 10000 + "1" + " }" * 10000,
        'format = "chipclass/1"\n[performance]\nfp8 = ' + "[" * 10000 + "1" + "]" * 10000,
    ],
    ids=["array-10000-deep", "inline-table-10000-deep", "value-10000-deep"],
)
def test_deeply_nested_values_are_refused(tmp_path: Path, nested: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(nested + "\n", encoding="utf-8")
    result = _run("classify", str(path))
    assert result.exit_code == 2
    assert f"{path}: not usable TOML: values are nested too deeply" in result.stderr


def test_an_integer_past_the_int_conversion_limit_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "digits.toml"
    path.write_text(sheet_text(performance="fp8 = " + "9" * 5000), encoding="utf-8")
    result = _run("classify", str(path))
    assert result.exit_code == 2
    assert str(path) in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e-400000000", "is implausibly small"),
        ('"1e400000000 TOPS"', "is implausibly large"),
        ("0." + "1" * 200_000, "more than 40 significant digits"),
    ],
    ids=["tiny-exponent", "unit-string-exponent", "200000-digits"],
)
def test_numbers_that_would_take_forever_to_convert_are_refused(value: str, message: str) -> None:
    with pytest.raises(SheetError, match=message):
        parse_sheet(sheet_text(performance=f"fp8 = {value}"), "slow.toml")


def test_a_unit_string_built_to_backtrack_is_refused_quickly() -> None:
    # "1 x", half a million spaces, "y": a lazy unit pattern before a trailing \s*$ takes
    # quadratic time over the spaces (about an hour at this size)
    hostile = '"1 x' + " " * 500_000 + 'y"'
    started = time.monotonic()
    with pytest.raises(SheetError, match="unknown throughput unit"):
        parse_sheet(sheet_text(performance=f"fp8 = {hostile}"), "redos.toml")
    assert time.monotonic() - started < 5


def test_trailing_zeros_do_not_count_as_precision() -> None:
    spec = parse_sheet(sheet_text(performance="fp8 = 296." + "0" * 100_000), "zeros.toml")
    assert spec.throughput[0].tops == 296


def test_a_missing_path_is_an_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    result = _run("classify", str(missing))
    assert result.exit_code == 2 and f"{missing}: no such file or folder" in result.stderr


# --------------------------------------------------------------------------- valid edge cases


def test_the_valid_set_covers_at_least_six_edge_features() -> None:
    names = sorted(p.name for p in VALID.glob("*.toml"))
    assert len(names) >= 6
    for name in names:
        assert (VALID / name).read_text().startswith("# ")


def test_valid_unit_strings_convert_exactly() -> None:
    spec = load_sheet(VALID / "unit-strings.toml")
    assert spec.memory_bandwidth_gbs == 4000  # "4.0 TB/s"
    assert spec.dies[0].area_mm2 == 814  # "814 mm2"
    assert {t.precision: t.tops for t in spec.throughput} == {"fp8": 296, "bf16": 148}
    assert spec.memory_capacity_gb == 96
    assert spec.chip_to_chip_gbs == 900  # "7.2 Tb/s" = 7200 Gb/s / 8
    assert spec.host_gbs == 128
    metrics = compute(spec)
    assert metrics.tpp == 2368  # 296 x 8
    assert metrics.performance_density == Fraction(2368, 814)
    # the same part written with plain numbers (the H20) gives the same metrics
    h20 = compute(load_sheet(ROOT / "specs/nvidia/h20.toml"))
    assert (metrics.tpp, metrics.applicable_die_area_mm2, metrics.memory_bandwidth_gbs) == (
        h20.tpp,
        h20.applicable_die_area_mm2,
        h20.memory_bandwidth_gbs,
    )
    assert metrics.io_bandwidth_gbs == h20.io_bandwidth_gbs == 1028


# edition order: us-2022-10, us-2023-10, us-2024-12, us-2025-01, us-2025-04, us-2026-01
R, L, E, U = "restricted", "license-required", "exportable", "indeterminate"


@pytest.mark.parametrize(
    ("name", "tpp", "area", "density", "memory", "io", "labels"),
    [
        # TPP 250 x 12 = 3000 (fp12) beats 150 x 16 = 2400; density 3: 3A090.b.1
        ("custom-precision-fp12.toml", 3000, 1000, Fraction(3), 1000, 64, (E, L, L, L, L, L)),
        # 256.78 x 8 = 2054.24; / 347 = 5.92: 3A090.a.2 met exactly; 2026 relief
        (
            "exact-density-5.92.toml",
            Fraction("2054.24"),
            347,
            Fraction("5.92"),
            1000,
            None,  # no [interconnect]: unknown, and no label here rests on it
            (E, R, R, R, R, L),
        ),
        # 750 x 2 = 1500 mm^2 (the planar I/O die does not count); 2250 x 8 = 18000;
        # memory 8000 >= 6500: no 2026 relief
        ("multi-die.toml", 18000, 1500, Fraction(12), 8000, 1928, (R, R, R, R, R, R)),
        # no [interconnect]: I/O unknown; memory 1300 < 1400, but I/O >= 1100 or memory + I/O
        # >= 1700 would meet the 2025 letters: indeterminate from us-2025-04 on
        (
            "no-interconnect-table.toml",
            2368,
            814,
            Fraction(2368, 814),
            1300,
            None,
            (E, E, E, E, U, U),
        ),
        # memory unknown: the 2025 letters could catch it (1400 GB/s or more)
        ("no-memory-table.toml", 800, 500, Fraction(8, 5), None, 464, (E, E, E, E, U, U)),
        # TPP 4800 exactly on a non-datacenter part: Note 2 needs < 4800, NAC relief
        ("non-datacenter-tpp-4800.toml", 4800, 600, Fraction(8), 1000, 64, (E, L, L, L, L, L)),
        # planar only: area 0, density unknown; TPP 2000 >= 1600 so a.2 / b.2 could apply
        ("planar-die.toml", 2000, 0, None, 1000, 64, (E, U, U, U, U, U)),
        # 3958 sparse -> 1979 dense; x 8 = 15832; 2026: case-by-case below 21000 / 6500
        ("sparse-quoted.toml", 15832, 814, Fraction(15832, 814), 3350, 1028, (R, R, R, R, R, L)),
        # declared TPP 4800 meets 3A090.a.1 (4800 or more); no [interconnect]: I/O unknown,
        # so under us-2022-10 (TPP >= 4800 AND I/O >= 600) it could go either way
        ("tpp-only.toml", 4800, 600, Fraction(8), 2000, None, (U, R, R, R, R, L)),
        ("unit-strings.toml", 2368, 814, Fraction(2368, 814), 4000, 1028, (E, E, E, E, L, L)),
    ],
)
def test_valid_edge_sheets_have_hand_checked_metrics_and_labels(
    name: str,
    tpp: Fraction | int,
    area: int,
    density: Fraction | None,
    memory: int | None,
    io: int | None,
    labels: tuple[str, ...],
) -> None:
    spec = load_sheet(VALID / name)
    result = classify(spec, pinned_editions())
    m = result.metrics
    assert m.tpp == tpp
    assert m.applicable_die_area_mm2 == area
    assert m.performance_density == density
    assert m.memory_bandwidth_gbs == memory
    assert m.io_bandwidth_gbs == io
    assert tuple(v.label for v in result.verdicts) == labels


def test_valid_special_features_are_reported() -> None:
    sparse = compute(load_sheet(VALID / "sparse-quoted.toml"))
    assert any("sparse figures halved" in n and "fp8" in n for n in sparse.notes)
    tpp_only = load_sheet(VALID / "tpp-only.toml")
    assert tpp_only.throughput == () and tpp_only.declared_tpp == 4800
    assert compute(tpp_only).tpp_precision is None
    planar = compute(load_sheet(VALID / "planar-die.toml"))
    assert any("density unknown" in n for n in planar.notes)
    custom = compute(load_sheet(VALID / "custom-precision-fp12.toml"))
    assert custom.tpp_precision == "fp12"
    multi = load_sheet(VALID / "multi-die.toml")
    assert [(d.area_mm2, d.count, d.non_planar) for d in multi.dies] == [
        (750, 2, True),
        (400, 1, False),
    ]
    no_memory = classify(load_sheet(VALID / "no-memory-table.toml"), all_editions())
    decision = no_memory.verdict("us-2025-04").decision
    assert decision.unknown == ("memory_bandwidth_gbs",)
    assert decision.possible == ("exportable", "license-required")


def test_the_valid_set_classifies_cleanly_from_the_cli() -> None:
    result = _run("classify", str(VALID), "--all-editions", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["errors"] == []
    assert len(doc["results"]) == len(list(VALID.glob("*.toml")))
    planar = next(r for r in doc["results"] if r["chip"]["id"] == "valid-planar-die")
    assert planar["metrics"]["performance_density"] is None
    assert planar["metrics"]["applicable_die_area_mm2"] == 0


# --------------------------------------------------------------------------- mixed runs


def test_a_mixed_run_reports_the_good_lists_the_bad_and_exits_2(tmp_path: Path) -> None:
    good_a = tmp_path / "a-good.toml"
    good_a.write_text(sheet_text(chip_id="good-a"), encoding="utf-8")
    bad = tmp_path / "b-bad.toml"
    bad.write_text(sheet_text(chip_id="bad-b", performance="fp8 = -1"), encoding="utf-8")
    good_c = tmp_path / "c-good.toml"
    good_c.write_text(sheet_text(chip_id="good-c", performance="fp8 = 600"), encoding="utf-8")
    args = (str(tmp_path), str(INVALID / "fp16-nan.toml"), "-e", "us-2023-10")

    result = _run("classify", *args, "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [r["chip"]["id"] for r in doc["results"]] == ["good-a", "good-c"]
    # good-a: 296 x 8 = 2368, no die -> below every TPP line that needs no density
    assert doc["results"][0]["metrics"]["tpp"] == 2368
    assert doc["results"][1]["verdicts"][0]["label"] == "restricted"  # 600 x 8 = 4800
    assert {e["file"] for e in doc["errors"]} == {str(bad), str(INVALID / "fp16-nan.toml")}
    assert str(bad) in result.stderr

    lines = _run("classify", *args, "--format", "jsonl")
    assert lines.exit_code == 2
    records = [json.loads(line) for line in lines.stdout.splitlines()]
    assert sum("error" in r for r in records) == 2 and sum("chip" in r for r in records) == 2

    text = _run("classify", *args, "--summary")
    assert text.exit_code == 2
    assert "good-a" in text.stdout and "good-c" in text.stdout
    assert "b-bad.toml" in text.stderr and "fp16-nan.toml" in text.stderr


def test_a_mixed_run_over_the_corpus_and_the_catalog(specs: Path) -> None:
    result = _run("classify", str(specs), str(INVALID), "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert len(doc["results"]) == len(list(specs.rglob("*.toml")))
    assert len({Path(e["file"]).name for e in doc["errors"]}) == len(EXPECTED) - len(FOREIGN)


# --------------------------------------------------------------------------- the top-level guard


def _boom(*args: object, **kwargs: object) -> object:
    raise ZeroDivisionError("a bug\nspread over\nthree lines")


def test_main_turns_an_unexpected_error_into_exit_2_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], specs: Path
) -> None:
    monkeypatch.setattr("chipclass.cli.classify.classify_spec", _boom)
    with pytest.raises(SystemExit) as done:
        main(["classify", str(specs / "nvidia/h20.toml")])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith("chipclass: internal error: ZeroDivisionError: a bug spread over")
    assert "--debug" in line


def test_main_with_debug_shows_the_full_trace(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], specs: Path
) -> None:
    monkeypatch.setattr("chipclass.cli.classify.classify_spec", _boom)
    with pytest.raises(SystemExit) as done:
        main(["--debug", "classify", str(specs / "nvidia/h20.toml")])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "ZeroDivisionError" in err


def test_main_maps_usage_errors_and_bad_input_to_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["no-such-command"], ["classify"], ["classify", str(INVALID / "fp8-zero.toml")]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 2, argv
    assert "Traceback" not in capsys.readouterr().err
    assert cli_module.EXIT_ERROR == 2


def _subprocess(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chipclass", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def test_the_installed_entry_point_never_prints_a_traceback(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 10000 + "]" * 10000 + "\n", encoding="utf-8")
    done = _subprocess(
        "classify",
        str(deep),
        str(INVALID / "non-utf8-latin1-byte.toml"),
        str(INVALID / "empty-file.toml"),
        "specs/nvidia/h20.toml",
        "--summary",
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "nvidia-h20" in done.stdout
    assert "nested too deeply" in done.stderr and "not UTF-8" in done.stderr


def test_an_internal_error_in_a_real_process_is_one_line_and_debug_shows_it(
    tmp_path: Path,
) -> None:
    # a real process whose engine raises: a wrapper replaces the classifier, then runs
    # `python -m chipclass` exactly as the installed entry point does
    plugin = tmp_path / "breaker.py"
    plugin.write_text(
        "import runpy, sys\n"
        "import chipclass.cli.classify as c\n"
        "def boom(*a, **k):\n"
        "    raise RuntimeError('engine exploded')\n"
        "c.classify_spec = boom\n"
        "sys.argv = ['chipclass', *sys.argv[1:]]\n"
        "runpy.run_module('chipclass', run_name='__main__')\n",
        encoding="utf-8",
    )
    args = [sys.executable, str(plugin)]
    plain = subprocess.run(
        [*args, "classify", "specs/nvidia/h20.toml"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert plain.returncode == 2
    assert plain.stderr.strip().splitlines() == [
        "chipclass: internal error: RuntimeError: engine exploded (run with --debug for the trace)"
    ]
    debug = subprocess.run(
        [*args, "--debug", "classify", "specs/nvidia/h20.toml"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert debug.returncode == 2
    assert "Traceback (most recent call last)" in debug.stderr
    assert "RuntimeError: engine exploded" in debug.stderr
