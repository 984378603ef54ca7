"""Metrics x Edition -> Decision: the label, three-valued.

A condition is met, not met, or unknown (its metric is unknown). Unknown
metrics are not guessed: the label is computed for every value the unknown
metric could take, one representative per stretch between the edition's
thresholds, and the part is `indeterminate` only when those labels differ.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Final, NamedTuple

from chipclass.editions import INDETERMINATE, SEVERITY, Clause, Edition
from chipclass.metrics import Metrics

#: the quantities that can be unknown, and what each is measured in
UNKNOWABLE = ("performance_density", "memory_bandwidth_gbs")


class Decision(NamedTuple):
    """A label and the clauses that decide it (for indeterminate: what it could be)."""

    label: str
    clauses: tuple[str, ...]  # the clause ids that decide the label
    possible: tuple[str, ...] = ()  # when indeterminate: the labels the part could carry
    unknown: tuple[str, ...] = ()  # when indeterminate: the unknown metrics that decide


def metric_values(metrics: Metrics) -> dict[str, Fraction | None]:
    return {
        "tpp": metrics.tpp,
        "performance_density": metrics.performance_density,
        "applicable_die_area_mm2": metrics.applicable_die_area_mm2,
        "memory_bandwidth_gbs": metrics.memory_bandwidth_gbs,
        "io_bandwidth_gbs": metrics.io_bandwidth_gbs,
        "memory_plus_io_gbs": metrics.memory_plus_io_gbs,
    }


def clause_met(
    clause: Clause, values: Mapping[str, Fraction | None], datacenter: bool
) -> bool | None:
    """Three-valued: True, False, or None when an unknown metric leaves it open."""
    if not clause.in_scope(datacenter):
        return False
    results: list[bool | None] = []
    for condition in clause.conditions:
        value = values[condition.metric]
        results.append(None if value is None else condition.holds(value))
    return combine(results, clause.match)


def combine(results: Sequence[bool | None], match: str) -> bool | None:
    """Kleene logic over a clause's conditions: 'all' is AND, 'any' is OR; None is unknown."""
    if match == "any":
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def _decide_known(
    values: Mapping[str, Fraction | None], datacenter: bool, edition: Edition
) -> Decision:
    clauses = edition.evaluated
    met = {c.id: clause_met(c, values, datacenter) is True for c in clauses}
    return _decide_met(met, clauses)


def _decide_met(met: Mapping[str, bool], clauses: tuple[Clause, ...]) -> Decision:
    """The label, given which clauses are met: controls, then exclusions, then relief."""
    active: dict[str, str] = {}
    for c in clauses:
        if c.role == "control" and met[c.id] and c.label is not None:
            active[c.id] = c.label
    excluded_by: list[str] = []
    for c in clauses:
        if c.role == "exclusion" and met[c.id]:
            hit = [cid for cid in active if c.targets_clause(cid)]
            for cid in hit:
                del active[cid]
            if hit:
                excluded_by.append(c.id)
    relieved_by: dict[str, list[str]] = {}
    for c in clauses:
        if c.role == "relief" and met[c.id] and c.label is not None:
            for cid, label in active.items():
                if c.targets_clause(cid) and SEVERITY[c.label] < SEVERITY[label]:
                    active[cid] = c.label
                    relieved_by.setdefault(cid, []).append(c.id)
    if not active:
        return Decision("exportable", tuple(excluded_by))
    label = max(active.values(), key=lambda name: SEVERITY[name])
    deciding = {cid for cid, lab in active.items() if lab == label}
    for cid in list(deciding):
        deciding.update(relieved_by.get(cid, ()))
    return Decision(label, tuple(c.id for c in clauses if c.id in deciding))


def candidates(metric: str, io: Fraction, edition: Edition) -> list[Fraction]:
    """One value of an unknown metric per stretch of the number line the edition tells
    apart (for the memory bandwidth, given the I/O bandwidth `io`)."""
    points = set(edition.thresholds(metric))
    if metric == "memory_bandwidth_gbs":
        points.update(t - io for t in edition.thresholds("memory_plus_io_gbs") if t > io)
    ordered = sorted(points)
    if not ordered:
        return [Fraction(1)]
    values = [ordered[0] / 2, *ordered, ordered[-1] + 1]
    values.extend((a + b) / 2 for a, b in itertools.pairwise(ordered))
    return sorted(values)


