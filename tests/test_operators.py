"""The evaluator's truth table, through synthetic edition files a user could write
(`--rules`): each of the four comparisons exactly at, just below and just above its
threshold; both clause matches (all / any) with a known, a failing and an unknown
condition; the unknown metric named when the label turns on it; and the nearest change
named in the right order. Only the public entry points are used (parse_edition,
parse_sheet, classify), so these tests hold through any rewrite of the engine.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from chipclass.classify import Result, classify
from chipclass.cli import cli
from chipclass.editions import Edition, parse_edition
from chipclass.spec import parse_sheet

E, L, R, IND = "exportable", "license-required", "restricted", "indeterminate"

HEAD = """\
format = "chipclass-edition/1"
id = "test-{name}"
title = "Synthetic edition {name}"
citation = "none"
url = "https://example.org/{name}"
effective = 2030-01-01
status = "published"
destination = "anywhere"
summary = "A synthetic edition for the evaluator's truth table."
evidence = "synthetic"
"""

CLAUSE = """
[[clause]]
id = "{id}"
role = "{role}"
{label}
match = "{match}"
{targets}
text = "{text}"
citation = "none"
url = "https://example.org/clause"
evidence = "synthetic"
text_kind = "paraphrase"
conditions = [
{conditions}
]
"""


def clause(
    clause_id: str,
    conditions: list[tuple[str, str, str]],
    label: str | None = R,
    match: str = "all",
    role: str = "control",
    targets: tuple[str, ...] = (),
) -> str:
    """One [[clause]]: conditions as (metric, op, threshold), each with its own words."""
    words = [f"{metric} {op} {threshold}" for metric, op, threshold in conditions]
    rows = [
        f'  {{ metric = "{metric}", op = "{op}", threshold = {threshold}, text = "{text}" }},'
        for (metric, op, threshold), text in zip(conditions, words, strict=True)
    ]
    return CLAUSE.format(
        id=clause_id,
        role=role,
        label=f'label = "{label}"' if label is not None else "",
        match=match,
        targets=f"targets = {list(targets)!r}".replace("'", '"') if targets else "",
        text="; ".join(words),
        conditions="\n".join(rows),
    )


def edition(name: str, *clauses: str) -> Edition:
    return parse_edition(HEAD.format(name=name) + "".join(clauses), f"test-{name}.toml")


def part(
    tpp: str,
    area: str | None = None,
    memory: str | None = None,
    io: str = "0",
    datacenter: bool = True,
) -> str:
    """A sheet with a declared TPP and, where given, one die's area and the memory."""
    die = f'[[die]]\nname = "d"\narea_mm2 = {area}\n' if area is not None else ""
    mem = f"[memory]\nbandwidth_gbs = {memory}\n" if memory is not None else ""
    return (
        f'format = "chipclass/1"\n[chip]\nid = "part"\nname = "Part"\nvendor = "Test"\n'
        f"datacenter = {str(datacenter).lower()}\n[performance]\ntpp = {tpp}\n"
        f"{die}{mem}[interconnect]\nhost_gbs = {io}\n"
    )


def judge(sheet: str, *editions: Edition) -> Result:
    return classify(parse_sheet(sheet, "part.toml"), editions)


def label(sheet: str, rules: Edition) -> str:
    return judge(sheet, rules).verdicts[0].label


# --------------------------------------------------------------------------- the four ops

# op -> is a TPP of (999.999, 1000, 1000.001) caught by "tpp <op> 1000"?
TRUTH = {
    ">=": (False, True, True),
    ">": (False, False, True),
    "<": (True, False, False),
    "<=": (True, True, False),
}
VALUES = ("999.999", "1000", "1000.001")


@pytest.mark.parametrize("op", sorted(TRUTH))
@pytest.mark.parametrize("position", [0, 1, 2], ids=["just-below", "at", "just-above"])
def test_each_comparison_at_and_either_side_of_its_threshold(op: str, position: int) -> None:
    rules = edition("op", clause("C", [("tpp", op, "1000")]))
    result = judge(part(VALUES[position]), rules)
    verdict = result.verdicts[0]
    caught = TRUTH[op][position]
    assert verdict.label == (R if caught else E)
    assert verdict.decision.clauses == (("C",) if caught else ())
    (row,) = verdict.rows
    assert row.met is caught
    assert row.margin == Fraction(VALUES[position]) - 1000


@pytest.mark.parametrize("op", sorted(TRUTH))
def test_each_comparison_on_a_fractional_threshold_is_exact(op: str) -> None:
    # density 5.92 exactly: TPP 5920 over 1000 mm^2; a hair either side by the area
    rules = edition("density", clause("C", [("performance_density", op, "5.92")]))
    areas = ("1000.0001", "1000", "999.9999")  # density just below, at, just above 5.92
    for position, area in enumerate(areas):
        expected = R if TRUTH[op][position] else E
        assert label(part("5920", area=area, memory="1"), rules) == expected, (op, area)


