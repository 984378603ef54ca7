"""Every number chipclass/spec.py and chipclass/metrics.py hold, through sheets a reader
can check by hand: each precision's bit length (Technical Note 1.c), each plausibility
ceiling exactly at and just above it (spec-format.md section 1), zero where zero is allowed
and where it is not, the 1 MiB limit, the 0.5 % tolerance of a declared TPP, and the
metrics of Technical Notes 2 to 4 (TPP = TOPS x bits, the highest; density = TPP / area).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import warnings
from fractions import Fraction
from pathlib import Path

import pytest

from chipclass.files import load_sheet
from chipclass.metrics import METRIC_IDS, TF32_ALTERNATIVE_BITS, Metrics, compute
from chipclass.spec import (
    KNOWN_BITS,
    MAX_AREA,
    MAX_BANDWIDTH,
    MAX_BITS,
    MAX_CAPACITY,
    MAX_DIE_COUNT,
    MAX_SHEET_BYTES,
    MAX_TOPS,
    MAX_TPP,
    MAX_TRANSISTORS,
    ChipSpec,
    SheetError,
    SheetWarning,
    Throughput,
    parse_sheet,
)


def sheet(performance: str = "fp8 = 100", rest: str = "", chip: str = "") -> str:
    return (
        'format = "chipclass/1"\n\n[chip]\nid = "pinned"\nname = "Pinned"\nvendor = "Test"\n'
        f"{chip}\n[performance]\n{performance}\n\n{rest}\n"
    )


def load(performance: str = "fp8 = 100", rest: str = "", chip: str = "") -> ChipSpec:
    return parse_sheet(sheet(performance, rest, chip), "pinned.toml")


def problems(performance: str = "fp8 = 100", rest: str = "", chip: str = "") -> list[str]:
    with pytest.raises(SheetError) as caught:
        load(performance, rest, chip)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------- bit lengths

#: Technical Note 1.c: the bit length of each named precision's inputs
BITS = {
    "fp64": 64,
    "fp32": 32,
    "tf32": 32,  # its inputs are FP32 values (the 19-bit reading is a note, below)
    "fp16": 16,
    "bf16": 16,
    "fp8": 8,
    "int8": 8,
    "fp6": 6,
    "fp4": 4,
    "int4": 4,
}


def test_the_known_precisions_are_these_ten() -> None:
    assert dict(KNOWN_BITS) == BITS


@pytest.mark.parametrize(("precision", "bits"), sorted(BITS.items()))
def test_one_precision_at_100_tops_has_a_tpp_of_100_times_its_bits(
    precision: str, bits: int
) -> None:
    spec = load(f"{precision} = 100")
    (entry,) = spec.throughput
    assert (entry.precision, entry.tops, entry.bits, entry.tpp) == (
        precision,
        100,
        bits,
        100 * bits,
    )
    metrics = compute(spec)
    assert (metrics.tpp, metrics.tpp_precision) == (100 * bits, precision)


@pytest.mark.parametrize(("precision", "bits"), sorted(BITS.items()))
def test_a_known_precision_refuses_any_other_bit_length(precision: str, bits: int) -> None:
    assert load(f"{precision} = {{ tops = 100, bits = {bits} }}").throughput[0].tpp == 100 * bits
    assert problems(f"{precision} = {{ tops = 100, bits = {bits + 1} }}") == [
        f"pinned.toml:9: [performance] {precision}.bits: {precision} is {bits} bits by"
        f" definition, not {bits + 1}"
    ]


def test_an_unknown_precision_needs_its_bits_and_then_counts_them() -> None:
    assert compute(load("fp12 = { tops = 100, bits = 12 }")).tpp == 1200
    (message,) = problems("fp12 = 100")
    assert message == (
        "pinned.toml:9: [performance] fp12: unknown precision 'fp12' needs its bit length:"
        " fp12 = { tops = ..., bits = ... } (known: fp64, fp32, tf32, fp16, bf16, fp8, int8,"
        " fp6, fp4, int4)"
    )


def test_bit_lengths_from_1_to_1024_are_read_and_1025_is_not() -> None:
    assert MAX_BITS == 1024
    assert compute(load("wide = { tops = 1, bits = 1024 }")).tpp == 1024
    assert compute(load("narrow = { tops = 3, bits = 1 }")).tpp == 3
    assert problems("wide = { tops = 1, bits = 1025 }") == [
        "pinned.toml:9: [performance] wide.bits: 1025 is implausibly large (at most 1024)"
    ]
    assert problems("none = { tops = 1, bits = 0 }") == [
        "pinned.toml:9: [performance] none.bits: must be at least 1, not 0"
    ]


def test_a_sparse_figure_is_halved_to_dense() -> None:
    spec = load("fp8 = { tops = 200, sparse = true }")
    (entry,) = spec.throughput
    assert (entry.tops, entry.tpp, entry.sparse_quoted) == (100, 800, True)
    assert compute(spec).notes == (
        "derived: sparse figures halved to dense (Technical Note 3): fp8",
    )
    dense = load("fp8 = { tops = 200, sparse = false }").throughput[0]
    assert (dense.tops, dense.tpp, dense.sparse_quoted) == (200, 1600, False)


# --------------------------------------------------------------------------- ceilings


def test_the_ceilings_are_those_of_spec_format_section_1() -> None:
    assert (MAX_TOPS, MAX_TPP, MAX_AREA) == (10**7, 10**9, 10**5)
    assert (MAX_BANDWIDTH, MAX_CAPACITY, MAX_TRANSISTORS) == (10**7, 10**7, 10**6)
    assert (MAX_DIE_COUNT, MAX_BITS, MAX_SHEET_BYTES) == (10_000, 1024, 1_048_576)


DIE = '[[die]]\nname = "d"\n'

# (performance, rest, chip) at the ceiling; the same just above it; the message then
CEILINGS = [
    pytest.param(
        ("fp8 = 10000000", "", ""),
        ("fp8 = 10000001", "", ""),
        "pinned.toml:9: [performance] fp8: 10000001 is implausibly large (at most 10000000)",
        id="tops",
    ),
    pytest.param(
        ('fp8 = "10000 POPS"', "", ""),  # 10**4 x 1000 TOPS
        ('fp8 = "10000.000001 POPS"', "", ""),
        "pinned.toml:9: [performance] fp8: 1e+07 is implausibly large (at most 10000000)",
        id="tops-as-pops",
    ),
    pytest.param(
        ("tpp = 1000000000", "", ""),
        ("tpp = 1000000000.5", "", ""),
        "pinned.toml:9: [performance] tpp: 1e+09 is implausibly large (at most 1000000000)",
        id="declared-tpp",
    ),
    pytest.param(
        ("", DIE + "area_mm2 = 100000", ""),
        ("", DIE + "area_mm2 = 100001", ""),
        "pinned.toml:13: [[die]] #1 area_mm2: 100001 is implausibly large (at most 100000)",
        id="area",
    ),
    pytest.param(
        ("", DIE + 'area_mm2 = "1000 cm2"', ""),
        ("", DIE + 'area_mm2 = "1000.01 cm2"', ""),
        "pinned.toml:13: [[die]] #1 area_mm2: 100001 is implausibly large (at most 100000)",
        id="area-in-cm2",
    ),
    pytest.param(
        ("", DIE + "area_mm2 = 1\ncount = 10000", ""),
        ("", DIE + "area_mm2 = 1\ncount = 10001", ""),
        "pinned.toml:14: [[die]] #1 count: 10001 is implausibly large (at most 10000)",
        id="die-count",
    ),
    pytest.param(
        ("", "[memory]\nbandwidth_gbs = 10000000", ""),
        ("", "[memory]\nbandwidth_gbs = 10000000.001", ""),
        "pinned.toml:12: [memory] bandwidth_gbs: 1e+07 is implausibly large (at most 10000000)",
        id="memory-bandwidth",
    ),
    pytest.param(
        ("", '[memory]\nbandwidth_gbs = "10000 TB/s"', ""),
        ("", '[memory]\nbandwidth_gbs = "80001 Tb/s"', ""),
        "pinned.toml:12: [memory] bandwidth_gbs: 10000125 is implausibly large (at most 10000000)",
        id="memory-bandwidth-in-tb",
    ),
    pytest.param(
        ("", "[memory]\ncapacity_gb = 10000000", ""),
        ("", "[memory]\ncapacity_gb = 10000001", ""),
        "pinned.toml:12: [memory] capacity_gb: 10000001 is implausibly large (at most 10000000)",
        id="capacity",
    ),
    pytest.param(
        ("", '[memory]\ncapacity_gb = "10000 TB"', ""),
        ("", '[memory]\ncapacity_gb = "10000.001 TB"', ""),
        "pinned.toml:12: [memory] capacity_gb: 10000001 is implausibly large (at most 10000000)",
        id="capacity-in-tb",
    ),
    pytest.param(
        ("", "[interconnect]\nchip_to_chip_gbs = 10000000", ""),
        ("", "[interconnect]\nchip_to_chip_gbs = 10000001", ""),
        "pinned.toml:12: [interconnect] chip_to_chip_gbs: 10000001 is implausibly large"
        " (at most 10000000)",
        id="chip-to-chip",
    ),
    pytest.param(
        ("", "[interconnect]\nhost_gbs = 10000000", ""),
        ("", "[interconnect]\nhost_gbs = 10000001", ""),
        "pinned.toml:12: [interconnect] host_gbs: 10000001 is implausibly large (at most 10000000)",
        id="host",
    ),
    pytest.param(
        ("", "", "transistors_billion = 1000000"),
        ("", "", "transistors_billion = 1000001"),
        "pinned.toml:7: [chip] transistors_billion: 1000001 is implausibly large (at most 1000000)",
        id="transistors",
    ),
    pytest.param(
        ("", "", 'transistors_billion = "1000000000 million"'),
        ("", "", 'transistors_billion = "1000000001 million"'),
        "pinned.toml:7: [chip] transistors_billion: 1e+06 is implausibly large (at most 1000000)",
        id="transistors-in-millions",
    ),
    pytest.param(
        ("", "[expect]\nmin_margin_pct = 1000", ""),
        ("", "[expect]\nmin_margin_pct = 1000.1", ""),
        "pinned.toml:12: [expect] min_margin_pct: 1000.1 is implausibly large (at most 1000)",
        id="expected-margin",
    ),
]


@pytest.mark.parametrize(("at", "above", "message"), CEILINGS)
def test_a_ceiling_is_accepted_and_a_step_past_it_refused(
    at: tuple[str, str, str], above: tuple[str, str, str], message: str
) -> None:
    performance, rest, chip = at
    load(performance or "fp8 = 100", rest, chip)
    performance, rest, chip = above
    assert problems(performance or "fp8 = 100", rest, chip) == [message]


def test_values_at_the_ceilings_are_kept_exactly() -> None:
    spec = load(
        "tpp = 1000000000",
        DIE
        + "area_mm2 = 100000\ncount = 10000\n"
        + "[memory]\ncapacity_gb = 10000000\nbandwidth_gbs = 10000000\n"
        + "[interconnect]\nchip_to_chip_gbs = 10000000\nhost_gbs = 10000000\n"
        + "[expect]\nmin_margin_pct = 1000",
        "transistors_billion = 1000000",
    )
    assert spec.declared_tpp == 10**9
    assert (spec.dies[0].area_mm2, spec.dies[0].count) == (10**5, 10**4)
    assert (spec.memory_capacity_gb, spec.memory_bandwidth_gbs) == (10**7, 10**7)
    assert (spec.chip_to_chip_gbs, spec.host_gbs) == (10**7, 10**7)
    assert spec.transistors_billion == 10**6
    assert spec.expect is not None and spec.expect.min_margin_pct == 1000


# --------------------------------------------------------------------------- zero

ZEROS = ["0", "0.0", "0.000", '"0 GB/s"', '"0.0 GB/s"', '"0 TB/s"', '"0.0 TB/s"', '"0 Gbps"']


@pytest.mark.parametrize("zero", ZEROS)
@pytest.mark.parametrize("key", ["chip_to_chip_gbs", "host_gbs"])
def test_an_interconnect_of_zero_is_allowed_in_every_form(key: str, zero: str) -> None:
    spec = load(rest=f"[interconnect]\n{key} = {zero}\n")
    assert (spec.chip_to_chip_gbs, spec.host_gbs) == (0, 0)
    assert compute(spec).io_bandwidth_gbs == 0


@pytest.mark.parametrize("zero", ZEROS)
def test_a_memory_bandwidth_of_zero_is_a_figure_in_every_form(zero: str) -> None:
    """A part without DRAM (on-die SRAM only) has a memory bandwidth of 0 GB/s: a figure,
    not an unknown, in every unit form."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SheetWarning)  # "0 Gbps" is a bit rate: it warns
        spec = load(rest=f"[memory]\nbandwidth_gbs = {zero}\n")
    assert spec.memory_bandwidth_gbs == 0
    assert compute(spec).memory_bandwidth_gbs == 0


