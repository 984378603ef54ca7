"""The tailoring margin: how far a part sits from each threshold, and the
smallest change of one physical knob that moves its label.

Every boundary is computed exactly: the factor by which a knob must be scaled
for a metric to land on a threshold. The label is then evaluated at the
boundary itself and just beyond it, so a strict comparison (where the part
must pass beyond the line) is told apart from an inclusive one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, NamedTuple, TypeVar

from chipclass.editions import INDETERMINATE, SEVERITY, Clause, Condition, Edition
from chipclass.evaluate import Decision, decide, decide_at, metric_values
from chipclass.metrics import Metrics

KNOBS: Final = ("throughput", "die_area", "memory_bandwidth", "io_bandwidth")

#: the sheet quantity each knob scales, as reported in a Change
KNOB_QUANTITY: Final = {
    "throughput": "tpp",
    "die_area": "applicable_die_area_mm2",
    "memory_bandwidth": "memory_bandwidth_gbs",
    "io_bandwidth": "io_bandwidth_gbs",
}


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


@dataclass(frozen=True)
class Change:
    """The smallest change of one knob that moves the label."""

    knob: str
    factor: Fraction  # the knob's new value over its old value
    label: str
    clause: str
    metric: str  # the metric whose threshold is crossed
    threshold: Fraction
    strict: bool  # True: the boundary itself is not enough, the part must pass beyond it
    knob_value: Fraction  # the knob's quantity at the boundary

    @property
    def change_pct(self) -> Fraction:
        return (self.factor - 1) * 100


class _Part:
    """One part's metric values and knob factors, kept while its verdicts are worked out
    (the same factors recur from edition to edition)."""

    __slots__ = ("bases", "crossings", "factors", "metrics", "values")

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.values = metric_values(metrics)
        #: (knob, metric, threshold numerator, denominator) -> factor
        self.factors: dict[_Key, Fraction | None] = {}
        self.bases: dict[str, Fraction | None] = {}  # knob -> _knob_base()
        #: (id(edition), knob) -> (edition, its _crossings)
        self.crossings: dict[tuple[int, str], tuple[Edition, list[_Crossing]]] = {}

    def factor(self, knob: str, condition: Condition, key: _Key) -> Fraction | None:
        """_factor_of() for this part, kept by the line's key."""
        factors = self.factors
        if key in factors:
            return factors[key]
        factor = factors[key] = _factor_of(self.values, knob, condition)
        return factor


_last_part: list[_Part] = []


def _part(metrics: Metrics) -> _Part:
    """The last part asked about, or this one (the cache holds one part, by identity)."""
    last = _last_part[0] if _last_part else None
    if last is not None and last.metrics is metrics:
        return last
    part = _Part(metrics)
    _last_part[:] = [part]
    return part


def rows(metrics: Metrics, edition: Edition) -> list[Row]:
    values = _part(metrics).values
    datacenter = metrics.datacenter
    found = []
    for clause in edition.evaluated:
        in_scope = clause.in_scope(datacenter)
        for condition in clause.conditions:
            found.append(Row(clause, condition, values[condition.metric], in_scope))
    return found


def _knob_base(metrics: Metrics, knob: str) -> Fraction | None:
    part = _part(metrics)
    if knob in part.bases:
        return part.bases[knob]
    value = part.values[KNOB_QUANTITY[knob]]
    base = part.bases[knob] = value if value is not None and value > 0 else None
    return base


def _factor(metrics: Metrics, knob: str, condition: Condition) -> Fraction | None:
    """The knob factor at which the condition's metric equals its threshold, if any."""
    return _factor_of(metric_values(metrics), knob, condition)


def _factor_of(
    values: Mapping[str, Fraction | None], knob: str, condition: Condition
) -> Fraction | None:
    t = condition.threshold
    metric = condition.metric
    tpp, density = values["tpp"], values["performance_density"]
    memory, io = values["memory_bandwidth_gbs"], values["io_bandwidth_gbs"]
    assert tpp is not None and io is not None
    factor: Fraction | None = None
    if knob == "throughput":
        if metric == "tpp":
            factor = t / tpp
        elif metric == "performance_density" and density:
            factor = t / density
    elif knob == "die_area":
        if metric == "performance_density" and density:
            factor = density / t
    elif knob == "memory_bandwidth" and memory:
        if metric == "memory_bandwidth_gbs":
            factor = t / memory
        elif metric == "memory_plus_io_gbs" and t > io:
            factor = (t - io) / memory
    elif knob == "io_bandwidth" and io:
        if metric == "io_bandwidth_gbs":
            factor = t / io
        elif metric == "memory_plus_io_gbs" and memory is not None and t > memory:
            factor = (t - memory) / io
    return factor if factor is not None and factor > 0 else None


