"""Metrics x Edition -> Decision: the label, three-valued. The one evaluator.

A condition is met, not met, or unknown (its metric is unknown). Unknown metrics are
not guessed: the label is decided for every value the unknown metric could take, one
representative per stretch between the edition's thresholds, and the part is
`indeterminate` only when those labels differ.

How a decision is made, once for every caller:

1. An edition is compiled (`Edition.compiled`, a `CompiledEdition` the edition owns)
   into its distinct conditions ("checks"), each an exact comparison on integer terms.
2. A part (`Part`) holds its values as exact integer pairs, and the truth of each
   check under each edition, worked out once for the part.
3. The label follows from which checks hold (the clause logic, `decide_met`), looked
   up in the compiled edition's memo of truths already decided. Where a metric is
   unknown, the decision is made over its candidate values (`candidates`).

A knob scaled (the margin's walks) changes only the checks it moves (`scale`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, NamedTuple

from chipclass.editions import COMPARE, INDETERMINATE, SEVERITY, Clause, Condition, Edition, Fact
from chipclass.metrics import Metrics

#: the quantities that can be unknown (memory + I/O is unknown when either is)
UNKNOWABLE: Final = ("performance_density", "memory_bandwidth_gbs", "io_bandwidth_gbs")


class Decision(NamedTuple):
    """A label and the clauses that decide it (for indeterminate: what it could be)."""

    label: str
    clauses: tuple[str, ...]  # the clause ids that decide the label
    possible: tuple[str, ...] = ()  # when indeterminate: the labels the part could carry
    unknown: tuple[str, ...] = ()  # when indeterminate: the unknown metrics that decide
    unknown_facts: tuple[str, ...] = ()  # when indeterminate: the unknown facts that decide


#: a transaction's facts: the exporter's certifications, by id (None: not known). Without
#: a transaction (None) the certifications are assumed for the label, and listed as such.
Certifications = Mapping[str, bool | None]


def fact_holds(fact: Fact, metrics: Metrics, certifications: Certifications | None) -> bool | None:
    """Does the part (or the transaction) meet the fact? None when it is not known."""
    if fact.kind == "us_available":
        since = metrics.us_available
        if since is None or since is True:  # True: on sale, date unknown
            return None if since is None or fact.on is not None else True
        if since is False:
            return False
        return fact.on is None or since <= fact.on
    if certifications is None:
        return True  # assumed: a chip classified outside a transaction
    return certifications.get(fact.id)


def metric_values(metrics: Metrics) -> dict[str, Fraction | None]:
    return {
        "tpp": metrics.tpp,
        "performance_density": metrics.performance_density,
        "applicable_die_area_mm2": metrics.applicable_die_area_mm2,
        "memory_bandwidth_gbs": metrics.memory_bandwidth_gbs,
        "io_bandwidth_gbs": metrics.io_bandwidth_gbs,
        "memory_plus_io_gbs": metrics.memory_plus_io_gbs,
    }


def combine(results: Sequence[bool | None], match: str) -> bool | None:
    """Kleene logic over a clause's conditions: 'all' is AND, 'any' is OR; None is unknown."""
    if match == "any":
        if True in results:
            return True
        return None if None in results else False
    if False in results:
        return False
    return None if None in results else True


def clause_met(
    clause: Clause,
    values: Mapping[str, Fraction | None],
    datacenter: bool,
    vendor: str | None = None,
    facts: Mapping[str, bool | None] | None = None,
) -> bool | None:
    """Three-valued: True, False, or None when an unknown metric (or fact) leaves it open.
    `facts`: the truth of each of the clause's facts, by id (absent: unknown)."""
    if not clause.in_scope(datacenter, vendor):
        return False
    results: list[bool | None] = []
    for condition in clause.conditions:
        value = values[condition.metric]
        results.append(None if value is None else condition.holds(value))
    results.extend((facts or {}).get(fact.id) for fact in clause.facts)
    return combine(results, clause.match)


def decide_met(met: Mapping[str, bool], clauses: tuple[Clause, ...]) -> Decision:
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


