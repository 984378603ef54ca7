"""Destinations: lookups by code, name and alias; the EAR Country Groups; the data checks."""

from __future__ import annotations

import re

import pytest

from chipclass import destinations
from chipclass.destinations import (
    COUNTRIES_FILE,
    GROUPS_FILE,
    DestinationDataError,
    countries,
    default,
    group,
    group_members,
    group_names,
    in_groups,
    parse,
    resolve,
)

# --- resolve -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CN", "CN"),
        ("cn", "CN"),
        (" cn ", "CN"),
        ("China", "CN"),
        ("PRC", "CN"),
        ("China (PRC)", "CN"),
        ("People's Republic of China", "CN"),
        ("mainland china", "CN"),
        ("Macau", "MO"),
        ("Macao", "MO"),
        ("Macau SAR", "MO"),
        ("Hong Kong", "HK"),
        ("Saudi Arabia", "SA"),
        ("Germany", "DE"),
        ("DE", "DE"),
        ("de", "DE"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("turkiye", "TR"),
        ("TÜRKIYE", "TR"),
        ("UAE", "AE"),
        ("U.A.E.", "AE"),
        ("United Arab Emirates", "AE"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("South Korea", "KR"),
        ("Korea, South", "KR"),
        ("Korea (South)", "KR"),
        ("Republic of Korea", "KR"),
        ("North Korea", "KP"),
        ("Korea, North", "KP"),
        ("DPRK", "KP"),
        ("Burma", "MM"),
        ("Myanmar", "MM"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Congo (Democratic Republic of)", "CD"),
        ("DRC", "CD"),
        ("South Sudan, Republic of", "SS"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Taiwan", "TW"),
        ("Laos", "LA"),
        ("Iran", "IR"),
        ("Syria", "SY"),
        ("Moldova", "MD"),
        ("Vatican City", "VA"),
        ("Cote d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("  cote   D'IVOIRE ", "CI"),
        ("St. Lucia", "LC"),
        ("Saint Lucia", "LC"),
    ],
)
def test_resolve_finds_code_name_and_alias(text: str, code: str) -> None:
    assert resolve(text).code == code


def test_resolve_gives_the_name_and_no_treatment_for_an_ordinary_destination() -> None:
    china = resolve("prc")
    assert (china.code, china.name, china.treated_as, china.note) == (
        "CN",
        "China (PRC)",
        None,
        None,
    )
    assert china.label == "China (PRC) (CN)"


def test_every_code_and_every_name_resolves_to_itself() -> None:
    table = countries()
    assert len(table) == 249
    for code, name in table.items():
        assert resolve(code).code == code
        assert resolve(code.lower()).code == code
        assert resolve(name).code == code
        assert resolve(name.upper()).code == code


def test_default_is_china() -> None:
    assert destinations.DEFAULT_CODE == "CN"
    assert default() == resolve("CN")


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("Germny", "Germany (DE)"),
        ("Chna", "China (PRC) (CN)"),
        ("Korea", "South Korea (KR)"),
        ("Korea", "North Korea (KP)"),
        ("Congo", "Congo (Democratic Republic of) (CD)"),
        ("Congo", "Congo (Republic of) (CG)"),
    ],
)
def test_unknown_destination_suggests_close_names(text: str, suggested: str) -> None:
    with pytest.raises(LookupError) as caught:
        resolve(text)
    message = str(caught.value)
    assert repr(text) in message
    assert "did you mean" in message
    assert suggested in message


def test_unknown_destination_offers_at_most_three_suggestions() -> None:
    with pytest.raises(LookupError) as caught:
        resolve("Virgin Islands")
    suggestions = re.findall(r"\(([A-Z]{2})\)", str(caught.value))
    assert 1 <= len(suggestions) <= 3
    assert {"VG", "VI"} <= set(suggestions)


@pytest.mark.parametrize("text", ["", "   ", "XX", "中国", "Atlantis-on-Sea"])
def test_input_naming_nothing_is_a_lookup_error_with_a_hint(text: str) -> None:
    with pytest.raises(LookupError, match=r"ISO 3166-1 alpha-2 code|did you mean"):
        resolve(text)


# --- groups --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "count"),
    [("A:5", 38), ("A:6", 8), ("D:1", 24), ("D:4", 21), ("D:5", 22), ("tier1", 19)],
)
def test_group_sizes_match_the_cited_issue(name: str, count: int) -> None:
    assert len(group_members(name)) == count


