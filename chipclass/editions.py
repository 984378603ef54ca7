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
import operator
import os
import re
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from chipclass import tomldata
from chipclass.metrics import METRIC_IDS

if TYPE_CHECKING:
    from chipclass.evaluate import CompiledEdition

EDITION_FORMAT: Final = "chipclass-edition/1"
#: each comparison a condition may make, as a function (on Fractions or integers alike)
COMPARE: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<": operator.lt,
    "<=": operator.le,
}
OPS: Final = tuple(COMPARE)
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
    "facts",
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
        return COMPARE[self.op](value, self.threshold)

    @property
    def strict(self) -> bool:
        return self.op in (">", "<")


#: the kinds of fact a clause may require besides its numeric conditions
FACT_KINDS: Final = ("us_available", "certification")


class Fact(NamedTuple):
    """A fact a clause requires that is not a metric: of the sheet (`us_available`: the
    part was commercially available in the United States on `on`) or of the transaction
    (`certification`: one of the exporter's certifications, by id)."""

    id: str
    kind: str
    text: str  # the words of the rule this fact implements
    citation: str
    text_kind: str
    on: dt.date | None = None  # us_available: the day the part must have been on sale by


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
    #: facts the clause requires besides its conditions (all of them, with the conditions)
    facts: tuple[Fact, ...] = ()

    def targets_clause(self, clause_id: str) -> bool:
        return any(clause_id == t or clause_id.startswith(t + ".") for t in self.targets)

    def addressed(self, vendor: str | None) -> bool:
        """Does the clause bind this vendor? A letter binds its addressees only; a part of
        unknown vendor is read as bound (the reading that never understates)."""
        if not self.addressees or vendor is None:
            return True
        folded = vendor.casefold()
        return any(name.casefold() == folded for name in self.addressees)

    def in_scope(self, datacenter: bool, vendor: str | None = None) -> bool:
        if not self.applies or not self.addressed(vendor):
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
        """Pickled (for a worker process) as its fields: what is worked out on demand
        (the compiled edition and its decisions) is worked out again where it is used."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @cached_property
    def evaluated(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.role != "out-of-scope")

    @cached_property
    def compiled(self) -> CompiledEdition:
        """The edition compiled for repeated decisions (chipclass.evaluate)."""
        from chipclass.evaluate import CompiledEdition

        return CompiledEdition(self)

    @cached_property
    def logic(self) -> tuple[object, ...]:
        """Everything a decision under this edition reads: the evaluated clauses' ids,
        roles, labels, scopes, matches, targets, reach, addressees, facts and conditions,
        in order. Two editions with the same logic label every part alike and find the same
        nearest changes (their citations and texts may differ). Thresholds are written as
        integer terms, so the key hashes quickly."""
        return tuple(
            (
                c.id,
                c.role,
                c.label,
                c.scope,
                c.match,
                c.targets,
                c.applies,
                c.addressees,
                tuple((f.id, f.kind, f.on) for f in c.facts),
                tuple(
                    (k.metric, k.op, k.threshold.numerator, k.threshold.denominator)
                    for k in c.conditions
                ),
            )
            for c in self.evaluated
        )

    def thresholds(self, metric: str) -> list[Fraction]:
        return sorted(
            {k.threshold for c in self.evaluated for k in c.conditions if k.metric == metric}
        )


# --------------------------------------------------------------------------- parsing


def parse_edition(text: str, source: str) -> Edition:
    """Parse and validate one edition file's text; raise EditionError naming the problem."""
    data = tomldata.load(text, source, EditionError)
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
    tomldata.no_unknown(table, allowed, where, EditionError)


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
        facts=_facts(data.get("facts"), where, match),
        destinations=places,
    )


_FACT_KEYS: Final = ("id", "fact", "on", "text", "citation", "text_kind")


