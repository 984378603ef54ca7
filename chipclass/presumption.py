"""Note 1 to 3A090.a, the foundry due-diligence presumption, as data and one question.

`presumption_on(transistors_billion, day, hbm=..., data=...)` says whether a foundry or
OSAT would have to presume the part is 3A090.a (and for datacenters) on `day`, by the
transistor-count test of the Note, and why. It is reported beside a verdict and never
lowers a label.

    >>> rule = bundled()
    >>> import datetime as dt
    >>> from fractions import Fraction
    >>> presumption_on(Fraction(80), dt.date(2026, 1, 1), hbm=True, data=rule).applies
    True
    >>> presumption_on(Fraction(29), dt.date(2026, 1, 1), hbm=True, data=rule).applies
    False
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any, Final, NamedTuple

from chipclass import tomldata

PRESUMPTIONS_FILE: Final = Path(__file__).parent / "data" / "presumptions.toml"
PRESUMPTIONS_FORMAT: Final = "chipclass-presumptions/1"
TEXT_KINDS: Final = ("verbatim", "quoted", "paraphrase", "press-report")
HBM_KINDS: Final = ("any", "none")  # "none": only for a packaged IC without HBM

_TOP_KEYS: Final = ("format", "presumption", "threshold")
_RULE_KEYS: Final = (
    "id",
    "title",
    "citation",
    "url",
    "effective",
    "text_kind",
    "evidence",
    "text",
    "note",
)
_THRESHOLD_KEYS: Final = ("id", "billions", "hbm", "from", "until", "text")


class PresumptionDataError(Exception):
    """A presumptions file that cannot be used; the message names the file and the key."""


# the field checks of chipclass.tomldata, raising this file's error
_text = partial(tomldata.text, error=PresumptionDataError)
_no_unknown = partial(tomldata.no_unknown, error=PresumptionDataError)
_date = partial(tomldata.date, error=PresumptionDataError, example="2025-01-16")


class Threshold(NamedTuple):
    """'below N billion transistors', for transfers completed from `start` to `until`."""

    id: str
    billions: Fraction
    hbm: str  # "any", or "none": only when the packaged IC contains no HBM
    start: dt.date
    until: dt.date | None
    text: str  # the words of the Note this threshold implements

    def in_force(self, day: dt.date) -> bool:
        return self.start <= day and (self.until is None or day < self.until)


class Presumption(NamedTuple):
    """The Note, its citation and its thresholds."""

    id: str
    title: str
    citation: str
    url: str
    effective: dt.date
    text_kind: str
    evidence: str
    text: str
    note: str | None
    thresholds: tuple[Threshold, ...]


class Finding(NamedTuple):
    """Whether the presumption applies to a part on a day, and why, in words."""

    applies: bool | None  # None: in force, but the transistor count is unknown
    in_force: bool
    threshold: Threshold | None  # the highest threshold that could rebut it that day
    reason: str
    citation: str


def presumption_on(
    transistors_billion: Fraction | None,
    day: dt.date,
    *,
    hbm: bool | None,
    data: Presumption,
) -> Finding:
    """The transistor-count test of Note 1 to 3A090.a on `day`.

    `hbm`: whether the packaged IC contains high-bandwidth memory (None: unknown, read as
    containing it, which never raises a threshold). The presumption applies when the count
    is not below every threshold in force for the part; an unknown count leaves it
    `applies=None` (the Note: a count that "cannot be confirmed" is presumed 3A090.a).
    """
    if day < data.effective:
        return Finding(
            False,
            False,
            None,
            f"{data.id} takes effect {data.effective}: not in force on {day}",
            data.citation,
        )
    usable = [t for t in data.thresholds if t.in_force(day) and (t.hbm == "any" or hbm is False)]
    best = max(usable, key=lambda t: t.billions, default=None)
    if best is None:
        return Finding(
            True, True, None, f"no transistor threshold in force on {day}", data.citation
        )
    if transistors_billion is None:
        return Finding(
            None,
            True,
            best,
            f"transistor count unknown: a foundry must presume 3A090.a unless it can confirm a"
            f" count below {_billions(best.billions)} billion",
            data.citation,
        )
    below = transistors_billion < best.billions
    verb = "below" if below else "not below"
    consequence = "the count overcomes the presumption" if below else "the presumption applies"
    hbm_words = "" if best.hbm == "any" else " (no HBM)"
    return Finding(
        not below,
        True,
        best,
        f"{_billions(transistors_billion)} billion transistors is {verb} the"
        f" {_billions(best.billions)} billion threshold{hbm_words} in force on {day}:"
        f" {consequence}",
        data.citation,
    )


def margin_billion(transistors_billion: Fraction, threshold: Threshold) -> Fraction:
    """How far the count is below (positive) or at or above (zero or negative) a threshold."""
    return threshold.billions - transistors_billion


def _billions(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.3f}".rstrip("0").rstrip(".")


# --- loading -------------------------------------------------------------------------------


def bundled() -> Presumption:
    """The presumption file shipped with chipclass, read and checked (keep the object)."""
    try:
        text = PRESUMPTIONS_FILE.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PresumptionDataError(f"{PRESUMPTIONS_FILE}: cannot read: {error}") from None
    return parse(text, str(PRESUMPTIONS_FILE))


def parse(text: str, source: str = "presumptions.toml") -> Presumption:
    """Parse and check a presumptions file's text; PresumptionDataError names the problem."""
    data = tomldata.load(text, source, PresumptionDataError)
    _no_unknown(data, _TOP_KEYS, source)
    if data.get("format") != PRESUMPTIONS_FORMAT:
        raise PresumptionDataError(f'{source}: format must be "{PRESUMPTIONS_FORMAT}"')
    rule = data.get("presumption")
    where = f"{source}: [presumption]"
    if not isinstance(rule, dict):
        raise PresumptionDataError(f"{where}: is required (a table)")
    _no_unknown(rule, _RULE_KEYS, where)
    kind = _text(rule, "text_kind", where)
    if kind not in TEXT_KINDS:
        raise PresumptionDataError(f"{where} text_kind: must be one of {', '.join(TEXT_KINDS)}")
    full_text = _text(rule, "text", where)
    raw = data.get("threshold")
    if not isinstance(raw, list) or not raw:
        raise PresumptionDataError(f"{source}: [[threshold]] is required (at least one)")
    thresholds = tuple(
        _threshold(t, full_text, f"{source}: [[threshold]] #{n + 1}") for n, t in enumerate(raw)
    )
    note = rule.get("note")
    return Presumption(
        id=_text(rule, "id", where),
        title=_text(rule, "title", where),
        citation=_text(rule, "citation", where),
        url=_text(rule, "url", where),
        effective=_date(rule, "effective", where, required=True) or dt.date.min,
        text_kind=kind,
        evidence=_text(rule, "evidence", where),
        text=full_text,
        note=None if note is None else _text(rule, "note", where),
        thresholds=thresholds,
    )


def _threshold(raw: Any, full_text: str, where: str) -> Threshold:
    if not isinstance(raw, dict):
        raise PresumptionDataError(f"{where}: must be a table")
    _no_unknown(raw, _THRESHOLD_KEYS, where)
    value = raw.get("billions")
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise PresumptionDataError(f"{where} billions: must be a number of billions")
    if isinstance(value, Decimal) and not value.is_finite():
        raise PresumptionDataError(f"{where} billions: must be finite")
    billions = Fraction(value)
    if billions <= 0:
        raise PresumptionDataError(f"{where} billions: must be above zero")
    hbm = raw.get("hbm")
    if hbm not in HBM_KINDS:
        raise PresumptionDataError(f"{where} hbm: must be one of {', '.join(HBM_KINDS)}")
    start = _date(raw, "from", where, required=True) or dt.date.min
    until = _date(raw, "until", where, required=False)
    if until is not None and until <= start:
        raise PresumptionDataError(f"{where} until: {until} is not after from {start}")
    words = _text(raw, "text", where)
    if " ".join(words.split()) not in " ".join(full_text.split()):
        raise PresumptionDataError(f"{where} text: {words!r} is not in the presumption's text")
    return Threshold(_text(raw, "id", where), billions, hbm, start, until, words)
