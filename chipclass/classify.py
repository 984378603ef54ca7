"""The pipeline: sheet -> metrics -> verdict per edition."""

# No `from __future__ import annotations` here: a NamedTuple's string annotations are
# each compiled at import (typing.ForwardRef), about 30 us a field, and a one-sheet run
# defines some 200 fields. Names defined later (or only for type checking) are quoted.
import datetime as dt
import sys
import types
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from chipclass import tariffs
from chipclass.editions import Clause, Condition, Edition, Fact
from chipclass.evaluate import Certifications, Decision, Part, metric_values
from chipclass.margin import Change, nearest_each
from chipclass.metrics import Metrics, compute
from chipclass.spec import ChipSpec
from chipclass.tariffs import Band, TariffBand

if TYPE_CHECKING:
    from chipclass.presumption import Finding


class FactStatus(NamedTuple):
    """One fact a clause of the edition requires, and whether the part meets it."""

    clause: str
    fact: Fact
    status: str  # "met" | "not-met" | "unknown"
    assumed: bool = False  # a certification no transaction supplied: assumed for the label


class Row(NamedTuple):
    """One numeric condition of one clause, measured against the part.

    A named tuple, not a dataclass: a verdict holds one per condition of every clause, and
    a batch builds them by the hundred per sheet.
    """

    clause: Clause
    condition: Condition
    value: Fraction | None
    in_scope: bool

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.condition.holds(self.value)

    @property
    def margin(self) -> Fraction | None:
        return None if self.value is None else self.value - self.condition.threshold

    @property
    def margin_pct(self) -> Fraction | None:
        margin = self.margin
        return None if margin is None else margin * 100 / self.condition.threshold


def rows(metrics: Metrics, edition: Edition) -> list[Row]:
    """Each condition of each evaluated clause, measured against the part."""
    values = metric_values(metrics)
    datacenter, vendor = metrics.datacenter, metrics.vendor
    found = []
    for clause in edition.evaluated:
        in_scope = clause.in_scope(datacenter, vendor)
        for condition in clause.conditions:
            found.append(Row(clause, condition, values[condition.metric], in_scope))
    return found


class Verdict(NamedTuple):
    """A part under one edition: the decision, the nearest changes, every threshold row."""

    edition: Edition
    metrics: Metrics
    decision: Decision
    nearest_stricter: Change | None
    nearest_laxer: Change | None
    conditions: tuple[FactStatus, ...] = ()

    @property
    def label(self) -> str:
        return self.decision.label

    @property
    def rows(self) -> tuple[Row, ...]:
        """Each condition of each clause, measured against the part (worked out when asked
        for: a JSON batch writes them from the edition's lines instead)."""
        return tuple(rows(self.metrics, self.edition))


class Result(NamedTuple):
    """One sheet classified: its spec, its metrics, a verdict per edition asked for, and
    the tariff bands it falls in (or may: an unknown metric) on the verdicts' last day."""

    spec: ChipSpec
    metrics: Metrics
    verdicts: tuple[Verdict, ...]
    tariffs: tuple[TariffBand, ...] = ()
    #: Note 1 to 3A090.a (the foundry presumption), for a sheet that states its transistor
    #: count: reported beside the verdicts, never lowering a label
    presumption: "Finding | None" = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON result object of spec-format.md section 5, key for key."""
        from chipclass.serialize import result_dict

        return result_dict(self)

    def verdict(self, edition_id: str) -> Verdict:
        for verdict in self.verdicts:
            if verdict.edition.id == edition_id:
                return verdict
        raise KeyError(edition_id)


def judge(
    metrics: Metrics, edition: Edition, certifications: Certifications | None = None
) -> Verdict:
    part = Part(metrics, certifications)
    decision = part.decide(edition)
    (stricter, laxer) = nearest_each(part, (edition,), (decision,))[0]
    return Verdict(edition, metrics, decision, stricter, laxer, conditions(part, edition))


def classify(
    spec: ChipSpec,
    editions: Sequence[Edition],
    certifications: Certifications | None = None,
    tariff_bands: Sequence[Band] | None = None,
) -> Result:
    """judge() under each edition; editions with the same logic (Edition.logic) share the
    decision and the nearest changes, worked out once.

    certifications: the exporter's certifications of a transaction, by id (True, False or
    None: unknown); without a transaction (None) they are assumed for the label and listed
    as assumed. tariff_bands: the tariff data to read (default: the bundled file, read for
    this call; a batch reads it once and passes it)."""
    metrics = compute(spec)
    part = Part(metrics, certifications)
    distinct = list({edition.logic: edition for edition in editions}.values())
    decisions = [part.decide(edition) for edition in distinct]
    changes = nearest_each(part, distinct, decisions)
    shared = {
        edition.logic: (decision, *change)
        for edition, decision, change in zip(distinct, decisions, changes, strict=True)
    }
    verdicts = []
    for edition in editions:
        decision, stricter, laxer = shared[edition.logic]
        verdicts.append(
            Verdict(edition, metrics, decision, stricter, laxer, conditions(part, edition))
        )
    found: tuple[TariffBand, ...] = ()
    finding: Finding | None = None
    if editions:
        day = max(e.on or e.effective for e in editions)
        data = tuple(tariff_bands) if tariff_bands is not None else tariffs.bundled()
        found = tuple(tariffs.bands(metrics, day, data=data))
        if spec.transistors_billion is not None:
            finding = foundry_presumption(spec, day)
    return Result(spec, metrics, tuple(verdicts), found, finding)


def foundry_presumption(spec: ChipSpec, day: dt.date) -> "Finding":
    """Note 1 to 3A090.a on `day` for the sheet's transistor count (HBM read from the
    memory type; unknown when the sheet names none)."""
    from chipclass import presumption

    kind = (spec.memory_type or "").upper()
    hbm = True if "HBM" in kind else (None if not kind else False)
    return presumption.presumption_on(
        spec.transistors_billion, day, hbm=hbm, data=presumption.bundled()
    )


def conditions(part: Part, edition: Edition) -> tuple[FactStatus, ...]:
    """Every fact the edition's clauses require of this part (clauses in scope only)."""
    compiled = edition.compiled
    if not compiled.facts:
        return ()
    truths = dict(zip(compiled.facts, part.fact_truths(compiled), strict=True))
    metrics = part.metrics
    found = []
    for clause in edition.evaluated:
        if not clause.in_scope(metrics.datacenter, metrics.vendor):
            continue
        for fact in clause.facts:
            truth = truths[fact]
            assumed = fact.kind == "certification" and part.certifications is None
            status = "unknown" if truth is None or assumed else ("met" if truth else "not-met")
            found.append(FactStatus(clause.id, fact, status, assumed))
    return tuple(found)


class _Module(types.ModuleType):
    """This module, callable: `chipclass.classify(paths, ...)` is the Python API
    (chipclass.api.classify, spec-format.md section 8), and `chipclass.classify` stays
    this module (a submodule's import makes it the package's attribute)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from chipclass.api import classify as classify_paths

        return classify_paths(*args, **kwargs)


sys.modules[__name__].__class__ = _Module
