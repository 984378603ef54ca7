"""Destinations: ISO 3166-1 codes, their names, and the EAR Country Groups they belong to,
read at an instant.

The data lives in two files beside this module:

- data/countries.toml       every assigned ISO 3166-1 alpha-2 code, a short English name,
                            and the aliases people and export-control texts use
- data/country_groups.toml  Country Groups A:5, A:6, D:1, D:4 and D:5 of Supplement No. 1
                            to part 740, the destination scope of the 2022 rule (RS-2022),
                            the AI-diffusion Tier 1, and the destinations the EAR treats as
                            another (Hong Kong as China); every membership dated, with the
                            rule that made it

`bundled()` reads and checks both files into a DestinationData, which owns the parsed data;
hold on to it rather than calling `bundled()` again (the module keeps no state). Both files
are checked completely when read: an unknown key, a code that is not in the list, or two
names that would find different destinations is a DestinationDataError naming the file and
the key.

Memberships are dated: `DestinationData.groups_on(destination, day)` is the one place that
answers "which groups held this destination on day D"; everything else asks it.

    >>> data = bundled()
    >>> import datetime as dt
    >>> sorted(data.groups_on(data.resolve("Macao"), dt.date(2024, 1, 1)))
    ['D:1', 'D:4', 'RS-2022']
    >>> sorted(data.groups_on(data.resolve("UAE"), dt.date(2026, 7, 9)))
    ['D:4']
    >>> sorted(data.groups_on(data.resolve("UAE"), dt.date(2026, 7, 10)))
    ['A:5']
    >>> data.in_groups(data.resolve("hong kong"), ["D:5", "MO"], on=dt.date(2024, 1, 1))
    True
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Final, NamedTuple

from chipclass import tomldata

DATA_DIR: Final = Path(__file__).parent / "data"
COUNTRIES_FILE: Final = DATA_DIR / "countries.toml"
GROUPS_FILE: Final = DATA_DIR / "country_groups.toml"
COUNTRIES_FORMAT: Final = "chipclass-countries/1"
GROUPS_FORMAT: Final = "chipclass-country-groups/2"
#: what a transcribed text is (the same words as an edition's clauses use)
TEXT_KINDS: Final = ("verbatim", "quoted", "paraphrase", "press-report")

#: the destination chipclass assumes when none is given
DEFAULT_CODE: Final = "CN"
MAX_SUGGESTIONS: Final = 3

_CODE = re.compile(r"[A-Z]{2}")
_SILENT = re.compile(r"[.'\u2018\u2019`]")  # dropped so "U.A.E." finds "uae", "d'Ivoire" "divoire"
_WORD = re.compile(r"[a-z0-9]+")
_COUNTRIES_KEYS: Final = ("format", "countries", "aliases")
_GROUPS_KEYS: Final = ("format", "sources", "groups", "treated_as")
_SOURCE_KEYS: Final = (
    "citation",
    "url",
    "text_kind",
    "published",
    "effective",
    "text",
    "note",
    "date_note",
)
_GROUP_KEYS: Final = ("title", "members", "note")
_MEMBER_KEYS: Final = ("code", "from", "until", "source", "until_source", "date_note")
_TREATED_AS_KEYS: Final = ("code", "note")


class DestinationDataError(Exception):
    """A destination data file that cannot be used; the message names the file and the key."""


# the field checks of chipclass.tomldata, raising this file's error
_text = partial(tomldata.text, error=DestinationDataError)
_optional_text = partial(tomldata.optional_text, error=DestinationDataError)
_no_unknown = partial(tomldata.no_unknown, error=DestinationDataError)
_date = partial(tomldata.date, error=DestinationDataError, example="2026-07-23")


@dataclass(frozen=True)
class Destination:
    """Where an item goes: an ISO 3166-1 alpha-2 code, its name, and the destination it is
    treated as. Its country groups depend on the day: ask DestinationData.groups_on."""

    code: str  # ISO 3166-1 alpha-2, upper case
    name: str
    treated_as: str | None  # "CN" for HK: the groups are those of that destination
    note: str | None = None  # why it is treated as another destination

    @property
    def label(self) -> str:
        """`China (PRC) (CN)`; `Hong Kong (HK, treated as CN)`."""
        if self.treated_as is None:
            return f"{self.name} ({self.code})"
        return f"{self.name} ({self.code}, treated as {self.treated_as})"


@dataclass(frozen=True)
class Source:
    """The rule (or the filing, or the issue of the regulation) a membership comes from."""

    id: str
    citation: str
    url: str
    text_kind: str  # verbatim | quoted | paraphrase | press-report
    published: dt.date | None = None
    effective: dt.date | None = None
    text: str | None = None
    note: str | None = None
    date_note: str | None = None  # why a date it supports is not sourced, and the reading taken


class Membership(NamedTuple):
    """One destination's membership of one group: from `start` (None: on every modelled day
    before `until`) up to the day before `until` (None: still held)."""

    code: str
    start: dt.date | None
    until: dt.date | None
    source: str  # a Source id: the rule that made the membership
    until_source: str | None  # the rule that ended it
    date_note: str | None  # what is not sourced about the dates, and the reading taken


@dataclass(frozen=True)
class CountryGroup:
    """One group of destinations with its dated memberships."""

    name: str  # "A:5", "D:5", "tier1"
    title: str
    note: str
    memberships: tuple[Membership, ...]

    @property
    def codes(self) -> frozenset[str]:
        """Every code the group lists on some day (not those treated as a member)."""
        return frozenset(m.code for m in self.memberships)


@dataclass(frozen=True)
class DestinationData:
    """Both data files, checked: the one object that answers destination questions."""

    names: Mapping[str, str]  # code -> name
    index: Mapping[str, str]  # folded name or alias -> code
    groups: Mapping[str, CountryGroup]  # by name, in file order
    treated_as: Mapping[str, tuple[str, str]]  # code -> (code it is treated as, note)
    sources: Mapping[str, Source] = field(default_factory=dict)
    #: code -> (group name, membership) for every membership listing the code
    _by_code: Mapping[str, tuple[tuple[str, Membership], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_code: dict[str, list[tuple[str, Membership]]] = {}
        for group in self.groups.values():
            for membership in group.memberships:
                by_code.setdefault(membership.code, []).append((group.name, membership))
        object.__setattr__(self, "_by_code", {k: tuple(v) for k, v in by_code.items()})

    # lookups

    def resolve(self, text: str) -> Destination:
        """The destination an ISO code (any case), a name or an alias names.

        Names and aliases are matched ignoring case, accents, punctuation and spacing
        ("turkiye" finds TR, "korea south" finds KR). Raises LookupError, with up to three
        suggestions, for text that names no destination.
        """
        wanted = text.strip()
        code = wanted.upper()
        if code not in self.names:
            found = self.index.get(fold(wanted))
            if found is None:
                raise LookupError(_unknown_message(text, self))
            code = found
        target, note = self.treated_as.get(code, (None, None))
        return Destination(code, self.names[code], target, note)

    def default(self) -> Destination:
        """The destination assumed when none is given (China)."""
        return self.resolve(DEFAULT_CODE)

    def groups_on(self, dest: Destination, day: dt.date) -> frozenset[str]:
        """The groups that held `dest` on `day`: its own memberships and, for a destination
        treated as another (Hong Kong as China), that one's. The one function that reads
        membership dates."""
        codes = (dest.code,) if dest.treated_as is None else (dest.code, dest.treated_as)
        held: set[str] = set()
        for code in codes:
            for name, m in self._by_code.get(code, ()):
                if (m.start is None or m.start <= day) and (m.until is None or day < m.until):
                    held.add(name)
        return frozenset(held)

    def in_groups(self, dest: Destination, groups: Iterable[str], *, on: dt.date) -> bool:
        """Whether `dest` fell in any of `groups` on day `on`: group names and codes may be
        mixed.

        `in_groups(d, ["D:5", "MO"], on=day)` is "Macau or a destination specified in
        Country Group D:5". A code matches the destination itself and the destination it is
        treated as (HK matches "CN"). Every entry is checked first: one that is neither a
        group nor a code is a LookupError, whatever the destination.
        """
        items = [groups] if isinstance(groups, str) else list(groups)
        names: set[str] = set()
        codes: set[str] = set()
        for item in items:
            name = self._group_name(item)
            if name is not None:
                names.add(name)
            elif item.strip().upper() in self.names:
                codes.add(item.strip().upper())
            else:
                known = ", ".join(self.groups)
                raise LookupError(
                    f"{item!r} is neither a country group ({known}) nor an ISO 3166-1 alpha-2 code"
                )
        own = {dest.code} if dest.treated_as is None else {dest.code, dest.treated_as}
        if codes & own:
            return True
        return bool(names) and bool(names & self.groups_on(dest, on))

    def group_members(self, group: str, on: dt.date) -> frozenset[str]:
        """The codes a country group ("D:5", "a:5", "tier1") listed on day `on`;
        LookupError if unknown. A destination treated as a member (Hong Kong as China) is
        not among them: test a destination with in_groups() or groups_on()."""
        name = self.group(group).name
        listed = {m.code for m in self.groups[name].memberships}
        return frozenset(
            code
            for code in listed
            if name in self.groups_on(Destination(code, self.names[code], None), on)
        )

    def group(self, name: str) -> CountryGroup:
        """One country group with its dated memberships; LookupError if unknown."""
        found = self._group_name(name)
        if found is None:
            known = ", ".join(self.groups)
            raise LookupError(f"unknown country group {name!r} (known: {known})")
        return self.groups[found]

    def group_names(self) -> tuple[str, ...]:
        """The known group names, in file order."""
        return tuple(self.groups)

    def _group_name(self, text: str) -> str | None:
        wanted = "".join(text.split()).casefold()
        for name in self.groups:
            if name.casefold() == wanted:
                return name
        return None


def bundled() -> DestinationData:
    """The data files shipped with chipclass, read and checked (each call reads them: keep
    the object)."""
    return parse(
        _read(COUNTRIES_FILE),
        _read(GROUPS_FILE),
        countries_source=str(COUNTRIES_FILE),
        groups_source=str(GROUPS_FILE),
    )


# --- the same questions, reading the bundled files afresh ----------------------------------
# Each call below reads both files again (no module state): fine for one question; for many,
# hold `bundled()` and ask it.


def resolve(text: str) -> Destination:
    """The destination an ISO code, a name or an alias names (see DestinationData.resolve)."""
    return bundled().resolve(text)


def default() -> Destination:
    """The destination assumed when none is given (China)."""
    return bundled().default()


def countries() -> Mapping[str, str]:
    """Every ISO 3166-1 alpha-2 code with its name, in code order."""
    return bundled().names


def fold(text: str) -> str:
    """The form names are matched in: no accents, lower case, words split on punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(_SILENT.sub("", plain)))


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
    groups, treated_as, sources = _groups(_toml(groups_text, groups_source), groups_source, names)
    return DestinationData(names, index, groups, treated_as, sources)


