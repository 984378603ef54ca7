"""A catalog of sheets as a whole: parents of tailored variants, and the margin
that each variant was cut to keep."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chipclass.classify import Result, Verdict
from chipclass.editions import NO_CONTROL, Edition, in_force


@dataclass(frozen=True)
class Entry:
    result: Result
    parent: Result | None  # the sheet `variant_of` names, when it is in the catalog
    binding: Verdict | None  # the verdict whose nearest_stricter is the variant's tailoring margin


def tailoring_verdict(result: Result, editions: Sequence[Edition]) -> Verdict | None:
    """The verdict under the edition in force when the part was released (the rule it was
    tailored to), or under the latest edition given when the release date is unknown or
    that edition is not among those given; None for a part released before any control
    (it was tailored to no rule: see released_before_controls)."""
    if not result.verdicts:
        return None
    chosen = result.verdicts[-1]
    released = result.spec.released
    if released is not None:
        target = in_force(released).id
        if target == NO_CONTROL:
            return None
        chosen = next((v for v in result.verdicts if v.edition.id == target), chosen)
    return chosen


def released_before_controls(result: Result) -> bool:
    """Was the part released before the first control on these chips?"""
    released = result.spec.released
    return released is not None and in_force(released).id == NO_CONTROL


def entries(results: Sequence[Result], editions: Sequence[Edition]) -> list[Entry]:
    by_id = {r.spec.id: r for r in results}
    out = []
    for result in sorted(results, key=lambda r: (r.spec.vendor.lower(), r.spec.id)):
        parent_id = result.spec.variant_of
        parent = by_id.get(parent_id) if parent_id else None
        binding = tailoring_verdict(result, editions) if parent_id else None
        out.append(Entry(result, parent, binding))
    return out


def unresolved_parents(results: Sequence[Result]) -> list[tuple[Result, str]]:
    """Variants whose `variant_of` names no sheet in the catalog."""
    ids = {r.spec.id for r in results}
    return [
        (r, r.spec.variant_of)
        for r in results
        if r.spec.variant_of is not None and r.spec.variant_of not in ids
    ]
