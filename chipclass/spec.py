"""Load and validate one chip spec sheet (TOML) into a frozen ChipSpec.

Every input error is born here. A sheet is checked completely before it is
refused, so one run names every problem in it, each with the file, the key
and, where the text allows, the line.
"""

# No `from __future__ import annotations` here: a NamedTuple's string annotations are
# each compiled at import (typing.ForwardRef), about 30 us a field, and a one-sheet run
# defines some 200 fields. Names defined later (or only for type checking) are quoted.
import datetime as dt
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, NamedTuple

import tomli

from chipclass.keylines import KeyLines, join, nearest
from chipclass.problems import Problem as Problem  # re-exported: sheets report Problems
from chipclass.problems import another_kind, kind_of, reads, toml_problem, unknown_key
from chipclass.units import MAX_EXPONENT, UnitError, exact, parse_quantity

#: a file or folder as the API takes it: a string, or a path object
StrPath = str | os.PathLike[str]

FORMAT: Final = "chipclass/1"
MAX_SHEET_BYTES: Final = 1024 * 1024
LABELS_ALLOWED_IN_EXPECT: Final = ("exportable", "license-required", "restricted")

#: bit length of each known precision name (Technical Note 1.c: the largest input bit length)
KNOWN_BITS: Final[Mapping[str, int]] = {
    "fp64": 64,
    "fp32": 32,
    "tf32": 32,
    "fp16": 16,
    "bf16": 16,
    "fp8": 8,
    "int8": 8,
    "fp6": 6,
    "fp4": 4,
    "int4": 4,
}

# plausibility ceilings (spec-format.md section 1)
MAX_TOPS: Final = Fraction(10**7)
MAX_TPP: Final = Fraction(10**9)
MAX_AREA: Final = Fraction(10**5)
MAX_BANDWIDTH: Final = Fraction(10**7)
MAX_CAPACITY: Final = Fraction(10**7)
MAX_BITS: Final = 1024
MAX_DIE_COUNT: Final = 10_000
MAX_TRANSISTORS: Final = Fraction(10**6)  # billions

_ID = re.compile(r"[a-z0-9][a-z0-9.-]*")
_PRECISION_NAME = re.compile(r"[a-z][a-z0-9_]*")
_URL = re.compile(r"https?://\S+")


class Throughput(NamedTuple):
    """Dense peak throughput at one precision."""

    precision: str
    tops: Fraction
    bits: int
    tpp: Fraction  # tops x bits (Technical Note 2), worked out once, where it is read
    sparse_quoted: bool = False  # the sheet gave a sparse figure; `tops` is half of it


class Die(NamedTuple):
    """One logic die (or die kind, with its count)."""

    name: str
    area_mm2: Fraction
    count: int  # type: ignore[assignment]  # the sheet's word; tuple.count is not used
    non_planar: bool


class Source(NamedTuple):
    """Where the figures come from."""

    url: str
    note: str


class Expectation(NamedTuple):
    """The `[expect]` table: the most severe label this part may carry."""

    label: str | None
    edition: str | None
    min_margin_pct: Fraction | None


class ChipSpec(NamedTuple):
    """One validated spec sheet. Its value is what the sheet says: where each key is
    written (`lines`, the last field) is no part of it, so two sheets alike but for their
    layout are equal (and hash alike)."""

    path: str
    id: str
    name: str
    vendor: str
    variant_of: str | None
    datacenter: bool
    released: dt.date | None
    notes: str | None
    throughput: tuple[Throughput, ...]
    declared_tpp: Fraction | None
    dies: tuple[Die, ...]
    memory_type: str | None
    memory_capacity_gb: Fraction | None
    memory_bandwidth_gbs: Fraction | None
    #: None for both when the sheet has no [interconnect] table: the I/O is unknown
    chip_to_chip_gbs: Fraction | None
    host_gbs: Fraction | None
    sources: tuple[Source, ...]
    expect: Expectation | None
    #: first commercially available in the United States: a date, False (never sold there),
    #: or None (unknown)
    us_available: dt.date | bool | None
    #: the figures are estimates or pre-release
    estimated: bool
    #: transistor count in billions (Note 1 to 3A090.a), where the sheet states it
    transistors_billion: Fraction | None
    #: where each key is written, for messages and annotations (a KeyLines)
    lines: Mapping[str, int]

    def line_of(self, key: str) -> int | None:
        """The line of a key such as "memory.bandwidth_gbs" or "performance.fp8"."""
        return self.lines.get(key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChipSpec):
            return NotImplemented
        return self[:-1] == other[:-1]

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, ChipSpec):
            return NotImplemented
        return self[:-1] != other[:-1]

    def __hash__(self) -> int:
        return hash(self[:-1])


