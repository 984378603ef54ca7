"""The rule-file loader refuses malformed editions; every bundled edition loads cleanly."""

from __future__ import annotations

import dataclasses
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
        ('status = "published"', 'status = "published"\ncolour = "red"', "unknown key 'colour'"),
        (
            'evidence = "made up"\nconditions',
            'evidence = "made up"\nseverity = 3\nconditions',
            "(X.a): unknown key 'severity'",
        ),
        (
            "threshold = 4800, text",
            'threshold = 4800, unit = "TOPS", text',
            "condition #1: unknown key 'unit'",
        ),
    ],
    ids=["top-level", "clause", "condition"],
)
def test_unknown_keys_are_refused_at_every_level(old: str, new: str, fragment: str) -> None:
    _refused(_with(old, new), fragment)


def test_duplicate_clause_ids_are_refused() -> None:
    _refused(
        _with('id = "X.b"', 'id = "X.a"').replace('targets = ["X.a"]', 'targets = ["X"]'),
        "duplicate clause id 'X.a'",
    )


@pytest.mark.parametrize("op", ["==", "=>", "=<", "!=", "≥", "ge", "", " >="])
def test_comparisons_other_than_the_four_are_refused(op: str) -> None:
    message = _refused(_with('op = ">="', f'op = "{op}"'), "condition #1")
    assert "comparison" in message or "must not be empty" in message


@pytest.mark.parametrize("op", OPS)
def test_the_four_comparisons_are_accepted(op: str) -> None:
    edition = parse_edition(_with('op = ">="', f'op = "{op}"'), "rules/test.toml")
    assert edition.clauses[0].conditions[0].op == op
    assert edition.clauses[0].conditions[0].strict == (op in ("<", ">"))


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("text = \"A 'total processing performance' of 4800 or more.\"\n", "", "text is required"),
        (
            "text = \"A 'total processing performance' of 4800 or more.\"",
            'text = "  "',
            "text must not be empty",
        ),
        ('citation = "test clause X.a"\n', "", "citation is required"),
        ('citation = "test clause X.a"', 'citation = ""', "citation must not be empty"),
        ('citation = "test clause X.a"', "citation = 7", "citation must be a str"),
    ],
    ids=["no-text", "blank-text", "no-citation", "empty-citation", "citation-not-text"],
)
def test_clauses_need_verbatim_text_and_a_citation(old: str, new: str, fragment: str) -> None:
    _refused(_with(old, new), f"(X.a): {fragment}")


def test_a_condition_whose_words_are_not_in_the_clause_is_refused() -> None:
    _refused(
        _with('text = "of 4800 or more" }', 'text = "of 4900 or more" }'),
        "its text 'of 4900 or more' is not found in the clause's text",
    )


def test_condition_words_match_whatever_the_case_and_spacing() -> None:
    text = _with('text = "of 4800 or more" }', 'text = "OF  4800\\n or MORE" }')
    assert parse_edition(text, "rules/test.toml").clauses[0].conditions[0].text


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("threshold = 4800", "threshold = 0", "threshold must be above zero"),
        ("threshold = 4800", "threshold = -4800", "threshold must be above zero"),
        ("threshold = 4800", "threshold = nan", "threshold must be finite"),
        ("threshold = 4800", "threshold = inf", "threshold must be finite"),
        ("threshold = 4800", 'threshold = "4800"', "threshold must be a number"),
        ("threshold = 4800", "threshold = true", "threshold must be a number"),
        ('metric = "tpp"', 'metric = "teraflops"', "unknown metric 'teraflops'"),
        ('metric = "tpp"', 'metric = "applicable_die_area_mm2"', "unknown metric"),
        ('role = "control"', 'role = "advice"', "role must be one of"),
        ('label = "restricted"', 'label = "exportable"', "a control cannot produce"),
        ('label = "restricted"', 'label = "banned"', "a control needs a label"),
        ('targets = ["X.a"]', 'targets = ["Y"]', "targets unknown 'Y'"),
        ('targets = ["X.a"]\n', "", "must name its targets"),
        ("effective = 2030-01-01", 'effective = "2030-01-01"', "effective must be a TOML date"),
        ("effective = 2030-01-01\n", "", "effective is required"),
        ('format = "chipclass-edition/1"', 'format = "chipclass-edition/2"', "format must be"),
        ('status = "published"', 'status = "rumoured"', "status must be one of"),
    ],
)
def test_other_malformed_editions_are_refused(old: str, new: str, fragment: str) -> None:
    _refused(_with(old, new), fragment)


def test_an_edition_without_clauses_is_refused() -> None:
    head = EDITION[: EDITION.index("[[clause]]")]
    _refused(head, "at least one [[clause]]")


@pytest.mark.parametrize(
    "text",
    [
        "this is not toml",
        "a = " + "[" * 5000 + "]" * 5000,
        "a = " + "9" * 5000,
    ],
    ids=["not-toml", "nested-5000-deep", "5000-digit-integer"],
)
def test_unreadable_rule_files_are_an_edition_error(text: str) -> None:
    _refused(text, "TOML")


def test_two_editions_with_the_same_effective_date_are_refused() -> None:
    first = parse_edition(EDITION, "rules/a.toml")
    second = dataclasses.replace(first, id="test-edition-2")
    with pytest.raises(EditionError, match="share the effective date 2030-01-01"):
        check_registry([first, second])


def test_two_editions_with_the_same_id_are_refused() -> None:
    first = parse_edition(EDITION, "rules/a.toml")
    later = dataclasses.replace(first, effective=dt.date(2031, 1, 1))
    with pytest.raises(EditionError, match="share the id 'test-edition'"):
        check_registry([first, later])


def test_the_registry_orders_editions_by_date() -> None:
    base = parse_edition(EDITION, "rules/a.toml")
    late = dataclasses.replace(base, id="late", effective=dt.date(2032, 1, 1))
    early = dataclasses.replace(base, id="early", effective=dt.date(2020, 1, 1))
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
