"""Label placement for the chip map: pure arithmetic in the drawing's own units (display
pixels for the image, SVG user units for the page), with no renderer.

Each label is a box of a size the caller measured, naming one or more markers. It goes
beside its marker when that spot is free and names it without doubt (no other marker
nearer); else into the nearest free space, with a thin leader line to its marker.
Free means: inside the label's frame, clear of every marker, of every label placed so
far, of the fixed boxes (threshold names) and of every path (the variant arrows, the
leaders drawn so far); a leader itself crosses no marker but its own, no label and no
other leader. Boxes are (x0, y0, x1, y1) with x0 <= x1 and y0 <= y1, whichever way the
y axis points.

The variant arrows are quadratic curves (`curve`), so that the drawing and the
placement agree on where each arrow runs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]
XY = tuple[float, float]
Segment = tuple[float, float, float, float]


@dataclass(frozen=True)
class Marker:
    key: str
    x: float
    y: float
    radius: float

    def box(self) -> Box:
        r = self.radius
        return (self.x - r, self.y - r, self.x + r, self.y + r)


@dataclass(frozen=True)
class Label:
    key: str
    owners: tuple[str, ...]  # the markers it names
    width: float
    height: float
    frame: Box  # the label stays inside
    first: bool = False  # placed before the others (the strip's rows leave it room)


@dataclass(frozen=True)
class Placed:
    key: str
    box: Box
    leader: Segment | None  # from the marker's edge to the box; None: beside its marker
    clean: bool  # False: no free spot was found (the least bad one was taken)
    cost: float = 0.0  # the leader's length and what it crosses (0 beside the marker)


@dataclass(frozen=True)
class Spacing:
    """Distances, in the drawing's units."""

    gap: float = 2.0  # clearance around every box
    beside: float = 3.0  # from a marker's edge to a label beside it
    step: float = 10.0  # between the rings searched for a leader's label
    doubt: float = 8.0  # another marker this much nearer than 1.5x its own: a leader
    directions: int = 16


# --------------------------------------------------------------------------- primitives