class SheetWarning(UserWarning):
    """Something in a sheet that is read, but deserves a look (a bit-rate unit); issued
    through the warnings module, and printed by the CLI as `warning: FILE:LINE: KEY: ...`."""


#: bit-rate spellings: read (divided by 8), with a warning, since one letter's case
#: changes the value eightfold
BIT_RATES: Final = ("Gb/s", "Gbps", "Tb/s", "Tbps")


class SheetError(Exception):
    """A sheet that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# --------------------------------------------------------------------------- the checker


class _Checker:
    """Reads a parsed sheet, recording problems instead of stopping at the first."""

    def __init__(self, file: str, lines: Mapping[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def warn(self, where: str, message: str) -> None:
        line = self.lines.get(where)
        self.warnings.append(Problem(self.file, message, _display_key(where), line))

    def fail(self, where: str, message: str) -> None:
        line = nearest(self.lines, where)
        self.problems.append(Problem(self.file, message, _display_key(where), line))

    def table(self, data: Mapping[str, Any], name: str, required: bool) -> Mapping[str, Any]:
        value = data.get(name)
        if value is None:
            if required:
                self.fail(name, f"the [{name}] table is required")
            return {}
        if not isinstance(value, dict):
            self.fail(name, f"must be a table ([{name}]), not {kind_of(value)}")
            return {}
        return value

    def keys(self, table: Mapping[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                self.fail(_join(where, key), unknown_key(key, allowed))

    def string(self, table: Mapping[str, Any], where: str, key: str, required: bool) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(_join(where, key), "is required (a string)")
            return None
        if not isinstance(value, str):
            self.fail(_join(where, key), f"must be a string, not {kind_of(value)}")
            return None
        if required and not value.strip():
            self.fail(_join(where, key), "must not be empty")
            return None
        return value

    def boolean(self, table: Mapping[str, Any], where: str, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(_join(where, key), f"must be true or false, not {kind_of(value)}")
            return default
        return value

    def integer(
        self, table: Mapping[str, Any], where: str, key: str, default: int | None, ceiling: int
    ) -> int | None:
        value = table.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(_join(where, key), f"must be a whole number, not {kind_of(value)}")
            return None
        if value <= 0:
            self.fail(_join(where, key), f"must be at least 1, not {value}")
            return None
        if value > ceiling:
            self.fail(_join(where, key), f"{value} is implausibly large (at most {ceiling})")
            return None
        return value

    def quantity(
        self,
        table: Mapping[str, Any],
        where: str,
        key: str,
        kind: str,
        ceiling: Fraction,
        allow_zero: bool = False,
    ) -> Fraction | None:
        if key not in table:
            return None
        return self.amount(table[key], _join(where, key), kind, ceiling, allow_zero)

    def amount(
        self, value: Any, where: str, kind: str, ceiling: Fraction, allow_zero: bool = False
    ) -> Fraction | None:
        """An exact non-negative number: a TOML number, or a string with a unit."""
        if isinstance(value, bool):
            self.fail(where, f"must be a number, not a boolean ({str(value).lower()})")
            return None
        if isinstance(value, int):
            number = Fraction(value)
        elif isinstance(value, Decimal):
            try:
                number = exact(value)
            except UnitError as error:
                if value.is_finite() and value.adjusted() > MAX_EXPONENT:  # past every ceiling
                    self.fail(where, f"{value} is implausibly large (at most {_show(ceiling)})")
                else:
                    self.fail(where, str(error))
                return None
        elif isinstance(value, str):
            try:
                number = parse_quantity(value, kind)
            except UnitError as error:
                self.fail(where, str(error))
                return None
            if kind == "bandwidth" and value.strip().endswith(BIT_RATES):
                self.warn(
                    where,
                    f"{value.strip()!r} is a bit rate: read as {_show(number)} GB/s (divided"
                    " by 8); write GB/s to say bytes",
                )
        else:
            self.fail(where, f"must be a number, not {kind_of(value)}")
            return None
        if number < 0 or (number == 0 and not allow_zero):
            floor = "zero or more" if allow_zero else "above zero"
            self.fail(where, f"must be {floor}, not {_show(number)}")
            return None
        if number > ceiling:
            self.fail(where, f"{_show(number)} is implausibly large (at most {_show(ceiling)})")
            return None
        return number


#: a key path; a key that is not a bare TOML key is quoted, so a message stays one line
_join = join


def _display_key(where: str) -> str:
    """Display a key path: memory.bandwidth_gbs -> [memory] bandwidth_gbs,
    die[1].area_mm2 -> [[die]] #2 area_mm2."""
    if "." not in where or where.startswith('"'):
        match = re.fullmatch(r"(\w+)\[(\d+)\]", where)  # die[0]: the item itself
        if match:
            return f"[[{match.group(1)}]] #{int(match.group(2)) + 1}"
        return f"[[{where}]]" if where in ("die", "source") else where
    table, key = where.split(".", 1)
    match = re.fullmatch(r"(\w+)\[(\d+)\]", table)
    if match:
        return f"[[{match.group(1)}]] #{int(match.group(2)) + 1} {key}"
    return f"[{table}] {key}"


