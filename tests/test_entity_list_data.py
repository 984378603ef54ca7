"""The bundled Entity List snapshot, read as plain TOML (no chipclass loader involved).

Structural facts any reader can check against the file, and a handful of facts checked by
hand against the sources the entries cite (the FR page and date of each rule, Sugon's
aliases, the size of each rule's group in this snapshot).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "chipclass" / "data" / "parties" / "entity-list.toml"
COUNTRIES = ROOT / "chipclass" / "data" / "countries.toml"

TOP_KEYS = {"format", "snapshot", "entry"}
SNAPSHOT_KEYS = {"id", "list", "title", "as_of", "authority", "url", "notes"}
ENTRY_REQUIRED = {
    "id",
    "name",
    "aliases",
    "country",
    "addresses",
    "list",
    "license_requirement",
    "license_policy",
    "federal_register",
    "added",
    "text_kind",
    "sources",
}
ENTRY_OPTIONAL = {"removed", "footnote", "parent", "notes", "related"}
RELATED_REQUIRED = {"name", "relation", "source", "text_kind"}
RELATED_OPTIONAL = {"since", "note"}
TEXT_KINDS = {"verbatim", "quoted", "paraphrase", "press-report"}
RELATIONS = {"former name", "later name", "subsidiary (not listed)", "affiliate (not listed)"}

ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
FR_RE = re.compile(r"^(\d+) FR (\d+)(?:, (\d{1,2})/(\d{1,2})/(\d{2}))?$")
FOOTNOTE_RE = re.compile(r"^FN \d+$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    with DATA.open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def entries(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = doc["entry"]
    assert isinstance(found, list)
    return found


@pytest.fixture(scope="module")
def by_id(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in entries}


def fr_date(citation: str) -> dt.date | None:
    """The publication date a citation carries, e.g. "84 FR 29371, 6/24/19" -> 2019-06-24."""
    m = FR_RE.match(citation)
    assert m is not None, citation
    if m.group(3) is None:
        return None
    return dt.date(2000 + int(m.group(5)), int(m.group(3)), int(m.group(4)))


def first_fr(entry: dict[str, Any]) -> str:
    """The volume and page of the entry's first citation, e.g. "84 FR 29371"."""
    return str(entry["federal_register"][0]).split(",")[0]


# --- the file's shape -----------------------------------------------------------------------


def test_top_level_and_snapshot_keys(doc: dict[str, Any]) -> None:
    assert set(doc) == TOP_KEYS
    assert doc["format"] == "chipclass-parties/1"
    snap = doc["snapshot"]
    assert set(snap) == SNAPSHOT_KEYS
    assert snap["id"] == "chipclass-entity-list-ai"
    assert snap["list"] == "Entity List"
    assert snap["authority"] == "15 CFR 744 Supp. 4"
    assert snap["url"].startswith("https://www.ecfr.gov/")
    # a TOML date, not a string and not a date-time
    assert type(snap["as_of"]) is dt.date


def test_at_least_sixty_entries(entries: list[dict[str, Any]]) -> None:
    assert len(entries) >= 60


