"""Destinations: lookups by code, name and alias; the EAR Country Groups, dated; the data
checks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pytest

from chipclass import destinations
from chipclass.destinations import (
    COUNTRIES_FILE,
    GROUPS_FILE,
    Destination,
    DestinationDataError,
    bundled,
    countries,
    default,
    parse,
    resolve,
)

#: read once for the whole module (the module keeps no state of its own)
DATA = bundled()
#: the eCFR issue the current memberships were read from
ISSUE = dt.date(2026, 7, 23)


def group_members(name: str, on: dt.date = ISSUE) -> frozenset[str]:
    return DATA.group_members(name, on)


def in_groups(dest: Destination, groups: Iterable[str], on: dt.date = ISSUE) -> bool:
    return DATA.in_groups(dest, groups, on=on)


def groups(text: str, on: dt.date = ISSUE) -> frozenset[str]:
    return DATA.groups_on(DATA.resolve(text), on)


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
        assert DATA.resolve(code).code == code
        assert DATA.resolve(code.lower()).code == code
        assert DATA.resolve(name).code == code
        assert DATA.resolve(name.upper()).code == code


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


@pytest.mark.parametrize(
    ("name", "count"),
    # 2023-11-17 (us-2023-10): A:5 without the UAE (37); D:4 with it (22); D:5 with Cyprus
    # and Cambodia and without Nicaragua (22 + 2 - 1 = 23); D:1 without Nicaragua (23)
    [("A:5", 37), ("A:6", 8), ("D:1", 23), ("D:4", 22), ("D:5", 23), ("tier1", 0)],
)
def test_group_sizes_on_the_day_the_2023_rule_took_effect(name: str, count: int) -> None:
    assert len(group_members(name, dt.date(2023, 11, 17))) == count


def test_group_names_are_the_five_ear_groups_the_2022_scope_and_tier1() -> None:
    assert DATA.group_names() == ("A:5", "A:6", "D:1", "D:4", "D:5", "RS-2022", "tier1")


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
    assert DATA.groups_on(DATA.resolve(text), ISSUE) - {"RS-2022"} == groups


def test_macau_is_not_in_d5() -> None:
    assert "MO" not in group_members("D:5")
    assert "MO" in group_members("D:1") & group_members("D:4")


def test_hong_kong_keeps_its_code_and_name_but_carries_chinas_groups() -> None:
    hk = resolve("Hong Kong")
    assert (hk.code, hk.name, hk.treated_as) == ("HK", "Hong Kong", "CN")
    assert groups("HK") == groups("CN") == {"D:1", "D:4", "D:5", "RS-2022"}
    assert hk.note is not None and "China" in hk.note
    assert hk.label == "Hong Kong (HK, treated as CN)"
    assert "HK" not in group_members("D:5")  # the EAR lists China, not Hong Kong


def test_group_codes_all_exist_in_countries() -> None:
    known = set(countries())
    for name in DATA.group_names():
        assert DATA.group(name).codes <= known, name


def test_group_lookup_ignores_case_and_spaces() -> None:
    assert group_members("d:5") == group_members("D:5") == group_members(" D: 5 ")
    assert group_members("TIER1") == group_members("tier1")


def test_unknown_group_is_a_lookup_error_naming_the_known_ones() -> None:
    with pytest.raises(LookupError, match=r"unknown country group 'D:9' \(known: A:5, A:6"):
        group_members("D:9")


def test_every_membership_carries_its_source_with_citation_url_and_text_kind() -> None:
    for name in DATA.group_names():
        for membership in DATA.group(name).memberships:
            source = DATA.sources[membership.source]
            assert source.citation and source.url.startswith("https://"), membership
            assert source.text_kind in destinations.TEXT_KINDS
            if membership.start is None:  # an unsourced start says so, on it or its source
                assert membership.date_note or source.date_note, membership
            if membership.until is not None:
                assert membership.until_source in DATA.sources, membership
    assert "Macau" in DATA.group("D:5").note
    assert "2025-05-13" in DATA.sources["diffusion-2025"].note


# --- dated memberships: each cited in the data ------------------------------------------


def test_the_uae_left_d4_for_a5_on_2026_07_10() -> None:
    """91 FR 43034 (FR Doc 2026-14132), effective 2026-07-10: "BIS is removing the UAE from
    Country Groups D:3 and D:4 and adding the UAE to Country Group A:5". NVIDIA's 8-K of
    2023-10-17 names the UAE among the D:1/D:4/D:5 destinations of the October 2023 rule."""
    assert groups("AE", dt.date(2023, 10, 17)) == {"D:4"}
    assert groups("AE", dt.date(2023, 11, 17)) == {"D:4"}
    assert groups("AE", dt.date(2026, 7, 9)) == {"D:4"}
    assert groups("AE", dt.date(2026, 7, 10)) == {"A:5"}
    ae = DATA.resolve("AE")
    [d4] = [m for m in DATA.group("D:4").memberships if m.code == "AE"]
    assert (d4.until, d4.until_source) == (dt.date(2026, 7, 10), "uae-a5-2026")
    assert "91 FR 43034" in DATA.sources["uae-a5-2026"].citation
    assert in_groups(ae, ["D:1", "D:4"], dt.date(2026, 7, 9))
    assert not in_groups(ae, ["D:1", "D:4"], dt.date(2026, 7, 10))


def test_macau_joined_the_2022_scope_on_2023_01_17_not_the_18th() -> None:
    """88 FR 2821: "This interim final rule is effective as of January 17, 2023" (published
    2023-01-18; tradepractitioner.com)."""
    assert "RS-2022" not in groups("MO", dt.date(2023, 1, 16))
    assert "RS-2022" in groups("MO", dt.date(2023, 1, 17))
    assert "RS-2022" in groups("HK", dt.date(2022, 10, 7))  # Hong Kong as China
    assert "RS-2022" not in groups("CN", dt.date(2022, 10, 6))
    assert DATA.sources["macau-2023"].effective == dt.date(2023, 1, 17)
    assert DATA.sources["macau-2023"].published == dt.date(2023, 1, 18)


def test_nicaragua_cyprus_and_cambodia_in_d5() -> None:
    """89 FR 18780 adds Nicaragua to D:5 (and D:1) from 2024-03-15; 89 FR 40369 reflects that
    Cyprus is no longer D:5 from 2024-05-30; FR Doc 2026-02262 that Cambodia is no longer D:5
    from 2026-02-03 (Cambodia stays in D:1)."""
    assert groups("NI", dt.date(2024, 3, 14)) == set()
    assert groups("NI", dt.date(2024, 3, 15)) == {"D:1", "D:5"}
    assert groups("CY", dt.date(2024, 5, 29)) == {"A:6", "D:5"}
    assert groups("CY", dt.date(2024, 5, 30)) == {"A:6"}
    assert groups("KH", dt.date(2026, 2, 2)) == {"D:1", "D:5"}
    assert groups("KH", dt.date(2026, 2, 3)) == {"D:1"}


def test_tier1_exists_from_the_diffusion_rule_only() -> None:
    assert "tier1" not in groups("DE", dt.date(2025, 1, 12))
    assert groups("DE", dt.date(2025, 1, 13)) == {"A:5", "tier1"}
    assert groups("US", dt.date(2025, 1, 13)) == {"tier1"}


def test_a_less_restrictive_membership_with_an_unread_start_takes_the_latest_date() -> None:
    """A:5 and A:6 before 2018: the 2011 lists were not read, so the memberships begin on
    2018-08-03 (India 'the 37th country'), the latest date the sources allow."""
    assert groups("DE", dt.date(2018, 8, 2)) == set()
    assert groups("IL", dt.date(2018, 8, 3)) == {"A:6", "D:4"}
    assert groups("MX", dt.date(2020, 12, 27)) == set()
    assert groups("MX", dt.date(2020, 12, 28)) == {"A:6"}


def test_a_more_restrictive_membership_with_no_sourced_start_holds_from_the_beginning() -> None:
    assert groups("CN", dt.date(2000, 1, 1)) == {"D:1", "D:4", "D:5"}
    assert groups("SA", dt.date(2022, 8, 26)) == {"D:4"}


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


def test_in_groups_requires_the_day() -> None:
    with pytest.raises(TypeError):
        DATA.in_groups(resolve("CN"), ["D:5"])  # type: ignore[call-arg]


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
format = "chipclass-country-groups/2"
[sources.ecfr]
citation = "15 CFR 740 Supp. 1"
url = "https://www.ecfr.gov/"
text_kind = "verbatim"
[sources.later]
citation = "a later rule"
url = "https://www.federalregister.gov/"
text_kind = "quoted"
[groups."D:5"]
title = "Country Group D:5"
members = [{ code = "CN", from = 2020-01-01, source = "ecfr" }]
note = "Macau is not in D:5."
[treated_as.HK]
code = "CN"
note = "Hong Kong is treated as China."
"""


