"""Two parts side by side: what changed between them, and what it did to each label.

`compare(a, b, editions)` classifies both sheets under the same editions and lines
them up: every metric (and every precision and link of the sheets) with its exact
change, and per edition both labels, the clauses each part meets and the
thresholds the second part moved across. `a` is the reference (usually the part a
variant was cut down from), `b` the part compared with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Final

from chipclass.classify import Result, Row, Verdict, classify
from chipclass.editions import Edition
from chipclass.evaluate import clause_met, metric_values
from chipclass.files import iter_sheet_paths, load_sheet
from chipclass.metrics import METRIC_IDS
from chipclass.spec import KNOWN_BITS, ChipSpec, Problem, SheetError

#: sheet quantities that are not rule metrics but show what was cut
LINK_IDS: Final = ("chip_to_chip_gbs", "host_gbs", "memory_capacity_gb")


@dataclass(frozen=True)
class Delta:
    """One quantity on both sides; None is unknown (or, for a precision, absent)."""

    name: str
    a: Fraction | None
    b: Fraction | None

    @property
    def delta(self) -> Fraction | None:
        if self.a is None or self.b is None:
            return None
        return self.b - self.a

    @property
    def delta_pct(self) -> Fraction | None:
        """The change as a percentage of `a`; None when `a` is zero or either is unknown."""
        delta = self.delta
        if delta is None or self.a is None or self.a == 0:
            return None
        return delta * 100 / self.a


@dataclass(frozen=True)
class Crossing:
    """One numeric condition whose outcome differs between the parts: b moved across it."""

    clause: str
    metric: str
    op: str
    threshold: Fraction
    a: Fraction
    b: Fraction
    met_a: bool
    met_b: bool

    @property
    def direction(self) -> str:
        """Where b landed relative to the threshold, in the words of the comparison."""
        inclusive_above = self.op in (">=", "<")  # the threshold itself is on the upper side
        if self.b < self.a:
            return "fell below" if inclusive_above else "fell to or below"
        return "rose to or above" if inclusive_above else "rose above"


@dataclass(frozen=True)
class EditionDiff:
    edition: Edition
    a: Verdict
    b: Verdict
    met_a: tuple[str, ...]  # ids of the clauses part a meets (in scope, conditions hold)
    met_b: tuple[str, ...]
    crossed: tuple[Crossing, ...]

    @property
    def changed(self) -> bool:
        return self.a.label != self.b.label


@dataclass(frozen=True)
class Comparison:
    a: Result
    b: Result
    metrics: tuple[Delta, ...]  # METRIC_IDS, in order
    throughput: tuple[Delta, ...]  # dense TOPS per precision named by either sheet
    links: tuple[Delta, ...]  # LINK_IDS, in order
    editions: tuple[EditionDiff, ...]

    @property
    def differs(self) -> bool:
        """Does any edition compared give the two parts different labels?"""
        return any(e.changed for e in self.editions)


def compare(a: ChipSpec, b: ChipSpec, editions: Sequence[Edition]) -> Comparison:
    return compare_results(classify(a, editions), classify(b, editions))


def compare_results(a: Result, b: Result) -> Comparison:
    """Line up two results classified under the same editions, in the same order."""
    ids_a = [v.edition.id for v in a.verdicts]
    ids_b = [v.edition.id for v in b.verdicts]
    if ids_a != ids_b:
        raise ValueError(f"results classified under different editions: {ids_a} vs {ids_b}")
    metrics = tuple(Delta(m, a.metrics.value(m), b.metrics.value(m)) for m in METRIC_IDS)
    return Comparison(
        a=a,
        b=b,
        metrics=metrics,
        throughput=throughput_deltas(a.spec, b.spec),
        links=tuple(Delta(name, _link(a.spec, name), _link(b.spec, name)) for name in LINK_IDS),
        editions=tuple(
            edition_diff(a, b, va, vb) for va, vb in zip(a.verdicts, b.verdicts, strict=True)
        ),
    )


def throughput_deltas(a: ChipSpec, b: ChipSpec) -> tuple[Delta, ...]:
    """Dense TOPS per precision, known precisions first (fp64 ... int4), then the others."""
    tops_a = {t.precision: t.tops for t in a.throughput}
    tops_b = {t.precision: t.tops for t in b.throughput}
    order = list(KNOWN_BITS)
    names = sorted(set(tops_a) | set(tops_b), key=lambda n: _precision_rank(n, order))
    return tuple(Delta(n, tops_a.get(n), tops_b.get(n)) for n in names)


def _precision_rank(name: str, order: list[str]) -> tuple[int, str]:
    return (order.index(name), "") if name in order else (len(order), name)


def _link(spec: ChipSpec, name: str) -> Fraction | None:
    if name == "chip_to_chip_gbs":
        return spec.chip_to_chip_gbs
    if name == "host_gbs":
        return spec.host_gbs
    if name == "memory_capacity_gb":
        return spec.memory_capacity_gb
    raise KeyError(name)


def met_clauses(result: Result, edition: Edition) -> tuple[str, ...]:
    """The clauses (controls, exclusions, reliefs) whose conditions the part meets."""
    values = metric_values(result.metrics)
    datacenter = result.metrics.datacenter
    return tuple(c.id for c in edition.evaluated if clause_met(c, values, datacenter) is True)


def crossings(rows_a: Sequence[Row], rows_b: Sequence[Row]) -> tuple[Crossing, ...]:
    """Conditions met on one side and not the other, for clauses in scope for either part.

    Conditions whose value is unknown on either side are left out: nothing is known
    to have been crossed.
    """
    found: list[Crossing] = []
    for row_a, row_b in zip(rows_a, rows_b, strict=True):
        if not (row_a.in_scope or row_b.in_scope):
            continue
        if row_a.value is None or row_b.value is None or row_a.met is None or row_b.met is None:
            continue
        if row_a.met == row_b.met:
            continue
        condition = row_a.condition
        found.append(
            Crossing(
                clause=row_a.clause.id,
                metric=condition.metric,
                op=condition.op,
                threshold=condition.threshold,
                a=row_a.value,
                b=row_b.value,
                met_a=row_a.met,
                met_b=row_b.met,
            )
        )
    return tuple(found)


def edition_diff(a: Result, b: Result, verdict_a: Verdict, verdict_b: Verdict) -> EditionDiff:
    edition = verdict_a.edition
    return EditionDiff(
        edition=edition,
        a=verdict_a,
        b=verdict_b,
        met_a=met_clauses(a, edition),
        met_b=met_clauses(b, edition),
        crossed=crossings(verdict_a.rows, verdict_b.rows),
    )


# --------------------------------------------------------------------------- the parent


@dataclass(frozen=True)
class ParentSearch:
    """The outcome of looking up a variant's parent in a catalog."""

    parent: ChipSpec | None
    matches: tuple[str, ...]  # files whose chip id is the parent id
    problems: tuple[Problem, ...]  # catalog sheets that could not be read


def find_parent(variant: ChipSpec, catalog: Iterable[Path]) -> ParentSearch:
    """Load every sheet under the catalog paths and pick the one `variant_of` names.

    `parent` is set only when exactly one readable sheet carries that id. Sheets that
    cannot be read are returned as problems, never guessed at.
    """
    target = variant.variant_of
    found: list[ChipSpec] = []
    problems: list[Problem] = []
    for path, message in iter_sheet_paths(list(catalog)):
        if message is not None:
            problems.append(Problem(str(path), message))
            continue
        try:
            spec = load_sheet(path)
        except SheetError as error:
            problems.extend(error.problems)
            continue
        if target is not None and spec.id == target:
            found.append(spec)
    parent = found[0] if len(found) == 1 else None
    return ParentSearch(parent, tuple(s.path for s in found), tuple(problems))
