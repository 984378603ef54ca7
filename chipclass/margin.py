"""The tailoring margin: how far a part sits from each threshold, and the
smallest change of one physical knob that moves its label.

Every boundary is computed exactly: the factor by which a knob must be scaled
for a metric to land on a threshold. The label is then evaluated at the
boundary itself and just beyond it, so a strict comparison (where the part
must pass beyond the line) is told apart from an inclusive one.
"""

# No `from __future__ import annotations` here: a NamedTuple's string annotations are
# each compiled at import (typing.ForwardRef), about 30 us a field, and a one-sheet run
# defines some 200 fields. Names defined later (or only for type checking) are quoted.
import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Final, NamedTuple

from chipclass.editions import INDETERMINATE, SEVERITY, Clause, Condition, Edition
from chipclass.evaluate import Decision, LineKey, Part, Values
from chipclass.metrics import Metrics

KNOBS: Final = ("throughput", "die_area", "memory_bandwidth", "io_bandwidth")

#: the sheet quantity each knob scales, as reported in a Change
KNOB_QUANTITY: Final = {
    "throughput": "tpp",
    "die_area": "applicable_die_area_mm2",
    "memory_bandwidth": "memory_bandwidth_gbs",
    "io_bandwidth": "io_bandwidth_gbs",
}


class Change(NamedTuple):
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


# A boundary is a knob factor at which some condition's metric lands on its threshold.
# Factors are exact integer terms (numerator, denominator > 0, not reduced): they are
# worked out by the hundred per sheet, and only the few reported become Fractions.

_Pair = tuple[int, int]
_Key = LineKey


class Walker:
    """One part's margins, worked out while its verdicts are: the knob factor at which
    each line is met (the same factors recur from edition to edition), each knob's base
    value, and the walks laid out for a set of editions."""

    __slots__ = ("bases", "factors", "part", "walks")

    def __init__(self, part: Part) -> None:
        self.part = part
        #: a line's key -> the knob factor at which its metric meets its threshold
        self.factors: dict[_Key, _Pair | None] = {}
        self.bases: dict[str, Fraction | None] = {}  # knob -> the knob's value, if > 0
        #: the editions (compiled) -> the walks through their boundaries
        self.walks: dict[tuple[object, ...], list[_Point]] = {}

    def factor(self, key: _Key) -> _Pair | None:
        """_factor_terms() for this part, kept by the line's key."""
        factors = self.factors
        if key in factors:
            return factors[key]
        factor = factors[key] = _factor_terms(self.part.pairs, *key)
        return factor

    def base(self, knob: str) -> Fraction | None:
        """The knob's quantity, where it can be scaled (known and above zero)."""
        if knob not in self.bases:
            value = self.part.values[KNOB_QUANTITY[knob]]
            self.bases[knob] = value if value is not None and value > 0 else None
        return self.bases[knob]

    def walks_of(self, editions: Sequence[Edition]) -> "list[_Point]":
        """_walks() for these editions, laid out once."""
        key = tuple(edition.compiled for edition in editions)
        found = self.walks.get(key)
        if found is None:
            found = self.walks[key] = _walks(self, editions)
        return found


# --------------------------------------------------------------------------- boundaries
#


def _over(a: _Pair, b: _Pair) -> _Pair | None:
    """a / b as positive terms, or None where it is not positive (or b is zero)."""
    n, d = a[0] * b[1], a[1] * b[0]
    if d < 0:
        n, d = -n, -d
    return (n, d) if n > 0 and d > 0 else None


def _minus(a: _Pair, b: _Pair) -> _Pair:
    return (a[0] * b[1] - b[0] * a[1], a[1] * b[1])


def _factor_terms(values: Values, knob: str, metric: str, tn: int, td: int) -> _Pair | None:
    """The knob factor at which the metric equals the threshold tn / td, if any (> 0)."""
    t = (tn, td)
    tpp, density, memory, io, _ = values
    if knob == "throughput":
        if metric == "tpp":
            return _over(t, tpp)
        if metric == "performance_density" and density is not None:
            return _over(t, density)
    elif knob == "die_area":
        if metric == "performance_density" and density is not None:
            return _over(density, t)
    elif knob == "memory_bandwidth" and memory is not None:
        if metric == "memory_bandwidth_gbs":
            return _over(t, memory)
        if metric == "memory_plus_io_gbs" and io is not None:
            return _over(_minus(t, io), memory)
    elif knob == "io_bandwidth" and io is not None:
        if metric == "io_bandwidth_gbs":
            return _over(t, io)
        if metric == "memory_plus_io_gbs" and memory is not None:
            return _over(_minus(t, memory), io)
    return None


def _line_keys(edition: Edition) -> frozenset[_Key]:
    """The keys of every line of the edition, along every knob."""
    return edition.compiled.keys[None]


def _distinct_keys(editions: Sequence[Edition]) -> dict[str, list[_Key]]:
    """Per knob, the keys of the lines any of the editions draws, each once (in no order
    that matters: the walks sort the boundaries they draw)."""
    return {
        knob: list(frozenset().union(*(e.compiled.keys[knob] for e in editions))) for knob in KNOBS
    }


