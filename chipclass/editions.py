"""Rule editions: the law as data.

One TOML file per edition in `chipclass/rules/`, each self-contained: metadata,
then clauses in the regulation's order, each with the verbatim text it
implements, its citation, and the numeric conditions read from that text.

Clause roles:
  control      conditions met -> the part is caught, with `label`
  exclusion    conditions met -> the controls named in `targets` do not apply
  relief       conditions met -> the controls named in `targets` carry at most `label`
  out-of-scope text kept for reference; it concerns items a chip sheet does not
               describe (e.g. 3A090.c, HBM memory parts) and is never evaluated

Text kinds (`text_kind`, required on every clause) say what a clause's `text` is:
  verbatim      the words of the rule as it stood for this edition, copied from a primary
                text (the Federal Register, an eCFR issue the edition covers, an SEC filing)
  quoted        a primary text's words as a secondary source reproduced them (not checked
                against the primary), or a primary text of another date (e.g. a later eCFR
                issue) whose wording for this edition is not confirmed
  paraphrase    chipclass's own summary of a text, stitched or elided quotations included
  press-report  a journalist's or law firm's description; no primary text was available

Status `letters`: an edition made of letters or notices to named companies (the
"is-informed" letters); its letter clauses name their `addressees` (vendors).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from functools import cache, cached_property, lru_cache
from typing import Any, Final, NamedTuple

from chipclass.metrics import METRIC_IDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EDITION_FORMAT: Final = "chipclass-edition/1"
OPS: Final = (">=", ">", "<", "<=")
ROLES: Final = ("control", "exclusion", "relief", "out-of-scope")
SCOPES: Final = ("all", "datacenter", "non-datacenter")
STATUSES: Final = ("published", "reported", "not-enforced", "letters")
#: what a clause's text is (see the module docstring)
TEXT_KINDS: Final = ("verbatim", "quoted", "paraphrase", "press-report")

#: labels from least to most severe; `indeterminate` stands outside the order
LABELS: Final = ("exportable", "license-required", "restricted")
INDETERMINATE: Final = "indeterminate"
#: what a condition may compare (the die area enters only through the density)
CONDITION_METRICS: Final = tuple(m for m in METRIC_IDS if m != "applicable_die_area_mm2")
SEVERITY: Final[Mapping[str, int]] = {label: rank for rank, label in enumerate(LABELS)}

_EDITION_KEYS: Final = (
    "format",
    "id",
    "title",
    "citation",
    "document",
    "url",
    "published",
    "effective",
    "status",
    "destination",
    "summary",
    "evidence",
    "notes",
    "reach",
    "clause",
)
_CLAUSE_KEYS: Final = (
    "id",
    "role",
    "label",
    "scope",
    "match",
    "targets",
    "context",
    "text",
    "citation",
    "url",
    "evidence",
    "effect",
    "reason",
    "destinations",
    "conditions",
    "text_kind",
    "addressees",
)
_CONDITION_KEYS: Final = ("metric", "op", "threshold", "text")
_REACH_KEYS: Final = (
    "id",
    "applies_to",
    "text",
    "citation",
    "url",
    "evidence",
    "rules",
    "otherwise",
)
_RULE_KEYS: Final = ("to", "label", "since", "note")


class EditionError(Exception):
    """A rule file that does not read as a well-formed edition."""


class Condition(NamedTuple):
    """One numeric comparison a clause makes: metric, op, threshold, and its words."""

    metric: str
    op: str
    threshold: Fraction
    text: str  # the words of the clause this condition implements

    def holds(self, value: Fraction) -> bool:
        if self.op == ">=":
            return value >= self.threshold
        if self.op == ">":
            return value > self.threshold
        if self.op == "<":
            return value < self.threshold
        return value <= self.threshold

    @property
    def strict(self) -> bool:
        return self.op in (">", "<")


class Clause(NamedTuple):
    """One clause of an edition, with the verbatim text it implements."""

    id: str
    role: str
    label: str | None
    scope: str
    match: str
    targets: tuple[str, ...]
    context: str | None
    text: str
    citation: str
    url: str
    evidence: str
    effect: str | None
    reason: str | None
    conditions: tuple[Condition, ...]
    #: what `text` is: verbatim, quoted, paraphrase or press-report (TEXT_KINDS)
    text_kind: str = "paraphrase"
    #: the vendors a letter was addressed to; empty: the clause binds every vendor
    addressees: tuple[str, ...] = ()
    #: where the clause applies at all (country groups and codes); empty: everywhere
    destinations: tuple[str, ...] = ()
    #: False when the edition was narrowed to a destination the clause does not reach
    applies: bool = True
    #: for a narrowed edition: how the destination changed this clause, in words
    reach_note: str | None = None

    def targets_clause(self, clause_id: str) -> bool:
        return any(clause_id == t or clause_id.startswith(t + ".") for t in self.targets)

    def in_scope(self, datacenter: bool) -> bool:
        if not self.applies:
            return False
        if self.scope == "datacenter":
            return datacenter
        if self.scope == "non-datacenter":
            return not datacenter
        return True


class ReachRule(NamedTuple):
    """Where a license requirement reaches: these destinations, at most this label."""

    to: tuple[str, ...]  # country group names ("D:5", "A:5", "tier1") and ISO codes ("CN")
    label: str  # exportable (not reached), license-required or restricted
    since: dt.date | None = None  # the rule holds from this date on (within the edition)
    note: str | None = None  # e.g. the review policy


class Reach(NamedTuple):
    """The destinations a group of controls reaches, and the label each is held to.

    The first rule whose destinations include the destination decides; otherwise
    `otherwise`. A control's label at a destination is the lesser of its own label and
    the reach's; `exportable` means the control does not reach that destination.
    """

    id: str
    applies_to: tuple[str, ...]  # clause ids or prefixes ("3A090.a")
    text: str
    citation: str
    url: str
    evidence: str
    rules: tuple[ReachRule, ...]
    otherwise: str

    def governs(self, clause_id: str) -> bool:
        return any(clause_id == t or clause_id.startswith(t + ".") for t in self.applies_to)


@dataclass(frozen=True)
class Edition:
    """One rule edition: its metadata and its clauses, in the regulation's order."""

    id: str
    title: str
    citation: str
    document: str | None
    url: str
    published: dt.date | None
    effective: dt.date
    status: str
    destination: str
    summary: str
    evidence: str
    notes: str | None
    clauses: tuple[Clause, ...]
    reach: tuple[Reach, ...] = ()
    #: the destination the labels answer for (ISO code); the clauses are written for China
    destination_code: str = "CN"
    #: the date the reach rules are read on (None: the effective date)
    on: dt.date | None = None
    #: True when read for a destination by chipclass.scoped.for_destination
    narrowed: bool = False

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for a worker process) without what is worked out on demand: `logic`
        numbers belong to the process that gave them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @cached_property
    def evaluated(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.role != "out-of-scope")

    @cached_property
    def logic(self) -> int:
        """A number standing for everything a decision under this edition reads: the
        evaluated clauses' ids, roles, labels, scopes, matches, targets, reach and
        conditions, in order. Two editions with the same number label every part alike
        and find the same nearest changes (their citations and texts may differ)."""
        key = tuple(
            (
                c.id,
                c.role,
                c.label,
                c.scope,
                c.match,
                c.targets,
                c.applies,
                tuple((k.metric, k.op, k.threshold) for k in c.conditions),
            )
            for c in self.evaluated
        )
        return _LOGIC.setdefault(key, len(_LOGIC))

    def thresholds(self, metric: str) -> list[Fraction]:
        return sorted(
            {k.threshold for c in self.evaluated for k in c.conditions if k.metric == metric}
        )