def stretches(points: Iterable[Fraction]) -> list[Fraction]:
    """One value per stretch of the number line the points cut (each point itself, one
    between each two, one below the first and one above the last), ascending."""
    ordered = sorted(set(points))
    if not ordered:
        return [Fraction(1)]
    values = [ordered[0] / 2, *ordered, ordered[-1] + 1]
    values.extend((a + b) / 2 for a, b in itertools.pairwise(ordered))
    return sorted(values)


def candidates(metric: str, other: Fraction | None, edition: Edition) -> list[Fraction]:
    """One value of an unknown metric per stretch of the number line the edition tells
    apart. For the memory bandwidth, `other` is the I/O bandwidth (and for the I/O
    bandwidth the memory bandwidth), where known: the memory + I/O lines then cut the
    unknown one's line too."""
    points = set(edition.thresholds(metric))
    if metric in ("memory_bandwidth_gbs", "io_bandwidth_gbs") and other is not None:
        points.update(t - other for t in edition.thresholds("memory_plus_io_gbs") if t > other)
    return stretches(points)


def joint_candidates(edition: Edition) -> list[tuple[Fraction, Fraction]]:
    """(memory, I/O) pairs, one in every cell of the plane the edition's memory, I/O and
    memory + I/O lines cut, for a part whose memory and I/O bandwidths are both unknown.

    Between two memory values where a line crosses another (a memory line, or a
    memory + I/O line meeting an I/O line or the axis), the lines keep their order, so
    one memory value per such stretch, with one I/O value per stretch at it, meets every
    cell.
    """
    sums = edition.thresholds("memory_plus_io_gbs")
    ios = edition.thresholds("io_bandwidth_gbs")
    crossings = set(edition.thresholds("memory_bandwidth_gbs")) | set(sums)
    crossings.update(s - i for s in sums for i in ios if s > i)
    pairs = []
    for memory in stretches(crossings):
        for io in stretches({*ios, *(s - memory for s in sums if s > memory)}):
            pairs.append((memory, io))
    return pairs


def over_unknowns(outcomes: Mapping[tuple[object, ...], Decision], unknown: list[str]) -> Decision:
    """The decision over every value tried for the unknown metrics (`outcomes`: each
    combination of values, in the order of `unknown`, and the decision there)."""
    labels = {d.label for d in outcomes.values()}
    if len(labels) == 1:
        first = next(iter(outcomes.values()))
        common = [c for c in first.clauses if all(c in d.clauses for d in outcomes.values())]
        return Decision(first.label, tuple(common))
    deciding = [metric for index, metric in enumerate(unknown) if _varies(outcomes, index)]
    if not deciding:  # no one unknown changes it alone: they decide together
        deciding = list(unknown)
    possible = tuple(sorted(labels, key=lambda name: SEVERITY[name]))
    return Decision(INDETERMINATE, (), possible, tuple(deciding))


def over_unknown_facts(
    outcomes: Mapping[tuple[object, ...], Decision], unknown: list[str]
) -> Decision:
    """The decision over both truths of each unknown fact (`outcomes`: each combination of
    truths, in the order of `unknown`, and the decision there, itself perhaps
    indeterminate over unknown metrics)."""
    decisions = list(outcomes.values())
    if all(d.label != INDETERMINATE for d in decisions):
        found = over_unknowns(outcomes, unknown)
        return found._replace(unknown=(), unknown_facts=found.unknown)
    labels = {label for d in decisions for label in (d.possible or (d.label,))}
    facts = [fact for index, fact in enumerate(unknown) if _varies(outcomes, index)]
    metrics = sorted({m for d in decisions for m in d.unknown}, key=UNKNOWABLE.index)
    possible = tuple(sorted(labels, key=lambda name: SEVERITY[name]))
    return Decision(INDETERMINATE, (), possible, tuple(metrics), tuple(facts))


def _varies(outcomes: Mapping[tuple[object, ...], Decision], index: int) -> bool:
    """Does changing only the index-th unknown ever change the label?"""
    groups: dict[tuple[object, ...], set[str]] = {}
    for combo, decision in outcomes.items():
        rest = combo[:index] + combo[index + 1 :]
        groups.setdefault(rest, set()).add(decision.label)
    return any(len(labels) > 1 for labels in groups.values())


