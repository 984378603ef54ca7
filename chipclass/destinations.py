"""Destinations: ISO 3166-1 codes, their names, and the EAR Country Groups they belong to.

The data lives in two files beside this module, read once per process on first use:

- data/countries.toml       every assigned ISO 3166-1 alpha-2 code, a short English name,
                            and the aliases people and export-control texts use
- data/country_groups.toml  Country Groups A:5, A:6, D:1, D:4 and D:5 of Supplement No. 1
                            to part 740 (one eCFR issue), the AI-diffusion Tier 1, and the
                            destinations the EAR treats as another (Hong Kong as China)

Both are checked completely when read: an unknown key, a code that is not in the list, or two
names that would find different destinations is a DestinationDataError naming the file and
the key.

    >>> resolve("Macao").code, sorted(resolve("MO").groups)
    ('MO', ['D:1', 'D:4'])
    >>> in_groups(resolve("hong kong"), ["D:5", "MO"])   # HK is treated as China
    True
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final

DATA_DIR: Final = Path(__file__).parent / "data"
COUNTRIES_FILE: Final = DATA_DIR / "countries.toml"
GROUPS_FILE: Final = DATA_DIR / "country_groups.toml"
COUNTRIES_FORMAT: Final = "chipclass-countries/1"
GROUPS_FORMAT: Final = "chipclass-country-groups/1"

#: the destination chipclass assumes when none is given
DEFAULT_CODE: Final = "CN"
MAX_SUGGESTIONS: Final = 3

_CODE = re.compile(r"[A-Z]{2}")
_SILENT = re.compile(r"[.'\u2018\u2019`]")  # dropped so "U.A.E." finds "uae", "d'Ivoire" "divoire"
_WORD = re.compile(r"[a-z0-9]+")
_COUNTRIES_KEYS: Final = ("format", "countries", "aliases")
_GROUPS_KEYS: Final = ("format", "source", "groups", "treated_as")
_SOURCE_KEYS: Final = ("title", "citation", "url", "issue")
_GROUP_KEYS: Final = ("title", "citation", "url", "issue", "members", "note")
_TREATED_AS_KEYS: Final = ("code", "note")


class DestinationDataError(Exception):
    """A destination data file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Destination:
    """Where an item goes: an ISO 3166-1 alpha-2 code and the country groups it falls in."""

    code: str  # ISO 3166-1 alpha-2, upper case
    name: str
    groups: frozenset[str]  # e.g. {"D:1", "D:4", "D:5"}; includes "tier1" where it applies
    treated_as: str | None  # "CN" for HK: the groups are those of that destination
    note: str | None = None  # why it is treated as another destination

    @property
    def label(self) -> str:
        """`China (PRC) (CN)`; `Hong Kong (HK, treated as CN)`."""
        if self.treated_as is None:
            return f"{self.name} ({self.code})"
        return f"{self.name} ({self.code}, treated as {self.treated_as})"


@dataclass(frozen=True)
class CountryGroup:
    """One group of destinations with the text it comes from."""

    name: str  # "A:5", "D:5", "tier1"
    title: str
    citation: str
    url: str
    issue: dt.date | None  # the issue of the regulation the members were read from
    members: frozenset[str]  # the codes the group lists (not those treated as a member)
    note: str


@dataclass(frozen=True)
class DestinationData:
    """Both data files, checked."""

    names: Mapping[str, str]  # code -> name
    index: Mapping[str, str]  # folded name or alias -> code
    groups: Mapping[str, CountryGroup]  # by name, in file order
    treated_as: Mapping[str, tuple[str, str]]  # code -> (code it is treated as, note)


# --- lookups -------------------------------------------------------------------------------


def resolve(text: str) -> Destination:
    """The destination an ISO code (any case), a name or an alias names.

    Names and aliases are matched ignoring case, accents, punctuation and spacing
    ("turkiye" finds TR, "korea south" finds KR). Raises LookupError, with up to three
    suggestions, for text that names no destination.
    """
    data = _data()
    wanted = text.strip()
    code = wanted.upper()
    if code not in data.names:
        found = data.index.get(fold(wanted))
        if found is None:
            raise LookupError(_unknown_message(text, data))
        code = found
    return _destination(code)


def default() -> Destination:
    """The destination assumed when none is given (China)."""
    return resolve(DEFAULT_CODE)


def group_members(group: str) -> frozenset[str]:
    """The codes a country group lists ("D:5", "a:5", "tier1"); LookupError if unknown.

    A destination treated as a member (Hong Kong as China) is not among them: test a
    destination with in_groups() or Destination.groups.
    """
    data = _data()
    name = _group_name(group, data)
    if name is None:
        known = ", ".join(data.groups)
        raise LookupError(f"unknown country group {group!r} (known: {known})")
    return data.groups[name].members


