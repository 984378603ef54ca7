"""A JSON Schema (draft-04, the draft Taplo reads) of the chipclass/1 sheet, for editors.

TOML editors with schema support (Taplo / Even Better TOML, tombi, ...) validate and
complete a sheet against it, from a first line of `#:schema ./sheet.schema.json`.
The key names come from chipclass.spec's own lists, so the schema cannot drift from
what the parser accepts; the parser stays the judge (exact numbers, units, limits,
TPP consistency and every other rule are checked by chipclass, not by the schema).
"""

from __future__ import annotations

from typing import Any

from chipclass import spec


def _number(description: str, allow_zero: bool = False) -> dict[str, Any]:
    """A figure: a TOML number (above zero, or zero or more), or a string with a unit."""
    # draft-04 spelling (a boolean exclusiveMinimum)
    bound: dict[str, Any] = (
        {"minimum": 0} if allow_zero else {"minimum": 0, "exclusiveMinimum": True}
    )
    return {
        "description": description,
        "anyOf": [
            {"type": "number", **bound},
            {"type": "string", "description": 'with a unit, e.g. "4.0 TB/s", "814 mm2"'},
        ],
    }


def _note() -> dict[str, Any]:
    return {"type": "string", "description": "a remark on the figures"}


def _date(description: str) -> dict[str, Any]:
    # TOML dates reach a JSON validator as strings (RFC 3339 full-date)
    return {"type": "string", "format": "date", "description": description}


def _table(properties: dict[str, Any], keys: tuple[str, ...], **more: Any) -> dict[str, Any]:
    missing = set(keys) - set(properties)
    extra = set(properties) - set(keys)
    if missing or extra:  # a key list in chipclass.spec changed: say so, never guess
        raise AssertionError(f"schema out of step with chipclass.spec: {missing or extra}")
    return {
        "type": "object",
        "properties": {k: properties[k] for k in keys},
        "additionalProperties": False,
        **more,
    }


def sheet_schema() -> dict[str, Any]:
    chip_id = {"type": "string", "pattern": "^" + spec._ID.pattern + "$"}
    throughput_entry = _table(
        {
            "tops": _number("dense peak TOPS (or TFLOPS)"),
            "bits": {"type": "integer", "minimum": 1, "maximum": 1024},
            "sparse": {
                "type": "boolean",
                "description": "the figure is quoted with sparsity (halved to the dense one)",
            },
            "note": _note(),
        },
        spec._ENTRY_KEYS,
        required=["tops"],
    )
    performance = {
        "type": "object",
        "description": "dense peak throughput per precision, TOPS; or tpp",
        "properties": {
            "tpp": _number("a published TPP (checked against the throughput)"),
            **{
                name: {"anyOf": [_number(f"{name}: {bits}-bit dense TOPS"), throughput_entry]}
                for name, bits in spec.KNOWN_BITS.items()
            },
        },
        "patternProperties": {
            spec._PRECISION_NAME.pattern: {"anyOf": [_number("dense TOPS"), throughput_entry]}
        },
        "additionalProperties": False,
        "minProperties": 1,
    }
    chip = _table(
        {
            "id": {**chip_id, "description": "unique across a catalog"},
            "name": {"type": "string"},
            "vendor": {"type": "string"},
            "variant_of": {**chip_id, "description": "the id of the part this one was cut from"},
            "datacenter": {"type": "boolean", "default": True},
            "released": _date("the release date"),
            "notes": {"type": "string"},
            "us_available": {
                "description": "the date the part was first available in the United States,"
                " or false if it never was",
                "anyOf": [_date("first available in the US"), {"enum": [False]}],
            },
            "estimated": {"type": "boolean", "default": False},
            "transistors_billion": _number("transistor count, billions"),
        },
        spec._CHIP_KEYS,
        required=["id", "name", "vendor"],
    )
    die = _table(
        {
            "name": {"type": "string"},
            "area_mm2": _number("die area, mm²"),
            "count": {"type": "integer", "minimum": 1, "default": 1},
            "non_planar": {"type": "boolean", "default": True},
            "node": {"type": "string", "description": 'the process node, e.g. "TSMC 4N"'},
            "note": _note(),
        },
        spec._DIE_KEYS,
        required=["area_mm2"],
    )
    memory = _table(
        {
            "type": {"type": "string"},
            "capacity_gb": _number("capacity, GB"),
            "bandwidth_gbs": _number("DRAM bandwidth, GB/s", allow_zero=True),
            "note": _note(),
        },
        spec._MEMORY_KEYS,
    )
    interconnect = _table(
        {
            "chip_to_chip_gbs": _number("aggregate bidirectional, GB/s", allow_zero=True),
            "host_gbs": _number("PCIe / CXL host link, GB/s", allow_zero=True),
            "note": _note(),
        },
        spec._IO_KEYS,
    )
    source = _table(
        {
            "url": {"type": "string", "format": "uri"},
            "note": {"type": "string"},
            "title": {"type": "string"},
            "accessed": _date("the date the page was read"),
        },
        spec._SOURCE_KEYS,
    )
    expect = _table(
        {
            "label": {"enum": ["exportable", "license-required", "restricted"]},
            "edition": {"type": "string"},
            "min_margin_pct": {"type": "number", "minimum": 0},
        },
        spec._EXPECT_KEYS,
    )
    top = _table(
        {
            "format": {"enum": [spec.FORMAT]},
            "chip": chip,
            "performance": performance,
            "die": {"type": "array", "items": die},
            "memory": memory,
            "interconnect": interconnect,
            "source": {"type": "array", "items": source},
            "expect": expect,
        },
        spec._TOP_KEYS,
        required=["format", "chip", "performance"],
    )
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": f"chipclass spec sheet ({spec.FORMAT})",
        "description": "One chip per file. chipclass itself is the judge: exact figures,"
        " units, limits and TPP consistency are checked by `chipclass classify`.",
        **top,
    }
