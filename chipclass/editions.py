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

# No `from __future__ import annotations` here: a NamedTuple's string annotations are
# each compiled at import (typing.ForwardRef), about 30 us a field, and a one-sheet run
# defines some 200 fields. Names defined later (or only for type checking) are quoted.
import datetime as dt
import operator
import os
import re
import stat
import sys
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import tomli

from chipclass.keylines import KeyLines, join
from chipclass.metrics import METRIC_IDS
from chipclass.problems import Problem, another_kind, kind_of, toml_problem, unknown_key

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
    """Rule files that do not read as well-formed editions, or a set of editions that
    cannot stand together. `problems` holds every problem found in a file, each with
    its file, key and line; the message lists them, one a line (a problem of the set, such
    as two editions sharing an id, is the message alone)."""

    def __init__(self, problems: str | Sequence[Problem]) -> None:
        if isinstance(problems, str):
            super().__init__(problems)
            self.problems: list[Problem] = []
        else:
            super().__init__("\n".join(str(p) for p in problems))
            self.problems = list(problems)


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


class _EditionFields(NamedTuple):
    """What an edition file says, as read (`Edition` adds what is worked out from it)."""

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


class Edition(_EditionFields):
    """One rule edition: its metadata and its clauses, in the regulation's order. Its value
    is its fields; what is worked out from them on demand (the compiled edition and its
    decisions) is kept in the instance's own dictionary."""

    def __getstate__(self) -> None:
        """Pickled (for a worker process) as its fields alone: what is worked out on demand
        is worked out again where it is used."""
        return None

    @cached_property
    def evaluated(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.role != "out-of-scope")

    @cached_property
    def compiled(self) -> "CompiledEdition":
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

_FACT_KEYS: Final = ("id", "fact", "on", "text", "citation", "text_kind")
#: an edition's id, as --edition takes it ("latest" and NO_CONTROL are taken)
_EDITION_ID: Final = re.compile(r"[a-z0-9][a-z0-9.-]*")
#: how the evidence of a verbatim text begins, and the words that say a text is less
_PRIMARY: Final = ("verbatim ecfr text", "verbatim primary text")
_WEAKER: Final = (
    "as quoted by",
    "secondary",
    "report",
    "paraphrase",
    "later issue",
    "not confirmed",
)


def overstated(text_kind: str, evidence: str) -> str | None:
    """Why a clause's `text_kind` claims more than its `evidence` supports; None when it
    does not. Verbatim text is evidenced first of all as "verbatim eCFR text" or "verbatim
    primary text", with no word of a weaker source; a quotation names who quoted it; a
    press report names the report."""
    lowered = evidence.lower()
    first = lowered.split(";", 1)[0].strip()
    if text_kind == "verbatim":
        if not first.startswith(_PRIMARY):
            return (
                f"verbatim, but its evidence begins {first!r} (verbatim text is evidenced"
                " as 'verbatim eCFR text' or 'verbatim primary text')"
            )
        weaker = [w for w in _WEAKER if w in first]
        if weaker:
            return f"verbatim, but its evidence says {weaker[0]!r}: {first!r}"
    if text_kind == "quoted" and "quoted" not in lowered:
        return f"quoted, but its evidence does not say by whom: {first!r}"
    if text_kind == "press-report" and "report" not in lowered:
        return f"press-report, but its evidence names no report: {first!r}"
    return None


def parse_edition(text: str, source: str) -> Edition:
    """Parse and validate one edition file's text; raise EditionError naming every
    problem in it."""
    edition, problems = read_edition(text, source)
    if edition is None:
        raise EditionError(problems)
    return edition


def read_edition(text: str, source: str) -> tuple[Edition | None, list[Problem]]:
    """The edition a file's text holds (None unless it is valid) and every problem in it,
    each with the file, the key ("clause[2].conditions[0].op") and its line."""
    try:
        data = tomli.loads(text, parse_float=Decimal)
    except (tomli.TOMLDecodeError, RecursionError, ValueError) as error:
        return None, [toml_problem(source, text, error, "an edition")]
    reader = _Reader(source, text)
    edition = reader.edition(data)
    return (None if reader.problems else edition), reader.problems


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _a(role: str) -> str:
    """A role in words: "a control", "an exclusion", "an out-of-scope clause"."""
    return {"exclusion": "an exclusion", "out-of-scope": "an out-of-scope clause"}.get(
        role, f"a {role}"
    )