def in_groups(dest: Destination, groups: Iterable[str]) -> bool:
    """Whether `dest` falls in any of `groups`: group names and codes may be mixed.

    `in_groups(d, ["D:5", "MO"])` is "Macau or a destination specified in Country Group D:5".
    A code matches the destination itself and the destination it is treated as (HK matches
    "CN"). Every entry is checked first: one that is neither a group nor a code is a
    LookupError, whatever the destination.
    """
    data = _data()
    items = [groups] if isinstance(groups, str) else list(groups)
    names: set[str] = set()
    codes: set[str] = set()
    for item in items:
        name = _group_name(item, data)
        if name is not None:
            names.add(name)
        elif item.strip().upper() in data.names:
            codes.add(item.strip().upper())
        else:
            known = ", ".join(data.groups)
            raise LookupError(
                f"{item!r} is neither a country group ({known}) nor an ISO 3166-1 alpha-2 code"
            )
    own = {dest.code} if dest.treated_as is None else {dest.code, dest.treated_as}
    return bool(names & dest.groups) or bool(codes & own)


def group(name: str) -> CountryGroup:
    """One country group with its citation and note; LookupError if unknown."""
    data = _data()
    found = _group_name(name, data)
    if found is None:
        raise LookupError(f"unknown country group {name!r} (known: {', '.join(data.groups)})")
    return data.groups[found]


def group_names() -> tuple[str, ...]:
    """The known group names, in file order."""
    return tuple(_data().groups)


def countries() -> Mapping[str, str]:
    """Every ISO 3166-1 alpha-2 code with its name, in code order."""
    return _data().names


def fold(text: str) -> str:
    """The form names are matched in: no accents, lower case, words split on punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(_SILENT.sub("", plain)))


@cache
def _destination(code: str) -> Destination:
    data = _data()
    target, note = data.treated_as.get(code, (None, None))
    members_of = {code} if target is None else {code, target}
    groups = frozenset(g.name for g in data.groups.values() if g.members & members_of)
    return Destination(code, data.names[code], groups, target, note)


def _group_name(text: str, data: DestinationData) -> str | None:
    wanted = "".join(text.split()).casefold()
    for name in data.groups:
        if name.casefold() == wanted:
            return name
    return None


def _unknown_message(text: str, data: DestinationData) -> str:
    hint = "give an ISO 3166-1 alpha-2 code such as CN or DE, or a country name"
    key = fold(text)
    if not key:
        return f"destination {text!r} names no country; {hint}"
    import difflib  # only on this error path

    # names containing the text as a word first ("Congo", "Korea"), then the near misses
    words = sorted((k for k in data.index if f" {key} " in f" {k} "), key=len)
    close = difflib.get_close_matches(key, list(data.index), n=10, cutoff=0.6)
    codes: list[str] = []
    for match in [*words, *close] if len(key) >= 3 else close:
        code = data.index[match]
        if code not in codes:
            codes.append(code)
    message = f"unknown destination {text!r}"
    if codes:
        shown = ", ".join(f"{data.names[c]} ({c})" for c in codes[:MAX_SUGGESTIONS])
        return f"{message}; did you mean {shown}?"
    return f"{message}; {hint}"


# --- loading -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _data() -> DestinationData:
    return parse(
        _read(COUNTRIES_FILE),
        _read(GROUPS_FILE),
        countries_source=str(COUNTRIES_FILE),
        groups_source=str(GROUPS_FILE),
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DestinationDataError(f"{path}: cannot read: {error}") from None


def parse(
    countries_text: str,
    groups_text: str,
    *,
    countries_source: str = "countries.toml",
    groups_source: str = "country_groups.toml",
) -> DestinationData:
    """Parse and check both files' text; raise DestinationDataError naming the problem."""
    names, index = _countries(_toml(countries_text, countries_source), countries_source)
    groups, treated_as = _groups(_toml(groups_text, groups_source), groups_source, names)
    return DestinationData(names, index, groups, treated_as)