def _boundaries(
    metrics: Metrics, edition: Edition, knob: str
) -> dict[Fraction, list[tuple[Clause, Condition]]]:
    return dict(_crossings(metrics, edition, knob))


#: a boundary along a knob (a factor), and the conditions whose line it is
_Crossing = tuple[Fraction, list[tuple[Clause, Condition]]]
_T = TypeVar("_T")


def _crossings(metrics: Metrics, edition: Edition, knob: str) -> list[_Crossing]:
    """Every boundary along one knob, smallest factor first, with the conditions met there.

    Kept with the part: a verdict walks each knob both ways, and a factor (which depends
    on the metric and threshold only) recurs from edition to edition.
    """
    part = _part(metrics)
    cached = part.crossings.get((id(edition), knob))
    if cached is not None and cached[0] is edition:
        return cached[1]
    found: dict[tuple[int, int], _Crossing] = {}  # by the factor's (reduced) terms
    for clause, condition, key in _lines(edition).get(knob, ()):
        factor = part.factor(knob, condition, key)
        if factor is not None:
            terms = (factor.numerator, factor.denominator)
            if terms in found:
                found[terms][1].append((clause, condition))
            else:
                found[terms] = (factor, [(clause, condition)])
    ordered = _in_order(list(found.values()))
    part.crossings[(id(edition), knob)] = (edition, ordered)
    return ordered


def _in_order(crossings: list[tuple[Fraction, _T]]) -> list[tuple[Fraction, _T]]:
    """Sorted by factor, exactly. Sorting by the nearest float gives the exact order
    whenever those floats all differ (int / int is correctly rounded, so monotonic);
    otherwise, or past the float range, the Fractions themselves are compared."""
    try:
        keyed = sorted((c[0].numerator / c[0].denominator, n) for n, c in enumerate(crossings))
    except OverflowError:
        return sorted(crossings, key=lambda crossing: crossing[0])
    if any(a[0] == b[0] for a, b in itertools.pairwise(keyed)):
        return sorted(crossings, key=lambda crossing: crossing[0])
    return [crossings[n] for _, n in keyed]


#: the metrics whose threshold a knob can reach (where _factor_of can be other than None)
_KNOB_METRICS: Final = {
    "throughput": ("tpp", "performance_density"),
    "die_area": ("performance_density",),
    "memory_bandwidth": ("memory_bandwidth_gbs", "memory_plus_io_gbs"),
    "io_bandwidth": ("io_bandwidth_gbs", "memory_plus_io_gbs"),
}
#: a line's key in a part's factor cache: knob, metric, threshold numerator, denominator
_Key = tuple[str, str, int, int]
_Line = tuple[Clause, Condition, _Key]
_LINES: dict[int, tuple[Edition, dict[str, list[_Line]]]] = {}
_LINE_KEYS: dict[int, tuple[Edition, frozenset[_Key]]] = {}


def _lines(edition: Edition) -> dict[str, list[_Line]]:
    """Per knob, the edition's conditions it can reach, in order, each with its key in a
    part's factor cache; worked out once per edition."""
    cached = _LINES.get(id(edition))
    if cached is not None and cached[0] is edition:
        return cached[1]
    lines: dict[str, list[_Line]] = {knob: [] for knob in _KNOB_METRICS}
    for clause in edition.evaluated:
        for condition in clause.conditions:
            t = condition.threshold
            for knob, reached in _KNOB_METRICS.items():
                if condition.metric in reached:
                    key = (knob, condition.metric, t.numerator, t.denominator)
                    lines[knob].append((clause, condition, key))
    if len(_LINES) >= 64:
        _LINES.clear()
    _LINES[id(edition)] = (edition, lines)
    return lines