def _crossing(edition: Edition, knob: str, keys: frozenset[_Key]) -> list[tuple[Clause, Condition]]:
    """The edition's conditions whose line is one of these (in the edition's order)."""
    lines = edition.compiled.lines[knob]
    return [(clause, condition) for clause, condition, key in lines if key in keys]


def _pick(
    crossing: Sequence[tuple[Clause, Condition]], prefer: tuple[str, ...]
) -> tuple[Clause, Condition]:
    for clause, condition in crossing:
        if clause.id in prefer:
            return clause, condition
    return crossing[0]


# --------------------------------------------------------------------------- the walks


class _Point(NamedTuple):
    """A point of a walk along one knob: on a boundary, or just beyond it (before the
    next boundary along the walk)."""

    knob: str
    upward: bool
    boundary: _Pair  # the factor of the boundary
    strict: bool  # False: on the boundary; True: just beyond it
    at: _Pair  # the factor where the label is decided
    keys: frozenset[_Key]  # the lines crossing at the boundary


def _walks(walker: Walker, editions: Sequence[Edition]) -> list[_Point]:
    """Every walk along every knob, through every boundary any of the editions draws, in
    the order the nearest changes are searched: by distance of the boundary from factor 1,
    then a boundary before the point just beyond it, then knobs in KNOBS order, upward
    first, each walk in its own order. A knob whose quantity is unknown or zero has no
    walk; the part itself (factor 1) is not a point.

    A point just beyond a boundary lies before the next boundary of every edition, so the
    label decided there is the label an edition gives all the way to its own next one.
    """
    distinct = _distinct_keys(editions)
    points: list[_Point] = []
    for knob in KNOBS:
        if walker.base(knob) is None:
            continue
        for upward, line in _crossings(walker, distinct[knob]):
            last = (2, 1) if upward else (1, 2)
            for index, (here, keys) in enumerate(line):
                if index + 1 < len(line):
                    after = line[index + 1][0]
                    at = (here[0] * after[1] + after[0] * here[1], 2 * here[1] * after[1])
                else:
                    at = (here[0] * last[0], here[1] * last[1])
                if here[0] != here[1]:
                    points.append(_Point(knob, upward, here, False, here, keys))
                if at[0] != at[1]:
                    points.append(_Point(knob, upward, here, True, at, keys))
    return _by_distance(points)


def _crossings(
    walker: Walker, keys: list[_Key]
) -> tuple[tuple[bool, list[tuple[_Pair, frozenset[_Key]]]], ...]:
    """The boundaries the lines draw along one knob, each with the lines crossing there:
    (True, those at or above factor 1, ascending), (False, those at or below, descending).
    """
    # grouped by the factor's nearest float (int / int is correctly rounded, so monotonic:
    # equal floats hold every exactly equal factor), then told apart exactly
    grouped: dict[float, list[tuple[_Pair, set[_Key]]]] = {}
    for key in keys:
        factor = walker.factor(key)
        if factor is None:
            continue
        same = grouped.setdefault(_near(*factor), [])
        for terms, crossing in same:
            if terms[0] * factor[1] == factor[0] * terms[1]:
                crossing.add(key)
                break
        else:
            same.append((factor, {key}))
    ordered: list[tuple[_Pair, frozenset[_Key]]] = []
    for near in sorted(grouped):
        same = grouped[near]
        if len(same) > 1:
            same.sort(key=lambda c: Fraction(*c[0]))
        ordered.extend((terms, frozenset(crossing)) for terms, crossing in same)
    upward = [c for c in ordered if c[0][0] >= c[0][1]]
    downward = [c for c in reversed(ordered) if c[0][0] <= c[0][1]]
    return (True, upward), (False, downward)


def _by_distance(points: list[_Point]) -> list[_Point]:
    """Stably sorted by (|boundary - 1|, strict), exactly.

    The distance |n - d| / d is keyed by its nearest float (monotonic, as above); where
    two floats are equal but the distances are not, the Fractions themselves are compared.
    """
    keyed = sorted(
        (_near(abs(p.boundary[0] - p.boundary[1]), p.boundary[1]), p.strict, n)
        for n, p in enumerate(points)
    )
    for a, b in itertools.pairwise(keyed):
        if a[0] == b[0]:
            (xn, xd), (yn, yd) = points[a[2]].boundary, points[b[2]].boundary
            if abs(xn - xd) * yd != abs(yn - yd) * xd:
                return sorted(points, key=lambda p: (abs(Fraction(*p.boundary) - 1), p.strict))
    return [points[n] for _, _, n in keyed]


def _near(numerator: int, denominator: int) -> float:
    """The nearest float to a positive ratio (int / int is correctly rounded, so the order
    of ratios is kept, or they tie); infinity past the float range, still in order."""
    try:
        return numerator / denominator
    except OverflowError:
        return math.inf


class Probe(NamedTuple):
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
        return _pick(self.crossing, prefer)