@pytest.mark.parametrize(
    ("performance", "rest", "chip", "message"),
    [
        ("fp8 = 0", "", "", "pinned.toml:9: [performance] fp8: must be above zero, not 0"),
        ('fp8 = "0.0 TOPS"', "", "", "pinned.toml:9: [performance] fp8: must be above zero, not 0"),
        ("tpp = 0.0", "", "", "pinned.toml:9: [performance] tpp: must be above zero, not 0"),
        (
            "fp8 = 100",
            DIE + 'area_mm2 = "0.0 cm2"',
            "",
            "pinned.toml:13: [[die]] #1 area_mm2: must be above zero, not 0",
        ),
        (
            "fp8 = 100",
            "[memory]\ncapacity_gb = 0.0",
            "",
            "pinned.toml:12: [memory] capacity_gb: must be above zero, not 0",
        ),
        (
            "fp8 = 100",
            "",
            'transistors_billion = "0 million"',
            "pinned.toml:7: [chip] transistors_billion: must be above zero, not 0",
        ),
    ],
)
def test_zero_is_refused_where_a_part_cannot_have_none(
    performance: str, rest: str, chip: str, message: str
) -> None:
    assert problems(performance, rest, chip) == [message]


def test_a_negative_interconnect_is_refused_as_below_zero() -> None:
    assert problems(rest="[interconnect]\nhost_gbs = -1") == [
        "pinned.toml:12: [interconnect] host_gbs: must be zero or more, not -1"
    ]


