"""Policy evaluation for `chipclass check`: which parts pass, which fail, and why.

A part is checked under every edition the command line selects, against the
command-line policy (the label it must stay below, the smallest margin to a
stricter label, whether `indeterminate` is tolerated). A sheet's own `[expect]`
table is checked on top, under its own edition (default: the latest), which is
classified as well when the command line did not select it. Each failure is a
`Reason` that names the sheet key holding the deciding value, so reports can
point at its line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from chipclass.classify import Result, Verdict, classify
from chipclass.editions import INDETERMINATE, LABELS, SEVERITY, Edition, by_id
from chipclass.margin import KNOB_QUANTITY, Change
from chipclass.metrics import Metrics
from chipclass.numbers import show
from chipclass.spec import ChipSpec, Expectation, Problem
from chipclass.tariffs import Band
from chipclass.words import change_words

#: the labels `--fail-on` accepts: a part at this label or a more severe one fails
FAIL_ON_LABELS: Final = ("license-required", "restricted")
DEFAULT_FAIL_ON: Final = "restricted"

#: rule ids besides the clause ids: reasons a part fails that no clause names
RULE_EXPECT: Final = "expect"
RULE_MARGIN: Final = "margin"
RULE_INDETERMINATE: Final = "indeterminate"
RULE_LABEL: Final = "label"  # a label no single clause decides (rare: unknowns that agree)
EXTRA_RULES: Final = (RULE_EXPECT, RULE_MARGIN, RULE_INDETERMINATE)

#: reason kinds
LABEL: Final = "label"
MARGIN: Final = "margin"
EXPECT: Final = "expect"


@dataclass(frozen=True)
class Policy:
    """What the command line (and its configuration) asks of every part."""

    editions: tuple[Edition, ...]
    fail_on: str = DEFAULT_FAIL_ON
    min_margin_pct: Fraction | None = None
    allow_indeterminate: bool = False
    destination: str | None = None  # the editions are read for it; [expect] editions too
    #: the tariff data results are read against (None: the bundled file, read per sheet)
    tariff_bands: tuple[Band, ...] | None = None

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON_LABELS:
            raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON_LABELS)}")
        if self.min_margin_pct is not None and self.min_margin_pct < 0:
            raise ValueError("min_margin_pct must be zero or more")
        if not self.editions:
            raise ValueError("a policy needs at least one edition")

    @property
    def allowed(self) -> str:
        """The most severe label that passes."""
        return LABELS[SEVERITY[self.fail_on] - 1]


@dataclass(frozen=True)
class Reason:
    """One reason a part fails, with the sheet key of the value that decides it."""

    kind: str  # label | margin | expect | indeterminate
    rule: str  # a clause id, or one of EXTRA_RULES
    message: str
    key: str | None  # e.g. "performance.fp8", "memory.bandwidth_gbs", "expect.label"


@dataclass(frozen=True)
class Check:
    """One part under one edition."""

    spec: ChipSpec
    verdict: Verdict
    by_policy: bool  # the command-line policy applies (False: only the sheet's [expect])
    by_expect: bool  # the sheet's [expect] table applies under this edition
    allowed: str | None  # the most severe label that passes here; None: no limit
    reasons: tuple[Reason, ...]

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def edition(self) -> str:
        return self.verdict.edition.id

    @property
    def label(self) -> str:
        return self.verdict.label

    @property
    def line(self) -> int:
        """The line of the deciding value: the first reason's key, else chip.id, else 1."""
        key = self.reasons[0].key if self.reasons else None
        return line_for(self.spec, key)


@dataclass(frozen=True)
class Outcome:
    """One sheet: its classification and its checks, one per edition."""

    result: Result
    checks: tuple[Check, ...]

    @property
    def spec(self) -> ChipSpec:
        return self.result.spec

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