def decide(metrics: Metrics, edition: Edition) -> Decision:
    """The label of a part under an edition, and the clauses that decide it."""
    plan = _plan(edition)
    if plan is not None:
        try:
            values = exact_values(metrics)
        except (AttributeError, TypeError):  # a value that is not a Fraction: the long way
            return _decide(metrics, edition)
        return plan.decide(values, plan.base_truths(metrics, values), metrics.datacenter)
    return _decide(metrics, edition)


def decide_scaled(metrics: Metrics, edition: Edition, knob: str, factor: Fraction) -> Decision:
    """decide(metrics.scaled(knob, factor), edition): the same part, one knob scaled."""
    if not isinstance(factor, (int, Fraction)):
        return decide(metrics.scaled(knob, factor), edition)
    return decide_at(metrics, edition, knob, factor.numerator, factor.denominator)


def decide_at(
    metrics: Metrics, edition: Edition, knob: str, numerator: int, denominator: int
) -> Decision:
    """decide_scaled() with the factor as integer terms (any positive pair, not reduced).

    The scaled part is built only when its decision is new: the margin search asks this
    many times per verdict.
    """
    plan = _plan(edition)
    if plan is None or knob not in _SCALED or numerator <= 0 or denominator <= 0:
        return decide(metrics.scaled(knob, Fraction(numerator, denominator)), edition)
    code = _SCALED[knob]
    try:
        values = exact_values(metrics)
        scaled = _scaled(values, code, numerator, denominator)
    except (AttributeError, TypeError):
        return _decide(metrics.scaled(knob, Fraction(numerator, denominator)), edition)
    truths = plan.scaled_truths(plan.base_truths(metrics, values), scaled, code)
    return plan.decide(scaled, truths, metrics.datacenter)


def scaled_decider(metrics: Metrics, edition: Edition) -> Callable[[str, int, int], Decision]:
    """decide_at(metrics, edition, ...) as a function of (knob, numerator, denominator),
    with all that does not depend on the factor worked out once."""
    plan = _plan(edition)
    try:
        values = exact_values(metrics)
    except (AttributeError, TypeError):  # a value that is not a Fraction: the long way
        plan = None
    if plan is None:
        return lambda knob, numerator, denominator: decide_at(
            metrics, edition, knob, numerator, denominator
        )
    base = plan.base_truths(metrics, values)
    datacenter = metrics.datacenter

    def at(knob: str, numerator: int, denominator: int) -> Decision:
        code = _SCALED.get(knob)
        if code is None or numerator <= 0 or denominator <= 0:
            return decide_at(metrics, edition, knob, numerator, denominator)
        scaled = _scaled(values, code, numerator, denominator)
        return plan.decide(scaled, plan.scaled_truths(base, scaled, code), datacenter)

    return at


def _decide(metrics: Metrics, edition: Edition) -> Decision:
    """The decision, step by step: every clause, every value of an unknown metric."""
    values = metric_values(metrics)
    unknown = [m for m in UNKNOWABLE if values[m] is None]
    if not unknown:
        return _decide_known(values, metrics.datacenter, edition)
    grids = [candidates(m, metrics.io_bandwidth_gbs, edition) for m in unknown]
    outcomes: dict[tuple[object, ...], Decision] = {}
    for combo in itertools.product(*grids):
        trial = dict(values)
        for metric, value in zip(unknown, combo, strict=True):
            trial[metric] = value
            if metric == "memory_bandwidth_gbs":
                trial["memory_plus_io_gbs"] = value + metrics.io_bandwidth_gbs
        outcomes[combo] = _decide_known(trial, metrics.datacenter, edition)
    return _over_unknowns(outcomes, unknown)