def test_group_names_are_the_five_ear_groups_and_tier1() -> None:
    assert group_names() == ("A:5", "A:6", "D:1", "D:4", "D:5", "tier1")


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("CN", {"D:1", "D:4", "D:5"}),
        ("MO", {"D:1", "D:4"}),
        ("SA", {"D:4"}),
        ("DE", {"A:5", "tier1"}),
        ("IL", {"D:4", "A:6"}),
        ("US", {"tier1"}),
        ("AE", {"A:5"}),
        ("TR", {"A:5"}),
        ("TW", {"A:6", "tier1"}),
        ("IN", {"A:5"}),
        ("CU", {"D:5"}),
        ("BY", {"D:1", "D:4", "D:5"}),
        ("BR", set()),
    ],
)
def test_destination_groups(text: str, groups: set[str]) -> None:
    assert resolve(text).groups == groups


def test_macau_is_not_in_d5() -> None:
    assert "MO" not in group_members("D:5")
    assert "MO" in group_members("D:1") & group_members("D:4")


def test_hong_kong_keeps_its_code_and_name_but_carries_chinas_groups() -> None:
    hk = resolve("Hong Kong")
    assert (hk.code, hk.name, hk.treated_as) == ("HK", "Hong Kong", "CN")
    assert hk.groups == resolve("CN").groups == {"D:1", "D:4", "D:5"}
    assert hk.note is not None and "China" in hk.note
    assert hk.label == "Hong Kong (HK, treated as CN)"
    assert "HK" not in group_members("D:5")  # the EAR lists China, not Hong Kong


def test_group_codes_all_exist_in_countries() -> None:
    known = set(countries())
    for name in group_names():
        assert group_members(name) <= known, name


def test_group_lookup_ignores_case_and_spaces() -> None:
    assert group_members("d:5") == group_members("D:5") == group_members(" D: 5 ")
    assert group_members("TIER1") == group_members("tier1")


def test_unknown_group_is_a_lookup_error_naming_the_known_ones() -> None:
    with pytest.raises(LookupError, match=r"unknown country group 'D:9' \(known: A:5, A:6"):
        group_members("D:9")


def test_groups_carry_their_citation() -> None:
    d5 = group("D:5")
    assert d5.citation == "15 CFR 740 Supp. 1"
    assert d5.url.startswith("https://www.ecfr.gov/")
    assert d5.issue is not None and d5.issue.isoformat() == "2026-07-23"
    assert "Macau" in d5.note
    tier1 = group("tier1")
    assert "Supp. 5" in tier1.citation
    assert tier1.issue is None
    assert "2025-05-13" in tier1.note


# --- in_groups -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "groups", "expected"),
    [
        ("MO", ["D:5", "MO"], True),  # "Macau or a destination specified in Country Group D:5"
        ("MO", ["D:5"], False),
        ("CU", ["D:5", "MO"], True),
        ("DE", ["D:5", "MO"], False),
        ("HK", ["CN", "MO"], True),  # Hong Kong is treated as China
        ("HK", ["D:5"], True),
        ("CN", ["HK"], False),  # ...but China is not Hong Kong
        ("SA", ["D:1", "D:4", "D:5"], True),
        ("IL", ["A:5", "A:6"], True),
        ("DE", ["tier1", "cn"], True),
        ("US", ["d:1", "de"], False),
        ("BR", [], False),
    ],
)
def test_in_groups_accepts_group_names_and_codes_together(
    text: str, groups: list[str], expected: bool
) -> None:
    assert in_groups(resolve(text), groups) is expected


def test_in_groups_takes_a_single_name_as_one_entry() -> None:
    assert in_groups(resolve("CN"), "D:5") is True
    assert in_groups(resolve("MO"), "D:5") is False


def test_in_groups_refuses_an_unknown_entry_even_after_a_match() -> None:
    with pytest.raises(LookupError, match=r"'D:9' is neither a country group"):
        in_groups(resolve("CN"), ["CN", "D:9"])


def test_3a090b_reach_d_groups_but_not_a5_or_a6() -> None:
    """The 3A090.b license row: D:1, D:4 and D:5, excluding A:5 and A:6 (and the UAE)."""

    def caught(code: str) -> bool:
        dest = resolve(code)
        return in_groups(dest, ["D:1", "D:4", "D:5", "AE"]) and not in_groups(dest, ["A:5", "A:6"])

    assert [c for c in ("CN", "MO", "SA", "IL", "AE", "DE", "HK") if caught(c)] == [
        "CN",
        "MO",
        "SA",
        "HK",
    ]