def _toml(text: str, source: str) -> dict[str, Any]:
    return tomldata.load(text, source, DestinationDataError, exact=False)


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
        names[code] = _text(table, code, f"{source}: [countries]")
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
) -> tuple[dict[str, CountryGroup], dict[str, tuple[str, str]], dict[str, Source]]:
    _no_unknown(data, _GROUPS_KEYS, source)
    if data.get("format") != GROUPS_FORMAT:
        raise DestinationDataError(f'{source}: format must be "{GROUPS_FORMAT}"')
    sources = {
        key: _source(key, table, f"{source}: [sources.{key!r}]")
        for key, table in _table(data, "sources", source).items()
    }
    groups: dict[str, CountryGroup] = {}
    for name, table in _table(data, "groups", source).items():
        where = f"{source}: [groups.{name!r}]"
        if not name or name != name.strip() or name.upper() in names:
            raise DestinationDataError(f"{where}: a group name must not be empty or a code")
        if any(other.casefold() == name.casefold() for other in groups):
            raise DestinationDataError(f"{where}: a second group of that name")
        groups[name] = _group(name, table, names, sources, where)
    treated_as: dict[str, tuple[str, str]] = {}
    for code, table in _table(data, "treated_as", source).items():
        where = f"{source}: [treated_as.{code}]"
        if code not in names:
            raise DestinationDataError(f"{where}: {code!r} is not a code in [countries]")
        if not isinstance(table, dict):
            raise DestinationDataError(f"{where}: must be a table with code and note")
        _no_unknown(table, _TREATED_AS_KEYS, where)
        target = _text(table, "code", where)
        if target not in names or target == code:
            raise DestinationDataError(f"{where}: code {target!r} is not another known code")
        treated_as[code] = (target, _text(table, "note", where))
    for code, (target, _) in treated_as.items():
        if target in treated_as:
            raise DestinationDataError(
                f"{source}: [treated_as.{code}]: {target} is itself treated as another"
            )
    return groups, treated_as, sources