# --------------------------------------------------------------------------- exact terms
#
# Values are exact integer pairs (numerator, denominator > 0, not reduced): a decision
# is asked for at every point of every margin walk, and a comparison of a / b with p / q
# is a comparison of a * q with p * b.

Pair = tuple[int, int]
#: a part's values as exact pairs, in ORDER (None: unknown)
Values = tuple[Pair, Pair | None, Pair | None, Pair | None, Pair | None]

#: the quantities conditions compare, in the order of a Values tuple
ORDER: Final = (
    "tpp",
    "performance_density",
    "memory_bandwidth_gbs",
    "io_bandwidth_gbs",
    "memory_plus_io_gbs",
)
#: knob -> its number in `scale`: 0 throughput, 1 die area, 2 memory, 3 I/O
KNOB_CODES: Final = {"throughput": 0, "die_area": 1, "memory_bandwidth": 2, "io_bandwidth": 3}
#: per knob code, the ORDER indexes it moves
_MOVES: Final = ((0, 1), (1,), (2, 4), (3, 4))


def _pair(value: Fraction) -> Pair:
    exact = Fraction(value)  # an int, or a Fraction already
    return exact.numerator, exact.denominator


def exact_values(metrics: Metrics) -> Values:
    """The part's values as exact integer pairs: tpp, performance density, memory
    bandwidth, I/O bandwidth, memory + I/O (None: unknown)."""
    tn, td = _pair(metrics.tpp)
    area, memory = metrics.applicable_die_area_mm2, metrics.memory_bandwidth_gbs
    density: Pair | None = None
    if area is not None and area != 0:
        an, ad = _pair(area)
        density = (tn * ad, td * an)
    io = None if metrics.io_bandwidth_gbs is None else _pair(metrics.io_bandwidth_gbs)
    exact_memory = None if memory is None else _pair(memory)
    return ((tn, td), density, exact_memory, io, _sum(exact_memory, io))


def _sum(memory: Pair | None, io: Pair | None) -> Pair | None:
    """memory + I/O on exact terms; unknown when either is."""
    if memory is None or io is None:
        return None
    return (memory[0] * io[1] + io[0] * memory[1], memory[1] * io[1])


def scale(values: Values, knob: int, fn: int, fd: int) -> Values:
    """The values of the same part with one knob (a KNOB_CODES number) multiplied by
    fn / fd (both > 0): the one way a part is scaled for a decision."""
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
            both = _sum(memory, io)
    elif io is not None:  # I/O bandwidth, and memory + I/O
        io = (io[0] * fn, io[1] * fd)
        both = _sum(memory, io)
    return (tpp, density, memory, io, both)


#: the metrics whose threshold a knob can reach by scaling
KNOB_METRICS: Final = {
    "throughput": ("tpp", "performance_density"),
    "die_area": ("performance_density",),
    "memory_bandwidth": ("memory_bandwidth_gbs", "memory_plus_io_gbs"),
    "io_bandwidth": ("io_bandwidth_gbs", "memory_plus_io_gbs"),
}
#: a line's key: knob, metric, threshold numerator, threshold denominator
LineKey = tuple[str, str, int, int]
#: one condition a knob can reach: its clause, the condition, the line's key
Line = tuple[Clause, Condition, LineKey]

#: what a decision reads of a part besides its truths: datacenter, vendor (or None)
Scope = tuple[bool, "str | None"]

#: a check: (index into ORDER, comparison, threshold numerator, threshold denominator)
Check = tuple[int, str, int, int]
Truths = tuple[bool | None, ...]


def holds(check: Check, values: Values) -> bool | None:
    """Does the check hold for these values? None when its value is unknown."""
    index, op, p, q = check
    value = values[index]
    if value is None:
        return None
    return COMPARE[op](value[0] * q, p * value[1])