def test_every_entry_has_the_required_keys_and_no_others(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        keys = set(e)
        assert keys >= ENTRY_REQUIRED, (e.get("id"), ENTRY_REQUIRED - keys)
        assert keys <= ENTRY_REQUIRED | ENTRY_OPTIONAL, (
            e["id"],
            keys - ENTRY_REQUIRED - ENTRY_OPTIONAL,
        )


def test_field_types(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        for key in ("id", "name", "country", "list", "license_requirement", "license_policy"):
            assert isinstance(e[key], str) and e[key].strip() == e[key] != "", (e["id"], key)
        for key in ("aliases", "addresses", "federal_register", "sources"):
            assert isinstance(e[key], list), (e["id"], key)
            assert all(isinstance(v, str) and v.strip() == v != "" for v in e[key]), (e["id"], key)
        for key in ("footnote", "parent", "notes"):
            if key in e:
                assert isinstance(e[key], str) and e[key].strip() != "", (e["id"], key)


def test_ids_are_unique_and_well_formed(entries: list[dict[str, Any]]) -> None:
    ids = [e["id"] for e in entries]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert dupes == []
    assert all(ID_RE.match(i) for i in ids), [i for i in ids if not ID_RE.match(i)]


def test_dates_are_toml_dates(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert type(e["added"]) is dt.date, e["id"]
        if "removed" in e:
            assert type(e["removed"]) is dt.date, e["id"]
            assert e["removed"] > e["added"], e["id"]
        for r in e.get("related", []):
            if "since" in r:
                assert type(r["since"]) is dt.date, (e["id"], r["name"])


def test_every_source_is_an_https_url(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert e["sources"], e["id"]
        for url in e["sources"]:
            assert url.startswith("https://") and " " not in url, (e["id"], url)
        for r in e.get("related", []):
            assert r["source"].startswith("https://") and " " not in r["source"], e["id"]


#: an entry listed by a rule whose Federal Register page was not retrieved says so in its
#: citation (and is a press report, with notes saying to verify). Inspur Group was the one
#: such entry until its citation was read from the table (88 FR 13675); none is left.
UNVERIFIED = "FR page not retrieved"


def verified(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if not e["federal_register"][0].startswith(UNVERIFIED)]


def test_the_verified_helper_sets_aside_an_unretrieved_citation() -> None:
    press = {"federal_register": [f"{UNVERIFIED} (rule announced 2023-03-02)"]}
    read = {"federal_register": ["88 FR 13675, 3/6/23"]}
    assert verified([press, read]) == [read]


def test_no_citation_is_left_unverified(entries: list[dict[str, Any]]) -> None:
    unverified = [e for e in entries if e not in verified(entries)]
    assert [e["id"] for e in unverified] == []
    for e in unverified:  # an entry added later without its page must say so
        assert e["text_kind"] == "press-report" and "verify" in e["notes"], e["id"]


def test_every_citation_is_volume_fr_page(entries: list[dict[str, Any]]) -> None:
    for e in verified(entries):
        assert e["federal_register"], e["id"]
        for c in e["federal_register"]:
            assert FR_RE.match(c), (e["id"], c)
        assert len(set(e["federal_register"])) == len(e["federal_register"]), e["id"]


def test_citation_dates_are_real_and_near_the_listing(entries: list[dict[str, Any]]) -> None:
    # fr_date builds a real date (a bad month or day raises). The first citation is the rule
    # that listed the entry: its publication lies within a week of the date it took effect
    # (all the rules here took effect 0 to 5 days before publication).
    for e in verified(entries):
        dates = [fr_date(c) for c in e["federal_register"]]
        if dates[0] is not None:
            assert abs((dates[0] - e["added"]).days) <= 7, e["id"]
        later = [d for d in dates[1:] if d is not None]
        assert all(d >= e["added"] for d in later), e["id"]


def test_countries_are_iso_codes_of_the_bundled_table(entries: list[dict[str, Any]]) -> None:
    with COUNTRIES.open("rb") as f:
        codes = set(tomllib.load(f)["countries"])
    assert {e["country"] for e in entries} <= codes


def test_list_text_kind_and_footnote_values(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert e["list"] == "Entity List", e["id"]
        assert e["text_kind"] in TEXT_KINDS, e["id"]
        if "footnote" in e:
            assert FOOTNOTE_RE.match(e["footnote"]), e["id"]


def test_aliases_are_distinct_from_the_name_and_each_other(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        folded = [a.casefold() for a in e["aliases"]]
        assert len(set(folded)) == len(folded), e["id"]
        assert e["name"].casefold() not in folded, e["id"]


def test_no_control_characters_in_names_aliases_or_addresses(
    entries: list[dict[str, Any]],
) -> None:
    # text from a list is data; a name must not carry terminal control codes
    for e in entries:
        for text in [e["name"], *e["aliases"], *e["addresses"]]:
            assert not CONTROL_RE.search(text), (e["id"], text)


def test_parents_exist_and_were_listed_no_later(
    entries: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> None:
    for e in entries:
        if "parent" not in e:
            continue
        parent = by_id.get(e["parent"])
        assert parent is not None, (e["id"], e["parent"])
        assert parent["id"] != e["id"]
        assert parent["added"] <= e["added"], e["id"]
        # no cycles: walking up ends at an entry without a parent
        seen = {e["id"]}
        node = parent
        while "parent" in node:
            assert node["id"] not in seen, e["id"]
            seen.add(node["id"])
            node = by_id[node["parent"]]


def test_related_items(entries: list[dict[str, Any]]) -> None:
    names = {e["name"].casefold() for e in entries} | {
        a.casefold() for e in entries for a in e["aliases"]
    }
    for e in entries:
        for r in e.get("related", []):
            keys = set(r)
            assert RELATED_REQUIRED <= keys <= RELATED_REQUIRED | RELATED_OPTIONAL, e["id"]
            assert r["relation"] in RELATIONS, (e["id"], r["relation"])
            assert r["text_kind"] in TEXT_KINDS, e["id"]
            # a related name is by definition not itself a listed entry of this snapshot
            assert r["name"].casefold() not in names, (e["id"], r["name"])


# --- facts checked by hand against the cited sources ----------------------------------------

# first citation -> (date the listing took effect, entries of that rule in this snapshot)
RULES = {
    "84 FR 22961": (dt.date(2019, 5, 16), 4),  # Huawei and 3 HiSilicon, published 2019-05-21
    "84 FR 29371": (dt.date(2019, 6, 24), 5),  # Sugon, Higon, Haiguang x2, Jiangnan ICT
    "84 FR 43487": (dt.date(2019, 8, 19), 2),  # Shanghai and Shenzhen HiSilicon
    "85 FR 51596": (dt.date(2020, 8, 17), 14),  # Huawei Cloud affiliates, published 2020-08-20
    "85 FR 83416": (dt.date(2020, 12, 18), 11),  # SMIC and ten related companies
    "86 FR 18437": (dt.date(2021, 4, 8), 7),  # supercomputing entities, published 2021-04-09
    "87 FR 77505": (dt.date(2022, 12, 16), 13),  # Cambricon x7, YMTC and YMTC Japan, ...
    "88 FR 13675": (dt.date(2023, 3, 2), 1),  # Inspur Group (the column's page; FR Doc 2023-04558)
    "88 FR 71991": (dt.date(2023, 10, 17), 13),  # Biren x7, Moore Threads x3 and 3 others
    "89 FR 96830": (dt.date(2024, 12, 2), 3),  # Wingtech, SiCarrier, XMC; published 2024-12-05
    "90 FR 4617": (dt.date(2025, 1, 16), 7),  # Zhipu and others
    "90 FR 4621": (dt.date(2025, 1, 16), 1),  # Sophgo
    "90 FR 14046": (dt.date(2025, 3, 25), 12),  # BAAI, Nettrix, Suma, 6 Inspur units, ...
    "90 FR 44499": (dt.date(2025, 9, 12), 3),  # GMC, Jicun, Fudan Micro (the column's page)
}


def test_each_rule_took_effect_on_its_date(entries: list[dict[str, Any]]) -> None:
    for e in verified(entries):
        cite = first_fr(e)
        assert cite in RULES, (e["id"], cite)
        assert e["added"] == RULES[cite][0], e["id"]


def test_entries_per_rule(entries: list[dict[str, Any]]) -> None:
    counts = Counter(first_fr(e) for e in verified(entries))
    assert dict(counts) == {cite: n for cite, (_, n) in RULES.items()}
    assert sum(counts.values()) == len(entries) == 96


def test_sugon(by_id: dict[str, dict[str, Any]]) -> None:
    sugon = by_id["el-sugon"]
    assert sugon["name"] == "Sugon"
    assert "Dawning Information Industry" in sugon["aliases"]
    assert "Zhongke Shuguang" in sugon["aliases"]
    assert len(sugon["aliases"]) == 9  # "including nine aliases" (Thompson Hine; the table)
    # the listing, then footnote 4 applied by the October 2022 rule (column: 87 FR 62202)
    assert sugon["federal_register"] == ["84 FR 29371, 6/24/19", "87 FR 62186, 10/13/22"]
    assert sugon["footnote"] == "FN 4"
    assert len(sugon["addresses"]) == 3
    assert sugon["added"] == dt.date(2019, 6, 24)
    assert sugon["license_policy"] == "Presumption of denial."
    assert by_id["el-higon"]["parent"] == "el-sugon"
    assert by_id["el-chengdu-haiguang-ic"]["aliases"] == [
        "Hygon",
        "Chengdu Haiguang Jincheng Dianlu Sheji",
    ]


def test_huawei_dates_and_footnote(by_id: dict[str, dict[str, Any]]) -> None:
    huawei = by_id["el-huawei"]
    assert huawei["added"] == dt.date(2019, 5, 16)
    # effective 5/16, published 5/21: five days apart
    assert fr_date(huawei["federal_register"][0]) == dt.date(2019, 5, 21)
    assert huawei["footnote"] == "FN 1"
    assert "85 FR 29849, 5/19/20" in huawei["federal_register"]


def test_smic_review_policy_names_ten_nanometres(by_id: dict[str, dict[str, Any]]) -> None:
    smic = by_id["el-smic"]
    assert smic["added"] == dt.date(2020, 12, 18)
    assert fr_date(smic["federal_register"][0]) == dt.date(2020, 12, 22)
    assert "10 nanometers and below" in smic["license_policy"]
    assert "case-by-case" in smic["license_policy"]


def test_zhengzhou_keeps_the_preamble_spelling(by_id: dict[str, dict[str, Any]]) -> None:
    assert by_id["el-nsc-zhengzhou"]["name"] == "National Supercomputer Center Zhengzhou"
    assert by_id["el-nsc-jinan"]["name"] == "National Supercomputing Center Jinan"


def test_cambricon_entries_carry_footnote_4(entries: list[dict[str, Any]]) -> None:
    cambricon = [e for e in entries if "Cambricon" in e["name"]]
    assert len(cambricon) == 7
    assert {e["footnote"] for e in cambricon} == {"FN 4"}


def test_march_2025_rule_took_effect_before_publication(
    entries: list[dict[str, Any]],
) -> None:
    group = [e for e in entries if first_fr(e) == "90 FR 14046"]
    assert {fr_date(e["federal_register"][0]) for e in group} == {dt.date(2025, 3, 28)}
    assert all((dt.date(2025, 3, 28) - e["added"]).days == 3 for e in group)


def test_no_entry_cites_the_human_rights_rule_of_march_2023(
    entries: list[dict[str, Any]],
) -> None:
    # 88 FR 18983 is FR Doc 2023-06663 (eleven entities, Burma/China/Nicaragua/Russia),
    # not the rule that listed Inspur Group; nothing here should cite it.
    assert not any(c.startswith("88 FR 18983") for e in entries for c in e["federal_register"])


def test_biren_and_moore_threads_carry_their_listed_names(
    entries: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> None:
    biren, moore = by_id["el-biren"], by_id["el-moore-threads"]
    assert biren["name"] == "Shanghai Biren Intelligent Technology Co., Ltd."
    assert biren["aliases"] == ["Biren", "Biren Technology", "Shanghai Biren Technology"]
    assert biren["federal_register"] == ["88 FR 71991, 10/19/23", "89 FR 25505, 4/11/24"]
    assert moore["name"] == "Moore Thread Intelligent Technology (Beijing) Co., Ltd."
    assert moore["aliases"] == ["Moore Threads", "Mo'er Xianchen"]
    group = [e for e in entries if first_fr(e) == "88 FR 71991"]
    assert sum("Biren" in e["name"] for e in group) == 7
    assert sum("Moore Thread" in e["name"] for e in group) == 3
    assert {e["footnote"] for e in group} == {"FN 4"}
    assert not any(e["text_kind"] == "paraphrase" for e in entries)


def test_inspur_group_and_its_six_subsidiaries(
    entries: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> None:
    group = by_id["el-inspur-group"]
    assert group["federal_register"] == ["88 FR 13675, 3/6/23"]
    assert "2023-04558" in group["notes"]
    assert group["aliases"] == ["Inspur Group", "IGL"]
    units = [e for e in entries if e.get("parent") == "el-inspur-group"]
    assert {e["name"] for e in units} == {
        "Inspur (Beijing) Electronic Information Industry Co., Ltd.",
        "Inspur Electronic Information Industry Co., Ltd.",
        "Inspur Electronic Information (Hong Kong) Co., Ltd.",
        "Inspur (HK) Electronics Co., Ltd.",
        "Inspur Software Co., Ltd.",
        "Inspur Taiwan",
    }
    # "five of the subsidiaries are based in China and one in Taiwan" (Reuters)
    assert sorted(e["country"] for e in units) == ["CN"] * 5 + ["TW"]
    assert {first_fr(e) for e in units} == {"90 FR 14046"}
    assert {e["added"] for e in units} == {dt.date(2025, 3, 25)}
    assert "IEIT Systems Co. Ltd." in by_id["el-inspur-electronic-information"]["aliases"]
    # the related "subsidiary (not listed)" of 2023 is listed now: no related item names it
    assert [r["relation"] for r in group["related"]] == ["later name"]


def test_wingtech_hisilicon_and_the_2025_09_rule(
    entries: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> None:
    wingtech = by_id["el-wingtech"]
    assert wingtech["name"] == "Wingtech Technology Co., Ltd."
    assert wingtech["federal_register"] == ["89 FR 96830, 12/5/24"]
    assert wingtech["added"] == dt.date(2024, 12, 2)
    (nexperia,) = wingtech["related"]
    assert nexperia["name"] == "Nexperia B.V." and nexperia["relation"] == "subsidiary (not listed)"
    hisilicon = [e for e in entries if "HiSilicon" in e["name"]]
    assert len(hisilicon) == 5
    assert {e["parent"] for e in hisilicon} == {"el-huawei"}
    assert {e["footnote"] for e in hisilicon} == {"FN 1"}
    assert by_id["el-hisilicon"]["aliases"] == ["HiSilicon"]
    assert by_id["el-gmc-semiconductor"]["added"] == dt.date(2025, 9, 12)
    assert fr_date(by_id["el-gmc-semiconductor"]["federal_register"][0]) == dt.date(2025, 9, 16)


def test_every_entry_is_copied_from_the_table_with_its_addresses(
    doc: dict[str, Any], entries: list[dict[str, Any]]
) -> None:
    # every entry was checked against the eCFR table copy of as_of: quoted, with addresses
    assert doc["snapshot"]["as_of"] == dt.date(2026, 7, 9)
    for e in entries:
        assert e["text_kind"] == "quoted", e["id"]
        assert e["addresses"], e["id"]
        assert any(url.startswith("https://www.ecfr.gov/") for url in e["sources"]), e["id"]
        assert e["added"] <= doc["snapshot"]["as_of"], e["id"]