def _show(number: Fraction) -> str:
    if number.denominator == 1:
        return str(number.numerator)
    return f"{float(number):g}"


# --------------------------------------------------------------------------- sections

_TOP_KEYS: Final = (
    "format",
    "chip",
    "performance",
    "die",
    "memory",
    "interconnect",
    "source",
    "expect",
)
_CHIP_KEYS: Final = (
    "id",
    "name",
    "vendor",
    "variant_of",
    "datacenter",
    "released",
    "notes",
    "us_available",
    "estimated",
    "transistors_billion",
)
_DIE_KEYS: Final = ("name", "area_mm2", "count", "non_planar", "node", "note")
_MEMORY_KEYS: Final = ("type", "capacity_gb", "bandwidth_gbs", "note")
_IO_KEYS: Final = ("chip_to_chip_gbs", "host_gbs", "note")
_SOURCE_KEYS: Final = ("url", "note", "title", "accessed")
_EXPECT_KEYS: Final = ("label", "edition", "min_margin_pct")
_ENTRY_KEYS: Final = ("tops", "bits", "sparse", "note")


def _performance(
    c: _Checker, table: Mapping[str, Any]
) -> tuple[tuple[Throughput, ...], Fraction | None]:
    entries: list[Throughput] = []
    declared: Fraction | None = None
    for name, value in table.items():
        where = _join("performance", name)
        if name == "tpp":
            declared = c.amount(value, where, "throughput", MAX_TPP)
            continue
        if not _PRECISION_NAME.fullmatch(name):
            c.fail(where, "a precision name is lower-case letters, digits and '_' (e.g. fp8)")
            continue
        entry = _throughput(c, name, value, where)
        if entry is not None:
            entries.append(entry)
    if not entries and declared is None and not c.problems:
        c.fail("performance", "needs at least one throughput entry (e.g. fp8 = 296) or tpp")
    return tuple(sorted(entries, key=lambda e: e.precision)), declared


def _throughput(c: _Checker, name: str, value: Any, where: str) -> Throughput | None:
    known_bits = KNOWN_BITS.get(name)
    sparse = False
    bits: int | None = known_bits
    if isinstance(value, dict):
        c.keys(value, where, _ENTRY_KEYS)
        if "tops" not in value:
            c.fail(where, "an entry table needs tops (e.g. { tops = 100, bits = 12 })")
            return None
        sparse = c.boolean(value, where, "sparse", False)
        if "bits" in value:
            given = c.integer(value, where, "bits", None, MAX_BITS)
            if given is None:
                return None
            if known_bits is not None and given != known_bits:
                c.fail(f"{where}.bits", f"{name} is {known_bits} bits by definition, not {given}")
                return None
            bits = given
        tops = c.amount(value["tops"], f"{where}.tops", "throughput", MAX_TOPS)
    else:
        tops = c.amount(value, where, "throughput", MAX_TOPS)
    if bits is None:
        c.fail(
            where,
            f"unknown precision {name!r} needs its bit length:"
            f" {name} = {{ tops = ..., bits = ... }} (known: {', '.join(KNOWN_BITS)})",
        )
        return None
    if tops is None:
        return None
    dense = tops / 2 if sparse else tops
    return Throughput(name, dense, bits, dense * bits, sparse)


