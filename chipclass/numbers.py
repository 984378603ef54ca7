"""Turning exact values into what people and JSON read. Display only: nothing
here ever feeds back into a comparison."""

from __future__ import annotations

from fractions import Fraction

JSON_DECIMALS = 6


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


def show(value: Fraction | None, places: int = 3) -> str:
    """A compact human figure: 2368, 2.909, 0.5; '?' when unknown."""
    if value is None:
        return "?"
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(round(value, places)):.{places}f}".rstrip("0").rstrip(".")
    if text in ("0", "-0") and value != 0:
        return f"{float(value):.2g}"
    return text


def signed(value: Fraction | None, places: int = 3) -> str:
    if value is None:
        return "?"
    text = show(value, places)
    return text if text.startswith("-") or value == 0 else f"+{text}"


def percent(value: Fraction | None, places: int = 3) -> str:
    return "?" if value is None else f"{signed(value, places)} %"
