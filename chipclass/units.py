"""Exact unit conversion: a number or a string such as "4.0 TB/s" becomes a Fraction.

Each quantity kind has one canonical unit (the one its sheet key names): GB/s for
bandwidth, mm^2 for area, TOPS for throughput, GB for capacity. Nothing here
touches binary floats; TOML decimals arrive as `Decimal` and stay exact.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Final

# unit spelling -> factor to the canonical unit, per quantity kind
_BANDWIDTH: Final = {
    "GB/s": Fraction(1),
    "GBps": Fraction(1),
    "Gbyte/s": Fraction(1),
    "TB/s": Fraction(1000),
    "TBps": Fraction(1000),
    "MB/s": Fraction(1, 1000),
    "Gb/s": Fraction(1, 8),
    "Gbps": Fraction(1, 8),
    "Tb/s": Fraction(125),
    "Tbps": Fraction(125),
}
_AREA: Final = {
    "mm2": Fraction(1),
    "mm^2": Fraction(1),
    "mm²": Fraction(1),
    "cm2": Fraction(100),
    "cm^2": Fraction(100),
    "cm²": Fraction(100),
}
_THROUGHPUT: Final = {
    "TOPS": Fraction(1),
    "TFLOPS": Fraction(1),
    "TFLOP/s": Fraction(1),
    "TOP/s": Fraction(1),
    "POPS": Fraction(1000),
    "PFLOPS": Fraction(1000),
    "PFLOP/s": Fraction(1000),
    "GOPS": Fraction(1, 1000),
    "GFLOPS": Fraction(1, 1000),
    "GFLOP/s": Fraction(1, 1000),
}
_CAPACITY: Final = {
    "GB": Fraction(1),
    "TB": Fraction(1000),
    "GiB": Fraction(2**30, 10**9),
}

_TRANSISTORS: Final = {
    "billion": Fraction(1),
    "B": Fraction(1),
    "million": Fraction(1, 1000),
}

UNITS: Final[dict[str, dict[str, Fraction]]] = {
    "bandwidth": _BANDWIDTH,
    "area": _AREA,
    "throughput": _THROUGHPUT,
    "capacity": _CAPACITY,
    "transistor count": _TRANSISTORS,
}

EXAMPLES: Final = {
    "bandwidth": '"4000 GB/s" or "4.0 TB/s"',
    "area": '"814 mm2"',
    "throughput": '"296 TFLOPS" or "296 TOPS"',
    "capacity": '"96 GB"',
    "transistor count": '"80 billion" or 80',
}

#: matched against the stripped text: no lazy group before a trailing `\s*$`, which
#: backtracks quadratically over a long run of spaces ("1 x" + 500000 spaces + "y")
_QUANTITY = re.compile(r"([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([^\s0-9].*)")


#: bounds on one written number: no datasheet needs more, and past them the exact
#: conversion itself costs unbounded time ("1e400000000" is a 400-million-digit integer)
MAX_DIGITS: Final = 40
MAX_EXPONENT: Final = 40


class UnitError(ValueError):
    """A string that is not a quantity of the expected kind."""


def exact(value: Decimal) -> Fraction:
    """A finite Decimal as an exact Fraction, refusing numbers no datasheet writes."""
    if not value.is_finite():
        raise UnitError(f"must be a finite number, not {value}")
    if value.is_zero():
        return Fraction(0)
    if abs(value.adjusted()) > MAX_EXPONENT:
        size = "large" if value.adjusted() > 0 else "small"
        raise UnitError(
            f"{value} is implausibly {size} (a decimal exponent beyond +/-{MAX_EXPONENT})"
        )
    digits = value.as_tuple().digits
    if len(digits) > MAX_DIGITS:  # trailing zeros add no precision
        significant = "".join(map(str, digits)).rstrip("0")
        if len(significant) > MAX_DIGITS:
            raise UnitError(f"has more than {MAX_DIGITS} significant digits")
    return Fraction(value)  # exact: the Decimal's integer ratio


def _quote(text: str) -> str:
    """The text as messages quote it: repr, cut short when long."""
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


def parse_quantity(text: str, kind: str) -> Fraction:
    """Convert a string such as "4.0 TB/s" to an exact Fraction in the kind's canonical unit."""
    table = UNITS[kind]
    match = _QUANTITY.fullmatch(text.strip())
    if match is None:
        article = "an" if kind[0] in "aeiou" else "a"
        raise UnitError(f"{_quote(text)} is not {article} {kind} (try {EXAMPLES[kind]})")
    number, unit = match.groups()
    factor = table.get(unit)
    if factor is None:
        known = ", ".join(table)
        raise UnitError(
            f"{_quote(text)}: unknown {kind} unit {_quote(unit)}"
            f" (known: {known}; try {EXAMPLES[kind]})"
        )
    try:
        amount = exact(Decimal(number))
    except UnitError as error:
        raise UnitError(f"{_quote(text)}: {error}") from None
    return amount * factor