def _facts(value: Any, where: str, match: str) -> tuple[Fact, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise EditionError(f"{where}: facts must be a non-empty array of tables")
    if match != "all":
        raise EditionError(f"{where}: a clause with facts must match 'all' of its conditions")
    facts = []
    for n, raw in enumerate(value):
        at = f"{where} fact #{n + 1}"
        if not isinstance(raw, dict):
            raise EditionError(f"{at}: must be a table")
        _no_unknown(raw, _FACT_KEYS, at)
        kind = _need(raw, "fact", str, at)
        if kind not in FACT_KINDS:
            raise EditionError(f"{at}: fact must be one of {', '.join(FACT_KINDS)}")
        on = _date(raw, "on", at, kind == "us_available")
        text_kind = _need(raw, "text_kind", str, at)
        if text_kind not in TEXT_KINDS:
            raise EditionError(f"{at}: text_kind must be one of {', '.join(TEXT_KINDS)}")
        facts.append(
            Fact(
                id=_need(raw, "id", str, at),
                kind=kind,
                text=_need(raw, "text", str, at),
                citation=_need(raw, "citation", str, at),
                text_kind=text_kind,
                on=on,
            )
        )
    ids = [f.id for f in facts]
    if len(set(ids)) != len(ids):
        raise EditionError(f"{where}: facts: an id is listed twice")
    return tuple(facts)


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

#: an edition file: its path, and the name messages give it
_File = tuple[str, str]
#: what the lines above an edition file's first table say: id, effective date, the file
_Head = tuple[str, dt.date, _File]


class Registry:
    """The editions a run can use: the bundled ones, and those of user folders (`--rules
    DIR`, read in order; a file whose id is a bundled or earlier id replaces it).

    Files are parsed on demand and kept by the registry, so a run that needs one edition
    parses one file; `all()` parses them all and checks the set (unique ids and dates).
    """

    def __init__(self, folders: Iterable[str] = ()) -> None:
        self.folders = tuple(str(f) for f in folders)
        #: notes on stderr for the run: user editions that replace another
        self.notes: list[str] = []
        self._parsed: dict[str, Edition] = {}
        self._files: list[_File] | None = None
        self._heads: tuple[_Head, ...] | None = None
        self._all: tuple[Edition, ...] | None = None

    def files(self) -> list[_File]:
        """Every edition file, bundled first, then each folder's in name order."""
        if self._files is None:
            found = [(os.path.join(RULES_DIR, n), f"rules/{n}") for n in _toml_names(RULES_DIR)]
            for folder in self.folders:
                try:
                    names = _toml_names(folder)
                except OSError as error:
                    raise EditionError(
                        f"{folder}: cannot read the folder: {error.strerror}"
                    ) from None
                found.extend((os.path.join(folder, n), os.path.join(folder, n)) for n in names)
            self._files = found
        return self._files

    def parse(self, file: _File) -> Edition:
        found = self._parsed.get(file[0])
        if found is None:
            try:
                with open(file[0], encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as error:
                raise EditionError(f"{file[1]}: cannot read the file: {error}") from None
            found = self._parsed[file[0]] = parse_edition(text, file[1])
        return found

    def all(self) -> tuple[Edition, ...]:
        """Every edition in force in this registry, oldest first."""
        if self._all is None:
            chosen: dict[str, Edition] = {}
            for file in self.files():
                edition = self.parse(file)
                earlier = chosen.get(edition.id)
                if earlier is not None:
                    self._replaced(edition.id, file)
                    del chosen[edition.id]
                chosen[edition.id] = edition
            self._all = check_registry(chosen.values())
        return self._all

    def _replaced(self, edition_id: str, file: _File) -> None:
        note = f"{file[1]}: edition {edition_id!r} replaces the one of the same id"
        if note not in self.notes:
            self.notes.append(note)

    def heads(self) -> tuple[_Head, ...] | None:
        """(id, effective date, file) of every edition in force, oldest first, read from
        the lines above each file's first table without parsing the rest. None when a
        head does not read plainly or the dates are not unique: then callers parse every
        file, and check_registry reports."""
        if self._heads is None:
            chosen: dict[str, _Head] = {}
            for file in self.files():
                head = _head_entry(file)
                if head is None:
                    return None
                if head[0] in chosen:
                    self._replaced(head[0], file)
                    del chosen[head[0]]
                chosen[head[0]] = head
            if len({h[1] for h in chosen.values()}) != len(chosen):
                return None
            self._heads = tuple(sorted(chosen.values(), key=lambda h: h[1]))
        return self._heads

    def _from_head(self, head: _Head) -> Edition | None:
        """The edition a head names, if the file, parsed, says what its head said."""
        edition = self.parse(head[2])
        return edition if (edition.id, edition.effective) == head[:2] else None

    def latest(self) -> Edition:
        heads = self.heads()
        found = self._from_head(heads[-1]) if heads else None
        return found if found is not None else self.all()[-1]

    def by_id(self, edition_id: str) -> Edition:
        if edition_id == "latest":
            return self.latest()
        for head in self.heads() or ():
            if head[0] == edition_id:
                found = self._from_head(head)
                if found is not None:
                    return found
        for edition in self.all():
            if edition.id == edition_id:
                return edition
        known = ", ".join(e.id for e in self.all())
        raise LookupError(f"unknown edition {edition_id!r} (known: {known}, or latest)")

    def in_force(self, on: dt.date) -> Edition:
        """The edition in force on a date: the latest whose effective date is on or
        before it."""
        heads = [head for head in self.heads() or () if head[1] <= on]
        found = self._from_head(heads[-1]) if heads else None
        if found is not None:
            return found
        chosen = [e for e in self.all() if e.effective <= on]
        if not chosen:
            return no_control(on, self.all()[0])
        return chosen[-1]

    def select(
        self, ids: Iterable[str], all_of_them: bool, as_of: dt.date | None
    ) -> tuple[Edition, ...]:
        """Resolve the CLI's edition options; the default is the latest edition."""
        if all_of_them:
            return self.all()
        chosen: list[Edition] = [self.by_id(i) for i in ids]
        if as_of is not None:
            chosen.append(self.in_force(as_of))
        if not chosen:
            chosen.append(self.latest())
        unique: dict[str, Edition] = {e.id: e for e in chosen}
        return tuple(sorted(unique.values(), key=lambda e: e.effective))


#: the id of the edition that stands for the time before any control (see no_control)
NO_CONTROL: Final = "no-control"


def no_control(on: dt.date, first: Edition) -> Edition:
    """What held on a day before the first edition: no license requirement on these
    chips at all (every part is exportable as far as 3A090 and its forerunners go)."""
    note = (
        f"no control on advanced computing chips was in force on {on}: the first,"
        f" {first.id} ({first.citation}), takes effect {first.effective}"
    )
    return Edition(
        id=NO_CONTROL,
        title="No control in force",
        citation="none",
        document=None,
        url=first.url,
        published=None,
        effective=dt.date.min,
        status="none",
        destination=first.destination,
        summary=note,
        evidence="derived: the day precedes every edition chipclass models",
        notes=note,
        clauses=(),
    )


def _toml_names(folder: str) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".toml"))