@dataclass(frozen=True)
class CheckRun:
    """Everything one `chipclass check` found: outcomes, and every input problem."""

    policy: Policy
    outcomes: tuple[Outcome, ...]
    problems: tuple[Problem, ...]
    config: str | None = None  # the pyproject.toml the policy was read from

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(c for o in self.outcomes for c in o.checks)

    @property
    def passed(self) -> int:
        return sum(1 for o in self.outcomes if o.passed)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if not o.passed)

    @property
    def editions(self) -> tuple[Edition, ...]:
        """The policy's editions and every edition an [expect] table added, oldest first."""
        found = {e.id: e for e in self.policy.editions}
        for check in self.checks:
            found.setdefault(check.edition, check.verdict.edition)
        return tuple(sorted(found.values(), key=lambda e: e.effective))


# --------------------------------------------------------------------------- sheet keys


def tpp_key(spec: ChipSpec, metrics: Metrics) -> str:
    """The sheet key that sets the TPP: the winning precision, or a declared tpp."""
    if metrics.tpp_precision is not None:
        return f"performance.{metrics.tpp_precision}"
    return "performance.tpp"


def _die_area_key(spec: ChipSpec) -> str:
    index = next((i for i, d in enumerate(spec.dies) if d.non_planar), 0)
    return f"die[{index}].area_mm2"


def _io_key(spec: ChipSpec) -> str:
    if spec.chip_to_chip_gbs is None or spec.chip_to_chip_gbs > 0 or not spec.host_gbs:
        return "interconnect.chip_to_chip_gbs"
    return "interconnect.host_gbs"


def metric_key(spec: ChipSpec, metrics: Metrics, metric: str) -> str:
    """The sheet key holding the value a metric is computed from."""
    if metric == "tpp":
        return tpp_key(spec, metrics)
    if metric in ("performance_density", "applicable_die_area_mm2"):
        return _die_area_key(spec)
    if metric in ("memory_bandwidth_gbs", "memory_plus_io_gbs"):
        return "memory.bandwidth_gbs"
    return _io_key(spec)


def knob_key(spec: ChipSpec, metrics: Metrics, knob: str) -> str:
    return metric_key(spec, metrics, KNOB_QUANTITY[knob])


def line_for(spec: ChipSpec, key: str | None) -> int:
    """The line of a key in the sheet; else the chip.id line; else 1."""
    for candidate in (key, "chip.id"):
        if candidate is not None:
            line = spec.line_of(candidate)
            if line is not None:
                return line
    return 1


# --------------------------------------------------------------------------- expectations


def expectation_edition(spec: ChipSpec) -> Edition | None:
    """The edition the sheet's [expect] table is checked under; None without one.

    Raises LookupError for an unknown edition id (see `expectation_problem`).
    """
    expect = spec.expect
    if expect is None or (expect.label is None and expect.min_margin_pct is None):
        return None
    return by_id(expect.edition or "latest")


def expectation_problem(spec: ChipSpec) -> Problem | None:
    """An input error for an `[expect] edition` that names no known edition."""
    if spec.expect is None or spec.expect.edition is None:
        return None
    try:
        by_id(spec.expect.edition)
    except LookupError as error:
        return Problem(spec.path, str(error.args[0]), "[expect] edition", _expect_line(spec))
    return None


def _expect_line(spec: ChipSpec) -> int | None:
    return spec.line_of("expect.edition") or spec.line_of("expect")


# --------------------------------------------------------------------------- checking