#: Edition.logic: each distinct decision logic seen, numbered
_LOGIC: dict[tuple[object, ...], int] = {}

# --------------------------------------------------------------------------- parsing


def parse_edition(text: str, source: str) -> Edition:
    """Parse and validate one edition file's text; raise EditionError naming the problem."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise EditionError(f"{source}: not valid TOML: {error}") from None
    except (RecursionError, ValueError) as error:  # nesting or integers past the parser's reach
        raise EditionError(f"{source}: not usable TOML: {type(error).__name__}") from None
    return _edition(data, source)


def _need(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = table.get(key)
    if value is None:
        raise EditionError(f"{where}: {key} is required")
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        raise EditionError(f"{where}: {key} must be a {kind.__name__}")
    if isinstance(value, str) and not value.strip():
        raise EditionError(f"{where}: {key} must not be empty")
    return value


def _optional(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    return None if table.get(key) is None else _need(table, key, kind, where)


def _no_unknown(table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [k for k in table if k not in allowed]
    if unknown:
        raise EditionError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(allowed)})")


def _date(table: Mapping[str, Any], key: str, where: str, required: bool) -> dt.date | None:
    value = table.get(key)
    if value is None:
        if required:
            raise EditionError(f"{where}: {key} is required (a TOML date)")
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise EditionError(f"{where}: {key} must be a TOML date such as 2023-11-17")
    return value


def _edition(data: Mapping[str, Any], source: str) -> Edition:
    _no_unknown(data, _EDITION_KEYS, source)
    if data.get("format") != EDITION_FORMAT:
        raise EditionError(f'{source}: format must be "{EDITION_FORMAT}"')
    edition_id = _need(data, "id", str, source)
    where = f"{source} ({edition_id})"
    status = _need(data, "status", str, where)
    if status not in STATUSES:
        raise EditionError(f"{where}: status must be one of {', '.join(STATUSES)}")
    raw_clauses = data.get("clause")
    if not isinstance(raw_clauses, list) or not raw_clauses:
        raise EditionError(f"{where}: an edition needs at least one [[clause]]")
    clauses = tuple(_clause(c, f"{where} clause #{n + 1}") for n, c in enumerate(raw_clauses))
    seen: set[str] = set()
    for clause in clauses:
        if clause.id in seen:
            raise EditionError(f"{where}: duplicate clause id {clause.id!r}")
        seen.add(clause.id)
    for clause in clauses:
        for target in clause.targets:
            if not any(c.id == target or c.id.startswith(target + ".") for c in clauses):
                raise EditionError(f"{where}: clause {clause.id!r} targets unknown {target!r}")
    raw_reach = data.get("reach", [])
    if not isinstance(raw_reach, list):
        raise EditionError(f"{where}: reach must be an array of tables ([[reach]])")
    reach = tuple(_reach(r, f"{where} reach #{n + 1}", clauses) for n, r in enumerate(raw_reach))
    return Edition(
        id=edition_id,
        title=_need(data, "title", str, where),
        citation=_need(data, "citation", str, where),
        document=_optional(data, "document", str, where),
        url=_need(data, "url", str, where),
        published=_date(data, "published", where, False),
        effective=_date(data, "effective", where, True) or dt.date.min,
        status=status,
        destination=_need(data, "destination", str, where),
        summary=_need(data, "summary", str, where),
        evidence=_need(data, "evidence", str, where),
        notes=_optional(data, "notes", str, where),
        clauses=clauses,
        reach=reach,
    )


def _places(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise EditionError(f"{where}: {key} must be a non-empty list of groups or codes")
    return tuple(value)


def _reach(data: Any, where: str, clauses: tuple[Clause, ...]) -> Reach:
    if not isinstance(data, dict):
        raise EditionError(f"{where}: must be a table")
    _no_unknown(data, _REACH_KEYS, where)
    reach_id = _need(data, "id", str, where)
    applies_to = _places(data.get("applies_to"), where, "applies_to")
    for target in applies_to:
        if not any(c.id == target or c.id.startswith(target + ".") for c in clauses):
            raise EditionError(f"{where}: applies_to names unknown clause {target!r}")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise EditionError(f"{where}: rules must be a non-empty array of tables")
    rules = []
    for n, raw in enumerate(raw_rules):
        at = f"{where} rule #{n + 1}"
        if not isinstance(raw, dict):
            raise EditionError(f"{at}: must be a table")
        _no_unknown(raw, _RULE_KEYS, at)
        label = _need(raw, "label", str, at)
        if label not in LABELS:
            raise EditionError(f"{at}: label must be one of {', '.join(LABELS)}")
        rules.append(
            ReachRule(
                to=_places(raw.get("to"), at, "to"),
                label=label,
                since=_date(raw, "since", at, False),
                note=_optional(raw, "note", str, at),
            )
        )
    otherwise = _need(data, "otherwise", str, where)
    if otherwise not in LABELS:
        raise EditionError(f"{where}: otherwise must be one of {', '.join(LABELS)}")
    return Reach(
        id=reach_id,
        applies_to=applies_to,
        text=_need(data, "text", str, where),
        citation=_need(data, "citation", str, where),
        url=_need(data, "url", str, where),
        evidence=_need(data, "evidence", str, where),
        rules=tuple(rules),
        otherwise=otherwise,
    )


def _clause(data: Any, where: str) -> Clause:
    if not isinstance(data, dict):
        raise EditionError(f"{where}: must be a table")
    clause_id = _need(data, "id", str, where)
    where = f"{where} ({clause_id})"
    _no_unknown(data, _CLAUSE_KEYS, where)
    role = _need(data, "role", str, where)
    if role not in ROLES:
        raise EditionError(f"{where}: role must be one of {', '.join(ROLES)}")
    text = _need(data, "text", str, where)
    label = _optional(data, "label", str, where)
    if role in ("control", "relief") and label not in LABELS:
        raise EditionError(f"{where}: a {role} needs a label ({', '.join(LABELS)})")
    if role in ("exclusion", "out-of-scope") and label is not None:
        raise EditionError(f"{where}: a {role} carries no label")
    if role == "control" and label == "exportable":
        raise EditionError(f"{where}: a control cannot produce 'exportable'")
    scope = data.get("scope", "all")
    if scope not in SCOPES:
        raise EditionError(f"{where}: scope must be one of {', '.join(SCOPES)}")
    match = data.get("match", "all")
    if match not in ("all", "any"):
        raise EditionError(f"{where}: match must be 'all' or 'any'")
    targets = data.get("targets", [])
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise EditionError(f"{where}: targets must be a list of clause ids")
    if role in ("exclusion", "relief") and not targets:
        raise EditionError(f"{where}: a {role} must name its targets")
    if role in ("control", "out-of-scope") and targets:
        raise EditionError(f"{where}: a {role} has no targets")
    raw_conditions = data.get("conditions", [])
    if not isinstance(raw_conditions, list):
        raise EditionError(f"{where}: conditions must be an array of tables")
    conditions = tuple(
        _condition(c, text, f"{where} condition #{n + 1}") for n, c in enumerate(raw_conditions)
    )
    if role == "out-of-scope":
        if conditions:
            raise EditionError(f"{where}: an out-of-scope clause has no conditions")
        _need(data, "reason", str, where)
    elif not conditions:
        raise EditionError(f"{where}: a {role} needs at least one condition")
    destinations = data.get("destinations")
    places = () if destinations is None else _places(destinations, where, "destinations")
    text_kind = _need(data, "text_kind", str, where)
    if text_kind not in TEXT_KINDS:
        raise EditionError(f"{where}: text_kind must be one of {', '.join(TEXT_KINDS)}")
    return Clause(
        id=clause_id,
        role=role,
        label=label,
        scope=scope,
        match=match,
        targets=tuple(targets),
        context=_optional(data, "context", str, where),
        text=text,
        citation=_need(data, "citation", str, where),
        url=_need(data, "url", str, where),
        evidence=_need(data, "evidence", str, where),
        effect=_optional(data, "effect", str, where),
        reason=_optional(data, "reason", str, where),
        conditions=conditions,
        text_kind=text_kind,
        addressees=_addressees(data.get("addressees"), where),
        destinations=places,
    )


def _addressees(value: Any, where: str) -> tuple[str, ...]:
    """The vendors a letter clause names: a non-empty list of distinct, non-empty names."""
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise EditionError(f"{where}: addressees must be a non-empty list of vendor names")
    names: list[str] = []
    for name in value:
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            raise EditionError(f"{where}: addressees: {name!r} is not a vendor name")
        if name in names:
            raise EditionError(f"{where}: addressees: {name!r} is listed twice")
        names.append(name)
    return tuple(names)


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _condition(data: Any, clause_text: str, where: str) -> Condition:
    if not isinstance(data, dict):
        raise EditionError(f"{where}: must be a table")
    _no_unknown(data, _CONDITION_KEYS, where)
    metric = _need(data, "metric", str, where)
    if metric not in CONDITION_METRICS:
        known = ", ".join(CONDITION_METRICS)
        raise EditionError(f"{where}: unknown metric {metric!r} (known: {known})")
    op = _need(data, "op", str, where)
    if op not in OPS:
        raise EditionError(f"{where}: comparison {op!r} is not one of {', '.join(OPS)}")
    raw = data.get("threshold")
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
        raise EditionError(f"{where}: threshold must be a number")
    if isinstance(raw, Decimal) and not raw.is_finite():
        raise EditionError(f"{where}: threshold must be finite")
    threshold = Fraction(raw)
    if threshold <= 0:
        raise EditionError(f"{where}: threshold must be above zero")
    words = _need(data, "text", str, where)
    if _normalize(words) not in _normalize(clause_text):
        raise EditionError(f"{where}: its text {words!r} is not found in the clause's text")
    return Condition(metric=metric, op=op, threshold=threshold, text=words)


# --------------------------------------------------------------------------- the registry


def check_registry(editions: Iterable[Edition]) -> tuple[Edition, ...]:
    """Order editions by effective date; refuse duplicate ids and shared dates."""
    ordered = tuple(sorted(editions, key=lambda e: e.effective))
    ids: set[str] = set()
    dates: dict[dt.date, str] = {}
    for edition in ordered:
        if edition.id in ids:
            raise EditionError(f"two editions share the id {edition.id!r}")
        ids.add(edition.id)
        if edition.effective in dates:
            raise EditionError(
                f"editions {dates[edition.effective]!r} and {edition.id!r} share the effective"
                f" date {edition.effective}: --as-of could not choose"
            )
        dates[edition.effective] = edition.id
    return ordered


RULES_DIR: Final = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules")


def _rule_files() -> list[str]:
    return sorted(name for name in os.listdir(RULES_DIR) if name.endswith(".toml"))


@cache
def _parse_file(name: str) -> Edition:
    """One bundled edition, parsed once per process."""
    with open(os.path.join(RULES_DIR, name), encoding="utf-8") as handle:
        return parse_edition(handle.read(), f"rules/{name}")


@lru_cache(maxsize=1)
def all_editions() -> tuple[Edition, ...]:
    """Every bundled edition, oldest first; parsed once per process."""
    return check_registry([_parse_file(name) for name in _rule_files()])


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[str, dt.date, str], ...] | None:
    """(id, effective date, file name) of every bundled edition, oldest first, read from
    the lines above each file's first table without parsing the rest, so a run that needs
    one edition parses one file. None when any head does not read plainly, or the ids or
    dates are not unique: then callers parse every file, and check_registry reports."""
    entries: list[tuple[str, dt.date, str]] = []
    for name in _rule_files():
        entry = _head_entry(name)
        if entry is None:
            return None
        entries.append(entry)
    unique = len({e[0] for e in entries}), len({e[1] for e in entries})
    if unique != (len(entries), len(entries)):
        return None
    return tuple(sorted(entries, key=lambda e: e[1]))


def _head_entry(name: str) -> tuple[str, dt.date, str] | None:
    """(id, effective date, name) from the plain `id = "..."` and `effective = YYYY-MM-DD`
    lines above a rule file's first table; None unless each is there exactly once."""
    with open(os.path.join(RULES_DIR, name), "rb") as handle:
        data = handle.read(4096)
        if b"\n[" not in data:
            data += handle.read()
    try:
        head = data.split(b"\n[", 1)[0].decode("utf-8")
    except UnicodeDecodeError:
        return None
    ids: list[str] = []
    dates: list[str] = []
    for line in head.split("\n"):
        line = line.rstrip(" \t")
        if line.startswith('id = "') and line.endswith('"') and len(line) > 7:
            value = line[6:-1]
            if '"' in value or "\\" in value:
                return None
            ids.append(value)
        elif line.startswith("effective = "):
            dates.append(line[len("effective = ") :])
    if len(ids) != 1 or len(dates) != 1:
        return None
    date = dates[0]
    if len(date) != 10 or date[4] != "-" or date[7] != "-" or not date.replace("-", "").isdigit():
        return None
    try:
        return ids[0], dt.date.fromisoformat(date), name
    except ValueError:
        return None