def _over_unknowns(outcomes: Mapping[tuple[object, ...], Decision], unknown: list[str]) -> Decision:
    """The decision over every value tried for the unknown metrics (`outcomes`: each
    combination of values, in the order of `unknown`, and the decision there)."""
    labels = {d.label for d in outcomes.values()}
    if len(labels) == 1:
        first = next(iter(outcomes.values()))
        common = [c for c in first.clauses if all(c in d.clauses for d in outcomes.values())]
        return Decision(first.label, tuple(common))
    deciding = [metric for index, metric in enumerate(unknown) if _varies(outcomes, index)]
    possible = tuple(sorted(labels, key=lambda name: SEVERITY[name]))
    return Decision(INDETERMINATE, (), possible, tuple(deciding))


def _varies(outcomes: Mapping[tuple[object, ...], Decision], index: int) -> bool:
    """Does changing only the index-th unknown ever change the label?"""
    groups: dict[tuple[object, ...], set[str]] = {}
    for combo, decision in outcomes.items():
        rest = combo[:index] + combo[index + 1 :]
        groups.setdefault(rest, set()).add(decision.label)
    return any(len(labels) > 1 for labels in groups.values())


# --------------------------------------------------------------------------- the fast path
#
# decide() is asked for every point of every margin walk, many times per verdict. An
# edition is compiled once into a _Plan: its distinct conditions ("checks"), and the
# decisions already made, keyed by which checks hold. A decision depends on the values
# only through those truths (and, for an unknown metric, on the candidates tried, which
# depend on the edition and, for the memory bandwidth, on the I/O bandwidth), so a
# decision is made once, by _decide, and looked up afterwards. The truths are computed
# exactly, on integer numerators and denominators, as Condition.holds would compute them.

#: the quantities conditions compare, in the order of an _exact_values tuple
_ORDER: Final = (
    "tpp",
    "performance_density",
    "memory_bandwidth_gbs",
    "io_bandwidth_gbs",
    "memory_plus_io_gbs",
)
_OP_CODES: Final = {">=": 0, ">": 1, "<": 2, "<=": 3}
#: knob -> what it scales: 0 throughput, 1 die area, 2 memory, 3 I/O (as Metrics.scaled)
_SCALED: Final = {"throughput": 0, "die_area": 1, "memory_bandwidth": 2, "io_bandwidth": 3}
_MEMO_LIMIT: Final = 4096

_Pair = tuple[int, int]  # an exact value: numerator, denominator > 0 (not reduced)
#: a part's values as exact pairs, in _ORDER (None: unknown)
Values = tuple[_Pair, _Pair | None, _Pair | None, _Pair, _Pair | None]


def _pair(numerator: int, denominator: int) -> _Pair:
    return (numerator, denominator) if denominator > 0 else (-numerator, -denominator)


def _exact_values(metrics: Metrics) -> Values:
    """The values of _ORDER as exact pairs (None: unknown), as metric_values() has them."""
    tpp, area = metrics.tpp, metrics.applicable_die_area_mm2
    memory, io = metrics.memory_bandwidth_gbs, metrics.io_bandwidth_gbs
    tn, td = tpp.numerator, tpp.denominator
    density = (
        None if area is None or area == 0 else _pair(tn * area.denominator, td * area.numerator)
    )
    io_pair = (io.numerator, io.denominator)
    if memory is None:
        return ((tn, td), density, None, io_pair, None)
    mn, md = memory.numerator, memory.denominator
    both = (mn * io.denominator + io.numerator * md, md * io.denominator)
    return ((tn, td), density, (mn, md), io_pair, both)


_last_values: list[tuple[Metrics, Values]] = []


def exact_values(metrics: Metrics) -> Values:
    """The part's values as exact integer pairs: tpp, performance density, memory
    bandwidth, I/O bandwidth, memory + I/O (None: unknown), kept for the last part asked
    about (by identity)."""
    last = _last_values[0] if _last_values else None
    if last is not None and last[0] is metrics:
        return last[1]
    values = _exact_values(metrics)
    _last_values[:] = [(metrics, values)]
    return values