def _line_keys(edition: Edition) -> frozenset[_Key]:
    """The keys of every line of the edition, along every knob."""
    cached = _LINE_KEYS.get(id(edition))
    if cached is not None and cached[0] is edition:
        return cached[1]
    keys = frozenset(key for lines in _lines(edition).values() for _, _, key in lines)
    if len(_LINE_KEYS) >= 64:
        _LINE_KEYS.clear()
    _LINE_KEYS[id(edition)] = (edition, keys)
    return keys


def _walk(points: list[Fraction], upward: bool) -> Iterator[tuple[Fraction, Fraction]]:
    """Yield (boundary, a point just beyond it) moving away from factor 1."""
    if upward:
        ahead = [p for p in points if p >= 1]
        for here, after in itertools.zip_longest(ahead, ahead[1:]):
            yield here, (here + after) / 2 if after is not None else here * 2
    else:
        behind = sorted((p for p in points if p <= 1), reverse=True)
        for here, after in itertools.zip_longest(behind, behind[1:]):
            yield here, (here + after) / 2 if after is not None else here / 2


def _walk_terms(
    crossings: list[tuple[Fraction, _T]], upward: bool
) -> Iterator[tuple[tuple[Fraction, _T], tuple[int, int]]]:
    """_walk over crossings: each with the point just beyond it as exact (numerator,
    denominator) terms, unreduced (the point is only decided at, never reported)."""
    if upward:
        line = [c for c in crossings if c[0].numerator >= c[0].denominator]  # factor >= 1
        last_beyond = (2, 1)
    else:
        line = [c for c in reversed(crossings) if c[0].numerator <= c[0].denominator]
        last_beyond = (1, 2)
    for index, crossing in enumerate(line):
        here = crossing[0]
        if index + 1 < len(line):
            after = line[index + 1][0]
            beyond = (
                here.numerator * after.denominator + after.numerator * here.denominator,
                2 * here.denominator * after.denominator,
            )
        else:
            beyond = (here.numerator * last_beyond[0], here.denominator * last_beyond[1])
        yield crossing, beyond


def _pick(
    crossing: list[tuple[Clause, Condition]], prefer: tuple[str, ...]
) -> tuple[Clause, Condition]:
    for clause, condition in crossing:
        if clause.id in prefer:
            return clause, condition
    return crossing[0]


@dataclass(frozen=True)
class Probe:
    """The decision at one point of a walk along a knob: on a boundary, or just beyond it."""

    knob: str
    factor: Fraction  # the boundary: the knob's value there over its value now
    strict: bool  # False: evaluated on the boundary itself; True: just beyond it
    decision: Decision
    crossing: tuple[tuple[Clause, Condition], ...]  # the conditions whose line is the boundary
    knob_value: Fraction  # the knob's quantity at the boundary

    @property
    def label(self) -> str:
        return self.decision.label

    @property
    def change_pct(self) -> Fraction:
        return (self.factor - 1) * 100

    def pick(self, prefer: tuple[str, ...]) -> tuple[Clause, Condition]:
        """The crossing condition to name: the first whose clause is preferred, else the first."""
        return _pick(list(self.crossing), prefer)


def probes(metrics: Metrics, edition: Edition, knob: str, upward: bool) -> Iterator[Probe]:
    """Walk one knob away from the part in one direction, nearest boundary first.

    At every boundary (a factor where some condition's metric meets its threshold) the
    label is decided on the boundary itself and just beyond it, so an inclusive line is
    told apart from a strict one. Nothing is yielded for a knob whose quantity is
    unknown or zero (it cannot be scaled).
    """
    base = _knob_base(metrics, knob)
    if base is None:
        return
    for boundary, strict, numerator, denominator, crossing in _points(
        metrics, edition, knob, upward
    ):
        yield Probe(
            knob=knob,
            factor=boundary,
            strict=strict,
            decision=decide_at(metrics, edition, knob, numerator, denominator),
            crossing=tuple(crossing),
            knob_value=base * boundary,
        )


def _points(
    metrics: Metrics, edition: Edition, knob: str, upward: bool
) -> Iterator[tuple[Fraction, bool, int, int, list[tuple[Clause, Condition]]]]:
    """The points probes() decides at: (boundary, strict, the factor there as numerator
    and denominator, the conditions crossing at the boundary); factor 1 is skipped."""
    for (boundary, crossing), beyond in _walk_terms(_crossings(metrics, edition, knob), upward):
        for (numerator, denominator), strict in (
            ((boundary.numerator, boundary.denominator), False),
            (beyond, True),
        ):
            if numerator != denominator:
                yield boundary, strict, numerator, denominator, crossing