def _walk(walker: Walker, edition: Edition, knob: str, upward: bool) -> Iterator[_Point]:
    """The points of one walk under one edition, in order (nearest boundary first)."""
    for point in walker.walks_of((edition,)):
        if point.knob == knob and point.upward == upward:
            yield point


def probes(metrics: Metrics, edition: Edition, knob: str, upward: bool) -> Iterator[Probe]:
    """Walk one knob away from the part in one direction, nearest boundary first.

    At every boundary (a factor where some condition's metric meets its threshold) the
    label is decided on the boundary itself and just beyond it, so an inclusive line is
    told apart from a strict one. Nothing is yielded for a knob whose quantity is
    unknown or zero (it cannot be scaled).
    """
    walker = Walker(Part(metrics))
    base = walker.base(knob)
    for point in _walk(walker, edition, knob, upward):
        assert base is not None  # a knob without a base has no walk
        factor = Fraction(*point.boundary)
        yield Probe(
            knob=knob,
            factor=factor,
            strict=point.strict,
            decision=walker.part.decide_at(edition, knob, *point.at),
            crossing=tuple(_crossing(edition, knob, point.keys)),
            knob_value=base * factor,
        )


def label_changes(
    metrics: Metrics, edition: Edition, knob: str, upward: bool, current: Decision | None = None
) -> Iterator[Probe]:
    """Every point along one knob, in one direction, where the label changes.

    Nearest first; each yielded probe carries a label different from the one before it
    (the part's own label, `current`, for the first). Labels hold between boundaries,
    so these are all the label changes along the knob in that direction.
    """
    label = (current if current is not None else Part(metrics).decide(edition)).label
    for probe in probes(metrics, edition, knob, upward):
        if probe.label != label:
            label = probe.label
            yield probe


def knob_changes(metrics: Metrics, edition: Edition, current: Decision, knob: str) -> list[Change]:
    """The first stricter and first laxer label along one knob, in each direction."""
    walker = Walker(Part(metrics))
    changes: list[Change] = []
    for upward in (True, False):
        points = list(_walk(walker, edition, knob, upward))
        found = [c for c in _first_changes(walker, edition, current, points) if c is not None]
        found.sort(key=lambda c: (abs(c.factor - 1), c.strict))  # the walk's order
        changes.extend(found)
    return changes


def nearest(
    metrics: Metrics, edition: Edition, current: Decision
) -> tuple[Change | None, Change | None]:
    """(nearest_stricter, nearest_laxer) over all knobs; None where no single knob moves it.

    The smallest of every knob_changes() by (distance from factor 1, strict), the first
    found winning a tie (knobs in KNOBS order, upward before downward).
    """
    return nearest_each(Part(metrics), (edition,), (current,))[0]


def nearest_each(
    part: Part, editions: Sequence[Edition], decisions: Sequence[Decision]
) -> list[tuple[Change | None, Change | None]]:
    """nearest() under each edition (given the part's decision under it).

    The walks are laid out once for all the editions (_walks); each edition then decides
    only at its own boundaries, and just beyond them, nearest first, until both changes
    are found (or the one its label can have, at either end of the scale).
    """
    walker = Walker(part)
    points = walker.walks_of(editions)
    return [
        _first_changes(walker, edition, current, points)
        for edition, current in zip(editions, decisions, strict=True)
    ]


def _first_changes(
    walker: Walker, edition: Edition, current: Decision, points: Sequence[_Point]
) -> tuple[Change | None, Change | None]:
    """The first point, in the order given, with a stricter label, and the first with a
    laxer one, under the edition (points on no line of the edition are passed over)."""
    if current.label == INDETERMINATE:
        return None, None
    rank = SEVERITY[current.label]
    want_stricter, want_laxer = rank < len(SEVERITY) - 1, rank > 0
    stricter: Change | None = None
    laxer: Change | None = None
    own = _line_keys(edition)
    decide_at = walker.part.decide_at
    for point in points:
        if own.isdisjoint(point.keys):
            continue  # not a boundary of this edition: its label is a neighbour's
        reached = decide_at(edition, point.knob, *point.at)
        if reached.label in (INDETERMINATE, current.label):
            continue
        if SEVERITY[reached.label] > rank:
            if stricter is not None:
                continue
            stricter = _change(walker, edition, point, reached, reached.clauses)
        else:
            if laxer is not None:
                continue
            laxer = _change(walker, edition, point, reached, current.clauses)
        if (stricter is not None or not want_stricter) and (laxer is not None or not want_laxer):
            break
    return stricter, laxer


def _change(
    walker: Walker, edition: Edition, point: _Point, reached: Decision, prefer: tuple[str, ...]
) -> Change:
    clause, condition = _pick(_crossing(edition, point.knob, point.keys), prefer)
    factor = Fraction(*point.boundary)
    base = walker.base(point.knob)
    assert base is not None  # a knob without a base has no walk
    return Change(
        knob=point.knob,
        factor=factor,
        label=reached.label,
        clause=clause.id,
        metric=condition.metric,
        threshold=condition.threshold,
        strict=point.strict,
        knob_value=base * factor,
    )
