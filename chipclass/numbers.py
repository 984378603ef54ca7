"""Turning exact values into what people and JSON read. Display only: nothing
here ever feeds back into a comparison."""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

JSON_DECIMALS = 6
#: show() adds digits up to this many places to keep a value on its side of a line
MAX_PLACES = 40


_SHIFT: int = 10**JSON_DECIMALS


def number(value: Fraction | None) -> int | float | None:
    """A JSON number: integers stay exact, other values are rounded to 6 decimals."""
    if value is None:
        return None
    return number_of(value.numerator, value.denominator)


def number_of(numerator: int, denominator: int) -> int | float:
    """number(Fraction(numerator, denominator)) for denominator > 0, terms not reduced.

    The same figure as float(round(value, 6)): round half to even at the 6th decimal,
    then the nearest float to that decimal (int / int is correctly rounded).
    """
    whole, rest = divmod(numerator, denominator)
    if rest == 0:
        return whole
    shifted, rest = divmod(numerator * _SHIFT, denominator)
    twice = 2 * rest
    if twice > denominator or (twice == denominator and shifted & 1):
        shifted += 1
    return shifted / _SHIFT


def show(value: Fraction | None, places: int = 3, near: Iterable[Fraction | None] = ()) -> str:
    """A compact human figure: 2368, 2.909, 0.5; '?' when unknown.

    `near`: thresholds the figure is read against. Where rounding to `places` would put
    the figure on a threshold it is not on, or across one, digits are added until the
    figure shows its side (5.9199 stays 5.9199 next to 5.92, 1399.999999 next to 1400).
    """
    if value is None:
        return "?"
    text = _decimal(value, places)
    for line in near:
        if line is None:
            continue
        while not _same_side(text, value, line):
            if places >= MAX_PLACES:
                return exact_text(value)
            places += 1
            text = _decimal(value, places)
    return text


def _decimal(value: Fraction, places: int) -> str:
    """The value rounded (half to even) to `places` decimals, trailing zeros dropped;
    a small nonzero value that rounds to 0 keeps two significant digits."""
    if value.denominator == 1:
        return str(value.numerator)
    scaled = round(value * 10**places)
    if scaled == 0 and value != 0:
        return f"{float(value):.2g}"
    sign = "-" if scaled < 0 else ""
    whole, fraction = divmod(abs(scaled), 10**places)
    digits = f"{fraction:0{places}d}".rstrip("0") if places else ""
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


def _side(a: Fraction, b: Fraction) -> int:
    """-1, 0 or 1 as a is below, on or above b (on integer terms)."""
    left, right = a.numerator * b.denominator, b.numerator * a.denominator
    return (left > right) - (left < right)


def _same_side(text: str, value: Fraction, line: Fraction) -> bool:
    return _side(Fraction(text), line) == _side(value, line)


def exact_text(value: Fraction) -> str:
    """The value exactly: a decimal where it terminates ("1399.999999"), else "n/d"."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    if places == 0:
        return str(value.numerator)
    scaled = value.numerator * 10**places // value.denominator
    sign = "-" if scaled < 0 else ""
    whole, fraction = divmod(abs(scaled), 10**places)
    return f"{sign}{whole}.{fraction:0{places}d}".rstrip("0").rstrip(".")


def honest_number(
    value: Fraction | None, line: Fraction | None
) -> tuple[int | float | None, str | None]:
    """A JSON number for `value` read against the threshold `line` (written as
    number(line)), and the exact text where number(value) alone would lie.

    number(value) is used when it keeps the value's side of the line (above, on or
    below, as compared with number(line)); otherwise the nearest float that does, and
    the exact value as text (exact_text) beside it.
    """
    rounded = number(value)
    if value is None or line is None or rounded is None:
        return rounded, None
    shown_line = number(line)
    assert shown_line is not None
    side = _side(value, line)
    # JSON numbers compared as Python compares an int with a float: exactly
    if _plain_side(rounded, shown_line) == side:
        return rounded, None
    closest = value.numerator / value.denominator  # the nearest float (correctly rounded)
    if _plain_side(closest, shown_line) != side:
        toward = math.inf if side > 0 else -math.inf
        closest = math.nextafter(float(shown_line), toward)
        if side == 0:  # never: the value equals the line, and so does its number
            closest = float(shown_line)
    return closest, exact_text(value)


def _plain_side(a: int | float, b: int | float) -> int:
    """-1, 0 or 1 as a is below, on or above b (ints and floats compare exactly)."""
    return (a > b) - (a < b)


def signed(value: Fraction | None, places: int = 3) -> str:
    if value is None:
        return "?"
    text = show(value, places)
    return text if text.startswith("-") or value == 0 else f"+{text}"


def percent(value: Fraction | None, places: int = 3) -> str:
    return "?" if value is None else f"{signed(value, places)} %"