def _indexed(entry: tuple[str, dt.date, str]) -> Edition | None:
    """The edition an index entry names, if the file, parsed, says what its head said."""
    edition = _parse_file(entry[2])
    return edition if (edition.id, edition.effective) == entry[:2] else None


def latest() -> Edition:
    index = _index()
    found = _indexed(index[-1]) if index else None
    return found if found is not None else all_editions()[-1]


def by_id(edition_id: str) -> Edition:
    if edition_id == "latest":
        return latest()
    for entry in _index() or ():
        if entry[0] == edition_id:
            found = _indexed(entry)
            if found is not None:
                return found
    for edition in all_editions():
        if edition.id == edition_id:
            return edition
    known = ", ".join(e.id for e in all_editions())
    raise LookupError(f"unknown edition {edition_id!r} (known: {known}, or latest)")


def in_force(on: dt.date) -> Edition:
    """The edition in force on a date: the latest whose effective date is on or before it."""
    index = [entry for entry in _index() or () if entry[1] <= on]
    found = _indexed(index[-1]) if index else None
    if found is not None:
        return found
    chosen = [e for e in all_editions() if e.effective <= on]
    if not chosen:
        first = all_editions()[0]
        raise LookupError(
            f"no edition is in force on {on}: the earliest, {first.id}, takes effect"
            f" {first.effective}"
        )
    return chosen[-1]


def select(ids: Iterable[str], all_of_them: bool, as_of: dt.date | None) -> tuple[Edition, ...]:
    """Resolve the CLI's edition options; the default is the latest edition."""
    if all_of_them:
        return all_editions()
    chosen: list[Edition] = [by_id(i) for i in ids]
    if as_of is not None:
        chosen.append(in_force(as_of))
    if not chosen:
        chosen.append(latest())
    unique: dict[str, Edition] = {e.id: e for e in chosen}
    return tuple(sorted(unique.values(), key=lambda e: e.effective))
