"""The bundled snapshot format: checked like a rule edition (unknown keys refused, every
problem with file, key and line), and the one date function."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chipclass.parties import PartiesError, in_force, load_list
from chipclass.parties.snapshot import load_bundled, parse_snapshot

GOOD = """\
format = "chipclass-parties/1"

[snapshot]
id = "test"
list = "Entity List"
title = "Test"
as_of = 2025-01-01

[[entry]]
id = "el-one"
name = "One Example Co., Ltd."
country = "CN"
list = "Entity List"
federal_register = ["84 FR 29371, 6/24/19"]
added = 2019-06-24
text_kind = "verbatim"
sources = ["https://www.federalregister.gov/d/2019-13245"]

[[entry.related]]
name = "Two Example Inc."
relation = "later name"
source = "https://example.org/rename"
text_kind = "press-report"
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(PartiesError) as caught:
        parse_snapshot(text.encode(), "test.toml")
    return [str(p) for p in caught.value.problems]


def test_the_good_file_reads() -> None:
    snapshot = parse_snapshot(GOOD.encode(), "test.toml")
    (entry,) = snapshot.entries
    assert entry.names == ("One Example Co., Ltd.",)
    assert entry.related[0].relation == "later name"
    assert snapshot.as_of == dt.date(2025, 1, 1)


def test_the_bundled_snapshot_reads() -> None:
    snapshot = load_bundled()
    assert snapshot.name == "Entity List"
    sugon = snapshot.by_id["el-sugon"]
    assert "Dawning Information Industry" in sugon.aliases
    assert sugon.federal_register == ("84 FR 29371, 6/24/19", "87 FR 62186, 10/13/22")
    assert sugon.footnote == "FN 4" and len(sugon.addresses) == 3
    assert all(e.sources and e.federal_register for e in snapshot.entries)


def test_unknown_keys_are_refused_with_their_line() -> None:
    text = GOOD.replace("added = 2019-06-24", "added = 2019-06-24\nadded_on = 2019-06-24")
    text = text.replace('relation = "later name"', 'relation = "later name"\nwhen = 1')
    found = problems_of(text)
    assert "test.toml:16: entry[0].added_on: unknown key" in found[0]
    assert found[1].startswith("test.toml:23: entry[0].related[0].when: unknown key")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('country = "CN"', 'country = "China"', "test.toml:12: entry[0].country: 'China' is not"),
        (
            "added = 2019-06-24",
            'added = "2019-06-24"',
            "test.toml:15: entry[0].added: must be a TOML date",
        ),
        (
            "added = 2019-06-24",
            "added = 2019-06-24\nremoved = 2019-01-01",
            "entry[0].removed: 2019-01-01 is not after",
        ),
        (
            'federal_register = ["84 FR 29371, 6/24/19"]',
            "federal_register = []",
            "entry[0].federal_register: must list at least one",
        ),
        (
            'sources = ["https://www.federalregister.gov/d/2019-13245"]',
            'sources = ["FR"]',
            "entry[0].sources: 'FR' is not an http(s) URL",
        ),
        (
            'text_kind = "verbatim"',
            'text_kind = "rumour"',
            "entry[0].text_kind: 'rumour' is not one of",
        ),
        (
            'relation = "later name"',
            'relation = "cousin"',
            "entry[0].related[0].relation: 'cousin'",
        ),
        ('id = "el-one"', 'id = "El One"', "entry[0].id: 'El One' is not an id"),
        ('format = "chipclass-parties/1"', 'format = "x"', "test.toml:1: format: must be"),
    ],
)
def test_each_problem_names_file_key_and_line(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    found = problems_of(GOOD.replace(old, new, 1))
    assert any(expected in p for p in found), found


def test_repeated_ids_and_unknown_parents() -> None:
    second = GOOD.split("[[entry.related]]")[0].split("[[entry]]")[1]
    text = GOOD + "\n[[entry]]" + second.replace('name = "One', 'parent = "el-none"\nname = "One')
    found = problems_of(text)
    assert any("entry[1].id: 'el-one' repeats entry[0]" in p for p in found)
    assert any("entry[1].parent: 'el-none' is no entry's id" in p for p in found)


def test_a_snapshot_file_is_read_by_load_list(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_list(path).kind == "snapshot"


def test_in_force_reads_the_dates() -> None:
    added, removed = dt.date(2020, 1, 10), dt.date(2021, 1, 10)
    assert not in_force(added, removed, dt.date(2020, 1, 9))
    assert in_force(added, removed, added)
    assert in_force(added, removed, dt.date(2021, 1, 9))
    assert not in_force(added, removed, removed)
    assert in_force(None, None, dt.date(1900, 1, 1))  # an unknown start does not let a party pass


@given(st.dates(), st.dates(), st.dates())
def test_in_force_is_a_half_open_interval(a: dt.date, b: dt.date, on: dt.date) -> None:
    assert in_force(a, b, on) == (a <= on < b)
