"""The ONE adapter through which transactions call the chip engine.

The engine's `chipclass.classify.classify(spec, editions)` gains the exporter's
certifications (`certifications=` a mapping of certification id -> True/False/None, ids
us_supply, foundry_capacity, security_procedures, third_party_tested,
share_of_us_shipments) and per-verdict `conditions`. Until that is on main, this adapter
calls the current signature and the determination builds its certification reasons from
the transaction's [certifications] itself (chipclass.transaction.certifications). When the
new signature lands, pass `certifications` through below: nothing else changes.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence

from chipclass.classify import Result, classify
from chipclass.editions import Edition
from chipclass.spec import ChipSpec


def classify_item(
    spec: ChipSpec, editions: Sequence[Edition], certifications: Mapping[str, bool | None]
) -> Result:
    """The sheet classified under `editions`, the relief's certifications assumed (the
    engine's reading without a transaction): the certification reasons
    (chipclass.transaction.certifications) judge them, once, from [certifications].
    `certifications` is kept for the signature's sake and not read here."""
    del certifications
    return classify(spec, editions)


def engine_takes_certifications() -> bool:
    """Whether the engine evaluates the certifications itself (then its verdicts carry
    `conditions`, and the determination reads them from there)."""
    return "certifications" in inspect.signature(classify).parameters


#: the certification ids the engine reads (spec-format.md section 7, us-2026-01's facts)
ENGINE_IDS = (
    "us_supply",
    "foundry_capacity",
    "security_procedures",
    "third_party_tested",
    "share_of_us_shipments",
)


def clauses_if_certified(spec: ChipSpec, edition: Edition) -> tuple[str, ...]:
    """The clauses that would decide the label were every certification made: whether a
    relief that needs them is in play for this part (whatever the transaction certifies)."""
    result = classify_item(spec, (edition,), {key: True for key in ENGINE_IDS})
    return result.verdicts[0].decision.clauses
