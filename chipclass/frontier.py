"""Tailoring on several knobs at once: the exact Pareto frontier.

The question is the inverse of classification: which combinations of relative changes of
the chosen knobs bring a part within a target label (no more severe, never
indeterminate) under EVERY edition named, and which of them are Pareto-minimal (no
other combination is at most as large in magnitude on every knob and smaller on one)?

Nothing here samples a grid. Write each knob as a factor (its new value over its value
now): t (throughput), a (die area), m (memory), i (I/O). Every condition an edition
compares is then a line in the plane of its knob group, exactly:

    tpp >= x           T t - x >= 0                     (throughput, die area)
    density >= x       T t - x A a >= 0   (A a > 0)     (throughput, die area)
    memory >= x        M m - x >= 0                     (memory, I/O)
    I/O >= x           I i - x >= 0                     (memory, I/O)
    memory + I/O >= x  M m + I i - x >= 0               (memory, I/O)

No condition mixes the two groups, so the changed part's label is constant on each
product of a face of the first group's arrangement of lines with a face of the second's.
Each group's faces are enumerated exactly (vertices, a representative point inside each
face, its closure as a convex polygon), the label of each product decided by the
evaluator at the representatives, and the Pareto-minimal points of the closures of the
products within the target collected and filtered for domination, exactly, in the
magnitudes |factor - 1| (the lines `factor = 1` are part of the arrangement, so on each
face every magnitude is linear). A frontier point on a line the part must pass beyond
(the boundary itself excluded) is `strict`. Where a stretch of the frontier follows a
line that trades one knob against the other (a density line, a memory + I/O sum), it is
reported as a segment: its two end points and the line.

The label is asked of the evaluator through one adapter, `_outcome`.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Final, NamedTuple

from chipclass.editions import INDETERMINATE, LABELS, SEVERITY, Edition
from chipclass.metrics import Metrics

KNOBS: Final = ("throughput", "die_area", "memory_bandwidth", "io_bandwidth")
#: the knobs whose metrics share conditions; no condition mixes the two groups
GROUPS: Final = (("throughput", "die_area"), ("memory_bandwidth", "io_bandwidth"))
#: the sheet quantity each knob scales
QUANTITY: Final = {
    "throughput": "tpp",
    "die_area": "applicable_die_area_mm2",
    "memory_bandwidth": "memory_bandwidth_gbs",
    "io_bandwidth": "io_bandwidth_gbs",
}
#: the metrics each group's conditions compare
GROUP_METRICS: Final = (
    ("tpp", "performance_density"),
    ("memory_bandwidth_gbs", "io_bandwidth_gbs", "memory_plus_io_gbs"),
)
#: how far a strict point's witness lies from it, at most, in any factor: toward the
#: representative of its face (any point strictly between is inside: a face is convex,
#: and its representative lies in its relative interior)
NUDGE: Final = Fraction(1, 10**6)

Point = tuple[Fraction, ...]


# --------------------------------------------------------------------------- the evaluator


class Outcome(NamedTuple):
    label: str
    clauses: tuple[str, ...]


def _outcome(metrics: Metrics, edition: Edition) -> Outcome:
    """The ONE adapter to the evaluator: the label of a part under an edition, and the
    clauses that decide it."""
    from chipclass.evaluate import decide

    decision = decide(metrics, edition)
    return Outcome(decision.label, tuple(decision.clauses))


def within(label: str, target: str) -> bool:
    """No more severe than the target, and not indeterminate."""
    return label != INDETERMINATE and SEVERITY[label] <= SEVERITY[target]


def apply(metrics: Metrics, factors: Mapping[str, Fraction]) -> Metrics:
    """The part with each knob multiplied by its factor (> 0)."""
    for knob in KNOBS:
        factor = factors.get(knob)
        if factor is not None and factor != 1:
            metrics = metrics.scaled(knob, factor)
    return metrics


# --------------------------------------------------------------------------- results


class Bound(NamedTuple):
    """One condition of one edition that draws a line: the line's words."""

    edition: str
    clause: str
    metric: str
    op: str
    threshold: Fraction


class Line(NamedTuple):
    """coeffs . factors + const = 0, over a group's moving knobs (first nonzero coeff 1)."""

    coeffs: tuple[Fraction, ...]
    const: Fraction
    bounds: tuple[Bound, ...]  # empty for the lines factor = 1, factor = 0, and the box

    def at(self, point: Point) -> Fraction:
        return sum((c * x for c, x in zip(self.coeffs, point, strict=True)), self.const)


