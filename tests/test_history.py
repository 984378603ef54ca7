"""`chipclass history`: a part's label in every edition, and the clauses that changed it."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from click.testing import Result
from known import EDITIONS, pinned_editions

from chipclass.editions import all_editions, by_id
from chipclass.evaluate import decide
from chipclass.files import load_sheet
from chipclass.history import ENTERED, LEFT, UNDECIDED, Step, causes, history, revision
from chipclass.metrics import compute

E, L, R = "exportable", "license-required", "restricted"


def _history(specs: Path, sheet: str) -> tuple[Step, ...]:
    return history(compute(load_sheet(specs / sheet)), pinned_editions())


def _because(step: Step) -> list[str]:
    return [c.clause for c in step.because]


def test_steps_are_every_edition_oldest_first(specs: Path) -> None:
    steps = _history(specs, "nvidia/h20.toml")
    assert tuple(s.edition.id for s in steps) == EDITIONS
    dates = [s.edition.effective for s in steps]
    assert dates == sorted(dates)
    # any order in, oldest first out
    shuffled = [by_id("us-2025-04"), by_id("us-2022-10"), by_id("us-2023-10")]
    metrics = compute(load_sheet(specs / "nvidia/h20.toml"))
    assert [s.edition.id for s in history(metrics, shuffled)] == [
        "us-2022-10",
        "us-2023-10",
        "us-2025-04",
    ]


def test_a800(specs: Path) -> None:
    steps = _history(specs, "nvidia/a800.toml")
    # never sold in the U.S. (us_available = false): the 2026 relief does not reach it
    assert [s.label for s in steps] == [E, R, R, R, R, R]
    assert [s.changed for s in steps] == [False, True, False, False, False, False]
    # 2022: I/O 400 + 64 = 464 GB/s, under the 600 GB/s prong; 2023: the prong is gone
    a1 = next(c for c in steps[1].because if c.clause == "3A090.a.1")
    assert a1.change == ENTERED
    assert [(k.metric, k.op, k.threshold) for k in a1.revision.dropped] == [
        ("io_bandwidth_gbs", ">=", 600)
    ]
    assert a1.revision.added == () and not a1.revision.new
    assert all(s.because == () for s in steps if not s.changed)


def test_a100_gets_the_2026_relief(specs: Path) -> None:
    steps = _history(specs, "nvidia/a100-sxm.toml")
    assert [s.label for s in steps] == [R, R, R, R, R, L]
    # 2026: case-by-case review (TPP 4992 < 21000, memory 2039 < 6500, on sale in the U.S.
    # since 2020); the letters, already met in 2025 but outranked by 'restricted', are not
    # named as a cause
    assert _because(steps[5]) == ["742.6(b)(10)(iii)(A)(1)"]
    assert steps[5].because[0].revision.new


def test_h20(specs: Path) -> None:
    steps = _history(specs, "nvidia/h20.toml")
    assert [s.label for s in steps] == [E, E, E, E, L, L]
    assert [s.changed for s in steps] == [False, False, False, False, True, False]
    assert _because(steps[4]) == ["2025-04 H20 letters"]
    assert steps[4].because[0].change == ENTERED
    assert steps[4].because[0].revision.new
    assert steps[5].decision.clauses == ("2025-04 H20 letters",)


def test_rtx_4090(specs: Path) -> None:
    metrics = compute(load_sheet(specs / "nvidia/rtx-4090.toml"))
    assert metrics.io_bandwidth_gbs == 64  # PCIe Gen4 x16: under the 2022 prong of 600
    steps = history(metrics, pinned_editions())
    assert [s.label for s in steps] == [E, L, L, L, L, L]
    assert steps[0].decision.clauses == ()
    # 3A090.a.1 (TPP 5284.8 >= 4800) with NAC for a part not designed for datacenters
    assert {"3A090.a.1", "License Exception NAC"} <= set(_because(steps[1]))
    assert "3A090.a.1" in steps[1].decision.clauses
    assert "License Exception NAC" in steps[1].decision.clauses


def test_indeterminate_step_names_the_clauses_on_the_unknown(specs: Path) -> None:
    # TPU v5e: no die area; us-2023-10 brings the density clauses
    steps = _history(specs, "google/tpu-v5e.toml")
    assert [s.label for s in steps[:2]] == [E, "indeterminate"]
    assert steps[1].changed
    assert {c.change for c in steps[1].because} == {UNDECIDED}
    assert {"3A090.a.2", "3A090.b.2"} <= set(_because(steps[1]))


def test_a_clause_that_leaves_is_reported(specs: Path) -> None:
    # run the editions backwards by hand: from us-2023-10 to us-2022-10 the A800 falls out
    metrics = compute(load_sheet(specs / "nvidia/a800.toml"))
    new, old = by_id("us-2022-10"), by_id("us-2023-10")
    found = causes(old, decide(metrics, old), new, decide(metrics, new))
    assert [(c.clause, c.change) for c in found] == [("3A090.a.1", LEFT), ("3A090.a.2", LEFT)]
    assert found[0].revision.added[0].threshold == Fraction(600)
    assert found[1].revision.gone


def test_revision_between_editions() -> None:
    old, new = by_id("us-2023-10"), by_id("us-2024-12")
    assert revision(old, new, "3A090.a.1").same
    assert revision(old, new, "License Exception NAC").gone
    assert revision(old, new, "License Exceptions NAC/ACA").new


def test_every_catalog_chip_history_is_consistent(specs: Path) -> None:
    editions = all_editions()
    for sheet in sorted(specs.rglob("*.toml")):
        metrics = compute(load_sheet(sheet))
        steps = history(metrics)
        assert [s.label for s in steps] == [decide(metrics, e).label for e in editions]
        for before, step in itertools.pairwise(steps):
            assert step.changed == (before.label != step.label)
            assert bool(step.because) == step.changed, (sheet, step.edition.id)


# --------------------------------------------------------------------------- the CLI


def test_cli_text_timeline(run: Callable[..., Result], specs: Path) -> None:
    result = run("history", str(specs / "nvidia/a800.toml"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rows = {line.split()[0]: line for line in lines if line.strip().startswith("us-20")}
    # the A800 (TPP 4992) is caught first by the notice of 2023-10-23 to NVIDIA, then by
    # the rule itself (2023-11-17) with no change of label
    assert "▲ restricted" in rows["us-2023-10-notice"]
    # never sold in the U.S.: the 2026 relief leaves it restricted
    assert "▼" not in rows["us-2026-01"] and "restricted" in rows["us-2026-01"]
    assert "▲" not in rows["us-2023-10"] and "▼" not in rows["us-2023-10"]
    assert "2023-11-17" in rows["us-2023-10"]
    assert "reported" in rows["us-2025-04"] and "letters" in rows["us-2023-10-notice"]
    out = result.stdout
    assert "us-2023-10-notice: exportable → restricted because 2023-10-23 notice entered" in out
    assert "742.6(b)(10)(iii)(A)(1)" not in out


def test_cli_json(run: Callable[..., Result], specs: Path) -> None:
    result = run("history", str(specs / "nvidia/h20.toml"), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["chip"]["id"] == "nvidia-h20"
    pinned = [e for e in data["editions"] if e["edition"] in EDITIONS]
    assert [e["edition"] for e in pinned] == list(EDITIONS)
    assert [e["label"] for e in pinned] == [E, E, E, E, L, L]
    step = pinned[4]
    assert step == {
        "edition": "us-2025-04",
        "effective": "2025-04-09",
        "status": "reported",
        "label": L,
        "clauses": ["2025-04 H20 letters"],
        "previous": E,
        "changed": True,
        "because": [
            {"clause": "2025-04 H20 letters", "change": "entered", "why": "new in us-2025-04"}
        ],
    }
    assert data["editions"][0]["previous"] is None


def test_cli_same_label_everywhere(run: Callable[..., Result], specs: Path) -> None:
    result = run("history", str(specs / "nvidia/rtx-4090-d.toml"))
    assert result.exit_code == 0
    assert "the label is the same in every edition" in result.stdout


def test_cli_input_errors_exit_2(
    run: Callable[..., Result], specs: Path, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    missing = run("history", str(tmp_path / "nope.toml"))
    assert missing.exit_code == 2 and "nope.toml" in missing.stderr
    assert run("history", str(specs)).exit_code == 2
    bad = write_sheet("bad.toml", performance="fp8 = -1")
    broken = run("history", str(bad))
    assert broken.exit_code == 2 and "bad.toml" in broken.stderr
    assert run("history", str(specs / "nvidia/h20.toml"), "--format", "xml").exit_code == 2
