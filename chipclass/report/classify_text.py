"""Human-readable `classify` output: a summary table, per-chip detail, or --explain."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from chipclass.classify import Result, Verdict
from chipclass.editions import Clause, Edition
from chipclass.evaluate import clause_met, metric_values
from chipclass.margin import KNOB_QUANTITY, Change
from chipclass.metrics import Metrics
from chipclass.numbers import percent, show, signed
from chipclass.report.doc import Cell, Doc
from chipclass.report.registry import Classified
from chipclass.tariffs import TariffBand

QUANTITY_NAMES = {
    "tpp": "TPP",
    "performance_density": "density",
    "applicable_die_area_mm2": "die area mm²",
    "memory_bandwidth_gbs": "memory GB/s",
    "io_bandwidth_gbs": "I/O GB/s",
    "memory_plus_io_gbs": "memory+I/O GB/s",
}


def thresholds(result: Result, metric: str) -> tuple[Fraction, ...]:
    """Every threshold on `metric` in the result's verdicts: a figure of that metric is
    shown with the digits it takes to stay on its side of each (numbers.show)."""
    return tuple(
        row.condition.threshold
        for verdict in result.verdicts
        for row in verdict.rows
        if row.condition.metric == metric
    )


def label_cell(label: str) -> Cell:
    return Cell(label, label)


def metrics_line(result: Result) -> str:
    m, spec = result.metrics, result.spec

    def near(metric: str) -> tuple[Fraction, ...]:
        return thresholds(result, metric)

    if m.tpp_precision is not None:
        best = next(t for t in spec.throughput if t.precision == m.tpp_precision)
        origin = f" ({best.precision} {show(best.tops)} x {best.bits})"
    else:
        origin = " (declared)"
    area = m.applicable_die_area_mm2
    density = show(m.performance_density, near=thresholds(result, "performance_density"))
    if m.performance_density is not None and area is not None:
        density += f" ({show(area, near=thresholds(result, 'applicable_die_area_mm2'))} mm²)"
    elif area is None:
        density += " (no die area)"
    parts = [
        f"TPP {show(m.tpp, near=thresholds(result, 'tpp'))}{origin}",
        f"density {density}",
        f"memory {show(m.memory_bandwidth_gbs, near=near('memory_bandwidth_gbs'))} GB/s",
        f"I/O {show(m.io_bandwidth_gbs, near=near('io_bandwidth_gbs'))} GB/s",
        f"memory+I/O {show(m.memory_plus_io_gbs, near=near('memory_plus_io_gbs'))} GB/s",
    ]
    return "  ·  ".join(parts)


def describe_change(change: Change | None, metrics: Metrics) -> str:
    if change is None:
        return "none by a single knob"
    quantity = KNOB_QUANTITY[change.knob]
    before = metric_values(metrics)[quantity]
    side = ("above " if change.factor > 1 else "below ") if change.strict else ""
    return (
        f"{change.knob.replace('_', ' ')} {percent(change.change_pct)}"
        f" ({QUANTITY_NAMES[quantity]} {show(before)} → {side}{show(change.knob_value)})"
        f" → {change.label} via {change.clause}"
    )


def edition_title(edition: Edition) -> str:
    status = "" if edition.status == "published" else f", {edition.status.upper()}"
    where = f", for {edition.destination}" if edition.narrowed else ""
    return f"{edition.id} ({edition.citation}, effective {edition.effective}{status}){where}"


def chip_title(result: Result) -> str:
    spec = result.spec
    variant = f", variant of {spec.variant_of}" if spec.variant_of else ""
    market = "" if spec.datacenter else ", not for datacenters"
    return f"{spec.name} ({spec.id}{variant}{market})  {spec.path}"


def verdict_block(doc: Doc, result: Result, verdict: Verdict, explain: bool) -> None:
    label = [Cell(edition_title(verdict.edition) + ": "), label_cell(verdict.label)]
    clauses = verdict.decision.clauses
    if clauses:
        label.append(Cell(f"  [{', '.join(clauses)}]", "dim"))
    doc.line(*label, indent=2)
    if verdict.decision.possible:
        unknown = (*verdict.decision.unknown, *verdict.decision.unknown_facts)
        doc.line(
            f"could be {' or '.join(verdict.decision.possible)}; unknown: {', '.join(unknown)}",
            indent=4,
        )
    if not explain:
        for condition in verdict.conditions:
            assumed = " (assumed for the label: no transaction)" if condition.assumed else ""
            doc.line(
                Cell(f"condition {condition.fact.id}: {condition.status}{assumed}", "dim"),
                indent=4,
            )
    if explain:
        explain_block(doc, result, verdict)
    else:
        doc.table(
            ("clause", "metric", "test", "value", "margin", "margin %", "met"),
            [
                (
                    row.clause.id,
                    row.condition.metric,
                    f"{row.condition.op} {show(row.condition.threshold)}",
                    show(row.value, near=(row.condition.threshold,)),
                    signed(row.margin),
                    percent(row.margin_pct),
                    _met(row.met, row.in_scope),
                )
                for row in verdict.rows
            ],
            indent=4,
            right=(3, 4, 5),
            drop=(4, 1, 5),  # narrow terminal: margin, then metric, then margin % go
        )
    doc.line(
        f"nearest stricter: {describe_change(verdict.nearest_stricter, result.metrics)}", indent=4
    )
    doc.line(
        f"nearest laxer:    {describe_change(verdict.nearest_laxer, result.metrics)}", indent=4
    )


def _met(met: bool | None, in_scope: bool = True) -> Cell:
    if not in_scope:
        return Cell("n/a", "dim")
    if met is None:
        return Cell("unknown", "indeterminate")
    return Cell("yes", "changed") if met else Cell("no")


def explain_block(doc: Doc, result: Result, verdict: Verdict) -> None:
    values = metric_values(result.metrics)
    for clause in verdict.edition.clauses:
        doc.line(
            Cell(clause.id, "heading"),
            Cell(f"  {_role(clause)}  {clause.citation}", "dim"),
            indent=4,
        )
        if clause.context:
            doc.line(Cell(f"{clause.context}", "dim"), indent=6)
        doc.line(f"“{clause.text}”", indent=6)
        if clause.role == "out-of-scope":
            doc.line(Cell(f"not evaluated: {clause.reason}", "dim"), indent=6)
            continue
        if not clause.applies:
            doc.line(Cell(f"does not apply: {clause.reach_note}", "dim"), indent=6)
            continue
        if not clause.addressed(result.metrics.vendor):
            names = ", ".join(clause.addressees)
            doc.line(Cell(f"does not apply: the letters bind {names} only", "dim"), indent=6)
            continue
        if not clause.in_scope(result.metrics.datacenter):
            doc.line(
                Cell(f"does not apply: the clause is for {clause.scope} parts", "dim"), indent=6
            )
            continue
        if clause.reach_note:
            doc.line(Cell(f"destination: {clause.reach_note}", "dim"), indent=6)
        for condition in clause.conditions:
            value = values[condition.metric]
            met = None if value is None else condition.holds(value)
            margin = None if value is None else value - condition.threshold
            doc.line(
                f"{QUANTITY_NAMES[condition.metric]} {show(value)} {condition.op}"
                f" {show(condition.threshold)}  (“{condition.text}”): ",
                _met(met),
                Cell(f"  margin {signed(margin)}" if margin is not None else "", "dim"),
                indent=6,
            )
        facts = {c.fact.id: c for c in verdict.conditions if c.clause == clause.id}
        for required in facts.values():
            status = required.status + (", assumed for the label" if required.assumed else "")
            doc.line(
                f"fact {required.fact.id}: “{required.fact.text}” ({required.fact.text_kind},"
                f" {required.fact.citation}): ",
                Cell(status, "indeterminate" if required.status == "unknown" else None),
                indent=6,
            )
        truths = {
            fact_id: None if c.status == "unknown" and not c.assumed else c.status != "not-met"
            for fact_id, c in facts.items()
        }
        outcome = clause_met(
            clause, values, result.metrics.datacenter, result.metrics.vendor, truths
        )
        combine = "all of" if clause.match == "all" else "any of"
        doc.line(f"→ {combine} the above: ", _met(outcome), indent=6)


def _role(clause: Clause) -> str:
    if clause.role == "control":
        return f"control → {clause.label}"
    if clause.role == "relief":
        return f"relief: {', '.join(clause.targets)} at most {clause.label}"
    if clause.role == "exclusion":
        return f"exclusion of {', '.join(clause.targets)}"
    return "out of scope"


def detail(results: Sequence[Result], explain: bool) -> Doc:
    doc = Doc()
    for index, result in enumerate(results):
        if index:
            doc.blank()
        doc.heading(chip_title(result))
        doc.line(metrics_line(result), indent=2)
        for note in result.metrics.notes:
            doc.line(Cell(f"note: {note}", "dim"), indent=2)
        for found in result.tariffs:
            doc.line(tariff_line(found, explain), indent=2)
        if result.presumption is not None and result.presumption.in_force:
            finding = result.presumption
            doc.line(f"foundry presumption (Note 1 to 3A090.a): {finding.reason}", indent=2)
        for verdict in result.verdicts:
            doc.blank()
            verdict_block(doc, result, verdict, explain)
    return doc


def summary(results: Sequence[Result], editions: Sequence[Edition]) -> Doc:
    doc = Doc()
    last = editions[-1].id if editions else None
    rows: list[tuple[str | Cell, ...]] = []
    for result in results:
        m = result.metrics
        labels = tuple(label_cell(v.label) for v in result.verdicts)
        nearest = ""
        if last is not None:
            change = result.verdict(last).nearest_stricter
            nearest = _short(change)
        rows.append(
            (
                result.spec.id,
                show(m.tpp, near=thresholds(result, "tpp")),
                show(m.performance_density, 2, thresholds(result, "performance_density")),
                show(m.memory_bandwidth_gbs, near=thresholds(result, "memory_bandwidth_gbs")),
                show(m.io_bandwidth_gbs, near=thresholds(result, "io_bandwidth_gbs")),
                *labels,
                nearest,
            )
        )
    columns = ("chip", "TPP", "density", "mem GB/s", "I/O GB/s", *(e.id for e in editions))
    # narrow terminal: the nearest-stricter column goes first, then the oldest editions
    editions_from = len(columns) - len(editions)
    drop = (len(columns), *range(editions_from, len(columns) - 1), 4, 3)
    doc.table((*columns, f"nearest stricter ({last})"), rows, right=(1, 2, 3, 4), drop=drop)
    return doc


def _short(change: Change | None) -> str:
    if change is None:
        return "-"
    return f"{change.knob.replace('_', ' ')} {percent(change.change_pct, 2)} → {change.label}"


def tariff_line(found: TariffBand, explain: bool = False) -> str:
    """One line for a tariff band the part falls in (a duty, not an export rule)."""
    band = found.band
    where = "falls in" if found.status == "in" else "may fall in (a metric is unknown)"
    text = (
        f"tariff: {where} {band.band}: {show(band.rate_pct)} % ({band.measure},"
        f" from {band.effective}; {band.citation})"
    )
    if explain:
        edges = ", ".join(
            f"{QUANTITY_NAMES[m.edge.metric]} {m.edge.op} {show(m.edge.threshold)}"
            f" (inside by {show(m.inside_by)})"
            for m in found.margins
        )
        text += f"; edges: {edges}"
    return text


def text_report(run: Classified) -> Doc | str:
    """`classify` as text: each chip in detail (the default for one chip, and with
    --explain), or one summary row per chip; nothing when no sheet could be read."""
    if not run.results:
        return ""
    show_detail = run.detail if run.detail is not None else (len(run.results) == 1 or run.explain)
    return detail(run.results, run.explain) if show_detail else summary(run.results, run.editions)