def overlaps(a: Box, b: Box, pad: float = 0.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def inside(box: Box, frame: Box, pad: float = 0.0) -> bool:
    return (
        box[0] >= frame[0] + pad
        and box[1] >= frame[1] + pad
        and box[2] <= frame[2] - pad
        and box[3] <= frame[3] - pad
    )


def grow(box: Box, pad: float) -> Box:
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def segment_hits_box(segment: Segment, box: Box) -> bool:
    """Does the segment touch the box's inside (Liang-Barsky clipping)?"""
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def segments_cross(a: Segment, b: Segment) -> bool:
    def side(px: float, py: float, qx: float, qy: float, rx: float, ry: float) -> float:
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    d1 = side(b[0], b[1], b[2], b[3], a[0], a[1])
    d2 = side(b[0], b[1], b[2], b[3], a[2], a[3])
    d3 = side(a[0], a[1], a[2], a[3], b[0], b[1])
    d4 = side(a[0], a[1], a[2], a[3], b[2], b[3])
    return d1 * d2 < 0 and d3 * d4 < 0


def polyline(points: Sequence[XY]) -> list[Segment]:
    return [(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(points)]


def gap_to(box: Box, x: float, y: float) -> float:
    """Distance from a point to a box (0 inside)."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy)


# --------------------------------------------------------------------------- arrows


def curve(start: XY, end: XY, bend: float, trim_start: float, trim_end: float) -> tuple[XY, ...]:
    """A gently curved arrow from one marker's centre to another's, stopping `trim_*`
    short of each: the quadratic Bezier whose control point sits `bend` times the
    distance off the middle (matplotlib's arc3 with rad=bend, in y-up units), cut to the
    part outside the two trims. Returns (start, control, end); () when the markers are
    too close for an arrow."""
    (x0, y0), (x2, y2) = start, end
    dx, dy = x2 - x0, y2 - y0
    if math.hypot(dx, dy) <= trim_start + trim_end + 1:
        return ()
    x1, y1 = (x0 + x2) / 2 + bend * dy, (y0 + y2) / 2 - bend * dx

    def at(t: float) -> XY:
        u = 1 - t
        return (u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2)

    def cut(fixed: XY, distance: float, low: float, high: float, rising: bool) -> float:
        for _ in range(40):  # bisection: the distance from `fixed` grows along the curve
            mid = (low + high) / 2
            far = math.dist(at(mid), fixed) > distance
            if far == rising:
                high = mid
            else:
                low = mid
        return (low + high) / 2

    t0 = cut(start, trim_start, 0.0, 0.5, True)
    t1 = cut(end, trim_end, 0.5, 1.0, False)
    a, b = at(t0), at(t1)
    tx = 2 * ((1 - t0) * (x1 - x0) + t0 * (x2 - x1))  # the curve's tangent at t0
    ty = 2 * ((1 - t0) * (y1 - y0) + t0 * (y2 - y1))
    control = (a[0] + (t1 - t0) / 2 * tx, a[1] + (t1 - t0) / 2 * ty)
    return (a, control, b)


def sample(quadratic: Sequence[XY], count: int = 24) -> list[XY]:
    """Points along a (start, control, end) quadratic curve, both ends included."""
    if len(quadratic) != 3:
        return []
    (x0, y0), (x1, y1), (x2, y2) = quadratic
    found = []
    for n in range(count + 1):
        t = n / count
        u = 1 - t
        found.append(
            (u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2)
        )
    return found


# --------------------------------------------------------------------------- placement

#: the side of a cell of the board's grid, in the drawing's units (about a label's width)
_CELL: float = 48.0


#: a box on the board: its serial number (two equal boxes are two boxes), the marker it
#: is (None: a label or a fixed box), the box
_Taken = tuple[int, "str | None", Box]


class _Grid:
    """The boxes taken, filed under every cell of a square grid that each touches: the
    boxes a query box could meet are among those filed under the cells it touches (boxes
    and queries are filed a unit wider all round, so rounding cannot hide a neighbour)."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[_Taken]] = {}
        self.serials = itertools.count()

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        size = self.cell
        xs = range(math.floor((box[0] - 1) / size), math.floor((box[2] + 1) / size) + 1)
        ys = range(math.floor((box[1] - 1) / size), math.floor((box[3] + 1) / size) + 1)
        return [(x, y) for x in xs for y in ys]

    def add(self, whose: str | None, box: Box) -> None:
        entry = (next(self.serials), whose, box)
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(entry)

    def remove(self, whose: str | None, box: Box) -> None:
        """Take off one box equal to this one (the first filed)."""
        keys = self._keys(box)
        found = next(e for e in self.cells[keys[0]] if e[1] == whose and e[2] == box)
        for key in keys:
            self.cells[key].remove(found)

    def near(self, box: Box) -> list[_Taken]:
        """Every box filed under a cell the query touches, each once."""
        found: dict[int, _Taken] = {}
        cells = self.cells
        for key in self._keys(box):
            for entry in cells.get(key, ()):
                found[entry[0]] = entry
        return list(found.values())


class _Board:
    """What is on the drawing so far, and whether a label may go somewhere."""

    def __init__(
        self,
        markers: Sequence[Marker],
        boxes: Iterable[Box],
        paths: Iterable[Sequence[XY]],
        spacing: Spacing,
    ) -> None:
        self.markers = {m.key: m for m in markers}
        self.spacing = spacing
        #: markers, fixed boxes and labels placed so far, filed by where they are
        self.taken = _Grid(_CELL)
        for m in markers:
            self.taken.add(m.key, m.box())
        for b in boxes:
            self.taken.add(None, b)
        #: each path (an arrow, a leader) with the box around it, to pass over it quickly
        self.paths: list[tuple[Box, list[Segment]]] = [_bounded(polyline(p)) for p in paths]
        self.arrows = list(self.paths)  # the arrows' paths (self.paths gains the leaders)
        self.leaders: list[Segment] = []

    def free(self, box: Box, frame: Box) -> bool:
        pad = self.spacing.gap
        if not inside(box, frame, pad):
            return False
        if any(overlaps(box, other, pad) for _, _, other in self.taken.near(grow(box, pad))):
            return False
        wider = grow(box, pad)
        return not any(
            overlaps(around, wider) and any(segment_hits_box(s, wider) for s in segments)
            for around, segments in self.paths
        )

    def doubtful(self, box: Box, owners: Sequence[str]) -> bool:
        """Would a reader take a label beside its marker for another marker's?"""
        mine = min(gap_to(box, self.markers[k].x, self.markers[k].y) for k in owners)
        others = [gap_to(box, m.x, m.y) for k, m in self.markers.items() if k not in owners]
        return bool(others) and min(others) < mine * 1.5 + self.spacing.doubt

    def leader(
        self, box: Box, owners: Sequence[str], strict: bool = True
    ) -> tuple[Segment, float] | None:
        """The leader from the nearest owner's edge to the box, and its cost (its length
        and the arrows it crosses); None when it would cross a marker, label or leader
        (not strict: when it would cross a marker; labels and leaders crossed cost)."""
        best: tuple[float, Marker, float, float] | None = None
        for key in owners:
            m = self.markers[key]
            nx, ny = min(max(m.x, box[0]), box[2]), min(max(m.y, box[1]), box[3])
            length = math.hypot(nx - m.x, ny - m.y)
            if best is None or length < best[0]:
                best = (length, m, nx, ny)
        assert best is not None
        length, m, nx, ny = best
        if length <= m.radius + 1:
            return None
        ux, uy = (nx - m.x) / length, (ny - m.y) / length
        segment = (m.x + ux * (m.radius + 1), m.y + uy * (m.radius + 1), nx, ny)
        # markers that touch its own are passed over: the leader may leave through them
        clear = min(3 * m.radius + 1, length)
        beyond = (m.x + ux * clear, m.y + uy * clear, nx, ny)
        penalty = 0.0
        reach = _bounded([segment])[0]  # every box or arrow it meets meets this box
        for _, whose, other in self.taken.near(reach):
            if whose is not None and whose in owners:
                continue
            if segment_hits_box(beyond if whose is not None else segment, other):
                if strict or whose is not None:
                    return None
                penalty += 200
        crossing = sum(segments_cross(segment, line) for line in self.leaders)
        if crossing and strict:
            return None
        crossed = sum(
            segments_cross(segment, s)
            for around, segments in self.arrows
            if overlaps(around, reach)  # a crossing lies inside both boxes
            for s in segments
        )
        return segment, length + 25 * crossed + 200 * crossing + penalty

    def take(self, placed: Placed) -> None:
        self.taken.add(None, placed.box)
        if placed.leader is not None:
            self.leaders.append(placed.leader)
            self.paths.append(_bounded([placed.leader]))

    def drop(self, placed: Placed) -> None:
        self.taken.remove(None, placed.box)
        if placed.leader is not None:
            self.leaders.remove(placed.leader)
            self.paths.remove(_bounded([placed.leader]))


def _bounded(segments: list[Segment]) -> tuple[Box, list[Segment]]:
    if not segments:
        return (math.inf, math.inf, -math.inf, -math.inf), segments
    xs = [v for s in segments for v in (s[0], s[2])]
    ys = [v for s in segments for v in (s[1], s[3])]
    return (min(xs), min(ys), max(xs), max(ys)), segments


def _anchor(board: _Board, label: Label) -> Box:
    boxes = [board.markers[k].box() for k in label.owners]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _beside(anchor: Box, label: Label, distance: float) -> list[Box]:
    """Spots beside the markers, nearest and most usual first: right, left, over, under,
    then the four corners."""
    w, h = label.width, label.height
    cx, cy = (anchor[0] + anchor[2]) / 2, (anchor[1] + anchor[3]) / 2
    right, left = anchor[2] + distance, anchor[0] - distance - w
    high, low = anchor[3] + distance, anchor[1] - distance - h
    return [
        (right, cy - h / 2, right + w, cy + h / 2),
        (left, cy - h / 2, left + w, cy + h / 2),
        (cx - w / 2, high, cx + w / 2, high + h),
        (cx - w / 2, low, cx + w / 2, low + h),
        (right, high, right + w, high + h),
        (right, low, right + w, low + h),
        (left, high, left + w, high + h),
        (left, low, left + w, low + h),
    ]


def _ring(anchor: Box, label: Label, distance: float, directions: int) -> list[Box]:
    """Spots `distance` out from the markers, all round: the box's nearest side or
    corner faces the markers."""
    w, h = label.width, label.height
    cx, cy = (anchor[0] + anchor[2]) / 2, (anchor[1] + anchor[3]) / 2
    hw, hh = (anchor[2] - anchor[0]) / 2, (anchor[3] - anchor[1]) / 2
    spots = []
    for n in range(directions):
        angle = 2 * math.pi * n / directions
        cos, sin = math.cos(angle), math.sin(angle)
        px, py = cx + (hw + distance) * cos, cy + (hh + distance) * sin
        x0 = px if cos > 0.38 else px - w if cos < -0.38 else px - w / 2
        y0 = py if sin > 0.38 else py - h if sin < -0.38 else py - h / 2
        spots.append((x0, y0, x0 + w, y0 + h))
    return spots


def place(
    labels: Sequence[Label],
    markers: Sequence[Marker],
    boxes: Iterable[Box] = (),
    paths: Iterable[Sequence[XY]] = (),
    spacing: Spacing | None = None,
) -> dict[str, Placed]:
    """Place every label (see the module's docstring); keyed by the label's key.

    The most crowded markers first (while there is room near them): each label beside
    its markers if that spot is free and names them without doubt, else in the nearest
    free spot of rings searched outward, with a leader."""
    spacing = spacing or Spacing()
    board = _Board(markers, boxes, paths, spacing)
    found: dict[str, Placed] = {}
    anchors = {label.key: _anchor(board, label) for label in labels}

    def crowd(label: Label) -> tuple[int, str]:
        a = anchors[label.key]
        near = sum(
            1
            for m in markers
            if m.key not in label.owners and gap_to(a, m.x, m.y) < 3 * label.height + 20
        )
        return near, label.key

    def spot(label: Label, within: float = math.inf) -> Placed:
        beside = next(
            (
                box
                for box in _beside(anchors[label.key], label, spacing.beside)
                if board.free(box, label.frame) and not board.doubtful(box, label.owners)
            ),
            None,
        )
        if beside is not None:
            return Placed(label.key, beside, None, True)
        return _search(board, label, anchors[label.key], within)

    ordered = sorted(labels, key=crowd, reverse=True)
    for label in [*(k for k in ordered if k.first), *(k for k in ordered if not k.first)]:
        found[label.key] = spot(label)
        board.take(found[label.key])
    # a second look, now that every label has a place: each leader's label, the costliest
    # first, moves to a better spot if one is free among all the others
    for label in sorted(labels, key=lambda k: -found[k.key].cost):
        old = found[label.key]
        if old.leader is None:
            continue
        board.drop(old)
        new = spot(label, old.cost)
        if new.cost < old.cost and (new.clean or not old.clean):
            found[label.key] = new
        board.take(found[label.key])
    return found


def _search(board: _Board, label: Label, anchor: Box, within: float = math.inf) -> Placed:
    """The best spot with a leader: one whose leader crosses no label or leader if there
    is one, else the cheapest; rings out to `within` at most (beyond, a leader would cost
    more)."""
    for strict in (True, False):
        found = _rings(board, label, anchor, strict, within)
        if found is not None:
            return found
    # nowhere free: beside the marker, overlapping (a test on the drawing reports it)
    return Placed(label.key, _beside(anchor, label, board.spacing.beside)[0], None, False, math.inf)


def _rings(board: _Board, label: Label, anchor: Box, strict: bool, within: float) -> Placed | None:
    spacing = board.spacing
    frame = label.frame
    limit = min(max(frame[2] - frame[0], frame[3] - frame[1]), within)
    best: tuple[float, Box, Segment] | None = None
    rings_after_first = 0
    distance = spacing.step
    while distance <= limit and rings_after_first < 2:
        for box in _ring(anchor, label, distance, spacing.directions):
            if not board.free(box, frame):
                continue
            drawn = board.leader(box, label.owners, strict)
            if drawn is None:
                continue
            segment, cost = drawn
            if best is None or cost < best[0]:
                best = (cost, box, segment)
        if best is not None:
            rings_after_first += 1
        distance += spacing.step
    return None if best is None else Placed(label.key, best[1], best[2], True, best[0])
