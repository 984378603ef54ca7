"""The chip map's geometry under one edition: pure, exact, no matplotlib.

Which clauses bound which region of the TPP x performance-density plane is read from
the edition's clauses, never hard-coded: every condition on `tpp` or
`performance_density` of a clause that applies draws a line, and the cells between
those lines are shaded by the clause groups (3A090.a, 3A090.b, ...) whose plane
conditions hold there. A group whose clauses also need something the plane does not
show (the 2022 I/O prong, a letter's addressees, a datacenter scope, a sheet fact) is
conditional: its cells are hatched unless a group that needs nothing more holds there
too. Clauses with no plane condition (the 2025 bandwidth letters), exclusions and
reliefs are named in footnotes, with everything they turn on.

Also here: the chips as points (short names, positions of chips at the same spot),
parent -> variant arrows, and the strip rows of chips whose density is unknown. The
drawing is chipclass.plot.drawing (matplotlib); label placement is
chipclass.plot.layout.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from chipclass.editions import INDETERMINATE, SEVERITY, Clause, Condition, Edition, Fact
from chipclass.evaluate import combine, decide
from chipclass.metrics import Metrics
from chipclass.spec import ChipSpec
from chipclass.words import METRIC_WORDS, OPS

PLANE: Final = ("tpp", "performance_density")

#: label colours (Okabe-Ito, safe for colour-blind readers)
COLOURS: Final = {
    "exportable": "#009E73",
    "license-required": "#E69F00",
    "restricted": "#D55E00",
    INDETERMINATE: "#8E7CC3",
}
#: region shading by the label a clause group carries
SHADES: Final = {"restricted": "#F4B9A0", "license-required": "#FBE3A8"}
#: hatching marks a region whose label also turns on something off the plane
HATCH: Final = "#C9866B"


# --------------------------------------------------------------------------- the plane


@dataclass(frozen=True)
class Line:
    metric: str  # "tpp" (vertical) or "performance_density" (horizontal)
    value: Fraction
    clauses: tuple[str, ...]  # the clauses with a condition on this line


@dataclass(frozen=True)
class Group:
    """Control clauses sharing a prefix (3A090.a.1, 3A090.a.2 -> 3A090.a)."""

    id: str
    label: str  # the most severe label its clauses carry
    clauses: tuple[Clause, ...]
    off_plane: tuple[Condition, ...]  # conditions on metrics the plane does not show

    def holds(self, tpp: Fraction, density: Fraction | None) -> bool | None:
        """Do the plane conditions of any clause hold? None: it turns on the density."""
        outcomes = [_plane_met(c, tpp, density) for c in self.clauses]
        if any(o is True for o in outcomes):
            return True
        return None if any(o is None for o in outcomes) else False

    @property
    def needs(self) -> tuple[str, ...]:
        """What else the group's clauses need, in words: off-plane conditions, the
        addressees of a letter, a scope, sheet facts (empty: the plane decides)."""
        words: list[str] = []
        if self.off_plane:
            words.append(" and ".join(condition_words(k) for k in self.off_plane))
        for clause in self.clauses:
            for part in qualifiers(clause):
                if part not in words:
                    words.append(part)
        return tuple(words)

    @property
    def conditional(self) -> bool:
        return bool(self.needs)


@dataclass(frozen=True)
class Cell:
    x0: Fraction
    x1: Fraction
    y0: Fraction | None  # None, None: the density-unknown strip
    y1: Fraction | None
    group: Group  # the group the cell is shaded for (the most severe that holds)
    hatched: bool = False  # every group that holds there needs more than the plane shows


@dataclass(frozen=True)
class Plane:
    edition: Edition
    lines: tuple[Line, ...]
    groups: tuple[Group, ...]  # most severe first
    cells: tuple[Cell, ...]
    strip: tuple[Cell, ...]  # stretches of TPP where the group does not turn on the density
    off_plane: tuple[Clause, ...]  # applying controls with no plane condition (not drawn)

    def values(self, metric: str) -> list[Fraction]:
        return [line.value for line in self.lines if line.metric == metric]


def _plane_met(clause: Clause, tpp: Fraction, density: Fraction | None) -> bool | None:
    results: list[bool | None] = []
    for condition in clause.conditions:
        if condition.metric == "tpp":
            results.append(condition.holds(tpp))
        elif condition.metric == "performance_density":
            results.append(None if density is None else condition.holds(density))
    return combine(results, clause.match)


def group_id(clause_id: str) -> str:
    """'3A090.a.1' -> '3A090.a'; an id without two dots is its own group."""
    parts = clause_id.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else clause_id


def _applying(edition: Edition) -> tuple[Clause, ...]:
    """The clauses the map reads: evaluated, and reaching the edition's destination."""
    return tuple(c for c in edition.evaluated if c.applies)