def _scaled(values: Values, knob: int, fn: int, fd: int) -> Values:
    """The values of the same part with one knob multiplied by fn / fd (both > 0)."""
    tpp, density, memory, io, both = values
    if knob == 0:  # throughput: tpp and density together
        tpp = (tpp[0] * fn, tpp[1] * fd)
        if density is not None:
            density = (density[0] * fn, density[1] * fd)
    elif knob == 1:  # die area: density alone, inversely
        if density is not None:
            density = (density[0] * fd, density[1] * fn)
    elif knob == 2:  # memory bandwidth, and memory + I/O
        if memory is not None:
            memory = (memory[0] * fn, memory[1] * fd)
            both = (memory[0] * io[1] + io[0] * memory[1], memory[1] * io[1])
    else:  # I/O bandwidth, and memory + I/O
        io = (io[0] * fn, io[1] * fd)
        if memory is not None:
            both = (memory[0] * io[1] + io[0] * memory[1], memory[1] * io[1])
    return (tpp, density, memory, io, both)


class _Plan:
    """One edition, compiled for repeated decisions."""

    __slots__ = ("base", "checks", "clauses", "edition", "grid", "known", "moved", "tried")

    def __init__(
        self,
        edition: Edition,
        checks: tuple[tuple[int, int, int, int], ...],
        clauses: tuple[tuple[Clause, tuple[int, ...]], ...],
    ) -> None:
        self.edition = edition
        self.checks = checks  # (index into _ORDER, op code, threshold numerator, denominator)
        self.clauses = clauses  # each evaluated clause, with its conditions' check numbers
        #: per knob (as _SCALED numbers it), the checks whose truth can move with it
        self.moved = tuple(
            tuple(n for n, check in enumerate(checks) if check[0] in _MOVES[knob])
            for knob in range(len(_MOVES))
        )
        self.known: dict[tuple[bool, tuple[bool | None, ...]], Decision] = {}
        self.grid: dict[tuple[object, ...], Decision] = {}
        self.tried: dict[tuple[str, _Pair | None], list[_Pair]] = {}
        self.base: tuple[Metrics, tuple[bool | None, ...]] | None = None

    def truths(self, values: Values) -> tuple[bool | None, ...]:
        return tuple(_holds(check, values) for check in self.checks)

    def base_truths(self, metrics: Metrics, values: Values) -> tuple[bool | None, ...]:
        """truths() of the part itself, kept for the last part (by identity)."""
        base = self.base
        if base is not None and base[0] is metrics:
            return base[1]
        truths = self.truths(values)
        self.base = (metrics, truths)
        return truths

    def scaled_truths(
        self, base: tuple[bool | None, ...], scaled: Values, knob: int
    ) -> tuple[bool | None, ...]:
        """truths() of the part with one knob scaled: only the checks it moves change."""
        out = list(base)
        checks = self.checks
        for n in self.moved[knob]:  # _holds, inline: this runs by the hundred per sheet
            index, op, p, q = checks[n]
            value = scaled[index]
            if value is None:
                out[n] = None
                continue
            left, right = value[0] * q, p * value[1]
            if op == 0:
                out[n] = left >= right
            elif op == 1:
                out[n] = left > right
            elif op == 2:
                out[n] = left < right
            else:
                out[n] = left <= right
        return tuple(out)

    def met(self, truths: tuple[bool | None, ...], datacenter: bool) -> dict[str, bool]:
        """Which clauses are met (clause_met(...) is True), from the truths of the checks."""
        met: dict[str, bool] = {}
        for clause, numbers in self.clauses:
            if not clause.in_scope(datacenter):
                met[clause.id] = False
                continue
            results = [truths[n] for n in numbers]
            if clause.match == "any":
                met[clause.id] = True in results
            else:
                met[clause.id] = False not in results and None not in results
        return met

    def decide(self, values: Values, truths: tuple[bool | None, ...], datacenter: bool) -> Decision:
        """The decision for these values (with these truths of the checks)."""
        if values[1] is not None and values[2] is not None:
            return self._known(truths, datacenter)
        # an unknown metric: the candidates tried for the memory bandwidth depend on the I/O
        io = values[3] if values[2] is None else None
        grid_key = (datacenter, truths, values[1] is None, values[2] is None, io)
        found = self.grid.get(grid_key)
        if found is None:
            found = self._over_unknowns(values, datacenter)
            if len(self.grid) >= _MEMO_LIMIT:
                self.grid.clear()
            self.grid[grid_key] = found
        return found

    def _known(self, truths: tuple[bool | None, ...], datacenter: bool) -> Decision:
        key = (datacenter, truths)
        found = self.known.get(key)
        if found is None:
            found = _decide_met(self.met(truths, datacenter), self.edition.evaluated)
            if len(self.known) >= _MEMO_LIMIT:
                self.known.clear()
            self.known[key] = found
        return found

    def _over_unknowns(self, values: Values, datacenter: bool) -> Decision:
        """_decide's grid over the unknown metrics, each trial decided from its truths."""
        tpp, density, memory, io_pair, both = values
        unknown: list[str] = []
        grids: list[list[_Pair]] = []
        if density is None:
            unknown.append("performance_density")
            grids.append(self._candidates("performance_density", None))
        if memory is None:
            unknown.append("memory_bandwidth_gbs")
            grids.append(self._candidates("memory_bandwidth_gbs", io_pair))
        outcomes: dict[tuple[object, ...], Decision] = {}
        for combo in itertools.product(*grids):
            trial_density, trial_memory, trial_both = density, memory, both
            if density is None:
                trial_density = combo[0]
            if memory is None:
                trial_memory = m = combo[-1]
                trial_both = (m[0] * io_pair[1] + io_pair[0] * m[1], m[1] * io_pair[1])
            trial = (tpp, trial_density, trial_memory, io_pair, trial_both)
            outcomes[combo] = self._known(self.truths(trial), datacenter)
        return _over_unknowns(outcomes, unknown)

    def _candidates(self, metric: str, io: _Pair | None) -> list[_Pair]:
        """candidates() as exact pairs, kept per metric and I/O bandwidth."""
        key = (metric, io)
        found = self.tried.get(key)
        if found is None:
            io_value = Fraction(*io) if io is not None else Fraction(0)
            found = [
                (c.numerator, c.denominator) for c in candidates(metric, io_value, self.edition)
            ]
            if len(self.tried) >= _MEMO_LIMIT:
                self.tried.clear()
            self.tried[key] = found
        return found