class CompiledEdition:
    """One edition, compiled for repeated decisions; owned by the edition
    (`Edition.compiled`), so what it has decided lives as long as the edition does."""

    __slots__ = (
        "addressed",
        "checks",
        "clauses",
        "decided",
        "edition",
        "facts",
        "joint",
        "keys",
        "known",
        "lines",
        "moved",
        "reads",
        "scoped",
        "texts",
        "tried",
    )

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        numbered: dict[tuple[str, str, Fraction], int] = {}
        facts: dict[Fact, int] = {}
        clauses: list[tuple[Clause, tuple[int, ...], tuple[int, ...]]] = []
        for clause in edition.evaluated:
            numbers = []
            for condition in clause.conditions:
                key = (condition.metric, condition.op, condition.threshold)
                numbers.append(numbered.setdefault(key, len(numbered)))
            fact_numbers = tuple(facts.setdefault(f, len(facts)) for f in clause.facts)
            clauses.append((clause, tuple(numbers), fact_numbers))
        #: the facts the edition's clauses require, in order (a part's truths for them
        #: follow its truths for the checks)
        self.facts: tuple[Fact, ...] = tuple(facts)
        #: does any clause bind only its addressees (so decisions depend on the vendor)?
        self.addressed = any(c.addressees for c in edition.evaluated)
        self.checks: tuple[Check, ...] = tuple(
            (ORDER.index(metric), op, threshold.numerator, threshold.denominator)
            for metric, op, threshold in numbered
        )
        self.clauses = tuple(clauses)
        #: per knob code, the checks whose truth can move with it
        self.moved = tuple(
            tuple(n for n, check in enumerate(self.checks) if check[0] in moves) for moves in _MOVES
        )
        #: per ORDER index, the checks that read that value (an unknown metric's trials
        #: change only these)
        self.reads = tuple(
            tuple(n for n, check in enumerate(self.checks) if check[0] == index)
            for index in range(len(ORDER))
        )
        #: per scope, whether each clause is in scope (worked out once per scope)
        self.scoped: dict[Scope, tuple[bool, ...]] = {}
        #: text a writer spells once for this edition, by the writer's own key (the JSON
        #: writer's threshold rows: chipclass.report.serialize)
        self.texts: dict[str, Any] = {}
        #: per knob, the conditions it can reach, in order, each with its line's key
        #: (chipclass.margin draws its boundaries from these)
        self.lines: dict[str, list[Line]] = {knob: [] for knob in KNOB_METRICS}
        for clause in edition.evaluated:
            for condition in clause.conditions:
                t = condition.threshold
                for knob, reached in KNOB_METRICS.items():
                    if condition.metric in reached:
                        line = (knob, condition.metric, t.numerator, t.denominator)
                        self.lines[knob].append((clause, condition, line))
        #: per knob, the keys of its lines (and, under None, of every line)
        self.keys: dict[str | None, frozenset[LineKey]] = {
            knob: frozenset(key for _, _, key in lines) for knob, lines in self.lines.items()
        }
        self.keys[None] = frozenset().union(*self.keys.values())
        #: decisions made, by scope and truths: as many as the part's truths can differ
        self.known: dict[tuple[Scope, Truths, Truths], Decision] = {}
        #: decide()'s answers, by what they read: scope, the truths of the checks and of
        #: the facts as given (unknown facts included) and, for an unknown metric, what
        #: its candidates depend on
        self.decided: dict[tuple[object, ...], Decision] = {}
        #: (memory, I/O) candidates for a part whose memory and I/O are both unknown
        self.joint: list[tuple[Pair, ...]] | None = None
        #: candidate values of an unknown metric, by metric and I/O bandwidth
        self.tried: dict[tuple[str, Pair | None], list[Pair]] = {}

    def truths(self, values: Values) -> Truths:
        return tuple(holds(check, values) for check in self.checks)

    def scaled_truths(self, base: Truths, scaled: Values, knob: int) -> Truths:
        """truths() of the part with one knob scaled: only the checks it moves change
        (holds(), inline: this runs by the hundred per sheet)."""
        out = list(base)
        checks = self.checks
        for n in self.moved[knob]:
            index, op, p, q = checks[n]
            value = scaled[index]
            out[n] = None if value is None else COMPARE[op](value[0] * q, p * value[1])
        return tuple(out)

    def scope(self, metrics: Metrics) -> Scope:
        """What a decision reads of the part besides its truths: in or out of a datacenter,
        and the vendor where a clause binds its addressees only."""
        return (metrics.datacenter, metrics.vendor if self.addressed else None)

    def fact_truths(self, metrics: Metrics, certifications: Certifications | None) -> Truths:
        return tuple(fact_holds(fact, metrics, certifications) for fact in self.facts)

    def in_scope(self, scope: Scope) -> tuple[bool, ...]:
        """Whether each evaluated clause is in scope for a part of this scope, in order."""
        found = self.scoped.get(scope)
        if found is None:
            datacenter, vendor = scope
            found = self.scoped[scope] = tuple(
                clause.in_scope(datacenter, vendor) for clause, _, _ in self.clauses
            )
        return found

    def met(self, truths: Truths, facts: Truths, scope: Scope) -> dict[str, bool]:
        """Which clauses are met (clause_met(...) is True), from the truths of the checks
        and of the facts."""
        in_scope = self.in_scope(scope)
        return {
            clause.id: inside
            and combine([*(truths[n] for n in numbers), *(facts[k] for k in known)], clause.match)
            is True
            for (clause, numbers, known), inside in zip(self.clauses, in_scope, strict=True)
        }

    def decide(self, values: Values, truths: Truths, scope: Scope, facts: Truths) -> Decision:
        """The decision for these values (with these truths of the checks and facts).

        The values count only through the truths, and, where a metric is unknown, through
        which are unknown and the known bandwidth an unknown one's candidates are tried
        against: the decision is looked up by those once made (the margin's walks decide
        one part at many points, most of them alike in their truths)."""
        _, density, memory, io, _ = values
        key: tuple[object, ...]
        if density is not None and memory is not None and io is not None:
            key = (scope, truths, facts)
        else:
            key = (
                scope,
                truths,
                facts,
                density is None,
                memory if io is None else None,
                io if memory is None else None,
                memory is None,
                io is None,
            )
        found = self.decided.get(key)
        if found is None:
            found = self.decided[key] = self._decide_facts(values, truths, scope, facts)
        return found

    def _decide_facts(
        self, values: Values, truths: Truths, scope: Scope, facts: Truths
    ) -> Decision:
        """decide(), worked out: each unknown fact that could matter tried both ways."""
        unknown = [n for n, truth in enumerate(facts) if truth is None]
        if unknown:  # a fact matters only where its clause could still be met
            unknown = [n for n in unknown if self._fact_matters(n, truths, scope)]
            facts = tuple(
                False if t is None and n not in unknown else t for n, t in enumerate(facts)
            )
        if not unknown:
            return self._decide_values(values, truths, scope, facts)
        outcomes: dict[tuple[object, ...], Decision] = {}
        for combo in itertools.product((True, False), repeat=len(unknown)):
            trial = list(facts)
            for n, truth in zip(unknown, combo, strict=True):
                trial[n] = truth
            outcomes[combo] = self._decide_values(values, truths, scope, tuple(trial))
        return over_unknown_facts(outcomes, [self.facts[n].id for n in unknown])

    def _fact_matters(self, fact: int, truths: Truths, scope: Scope) -> bool:
        """Could the fact's truth change whether a clause that requires it is met? Not
        where the clause is out of scope, or one of its conditions fails."""
        datacenter, vendor = scope
        for clause, numbers, known in self.clauses:
            if (
                fact in known
                and clause.in_scope(datacenter, vendor)
                and combine([truths[n] for n in numbers], clause.match) is not False
            ):
                return True
        return False

    def _decide_values(
        self, values: Values, truths: Truths, scope: Scope, facts: Truths
    ) -> Decision:
        _, density, memory, io, _ = values
        if density is not None and memory is not None and io is not None:
            return self._known(truths, facts, scope)
        return self._over_unknowns(values, truths, facts, scope)

    def _known(self, truths: Truths, facts: Truths, scope: Scope) -> Decision:
        key = (scope, truths, facts)
        found = self.known.get(key)
        if found is None:
            met = self.met(truths, facts, scope)
            found = self.known[key] = decide_met(met, self.edition.evaluated)
        return found

    def _over_unknowns(
        self, values: Values, truths: Truths, facts: Truths, scope: Scope
    ) -> Decision:
        """The decision over every candidate value of the unknown metrics (`truths`: the
        part's, where each check of an unknown value is None)."""
        tpp, density, memory, io, _ = values
        unknown: list[str] = []
        grids: list[list[tuple[Pair, ...]]] = []
        if density is None:
            unknown.append("performance_density")
            grids.append([(d,) for d in self._candidates("performance_density", None)])
        if memory is None and io is None:
            unknown.extend(("memory_bandwidth_gbs", "io_bandwidth_gbs"))
            grids.append(self._joint())
        elif memory is None:
            unknown.append("memory_bandwidth_gbs")
            grids.append([(m,) for m in self._candidates("memory_bandwidth_gbs", io)])
        elif io is None:
            unknown.append("io_bandwidth_gbs")
            grids.append([(i,) for i in self._candidates("io_bandwidth_gbs", memory)])
        # a trial changes only the checks of the unknown values (and of memory + I/O)
        tried = [n for i, value in enumerate(values) if value is None for n in self.reads[i]]
        checks = self.checks
        outcomes: dict[tuple[object, ...], Decision] = {}
        for combo in itertools.product(*grids):
            picked = iter(value for group in combo for value in group)
            trial_density = density if density is not None else next(picked)
            trial_memory = memory if memory is not None else next(picked)
            trial_io = io if io is not None else next(picked)
            trial = (tpp, trial_density, trial_memory, trial_io, _sum(trial_memory, trial_io))
            trial_truths = list(truths)
            for n in tried:
                trial_truths[n] = holds(checks[n], trial)
            flat = tuple(value for group in combo for value in group)
            outcomes[flat] = self._known(tuple(trial_truths), facts, scope)
        return over_unknowns(outcomes, unknown)

    def _joint(self) -> list[tuple[Pair, ...]]:
        """joint_candidates() as exact pairs, worked out once for the edition."""
        found = self.joint
        if found is None:
            found = self.joint = [(_pair(m), _pair(i)) for m, i in joint_candidates(self.edition)]
        return found

    def _candidates(self, metric: str, other: Pair | None) -> list[Pair]:
        key = (metric, other)
        found = self.tried.get(key)
        if found is None:
            known = Fraction(*other) if other is not None else None
            found = self.tried[key] = [_pair(c) for c in candidates(metric, known, self.edition)]
        return found