def test_the_minimal_data_parses() -> None:
    data = parse(COUNTRIES, GROUPS)
    assert data.names == {"CN": "China (PRC)", "HK": "Hong Kong", "MO": "Macau"}
    assert data.index["prc"] == "CN"
    assert data.groups["D:5"].codes == {"CN"}
    assert data.treated_as == {"HK": ("CN", "Hong Kong is treated as China.")}
    hk = data.resolve("HK")
    assert data.groups_on(hk, dt.date(2019, 12, 31)) == set()
    assert data.groups_on(hk, dt.date(2020, 1, 1)) == {"D:5"}


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
        (COUNTRIES, GROUPS.replace('CN", from', 'DE", from'), r"members #1: member 'DE' is not"),
        (
            COUNTRIES,
            GROUPS.replace(
                'members = [{ code = "CN", from = 2020-01-01, source = "ecfr" }]',
                'members = [{ code = "CN", from = 2020-01-01, source = "ecfr" },'
                ' { code = "CN", from = 2021-01-01, source = "later" }]',
            ),
            "twice for the same days",
        ),
        (
            COUNTRIES,
            GROUPS.replace(
                'members = [{ code = "CN", from = 2020-01-01, source = "ecfr" }]', "members = []"
            ),
            "non-empty list",
        ),
        (COUNTRIES, GROUPS.replace('note = "Macau', 'remark = "Macau'), "unknown key 'remark'"),
        (
            COUNTRIES,
            GROUPS.replace("from = 2020-01-01", 'from = "2020"'),
            r"\(CN\) from: must be a TOML date",
        ),
        (COUNTRIES, GROUPS.replace("from = 2020-01-01, ", ""), "from is required, or a date_note"),
        (
            COUNTRIES,
            GROUPS.replace('source = "ecfr"', 'source = "ecfr2"'),
            "'ecfr2' is not a key of \\[sources\\]",
        ),
        (
            COUNTRIES,
            GROUPS.replace(
                'source = "ecfr" }', 'source = "ecfr", until = 2019-01-01, until_source = "later" }'
            ),
            "is not after from",
        ),
        (
            COUNTRIES,
            GROUPS.replace('source = "ecfr" }', 'source = "ecfr", until = 2021-01-01 }'),
            "until_source",
        ),
        (
            COUNTRIES,
            GROUPS.replace('source = "ecfr" }', 'source = "ecfr", since = 2021-01-01 }'),
            "unknown key 'since'",
        ),
        (
            COUNTRIES,
            GROUPS.replace('text_kind = "verbatim"', 'text_kind = "exact"'),
            r"\[sources.'ecfr'\] text_kind: must be one of",
        ),
        (COUNTRIES, GROUPS.replace('text_kind = "quoted"\n', ""), r"\[sources.'later'\] text_kind"),
        (COUNTRIES, GROUPS.replace('[groups."D:5"]', '[groups."cn"]'), "must not be empty or a"),
        (COUNTRIES, GROUPS.replace('code = "CN"', 'code = "HK"'), "not another known code"),
        (COUNTRIES, GROUPS.replace("[treated_as.HK]", "[treated_as.TW]"), "'TW' is not a code"),
        (COUNTRIES, GROUPS + "[extra]\n", "unknown key 'extra'"),
        (
            COUNTRIES,
            GROUPS.replace("[sources.ecfr]\n", "[sources.ecfr]\nauthor = 1\n"),
            "unknown key 'author'",
        ),
        (COUNTRIES, GROUPS.replace("groups/2", "groups/1"), "format must be"),
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
    assert set(data.groups) == set(DATA.group_names())
