"""What a command hands its reporters where no single core object says it all (the
reporters are listed in chipclass.report.registry)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from chipclass.catalog import Entry
    from chipclass.classify import Result
    from chipclass.editions import Edition
    from chipclass.frontier import Frontier
    from chipclass.spec import ChipSpec, Problem
    from chipclass.tailor import Tailoring
    from chipclass.transaction.determine import Determination


class Classified(NamedTuple):
    """`classify`: the results in input order, the editions asked for, the sheets that
    could not be read, and the detail asked for (None: detail for one chip)."""

    results: Sequence[Result]
    editions: Sequence[Edition]
    problems: Sequence[Problem]
    explain: bool = False
    detail: bool | None = None


class History(NamedTuple):
    """`history`: one part and its label edition by edition."""

    result: Result
    steps: Sequence[Any]


class Tailored(NamedTuple):
    """`tailor` with one edition: how far each knob must move; `frontier`, when one
    knob was named with --knobs, that knob's frontier beside it."""

    result: Result
    tailoring: Tailoring
    frontier: Frontier | None = None


class FrontierReport(NamedTuple):
    """`tailor --knobs` over several knobs or editions: the exact frontier."""

    spec: ChipSpec
    frontier: Frontier


class Catalog(NamedTuple):
    """`report`: one entry per part, the editions shown, the problems met while
    reading, and the command that writes the overview again (for its header)."""

    entries: Sequence[Entry]
    editions: Sequence[Edition]
    problems: Sequence[Problem]
    command: str = ""


class Determined(NamedTuple):
    """`transaction`: the determination, with --explain or without."""

    found: Determination
    explain: bool = False