def _toml(text: str, source: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DestinationDataError(f"{source}: not valid TOML: {error}") from None


def _countries(data: Mapping[str, Any], source: str) -> tuple[dict[str, str], dict[str, str]]:
    _no_unknown(data, _COUNTRIES_KEYS, source)
    if data.get("format") != COUNTRIES_FORMAT:
        raise DestinationDataError(f'{source}: format must be "{COUNTRIES_FORMAT}"')
    table = _table(data, "countries", source)
    names: dict[str, str] = {}
    index: dict[str, str] = {}
    for code in sorted(table):
        where = f"{source}: [countries] {code}"
        if not _CODE.fullmatch(code):
            raise DestinationDataError(f"{where}: not an upper-case two-letter code")
        names[code] = _text(table[code], where)
        _index(index, names[code], code, names, where)
    aliases = _table(data, "aliases", source)
    for alias, code in aliases.items():
        where = f"{source}: [aliases] {alias!r}"
        if alias != alias.lower():
            raise DestinationDataError(f"{where}: an alias is written in lower case")
        if not isinstance(code, str) or code not in names:
            raise DestinationDataError(f"{where}: {code!r} is not a code in [countries]")
        _index(index, alias, code, names, where)
    return names, index


def _index(
    index: dict[str, str], text: str, code: str, names: Mapping[str, str], where: str
) -> None:
    key = fold(text)
    if not key:
        raise DestinationDataError(f"{where}: {text!r} has no letters to match")
    other = index.get(key, code)
    shadowed = key.replace(" ", "").upper()
    if shadowed in names and shadowed != code:
        other = shadowed  # the code would always win, so the name could never be found
    if other != code:
        raise DestinationDataError(f"{where}: {text!r} would also find {other}, not {code}")
    index[key] = code


def _groups(
    data: Mapping[str, Any], source: str, names: Mapping[str, str]
) -> tuple[dict[str, CountryGroup], dict[str, tuple[str, str]]]:
    _no_unknown(data, _GROUPS_KEYS, source)
    if data.get("format") != GROUPS_FORMAT:
        raise DestinationDataError(f'{source}: format must be "{GROUPS_FORMAT}"')
    base = _table(data, "source", source)
    _no_unknown(base, _SOURCE_KEYS, f"{source}: [source]")
    groups: dict[str, CountryGroup] = {}
    for name, table in _table(data, "groups", source).items():
        where = f"{source}: [groups.{name!r}]"
        if not name or name != name.strip() or name.upper() in names:
            raise DestinationDataError(f"{where}: a group name must not be empty or a code")
        if any(other.casefold() == name.casefold() for other in groups):
            raise DestinationDataError(f"{where}: a second group of that name")
        groups[name] = _group(name, table, base, names, where, f"{source}: [source]")
    treated_as: dict[str, tuple[str, str]] = {}
    for code, table in _table(data, "treated_as", source).items():
        where = f"{source}: [treated_as.{code}]"
        if code not in names:
            raise DestinationDataError(f"{where}: {code!r} is not a code in [countries]")
        if not isinstance(table, dict):
            raise DestinationDataError(f"{where}: must be a table with code and note")
        _no_unknown(table, _TREATED_AS_KEYS, where)
        target = _text(table.get("code"), f"{where} code")
        if target not in names or target == code:
            raise DestinationDataError(f"{where}: code {target!r} is not another known code")
        treated_as[code] = (target, _text(table.get("note"), f"{where} note"))
    for code, (target, _) in treated_as.items():
        if target in treated_as:
            raise DestinationDataError(
                f"{source}: [treated_as.{code}]: {target} is itself treated as another"
            )
    return groups, treated_as


def _group(
    name: str,
    table: Any,
    base: Mapping[str, Any],
    names: Mapping[str, str],
    where: str,
    base_where: str,
) -> CountryGroup:
    if not isinstance(table, dict):
        raise DestinationDataError(f"{where}: must be a table")
    _no_unknown(table, _GROUP_KEYS, where)
    own = "citation" in table  # a group citing its own text gives its own url (and issue)
    cited = table if own else base
    cited_where = where if own else base_where
    issue = cited.get("issue")
    if issue is not None and (not isinstance(issue, dt.date) or isinstance(issue, dt.datetime)):
        raise DestinationDataError(f"{cited_where}: issue must be a TOML date such as 2026-07-23")
    members = table.get("members")
    if not isinstance(members, list) or not members:
        raise DestinationDataError(f"{where}: members must be a non-empty list of codes")
    for code in members:
        if not isinstance(code, str) or code not in names:
            raise DestinationDataError(f"{where}: member {code!r} is not a code in [countries]")
        if members.count(code) > 1:
            raise DestinationDataError(f"{where}: member {code!r} is listed twice")
    return CountryGroup(
        name=name,
        title=_text(table.get("title"), f"{where} title"),
        citation=_text(cited.get("citation"), f"{cited_where} citation"),
        url=_text(cited.get("url"), f"{cited_where} url"),
        issue=issue,
        members=frozenset(members),
        note=_text(table.get("note"), f"{where} note"),
    )


def _table(data: Mapping[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise DestinationDataError(f"{source}: [{key}] is required (a table)")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DestinationDataError(f"{where}: required, a non-empty string")
    return value


def _no_unknown(table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise DestinationDataError(
            f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(allowed)})"
        )