# --- the data files ------------------------------------------------------------------------

COUNTRIES = """\
format = "chipclass-countries/1"
[countries]
CN = "China (PRC)"
MO = "Macau"
HK = "Hong Kong"
[aliases]
"prc" = "CN"
"""

GROUPS = """\
format = "chipclass-country-groups/1"
[source]
title = "Supplement No. 1 to Part 740"
citation = "15 CFR 740 Supp. 1"
url = "https://www.ecfr.gov/"
issue = 2026-07-23
[groups."D:5"]
title = "Country Group D:5"
members = ["CN"]
note = "Macau is not in D:5."
[treated_as.HK]
code = "CN"
note = "Hong Kong is treated as China."
"""


def test_the_minimal_data_parses() -> None:
    data = parse(COUNTRIES, GROUPS)
    assert data.names == {"CN": "China (PRC)", "HK": "Hong Kong", "MO": "Macau"}
    assert data.index["prc"] == "CN"
    assert data.groups["D:5"].members == {"CN"}
    assert data.treated_as == {"HK": ("CN", "Hong Kong is treated as China.")}


@pytest.mark.parametrize(
    ("countries_text", "groups_text", "message"),
    [
        (COUNTRIES + "colour = 1\n", GROUPS, r"countries.toml: \[aliases\] 'colour'"),
        ("flag = 1\n" + COUNTRIES, GROUPS, "countries.toml: unknown key 'flag'"),
        (COUNTRIES.replace("[aliases]", "FLAG = 1\n[aliases]"), GROUPS, r"\[countries\] FLAG"),
        (COUNTRIES.replace('"prc" = "CN"', '"prc" = "XX"'), GROUPS, "'XX' is not a code"),
        (COUNTRIES.replace('"prc"', '"PRC"'), GROUPS, "written in lower case"),
        (COUNTRIES + '"macao" = "CN"\n"macao " = "MO"\n', GROUPS, "would also find CN"),
        (COUNTRIES + '"m.o." = "CN"\n', GROUPS, "would also find MO"),
        (COUNTRIES.replace('MO = "Macau"', 'Mo = "Macau"'), GROUPS, "two-letter code"),
        (COUNTRIES.replace("countries/1", "countries/2"), GROUPS, "format must be"),
        (COUNTRIES, GROUPS.replace('members = ["CN"]', 'members = ["CN", "DE"]'), "'DE' is not"),
        (COUNTRIES, GROUPS.replace('members = ["CN"]', 'members = ["CN", "CN"]'), "twice"),
        (COUNTRIES, GROUPS.replace('members = ["CN"]', "members = []"), "non-empty list"),
        (COUNTRIES, GROUPS.replace('note = "Macau', 'remark = "Macau'), "unknown key 'remark'"),
        (COUNTRIES, GROUPS.replace("issue = 2026-07-23", 'issue = "2026"'), "TOML date"),
        (COUNTRIES, GROUPS.replace('[groups."D:5"]', '[groups."cn"]'), "must not be empty or a"),
        (COUNTRIES, GROUPS.replace('code = "CN"', 'code = "HK"'), "not another known code"),
        (COUNTRIES, GROUPS.replace("[treated_as.HK]", "[treated_as.TW]"), "'TW' is not a code"),
        (COUNTRIES, GROUPS + "[extra]\n", "unknown key 'extra'"),
        (COUNTRIES, GROUPS.replace("[source]\n", "[source]\nauthor = 1\n"), "unknown key 'author'"),
        (COUNTRIES, "format = ", "country_groups.toml: not valid TOML"),
    ],
)
def test_bad_data_is_refused_naming_the_file_and_key(
    countries_text: str, groups_text: str, message: str
) -> None:
    with pytest.raises(DestinationDataError, match=message):
        parse(countries_text, groups_text)


def test_a_chain_of_treatments_is_refused() -> None:
    chained = GROUPS + '[treated_as.CN]\ncode = "MO"\nnote = "no"\n'
    with pytest.raises(DestinationDataError, match="CN is itself treated as another"):
        parse(COUNTRIES, chained)


def test_the_shipped_files_parse_and_are_read_with_their_paths() -> None:
    assert COUNTRIES_FILE.name == "countries.toml" and COUNTRIES_FILE.parent.name == "data"
    data = parse(
        COUNTRIES_FILE.read_text(encoding="utf-8"), GROUPS_FILE.read_text(encoding="utf-8")
    )
    assert len(data.names) == 249
    assert set(data.groups) == set(group_names())