def lines(edition: Edition) -> tuple[Line, ...]:
    found: dict[tuple[str, Fraction], list[str]] = {}
    for clause in _applying(edition):
        for condition in clause.conditions:
            if condition.metric in PLANE:
                ids = found.setdefault((condition.metric, condition.threshold), [])
                if clause.id not in ids:
                    ids.append(clause.id)
    return tuple(Line(m, v, tuple(ids)) for (m, v), ids in sorted(found.items()))


def groups(edition: Edition) -> tuple[Group, ...]:
    members: dict[str, list[Clause]] = {}
    for clause in _applying(edition):
        if clause.role == "control" and any(c.metric in PLANE for c in clause.conditions):
            members.setdefault(group_id(clause.id), []).append(clause)
    found = [
        Group(
            gid,
            max((c.label or "exportable" for c in clauses), key=lambda name: SEVERITY[name]),
            tuple(clauses),
            tuple(k for c in clauses for k in c.conditions if k.metric not in PLANE),
        )
        for gid, clauses in members.items()
    ]
    return tuple(sorted(found, key=lambda g: -SEVERITY[g.label]))


def _edges(values: list[Fraction], low: Fraction, high: Fraction) -> list[Fraction]:
    inside = sorted({v for v in values if low < v < high})
    return [low, *inside, high]


def plane(
    edition: Edition, xlim: tuple[Fraction, Fraction], ylim: tuple[Fraction, Fraction]
) -> Plane:
    """The edition's lines and shaded cells within the given TPP and density ranges."""
    drawn = lines(edition)
    found = groups(edition)
    xs = _edges([ln.value for ln in drawn if ln.metric == "tpp"], *xlim)
    ys = _edges([ln.value for ln in drawn if ln.metric == "performance_density"], *ylim)
    cells: list[Cell] = []
    strip: list[Cell] = []
    # every density stretch, including those beyond the drawn range, for the strip
    all_ys = _edges(
        [ln.value for ln in drawn if ln.metric == "performance_density"],
        Fraction(0),
        max([ylim[1], *(ln.value for ln in drawn)]) * 2,
    )
    for x0, x1 in itertools.pairwise(xs):
        tpp = (x0 + x1) / 2
        for y0, y1 in itertools.pairwise(ys):
            hit = _shade(found, tpp, (y0 + y1) / 2)
            if hit is not None:
                cells.append(Cell(x0, x1, y0, y1, *hit))
        column = {_shade(found, tpp, (a + b) / 2) for a, b in itertools.pairwise(all_ys)}
        if len(column) == 1:
            only = column.pop()
            if only is not None:
                strip.append(Cell(x0, x1, None, None, *only))
    off = tuple(
        c
        for c in _applying(edition)
        if c.role == "control" and not any(k.metric in PLANE for k in c.conditions)
    )
    return Plane(edition, drawn, found, tuple(cells), tuple(strip), off)


def _shade(found: Sequence[Group], tpp: Fraction, density: Fraction) -> tuple[Group, bool] | None:
    """The group a point is shaded for, and whether it is hatched: the most severe group
    that holds (one that needs nothing more, among equals); hatched when every group
    that holds at that severity needs something the plane does not show."""
    hits = [g for g in found if g.holds(tpp, density)]
    if not hits:
        return None
    top = max(SEVERITY[g.label] for g in hits)
    severe = [g for g in hits if SEVERITY[g.label] == top]
    plain = [g for g in severe if not g.conditional]
    return (plain or severe)[0], not plain


# --------------------------------------------------------------------------- words


def condition_words(condition: Condition) -> str:
    unit = " GB/s" if condition.metric.endswith("_gbs") else ""
    value = number(condition.threshold)
    return f"{METRIC_WORDS[condition.metric]} {OPS[condition.op]} {value}{unit}"


def clause_words(clause: Clause) -> str:
    joiner = " or " if clause.match == "any" else " and "
    return joiner.join(condition_words(k) for k in clause.conditions)