def _dies(c: _Checker, value: Any) -> tuple[Die, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        c.fail("die", "dies are an array of tables: write [[die]], one per logic die kind")
        return ()
    dies: list[Die] = []
    for index, item in enumerate(value):
        where = f"die[{index}]"
        if not isinstance(item, dict):
            c.fail(where, f"must be a table, not {kind_of(item)}")
            continue
        c.keys(item, where, _DIE_KEYS)
        name = c.string(item, where, "name", False) or f"die {index + 1}"
        c.string(item, where, "node", False)
        c.string(item, where, "note", False)
        if "area_mm2" not in item:
            c.fail(f"{where}.area_mm2", "is required (the die's area in mm^2)")
            continue
        area = c.quantity(item, where, "area_mm2", "area", MAX_AREA)
        count = c.integer(item, where, "count", 1, MAX_DIE_COUNT)
        non_planar = c.boolean(item, where, "non_planar", True)
        if area is not None and count is not None:
            dies.append(Die(name, area, count, non_planar))
    return tuple(dies)


def _sources(c: _Checker, value: Any) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        c.fail("source", "sources are an array of tables: write [[source]] with url and note")
        return ()
    sources: list[Source] = []
    for index, item in enumerate(value):
        where = f"source[{index}]"
        if not isinstance(item, dict):
            c.fail(where, f"must be a table, not {kind_of(item)}")
            continue
        c.keys(item, where, _SOURCE_KEYS)
        url = c.string(item, where, "url", True)
        note = c.string(item, where, "note", False) or ""
        c.string(item, where, "title", False)
        accessed = item.get("accessed")
        if accessed is not None and not _is_date(accessed):
            c.fail(f"{where}.accessed", f"must be a date (2024-02-01), not {kind_of(accessed)}")
        if url is not None and not _URL.fullmatch(url):
            c.fail(f"{where}.url", f"{url!r} is not an http(s) URL")
            continue
        if url is not None:
            sources.append(Source(url, note))
    return tuple(sources)


def _expect(c: _Checker, data: Mapping[str, Any]) -> Expectation | None:
    if "expect" not in data:
        return None
    table = c.table(data, "expect", False)
    c.keys(table, "expect", _EXPECT_KEYS)
    label = c.string(table, "expect", "label", False)
    if label is not None and label not in LABELS_ALLOWED_IN_EXPECT:
        c.fail("expect.label", f"{label!r} is not a label ({', '.join(LABELS_ALLOWED_IN_EXPECT)})")
        label = None
    edition = c.string(table, "expect", "edition", False)
    margin: Fraction | None = None
    if isinstance(table.get("min_margin_pct"), str):  # not read as a throughput ("1 TOPS")
        c.fail("expect.min_margin_pct", "must be a plain number of percent, e.g. 1.0")
    else:
        margin = c.quantity(table, "expect", "min_margin_pct", "throughput", Fraction(1000), True)
    return Expectation(label, edition, margin)


def _link(value: Fraction | None, has_table: bool) -> Fraction | None:
    if not has_table:
        return None
    return value if value is not None else Fraction(0)


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


# --------------------------------------------------------------------------- entry points


FORMAT_MISSING = f'is required: format = "{FORMAT}"'
FORMAT_FOREIGN = f'is not a chipclass format (this chipclass reads "{FORMAT}")'


def not_a_sheet(problems: Sequence[Problem]) -> bool:
    """Whether a file's problems say it is TOML, but not a chipclass sheet at all: no
    top-level `format = "chipclass/..."` (another tool's pyproject.toml, Cargo.toml,
    ruff.toml). A file that is not TOML, or a chipclass sheet with errors, is not."""
    return any(
        p.key == "format"
        and (
            p.message == FORMAT_MISSING
            or p.message.endswith(FORMAT_FOREIGN)
            or p.message.endswith(reads(FORMAT))  # another chipclass file: a transaction...
        )
        for p in problems
    )


def parse_sheet(text: str, file: str) -> ChipSpec:
    """Validate sheet text; raise SheetError naming every problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SHEET_BYTES:
        raise SheetError([Problem(file, "the sheet is over 1 MiB")])
    try:
        data = tomli.loads(text, parse_float=Decimal)
    except (tomli.TOMLDecodeError, RecursionError, ValueError) as error:
        raise SheetError([toml_problem(file, text, error, "a sheet")]) from None
    lines = KeyLines(text)
    c = _Checker(file, lines)
    spec = _build(c, data, file, lines)
    if c.problems or spec is None:
        raise SheetError(c.problems or [Problem(file, "the sheet is not usable")])
    for problem in c.warnings:
        warnings.warn(SheetWarning(str(problem)), stacklevel=2)
    return spec


def _build(
    c: _Checker, data: dict[str, Any], file: str, lines: Mapping[str, int]
) -> ChipSpec | None:
    fmt = data.get("format")
    if fmt is None:
        c.fail("format", FORMAT_MISSING)
    elif (other := another_kind(fmt, FORMAT)) is not None:
        c.fail("format", other)
        return None
    elif not (isinstance(fmt, str) and fmt.startswith("chipclass/")):
        c.fail("format", f"{fmt!r} {FORMAT_FOREIGN}")
        return None
    elif fmt != FORMAT:
        c.fail("format", f'{fmt!r} is not a known format (this chipclass reads "{FORMAT}")')
        return None
    c.keys(data, "", _TOP_KEYS)

    chip = c.table(data, "chip", True)
    c.keys(chip, "chip", _CHIP_KEYS)
    chip_id = c.string(chip, "chip", "id", True)
    if chip_id is not None and not _ID.fullmatch(chip_id):
        c.fail("chip.id", f"{chip_id!r} must match [a-z0-9][a-z0-9.-]* (e.g. nvidia-h20)")
    name = c.string(chip, "chip", "name", True)
    vendor = c.string(chip, "chip", "vendor", True)
    variant_of = c.string(chip, "chip", "variant_of", False)
    if variant_of is not None and not _ID.fullmatch(variant_of):
        c.fail("chip.variant_of", f"{variant_of!r} is not a chip id")
    if variant_of is not None and variant_of == chip_id:
        c.fail("chip.variant_of", "a chip cannot be a variant of itself")
    datacenter = c.boolean(chip, "chip", "datacenter", True)
    released = chip.get("released")
    if released is not None and not _is_date(released):
        c.fail("chip.released", f"must be a TOML date such as 2024-02-01, not {kind_of(released)}")
        released = None
    notes = c.string(chip, "chip", "notes", False)
    us_available = chip.get("us_available")
    if us_available is not None and us_available is not False and not _is_date(us_available):
        c.fail(
            "chip.us_available",
            "must be the TOML date the part was first commercially available in the United"
            f" States (e.g. 2022-03-22), or false if it never was; not {kind_of(us_available)}",
        )
        us_available = None
    estimated = c.boolean(chip, "chip", "estimated", False)
    transistors = c.quantity(
        chip, "chip", "transistors_billion", "transistor count", MAX_TRANSISTORS
    )

    performance = c.table(data, "performance", True)
    has_table = isinstance(data.get("performance"), dict)
    throughput, declared = _performance(c, performance) if has_table else ((), None)
    dies = _dies(c, data.get("die"))

    memory = c.table(data, "memory", False)
    c.keys(memory, "memory", _MEMORY_KEYS)
    memory_type = c.string(memory, "memory", "type", False)
    c.string(memory, "memory", "note", False)
    capacity = c.quantity(memory, "memory", "capacity_gb", "capacity", MAX_CAPACITY)
    # zero is a figure: a part with no DRAM at all (on-die SRAM only) has none
    bandwidth = c.quantity(memory, "memory", "bandwidth_gbs", "bandwidth", MAX_BANDWIDTH, True)

    links = c.table(data, "interconnect", False)
    has_links = isinstance(data.get("interconnect"), dict)
    c.keys(links, "interconnect", _IO_KEYS)
    c.string(links, "interconnect", "note", False)
    chip_to_chip = c.quantity(
        links, "interconnect", "chip_to_chip_gbs", "bandwidth", MAX_BANDWIDTH, allow_zero=True
    )
    host = c.quantity(links, "interconnect", "host_gbs", "bandwidth", MAX_BANDWIDTH, True)

    sources = _sources(c, data.get("source"))
    expect = _expect(c, data)

    if declared is not None and throughput:
        computed = max(t.tpp for t in throughput)
        if abs(declared - computed) * 200 > computed:  # more than 0.5 % of the computed TPP
            best = max(throughput, key=lambda t: t.tpp)
            c.fail(
                "performance.tpp",
                f"declared {_show(declared)} disagrees with the throughput entries by more than"
                f" 0.5 %: {best.precision} {_show(best.tops)} x {best.bits} bits ="
                f" {_show(computed)} (fix the figures, or drop tpp)",
            )

    if c.problems or chip_id is None or name is None or vendor is None:
        return None
    return ChipSpec(
        path=file,
        id=chip_id,
        name=name,
        vendor=vendor,
        variant_of=variant_of,
        datacenter=datacenter,
        released=released,
        notes=notes,
        throughput=throughput,
        declared_tpp=declared,
        dies=dies,
        memory_type=memory_type,
        memory_capacity_gb=capacity,
        memory_bandwidth_gbs=bandwidth,
        # inside a present table, a missing link is no such link (0 GB/s); no table at all
        # is an unknown I/O bandwidth
        chip_to_chip_gbs=_link(chip_to_chip, has_links),
        host_gbs=_link(host, has_links),
        sources=sources,
        expect=expect,
        us_available=us_available,
        estimated=estimated,
        transistors_billion=transistors,
        lines=lines,
    )
