"""Turning exact values into what people and JSON read. Display only: nothing
here ever feeds back into a comparison."""

from __future__ import annotations

from fractions import Fraction

JSON_DECIMALS = 6


def number(value: Fraction | None) -> int | float | None:
    """A JSON number: integers stay exact, other values are rounded to 6 decimals."""
    if value is None:
        return None
    if value.denominator == 1:
        return value.numerator
    rounded = round(value, JSON_DECIMALS)
    if rounded.denominator == 1:
        return float(rounded.numerator)
    return float(rounded)


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