def _head_entry(file: _File) -> _Head | None:
    """(id, effective date, file) from the plain `id = "..."` and `effective = YYYY-MM-DD`
    lines above an edition file's first table; None unless each is there exactly once."""
    try:
        with open(file[0], "rb") as handle:
            data = handle.read(4096)
            if b"\n[" not in data:
                data += handle.read()
    except OSError:
        return None
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
        return ids[0], dt.date.fromisoformat(date), file
    except ValueError:
        return None


# One-call forms, each with a registry of its own (a run that asks several questions
# holds one Registry instead).


def all_editions(folders: Iterable[str] = ()) -> tuple[Edition, ...]:
    """Every edition (bundled, then those of `folders`), oldest first."""
    return Registry(folders).all()


def latest(folders: Iterable[str] = ()) -> Edition:
    return Registry(folders).latest()


def by_id(edition_id: str, folders: Iterable[str] = ()) -> Edition:
    return Registry(folders).by_id(edition_id)


def in_force(on: dt.date, folders: Iterable[str] = ()) -> Edition:
    return Registry(folders).in_force(on)


def select(
    ids: Iterable[str], all_of_them: bool, as_of: dt.date | None, folders: Iterable[str] = ()
) -> tuple[Edition, ...]:
    return Registry(folders).select(ids, all_of_them, as_of)


class _Module(types.ModuleType):
    """This module, callable: `chipclass.editions(rules=...)` is the Python API's list of
    editions (spec-format.md section 8), and `chipclass.editions` stays this module."""

    def __call__(self, rules: Iterable[str | os.PathLike[str]] = ()) -> tuple[Edition, ...]:
        from chipclass.api import editions

        return editions(rules)


sys.modules[__name__].__class__ = _Module
