"""An edition read for one destination.

The clauses of every edition are written for the default destination, an export from
the United States to China. For another destination, `for_destination` narrows the
edition: a clause whose `destinations` do not include it stops applying, and each
control is held to the label its edition's `[[reach]]` gives the destination (a
control whose reach stops short of the destination no longer applies). Everything
downstream (decisions, margins, reports) then works on the narrowed edition unchanged.
"""

from __future__ import annotations

import datetime as dt

from chipclass.destinations import Destination, DestinationData, bundled
from chipclass.editions import SEVERITY, Clause, Edition, Reach, ReachRule


def for_destination(
    edition: Edition, code: str, on: dt.date | None = None, data: DestinationData | None = None
) -> Edition:
    """The edition as it answers for `code` (an ISO code or a name), read on `on`
    (default: the edition's effective date): the country groups as they stood that day.
    `data`: the destination data to read (default: the bundled files, read for this call;
    a caller narrowing several editions reads them once and passes them)."""
    data = data if data is not None else bundled()
    destination = data.resolve(code)
    day = on if on is not None else edition.effective
    clauses = tuple(_narrow(clause, edition, destination, day, data) for clause in edition.clauses)
    return edition._replace(
        clauses=clauses,
        destination=destination.label,
        destination_code=destination.code,
        on=on,
        narrowed=True,
    )


def _narrow(
    clause: Clause, edition: Edition, destination: Destination, day: dt.date, data: DestinationData
) -> Clause:
    if clause.role == "out-of-scope":
        return clause
    if clause.destinations and not data.in_groups(destination, clause.destinations, on=day):
        return clause._replace(
            applies=False,
            reach_note=f"does not reach {destination.label}: it applies to"
            f" {', '.join(clause.destinations)}",
        )
    reach = next((r for r in edition.reach if r.governs(clause.id)), None)
    if clause.role != "control" or reach is None or clause.label is None:
        return clause
    rule, pending = _rule(reach, destination, day, data)
    label = rule.label if rule is not None else reach.otherwise
    note = f" ({rule.note})" if rule is not None and rule.note else ""
    later = f"; from {pending.since}: {pending.label} (see --as-of)" if pending is not None else ""
    if label == "exportable":
        why = f"{reach.id} does not reach {destination.label}{note}{later}"
        return clause._replace(applies=False, reach_note=why)
    if SEVERITY[label] < SEVERITY[clause.label]:
        why = f"{reach.id} reaches {destination.label}{note}: at most {label}{later}"
        return clause._replace(label=label, reach_note=why)
    return clause._replace(reach_note=f"{reach.id} reaches {destination.label}{note}{later}")


def _rule(
    reach: Reach, destination: Destination, day: dt.date, data: DestinationData
) -> tuple[ReachRule | None, ReachRule | None]:
    """The first rule in force on `day` that names the destination, and the first one
    that names it but starts later (to say so)."""
    pending: ReachRule | None = None
    for rule in reach.rules:
        if not data.in_groups(destination, rule.to, on=day):
            continue
        if rule.since is not None and rule.since > day:
            pending = pending or rule
            continue
        return rule, pending
    return None, pending