def check_spec(spec: ChipSpec, policy: Policy) -> Outcome:
    """Classify one sheet and check it against the policy and its own [expect] table.

    The sheet's [expect] edition must be known (`expectation_problem` is None).
    """
    expected = expectation_edition(spec)
    if expected is not None and policy.destination is not None:
        from chipclass.scoped import for_destination

        expected = for_destination(expected, policy.destination)
    chosen = {e.id: e for e in policy.editions}
    if expected is not None:
        chosen.setdefault(expected.id, expected)
    editions = sorted(chosen.values(), key=lambda e: e.effective)
    result = classify(spec, editions, tariff_bands=policy.tariff_bands)
    policy_ids = {e.id for e in policy.editions}
    checks: list[Check] = []
    for verdict in result.verdicts:
        by_policy = verdict.edition.id in policy_ids
        by_expect = expected is not None and verdict.edition.id == expected.id
        reasons: list[Reason] = []
        limits: list[str] = []
        if by_policy:
            limits.append(policy.allowed)
            reasons += _policy_reasons(result, verdict, policy)
        if by_expect and spec.expect is not None:
            if spec.expect.label is not None:
                limits.append(spec.expect.label)
            reasons += _expect_reasons(result, verdict, spec.expect, policy.allow_indeterminate)
        allowed = min(limits, key=lambda label: SEVERITY[label]) if limits else None
        checks.append(Check(spec, verdict, by_policy, by_expect, allowed, _unique(reasons)))
    return Outcome(result, tuple(checks))


def run_checks(
    items: Iterable[ChipSpec | list[Problem]], policy: Policy, config: str | None = None
) -> CheckRun:
    """Check every loaded sheet (as `classify.iter_loaded` yields them: a spec, or the
    problems of a sheet that could not be loaded). A sheet whose [expect] edition is
    unknown becomes a problem too; every other sheet is still checked."""
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    for item in items:
        if isinstance(item, list):
            problems.extend(item)
            continue
        problem = expectation_problem(item)
        if problem is not None:
            problems.append(problem)
        else:
            outcomes.append(check_spec(item, policy))
    return CheckRun(policy, tuple(outcomes), tuple(problems), config)