def test_an_expected_margin_of_zero_is_allowed_and_a_string_is_not() -> None:
    spec = load(rest="[expect]\nmin_margin_pct = 0")
    assert spec.expect is not None and spec.expect.min_margin_pct == 0
    # one message, not a throughput's as well ("'1' is not a throughput (try ...)")
    for text in ('"1"', '"1 TOPS"', '"1 %"'):
        assert problems(rest=f"[expect]\nmin_margin_pct = {text}") == [
            "pinned.toml:12: [expect] min_margin_pct: must be a plain number of percent, e.g. 1.0"
        ]


@pytest.mark.parametrize(("value", "shown"), [("nan", "NaN"), ("inf", "Infinity")])
def test_a_non_finite_number_is_refused(value: str, shown: str) -> None:
    assert problems(f"fp8 = {value}") == [
        f"pinned.toml:9: [performance] fp8: must be a finite number, not {shown}"
    ]


def test_an_exponent_past_forty_in_a_toml_number_is_refused() -> None:
    assert problems("fp8 = 1e-41") == [
        "pinned.toml:9: [performance] fp8: 1E-41 is implausibly small"
        " (a decimal exponent beyond +/-40)"
    ]
    assert problems("fp8 = 1e41") == [
        "pinned.toml:9: [performance] fp8: 1E+41 is implausibly large (at most 10000000)"
    ]
    assert load("fp8 = 1e-40").throughput[0].tops == Fraction(1, 10**40)


