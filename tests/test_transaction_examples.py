"""The examples in examples/transactions/ give the determinations their README states."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from transactions_helpers import EXAMPLES, ROOT

README = EXAMPLES / "README.md"


def rows() -> list[tuple[str, list[str], str, int, set[str], set[str]]]:
    found = []
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[0].endswith(".toml"):
            continue
        name, options, label, code, kinds, flags = cells
        found.append(
            (
                name,
                shlex.split(options.strip("`")),
                label,
                int(code),
                {k.strip() for k in kinds.split(",") if k.strip()},
                {f.strip() for f in flags.split(",") if f.strip()},
            )
        )
    return found


def test_the_readme_lists_every_example() -> None:
    listed = {r[0] for r in rows()}
    assert listed == {p.name for p in EXAMPLES.glob("*.toml")}
    assert len(rows()) == 8


@pytest.mark.parametrize(("name", "options", "label", "code", "kinds", "flags"), rows())
def test_example_determination(
    run: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    options: list[str],
    label: str,
    code: int,
    kinds: set[str],
    flags: set[str],
) -> None:
    monkeypatch.chdir(ROOT)  # the options name paths from the repository's root
    result = run("transaction", str(Path("examples/transactions") / name), *options, "-f", "json")
    assert result.exit_code == code, result.stderr
    data = json.loads(result.stdout)["determination"]
    assert data["label"] == label
    assert {r["kind"] for r in data["reasons"]} == kinds
    assert flags <= {f["kind"] for f in data["red_flags"]}
    for reason in data["reasons"]:
        assert reason["rule"] and reason["citation"] and reason["text"]


def test_brisbane_text_from_a_fresh_checkout(run: Callable[..., Result]) -> None:
    result = run("transaction", str(EXAMPLES / "brisbane.toml"), "--explain")
    assert result.exit_code == 0
    out = result.stdout
    assert "Determination: exportable" in out
    assert "4A090.a" in out and "2400 chips" in out
    assert "iaas-kyc-proposed since 2024-01-29" in out
    assert "FP64 160.8 PF" in out  # 2400 x 67 TFLOPS
    assert "compared: 3A090.a.1: tpp: 15832 >= 4800: met" in out