def _unique(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Drop repeats: an indeterminate label is reported once, not once per source."""
    kept: list[Reason] = []
    for reason in reasons:
        if reason in kept:
            continue
        if reason.kind == INDETERMINATE and any(r.kind == INDETERMINATE for r in kept):
            continue
        kept.append(reason)
    return tuple(kept)


def _policy_reasons(result: Result, verdict: Verdict, policy: Policy) -> list[Reason]:
    reasons = _label_reasons(
        result,
        verdict,
        policy.allowed,
        allow_indeterminate=policy.allow_indeterminate,
        kind=LABEL,
        why=f"at or above --fail-on {policy.fail_on}",
    )
    if policy.min_margin_pct is not None:
        reasons += _margin_reasons(
            result, verdict, policy.min_margin_pct, RULE_MARGIN, MARGIN, "--min-margin", None
        )
    return reasons


def _expect_reasons(
    result: Result, verdict: Verdict, expect: Expectation, allow_indeterminate: bool
) -> list[Reason]:
    reasons: list[Reason] = []
    if expect.label is not None:
        reasons += _label_reasons(
            result,
            verdict,
            expect.label,
            allow_indeterminate=allow_indeterminate,
            kind=EXPECT,
            why=f"[expect] label allows at most {expect.label}",
            rule=RULE_EXPECT,
            key="expect.label",
        )
    if expect.min_margin_pct is not None:
        reasons += _margin_reasons(
            result,
            verdict,
            expect.min_margin_pct,
            RULE_EXPECT,
            EXPECT,
            "[expect] min_margin_pct",
            "expect.min_margin_pct",
        )
    return reasons


def _label_reasons(
    result: Result,
    verdict: Verdict,
    limit: str,
    *,
    allow_indeterminate: bool,
    kind: str,
    why: str,
    rule: str | None = None,
    key: str | None = None,
) -> list[Reason]:
    """A reason when the label is more severe than `limit` (or may be, when indeterminate)."""
    decision = verdict.decision
    edition = verdict.edition.id
    if decision.label == INDETERMINATE:
        return _indeterminate_reasons(result, verdict, limit, allow_indeterminate, kind, why, key)
    if SEVERITY[decision.label] <= SEVERITY[limit]:
        return []
    primary = _primary_clause(verdict)
    message = f"{decision.label} under {edition} via {_deciding(verdict)}: {why}"
    return [
        Reason(
            kind,
            rule or primary,
            message,
            key or _clause_key(result, verdict, primary),
        )
    ]


def _indeterminate_reasons(
    result: Result,
    verdict: Verdict,
    limit: str,
    allow_indeterminate: bool,
    kind: str,
    why: str,
    key: str | None,
) -> list[Reason]:
    decision = verdict.decision
    ranks = [SEVERITY[label] for label in decision.possible]
    unknown = ", ".join(decision.unknown) or "a metric"
    could_be = " or ".join(decision.possible)
    spec, metrics = result.spec, result.metrics
    missing = metric_key(spec, metrics, decision.unknown[0]) if decision.unknown else "chip.id"
    if ranks and min(ranks) > SEVERITY[limit]:
        message = (
            f"indeterminate under {verdict.edition.id}, but every label it could carry"
            f" ({could_be}) fails: {why}"
        )
        rule = RULE_INDETERMINATE if kind == LABEL else RULE_EXPECT
        return [Reason(kind, rule, message, key or missing)]
    if allow_indeterminate:
        return []
    message = (
        f"indeterminate under {verdict.edition.id}: could be {could_be}, depending on the"
        f" unknown {unknown}; give the missing figures, or pass --allow-indeterminate"
    )
    return [Reason(INDETERMINATE, RULE_INDETERMINATE, message, missing)]


def _margin_reasons(
    result: Result,
    verdict: Verdict,
    floor: Fraction,
    rule: str,
    kind: str,
    source: str,
    key: str | None,
) -> list[Reason]:
    change = verdict.nearest_stricter
    if change is None or abs(change.change_pct) >= floor:
        return []
    message = (
        f"a stricter label is {show(abs(change.change_pct))} % away under"
        f" {verdict.edition.id}: {describe_change(change)}; {source} asks for at least"
        f" {show(floor)} %"
    )
    return [Reason(kind, rule, message, key or knob_key(result.spec, result.metrics, change.knob))]


def describe_change(change: Change) -> str:
    """throughput +1.351 % (tpp 2368 -> 2400) reaches license-required via 3A090.b.1"""
    beyond = ", and past it" if change.strict else ""
    return (
        f"{change_words(change)}"
        f" (to {KNOB_QUANTITY[change.knob]} {show(change.knob_value)}{beyond})"
        f" reaches {change.label} via {change.clause}"
    )


def _primary_clause(verdict: Verdict) -> str:
    """The clause that decides the label: its first control, else its first clause."""
    clauses = verdict.decision.clauses
    by_id_ = {c.id: c for c in verdict.edition.clauses}
    for clause_id in clauses:
        clause = by_id_.get(clause_id)
        if clause is not None and clause.role == "control":
            return clause_id
    return clauses[0] if clauses else RULE_LABEL


def _met_rows(verdict: Verdict, clause_id: str) -> list[str]:
    return [
        f"{row.condition.metric} {show(row.value)} {row.condition.op}"
        f" {show(row.condition.threshold)}"
        for row in verdict.rows
        if row.clause.id == clause_id and row.in_scope and row.met
    ]


def _deciding(verdict: Verdict) -> str:
    """3A090.a.1 (tpp 36000 >= 4800), with the numbers of each deciding clause."""
    parts = []
    for clause_id in verdict.decision.clauses:
        met = _met_rows(verdict, clause_id)
        parts.append(f"{clause_id} ({', '.join(met)})" if met else clause_id)
    return "; ".join(parts) if parts else "no clause"


def _clause_key(result: Result, verdict: Verdict, clause_id: str) -> str | None:
    for row in verdict.rows:
        if row.clause.id == clause_id and row.in_scope and row.met:
            return metric_key(result.spec, result.metrics, row.condition.metric)
    return None