def _source(key: str, table: Any, where: str) -> Source:
    if not isinstance(table, dict):
        raise DestinationDataError(f"{where}: must be a table")
    _no_unknown(table, _SOURCE_KEYS, where)
    kind = table.get("text_kind")
    if kind not in TEXT_KINDS:
        raise DestinationDataError(f"{where} text_kind: must be one of {', '.join(TEXT_KINDS)}")
    optional = {k: _optional_text(table, k, where) for k in ("text", "note", "date_note")}
    return Source(
        id=key,
        citation=_text(table, "citation", where),
        url=_text(table, "url", where),
        text_kind=kind,
        published=_date(table, "published", where),
        effective=_date(table, "effective", where),
        **optional,
    )


def _group(
    name: str,
    table: Any,
    names: Mapping[str, str],
    sources: Mapping[str, Source],
    where: str,
) -> CountryGroup:
    if not isinstance(table, dict):
        raise DestinationDataError(f"{where}: must be a table")
    _no_unknown(table, _GROUP_KEYS, where)
    raw = table.get("members")
    if not isinstance(raw, list) or not raw:
        raise DestinationDataError(f"{where}: members must be a non-empty list of memberships")
    memberships = tuple(
        _membership(entry, names, sources, f"{where} members #{n + 1}")
        for n, entry in enumerate(raw)
    )
    for n, one in enumerate(memberships):
        for other in memberships[:n]:
            if one.code == other.code and _overlap(one, other):
                raise DestinationDataError(
                    f"{where} members #{n + 1}: member {one.code!r} is listed twice"
                    " for the same days"
                )
    return CountryGroup(
        name=name,
        title=_text(table, "title", where),
        note=_text(table, "note", where),
        memberships=memberships,
    )