def _names(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fact_words(facts: Sequence[Fact]) -> str:
    """'on sale in the US by 2026-01-15 (the sheet's us_available) and the exporter's
    certifications (us supply, ...; assumed outside a transaction)'."""
    words: list[str] = []
    for fact in facts:
        if fact.kind == "us_available":
            when = f" by {fact.on.isoformat()}" if fact.on is not None else ""
            words.append(f"commercially available in the US{when} (the sheet's us_available)")
    certified = [f.id.replace("_", " ") for f in facts if f.kind == "certification"]
    if certified:
        words.append(
            f"the exporter's certifications ({', '.join(certified)}; assumed outside a transaction)"
        )
    return " and ".join(words)


def qualifiers(clause: Clause, scope: bool = True) -> list[str]:
    """What a clause needs besides its conditions, in words: a scope, a letter's
    addressees, the destinations it reaches, facts of the sheet or the transaction."""
    words: list[str] = []
    if scope and clause.scope != "all":
        words.append(f"{clause.scope} parts only")
    if clause.addressees:
        words.append(f"{_names(clause.addressees)} parts only")
    if clause.destinations:
        words.append(f"exports to {', '.join(clause.destinations)}")
    if clause.facts:
        words.append("if " + fact_words(clause.facts))
    return words


def _clause_note(clause: Clause) -> str:
    return "; ".join([clause_words(clause), *qualifiers(clause)])


#: how the title names an edition's status (published: nothing)
STATUS_WORDS: Final = {
    "reported": "REPORTED figures",
    "not-enforced": "NOT ENFORCED",
    "letters": "letters to named companies",
}


def title(geometry: Plane, count: int) -> str:
    edition = geometry.edition
    status = STATUS_WORDS.get(edition.status, edition.status.upper())
    status = "" if edition.status == "published" else f", {status}"
    where = f" for export to {edition.destination_code}" if edition.narrowed else ""
    return (
        f"3A090 chip map: {count} chips under {edition.id}{where} ({edition.citation},"
        f" effective {edition.effective}{status})"
    )


def subtitle(geometry: Plane) -> str:
    notes = ["colour: each chip's label under this edition, every clause counted"]
    if not geometry.values("performance_density"):
        notes.append("no density line in this edition")
    for group in geometry.groups:
        if group.conditional:
            needs = "; ".join(group.needs)
            notes.append(f"{group.id} also needs {needs}: that decides inside the hatched region")
    return ";  ".join(notes)


def footnotes(geometry: Plane) -> list[str]:
    """What the colours count beyond the plane: exclusions, reliefs, bandwidth controls,
    each with the scope, addressees, destinations and facts it turns on."""
    words: list[str] = []
    for clause in _applying(geometry.edition):
        targets = ", ".join(clause.targets)
        if clause.role == "exclusion":
            words.append(f"{clause.id} ({_scoped_note(clause)}) takes out {targets}")
        elif clause.role == "relief":
            words.append(f"{clause.id} ({_scoped_note(clause)}): {targets} at most {clause.label}")
    words += [f"{c.id} ({_clause_note(c)}) → {c.label}, not drawn" for c in geometry.off_plane]
    words += [
        f"{c.id} does not reach this destination, not drawn"
        for c in geometry.edition.evaluated
        if not c.applies and c.role == "control"
    ]
    if not words:
        return []
    return textwrap.wrap("also counted in the colours: " + ";  ".join(words), width=190)


def _scoped_note(clause: Clause) -> str:
    """Exclusions and reliefs as before: the scope first ('non-datacenter parts, TPP <
    4800'), then the conditions, then what else they need."""
    head = "" if clause.scope == "all" else f"{clause.scope} parts, "
    return "; ".join([head + clause_words(clause), *qualifiers(clause, scope=False)])


def short_clause(clause_id: str) -> str:
    return (
        clause_id.replace("3A090.", "")
        .replace("License Exceptions ", "")
        .replace("License Exception ", "")
    )


def number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.4g}"


# --------------------------------------------------------------------------- chips


@dataclass(frozen=True)
class Point:
    spec: ChipSpec
    tpp: Fraction
    density: Fraction | None
    label: str
    name: str  # short display name


_DROPPED: Final = ("GeForce", "Instinct")


def _name_words(spec: ChipSpec) -> list[str]:
    name = spec.name
    if name.lower().startswith(spec.vendor.lower() + " "):
        name = name[len(spec.vendor) + 1 :]
    name = re.sub(r"\s*\([^)]*\)", "", name)
    return [
        w
        for w in name.split()
        if w not in _DROPPED and not re.fullmatch(r"\d+GB", w, re.IGNORECASE)
    ]