@pytest.mark.parametrize("op", sorted(TRUTH))
def test_each_comparison_on_memory_plus_io(op: str) -> None:
    rules = edition("sum", clause("C", [("memory_plus_io_gbs", op, "5000")]))
    for position, memory in enumerate(("3999.999", "4000", "4000.001")):
        expected = R if TRUTH[op][position] else E
        assert label(part("1", memory=memory, io="1000"), rules) == expected, (op, memory)


# --------------------------------------------------------------------------- all / any

BOTH = [("tpp", ">=", "1000"), ("performance_density", ">=", "5")]


@pytest.mark.parametrize(
    ("match", "tpp", "area", "expected"),
    [
        # all: both met; one failing; the failing one known while the other is unknown
        ("all", "1000", "100", R),  # density 10
        ("all", "999", "100", E),
        ("all", "1000", "1000", E),  # density 1
        ("all", "999", None, E),  # False and unknown is False: not indeterminate
        ("all", "1000", None, IND),  # True and unknown is unknown
        # any: one met is enough, even with the other unknown; every one failing is not met
        ("any", "1000", "1000", R),
        ("any", "999", "100", R),
        ("any", "999", "1000", E),
        ("any", "1000", None, R),  # True or unknown is True
        ("any", "999", None, IND),  # False or unknown is unknown
    ],
)
def test_all_and_any_with_known_failing_and_unknown_conditions(
    match: str, tpp: str, area: str | None, expected: str
) -> None:
    rules = edition("match", clause("C", BOTH, match=match))
    decision = judge(part(tpp, area=area, memory="1"), rules).verdicts[0].decision
    assert decision.label == expected
    if expected == IND:
        assert decision.possible == (E, R)
        assert decision.unknown == ("performance_density",)
    else:
        assert (decision.possible, decision.unknown) == ((), ())


def test_any_with_every_condition_failing_is_shown_as_not_met_not_unknown(
    tmp_path: Path,
) -> None:
    rules = edition("any", clause("C", BOTH, match="any"))
    assert label(part("999", area="1000", memory="1"), rules) == E  # 999 < 1000, 0.999 < 5
    # shown by --explain: the one "any" clause of the bundled us-2026-01 (memory 1400 or
    # more, IND/O 1100 or more, or both together 1700 or more), with every condition failing
    sheet = tmp_path / "part.toml"
    # made by NVIDIA: the 2025 letters bind their addressees only
    text = part("100", area="100", memory="1000", io="100").replace("Test", "NVIDIA", 1)
    sheet.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["classify", str(sheet), "--edition", "us-2026-01", "--explain"]
    )
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines() if "any of the above" in line]
    assert lines == ["→ any of the above: no"]


# --------------------------------------------------------------------------- unknowns


@pytest.mark.parametrize(
    ("conditions", "match", "deciding"),
    [
        ([("performance_density", ">=", "5")], "all", ("performance_density",)),
        ([("memory_bandwidth_gbs", ">=", "1000")], "all", ("memory_bandwidth_gbs",)),
        ([("memory_plus_io_gbs", ">=", "1000")], "all", ("memory_bandwidth_gbs",)),
        (
            [("performance_density", ">=", "5"), ("memory_bandwidth_gbs", ">=", "1000")],
            "any",
            ("performance_density", "memory_bandwidth_gbs"),
        ),
        (
            [("performance_density", ">=", "5"), ("memory_bandwidth_gbs", ">=", "1000")],
            "all",
            ("performance_density", "memory_bandwidth_gbs"),
        ),
    ],
)
def test_with_density_and_memory_unknown_the_metric_that_decides_is_named(
    conditions: list[tuple[str, str, str]], match: str, deciding: tuple[str, ...]
) -> None:
    rules = edition("unknown", clause("C", conditions, match=match))
    decision = judge(part("1000"), rules).verdicts[0].decision  # no die, no memory
    assert decision.label == IND
    assert decision.possible == (E, R)
    assert decision.unknown == deciding


def test_an_unknown_metric_no_clause_reads_leaves_the_label_known() -> None:
    rules = edition("tpp-only", clause("C", [("tpp", ">=", "1000")]))
    decision = judge(part("1000"), rules).verdicts[0].decision
    assert (decision.label, decision.unknown, decision.possible) == (R, (), ())


def test_an_unknown_memory_is_no_question_when_io_alone_passes_memory_plus_io() -> None:
    rules = edition("io", clause("C", [("memory_plus_io_gbs", ">=", "1400")]))
    assert label(part("1", io="1500"), rules) == R  # any memory at all adds to 1500
    assert label(part("1", io="1400"), rules) == R
    decision = judge(part("1", io="500"), rules).verdicts[0].decision
    assert (decision.label, decision.unknown) == (IND, ("memory_bandwidth_gbs",))