def label_changes(
    metrics: Metrics, edition: Edition, knob: str, upward: bool, current: Decision | None = None
) -> Iterator[Probe]:
    """Every point along one knob, in one direction, where the label changes.

    Nearest first; each yielded probe carries a label different from the one before it
    (the part's own label, `current`, for the first). Labels hold between boundaries,
    so these are all the label changes along the knob in that direction.
    """
    label = (current if current is not None else decide(metrics, edition)).label
    for probe in probes(metrics, edition, knob, upward):
        if probe.label != label:
            label = probe.label
            yield probe


def knob_changes(metrics: Metrics, edition: Edition, current: Decision, knob: str) -> list[Change]:
    """The first stricter and first laxer label along one knob, in each direction."""
    if current.label == INDETERMINATE:
        return []
    rank = SEVERITY[current.label]
    changes: list[Change] = []
    base = _knob_base(metrics, knob)
    if base is None:  # the knob cannot be scaled: no probes
        return changes
    for upward in (True, False):
        seen: set[bool] = set()  # which kinds (stricter=True / laxer=False) were found
        # the probes() walk, without building a Probe at every point
        for boundary, strict, numerator, denominator, crossing in _points(
            metrics, edition, knob, upward
        ):
            reached = decide_at(metrics, edition, knob, numerator, denominator)
            if reached.label in (INDETERMINATE, current.label):
                continue
            stricter = SEVERITY[reached.label] > rank
            if stricter in seen:
                continue
            seen.add(stricter)
            clause, condition = _pick(crossing, reached.clauses if stricter else current.clauses)
            changes.append(
                Change(
                    knob=knob,
                    factor=boundary,
                    label=reached.label,
                    clause=clause.id,
                    metric=condition.metric,
                    threshold=condition.threshold,
                    strict=strict,
                    knob_value=base * boundary,
                )
            )
            if len(seen) == 2:
                break
    return changes


def nearest(
    metrics: Metrics, edition: Edition, current: Decision
) -> tuple[Change | None, Change | None]:
    """(nearest_stricter, nearest_laxer) over all knobs; None where no single knob moves it.

    The same as the smallest of every knob_changes() by (distance from factor 1, strict),
    the first found winning a tie (knobs in KNOBS order, upward before downward).
    """
    return nearest_each(metrics, (edition,), (current,))[0]


def nearest_each(
    metrics: Metrics, editions: Sequence[Edition], decisions: Sequence[Decision]
) -> list[tuple[Change | None, Change | None]]:
    """nearest() under each edition (with the part's decision under it), found best first.

    The walks are laid out once for all the editions: every boundary any of them draws
    along any knob, in order of distance from the part (ties: knobs in KNOBS order,
    upward first, a boundary before the point just beyond it). Each edition then decides
    only at its own boundaries, and just beyond them, until both changes are found (or
    the one its label can have, at either end of the scale). A point just beyond a
    boundary lies before the next boundary of any edition, so the label found there is
    the one every point up to the edition's own next boundary has.
    """
    points = _union_points(metrics, editions)
    found = []
    for edition, current in zip(editions, decisions, strict=True):
        found.append(_nearest_on(metrics, edition, current, points))
    return found


def _nearest_on(
    metrics: Metrics, edition: Edition, current: Decision, points: list[_Point]
) -> tuple[Change | None, Change | None]:
    if current.label == INDETERMINATE:
        return None, None
    rank = SEVERITY[current.label]
    want_stricter, want_laxer = rank < len(SEVERITY) - 1, rank > 0
    stricter: Change | None = None
    laxer: Change | None = None
    own = _line_keys(edition)
    for point in points:
        if own.isdisjoint(point[5]):
            continue  # not a boundary of this edition: its label is a neighbour's
        reached = decide_at(metrics, edition, point[0], point[3], point[4])
        if reached.label in (INDETERMINATE, current.label):
            continue
        if SEVERITY[reached.label] > rank:
            if stricter is not None:
                continue
            stricter = _change(edition, point, reached, reached.clauses)
        else:
            if laxer is not None:
                continue
            laxer = _change(edition, point, reached, current.clauses)
        if (stricter is not None or not want_stricter) and (laxer is not None or not want_laxer):
            break
    return stricter, laxer


