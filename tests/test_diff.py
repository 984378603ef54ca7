"""`chipclass diff`: two parts side by side, across rule editions (issue #4)."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from known import EDITIONS

from chipclass.classify import classify
from chipclass.compare import Crossing, Delta, compare, compare_results
from chipclass.editions import all_editions, by_id
from chipclass.files import load_sheet
from chipclass.metrics import METRIC_IDS
from chipclass.spec import parse_sheet

Run = Callable[..., Result]
Write = Callable[..., Path]

EDITION_IDS = [e.id for e in all_editions()]
#: the six pinned editions, as -e options
PINNED = [arg for edition in EDITIONS for arg in ("-e", edition)]
DIE = '[[die]]\nname = "D"\narea_mm2 = 814\n'


def sheet(chip_id: str, body: str, variant_of: str | None = None) -> str:
    variant = f'variant_of = "{variant_of}"\n' if variant_of else ""
    return (
        f'format = "chipclass/1"\n\n[chip]\nid = "{chip_id}"\nname = "Chip {chip_id}"\n'
        f'vendor = "Test"\n{variant}\n{body}'
    )


SMALL = '[performance]\nfp8 = 296\n\n[[die]]\nname = "D"\narea_mm2 = 814\n\n[memory]\n'
SMALL += "bandwidth_gbs = 4000\n\n[interconnect]\nchip_to_chip_gbs = 900\nhost_gbs = 128\n"


def diff_json(run: Run, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("diff", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def edition_row(doc: dict[str, Any], edition: str) -> dict[str, Any]:
    rows = [row for row in doc["editions"] if row["edition"] == edition]
    assert len(rows) == 1
    return rows[0]


def metric_row(doc: dict[str, Any], metric: str) -> dict[str, Any]:
    return next(row for row in doc["metrics"] if row["metric"] == metric)


# --------------------------------------------------------------------------- H100 -> H20


def test_h100_to_h20_numbers_and_labels(run: Run, specs: Path) -> None:
    code, doc = diff_json(run, str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h20.toml"))
    assert code == 1  # labels differ
    tpp = metric_row(doc, "tpp")
    assert (tpp["a"], tpp["b"], tpp["delta"]) == (15832, 2368, -13464)
    assert tpp["delta_pct"] == pytest.approx(-85.043, abs=0.0005)  # -13464 / 15832
    memory = metric_row(doc, "memory_bandwidth_gbs")
    assert (memory["a"], memory["b"], memory["delta"]) == (3350, 4000, 650)
    io = metric_row(doc, "io_bandwidth_gbs")
    assert (io["delta"], io["delta_pct"]) == (0, 0)
    row = edition_row(doc, "us-2023-10")
    assert (row["a"], row["b"], row["changed"]) == ("restricted", "exportable", True)
    crossed = {(c["clause"], c["metric"], c["threshold"]): c for c in row["crossed"]}
    a1 = crossed[("3A090.a.1", "tpp", 4800)]
    assert (a1["a"], a1["b"], a1["direction"]) == (15832, 2368, "fell below")
    assert (a1["met_a"], a1["met_b"]) == (True, False)
    b1 = crossed[("3A090.b.1", "tpp", 2400)]
    assert (b1["op"], b1["met_a"], b1["met_b"]) == (">=", True, False)
    # 3A090.a.2's TPP line (1600) is not crossed: 2368 is still above it
    assert ("3A090.a.2", "tpp", 1600) not in crossed
    # us-2026-01: both license-required, yet thresholds were still crossed
    last = edition_row(doc, "us-2026-01")
    assert (last["a"], last["b"], last["changed"]) == ("license-required",) * 2 + (False,)
    assert last["crossed"]


def test_h100_to_h20_exact_core(specs: Path) -> None:
    a = load_sheet(specs / "nvidia/h100-sxm.toml")
    b = load_sheet(specs / "nvidia/h20.toml")
    comparison = compare(a, b, [by_id("us-2023-10")])
    tpp = comparison.metrics[0]
    assert tpp.name == "tpp"
    assert tpp.delta == -13464
    assert tpp.delta_pct == Fraction(-13464 * 100, 15832)
    fp8 = next(d for d in comparison.throughput if d.name == "fp8")
    assert (fp8.a, fp8.b, fp8.delta) == (1979, 296, -1683)
    assert [d.name for d in comparison.throughput][:2] == ["fp64", "fp32"]  # regulation order
    row = comparison.editions[0]
    assert row.met_a == ("3A090.a.1", "3A090.a.2")
    assert row.met_b == ()
    assert comparison.differs


def test_h100_to_h20_text(run: Run, specs: Path) -> None:
    h100, h20 = str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h20.toml")
    result = run("diff", h100, h20, *PINNED)
    assert result.exit_code == 1
    out = result.stdout
    tpp_line = next(line for line in out.splitlines() if line.startswith("TPP "))
    assert tpp_line.split() == ["TPP", "15832", "2368", "-13464", "-85.043", "%"]
    fp8_line = next(line for line in out.splitlines() if line.startswith("fp8 TOPS"))
    assert fp8_line.split()[2:] == ["1979", "296", "-1683", "-85.043", "%"]
    assert any(line.startswith("chip-to-chip GB/s") for line in out.splitlines())
    row = next(line for line in out.splitlines() if line.startswith("us-2023-10 "))
    assert row.split()[:4] == ["us-2023-10", "restricted", "exportable", "≠"]
    same = next(line for line in out.splitlines() if line.startswith("us-2026-01 "))
    assert "= same" in same
    assert "TPP 15832 → 2368 fell below 4800 (3A090.a.1, 3A090.b.1) and 2400 (3A090.b.1)" in out
    assert "labels differ in 5 of 6 editions" in out


# --------------------------------------------------------------------------- H100 -> H800


def test_h100_to_h800_io_cut(run: Run, specs: Path) -> None:
    code, doc = diff_json(run, str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h800.toml"))
    assert code == 1
    io = metric_row(doc, "io_bandwidth_gbs")
    assert (io["a"], io["b"], io["delta"]) == (1028, 528, -500)
    first = edition_row(doc, "us-2022-10")
    assert (first["a"], first["b"], first["changed"]) == ("restricted", "exportable", True)
    assert first["crossed"] == [
        {
            "clause": "3A090.a.1",
            "metric": "io_bandwidth_gbs",
            "op": ">=",
            "threshold": 600,
            "a": 1028,
            "b": 528,
            "direction": "fell below",
            "met_a": True,
            "met_b": False,
        }
    ]
    for edition in ("us-2023-10", "us-2024-12", "us-2025-04"):
        row = edition_row(doc, edition)
        assert (row["a"], row["b"], row["changed"]) == ("restricted", "restricted", False)
        assert row["crossed"] == []  # from 2023 the I/O line is gone; TPP alone decides
    # us-2026-01: the H100 (on sale in the U.S.) gets case-by-case review; the H800 (never
    # sold there, us_available = false) keeps the presumption of denial
    last = edition_row(doc, "us-2026-01")
    assert (last["a"], last["b"], last["changed"]) == ("license-required", "restricted", True)


def test_edition_filter_sets_exit_code(run: Run, specs: Path) -> None:
    paths = (str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h800.toml"))
    code, doc = diff_json(run, *paths, "--edition", "us-2022-10")
    assert code == 1
    assert [row["edition"] for row in doc["editions"]] == ["us-2022-10"]
    assert [v["edition"] for v in doc["a"]["verdicts"]] == ["us-2022-10"]
    code, doc = diff_json(run, *paths, "-e", "us-2023-10", "-e", "us-2025-04")
    assert code == 0  # the same label wherever the 2022 I/O line is gone
    assert [row["edition"] for row in doc["editions"]] == ["us-2023-10", "us-2025-04"]
    code, doc = diff_json(run, *paths, "--as-of", "2023-01-01")
    assert code == 1
    assert [row["edition"] for row in doc["editions"]] == ["us-2022-10"]
    code, doc = diff_json(run, *paths, "--all-editions")
    assert [row["edition"] for row in doc["editions"]] == EDITION_IDS


def test_default_is_every_edition(run: Run, specs: Path) -> None:
    code, doc = diff_json(run, str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h20.toml"))
    assert code == 1
    assert [row["edition"] for row in doc["editions"]] == EDITION_IDS


def test_unknown_edition_is_exit_2(run: Run, specs: Path) -> None:
    result = run("diff", str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h20.toml"))
    assert result.exit_code == 1
    result = run(
        "diff", str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h20.toml"), "-e", "nope"
    )
    assert result.exit_code == 2
    assert "nope" in result.stderr


# --------------------------------------------------------------------------- same labels


def test_identical_numbers_under_two_ids(run: Run, write_sheet: Write) -> None:
    a = write_sheet("a.toml", sheet("part-a", SMALL))
    b = write_sheet("b.toml", sheet("part-b", SMALL))
    result = run("diff", str(a), str(b), *PINNED)
    assert result.exit_code == 0, result.output
    assert "same label under all 6 editions compared" in result.stdout
    code, doc = diff_json(run, str(a), str(b))
    assert code == 0
    assert all(row["delta"] == 0 and row["delta_pct"] == 0 for row in doc["metrics"])
    assert all(not row["changed"] and not row["crossed"] for row in doc["editions"])
    assert (doc["a"]["chip"]["id"], doc["b"]["chip"]["id"]) == ("part-a", "part-b")


def test_same_file_twice_and_same_id(run: Run, write_sheet: Write, specs: Path) -> None:
    h20 = str(specs / "nvidia/h20.toml")
    assert run("diff", h20, h20).exit_code == 0
    # two revisions of one sheet (same chip id) are a legitimate comparison
    older = write_sheet(
        "old/h20.toml", sheet("nvidia-h20", SMALL.replace("fp8 = 296", "fp8 = 310"))
    )
    code, doc = diff_json(run, str(older), h20)
    assert code == 1  # TPP 2480 was over 2400: license-required under us-2023-10
    assert metric_row(doc, "tpp")["delta"] == 2368 - 2480
    result = run("diff", str(older), h20)
    assert result.stdout.splitlines()[4].split()[:2] == ["a", "b"]  # columns a / b, not ids


# --------------------------------------------------------------------------- unknown values


def test_unknown_metric_and_zero_base(run: Run, write_sheet: Write) -> None:
    bare = write_sheet("bare.toml", sheet("bare", "[performance]\nfp8 = 296\n"))
    full = write_sheet("full.toml", sheet("full", SMALL))
    code, doc = diff_json(run, str(bare), str(full))
    assert code == 1  # bare is indeterminate (density unknown), full is not
    memory = metric_row(doc, "memory_bandwidth_gbs")
    assert memory == {
        "metric": "memory_bandwidth_gbs",
        "a": None,
        "b": 4000,
        "delta": None,
        "delta_pct": None,
    }
    io = metric_row(doc, "io_bandwidth_gbs")  # no [interconnect] table: the I/O is unknown
    assert (io["a"], io["b"], io["delta"], io["delta_pct"]) == (None, 1028, None, None)
    assert metric_row(doc, "performance_density")["delta"] is None
    # unknown values cross nothing: no crossing names density or memory
    for row in doc["editions"]:
        assert {c["metric"] for c in row["crossed"]} <= {"tpp"}
    text = run("diff", str(bare), str(full)).stdout
    memory_line = next(line for line in text.splitlines() if line.startswith("memory GB/s"))
    assert memory_line.split()[2:] == ["?", "4000", "?", "?"]


# --------------------------------------------------------------------------- input errors


def test_missing_file_is_exit_2(run: Run, specs: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    result = run("diff", str(specs / "nvidia/h20.toml"), str(missing))
    assert result.exit_code == 2
    assert str(missing) in result.stderr
    assert result.stdout == ""


def test_invalid_sheet_is_exit_2(run: Run, write_sheet: Write, specs: Path) -> None:
    bad = write_sheet("bad.toml", sheet("bad", '[performance]\nfp8 = "4 furlongs"\n'))
    also = write_sheet("also.toml", "not toml [")
    result = run("diff", str(bad), str(also))
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr and "fp8" in result.stderr
    assert f"{also}:" in result.stderr  # both sheets' problems are named
    assert result.stdout == ""
    assert run("diff", str(specs / "nvidia/h20.toml"), str(bad), "-f", "json").exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ("specs/nvidia/h20.toml",),
        ("specs/nvidia/h20.toml", "specs/nvidia/h800.toml", "specs/nvidia/h100-sxm.toml"),
        ("specs/nvidia/h20.toml", "specs/nvidia/h800.toml", "--catalog", "specs"),
    ],
)
def test_usage_errors(run: Run, specs: Path, args: tuple[str, ...]) -> None:
    root = specs.parent
    fixed = [str(root / a) if a.startswith("specs") else a for a in args]
    result = run("diff", *fixed)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "sheet" in result.stderr


# --------------------------------------------------------------------------- formats


def test_json_shape(run: Run, specs: Path) -> None:
    h100, h20 = str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h20.toml")
    _, doc = diff_json(run, h100, h20)
    assert set(doc) == {"a", "b", "metrics", "editions"}
    assert [row["metric"] for row in doc["metrics"]] == list(METRIC_IDS)
    for row in doc["metrics"]:
        assert set(row) == {"metric", "a", "b", "delta", "delta_pct"}
    for row in doc["editions"]:
        assert set(row) == {"edition", "a", "b", "changed", "crossed"}
        assert row["changed"] == (row["a"] != row["b"])
        for item in row["crossed"]:
            assert set(item) == {
                "clause",
                "metric",
                "op",
                "threshold",
                "a",
                "b",
                "direction",
                "met_a",
                "met_b",
            }
            assert item["met_a"] != item["met_b"]
    # a and b are exactly what classify reports for each sheet
    for side, path in (("a", h100), ("b", h20)):
        classified = json.loads(run("classify", path, "--all-editions", "-f", "json").stdout)
        assert doc[side] == classified["results"][0]
        labels = [v["label"] for v in classified["results"][0]["verdicts"]]
        assert labels == [row[side] for row in doc["editions"]]


def test_markdown(run: Run, specs: Path) -> None:
    result = run(
        "diff",
        str(specs / "nvidia/h100-sxm.toml"),
        str(specs / "nvidia/h20.toml"),
        "--format",
        "markdown",
    )
    assert result.exit_code == 1
    out = result.stdout
    assert "| TPP | 15832 | 2368 | -13464 | -85.043 % |" in out
    assert "|---|---:|---:|---:|---:|" in out
    assert "| `us-2023-10` | **restricted** | exportable | **yes** |" in out
    assert "| `us-2026-01` | **license-required** | **license-required** | no |" in out
    assert "- `us-2022-10`: TPP 15832 → 2368 fell below 4800 (3A090.a.1)" in out
    assert "- `us-2024-12`: the same as under `us-2023-10`" in out


def test_output_file(run: Run, specs: Path, tmp_path: Path) -> None:
    target = tmp_path / "diff.md"
    args = (str(specs / "nvidia/h100-sxm.toml"), str(specs / "nvidia/h800.toml"))
    result = run("diff", *args, "-f", "markdown", "--output", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "| `us-2022-10` | **restricted** | exportable | **yes** |" in target.read_text()


# --------------------------------------------------------------------------- --catalog


def test_catalog_finds_the_parent(run: Run, specs: Path) -> None:
    code, doc = diff_json(run, str(specs / "nvidia/h20.toml"), "--catalog", str(specs))
    assert code == 1
    assert doc["a"]["chip"]["id"] == "nvidia-h100-sxm"
    assert doc["b"]["chip"]["id"] == "nvidia-h20"
    assert metric_row(doc, "tpp")["delta"] == -13464


def test_catalog_without_variant_of(run: Run, specs: Path) -> None:
    result = run("diff", str(specs / "nvidia/h100-sxm.toml"), "--catalog", str(specs))
    assert result.exit_code == 2
    assert "variant_of is not set" in result.stderr
    assert "h100-sxm.toml" in result.stderr


def test_catalog_parent_not_found(run: Run, write_sheet: Write, tmp_path: Path) -> None:
    variant = write_sheet("cat/v.toml", sheet("v", SMALL, variant_of="nobody"))
    write_sheet("cat/other.toml", sheet("other", SMALL))
    result = run("diff", str(variant), "--catalog", str(tmp_path / "cat"))
    assert result.exit_code == 2
    assert "no sheet in" in result.stderr and "'nobody'" in result.stderr
    assert result.stdout == ""


def test_catalog_bad_sheet_hides_the_parent(run: Run, write_sheet: Write, tmp_path: Path) -> None:
    variant = write_sheet("v.toml", sheet("v", SMALL, variant_of="parent"))
    broken = write_sheet("cat/parent.toml", sheet("parent", SMALL + "bogus = 1\n"))
    result = run("diff", str(variant), "--catalog", str(tmp_path / "cat"))
    assert result.exit_code == 2
    assert str(broken) in result.stderr  # the unreadable sheet is named
    assert "may hide it" in result.stderr


def test_catalog_bad_sheet_elsewhere_is_a_warning(
    run: Run, write_sheet: Write, tmp_path: Path
) -> None:
    write_sheet("cat/parent.toml", sheet("parent", SMALL.replace("fp8 = 296", "fp8 = 2000")))
    broken = write_sheet("cat/zz-broken.toml", "format = 1")
    variant = write_sheet("cat/v.toml", sheet("v", SMALL, variant_of="parent"))
    result = run("diff", str(variant), "--catalog", str(tmp_path / "cat"), "-f", "json")
    assert result.exit_code == 1  # found; labels differ (TPP 16000 vs 2368)
    assert "warning" in result.stderr and str(broken) in result.stderr
    doc = json.loads(result.stdout)
    assert (doc["a"]["chip"]["id"], doc["b"]["chip"]["id"]) == ("parent", "v")


def test_catalog_duplicate_parent(run: Run, write_sheet: Write, tmp_path: Path) -> None:
    write_sheet("cat/p1.toml", sheet("parent", SMALL))
    write_sheet("cat/p2.toml", sheet("parent", SMALL))
    variant = write_sheet("v.toml", sheet("v", SMALL, variant_of="parent"))
    result = run("diff", str(variant), "--catalog", str(tmp_path / "cat"))
    assert result.exit_code == 2
    assert "ids must be unique" in result.stderr
    assert "p1.toml" in result.stderr and "p2.toml" in result.stderr


def test_catalog_missing_folder(run: Run, specs: Path, tmp_path: Path) -> None:
    result = run("diff", str(specs / "nvidia/h20.toml"), "--catalog", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


# --------------------------------------------------------------------------- the core


@pytest.mark.parametrize(
    ("op", "a", "b", "direction"),
    [
        (">=", 10, 5, "fell below"),
        (">=", 5, 10, "rose to or above"),
        ("<", 5, 10, "rose to or above"),
        ("<", 10, 5, "fell below"),
        (">", 10, 5, "fell to or below"),
        (">", 5, 10, "rose above"),
        ("<=", 5, 10, "rose above"),
        ("<=", 10, 5, "fell to or below"),
    ],
)
def test_crossing_direction(op: str, a: int, b: int, direction: str) -> None:
    crossing = Crossing("x", "tpp", op, Fraction(7), Fraction(a), Fraction(b), True, False)
    assert crossing.direction == direction


def test_delta_unknown_and_zero() -> None:
    assert Delta("m", None, Fraction(1)).delta is None
    assert Delta("m", Fraction(1), None).delta_pct is None
    assert Delta("m", Fraction(0), Fraction(5)).delta == 5
    assert Delta("m", Fraction(0), Fraction(5)).delta_pct is None
    assert Delta("m", Fraction(4), Fraction(5)).delta_pct == 25


def test_results_under_different_editions_are_refused(specs: Path) -> None:
    spec = load_sheet(specs / "nvidia/h20.toml")
    with pytest.raises(ValueError, match="different editions"):
        compare_results(classify(spec, [by_id("us-2022-10")]), classify(spec, [by_id("latest")]))


def _part(chip_id: str, fp8: int, io: int, memory: int) -> str:
    return sheet(
        chip_id,
        f"[performance]\nfp8 = {fp8}\n\n{DIE}\n[memory]\nbandwidth_gbs = {memory}\n\n"
        f"[interconnect]\nchip_to_chip_gbs = {io}\n",
    )


parts = st.tuples(
    st.integers(1, 4000), st.integers(0, 1500), st.integers(1, 8000)
)  # fp8 TOPS, I/O GB/s, memory GB/s


@settings(max_examples=examples(40), deadline=None)
@given(parts, parts)
def test_swapping_sides_mirrors_the_diff(first: tuple[int, ...], second: tuple[int, ...]) -> None:
    a = parse_sheet(_part("a", *first), "a.toml")
    b = parse_sheet(_part("b", *second), "b.toml")
    editions = all_editions()
    forward, backward = compare(a, b, editions), compare(b, a, editions)
    assert forward.differs == backward.differs
    for there, back in zip(forward.editions, backward.editions, strict=True):
        assert (there.a.label, there.b.label) == (back.b.label, back.a.label)
        assert there.changed == (there.a.label != there.b.label)
        swapped = {(c.clause, c.metric, c.op, c.threshold, c.b, c.a) for c in back.crossed}
        assert {(c.clause, c.metric, c.op, c.threshold, c.a, c.b) for c in there.crossed} == swapped
        for crossing in there.crossed:  # a crossing is a threshold b's value moved across
            low, high = sorted((crossing.a, crossing.b))
            assert low <= crossing.threshold <= high
            assert crossing.met_a != crossing.met_b
    for delta in forward.metrics:
        if delta.a is not None and delta.b is not None:
            assert delta.delta == delta.b - delta.a
