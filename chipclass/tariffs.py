"""Tariff bands as data: which Section 232 bands a part falls in on a day, and how near.

Reported beside the export verdicts, never part of them. `bands(metrics, on, data=...)`
returns the bands in force on `on` that the part falls in, or may fall in: a band whose
edges read a metric the sheet leaves unknown (no `[memory]` table) is `unknown`, never
"not in band". Every comparison is exact (Fractions).

    >>> from fractions import Fraction
    >>> import datetime as dt
    >>> from chipclass.metrics import Metrics
    >>> h200 = Metrics(Fraction(15832), Fraction(814), Fraction(4800), Fraction(900), True)
    >>> [(b.band.id, b.status) for b in bands(h200, dt.date(2026, 2, 1), data=bundled())]
    [('232-semiconductors-1', 'in')]
"""

# No `from __future__ import annotations` here: a NamedTuple's string annotations are
# each compiled at import (typing.ForwardRef), about 30 us a field, and a one-sheet run
# defines some 200 fields. Names defined later (or only for type checking) are quoted.
import datetime as dt
import os
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any, Final, NamedTuple

from chipclass import tomldata
from chipclass.metrics import Metrics

TARIFFS_FILE: Final = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "data", "tariffs.toml"
)
TARIFFS_FORMAT: Final = "chipclass-tariffs/1"
TEXT_KINDS: Final = ("verbatim", "quoted", "paraphrase", "press-report")
OPS: Final = (">", ">=", "<", "<=")
EDGE_METRICS: Final = ("tpp", "memory_bandwidth_gbs", "io_bandwidth_gbs", "performance_density")

_TOP_KEYS: Final = ("format", "band")
_BAND_KEYS: Final = (
    "id",
    "measure",
    "band",
    "rate_pct",
    "effective",
    "citation",
    "url",
    "text",
    "text_kind",
    "evidence",
    "note",
    "edges",
)
_EDGE_KEYS: Final = ("metric", "op", "threshold", "text")


class TariffDataError(Exception):
    """A tariffs file that cannot be used; the message names the file and the key."""


# the field checks of chipclass.tomldata, raising this file's error
_text = partial(tomldata.text, error=TariffDataError)
_no_unknown = partial(tomldata.no_unknown, error=TariffDataError)


class Edge(NamedTuple):
    """One edge of a band: metric op threshold, with the words it implements."""

    metric: str
    op: str
    threshold: Fraction
    text: str

    def holds(self, value: Fraction) -> bool:
        if self.op == ">":
            return value > self.threshold
        if self.op == ">=":
            return value >= self.threshold
        if self.op == "<":
            return value < self.threshold
        return value <= self.threshold

    def inside_by(self, value: Fraction) -> Fraction:
        """How far `value` is inside this edge: positive inside, zero on the edge, negative
        outside (for a strict edge a zero is outside)."""
        return value - self.threshold if self.op in (">", ">=") else self.threshold - value


class Band(NamedTuple):
    """One tariff band: its measure, rate, date, citation, text and edges."""

    id: str
    measure: str
    band: str
    rate_pct: Fraction
    effective: dt.date
    citation: str
    url: str
    text: str
    text_kind: str
    evidence: str
    note: str | None
    edges: tuple[Edge, ...]


class EdgeMargin(NamedTuple):
    """An edge read for one part: the value (None: unknown), whether it holds, and how far
    inside (positive) or outside (zero or negative) the part is."""

    edge: Edge
    value: Fraction | None
    holds: bool | None
    inside_by: Fraction | None


class TariffBand(NamedTuple):
    """A band a part falls in ("in") or may fall in ("unknown"), with its edge margins."""

    band: Band
    status: str  # "in" | "unknown"
    margins: tuple[EdgeMargin, ...]


def bands(metrics: Metrics, on: dt.date, *, data: tuple[Band, ...]) -> list[TariffBand]:
    """The bands in force on `on` that the part falls in ("in") or that an unknown metric
    keeps open ("unknown"); bands it is certainly outside are left out."""
    found: list[TariffBand] = []
    for band in data:
        if on < band.effective:
            continue
        margins = tuple(_margin(edge, metrics) for edge in band.edges)
        if any(m.holds is False for m in margins):
            continue
        status = "in" if all(m.holds for m in margins) else "unknown"
        found.append(TariffBand(band, status, margins))
    return found