#: a point of the walks: knob, boundary, strict, the factor's terms (where the label is
#: decided), the lines crossing at the boundary (as _lines keys), the knob's value now
_Point = tuple[str, Fraction, bool, int, int, frozenset[_Key], Fraction]


def _union_points(metrics: Metrics, editions: Sequence[Edition]) -> list[_Point]:
    """Every boundary the editions draw along every knob, and the point just beyond each
    (before the next boundary), in the order nearest() searches them."""
    part = _part(metrics)
    lines = _distinct_lines(editions)
    points: list[_Point] = []
    for knob in KNOBS:
        base = _knob_base(metrics, knob)
        if base is None:
            continue
        grouped: dict[tuple[int, int], tuple[Fraction, set[_Key]]] = {}
        for key, condition in lines[knob]:
            factor = part.factor(knob, condition, key)
            if factor is not None:
                terms = (factor.numerator, factor.denominator)
                if terms in grouped:
                    grouped[terms][1].add(key)
                else:
                    grouped[terms] = (factor, {key})
        crossings = _in_order([(f, frozenset(keys)) for f, keys in grouped.values()])
        for upward in (True, False):
            for (boundary, keys), (n, d) in _walk_terms(crossings, upward):
                if boundary.numerator != boundary.denominator:
                    terms = (boundary.numerator, boundary.denominator)
                    points.append((knob, boundary, False, *terms, keys, base))
                if n != d:
                    points.append((knob, boundary, True, n, d, keys, base))
    return _by_distance(points)


_DISTINCT: dict[tuple[int, ...], tuple[Sequence[Edition], dict[str, list[tuple[_Key, Condition]]]]]
_DISTINCT = {}


def _distinct_lines(editions: Sequence[Edition]) -> dict[str, list[tuple[_Key, Condition]]]:
    """Per knob, the lines any of the editions draws, each once; worked out once per set."""
    ids = tuple(id(edition) for edition in editions)
    cached = _DISTINCT.get(ids)
    if cached is not None and all(a is b for a, b in zip(cached[0], editions, strict=True)):
        return cached[1]
    lines: dict[str, dict[_Key, Condition]] = {knob: {} for knob in KNOBS}
    for edition in editions:
        for knob, drawn in _lines(edition).items():
            for _, condition, key in drawn:
                lines[knob].setdefault(key, condition)
    distinct = {knob: list(found.items()) for knob, found in lines.items()}
    if len(_DISTINCT) >= 64:
        _DISTINCT.clear()
    _DISTINCT[ids] = (tuple(editions), distinct)
    return distinct


def _by_distance(points: list[_Point]) -> list[_Point]:
    """Stably sorted by (|boundary - 1|, strict), exactly.

    The distance |n - d| / d is keyed by its nearest float (int / int is correctly
    rounded, so monotonic); where two floats are equal but the distances are not, the
    Fractions themselves are compared.
    """
    keyed = sorted(
        (abs(p[1].numerator - p[1].denominator) / p[1].denominator, p[2], n)
        for n, p in enumerate(points)
    )
    for a, b in itertools.pairwise(keyed):
        if a[0] == b[0]:
            x, y = points[a[2]][1], points[b[2]][1]
            if (
                abs(x.numerator - x.denominator) * y.denominator
                != abs(y.numerator - y.denominator) * x.denominator
            ):
                return sorted(points, key=lambda p: (abs(p[1] - 1), p[2]))
    return [points[n] for _, _, n in keyed]


def _change(edition: Edition, point: _Point, reached: Decision, prefer: tuple[str, ...]) -> Change:
    knob, boundary, strict, _, _, keys, base = point
    crossing = [
        (clause, condition) for clause, condition, key in _lines(edition)[knob] if key in keys
    ]
    clause, condition = _pick(crossing, prefer)
    return Change(
        knob=knob,
        factor=boundary,
        label=reached.label,
        clause=clause.id,
        metric=condition.metric,
        threshold=condition.threshold,
        strict=strict,
        knob_value=base * boundary,
    )