def _membership(
    entry: Any, names: Mapping[str, str], sources: Mapping[str, Source], where: str
) -> Membership:
    if not isinstance(entry, dict):
        raise DestinationDataError(f'{where}: must be a table such as {{ code = "CN", ... }}')
    code = entry.get("code")
    if not isinstance(code, str) or code not in names:
        raise DestinationDataError(f"{where}: member {code!r} is not a code in [countries]")
    where = f"{where} ({code})"
    _no_unknown(entry, _MEMBER_KEYS, where)
    start = _date(entry, "from", where)
    until = _date(entry, "until", where)
    source = _source_id(entry.get("source"), sources, f"{where} source")
    until_source = None
    if until is not None:
        until_source = _source_id(entry.get("until_source"), sources, f"{where} until_source")
    elif "until_source" in entry:
        raise DestinationDataError(f"{where}: until_source without until")
    if start is not None and until is not None and until <= start:
        raise DestinationDataError(f"{where}: until {until} is not after from {start}")
    date_note = _optional_text(entry, "date_note", where)
    if start is None and date_note is None and sources[source].date_note is None:
        raise DestinationDataError(
            f"{where}: from is required, or a date_note (on the membership or its source)"
            " saying why the start is not sourced"
        )
    return Membership(code, start, until, source, until_source, date_note)


def _overlap(a: Membership, b: Membership) -> bool:
    """Whether two memberships share a day (None bounds are open)."""
    a_ends_first = a.until is not None and b.start is not None and a.until <= b.start
    b_ends_first = b.until is not None and a.start is not None and b.until <= a.start
    return not (a_ends_first or b_ends_first)


def _source_id(value: Any, sources: Mapping[str, Source], where: str) -> str:
    if not isinstance(value, str) or value not in sources:
        known = ", ".join(sources) or "none"
        raise DestinationDataError(f"{where}: {value!r} is not a key of [sources] ({known})")
    return value


def _table(data: Mapping[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise DestinationDataError(f"{source}: [{key}] is required (a table)")
    return value