def margins(metrics: Metrics, band: Band) -> tuple[EdgeMargin, ...]:
    """Every edge of `band` read for the part, in or out."""
    return tuple(_margin(edge, metrics) for edge in band.edges)


def _margin(edge: Edge, metrics: Metrics) -> EdgeMargin:
    value: Fraction | None = getattr(metrics, edge.metric)
    if value is None:
        return EdgeMargin(edge, None, None, None)
    return EdgeMargin(edge, value, edge.holds(value), edge.inside_by(value))


# --- loading -------------------------------------------------------------------------------


def bundled() -> tuple[Band, ...]:
    """The tariff bands shipped with chipclass, read and checked (keep the result)."""
    try:
        with open(TARIFFS_FILE, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise TariffDataError(f"{TARIFFS_FILE}: cannot read: {error}") from None
    return parse(text, TARIFFS_FILE)


def parse(text: str, source: str = "tariffs.toml") -> tuple[Band, ...]:
    """Parse and check a tariffs file's text; TariffDataError names the file and key."""
    data = tomldata.load(text, source, TariffDataError)
    _no_unknown(data, _TOP_KEYS, source)
    if data.get("format") != TARIFFS_FORMAT:
        raise TariffDataError(f'{source}: format must be "{TARIFFS_FORMAT}"')
    raw = data.get("band")
    if not isinstance(raw, list) or not raw:
        raise TariffDataError(f"{source}: [[band]] is required (at least one)")
    found = tuple(_band(b, f"{source}: [[band]] #{n + 1}") for n, b in enumerate(raw))
    ids = [b.id for b in found]
    for band_id in ids:
        if ids.count(band_id) > 1:
            raise TariffDataError(f"{source}: two bands share the id {band_id!r}")
    return found


def _band(raw: Any, where: str) -> Band:
    if not isinstance(raw, dict):
        raise TariffDataError(f"{where}: must be a table")
    where = f"{where} ({raw.get('id')!r})"
    _no_unknown(raw, _BAND_KEYS, where)
    kind = _text(raw, "text_kind", where)
    if kind not in TEXT_KINDS:
        raise TariffDataError(f"{where} text_kind: must be one of {', '.join(TEXT_KINDS)}")
    effective = raw.get("effective")
    if not isinstance(effective, dt.date) or isinstance(effective, dt.datetime):
        raise TariffDataError(f"{where} effective: required, a TOML date such as 2026-01-15")
    band_text = _text(raw, "text", where)
    raw_edges = raw.get("edges")
    if not isinstance(raw_edges, list) or not raw_edges:
        raise TariffDataError(f"{where} edges: required, a non-empty list of edges")
    edges = tuple(_edge(e, band_text, f"{where} edges #{n + 1}") for n, e in enumerate(raw_edges))
    note = raw.get("note")
    return Band(
        id=_text(raw, "id", where),
        measure=_text(raw, "measure", where),
        band=_text(raw, "band", where),
        rate_pct=_number(raw.get("rate_pct"), f"{where} rate_pct"),
        effective=effective,
        citation=_text(raw, "citation", where),
        url=_text(raw, "url", where),
        text=band_text,
        text_kind=kind,
        evidence=_text(raw, "evidence", where),
        note=None if note is None else _text(raw, "note", where),
        edges=edges,
    )


def _edge(raw: Any, band_text: str, where: str) -> Edge:
    if not isinstance(raw, dict):
        raise TariffDataError(f"{where}: must be a table")
    _no_unknown(raw, _EDGE_KEYS, where)
    metric = raw.get("metric")
    if metric not in EDGE_METRICS:
        raise TariffDataError(f"{where} metric: must be one of {', '.join(EDGE_METRICS)}")
    op = raw.get("op")
    if op not in OPS:
        raise TariffDataError(f"{where} op: must be one of {', '.join(OPS)}")
    words = _text(raw, "text", where)
    if " ".join(words.split()) not in " ".join(band_text.split()):
        raise TariffDataError(f"{where} text: {words!r} is not in the band's text")
    return Edge(metric, op, _number(raw.get("threshold"), f"{where} threshold"), words)


def _number(value: Any, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TariffDataError(f"{where}: must be a number")
    if isinstance(value, Decimal) and not value.is_finite():
        raise TariffDataError(f"{where}: must be finite")
    number = Fraction(value)
    if number <= 0:
        raise TariffDataError(f"{where}: must be above zero")
    return number
