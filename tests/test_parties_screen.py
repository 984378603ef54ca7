"""Screening against the bundled snapshot: recall on the real entries, no hits on
unrelated companies, dates, red flags, output formats and exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import Result

from chipclass.parties import Query, Screener, load_list
from chipclass.parties.screen import DEFAULT_THRESHOLD, QueryResult

DAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener([load_list(None)])


def screen(screener: Screener, name: str, day: dt.date = DAY) -> QueryResult:
    return screener.screen_one(Query(name), DEFAULT_THRESHOLD, day)


@pytest.mark.parametrize(
    ("query", "entry_id", "matched"),
    [
        ("Dawning Information Industry Co., Ltd.", "el-sugon", "Dawning Information Industry"),
        ("SUGON", "el-sugon", "Sugon"),
        ("Zhongke Shuguang", "el-sugon", "Zhongke Shuguang"),
        ("Shuguang Zhongke", "el-sugon", "Zhongke Shuguang"),  # words reordered
        ("Zhong-ke Shu-guang Company Limited", "el-sugon", "Zhongke Shuguang"),
        (
            "dawning information industry company limited",
            "el-sugon",
            "Dawning Information Industry",
        ),
        (
            "Tianjin Shuguang Computer Industry Co Ltd",
            "el-sugon",
            "Tianjin Shuguang Computer Industry",
        ),
        # the table's alias "Inspur Group" ties the name; the alias is reported
        ("Inspur Group Co Ltd", "el-inspur-group", "Inspur Group"),
        ("INSPUR GROUP COMPANY LIMITED", "el-inspur-group", "Inspur Group"),
        ("Group Inspur", "el-inspur-group", "Inspur Group"),
        ("Haiguang Xinxi Jishu Youxian Gongsi", "el-higon", "Haiguang Xinxi Jishu Youxian Gongsi"),
        ("Higon Information Technology Co., Ltd.", "el-higon", "Higon Information Technology"),
        # a whole alias before CAS ICT's shorter "Institute of Computing Technology", which
        # the query merely contains (both score 100)
        ("Jiangnan Institute of Computing Technology", "el-wuxi-jiangnan-ict", None),
        # entries added from the table copy, by their common spellings
        ("Wingtech Technology Company Limited", "el-wingtech", "Wingtech Technology Co., Ltd."),
        ("WINGTECH TECHNOLOGY CO LTD", "el-wingtech", "Wingtech Technology Co., Ltd."),
        ("HiSilicon Technologies Co Ltd", "el-hisilicon", "HiSilicon Technologies Co., Ltd"),
        ("Hisilicon", "el-hisilicon", "HiSilicon"),
        ("Shanghai HiSilicon Technologies Co., Ltd.", "el-shanghai-hisilicon", None),
        (
            "Inspur (Beijing) Electronic Information Industry Company Limited",
            "el-inspur-beijing",
            "Inspur (Beijing) Electronic Information Industry Co., Ltd.",
        ),
        (
            "Inspur Electronic Information Industry Co Ltd",
            "el-inspur-electronic-information",
            "Inspur Electronic Information Industry Co., Ltd.",
        ),
        ("IEIT Systems Co., Ltd.", "el-inspur-electronic-information", "IEIT Systems Co. Ltd."),
        (
            "Inspur Electronic Information (Hong Kong) Company Limited",
            "el-inspur-electronic-information-hk",
            "Inspur Electronic Information (Hong Kong) Co., Ltd.",
        ),
        ("Inspur (Hong Kong) Electronics Co Ltd", "el-inspur-hk-electronics", None),
        ("Inspur Software Co Ltd", "el-inspur-software", None),
        ("Inspur Taiwan Co., Ltd.", "el-inspur-taiwan", "Inspur Taiwan"),
        ("Beijing Biren Technology Development Co Ltd", "el-beijing-biren", None),
        ("Moore Threads Technology Co., Ltd.", "el-moore-threads", "Moore Threads"),
        ("SiCarrier", "el-sicarrier", "SiCarrier"),
    ],
)
def test_listed_names_and_their_spellings_match(
    screener: Screener, query: str, entry_id: str, matched: str | None
) -> None:
    result = screen(screener, query)
    assert result.matches, query
    best = result.matches[0]
    assert best.entry.id == entry_id
    assert best.score == 100
    if matched is not None:
        assert best.matched_name == matched


def test_dawning_finds_sugon_with_its_citation(screener: Screener) -> None:
    best = screen(screener, "Dawning Information Industry Co., Ltd.").matches[0]
    assert best.entry.name == "Sugon"
    assert best.entry.federal_register[0] == "84 FR 29371, 6/24/19"
    assert best.entry.added == dt.date(2019, 6, 24)


def test_nexperia_is_a_red_flag_of_wingtech_not_a_hit(screener: Screener) -> None:
    # Nexperia B.V. is not listed itself; its parent Wingtech is (89 FR 96830, 2024-12-02)
    for name in ("Nexperia B.V.", "NEXPERIA BV"):
        result = screen(screener, name)
        assert result.matches == (), name
        (flag,) = result.red_flags
        assert flag.entry.id == "el-wingtech"
        assert flag.related.relation == "subsidiary (not listed)"
    # before Wingtech was listed there is nothing to flag
    assert screen(screener, "Nexperia B.V.", dt.date(2024, 12, 1)).red_flags == ()


def test_listings_of_2024_and_2025_start_on_their_dates(screener: Screener) -> None:
    assert screen(screener, "Wingtech Technology", dt.date(2024, 12, 1)).matches == ()
    assert screen(screener, "Wingtech Technology", dt.date(2024, 12, 2)).matches
    assert screen(screener, "Inspur Software Co Ltd", dt.date(2025, 3, 24)).matches == ()
    assert screen(screener, "Inspur Software Co Ltd", dt.date(2025, 3, 25)).matches
    assert screen(screener, "GMC Semitech", dt.date(2025, 9, 11)).matches == ()
    assert screen(screener, "GMC Semitech", dt.date(2025, 9, 12)).matches


def test_a_query_containing_a_listed_name_scores_100(screener: Screener) -> None:
    result = screen(screener, "Sugon Information Industry Beijing Branch")
    assert [(m.entry.id, m.score) for m in result.matches] == [("el-sugon", 100)]
    assert screen(screener, "Inspur Group International").matches[0].entry.id == "el-inspur-group"
    assert screen(screener, "Inspur").matches == ()  # "group" has no counterpart


def test_one_typo_still_matches(screener: Screener) -> None:
    # "Dawnig" drops one letter: Indel distance 1 over 27 + 28 characters, 100 * 54 / 55
    best = screen(screener, "Dawnig Information Industry").matches[0]
    assert best.entry.id == "el-sugon"
    assert best.score == Fraction(100 * 54, 55)


@pytest.mark.parametrize(
    "query",
    [
        "Lenovo",
        "Lenovo Group Limited",
        "Tencent",
        "Tencent Holdings Ltd.",
        "Samsung Electronics",
        "Samsung Electronics Co., Ltd.",
        "NVIDIA Corporation",
    ],
)
def test_unrelated_companies_do_not_match(screener: Screener, query: str) -> None:
    result = screen(screener, query)
    assert result.matches == ()
    assert result.red_flags == ()


def test_before_added_an_entry_does_not_match(screener: Screener) -> None:
    assert screen(screener, "Sugon", dt.date(2019, 6, 24)).matches
    assert screen(screener, "Sugon", dt.date(2019, 6, 23)).matches == ()
    assert screen(screener, "Nettrix Information Industry", dt.date(2025, 3, 24)).matches == ()
    assert screen(screener, "Nettrix Information Industry", dt.date(2025, 3, 25)).matches


def test_a_later_name_is_a_red_flag_not_a_hit(screener: Screener) -> None:
    result = screen(screener, "Aivres Systems, Inc.")
    assert result.matches == ()
    (flag,) = result.red_flags
    assert flag.entry.id == "el-inspur-group"
    assert flag.related.relation == "later name"
    assert flag.related.since == dt.date(2023, 5, 1)
    assert flag.related.source.startswith("https://")
    assert result.hit


def test_country_narrows_to_entries_of_that_country(screener: Screener) -> None:
    threshold = DEFAULT_THRESHOLD
    assert screener.screen_one(Query("Sugon", "CN"), threshold, DAY).matches
    assert screener.screen_one(Query("Sugon", "US"), threshold, DAY).matches == ()
    # a red flag is not narrowed: the renamed unit is in the US, the listed parent in China
    assert screener.screen_one(Query("Aivres Systems Inc", "US"), threshold, DAY).red_flags


def test_threshold_is_exact(screener: Screener) -> None:
    cut = Fraction(100 * 54, 55)
    query = Query("Dawnig Information Industry")
    assert screener.screen_one(query, cut, DAY).matches
    assert screener.screen_one(query, cut + Fraction(1, 10**9), DAY).matches == ()


# --------------------------------------------------------------------------- the CLI

RunCli = Callable[..., Result]


def test_cli_exit_codes(run: RunCli) -> None:
    assert run("screen", "Lenovo", "--as-of", "2026-12-01").exit_code == 0
    hit = run("screen", "Dawning Information Industry Co., Ltd.", "--as-of", "2026-12-01")
    assert hit.exit_code == 1
    assert "Sugon" in hit.stdout and "84 FR 29371" in hit.stdout
    assert run("screen").exit_code == 2
    assert run("screen", "Sugon", "--threshold", "101").exit_code == 2
    assert run("screen", "Sugon", "--as-of", "yesterday").exit_code == 2


def test_cli_red_flag_only_exits_1(run: RunCli) -> None:
    result = run("screen", "Aivres Systems Inc", "--as-of", "2026-12-01")
    assert result.exit_code == 1
    assert "red flag" in result.stdout and "later name" in result.stdout


def test_json_keys_exactly_as_section_9(run: RunCli) -> None:
    result = run("screen", "SUGON", "Lenovo", "-f", "json", "--as-of", "2026-12-01")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["chipclass", "lists", "results", "errors"]
    (listed,) = data["lists"]
    assert list(listed) == ["name", "as_of", "sha256", "entries"]
    assert listed["name"] == "Entity List" and len(listed["sha256"]) == 64
    first, second = data["results"]
    assert list(first) == ["query", "country", "matches", "red_flags"]
    (match,) = first["matches"]
    assert list(match) == [
        "entry_id",
        "name",
        "matched_name",
        "score",
        "list",
        "country",
        "federal_register",
        "license_requirement",
        "license_policy",
        "added",
    ]
    assert match["entry_id"] == "el-sugon" and match["score"] == 100
    assert match["added"] == "2019-06-24"
    assert second["matches"] == [] and data["errors"] == []


def test_sha256_is_of_the_file_bytes(run: RunCli) -> None:
    import hashlib
    from importlib import resources

    data = resources.files("chipclass").joinpath("data/parties/entity-list.toml").read_bytes()
    out = json.loads(run("screen", "x y z", "-f", "json").stdout)
    assert out["lists"][0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_bad_names_are_errors_and_good_ones_still_answered(run: RunCli) -> None:
    result = run("screen", "", "Sugon", "x" * 1001, "-f", "json", "--as-of", "2026-12-01")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [r["query"] for r in data["results"]] == ["Sugon"]
    assert data["results"][0]["matches"][0]["entry_id"] == "el-sugon"
    messages = [e["message"] for e in data["errors"]]
    assert messages[0] == "empty name"
    assert "1,001 characters" in messages[1]
    assert "<argument 1>" in result.stderr and "<argument 3>" in result.stderr


def test_batch_csv(run: RunCli, tmp_path: Path) -> None:
    batch = tmp_path / "parties.csv"
    batch.write_text(
        "name,country\nInspur Group Co Ltd,CN\n,CN\nTencent,CN\nSugon,United States\n"
        "Zhongke Shuguang,Narnia\n" + "y" * 2_000_000 + ",CN\n",
        encoding="utf-8",
    )
    result = run("screen", "--batch", str(batch), "-f", "json", "--as-of", "2026-12-01")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [(r["query"], r["country"]) for r in data["results"]] == [
        ("Inspur Group Co Ltd", "CN"),
        ("Tencent", "CN"),
        ("Sugon", "US"),
    ]
    assert data["results"][0]["matches"][0]["entry_id"] == "el-inspur-group"
    assert data["results"][2]["matches"] == []  # Sugon is listed under CN
    files = [e["file"] for e in data["errors"]]
    assert files == [f"{batch}:3", f"{batch}:6", f"{batch}:7"]


def test_batch_without_a_name_column(run: RunCli, tmp_path: Path) -> None:
    batch = tmp_path / "parties.csv"
    batch.write_text("company\nSugon\n", encoding="utf-8")
    result = run("screen", "--batch", str(batch), "Lenovo", "-f", "json")
    assert result.exit_code == 2
    assert "no 'name' column" in result.stderr
    assert [r["query"] for r in json.loads(result.stdout)["results"]] == ["Lenovo"]


def test_a_list_that_is_not_a_list(run: RunCli, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.csv"
    bogus.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = run("screen", "Sugon", "--list", str(bogus))
    assert result.exit_code == 2
    assert f"{bogus}:1: not a CSL download" in result.stderr
    assert "missing _id" in result.stderr


HOSTILE = "Evil\x1b[31mCorp\x07 <script>alert(1)</script>\nSecond line"


def test_hostile_names_are_escaped_in_text_and_csv(run: RunCli, tmp_path: Path) -> None:
    listed = tmp_path / "hostile.csv"
    from chipclass.parties.csl import CSL_COLUMNS

    with open(listed, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSL_COLUMNS)
        row = dict.fromkeys(CSL_COLUMNS, "")
        row.update({"_id": "h1", "source": '=HYPERLINK("http://x")', "name": HOSTILE})
        writer.writerow([row[c] for c in CSL_COLUMNS])
    text = run("screen", "--list", str(listed), HOSTILE)
    assert text.exit_code == 1
    assert "\x1b" not in text.stdout and "\x07" not in text.stdout
    assert "\\x1b[31m" in text.stdout and "<script>" in text.stdout
    assert "\\nSecond line" in text.stdout
    out = run("screen", "--list", str(listed), HOSTILE, "-f", "csv")
    assert "\x1b" not in out.stdout
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows[0]["name"] == "Evil\\x1b[31mCorp\\x07 <script>alert(1)</script>\\nSecond line"
    assert rows[0]["list"].startswith("'=HYPERLINK")


def test_csv_output_names_the_list(run: RunCli) -> None:
    out = run("screen", "Sugon", "Lenovo", "-f", "csv", "--as-of", "2026-12-01")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["query"], r["result"]) for r in rows] == [("Sugon", "match"), ("Lenovo", "no-match")]
    assert all(len(r["list_sha256"]) == 64 and r["list_as_of"] for r in rows)
    assert rows[0]["federal_register"] == "84 FR 29371, 6/24/19; 87 FR 62186, 10/13/22"
    assert rows[0]["threshold"] == "85"


def test_generic_words_alone_do_not_make_a_match() -> None:
    from chipclass.parties.match import score
    from chipclass.parties.model import Entry, Snapshot
    from chipclass.parties.normalize import normalize

    first, second = (
        ("kov", "miz", "dun", "pir", "sel", "tam"),
        ("alo", "eta", "ube", "ixo", "orn", "usk"),
    )
    brands = [f"{a}{b}".capitalize() for a in first for b in second]  # 36, each 3+ edits apart
    entries = tuple(
        Entry(id=f"e{i}", name=f"{b} Microelectronics International", list="Test")
        for i, b in enumerate(brands)
    )
    screener = Screener([Snapshot("Test", "<test>", "0" * 64, "snapshot", entries)])
    query = Query("Xabo Microelectronics International")
    # "xabo microelectronics international" against "kovalo microelectronics international":
    # Indel distance 6 ("xabo" and "kovalo" share only "ao") over 35 + 37 characters:
    # 100 * 66 / 72 = 91.7, over the threshold; but "kovalo" has no counterpart in the query
    key = normalize(query.name)
    assert score(key, normalize(entries[0].name)) == Fraction(100 * 66, 72)
    assert screener.screen_one(query, Fraction(85), DAY).matches == ()
    near = screener.screen_one(Query("Kovalp Microelectronics Internationl"), Fraction(85), DAY)
    assert [m.entry.id for m in near.matches] == ["e0"]


def test_a_hong_kong_address_is_found_with_country_hk(screener: Screener) -> None:
    """The Entity List files Hong Kong entities under China; a buyer screened with its own
    country (HK) must still be found (the address names Hong Kong)."""
    (snapshot,) = screener.lists
    in_hong_kong = [
        e for e in snapshot.entries if any(a.endswith("Hong Kong.") for a in e.addresses)
    ]
    assert len(in_hong_kong) >= 3
    for entry in in_hong_kong:
        assert entry.country == "CN" and "HK" in entry.countries, entry.id
        found = screener.screen([Query(entry.name, "HK", "<test>")], DEFAULT_THRESHOLD, DAY)
        assert entry.id in {m.entry.id for m in found.results[0].matches}, entry.id
        elsewhere = screener.screen([Query(entry.name, "DE", "<test>")], DEFAULT_THRESHOLD, DAY)
        assert entry.id not in {m.entry.id for m in elsewhere.results[0].matches}