def short_name(spec: ChipSpec, words: int = 4) -> str:
    """'NVIDIA GeForce RTX 4090' -> 'RTX 4090'; 'NVIDIA H100 SXM5 80GB' -> 'H100 SXM5'."""
    return " ".join(_name_words(spec)[:words]) or spec.id


def points(chips: Sequence[tuple[ChipSpec, Metrics]], edition: Edition) -> list[Point]:
    """The chips under the edition, each named by a short name of its own: where two
    short names agree, both take words of their names until they differ (the
    workstation and server RTX PRO 6000); the sheet id only when the names are the same."""
    specs = [spec for spec, _ in chips]
    names = [short_name(s) for s in specs]
    for name in set(names):
        same = [i for i, n in enumerate(names) if n == name]
        if len(same) < 2:
            continue
        longest = max(len(_name_words(specs[i])) for i in same)
        for count in range(5, longest + 1):
            longer = [short_name(specs[i], count) for i in same]
            if len(set(longer)) == len(longer):
                for i, text in zip(same, longer, strict=True):
                    names[i] = text
                break
    names = [n if names.count(n) == 1 else s.id for n, s in zip(names, specs, strict=True)]
    return [
        Point(spec, m.tpp, m.performance_density, decide(m, edition).label, name)
        for (spec, m), name in zip(chips, names, strict=True)
    ]


def arrows(found: Sequence[Point]) -> list[tuple[Point, Point]]:
    """(parent, variant) for every variant whose parent is among the plotted chips."""
    by_id = {p.spec.id: p for p in found}
    return [
        (by_id[p.spec.variant_of], p)
        for p in found
        if p.spec.variant_of is not None and p.spec.variant_of in by_id
    ]


def colocated(found: Sequence[Point]) -> list[list[Point]]:
    groups: dict[tuple[Fraction, Fraction | None], list[Point]] = {}
    for point in found:
        groups.setdefault((point.tpp, point.density), []).append(point)
    return list(groups.values())


def spread(index: int, count: int) -> float:
    """Side-by-side markers for chips at the same spot (a display device: 3 % of TPP apart)."""
    return 1.0 if count == 1 else 1.0 + 0.03 * (index - (count - 1) / 2)


def group_text(group: Sequence[Point], width: int = 26) -> str:
    """The names of chips at one spot, ' / ' between them, wrapped into lines."""
    lines_: list[str] = []
    for point in group:
        if lines_ and len(lines_[-1]) + 3 + len(point.name) <= width:
            lines_[-1] += " / " + point.name
        else:
            lines_.append(point.name)
    return "\n".join(lines_)


# --------------------------------------------------------------------------- axes


def axis_range(
    values: Sequence[Fraction], lines_at: Sequence[Fraction]
) -> tuple[Fraction, Fraction]:
    every = [v for v in (*values, *lines_at) if v > 0] or [Fraction(1)]
    low, high = min(every), max(every)
    return _round_down(low / Fraction(3, 2)), _round_up(high * Fraction(3, 2))


def _round_down(value: Fraction) -> Fraction:
    step = Fraction(10) ** math.floor(math.log10(value))
    return max(Fraction(math.floor(value / step)) * step, step)


def _round_up(value: Fraction) -> Fraction:
    step = Fraction(10) ** math.floor(math.log10(value))
    return Fraction(math.ceil(value / step)) * step


def strip_rows(
    unknown: Sequence[Point],
    xlim: tuple[Fraction, Fraction],
    width: float,
    label_width: Callable[[Point], float] | None = None,
) -> dict[str, int]:
    """A row of the density-unknown strip for each chip, so that no label runs into the
    next chip's marker or label in its row: chips by TPP, each in the first row whose last
    label ends before it. `width` is the strip's width and `label_width` a label's width
    with its marker, both in the drawing's units (default: 6.5 a character and 20)."""
    measure = label_width or (lambda p: len(p.name) * 6.5 + 20)
    decades = math.log10(float(xlim[1]) / float(xlim[0]))
    per_unit = decades / (width * 0.9)
    ends: list[float] = []  # per row: where its last label ends, in log10 TPP
    rows: dict[str, int] = {}
    for point in sorted(unknown, key=lambda p: (p.tpp, p.name)):
        x = math.log10(float(point.tpp))
        reach = measure(point) * per_unit
        row = next((n for n, end in enumerate(ends) if end < x), len(ends))
        if row == len(ends):
            ends.append(x + reach)
        else:
            ends[row] = x + reach
        rows[point.spec.id] = row
    return rows