class Part:
    """One part as the evaluator reads it: its metrics, its values as exact pairs, and
    the truths of each compiled edition's checks and facts for it, worked out once. A
    caller that decides the same part many times (the margin's walks) holds one Part."""

    __slots__ = ("_facts", "_truths", "certifications", "metrics", "pairs", "values")

    def __init__(self, metrics: Metrics, certifications: Certifications | None = None) -> None:
        self.metrics = metrics
        self.certifications = certifications
        self.values = metric_values(metrics)
        self.pairs = exact_values(metrics)
        self._truths: dict[CompiledEdition, Truths] = {}
        self._facts: dict[CompiledEdition, Truths] = {}

    def truths(self, compiled: CompiledEdition) -> Truths:
        found = self._truths.get(compiled)
        if found is None:
            found = self._truths[compiled] = compiled.truths(self.pairs)
        return found

    def fact_truths(self, compiled: CompiledEdition) -> Truths:
        found = self._facts.get(compiled)
        if found is None:
            found = self._facts[compiled] = compiled.fact_truths(self.metrics, self.certifications)
        return found

    def decide(self, edition: Edition) -> Decision:
        """The part's label under the edition, and the clauses that decide it."""
        compiled = edition.compiled
        return compiled.decide(
            self.pairs,
            self.truths(compiled),
            compiled.scope(self.metrics),
            self.fact_truths(compiled),
        )

    def decide_at(self, edition: Edition, knob: str, numerator: int, denominator: int) -> Decision:
        """The label with one knob scaled by numerator / denominator (both > 0)."""
        compiled = edition.compiled
        code = KNOB_CODES[knob]
        scaled = scale(self.pairs, code, numerator, denominator)
        truths = compiled.scaled_truths(self.truths(compiled), scaled, code)
        return compiled.decide(
            scaled, truths, compiled.scope(self.metrics), self.fact_truths(compiled)
        )


def decide(
    metrics: Metrics, edition: Edition, certifications: Certifications | None = None
) -> Decision:
    """The label of a part under an edition, and the clauses that decide it."""
    return Part(metrics, certifications).decide(edition)