@dataclass(frozen=True)
class Verdict:
    edition: str
    label: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class FrontierPoint:
    """One point of the frontier: the changes to the boundary itself."""

    factors: dict[str, Fraction]  # knob -> new value / value now, for every moving knob
    strict: bool  # the point itself is outside the target: pass beyond it
    verdicts: tuple[Verdict, ...]  # per edition: the label reached, and its clauses
    on: tuple[Bound, ...]  # the conditions whose line the point lies on
    witness: dict[str, Fraction]  # factors of a point just beyond (= factors if not strict)
    piece: int  # the piece (point, segment, surface) this point belongs to
    limit: bool = False  # the end of a segment that another frontier point takes over

    def change_pct(self, knob: str) -> Fraction:
        return (self.factors.get(knob, Fraction(1)) - 1) * 100

    @property
    def label(self) -> str:
        """The most severe label reached under the editions."""
        return max((v.label for v in self.verdicts), key=lambda name: SEVERITY[name])

    @property
    def clauses(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for verdict in self.verdicts:
            for clause in verdict.clauses:
                seen.setdefault(clause)
        return tuple(seen)


@dataclass(frozen=True)
class Piece:
    """A connected stretch of the frontier: a point, a segment along one line, or (with
    both groups trading off) a surface along two."""

    id: int
    kind: str  # "point", "segment" or "surface"
    points: tuple[int, ...]  # indexes into Frontier.points: its end points or corners
    follows: tuple[tuple[Bound, ...], ...]  # per line followed: the conditions drawing it


@dataclass(frozen=True)
class Frontier:
    target: str
    editions: tuple[Edition, ...]
    knobs: tuple[str, ...]  # the knobs that move
    fixed: dict[str, str]  # knobs asked for that cannot move, and why
    current: tuple[Verdict, ...]  # the part as it is
    points: tuple[FrontierPoint, ...]
    pieces: tuple[Piece, ...]
    metrics: Metrics = field(repr=False)

    @property
    def reachable(self) -> bool:
        return bool(self.points)

    @property
    def within_target(self) -> bool:
        return all(within(v.label, self.target) for v in self.current)


# --------------------------------------------------------------------------- lines


def _normal(coeffs: Sequence[Fraction], const: Fraction) -> tuple[tuple[Fraction, ...], Fraction]:
    lead = next(c for c in coeffs if c != 0)
    scale = abs(lead)
    return tuple(c / scale for c in coeffs), const / scale


def _group_lines(
    metrics: Metrics, editions: Sequence[Edition], group: int, moving: tuple[str, ...]
) -> list[Line]:
    """The lines the editions' conditions draw in one group's plane of moving knobs."""
    found: dict[tuple[tuple[Fraction, ...], Fraction], list[Bound]] = {}
    for edition in editions:
        for clause in edition.evaluated:
            for condition in clause.conditions:
                if condition.metric not in GROUP_METRICS[group]:
                    continue
                form = _form(metrics, condition.metric, condition.threshold)
                if form is None:
                    continue
                coeffs = tuple(form[0].get(knob, Fraction(0)) for knob in moving)
                const = form[1] + sum(
                    (c for knob, c in form[0].items() if knob not in moving), Fraction(0)
                )
                if all(c == 0 for c in coeffs):
                    continue  # the line does not move with these knobs
                key = _normal(coeffs, const)
                bound = Bound(
                    edition.id, clause.id, condition.metric, condition.op, condition.threshold
                )
                bounds = found.setdefault(key, [])
                if bound not in bounds:
                    bounds.append(bound)
    return [Line(key[0], key[1], tuple(bounds)) for key, bounds in found.items()]


def _form(
    metrics: Metrics, metric: str, threshold: Fraction
) -> tuple[dict[str, Fraction], Fraction] | None:
    """metric(factors) - threshold as a linear form in the factors (with the same sign),
    or None where the metric is unknown and no line moves the decision."""
    tpp = metrics.tpp
    area = metrics.value("applicable_die_area_mm2")
    memory = metrics.value("memory_bandwidth_gbs")
    io = metrics.value("io_bandwidth_gbs")
    if metric == "tpp":
        return {"throughput": tpp}, -threshold
    if metric == "performance_density":
        if area is None or area == 0:
            return None
        return {"throughput": tpp, "die_area": -threshold * area}, Fraction(0)
    if metric == "memory_bandwidth_gbs":
        return None if memory is None else ({"memory_bandwidth": memory}, -threshold)
    if metric == "io_bandwidth_gbs":
        return None if io is None else ({"io_bandwidth": io}, -threshold)
    # memory + I/O: with one term unknown, the decision over the unknown still changes
    # where the known term alone reaches the threshold
    if memory is None and io is None:
        return None
    terms: dict[str, Fraction] = {}
    if memory is not None:
        terms["memory_bandwidth"] = memory
    if io is not None:
        terms["io_bandwidth"] = io
    return terms, -threshold


def _unit(d: int, k: int, const: Fraction) -> Line:
    """The line factor_k = -const (k-th of d moving knobs)."""
    coeffs = tuple(Fraction(1) if n == k else Fraction(0) for n in range(d))
    return Line(coeffs, const, ())


# --------------------------------------------------------------------------- faces


@dataclass
class Face:
    """One face of a group's arrangement (open cell, edge or vertex)."""

    rep: Point  # a point in its relative interior
    signs: tuple[int, ...]  # the sign of every line there
    signature: tuple[int, ...]  # the signs of the condition lines only
    hull: tuple[Point, ...] = ()  # the closure's corners, in order (filled when needed)


@dataclass
class Arrangement:
    lines: list[Line]  # condition lines first, then factor = 1, factor = 0, the box
    conditions: int  # how many of `lines` are condition lines
    faces: list[Face]
    vertices: list[Point]
    vertex_signs: list[tuple[int, ...]]


def _sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


def _solve(p: Line, q: Line) -> Point | None:
    (a, b), (c, d) = p.coeffs, q.coeffs
    det = a * d - b * c
    if det == 0:
        return None
    return ((-p.const * d + b * q.const) / det, (-a * q.const + c * p.const) / det)


def _mid(a: Fraction, b: Fraction) -> Fraction:
    return (a + b) / 2


def arrangement(lines: list[Line], d: int, low: bool) -> Arrangement:
    """Every face of the arrangement of `lines` (and of factor = 1) in the open box
    (0, B)^d of factors, with B beyond every vertex. `low`: also the edges and vertices
    (needed only where some condition is `<=` or `>`, whose line has a truth of its own)."""
    count = len(lines)
    if d == 0:
        return Arrangement([], 0, [Face((), (), ())], [()], [()])
    inner = list(lines) + [_unit(d, k, Fraction(-1)) for k in range(d)]
    inner += [_unit(d, k, Fraction(0)) for k in range(d)]
    if d == 1:
        roots = sorted({-line.const / line.coeffs[0] for line in inner})
        top = 2 * max(roots) + 2
        all_lines = [*inner, _unit(1, 0, -top)]
        stops = [r for r in roots if r > 0] + [top]
        points: list[Point] = []
        below = Fraction(0)
        for stop in stops:
            points.append((_mid(below, stop),))
            if low and stop != top:
                points.append((stop,))
            below = stop
        vertices: list[Point] = [(r,) for r in sorted({*roots, top}) if r >= 0]
    else:
        vertices_set: set[Point] = set()
        for p, q in itertools.combinations(inner, 2):
            point = _solve(p, q)
            if point is not None:
                vertices_set.add(point)
        top = 2 * max(max(abs(x) for x in v) for v in vertices_set) + 2
        box = [_unit(2, 0, -top), _unit(2, 1, -top)]
        for p in inner:
            for q in box:
                point = _solve(p, q)
                if point is not None:
                    vertices_set.add(point)
        vertices_set.add((top, top))
        all_lines = inner + box
        vertices = sorted(v for v in vertices_set if all(0 <= x <= top for x in v))
        xs = sorted({v[0] for v in vertices})
        samples = [_mid(a, b) for a, b in itertools.pairwise(xs)]
        if low:
            samples += [x for x in xs if 0 < x < top]
        slanted = [line for line in all_lines if line.coeffs[1] != 0]
        points = []
        for x in samples:
            ys = sorted(
                {
                    y
                    for line in slanted
                    if 0 <= (y := -(line.coeffs[0] * x + line.const) / line.coeffs[1]) <= top
                }
            )
            points.extend((x, _mid(a, b)) for a, b in itertools.pairwise(ys))
            if low:
                points.extend((x, y) for y in ys if 0 < y < top)
    faces: dict[tuple[int, ...], Face] = {}
    for point in points:
        signs = tuple(_sign(line.at(point)) for line in all_lines)
        if signs not in faces:
            faces[signs] = Face(point, signs, signs[:count])
    vertex_signs = [tuple(_sign(line.at(v)) for line in all_lines) for v in vertices]
    return Arrangement(all_lines, count, list(faces.values()), vertices, vertex_signs)


def _closure(arr: Arrangement, face: Face) -> tuple[Point, ...]:
    """The corners of the face's closure, in order around it."""
    if not face.hull:
        corners = [
            v
            for v, vs in zip(arr.vertices, arr.vertex_signs, strict=True)
            if all(
                (s == 0 and t == 0) or s * t > 0 or (s != 0 and t == 0)
                for s, t in zip(face.signs, vs, strict=True)
            )
        ]
        face.hull = tuple(_ordered(corners))
    return face.hull


def _ordered(corners: list[Point]) -> list[Point]:
    """A convex polygon's corners in angular order (1-d: by value)."""
    if len(corners) <= 2 or len(corners[0]) < 2:
        return sorted(corners)
    n = len(corners)
    cx = sum((c[0] for c in corners), Fraction(0)) / n
    cy = sum((c[1] for c in corners), Fraction(0)) / n

    def half(p: Point) -> int:
        dx, dy = p[0] - cx, p[1] - cy
        return 0 if dy > 0 or (dy == 0 and dx > 0) else 1

    def compare(p: Point, q: Point) -> int:
        hp, hq = half(p), half(q)
        if hp != hq:
            return hp - hq
        cross = (p[0] - cx) * (q[1] - cy) - (p[1] - cy) * (q[0] - cx)
        return -1 if cross > 0 else (1 if cross < 0 else 0)

    return sorted(corners, key=functools.cmp_to_key(compare))


# --------------------------------------------------------------------------- parts


@dataclass(frozen=True)
class Part:
    """A piece of one group's frontier: a point (a == b) or a segment from a to b."""

    a: Point  # factors
    b: Point
    sign: tuple[int, ...]  # the orthant: u = sign * (factor - 1)
    rep: Point  # inside the face it came from
    line: int | None  # the line a segment follows (index into the arrangement's lines)

    @property
    def segment(self) -> bool:
        return self.a != self.b

    def u(self, point: Point) -> Point:
        return tuple(s * (x - 1) for s, x in zip(self.sign, point, strict=True))

    def at(self, lam: Fraction) -> Point:
        return tuple(x + lam * (y - x) for x, y in zip(self.a, self.b, strict=True))


def _face_parts(arr: Arrangement, face: Face) -> list[Part]:
    """The Pareto-minimal points of a face's closure, in |factor - 1|: points and
    segments."""
    hull = _closure(arr, face)
    sign = tuple(_sign(x - 1) for x in face.rep)
    if not hull:
        return []

    def u(p: Point) -> Point:
        return tuple(s * (x - 1) for s, x in zip(sign, p, strict=True))

    if len(hull[0]) == 1:  # an interval: its nearest point to factor 1
        values = [p[0] for p in hull]
        lo, hi = min(values), max(values)
        best = Fraction(1) if lo <= 1 <= hi else (hi if hi < 1 else lo)
        return [Part((best,), (best,), sign, face.rep, None)]
    us = [u(p) for p in hull]
    minimal = [_minimal(us, k) for k in range(len(us))]
    parts: list[Part] = []
    used: set[int] = set()
    n = len(hull)
    if n >= 2:
        for k in range(n if n > 2 else 1):
            j = (k + 1) % n
            if not (minimal[k] and minimal[j]):
                continue
            du = [us[j][0] - us[k][0], us[j][1] - us[k][1]]
            if du[0] * du[1] >= 0:
                continue
            line = _line_through(arr, hull[k], hull[j])
            parts.append(Part(hull[k], hull[j], sign, face.rep, line))
            used.update((k, j))
    parts = _merge_collinear(parts)
    for k in range(n):
        if minimal[k] and k not in used:
            parts.append(Part(hull[k], hull[k], sign, face.rep, None))
    return parts


def _line_through(arr: Arrangement, p: Point, q: Point) -> int | None:
    for index, line in enumerate(arr.lines[: arr.conditions]):
        if line.at(p) == 0 and line.at(q) == 0:
            return index
    return None


def _merge_collinear(parts: list[Part]) -> list[Part]:
    merged = True
    while merged:
        merged = False
        for x, y in itertools.permutations(range(len(parts)), 2):
            p, q = parts[x], parts[y]
            if p.line is not None and p.line == q.line and p.b == q.a:
                parts[x] = Part(p.a, q.b, p.sign, p.rep, p.line)
                del parts[y]
                merged = True
                break
    return parts


def _minimal(us: list[Point], k: int) -> bool:
    """Is corner k of a convex polygon (in u) Pareto-minimal within it?"""
    v = us[k]
    clipped: list[Point] = list(us)
    for axis in range(len(v)):
        clipped = _clip(clipped, axis, v[axis])
        if not clipped:
            return True
    return all(p == v for p in clipped)


def _clip(polygon: list[Point], axis: int, bound: Fraction) -> list[Point]:
    """Sutherland-Hodgman: the convex polygon cut to point[axis] <= bound."""
    out: list[Point] = []
    n = len(polygon)
    for k in range(n):
        p, q = polygon[k], polygon[(k + 1) % n]
        pin, qin = p[axis] <= bound, q[axis] <= bound
        if pin:
            out.append(p)
        if pin != qin:
            lam = (bound - p[axis]) / (q[axis] - p[axis])
            out.append(tuple(a + lam * (b - a) for a, b in zip(p, q, strict=True)))
    return out


# --------------------------------------------------------------------------- domination


Interval = tuple[Fraction, Fraction]


def _exists(rows: list[tuple[Fraction, Fraction, Fraction]]) -> Interval | None:
    """The lambdas in [0, 1] for which some mu in [0, 1] satisfies every row
    (cl * lambda + cm * mu <= r): Fourier-Motzkin on mu."""
    rows = [
        *rows,
        (Fraction(0), Fraction(-1), Fraction(0)),
        (Fraction(0), Fraction(1), Fraction(1)),
    ]
    upper = [(cl, cm, r) for cl, cm, r in rows if cm > 0]
    lower = [(cl, cm, r) for cl, cm, r in rows if cm < 0]
    plain = [(cl, r) for cl, cm, r in rows if cm == 0]
    for ul, um, ur in upper:
        for ll, lm, lr in lower:
            # mu <= (ur - ul l) / um and mu >= (lr - ll l) / lm (lm < 0)
            # => (lr - ll l) / lm <= (ur - ul l) / um  <=>  (lr - ll l) um >= (ur - ul l) lm
            plain.append((ll * um - ul * lm, lr * um - ur * lm))
    lo, hi = Fraction(0), Fraction(1)
    for c, r in plain:
        if c > 0:
            hi = min(hi, r / c)
        elif c < 0:
            lo = max(lo, r / c)
        elif r < 0:
            return None
    return (lo, hi) if lo <= hi else None


def _rows(p: Part, q: Part, equal: bool) -> list[tuple[Fraction, Fraction, Fraction]]:
    """u(q(mu)) <= u(p(lambda)) per coordinate (and >= too when `equal`)."""
    rows = []
    pa, pb, qa, qb = p.u(p.a), p.u(p.b), q.u(q.a), q.u(q.b)
    for k in range(len(pa)):
        dl, dm = pb[k] - pa[k], qb[k] - qa[k]
        # qa + mu dm <= pa + lambda dl  <=>  -dl lambda + dm mu <= pa - qa
        rows.append((-dl, dm, pa[k] - qa[k]))
        if equal:
            rows.append((dl, -dm, qa[k] - pa[k]))
    return rows


def _filter(pieces: list[tuple[Part, ...]]) -> list[tuple[Part, ...]]:
    """The pieces (products of parts, one per group) cut to what no other piece
    dominates: a point is dominated by a different one at most as large in every |change|
    (equal in every one: the same magnitudes, which both stay)."""
    pieces = _unique(pieces)
    kept: list[tuple[Part, ...]] = []
    for index, piece in enumerate(pieces):
        boxes: list[tuple[list[Interval | None], list[Interval | None]]] = []
        dead = False
        for other_index, other in enumerate(pieces):
            if other_index == index:
                continue
            weak: list[Interval | None] = []
            same: list[Interval | None] = []
            for p, q in zip(piece, other, strict=True):
                weak.append(_exists(_rows(p, q, False)))
                same.append(_exists(_rows(p, q, True)))
            if any(w is None for w in weak):
                continue
            if all(not p.segment for p in piece):
                if any(s is None for s in same):
                    dead = True  # strictly below in some magnitude
                    break
                if _contains(other, piece) and (
                    other_index < index or any(q.segment for q in other)
                ):
                    dead = True  # the very same point, kept once
                    break
            boxes.append((weak, same))
        if dead:
            continue
        kept.extend(_remainder(piece, boxes))
    return kept


def _contains(piece: tuple[Part, ...], point: tuple[Part, ...]) -> bool:
    """Does the piece hold the factors of this point piece (exactly)?"""
    for part, at in zip(piece, point, strict=True):
        x = at.a
        if not part.segment:
            if part.a != x:
                return False
            continue
        lam: Fraction | None = None
        for k in range(len(x)):
            span = part.b[k] - part.a[k]
            if span == 0:
                if x[k] != part.a[k]:
                    return False
                continue
            value = (x[k] - part.a[k]) / span
            if lam is None:
                lam = value
            elif lam != value:
                return False
        if lam is None or not 0 <= lam <= 1:
            return False
    return True


def _unique(pieces: list[tuple[Part, ...]]) -> list[tuple[Part, ...]]:
    seen: dict[tuple[tuple[Point, Point], ...], tuple[Part, ...]] = {}
    for piece in pieces:
        key = tuple((min(p.a, p.b), max(p.a, p.b)) for p in piece)
        seen.setdefault(key, piece)
    return list(seen.values())


def _inside(value: Fraction, interval: Interval | None) -> bool:
    return interval is not None and interval[0] <= value <= interval[1]


def _remainder(
    piece: tuple[Part, ...],
    boxes: list[tuple[list[Interval | None], list[Interval | None]]],
) -> list[tuple[Part, ...]]:
    """What of a piece no box dominates (a box: where another piece is weakly below it,
    less where the two are equal), as sub-pieces (an end cut off by a box is reported,
    and marked a limit, by _report)."""
    moving = [k for k, p in enumerate(piece) if p.segment]
    if not boxes:
        return [piece]
    cuts: list[list[Fraction]] = []
    for k in moving:
        stops = {Fraction(0), Fraction(1)}
        for weak, same in boxes:
            for interval in (weak[k], same[k]):
                if interval is not None:
                    stops.update(interval)
        cuts.append(sorted(stops))
    # the cells of the grid: per moving part, the stops and the open stretches between
    axes: list[list[tuple[Fraction, Fraction, Fraction]]] = []
    for stop_list in cuts:
        cells = [(s, s, s) for s in stop_list]
        cells += [(a, _mid(a, b), b) for a, b in itertools.pairwise(stop_list)]
        axes.append(sorted(cells, key=lambda c: (c[1], c[0] != c[2])))

    def dominated(lams: dict[int, Fraction]) -> bool:
        for weak, same in boxes:
            w = all(_inside(lams.get(k, Fraction(0)), weak[k]) for k in range(len(piece)))
            if not w:
                continue
            e = all(_inside(lams.get(k, Fraction(0)), same[k]) for k in range(len(piece)))
            if not e:
                return True
        return False

    if not moving:
        return [] if dominated({}) else [piece]
    if len(moving) == 1:
        k = moving[0]
        runs: list[list[tuple[Fraction, Fraction, Fraction]]] = []
        current: list[tuple[Fraction, Fraction, Fraction]] = []
        for cell in axes[0]:
            if dominated({k: cell[1]}):
                if current:
                    runs.append(current)
                current = []
            else:
                current.append(cell)
        if current:
            runs.append(current)
        out = []
        for run in runs:
            first, last = run[0], run[-1]
            part = piece[k]
            sub = Part(
                part.at(first[0]),
                part.at(last[2]),
                part.sign,
                part.rep,
                part.line if first[0] != last[2] else None,
            )
            out.append(tuple(sub if n == k else p for n, p in enumerate(piece)))
        return out
    # two trading groups: a surface; keep its open cells that no box dominates
    out = []
    for c0, c1 in itertools.product(axes[0], axes[1]):
        if c0[0] == c0[2] or c1[0] == c1[2]:
            continue
        if dominated({moving[0]: c0[1], moving[1]: c1[1]}):
            continue
        subs = []
        for k, cell in zip(moving, (c0, c1), strict=True):
            part = piece[k]
            subs.append(Part(part.at(cell[0]), part.at(cell[2]), part.sign, part.rep, part.line))
        out.append((subs[0], subs[1]))
    if not out:  # only edges or corners of the surface survive: keep its corners that do
        for c0, c1 in itertools.product((axes[0][0], axes[0][-1]), (axes[1][0], axes[1][-1])):
            if not dominated({moving[0]: c0[1], moving[1]: c1[1]}):
                subs = []
                for k, cell in zip(moving, (c0, c1), strict=True):
                    point = piece[k].at(cell[1])
                    subs.append(Part(point, point, piece[k].sign, piece[k].rep, None))
                out.append((subs[0], subs[1]))
    return out


# --------------------------------------------------------------------------- the frontier


@dataclass
class _Group:
    index: int
    moving: tuple[str, ...]
    arr: Arrangement
    classes: dict[tuple[int, ...], list[Face]]  # signature -> faces


def _movable(metrics: Metrics, knob: str) -> str | None:
    """Why a knob cannot move (None: it can)."""
    value = metrics.value(QUANTITY[knob])
    if value is None:
        return f"{QUANTITY[knob]} is unknown: the knob cannot be scaled"
    if value == 0:
        return f"{QUANTITY[knob]} is zero: the knob cannot be scaled"
    return None


def frontier(
    metrics: Metrics, editions: Sequence[Edition], target: str, knobs: Iterable[str]
) -> Frontier:
    """The Pareto-minimal combinations of changes of `knobs` that bring the part within
    `target` under every edition."""
    if target not in LABELS:
        raise ValueError(f"unknown target {target!r} (one of {', '.join(LABELS)})")
    asked = tuple(dict.fromkeys(knobs))
    unknown = [k for k in asked if k not in KNOBS]
    if unknown or not asked:
        raise ValueError(
            f"unknown knob {unknown[0] if unknown else ''!r} (any of {', '.join(KNOBS)})"
        )
    if not editions:
        raise ValueError("no edition")
    fixed = {k: why for k in asked if (why := _movable(metrics, k)) is not None}
    moving = tuple(k for k in KNOBS if k in asked and k not in fixed)
    groups = [_group(metrics, editions, g, moving) for g in range(len(GROUPS))]
    current = tuple(Verdict(e.id, *_outcome(metrics, e)) for e in editions)
    # which products of signature classes lie within the target under every edition
    fits: dict[tuple[int, ...], set[tuple[int, ...]]] = {}
    for s1, faces1 in groups[0].classes.items():
        for s2, faces2 in groups[1].classes.items():
            factors = _factors(groups, (faces1[0].rep, faces2[0].rep))
            changed = apply(metrics, factors)
            if all(within(_outcome(changed, e).label, target) for e in editions):
                fits.setdefault(s2, set()).add(s1)
    # group the second group's classes by the first group's classes they fit with
    by_partners: dict[frozenset[tuple[int, ...]], list[tuple[int, ...]]] = {}
    for s2, partners in fits.items():
        by_partners.setdefault(frozenset(partners), []).append(s2)
    candidates: list[tuple[Part, ...]] = []
    first_cache: dict[tuple[int, ...], list[Part]] = {}
    for group_one, seconds in by_partners.items():
        first = _union_parts(groups[0], sorted(group_one), first_cache)
        second = _union_parts(groups[1], sorted(seconds), {})
        candidates.extend((p, q) for p in first for q in second)
    pieces = _filter(candidates)
    points, shaped = _report(metrics, editions, target, groups, pieces)
    return Frontier(target, tuple(editions), moving, fixed, current, points, shaped, metrics)


def _group(
    metrics: Metrics, editions: Sequence[Edition], g: int, moving: tuple[str, ...]
) -> _Group:
    mine = tuple(k for k in GROUPS[g] if k in moving)
    lines = _group_lines(metrics, editions, g, mine)
    low = any(b.op in ("<=", ">") for line in lines for b in line.bounds)
    arr = arrangement(lines, len(mine), low)
    classes: dict[tuple[int, ...], list[Face]] = {}
    for face in arr.faces:
        classes.setdefault(face.signature, []).append(face)
    return _Group(g, mine, arr, classes)


def _union_parts(
    group: _Group, signatures: list[tuple[int, ...]], cache: dict[tuple[int, ...], list[Part]]
) -> list[Part]:
    """The Pareto-minimal parts of the union of the closures of these classes' faces."""
    parts: list[Part] = []
    for signature in signatures:
        if signature not in cache:
            found: list[Part] = []
            for face in group.classes[signature]:
                found.extend(_face_parts(group.arr, face))
            cache[signature] = found
        parts.extend(cache[signature])
    return [piece[0] for piece in _filter([(p,) for p in parts])]


def _factors(groups: Sequence[_Group], points: Sequence[Point]) -> dict[str, Fraction]:
    factors: dict[str, Fraction] = {}
    for group, point in zip(groups, points, strict=True):
        factors.update(zip(group.moving, point, strict=True))
    return factors


def _report(
    metrics: Metrics,
    editions: Sequence[Edition],
    target: str,
    groups: Sequence[_Group],
    pieces: list[tuple[Part, ...]],
) -> tuple[tuple[FrontierPoint, ...], tuple[Piece, ...]]:
    points: list[FrontierPoint] = []
    shaped: list[Piece] = []
    ordered = sorted(pieces, key=lambda piece: _order_key(groups, piece))
    for number, piece in enumerate(ordered):
        ends = [[(p.a, p.rep), (p.b, p.rep)] if p.segment else [(p.a, p.rep)] for p in piece]
        indexes = []
        for combo in itertools.product(*ends):
            at = [c[0] for c in combo]
            far = max(
                (abs(r - x) for c in combo for x, r in zip(c[0], c[1], strict=True)), default=0
            )
            step = NUDGE / (1 + far)  # at most NUDGE in any factor
            inside = [
                tuple(x + step * (r - x) for x, r in zip(c[0], c[1], strict=True)) for c in combo
            ]
            corner = tuple(
                Part(c[0], c[0], p.sign, p.rep, None) for c, p in zip(combo, piece, strict=True)
            )
            limit = any(_below(corner, other) for other in ordered if other is not piece)
            points.append(_point(metrics, editions, target, groups, at, inside, number, limit))
            indexes.append(len(points) - 1)
        follows = tuple(
            groups[g].arr.lines[p.line].bounds
            for g, p in enumerate(piece)
            if p.segment and p.line is not None
        )
        kind = ("point", "segment", "surface")[sum(1 for p in piece if p.segment)]
        shaped.append(Piece(number, kind, tuple(indexes), follows))
    return tuple(points), tuple(shaped)


def _below(point: tuple[Part, ...], other: tuple[Part, ...]) -> bool:
    """Is the point (a piece of point parts) dominated by some point of the other piece?"""
    if any(_exists(_rows(p, q, False)) is None for p, q in zip(point, other, strict=True)):
        return False
    return any(_exists(_rows(p, q, True)) is None for p, q in zip(point, other, strict=True))


def _order_key(groups: Sequence[_Group], piece: tuple[Part, ...]) -> tuple[Fraction, ...]:
    factors = _factors(groups, [p.a for p in piece])
    return tuple(abs(factors.get(k, Fraction(1)) - 1) for k in KNOBS)


def _point(
    metrics: Metrics,
    editions: Sequence[Edition],
    target: str,
    groups: Sequence[_Group],
    at: Sequence[Point],
    inside: Sequence[Point],
    piece: int,
    limit: bool,
) -> FrontierPoint:
    factors = _factors(groups, at)
    witness = _factors(groups, inside)
    positive = all(f > 0 for f in factors.values())
    here = [_outcome(apply(metrics, factors), e) for e in editions] if positive else None
    strict = here is None or not all(within(o.label, target) for o in here)
    beyond = [_outcome(apply(metrics, witness), e) for e in editions]
    if not all(within(o.label, target) for o in beyond):
        raise RuntimeError(
            "frontier: a point just beyond the boundary is outside the target"
            f" ({ {k: str(v) for k, v in witness.items()} })"
        )
    chosen = beyond if strict or here is None else here
    verdicts = tuple(
        Verdict(e.id, o.label, o.clauses) for e, o in zip(editions, chosen, strict=True)
    )
    on: list[Bound] = []
    for group, point in zip(groups, at, strict=True):
        for line in group.arr.lines[: group.arr.conditions]:
            if line.at(point) == 0:
                on.extend(line.bounds)
    return FrontierPoint(
        factors=factors,
        strict=strict,
        verdicts=verdicts,
        on=tuple(on),
        witness=factors if not strict else witness,
        piece=piece,
        limit=limit,
    )


# --------------------------------------------------------------------------- display


def safe_changes(result: Frontier, point: FrontierPoint, places: int = 3) -> dict[str, Decimal]:
    """The point's changes in percent, rounded for display to `places` decimals, or more
    where the rounded figures would put the part on another side of some condition than
    the exact boundary does; failing that (a repeating decimal), rounded toward the side
    the exact point is on."""
    exact = {k: point.change_pct(k) for k in result.knobs}
    want = _truths(result, {k: 1 + v / 100 for k, v in exact.items()})
    for digits in range(places, places + 10):
        shown = {k: _decimal(v, digits, ROUND_HALF_EVEN) for k, v in exact.items()}
        if _truths(result, _as_factors(shown)) == want:
            return shown
    for modes in itertools.product((ROUND_FLOOR, ROUND_CEILING), repeat=len(exact)):
        shown = {
            k: _decimal(v, places, mode) for (k, v), mode in zip(exact.items(), modes, strict=True)
        }
        if _truths(result, _as_factors(shown)) == want:
            return shown
    return {k: _decimal(v, places + 9, ROUND_HALF_EVEN) for k, v in exact.items()}


def _decimal(value: Fraction, digits: int, mode: str) -> Decimal:
    quantum = Decimal(1).scaleb(-digits)
    scaled = value * 10**digits
    if mode == ROUND_FLOOR:
        whole = scaled.numerator // scaled.denominator
    elif mode == ROUND_CEILING:
        whole = -((-scaled.numerator) // scaled.denominator)
    else:
        whole = round(scaled)
    return (Decimal(whole) * quantum).quantize(quantum)


def _as_factors(shown: Mapping[str, Decimal]) -> dict[str, Fraction]:
    return {k: 1 + Fraction(v) / 100 for k, v in shown.items()}


def _truths(result: Frontier, factors: Mapping[str, Fraction]) -> tuple[bool | None, ...]:
    if any(f <= 0 for f in factors.values()):
        return (None,)
    changed = apply(result.metrics, factors)
    truths: list[bool | None] = []
    for edition in result.editions:
        for clause in edition.evaluated:
            for condition in clause.conditions:
                value = changed.value(condition.metric)
                truths.append(None if value is None else condition.holds(value))
    return tuple(truths)


# --------------------------------------------------------------------------- the region


def region(
    metrics: Metrics, editions: Sequence[Edition], target: str, knobs: Sequence[str]
) -> list[tuple[tuple[Fraction, Fraction], ...]]:
    """For two movable knobs (the others held): the target region's open cells, each as
    the corners of its closure, in factors of (knobs[0], knobs[1]), in order around it."""
    if len(knobs) != 2 or any(_movable(metrics, k) is not None for k in knobs):
        raise ValueError("the region is drawn for two movable knobs")
    moving = tuple(k for k in KNOBS if k in knobs)
    groups = [_group(metrics, editions, g, moving) for g in range(len(GROUPS))]

    def fits(factors: dict[str, Fraction]) -> bool:
        changed = apply(metrics, factors)
        return all(within(_outcome(changed, e).label, target) for e in editions)

    cells: list[tuple[tuple[Fraction, Fraction], ...]] = []
    full = [
        [f for f in g.arr.faces if len(f.rep) == 0 or all(s != 0 for s in f.signs)] for g in groups
    ]
    for face1, face2 in itertools.product(*full):
        if not fits(_factors(groups, (face1.rep, face2.rep))):
            continue
        hulls = [_closure(g.arr, f) for g, f in zip(groups, (face1, face2), strict=True)]
        if len(hulls[0][0]) == 2 or len(hulls[1][0]) == 2:
            corners = hulls[0] if len(hulls[0][0]) == 2 else hulls[1]
            polygon = [dict(zip(moving, c, strict=True)) for c in corners]
        else:  # one knob of each group: a rectangle
            (a0, a1), (b0, b1) = (
                (min(hulls[0])[0], max(hulls[0])[0]),
                (
                    min(hulls[1])[0],
                    max(hulls[1])[0],
                ),
            )
            polygon = [
                dict(zip(moving, c, strict=True)) for c in ((a0, b0), (a1, b0), (a1, b1), (a0, b1))
            ]
        cells.append(tuple((p[knobs[0]], p[knobs[1]]) for p in polygon))
    return cells
