"""ChipSpec -> Metrics: the quantities the rules compare, computed exactly.

Every value is a Fraction; None means unknown (never zero). The definitions
follow the Technical Notes to 3A090.a and 3A090.b.
"""

# No `from __future__ import annotations` here: a NamedTuple's string annotations are
# each compiled at import (typing.ForwardRef), about 30 us a field, and a one-sheet run
# defines some 200 fields. Names defined later (or only for type checking) are quoted.
import datetime as dt
from fractions import Fraction
from typing import Final, NamedTuple

from chipclass.spec import ChipSpec, Throughput

METRIC_IDS: Final = (
    "tpp",
    "performance_density",
    "applicable_die_area_mm2",
    "memory_bandwidth_gbs",
    "io_bandwidth_gbs",
    "memory_plus_io_gbs",
)

TF32_ALTERNATIVE_BITS: Final = 19


class Metrics(NamedTuple):
    """The quantities the rules compare, exact; None where unknown."""

    tpp: Fraction
    applicable_die_area_mm2: Fraction | None
    memory_bandwidth_gbs: Fraction | None
    io_bandwidth_gbs: Fraction | None
    datacenter: bool
    tpp_precision: str | None = None  # the precision that sets the TPP; None when declared
    notes: tuple[str, ...] = ()
    #: facts of the sheet a clause may read: who makes the part (letters bind their
    #: addressees), and when it was first on sale in the United States (a date, False:
    #: never, None: unknown)
    vendor: str | None = None
    us_available: dt.date | bool | None = None

    @property
    def performance_density(self) -> Fraction | None:
        """'TPP' divided by 'applicable die area' (Technical Note 4); unknown without area."""
        area = self.applicable_die_area_mm2
        if area is None or area == 0:
            return None
        return self.tpp / area

    @property
    def memory_plus_io_gbs(self) -> Fraction | None:
        if self.memory_bandwidth_gbs is None or self.io_bandwidth_gbs is None:
            return None
        return self.memory_bandwidth_gbs + self.io_bandwidth_gbs

    def value(self, metric: str) -> Fraction | None:
        if metric not in METRIC_IDS:
            raise KeyError(metric)
        result: Fraction | None = getattr(self, metric)
        return result

    def scaled(self, knob: str, factor: Fraction) -> "Metrics":
        """The same part with one physical knob multiplied by `factor` (> 0)."""
        if knob == "throughput":
            return self._replace(tpp=self.tpp * factor)
        if knob == "die_area":
            area = self.applicable_die_area_mm2
            return self._replace(applicable_die_area_mm2=None if area is None else area * factor)
        if knob == "memory_bandwidth":
            memory = self.memory_bandwidth_gbs
            return self._replace(memory_bandwidth_gbs=None if memory is None else memory * factor)
        if knob == "io_bandwidth":
            io = self.io_bandwidth_gbs
            return self._replace(io_bandwidth_gbs=None if io is None else io * factor)
        raise KeyError(knob)


def total_processing_performance(throughput: tuple[Throughput, ...]) -> tuple[Fraction, str]:
    """Max over precisions of dense TOPS x bit length, and the precision that sets it.

    Technical Note 2: "If the integrated circuit is designed for MAC computation with
    multiple bit lengths that achieve different 'TPP' values, the highest 'TPP' value
    should be evaluated". On a tie the shortest bit length is named (FP8 296 x 8 rather
    than BF16 148 x 16, as datasheets headline it), then the first name alphabetically.
    """
    best = max(t.tpp for t in throughput)
    _, precision = min((t.bits, t.precision) for t in throughput if t.tpp == best)
    return best, precision


def applicable_die_area(spec: ChipSpec) -> Fraction | None:
    """Sum of area x count over logic dies on a non-planar node (Technical Note 4).

    None when the sheet names no die at all (the area is unknown); zero when every
    named die is planar (then the density is unknown, and reported as such).
    """
    if not spec.dies:
        return None
    return sum((d.area_mm2 * d.count for d in spec.dies if d.non_planar), Fraction(0))


def io_bandwidth(spec: ChipSpec) -> Fraction | None:
    """All inputs and outputs other than memory: chip-to-chip plus host links, aggregate
    bidirectional; unknown when the sheet has no [interconnect] table."""
    if spec.chip_to_chip_gbs is None or spec.host_gbs is None:
        return None
    return spec.chip_to_chip_gbs + spec.host_gbs


def compute(spec: ChipSpec) -> Metrics:
    notes: list[str] = []
    precision: str | None = None
    if spec.throughput:
        tpp, precision = total_processing_performance(spec.throughput)
        if precision == "tf32":
            notes.extend(_tf32_note(spec.throughput, tpp, precision))
        halved = [t.precision for t in spec.throughput if t.sparse_quoted]
        if halved:
            notes.append(
                "derived: sparse figures halved to dense (Technical Note 3): " + ", ".join(halved)
            )
    else:
        assert spec.declared_tpp is not None  # the loader guarantees one or the other
        tpp = spec.declared_tpp
        notes.append("TPP as declared in the sheet (no throughput entries)")
    area = applicable_die_area(spec)
    if area == 0:
        notes.append("no die is non-planar: applicable die area is 0, density unknown")
    return Metrics(
        tpp=tpp,
        applicable_die_area_mm2=area,
        memory_bandwidth_gbs=spec.memory_bandwidth_gbs,
        io_bandwidth_gbs=io_bandwidth(spec),
        datacenter=spec.datacenter,
        tpp_precision=precision,
        notes=tuple(notes),
        vendor=spec.vendor,
        us_available=spec.us_available,
    )


def tf32_alternative(throughput: tuple[Throughput, ...]) -> Fraction | None:
    """The TPP under a 19-bit reading of TF32, when TF32 alone sets the TPP; else None."""
    tpp, precision = total_processing_performance(throughput)
    if precision != "tf32":
        return None
    others = [t.tpp for t in throughput if t.precision != "tf32"]
    if others and max(others) >= tpp:
        return None
    tf32 = next(t for t in throughput if t.precision == "tf32")
    return max([tf32.tops * TF32_ALTERNATIVE_BITS, *others])


def _tf32_note(throughput: tuple[Throughput, ...], tpp: Fraction, precision: str) -> list[str]:
    alternative = tf32_alternative(throughput)
    if alternative is None:
        return []
    return [
        f"TF32 alone sets the TPP ({_fmt(tpp)}, counting TF32 as 32 bits: its inputs are FP32"
        f" values); read as 19 bits, the TPP would be {_fmt(alternative)}"
    ]


def _fmt(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.6g}"
