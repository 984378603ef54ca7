# ruff: noqa: E501  (the table of malformed editions holds whole messages, one a line)
"""The rule-file loader refuses malformed editions; every bundled edition loads cleanly."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from importlib import resources

import pytest

from chipclass.editions import (
    OPS,
    EditionError,
    all_editions,
    check_registry,
    parse_edition,
)

EDITION = """\
format = "chipclass-edition/1"
id = "test-edition"
title = "A test edition"
citation = "00 FR 0000"
url = "https://example.com/rule"
effective = 2030-01-01
status = "published"
destination = "Nowhere"
summary = "A test."
evidence = "made up for the test"

[[clause]]
id = "X.a"
role = "control"
label = "restricted"
text = "A 'total processing performance' of 4800 or more."
citation = "test clause X.a"
url = "https://example.com/rule#xa"
text_kind = "paraphrase"
evidence = "made up"
conditions = [
  { metric = "tpp", op = ">=", threshold = 4800, text = "of 4800 or more" },
]

[[clause]]
id = "X.b"
role = "exclusion"
targets = ["X.a"]
text = "X does not apply to parts with a memory bandwidth below 100."
citation = "test clause X.b"
url = "https://example.com/rule#xb"
text_kind = "paraphrase"
evidence = "made up"
conditions = [
  { metric = "memory_bandwidth_gbs", op = "<", threshold = 100, text = "below 100" },
]
"""


def _with(old: str, new: str, count: int = 1) -> str:
    assert old in EDITION, old
    return EDITION.replace(old, new, count)


def _refused(text: str, fragment: str) -> str:
    with pytest.raises(EditionError) as caught:
        parse_edition(text, "rules/test.toml")
    message = str(caught.value)
    assert message.startswith("rules/test.toml"), message
    assert fragment in message, message
    return message


def test_the_template_itself_is_a_valid_edition() -> None:
    edition = parse_edition(EDITION, "rules/test.toml")
    assert edition.id == "test-edition" and edition.effective == dt.date(2030, 1, 1)
    assert [c.id for c in edition.clauses] == ["X.a", "X.b"]
    (condition,) = edition.clauses[0].conditions
    assert (condition.metric, condition.op, condition.threshold) == ("tpp", ">=", 4800)


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            'status = "published"',
            'status = "published"\ncolour = "red"',
            "rules/test.toml:8: colour: unknown key; allowed here: format, id,",
        ),
        (
            'evidence = "made up"\nconditions',
            'evidence = "made up"\nseverity = 3\nconditions',
            "rules/test.toml:21: clause[0].severity: unknown key; allowed here: id, role,",
        ),
        (
            "threshold = 4800, text",
            'threshold = 4800, unit = "TOPS", text',
            "rules/test.toml:22: clause[0].conditions[0].unit: unknown key; allowed here: metric,",
        ),
    ],
    ids=["top-level", "clause", "condition"],
)
def test_unknown_keys_are_refused_at_every_level(old: str, new: str, fragment: str) -> None:
    _refused(_with(old, new), fragment)


def test_duplicate_clause_ids_are_refused() -> None:
    _refused(
        _with('id = "X.b"', 'id = "X.a"').replace('targets = ["X.a"]', 'targets = ["X"]'),
        "rules/test.toml:26: clause[1].id: duplicate clause id 'X.a' (also clause[0])",
    )


@pytest.mark.parametrize("op", ["==", "=>", "=<", "!=", "≥", "ge", "", " >="])
def test_comparisons_other_than_the_four_are_refused(op: str) -> None:
    _refused(
        _with('op = ">="', f'op = "{op}"'),
        f"rules/test.toml:22: clause[0].conditions[0].op: must be one of >=, >, <, <=, not {op!r}",
    )


@pytest.mark.parametrize("op", OPS)
def test_the_four_comparisons_are_accepted(op: str) -> None:
    edition = parse_edition(_with('op = ">="', f'op = "{op}"'), "rules/test.toml")
    assert edition.clauses[0].conditions[0].op == op
    assert edition.clauses[0].conditions[0].strict == (op in ("<", ">"))


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "text = \"A 'total processing performance' of 4800 or more.\"\n",
            "",
            "12: clause[0].text: is required (a string)",  # the clause's line: no text line
        ),
        (
            "text = \"A 'total processing performance' of 4800 or more.\"",
            'text = "  "',
            "16: clause[0].text: must not be empty",
        ),
        ('citation = "test clause X.a"\n', "", "12: clause[0].citation: is required (a string)"),
        (
            'citation = "test clause X.a"',
            'citation = ""',
            "17: clause[0].citation: must not be empty",
        ),
        (
            'citation = "test clause X.a"',
            "citation = 7",
            "17: clause[0].citation: must be a string, not a number (7)",
        ),
    ],
    ids=["no-text", "blank-text", "no-citation", "empty-citation", "citation-not-text"],
)
def test_clauses_need_verbatim_text_and_a_citation(old: str, new: str, fragment: str) -> None:
    _refused(_with(old, new), f"rules/test.toml:{fragment}")


def test_a_condition_whose_words_are_not_in_the_clause_is_refused() -> None:
    _refused(
        _with('text = "of 4800 or more" }', 'text = "of 4900 or more" }'),
        "rules/test.toml:22: clause[0].conditions[0].text: 'of 4900 or more' is not found in"
        " the clause's text",
    )


def test_condition_words_match_whatever_the_case_and_spacing() -> None:
    text = _with('text = "of 4800 or more" }', 'text = "OF  4800\\n or MORE" }')
    assert parse_edition(text, "rules/test.toml").clauses[0].conditions[0].text


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "threshold = 4800",
            "threshold = 0",
            ":22: clause[0].conditions[0].threshold: must be above zero, not 0",
        ),
        ("threshold = 4800", "threshold = -4800", "threshold: must be above zero, not -4800"),
        ("threshold = 4800", "threshold = nan", "threshold: must be finite, not NaN"),
        ("threshold = 4800", "threshold = inf", "threshold: must be finite, not Infinity"),
        (
            "threshold = 4800",
            'threshold = "4800"',
            "threshold: must be a number, not a string ('4800')",
        ),
        (
            "threshold = 4800",
            "threshold = true",
            "threshold: must be a number, not a boolean (true)",
        ),
        (
            'metric = "tpp"',
            'metric = "teraflops"',
            "metric: unknown metric 'teraflops' (known: tpp,",
        ),
        ('metric = "tpp"', 'metric = "applicable_die_area_mm2"', "metric: unknown metric"),
        (
            'role = "control"',
            'role = "advice"',
            ":14: clause[0].role: must be one of control, exclusion, relief, out-of-scope, not 'advice'",
        ),
        (
            'label = "restricted"',
            'label = "exportable"',
            ":15: clause[0].label: a control cannot produce 'exportable'",
        ),
        (
            'label = "restricted"',
            'label = "banned"',
            ":15: clause[0].label: a control needs a label (exportable, license-required, restricted), not 'banned'",
        ),
        (
            'targets = ["X.a"]',
            'targets = ["Y"]',
            ":28: clause[1].targets: names unknown clause 'Y' (no clause id is it or begins 'Y.')",
        ),
        ('targets = ["X.a"]\n', "", ":25: clause[1].targets: an exclusion must name its targets"),
        (
            "effective = 2030-01-01",
            'effective = "2030-01-01"',
            ":6: effective: must be a TOML date such as 2023-11-17, not a string",
        ),
        ("effective = 2030-01-01\n", "", "rules/test.toml: effective: is required (a TOML date"),
        (
            'format = "chipclass-edition/1"',
            'format = "chipclass-edition/2"',
            ":1: format: 'chipclass-edition/2' is not a known format (this chipclass reads \"chipclass-edition/1\")",
        ),
        (
            'status = "published"',
            'status = "rumoured"',
            ":7: status: must be one of published, reported, not-enforced, letters, not 'rumoured'",
        ),
    ],
)
def test_other_malformed_editions_are_refused(old: str, new: str, fragment: str) -> None:
    _refused(_with(old, new), fragment)


def test_an_edition_without_clauses_is_refused() -> None:
    head = EDITION[: EDITION.index("[[clause]]")]
    _refused(head, "rules/test.toml: clause: an edition needs at least one [[clause]]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "this is not toml",
            "rules/test.toml:1: not valid TOML: Expected '=' after a key in a key/value pair"
            " (at line 1, column 6) in 'this is not toml'",
        ),
        (
            "a = " + "[" * 5000 + "]" * 5000,
            "rules/test.toml: not usable TOML: values are nested too deeply",
        ),
        (
            "a = " + "9" * 5000,
            "rules/test.toml:1: a: a number of 5000 digits: far past any figure an edition can"
            " hold",
        ),
    ],
    ids=["not-toml", "nested-5000-deep", "5000-digit-integer"],
)
def test_unreadable_rule_files_are_an_edition_error(text: str, expected: str) -> None:
    with pytest.raises(EditionError) as caught:
        parse_edition(text, "rules/test.toml")
    assert [str(p) for p in caught.value.problems] == [expected]


def test_two_editions_with_the_same_effective_date_are_refused() -> None:
    first = parse_edition(EDITION, "rules/a.toml")
    second = first._replace(id="test-edition-2")
    with pytest.raises(EditionError, match="share the effective date 2030-01-01"):
        check_registry([first, second])


def test_two_editions_with_the_same_id_are_refused() -> None:
    first = parse_edition(EDITION, "rules/a.toml")
    later = first._replace(effective=dt.date(2031, 1, 1))
    with pytest.raises(EditionError, match="share the id 'test-edition'"):
        check_registry([first, later])


def test_the_registry_orders_editions_by_date() -> None:
    base = parse_edition(EDITION, "rules/a.toml")
    late = base._replace(id="late", effective=dt.date(2032, 1, 1))
    early = base._replace(id="early", effective=dt.date(2020, 1, 1))
    assert [e.id for e in check_registry([late, base, early])] == [
        "early",
        "test-edition",
        "late",
    ]


# --------------------------------------------------------------------------- bundled editions


def _bundled() -> list[tuple[str, str]]:
    folder = resources.files("chipclass") / "rules"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def test_every_bundled_edition_loads_and_the_dates_are_unique() -> None:
    files = _bundled()
    assert len(files) >= 5
    parsed = [parse_edition(text, f"rules/{name}") for name, text in files]
    for (name, _), edition in zip(files, parsed, strict=True):
        assert name == f"{edition.id}.toml"
    assert len({e.effective for e in parsed}) == len(parsed)
    assert len({e.id for e in parsed}) == len(parsed)
    registry = check_registry(parsed)
    assert [e.id for e in registry] == [e.id for e in all_editions()]
    assert [e.effective for e in registry] == sorted(e.effective for e in parsed)


def test_every_bundled_clause_is_cited_and_every_condition_quotes_its_clause() -> None:
    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip().lower()

    for edition in all_editions():
        ids = [c.id for c in edition.clauses]
        assert len(ids) == len(set(ids)), edition.id
        for clause in edition.clauses:
            assert clause.text.strip() and clause.citation.strip(), (edition.id, clause.id)
            for condition in clause.conditions:
                assert condition.op in OPS
                assert condition.threshold > 0 and isinstance(condition.threshold, Fraction)
                assert norm(condition.text) in norm(clause.text), (edition.id, clause.id)