def test_an_unknown_density_under_a_strict_upper_bound_is_indeterminate() -> None:
    rules = edition("band", clause("C", [("performance_density", "<", "5")], label=L))
    decision = judge(part("1000", memory="1"), rules).verdicts[0].decision
    assert (decision.label, decision.possible, decision.unknown) == (
        IND,
        (E, L),
        ("performance_density",),
    )


# --------------------------------------------------------------------------- roles, scope


def test_the_most_severe_control_decides_and_names_only_its_clauses() -> None:
    rules = edition(
        "severity",
        clause("low", [("tpp", ">=", "100")], label=L),
        clause("high", [("tpp", ">=", "1000")], label=R),
        clause("high-too", [("tpp", ">", "999")], label=R),
    )
    decision = judge(part("1000"), rules).verdicts[0].decision
    assert (decision.label, decision.clauses) == (R, ("high", "high-too"))
    assert judge(part("999"), rules).verdicts[0].decision.clauses == ("low",)


def test_an_exclusion_lifts_the_control_it_targets_and_a_relief_lowers_it() -> None:
    control = clause("X.1", [("tpp", ">=", "1000")], label=R)
    exclusion = clause("Ex", [("tpp", "<", "2000")], label=None, role="exclusion", targets=("X",))
    relief = clause("Rel", [("tpp", ">=", "1500")], label=L, role="relief", targets=("X",))
    rules = edition("roles", control, exclusion, relief)
    assert judge(part("1000"), rules).verdicts[0].decision.clauses == ("Ex",)
    assert label(part("1000"), rules) == E  # excluded below 2000
    assert label(part("2000"), rules) == L  # not excluded; relieved at 1500 or more
    assert judge(part("2000"), rules).verdicts[0].decision.clauses == ("X.1", "Rel")
    assert label(part("999"), rules) == E


def test_a_datacenter_clause_does_not_reach_a_part_not_for_datacenters() -> None:
    text = clause("C", [("tpp", ">=", "1000")]).replace(
        'match = "all"', 'match = "all"\nscope = "datacenter"'
    )
    rules = edition("scope", text)
    assert label(part("1000"), rules) == R
    assert label(part("1000", datacenter=False), rules) == E


# --------------------------------------------------------------------------- nearest


def test_the_nearest_change_is_the_nearer_of_two_either_side_of_one_and_a_half() -> None:
    # license-required from TPP 500 up to (not including) 1700; restricted from 1200 up to
    # 1700; nothing from 1700 on. A part at 1000: raising its throughput by x1.2 makes it
    # restricted (stricter), by x1.7 exportable (laxer); lowering it to x0.5 keeps it
    # license-required at 500 and makes it exportable just below (strict).
    rules = edition(
        "bands",
        clause("band.L", [("tpp", ">=", "500"), ("tpp", "<", "1700")], label=L),
        clause("band.R", [("tpp", ">=", "1200"), ("tpp", "<", "1700")], label=R),
    )
    verdict = judge(part("1000"), rules).verdicts[0]
    assert verdict.label == L
    stricter, laxer = verdict.nearest_stricter, verdict.nearest_laxer
    assert stricter is not None and laxer is not None
    assert (stricter.knob, stricter.factor, stricter.label, stricter.strict) == (
        "throughput",
        Fraction(6, 5),
        R,
        False,
    )
    assert (stricter.clause, stricter.threshold, stricter.knob_value) == ("band.R", 1200, 1200)
    # the laxer change downward (x0.5, 0.5 away) is nearer than upward (x1.7, 0.7 away)
    assert (laxer.knob, laxer.factor, laxer.label, laxer.strict) == (
        "throughput",
        Fraction(1, 2),
        E,
        True,
    )
    assert (laxer.clause, laxer.metric, laxer.threshold) == ("band.L", "tpp", 500)


def test_of_two_laxer_changes_either_side_of_one_and_a_half_the_nearer_is_reported() -> None:
    # the same bands, with the lower edge at 200 (x0.2, 0.8 away): now the upward change
    # at x1.7 (0.7 away) is the nearer laxer one
    rules = edition(
        "bands-2",
        clause("band.L", [("tpp", ">=", "200"), ("tpp", "<", "1700")], label=L),
        clause("band.R", [("tpp", ">=", "1200"), ("tpp", "<", "1700")], label=R),
    )
    laxer = judge(part("1000"), rules).verdicts[0].nearest_laxer
    assert laxer is not None
    assert (laxer.factor, laxer.label, laxer.strict, laxer.knob_value) == (
        Fraction(17, 10),
        E,
        False,
        1700,
    )