def _holds(check: tuple[int, int, int, int], values: Values) -> bool | None:
    """Condition.holds, on exact integer terms; None when the value is unknown."""
    index, op, p, q = check
    value = values[index]
    if value is None:
        return None
    left, right = value[0] * q, p * value[1]
    if op == 0:
        return left >= right
    if op == 1:
        return left > right
    if op == 2:
        return left < right
    return left <= right


#: per knob (as _SCALED numbers it), the _ORDER indexes it moves
_MOVES: Final = ((0, 1), (1,), (2, 4), (3, 4))

_PLANS: dict[int, tuple[Edition, _Plan | None]] = {}


def _plan(edition: Edition) -> _Plan | None:
    """The edition's plan (None when a condition is outside what the plan reads)."""
    cached = _PLANS.get(id(edition))
    if cached is not None and cached[0] is edition:
        return cached[1]
    seen: dict[tuple[str, str, Fraction], int] = {}
    clauses: list[tuple[Clause, tuple[int, ...]]] = []
    for clause in edition.evaluated:
        numbers = []
        for condition in clause.conditions:
            key = (condition.metric, condition.op, condition.threshold)
            numbers.append(seen.setdefault(key, len(seen)))
        clauses.append((clause, tuple(numbers)))
    plan: _Plan | None = None
    try:
        checks = tuple(
            (_ORDER.index(metric), _OP_CODES[op], threshold.numerator, threshold.denominator)
            for metric, op, threshold in seen
        )
        plan = _Plan(edition, checks, tuple(clauses))
    except (ValueError, KeyError, AttributeError):
        plan = None
    if len(_PLANS) >= 64:
        _PLANS.clear()
    _PLANS[id(edition)] = (edition, plan)
    return plan