def _names_a_clause(target: str, ids: Iterable[str]) -> bool:
    return any(i == target or i.startswith(target + ".") for i in ids)


class _Reader:
    """Reads a parsed edition file, recording every problem instead of stopping at the
    first (as chipclass.spec reads a sheet)."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.lines = KeyLines(text)
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, message, where or None, self.lines.near(where)))

    # -- kinds of value

    def keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        """Refuse a key the format does not know (never silently ignored)."""
        for key in table:
            if key not in allowed:
                self.fail(join(where, key), unknown_key(key, allowed))

    def text(
        self, table: Mapping[str, Any], key: str, where: str, required: bool = True
    ) -> str | None:
        value = table.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if value is None:
            if required:
                self.fail(join(where, key), "is required (a string)")
        elif not isinstance(value, str):
            self.fail(join(where, key), f"must be a string, not {kind_of(value)}")
        else:
            self.fail(join(where, key), "must not be empty")
        return None

    def choice(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        allowed: tuple[str, ...],
        default: str | None = None,
    ) -> str | None:
        value = table.get(key, default)
        if value in allowed:
            return str(value)
        if value is None:
            self.fail(join(where, key), f"is required (one of {', '.join(allowed)})")
        else:
            shown = repr(value) if isinstance(value, str) else kind_of(value)
            self.fail(join(where, key), f"must be one of {', '.join(allowed)}, not {shown}")
        return None

    def date(
        self, table: Mapping[str, Any], key: str, where: str, required: bool
    ) -> dt.date | None:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(join(where, key), "is required (a TOML date such as 2023-11-17)")
            return None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            shown = kind_of(value)
            self.fail(join(where, key), f"must be a TOML date such as 2023-11-17, not {shown}")
            return None
        return value

    def places(self, value: Any, at: str) -> tuple[str, ...] | None:
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            shown = "an empty array" if value == [] else kind_of(value)
            self.fail(
                at,
                'must be a non-empty list of country groups or codes (e.g. ["D:5", "CN"]),'
                f" not {shown}",
            )
            return None
        return tuple(value)

    def tables(self, value: Any, at: str, example: str) -> list[Any] | None:
        """An array of tables (None, with a problem, if the value is not an array)."""
        if not isinstance(value, list):
            self.fail(at, f"must be an array of tables ({example}), not {kind_of(value)}")
            return None
        return value

    # -- the file

    def edition(self, data: Mapping[str, Any]) -> Edition | None:
        fmt = data.get("format")
        if fmt is None:
            self.fail("format", f'is required: format = "{EDITION_FORMAT}"')
        elif (other := another_kind(fmt, EDITION_FORMAT)) is not None:
            self.fail("format", other)
            return None
        elif fmt != EDITION_FORMAT:
            known = isinstance(fmt, str) and fmt.startswith("chipclass-edition/")
            what = "a known format" if known else "an edition format"
            shown = repr(fmt) if isinstance(fmt, str) else kind_of(fmt)
            self.fail("format", f'{shown} is not {what} (this chipclass reads "{EDITION_FORMAT}")')
            return None
        self.keys(data, _EDITION_KEYS, "")
        edition_id = self.text(data, "id", "")
        if edition_id is not None and (
            not _EDITION_ID.fullmatch(edition_id) or edition_id in ("latest", NO_CONTROL)
        ):
            self.fail(
                "id",
                f"{edition_id!r} is not an edition id: [a-z0-9][a-z0-9.-]*, not"
                f" 'latest' or {NO_CONTROL!r} (e.g. us-2027-03)",
            )
            edition_id = None
        status = self.choice(data, "status", "", STATUSES)
        title = self.text(data, "title", "")
        citation = self.text(data, "citation", "")
        document = self.text(data, "document", "", required=False)
        url = self.text(data, "url", "")
        published = self.date(data, "published", "", False)
        effective = self.date(data, "effective", "", True)
        destination = self.text(data, "destination", "")
        summary = self.text(data, "summary", "")
        evidence = self.text(data, "evidence", "")
        notes = self.text(data, "notes", "", required=False)
        raw = data.get("clause")
        found: list[Clause | None] = []
        ids: list[str] = []
        if raw is None:
            self.fail("clause", "an edition needs at least one [[clause]]")
        elif (listed := self.tables(raw, "clause", "[[clause]]")) is not None:
            if not listed:
                self.fail("clause", "an edition needs at least one [[clause]]")
            ids = [c["id"] for c in listed if isinstance(c, dict) and isinstance(c.get("id"), str)]
            found = [self.clause(c, f"clause[{n}]", ids) for n, c in enumerate(listed)]
        self.unique_clause_ids(found)
        raw_reach = self.tables(data.get("reach", []), "reach", "[[reach]]") or []
        reach = [self.reach(r, f"reach[{n}]", ids) for n, r in enumerate(raw_reach)]
        if self.problems:
            return None
        assert edition_id and status and title and citation and url and effective
        assert destination and summary and evidence
        return Edition(
            id=edition_id,
            title=title,
            citation=citation,
            document=document,
            url=url,
            published=published,
            effective=effective,
            status=status,
            destination=destination,
            summary=summary,
            evidence=evidence,
            notes=notes,
            clauses=tuple(c for c in found if c is not None),
            reach=tuple(r for r in reach if r is not None),
        )

    def unique_clause_ids(self, clauses: list[Clause | None]) -> None:
        seen: dict[str, int] = {}
        for n, clause in enumerate(clauses):
            if clause is None:
                continue
            if clause.id in seen:
                self.fail(
                    f"clause[{n}].id",
                    f"duplicate clause id {clause.id!r} (also clause[{seen[clause.id]}])",
                )
            seen.setdefault(clause.id, n)

    # -- a clause

    def clause(self, data: Any, where: str, ids: list[str]) -> Clause | None:
        if not isinstance(data, dict):
            self.fail(where, f"must be a table ([[clause]]), not {kind_of(data)}")
            return None
        before = len(self.problems)
        self.keys(data, _CLAUSE_KEYS, where)
        clause_id = self.text(data, "id", where)
        role = self.choice(data, "role", where, ROLES)
        text = self.text(data, "text", where)
        label = self.label(data, where, role)
        scope = self.choice(data, "scope", where, SCOPES, "all")
        match = self.choice(data, "match", where, ("all", "any"), "all")
        targets = self.targets(data, where, role, ids)
        conditions = self.conditions(data, where, role, text)
        reason = self.text(data, "reason", where, required=role == "out-of-scope")
        destinations = data.get("destinations")
        places = (
            () if destinations is None else self.places(destinations, join(where, "destinations"))
        )
        text_kind = self.choice(data, "text_kind", where, TEXT_KINDS)
        citation = self.text(data, "citation", where)
        url = self.text(data, "url", where)
        evidence = self.text(data, "evidence", where)
        context = self.text(data, "context", where, required=False)
        effect = self.text(data, "effect", where, required=False)
        if text_kind is not None and evidence is not None:
            why = overstated(text_kind, evidence)
            if why is not None:
                self.fail(join(where, "text_kind"), f"claims more than the evidence: {why}")
        addressees = self.addressees(data.get("addressees"), where)
        facts = self.facts(data.get("facts"), where, match)
        if len(self.problems) > before:
            return None
        assert clause_id and role and text and scope and match and text_kind
        assert citation and url and evidence and targets is not None and places is not None
        return Clause(
            id=clause_id,
            role=role,
            label=label,
            scope=scope,
            match=match,
            targets=targets,
            context=context,
            text=text,
            citation=citation,
            url=url,
            evidence=evidence,
            effect=effect,
            reason=reason,
            conditions=tuple(c for c in conditions if c is not None),
            text_kind=text_kind,
            addressees=addressees,
            facts=facts,
            destinations=places,
        )

    def label(self, data: Mapping[str, Any], where: str, role: str | None) -> str | None:
        given = "label" in data
        label = self.text(data, "label", where, required=False)
        at = join(where, "label")
        if given and label is None:  # not a string: said already
            return None
        if role in ("control", "relief") and label not in LABELS:
            shown = f", not {label!r}" if label is not None else ""
            self.fail(at, f"{_a(role)} needs a label ({', '.join(LABELS)}){shown}")
        elif role in ("exclusion", "out-of-scope") and label is not None:
            self.fail(at, f"{_a(role)} carries no label")
        elif role == "control" and label == "exportable":
            self.fail(at, "a control cannot produce 'exportable'")
        return label

    def targets(
        self, data: Mapping[str, Any], where: str, role: str | None, ids: list[str]
    ) -> tuple[str, ...] | None:
        value = data.get("targets", [])
        at = join(where, "targets")
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            self.fail(at, f"must be a list of clause ids, not {kind_of(value)}")
            return None
        if role in ("exclusion", "relief") and not value:
            self.fail(at, f"{_a(role)} must name its targets (the clause ids it acts on)")
        if role in ("control", "out-of-scope") and value:
            self.fail(at, f"{_a(role)} has no targets")
        for target in value:
            if not _names_a_clause(target, ids):
                self.fail(
                    at,
                    f"names unknown clause {target!r} (no clause id is it or begins"
                    f" {target + '.'!r})",
                )
        return tuple(value)

    def conditions(
        self, data: Mapping[str, Any], where: str, role: str | None, text: str | None
    ) -> list[Condition | None]:
        at = join(where, "conditions")
        example = 'conditions = [{ metric = "tpp", op = ">=", threshold = 4800, text = "..." }]'
        raw = self.tables(data.get("conditions", []), at, example)
        if raw is None:
            return []
        if role == "out-of-scope" and raw:
            self.fail(at, f"{_a(role)} has no conditions")
        elif role is not None and role != "out-of-scope" and not raw:
            self.fail(at, f"{_a(role)} needs at least one condition")
        return [self.condition(c, text, f"{at}[{n}]") for n, c in enumerate(raw)]

    def condition(self, data: Any, clause_text: str | None, where: str) -> Condition | None:
        if not isinstance(data, dict):
            self.fail(
                where, f"must be a table ({{ metric = ..., op = ..., ... }}), not {kind_of(data)}"
            )
            return None
        before = len(self.problems)
        self.keys(data, _CONDITION_KEYS, where)
        metric = self.text(data, "metric", where)
        if metric is not None and metric not in CONDITION_METRICS:
            known = ", ".join(CONDITION_METRICS)
            self.fail(join(where, "metric"), f"unknown metric {metric!r} (known: {known})")
        op = self.choice(data, "op", where, OPS)
        threshold = self.threshold(data.get("threshold"), where)
        words = self.text(data, "text", where)
        quoted = (
            words is None or clause_text is None or _normalize(words) in _normalize(clause_text)
        )
        if not quoted:
            self.fail(join(where, "text"), f"{words!r} is not found in the clause's text")
        if len(self.problems) > before:
            return None
        assert metric and op and threshold is not None and words
        return Condition(metric=metric, op=op, threshold=threshold, text=words)

    def threshold(self, raw: Any, where: str) -> Fraction | None:
        if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
            return Fraction(raw)
        if isinstance(raw, Decimal) and raw.is_finite() and raw > 0:
            return Fraction(raw)
        at = join(where, "threshold")
        if raw is None:
            self.fail(at, "is required (a number above zero)")
        elif isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
            self.fail(at, f"must be a number, not {kind_of(raw)}")
        elif isinstance(raw, Decimal) and not raw.is_finite():
            self.fail(at, f"must be finite, not {raw}")
        else:
            self.fail(at, f"must be above zero, not {raw}")
        return None

    def addressees(self, value: Any, where: str) -> tuple[str, ...]:
        """The vendors a letter clause names: a non-empty list of distinct, non-empty names."""
        if value is None:
            return ()
        at = join(where, "addressees")
        if not isinstance(value, list) or not value:
            shown = "an empty array" if value == [] else kind_of(value)
            self.fail(at, f"must be a non-empty list of vendor names, not {shown}")
            return ()
        names: list[str] = []
        for n, name in enumerate(value):
            if not isinstance(name, str) or not name.strip() or name != name.strip():
                self.fail(f"{at}[{n}]", f"{name!r} is not a vendor name")
            elif name in names:
                self.fail(f"{at}[{n}]", f"{name!r} is listed twice")
            else:
                names.append(name)
        return tuple(names)

    def facts(self, value: Any, where: str, match: str | None) -> tuple[Fact, ...]:
        if value is None:
            return ()
        at = join(where, "facts")
        example = 'facts = [{ id = "...", fact = "certification", text = "...", ... }]'
        raw = self.tables(value, at, example)
        if raw is None:
            return ()
        if not raw:
            self.fail(at, "must be a non-empty array of tables (or left out)")
        if match is not None and match != "all":
            self.fail(at, "a clause with facts must match 'all' of its conditions")
        facts = [self.fact(item, f"{at}[{n}]") for n, item in enumerate(raw)]
        seen: set[str] = set()
        for n, fact in enumerate(facts):
            if fact is not None and fact.id in seen:
                self.fail(f"{at}[{n}].id", f"{fact.id!r} is listed twice")
            if fact is not None:
                seen.add(fact.id)
        return tuple(f for f in facts if f is not None)

    def fact(self, data: Any, where: str) -> Fact | None:
        if not isinstance(data, dict):
            self.fail(where, f"must be a table, not {kind_of(data)}")
            return None
        before = len(self.problems)
        self.keys(data, _FACT_KEYS, where)
        kind = self.choice(data, "fact", where, FACT_KINDS)
        on = self.date(data, "on", where, kind == "us_available")
        text_kind = self.choice(data, "text_kind", where, TEXT_KINDS)
        fact_id = self.text(data, "id", where)
        text = self.text(data, "text", where)
        citation = self.text(data, "citation", where)
        if len(self.problems) > before:
            return None
        assert fact_id and kind and text and citation and text_kind
        return Fact(id=fact_id, kind=kind, text=text, citation=citation, text_kind=text_kind, on=on)

    # -- where a control reaches

    def reach(self, data: Any, where: str, ids: list[str]) -> Reach | None:
        if not isinstance(data, dict):
            self.fail(where, f"must be a table ([[reach]]), not {kind_of(data)}")
            return None
        before = len(self.problems)
        self.keys(data, _REACH_KEYS, where)
        reach_id = self.text(data, "id", where)
        at = join(where, "applies_to")
        applies_to = self.places(data.get("applies_to"), at)
        for target in applies_to or ():
            if not _names_a_clause(target, ids):
                self.fail(at, f"applies_to names unknown clause {target!r}")
        example = '{ to = ["D:5"], label = "restricted" }'
        raw_rules = self.tables(data.get("rules"), join(where, "rules"), example)
        if raw_rules is not None and not raw_rules:
            self.fail(join(where, "rules"), "must list at least one rule")
        rules = [self.rule(r, f"{where}.rules[{n}]") for n, r in enumerate(raw_rules or [])]
        otherwise = self.choice(data, "otherwise", where, LABELS)
        text = self.text(data, "text", where)
        citation = self.text(data, "citation", where)
        url = self.text(data, "url", where)
        evidence = self.text(data, "evidence", where)
        if len(self.problems) > before:
            return None
        assert reach_id and applies_to and otherwise and text and citation and url and evidence
        return Reach(
            id=reach_id,
            applies_to=applies_to,
            text=text,
            citation=citation,
            url=url,
            evidence=evidence,
            rules=tuple(r for r in rules if r is not None),
            otherwise=otherwise,
        )

    def rule(self, data: Any, where: str) -> ReachRule | None:
        if not isinstance(data, dict):
            self.fail(where, f"must be a table, not {kind_of(data)}")
            return None
        before = len(self.problems)
        self.keys(data, _RULE_KEYS, where)
        label = self.choice(data, "label", where, LABELS)
        to = self.places(data.get("to"), join(where, "to"))
        since = self.date(data, "since", where, False)
        note = self.text(data, "note", where, required=False)
        if len(self.problems) > before:
            return None
        assert label and to
        return ReachRule(to=to, label=label, since=since, note=note)


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
            # as a sheet is read: 1 MiB at most, strict UTF-8, and never blocking on a
            # FIFO nobody writes to (a `--rules` folder is the user's)
            from chipclass.files import read_input_text
            from chipclass.spec import SheetError

            try:
                text = read_input_text(file[0], "edition")
            except SheetError as error:
                problem = error.problems[0]
                raise EditionError([problem._replace(file=file[1])]) from None
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
        if not stat.S_ISREG(os.stat(file[0]).st_mode):
            return None  # a FIFO or a device: read (or refused) by Registry.parse
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