# --------------------------------------------------------------------------- bit rates


@pytest.mark.parametrize("figure", ["4800 Gbps", "4800 Gb/s", "4.8 Tbps", "4.8 Tb/s"])
def test_each_bit_rate_spelling_is_read_divided_by_eight_with_a_warning(figure: str) -> None:
    """spec-format.md 1: a bandwidth in bits per second is read divided by 8 (4800 Gbps
    and 4.8 Tbps are 600 GB/s), with a warning naming the file, the line and the key,
    issued where parse_sheet was called (here)."""
    text = sheet(rest=f'[interconnect]\nchip_to_chip_gbs = "{figure}"\n')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = parse_sheet(text, "pinned.toml")
    assert spec.chip_to_chip_gbs == 600
    found = [w for w in caught if w.category is SheetWarning]
    assert [str(w.message) for w in found] == [
        f"pinned.toml:12: [interconnect] chip_to_chip_gbs: '{figure}' is a bit rate: read as"
        " 600 GB/s (divided by 8); write GB/s to say bytes"
    ]
    assert [w.filename for w in found] == [__file__]


@pytest.mark.parametrize(
    "rest",
    [
        '[interconnect]\nchip_to_chip_gbs = "600 GB/s"\nhost_gbs = "0.6 TB/s"\n',
        '[memory]\nbandwidth_gbs = "4.8 TB/s"\ncapacity_gb = "80 GB"\n',
    ],
)
def test_a_byte_rate_or_a_capacity_gives_no_warning(rest: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load(rest=rest)
    assert [str(w.message) for w in caught if w.category is SheetWarning] == []


# --------------------------------------------------------------------------- size limit


def test_a_sheet_of_exactly_one_mib_is_read_and_one_byte_more_is_not() -> None:
    body = sheet()
    padded = body + "#" * (MAX_SHEET_BYTES - len(body.encode()) - 1) + "\n"
    assert len(padded.encode()) == 1_048_576
    assert load_text(padded).id == "pinned"
    with pytest.raises(SheetError) as caught:
        load_text(padded + "\n")
    assert [str(p) for p in caught.value.problems] == ["big.toml: the sheet is over 1 MiB"]


def test_the_limit_counts_bytes_not_characters() -> None:
    body = sheet()
    # "é" is 2 bytes in UTF-8: this many make one or two bytes past the limit
    over = body + "#" + "é" * ((MAX_SHEET_BYTES - len(body.encode())) // 2)
    assert len(over) < MAX_SHEET_BYTES < len(over.encode())
    with pytest.raises(SheetError, match="over 1 MiB"):
        load_text(over)


def load_text(text: str) -> ChipSpec:
    return parse_sheet(text, "big.toml")


def test_a_file_of_exactly_one_mib_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    body = sheet().encode()
    path = tmp_path / "big.toml"
    path.write_bytes(body + b"#" * (MAX_SHEET_BYTES - len(body) - 1) + b"\n")
    assert load_sheet(path).id == "pinned"
    path.write_bytes(body + b"#" * (MAX_SHEET_BYTES - len(body)) + b"\n")
    with pytest.raises(SheetError) as caught:
        load_sheet(path)
    assert [p.message for p in caught.value.problems] == [
        "the sheet is 1048577 bytes; the limit is 1 MiB"
    ]


# --------------------------------------------------------------------------- declared TPP


@pytest.mark.parametrize("declared", ["804", "796", "800", "803.99", "796.01"])
def test_a_declared_tpp_within_half_a_percent_of_the_entries_is_accepted(declared: str) -> None:
    # fp8 100 x 8 = 800; half a percent of 800 is 4, and exactly 4 is within
    spec = load(f"fp8 = 100\ntpp = {declared}")
    assert spec.declared_tpp == Fraction(declared)
    assert compute(spec).tpp == 800  # the entries decide the TPP, not the declaration


@pytest.mark.parametrize(("declared", "shown"), [("804.01", "804.01"), ("795.99", "795.99")])
def test_a_declared_tpp_past_half_a_percent_is_refused(declared: str, shown: str) -> None:
    assert problems(f"fp8 = 100\ntpp = {declared}") == [
        f"pinned.toml:10: [performance] tpp: declared {shown} disagrees with the throughput"
        " entries by more than 0.5 %: fp8 100 x 8 bits = 800 (fix the figures, or drop tpp)"
    ]


def test_a_declared_tpp_alone_is_the_tpp_and_says_so() -> None:
    metrics = compute(load("tpp = 2368"))
    assert (metrics.tpp, metrics.tpp_precision) == (2368, None)
    assert metrics.notes == ("TPP as declared in the sheet (no throughput entries)",)


# --------------------------------------------------------------------------- metrics


def test_the_metric_ids_are_the_six_the_rules_compare() -> None:
    assert METRIC_IDS == (
        "tpp",
        "performance_density",
        "applicable_die_area_mm2",
        "memory_bandwidth_gbs",
        "io_bandwidth_gbs",
        "memory_plus_io_gbs",
    )


def test_the_highest_tpp_over_the_precisions_is_the_tpp() -> None:
    # Technical Note 2, the highest TPP: fp8 296 x 8 = 2368 and fp16 148 x 16 = 2368 tie,
    # and int4 700 x 4 = 2800 is above both
    metrics = compute(load("fp8 = 296\nfp16 = 148\nint4 = 700"))
    assert (metrics.tpp, metrics.tpp_precision) == (2800, "int4")


@pytest.mark.parametrize(
    ("performance", "precision"),
    [
        ("fp8 = 296\nbf16 = 148", "fp8"),  # 2368 each: the shorter bit length is named
        ("bf16 = 148\nfp8 = 296", "fp8"),
        ("fp16 = 100\nbf16 = 100", "bf16"),  # 1600 each, 16 bits each: alphabetical
        ("int8 = 100\nfp8 = 100", "fp8"),
        ("int4 = 100\nfp4 = 100\nfp8 = 50", "fp4"),
    ],
)
def test_a_tie_names_the_shortest_bits_then_the_first_name(
    performance: str, precision: str
) -> None:
    assert compute(load(performance)).tpp_precision == precision


def test_density_is_tpp_over_the_non_planar_die_area() -> None:
    rest = (
        '[[die]]\nname = "compute"\narea_mm2 = 400\ncount = 2\n'
        '[[die]]\nname = "io"\narea_mm2 = 300\nnon_planar = false\n'
    )
    metrics = compute(load("fp8 = 1000", rest))  # TPP 8000 over 2 x 400 mm^2
    assert metrics.applicable_die_area_mm2 == 800
    assert metrics.performance_density == 10
    assert metrics.value("performance_density") == 10
    assert metrics.notes == ()


def test_only_planar_dies_give_an_area_of_zero_and_an_unknown_density() -> None:
    metrics = compute(load("fp8 = 100", DIE + "area_mm2 = 300\nnon_planar = false"))
    assert metrics.applicable_die_area_mm2 == 0
    assert metrics.performance_density is None
    assert metrics.notes == ("no die is non-planar: applicable die area is 0, density unknown",)


def test_no_die_gives_an_unknown_area_and_density() -> None:
    metrics = compute(load("fp8 = 100"))
    assert (metrics.applicable_die_area_mm2, metrics.performance_density) == (None, None)


def test_io_is_chip_to_chip_plus_host_and_memory_plus_io_adds_memory() -> None:
    rest = "[memory]\nbandwidth_gbs = 4000\n[interconnect]\nchip_to_chip_gbs = 900\nhost_gbs = 128"
    metrics = compute(load("fp8 = 100", rest))
    assert metrics.io_bandwidth_gbs == 1028
    assert metrics.memory_bandwidth_gbs == 4000
    assert metrics.memory_plus_io_gbs == 5028
    assert [metrics.value(m) for m in METRIC_IDS] == [800, None, None, 4000, 1028, 5028]


def test_without_memory_the_memory_plus_io_is_unknown() -> None:
    metrics = compute(load("fp8 = 100", "[interconnect]\nhost_gbs = 64"))
    assert (metrics.memory_bandwidth_gbs, metrics.memory_plus_io_gbs) == (None, None)
    assert metrics.io_bandwidth_gbs == 64


def test_a_metric_that_is_not_one_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        compute(load()).value("datacenter")


def test_datacenter_is_read_from_the_sheet_and_defaults_to_true() -> None:
    assert compute(load()).datacenter is True
    assert compute(load(chip="datacenter = false")).datacenter is False


@pytest.mark.parametrize(
    ("knob", "expected"),
    [
        ("throughput", (1600, 400, 3000, 100)),
        ("die_area", (800, 800, 3000, 100)),
        ("memory_bandwidth", (800, 400, 6000, 100)),
        ("io_bandwidth", (800, 400, 3000, 200)),
    ],
)
def test_scaling_one_knob_doubles_that_quantity_alone(
    knob: str, expected: tuple[int, int, int, int]
) -> None:
    rest = DIE + "area_mm2 = 400\n[memory]\nbandwidth_gbs = 3000\n[interconnect]\nhost_gbs = 100"
    scaled = compute(load("fp8 = 100", rest)).scaled(knob, Fraction(2))
    assert (
        scaled.tpp,
        scaled.applicable_die_area_mm2,
        scaled.memory_bandwidth_gbs,
        scaled.io_bandwidth_gbs,
    ) == expected


def test_scaling_an_unknown_quantity_leaves_it_unknown() -> None:
    metrics = compute(load())
    assert metrics.scaled("die_area", Fraction(2)).applicable_die_area_mm2 is None
    assert metrics.scaled("memory_bandwidth", Fraction(2)).memory_bandwidth_gbs is None
    with pytest.raises(KeyError):
        metrics.scaled("clock", Fraction(2))


# --------------------------------------------------------------------------- TF32


def test_tf32_is_counted_as_32_bits_with_the_19_bit_reading_in_a_note() -> None:
    assert TF32_ALTERNATIVE_BITS == 19
    metrics = compute(load("tf32 = 100"))
    assert (metrics.tpp, metrics.tpp_precision) == (3200, "tf32")
    assert metrics.notes == (
        "TF32 alone sets the TPP (3200, counting TF32 as 32 bits: its inputs are FP32"
        " values); read as 19 bits, the TPP would be 1900",
    )


def test_the_19_bit_reading_falls_back_to_the_next_precision() -> None:
    # tf32 100 x 32 = 3200 sets the TPP; read as 19 bits it would be 1900, below fp16's
    # 150 x 16 = 2400, so the TPP would be 2400
    metrics = compute(load("tf32 = 100\nfp16 = 150"))
    assert metrics.tpp == 3200
    assert metrics.notes[0].endswith("read as 19 bits, the TPP would be 2400")
    # 19 bits of 100 is 1900, above fp8's 200 x 8 = 1600: 1900
    metrics = compute(load("tf32 = 100\nfp8 = 200"))
    assert metrics.notes[0].endswith("read as 19 bits, the TPP would be 1900")


def test_a_fractional_19_bit_reading_is_shown_to_six_figures() -> None:
    # tf32 0.5 x 32 = 16; x 19 = 9.5
    metrics = compute(load("tf32 = 0.5"))
    assert metrics.notes == (
        "TF32 alone sets the TPP (16, counting TF32 as 32 bits: its inputs are FP32"
        " values); read as 19 bits, the TPP would be 9.5",
    )
    # tf32 1/3 x 32: 10.666..., shown as 10.6667; x 19 = 6.33333
    thirds = compute(load('tf32 = "0.333333333333 TOPS"'))
    assert "TPP would be 6.33333" in thirds.notes[0]


def test_no_tf32_note_when_tf32_does_not_alone_set_the_tpp() -> None:
    assert compute(load("tf32 = 100\nfp16 = 200")).notes == ()  # 3200 each: fp16 named
    assert compute(load("tf32 = 100\nfp8 = 500")).notes == ()  # fp8 4000 sets the TPP


def test_no_tf32_note_when_another_precision_ties_tf32_and_tf32_is_named() -> None:
    # tf32 100 x 32 = fp64 50 x 64 = 3200: a tie, tf32 named (32 bits is the shorter), but
    # tf32 does not set the TPP alone, so there is no 19-bit reading to offer
    metrics = compute(load("tf32 = 100\nfp64 = 50"))
    assert (metrics.tpp, metrics.tpp_precision) == (3200, "tf32")
    assert metrics.notes == ()


def test_every_sparse_precision_is_named_in_the_note() -> None:
    spec = load("fp8 = { tops = 200, sparse = true }\nfp16 = { tops = 100, sparse = true }")
    assert [(t.precision, t.tops, t.tpp) for t in spec.throughput] == [
        ("fp16", 50, 800),
        ("fp8", 100, 800),
    ]
    assert compute(spec).notes == (
        "derived: sparse figures halved to dense (Technical Note 3): fp16, fp8",
    )


def test_metrics_built_by_hand_have_no_precision_and_no_notes() -> None:
    metrics = Metrics(
        tpp=Fraction(800),
        applicable_die_area_mm2=None,
        memory_bandwidth_gbs=None,
        io_bandwidth_gbs=Fraction(0),
        datacenter=True,
    )
    assert (metrics.tpp_precision, metrics.notes) == (None, ())


def test_a_throughput_built_by_hand_is_dense() -> None:
    assert Throughput("fp8", Fraction(100), 8, Fraction(800)).sparse_quoted is False


def _pipe(path: Path, data: bytes) -> threading.Thread:
    """A named pipe at path that a thread writes data into (a sheet that is no file).

    The writer holds the pipe open before the sheet is read: a FIFO with no writer yet
    reads as empty (the reader opens it without blocking), and a writer that opened it
    too late would wait for a reader forever. Opened read-write, the open returns at
    once on Linux, so the test waits for it instead of racing it.
    """
    os.mkfifo(path)
    opened = threading.Event()

    def write() -> None:
        descriptor = os.open(path, os.O_RDWR)
        opened.set()
        with open(descriptor, "wb") as handle:
            handle.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    assert opened.wait(10), "the writer never opened the pipe"
    return writer


def _joined(writer: threading.Thread) -> bool:
    writer.join(10)
    return not writer.is_alive()


def test_a_sheet_from_a_pipe_is_read_up_to_one_mib(tmp_path: Path) -> None:
    body = sheet().encode()
    exactly = body + b"#" * (MAX_SHEET_BYTES - len(body) - 1) + b"\n"
    writer = _pipe(tmp_path / "pipe.toml", exactly)
    assert load_sheet(tmp_path / "pipe.toml").id == "pinned"
    assert _joined(writer)


def test_a_pipe_of_more_than_one_mib_is_refused(tmp_path: Path) -> None:
    body = sheet().encode()
    writer = _pipe(tmp_path / "pipe.toml", body + b"#" * (MAX_SHEET_BYTES - len(body)) + b"\n")
    with pytest.raises(SheetError) as caught:
        load_sheet(tmp_path / "pipe.toml")
    assert _joined(writer)
    assert [p.message for p in caught.value.problems] == ["the sheet is over 1 MiB"]


def test_a_sheet_that_is_not_utf8_names_the_byte_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(sheet().encode() + b'\n[memory]\ntype = "HBM\xe9"\n')
    with pytest.raises(SheetError) as caught:
        load_sheet(path)
    (problem,) = caught.value.problems
    offset = len(sheet().encode()) + len(b'\n[memory]\ntype = "HBM')
    assert (problem.message, problem.line) == (
        f"not UTF-8 text (byte {offset}): save the sheet as UTF-8",
        14,
    )


def test_a_folder_given_as_a_sheet_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(SheetError) as caught:
        load_sheet(tmp_path)
    (problem,) = caught.value.problems
    assert problem.message == "cannot read: Is a directory"


def test_a_full_sheet_keeps_every_value_it_states() -> None:
    text = """\
format = "chipclass/1"

[chip]
id = "full-chip"
name = "Full Chip"
vendor = "Test"
variant_of = "base-chip"
datacenter = false
released = 2024-02-01
notes = "a note"
us_available = 2024-03-01
estimated = true
transistors_billion = "80000 million"

[performance]
fp8 = { tops = 592, sparse = true, note = "dense 296" }
bf16 = 148
tpp = 2368

[[die]]
name = "compute"
area_mm2 = 814
node = "4N"

[[die]]
name = "io"
area_mm2 = "1.5 cm2"
count = 2
non_planar = false

[memory]
type = "HBM3"
capacity_gb = "96 GB"
bandwidth_gbs = "4.0 TB/s"

[interconnect]
chip_to_chip_gbs = "900 GB/s"
host_gbs = "1 Tb/s"

[[source]]
url = "https://example.org/datasheet"
note = "the datasheet"
title = "Datasheet"
accessed = 2024-02-02

[expect]
label = "license-required"
edition = "us-2023-10"
min_margin_pct = 1.5
"""
    spec = parse_sheet(text, "full.toml")
    assert (spec.path, spec.id, spec.name, spec.vendor) == (
        "full.toml",
        "full-chip",
        "Full Chip",
        "Test",
    )
    assert (spec.variant_of, spec.datacenter, spec.notes) == ("base-chip", False, "a note")
    assert (spec.released, spec.us_available) == (dt.date(2024, 2, 1), dt.date(2024, 3, 1))
    assert (spec.estimated, spec.transistors_billion) == (True, 80)
    assert [(t.precision, t.tops, t.bits, t.tpp, t.sparse_quoted) for t in spec.throughput] == [
        ("bf16", 148, 16, 2368, False),
        ("fp8", 296, 8, 2368, True),
    ]
    assert spec.declared_tpp == 2368
    assert [(d.name, d.area_mm2, d.count, d.non_planar) for d in spec.dies] == [
        ("compute", 814, 1, True),
        ("io", 150, 2, False),
    ]
    assert (spec.memory_type, spec.memory_capacity_gb, spec.memory_bandwidth_gbs) == (
        "HBM3",
        96,
        4000,
    )
    assert (spec.chip_to_chip_gbs, spec.host_gbs) == (900, 125)
    assert [(s.url, s.note) for s in spec.sources] == [
        ("https://example.org/datasheet", "the datasheet")
    ]
    assert spec.expect == ("license-required", "us-2023-10", Fraction(3, 2))
    metrics = compute(spec)
    assert (metrics.tpp, metrics.tpp_precision) == (2368, "fp8")
    assert metrics.applicable_die_area_mm2 == 814  # the planar I/O dies do not count
    assert metrics.io_bandwidth_gbs == 1025


def test_a_sheet_never_sold_in_the_united_states_says_false() -> None:
    assert load(chip="us_available = false").us_available is False
    assert load().us_available is None


def test_unnamed_dies_are_named_by_their_place_and_a_source_may_lack_a_note() -> None:
    spec = load(rest=DIE + 'area_mm2 = 1\n[[die]]\narea_mm2 = 2\n[[source]]\nurl = "http://x.org"')
    assert [d.name for d in spec.dies] == ["d", "die 2"]
    assert [(s.url, s.note) for s in spec.sources] == [("http://x.org", "")]


def test_a_declared_tpp_that_disagrees_names_the_precision_that_sets_the_tpp() -> None:
    assert problems("fp16 = 10\nfp8 = 100\nint4 = 20\ntpp = 900") == [
        "pinned.toml:12: [performance] tpp: declared 900 disagrees with the throughput"
        " entries by more than 0.5 %: fp8 100 x 8 bits = 800 (fix the figures, or drop tpp)"
    ]


def test_a_time_of_day_is_not_a_number() -> None:
    assert problems("fp8 = 10:00:00") == [
        "pinned.toml:9: [performance] fp8: must be a number, not time"
    ]
