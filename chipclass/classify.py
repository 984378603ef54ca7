"""The pipeline: sheet -> metrics -> verdict per edition."""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import Any, NamedTuple

from chipclass.editions import Edition
from chipclass.evaluate import Decision, Part
from chipclass.margin import Change, Row, nearest_each, rows
from chipclass.metrics import Metrics, compute
from chipclass.spec import ChipSpec


class Verdict(NamedTuple):
    """A part under one edition: the decision, the nearest changes, every threshold row."""

    edition: Edition
    metrics: Metrics
    decision: Decision
    nearest_stricter: Change | None
    nearest_laxer: Change | None

    @property
    def label(self) -> str:
        return self.decision.label

    @property
    def rows(self) -> tuple[Row, ...]:
        """Each condition of each clause, measured against the part (worked out when asked
        for: a JSON batch writes them from the edition's lines instead)."""
        return tuple(rows(self.metrics, self.edition))


class Result(NamedTuple):
    """One sheet classified: its spec, its metrics, a verdict per edition asked for."""

    spec: ChipSpec
    metrics: Metrics
    verdicts: tuple[Verdict, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON result object of spec-format.md section 5, key for key."""
        from chipclass.serialize import result_dict

        return result_dict(self)

    def verdict(self, edition_id: str) -> Verdict:
        for verdict in self.verdicts:
            if verdict.edition.id == edition_id:
                return verdict
        raise KeyError(edition_id)


def judge(metrics: Metrics, edition: Edition) -> Verdict:
    part = Part(metrics)
    decision = part.decide(edition)
    (stricter, laxer) = nearest_each(part, (edition,), (decision,))[0]
    return Verdict(edition, metrics, decision, stricter, laxer)


def classify(spec: ChipSpec, editions: Sequence[Edition]) -> Result:
    """judge() under each edition; editions with the same logic (Edition.logic) share the
    decision and the nearest changes, worked out once."""
    metrics = compute(spec)
    part = Part(metrics)
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
        verdicts.append(Verdict(edition, metrics, decision, stricter, laxer))
    return Result(spec, metrics, tuple(verdicts))


class _Module(types.ModuleType):
    """This module, callable: `chipclass.classify(paths, ...)` is the Python API
    (chipclass.api.classify, spec-format.md section 8), and `chipclass.classify` stays
    this module (a submodule's import makes it the package's attribute)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from chipclass.api import classify as classify_paths

        return classify_paths(*args, **kwargs)


sys.modules[__name__].__class__ = _Module
