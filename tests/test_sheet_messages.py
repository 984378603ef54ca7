# ruff: noqa: E501  (the table below holds whole sheets and whole messages, one a line)
"""Every message a broken sheet can get, pinned word for word: the file, the line, the key
as the sheet writes it ([chip] id, [[die]] #2 area_mm2), what is wrong and what would be
right. A message checked only for a fragment would pass with its words changed around the
fragment; these are compared whole."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from chipclass.files import load_sheet, read_sheet_text
from chipclass.keylines import KeyLines
from chipclass.spec import Problem, SheetError, not_a_sheet, parse_sheet

# (sheet text, every problem in it, in the order reported)
MESSAGES = [
    pytest.param(
        '[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n',
        ['m.toml: format: is required: format = "chipclass/1"'],
        id="format-missing",
    ),
    pytest.param(
        'format = "chipclass/2"\n[performance]\nfp8 = 100\n',
        [
            "m.toml:1: format: 'chipclass/2' is not a known format (this chipclass reads \"chipclass/1\")"
        ],
        id="format-unknown",
    ),
    pytest.param(
        'format = "ruff/1"\n[performance]\nfp8 = 100\n',
        [
            "m.toml:1: format: 'ruff/1' is not a chipclass format (this chipclass reads \"chipclass/1\")"
        ],
        id="format-foreign",
    ),
    pytest.param(
        "format = 1\n[performance]\nfp8 = 100\n",
        ['m.toml:1: format: 1 is not a chipclass format (this chipclass reads "chipclass/1")'],
        id="format-not-a-string",
    ),
    pytest.param(
        'format = "chipclass/1"\nmemroy = 1\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n',
        [
            "m.toml:2: memroy: unknown key (did you mean 'memory'?); allowed here: format, chip, performance, die, memory, interconnect, source, expect"
        ],
        id="top-key-typo",
    ),
    pytest.param(
        'format = "chipclass/1"\nchip = 1\n[performance]\nfp8 = 100\n',
        [
            "m.toml:2: chip: must be a table ([chip]), not a number (1)",
            "m.toml:2: [chip] id: is required (a string)",
            "m.toml:2: [chip] name: is required (a string)",
            "m.toml:2: [chip] vendor: is required (a string)",
        ],
        id="chip-not-table",
    ),
    pytest.param(
        'format = "chipclass/1"\n[performance]\nfp8 = 100\n',
        [
            "m.toml: chip: the [chip] table is required",
            "m.toml: [chip] id: is required (a string)",
            "m.toml: [chip] name: is required (a string)",
            "m.toml: [chip] vendor: is required (a string)",
        ],
        id="chip-missing",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = 7\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n',
        ["m.toml:3: [chip] id: must be a string, not a number (7)"],
        id="chip-id-number",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "Big Chip"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n',
        ["m.toml:3: [chip] id: 'Big Chip' must match [a-z0-9][a-z0-9.-]* (e.g. nvidia-h20)"],
        id="chip-id-bad",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "  "\nvendor = "V"\n[performance]\nfp8 = 100\n',
        ["m.toml:4: [chip] name: must not be empty"],
        id="chip-name-blank",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\nvariant_of = "Other Chip"\n[performance]\nfp8 = 100\n',
        ["m.toml:6: [chip] variant_of: 'Other Chip' is not a chip id"],
        id="variant-bad",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\nvariant_of = "m"\n[performance]\nfp8 = 100\n',
        ["m.toml:6: [chip] variant_of: a chip cannot be a variant of itself"],
        id="variant-self",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\ndatacenter = "yes"\n[performance]\nfp8 = 100\n',
        ["m.toml:6: [chip] datacenter: must be true or false, not a string ('yes')"],
        id="datacenter-string",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\nreleased = "2024"\n[performance]\nfp8 = 100\n',
        [
            "m.toml:6: [chip] released: must be a TOML date such as 2024-02-01, not a string ('2024')"
        ],
        id="released-string",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\nreleased = 2024-01-01T10:00:00\n[performance]\nfp8 = 100\n',
        ["m.toml:6: [chip] released: must be a TOML date such as 2024-02-01, not a date-time"],
        id="released-datetime",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\nus_available = true\n[performance]\nfp8 = 100\n',
        [
            "m.toml:6: [chip] us_available: must be the TOML date the part was first commercially available in the United States (e.g. 2022-03-22), or false if it never was; not a boolean (true)"
        ],
        id="us-available-true",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\nestimated = 1\n[performance]\nfp8 = 100\n',
        ["m.toml:6: [chip] estimated: must be true or false, not a number (1)"],
        id="estimated-number",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\nnotes = { a = 1 }\n[performance]\nfp8 = 100\n',
        ["m.toml:6: [chip] notes: must be a string, not a table"],
        id="notes-table",
    ),
    pytest.param(
        'format = "chipclass/1"\nperformance = 5\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n',
        ["m.toml:2: performance: must be a table ([performance]), not a number (5)"],
        id="perf-not-table",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\n',
        ["m.toml:6: performance: needs at least one throughput entry (e.g. fp8 = 296) or tpp"],
        id="perf-empty",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nFP8 = 100\n',
        [
            "m.toml:7: [performance] FP8: a precision name is lower-case letters, digits and '_' (e.g. fp8)"
        ],
        id="precision-name",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = { bits = 8 }\n',
        ["m.toml:7: [performance] fp8: an entry table needs tops (e.g. { tops = 100, bits = 12 })"],
        id="entry-no-tops",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = { tops = 1, bitz = 8 }\n',
        [
            "m.toml:7: [performance] fp8.bitz: unknown key (did you mean 'bits'?); allowed here: tops, bits, sparse, note"
        ],
        id="entry-unknown-key",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp12 = { tops = 1, bits = "12" }\n',
        ["m.toml:7: [performance] fp12.bits: must be a whole number, not a string ('12')"],
        id="entry-bits-string",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp12 = { tops = 1, bits = true }\n',
        ["m.toml:7: [performance] fp12.bits: must be a whole number, not a boolean (true)"],
        id="entry-bits-bool",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = true\n',
        ["m.toml:7: [performance] fp8: must be a number, not a boolean (true)"],
        id="tops-bool",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = [1]\n',
        ["m.toml:7: [performance] fp8: must be a number, not an array"],
        id="tops-array",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 2024-01-01\n',
        ["m.toml:7: [performance] fp8: must be a number, not a date"],
        id="tops-date",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = "100 TB/s"\n',
        [
            "m.toml:7: [performance] fp8: '100 TB/s': unknown throughput unit 'TB/s' (known: TOPS, TFLOPS, TFLOP/s, TOP/s, POPS, PFLOPS, PFLOP/s, GOPS, GFLOPS, GFLOP/s; try \"296 TFLOPS\" or \"296 TOPS\")"
        ],
        id="tops-unit",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = { tops = 1, sparse = "yes" }\n',
        ["m.toml:7: [performance] fp8.sparse: must be true or false, not a string ('yes')"],
        id="sparse-string",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[die]\narea_mm2 = 1\n',
        ["m.toml:8: [[die]]: dies are an array of tables: write [[die]], one per logic die kind"],
        id="die-table",
    ),
    pytest.param(
        'format = "chipclass/1"\ndie = [1]\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n',
        ["m.toml:2: [[die]] #1: must be a table, not a number (1)"],
        id="die-item-number",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[die]]\nname = "x"\n',
        ["m.toml:8: [[die]] #1 area_mm2: is required (the die's area in mm^2)"],
        id="die-no-area",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[die]]\narea_mm2 = 1\nsize = 2\n',
        [
            "m.toml:10: [[die]] #1 size: unknown key; allowed here: name, area_mm2, count, non_planar, node, note"
        ],
        id="die-unknown",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[die]]\narea_mm2 = 1\ncount = 1.5\n',
        ["m.toml:10: [[die]] #1 count: must be a whole number, not a number (1.5)"],
        id="die-count-float",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[die]]\narea_mm2 = 1\nnon_planar = "no"\n',
        ["m.toml:10: [[die]] #1 non_planar: must be true or false, not a string ('no')"],
        id="die-planar-string",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[die]]\narea_mm2 = 1\n[[die]]\narea_mm2 = -1\n',
        ["m.toml:11: [[die]] #2 area_mm2: must be above zero, not -1"],
        id="die-second",
    ),
    pytest.param(
        'format = "chipclass/1"\nmemory = "HBM"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n',
        ["m.toml:2: memory: must be a table ([memory]), not a string ('HBM')"],
        id="memory-not-table",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[memory]\ntype = 3\n',
        ["m.toml:9: [memory] type: must be a string, not a number (3)"],
        id="memory-type-number",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[memory]\nbandwith_gbs = 3\n',
        [
            "m.toml:9: [memory] bandwith_gbs: unknown key (did you mean 'bandwidth_gbs'?); allowed here: type, capacity_gb, bandwidth_gbs, note"
        ],
        id="memory-unknown",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[interconnect]\nnvlink = 3\n',
        [
            "m.toml:9: [interconnect] nvlink: unknown key; allowed here: chip_to_chip_gbs, host_gbs, note"
        ],
        id="io-unknown",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[source]\nurl = "https://x.org"\n',
        [
            "m.toml:8: [[source]]: sources are an array of tables: write [[source]] with url and note"
        ],
        id="source-table",
    ),
    pytest.param(
        'format = "chipclass/1"\nsource = ["https://x.org"]\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n',
        ["m.toml:2: [[source]] #1: must be a table, not a string ('https://x.org')"],
        id="source-item-string",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[source]]\nnote = "n"\n',
        ["m.toml:8: [[source]] #1 url: is required (a string)"],
        id="source-no-url",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[source]]\nurl = "ftp://x.org"\n',
        ["m.toml:9: [[source]] #1 url: 'ftp://x.org' is not an http(s) URL"],
        id="source-bad-url",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[source]]\nurl = "https://x.org"\naccessed = "yesterday"\n',
        [
            "m.toml:10: [[source]] #1 accessed: must be a date (2024-02-01), not a string ('yesterday')"
        ],
        id="source-accessed",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[[source]]\nurl = "https://x.org"\nlink = "y"\n',
        ["m.toml:10: [[source]] #1 link: unknown key; allowed here: url, note, title, accessed"],
        id="source-unknown",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[expect]\nlabel = "banned"\n',
        [
            "m.toml:9: [expect] label: 'banned' is not a label (exportable, license-required, restricted)"
        ],
        id="expect-label",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[expect]\nlabels = "restricted"\n',
        [
            "m.toml:9: [expect] labels: unknown key (did you mean 'label'?); allowed here: label, edition, min_margin_pct"
        ],
        id="expect-unknown",
    ),
    pytest.param(
        'format = "chipclass/1"\nexpect = 1\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n',
        ["m.toml:2: expect: must be a table ([expect]), not a number (1)"],
        id="expect-not-table",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\nx = = 1\n',
        ["m.toml:8: not valid TOML: Invalid value (at line 8, column 5) in 'x = = 1'"],
        id="toml-error",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\nthis_is_a_very_long_key_name_for_a_value = "and a long value here" junk\n',
        [
            "m.toml:8: not valid TOML: Expected newline or end of document after a statement (at line 8, column 68) in 'this_is_a_very_long_key_name_for_a_value = \"and a long va...'"
        ],
        id="toml-error-long",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 100\n[memory\n',
        [
            "m.toml:8: not valid TOML: Expected ']' at the end of a table declaration (at line 8, column 8) in '[memory'"
        ],
        id="toml-eof",
    ),
    pytest.param(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\n[performance]\nfp8 = -1\n[memory]\ncapacity_gb = "1 furlong"\n',
        [
            "m.toml:2: [chip] vendor: is required (a string)",
            "m.toml:6: [performance] fp8: must be above zero, not -1",
            "m.toml:8: [memory] capacity_gb: '1 furlong': unknown capacity unit 'furlong' (known: GB, TB, GiB; try \"96 GB\")",
        ],
        id="many",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MESSAGES)
def test_each_broken_sheet_gets_exactly_these_messages(text: str, expected: list[str]) -> None:
    with pytest.raises(SheetError) as caught:
        parse_sheet(text, "m.toml")
    assert [str(p) for p in caught.value.problems] == expected
    assert str(caught.value) == "\n".join(expected)


@pytest.mark.parametrize(
    ("fmt", "foreign"),
    [(None, True), ('"ruff/1"', True), ("1", True), ('"chipclass/2"', False)],
)
def test_toml_of_another_format_is_not_a_sheet_and_a_later_chipclass_one_is(
    fmt: str | None, foreign: bool
) -> None:
    # a folder walk skips another tool's TOML (no format, or another one), and reports
    # a chipclass sheet of a format this chipclass does not read
    head = f"format = {fmt}\n" if fmt is not None else ""
    with pytest.raises(SheetError) as caught:
        parse_sheet(head + "[performance]\nfp8 = 100\n", "m.toml")
    assert not_a_sheet(caught.value.problems) is foreign


def test_a_problem_without_a_key_or_a_line_is_the_file_and_the_message() -> None:
    assert str(Problem("a.toml", "the sheet is over 1 MiB")) == "a.toml: the sheet is over 1 MiB"
    assert str(Problem("a.toml", "bad", None, 3)) == "a.toml:3: bad"
    assert str(Problem("a.toml", "bad", "[chip] id")) == "a.toml: [chip] id: bad"
    assert str(Problem("a.toml", "bad", "[chip] id", 3)) == "a.toml:3: [chip] id: bad"


def test_key_lines_find_tables_keys_and_array_items_after_a_multiline_string() -> None:
    text = (
        'format = "chipclass/1"\n'  # 1
        "[chip]\n"  # 2
        'notes = """\n'  # 3
        "id = not a key, inside the string\n"  # 4
        '"""\n'  # 5
        'id = "x"\n'  # 6
        "[[die]]\n"  # 7
        "area_mm2 = 1\n"  # 8
        '[[ "die" ]]\n'  # 9
        "area_mm2 = 2\n"  # 10
        "  [memory]  \n"  # 11
        "  capacity_gb = 3\n"  # 12
        "notes2 = '''one line'''\n"  # 13
    )
    lines = KeyLines(text)
    assert dict(lines) == {
        "format": 1,
        "chip": 2,
        "chip.notes": 3,
        "chip.id": 6,
        "die[0]": 7,
        "die[0].area_mm2": 8,
        "die[1]": 9,
        "die[1].area_mm2": 10,
        "memory": 11,
        "memory.capacity_gb": 12,
        "memory.notes2": 13,
    }
    assert len(lines) == 11
    assert list(lines)[:2] == ["format", "chip"]
    assert lines["chip.id"] == 6


def test_two_sheets_alike_but_for_their_layout_are_equal() -> None:
    text = 'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n[performance]\nfp8 = 1\n'
    spread = text.replace("[chip]\n", "# a comment\n\n[chip]\n\n")
    one, two = parse_sheet(text, "m.toml"), parse_sheet(spread, "m.toml")
    assert one.line_of("chip.id") == 3 and two.line_of("chip.id") == 6
    assert one == two and hash(one) == hash(two)
    assert not one != two  # noqa: SIM202  (!= is its own method, and must agree with ==)
    assert pickle.loads(pickle.dumps(two)) == one
    assert pickle.loads(pickle.dumps(two)).line_of("chip.id") == 6
    assert one != parse_sheet(text.replace("fp8 = 1", "fp8 = 2"), "m.toml")


def test_a_sheet_names_where_each_key_is() -> None:
    spec = parse_sheet(
        'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n'
        "[performance]\nfp8 = 100\n[memory]\nbandwidth_gbs = 4000\n",
        "m.toml",
    )
    assert spec.line_of("chip.id") == 3
    assert spec.line_of("performance.fp8") == 7
    assert spec.line_of("memory.bandwidth_gbs") == 9
    assert spec.line_of("interconnect.host_gbs") is None


# (sheet text, the one problem): TOML that does not parse, with the line and the statement
TOML_ERRORS = [
    (
        'format = "chipclass/1"\nx = [1,\n',
        "e.toml:2: not valid TOML: Invalid value (at end of document) in 'x = [1,'",
    ),
    (  # at the end of the document: the last line that is not blank
        "x = [1,\n\n\n",
        "e.toml:1: not valid TOML: Invalid value (at end of document) in 'x = [1,'",
    ),
    (
        'x = "abc',
        """e.toml:1: not valid TOML: Unterminated string (at end of document) in 'x = "abc'""",
    ),
    (
        'x = """\nabc\n',
        "e.toml:2: not valid TOML: Unterminated string (at end of document) in 'abc'",
    ),
    (  # lines are counted by LF alone, as the parser counts them
        "a = 1\r\nb = = 2\r\n",
        "e.toml:2: not valid TOML: Invalid value (at line 2, column 5) in 'b = = 2'",
    ),
    (
        "x = 1\ny = " + "[" * 1000 + "]" * 1000,
        "e.toml: not usable TOML: values are nested too deeply",
    ),
    (
        "x = " + "9" * 5000,
        "e.toml:1: x: a number of 5000 digits: far past any figure a sheet can hold",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TOML_ERRORS)
def test_toml_that_does_not_parse_is_one_problem_with_its_line(text: str, expected: str) -> None:
    with pytest.raises(SheetError) as caught:
        parse_sheet(text, "e.toml")
    assert [str(p) for p in caught.value.problems] == [expected]


def test_an_empty_sheet_names_every_required_part() -> None:
    with pytest.raises(SheetError) as caught:
        parse_sheet("\n\n", "e.toml")
    assert [str(p) for p in caught.value.problems] == [
        'e.toml: format: is required: format = "chipclass/1"',
        "e.toml: chip: the [chip] table is required",
        "e.toml: [chip] id: is required (a string)",
        "e.toml: [chip] name: is required (a string)",
        "e.toml: [chip] vendor: is required (a string)",
        "e.toml: performance: the [performance] table is required",
    ]


def test_key_lines_see_through_literal_strings_and_quotes_in_comments() -> None:
    text = (
        "[chip]\n"  # 1
        "notes = '''\n"  # 2: a multi-line literal string opens
        "id = not a key\n"  # 3
        "'''\n"  # 4: and closes
        'id = "x"\n'  # 5
        "name = '''one''' # and '''two'''\n"  # 6: four quotes: no string left open
        'vendor = """a""" # and """b"""\n'  # 7: four quotes again
        "released = 2024-01-01\n"  # 8
        "note = '''one line'''\n"  # 9: two quotes: closed on its own line
        "estimated = true\n"  # 10
    )
    assert dict(KeyLines(text)) == {
        "chip": 1,
        "chip.notes": 2,
        "chip.id": 5,
        "chip.name": 6,
        "chip.vendor": 7,
        "chip.released": 8,
        "chip.note": 9,
        "chip.estimated": 10,
    }


def test_an_unknown_table_is_named_with_its_line() -> None:
    text = 'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n'
    text += '[performance]\nfp8 = 100\n[Xtra]\nkey = 1\n["quoted"]\nkey = 2\n'
    with pytest.raises(SheetError) as caught:
        parse_sheet(text, "m.toml")
    allowed = "format, chip, performance, die, memory, interconnect, source, expect"
    assert [str(p) for p in caught.value.problems] == [
        f"m.toml:8: Xtra: unknown key; allowed here: {allowed}",
        f"m.toml:10: quoted: unknown key; allowed here: {allowed}",
    ]


HEAD = 'format = "chipclass/1"\n[chip]\nid = "m"\nname = "M"\nvendor = "V"\n'
FORTY = "1234567891" * 4  # forty significant digits


def _problems(text: str) -> list[str]:
    with pytest.raises(SheetError) as caught:
        parse_sheet(text, "m.toml")
    return [str(p) for p in caught.value.problems]


def test_a_quoted_key_with_a_dot_is_named_as_written_with_its_line() -> None:
    text = 'format = "chipclass/1"\n"a.b" = 1\n' + HEAD.split("\n", 1)[1] + "[performance]\nfp8 = 1"
    assert _problems(text) == [
        'm.toml:2: "a.b": unknown key; allowed here: format, chip, performance, die, memory,'
        " interconnect, source, expect"
    ]


@pytest.mark.parametrize("exponent", ["e39", "e40"])
def test_too_many_digits_at_an_exponent_of_forty_is_about_the_digits(exponent: str) -> None:
    # 41 significant digits at 10**40: the digits are what is wrong, not the size
    assert _problems(HEAD + f"[performance]\nfp8 = 1.{FORTY}{exponent}\n") == [
        "m.toml:7: [performance] fp8: has more than 40 significant digits"
    ]


def test_a_string_in_a_message_is_quoted_whole_up_to_sixty_characters() -> None:
    sixty, sixty_one = "y" * 60, "z" * 61
    assert _problems(HEAD + f'datacenter = "{sixty}"\n[performance]\nfp8 = 1\n') == [
        f"m.toml:6: [chip] datacenter: must be true or false, not a string ({sixty!r})"
    ]
    assert _problems(HEAD + f'datacenter = "{sixty_one}"\n[performance]\nfp8 = 1\n') == [
        f"m.toml:6: [chip] datacenter: must be true or false, not a string ({'z' * 57!r}...)"
    ]


def test_a_declared_tpp_may_carry_a_unit_and_may_come_first() -> None:
    assert parse_sheet(HEAD + '[performance]\ntpp = "2.368 POPS"\n', "m.toml").declared_tpp == 2368
    spec = parse_sheet(HEAD + "[performance]\ntpp = 800\nfp8 = 100\n", "m.toml")
    assert (spec.declared_tpp, [(t.precision, t.tpp) for t in spec.throughput]) == (
        800,
        [("fp8", 800)],
    )


def test_an_entry_table_reads_tops_with_a_unit_and_names_tops_in_its_message() -> None:
    spec = parse_sheet(HEAD + '[performance]\nfp8 = { tops = "0.1 POPS" }\n', "m.toml")
    assert [(t.precision, t.tops) for t in spec.throughput] == [("fp8", 100)]
    assert _problems(HEAD + "[performance]\nfp8 = { tops = -1 }\n") == [
        "m.toml:7: [performance] fp8.tops: must be above zero, not -1"
    ]


def test_every_entry_and_every_die_is_checked_past_a_bad_one() -> None:
    assert _problems(HEAD + "[performance]\nFP8 = 1\nfp16 = -1\n") == [
        "m.toml:7: [performance] FP8: a precision name is lower-case letters, digits and '_'"
        " (e.g. fp8)",
        "m.toml:8: [performance] fp16: must be above zero, not -1",
    ]
    text = 'format = "chipclass/1"\ndie = [1, { area_mm2 = -1 }]\n' + HEAD.split("\n", 1)[1]
    assert _problems(text + "[performance]\nfp8 = 1\n") == [
        "m.toml:2: [[die]] #1: must be a table, not a number (1)",
        "m.toml:2: [[die]] #2 area_mm2: must be above zero, not -1",
    ]


def test_a_die_node_and_note_are_strings() -> None:
    text = HEAD + "[performance]\nfp8 = 1\n[[die]]\narea_mm2 = 1\nnode = 5\nnote = 6\n"
    assert _problems(text) == [
        "m.toml:10: [[die]] #1 node: must be a string, not a number (5)",
        "m.toml:11: [[die]] #1 note: must be a string, not a number (6)",
    ]


def test_every_note_title_and_edition_is_a_string() -> None:
    text = HEAD + (
        "[performance]\nfp8 = 1\n[memory]\nnote = 5\n[interconnect]\nnote = 6\n"
        '[[source]]\nurl = "https://x.org"\ntitle = 7\nnote = 8\n[expect]\nedition = 9\n'
    )
    assert _problems(text) == [
        "m.toml:9: [memory] note: must be a string, not a number (5)",
        "m.toml:11: [interconnect] note: must be a string, not a number (6)",
        "m.toml:15: [[source]] #1 note: must be a string, not a number (8)",
        "m.toml:14: [[source]] #1 title: must be a string, not a number (7)",
        "m.toml:17: [expect] edition: must be a string, not a number (9)",
    ]


def test_every_source_is_checked_past_a_bad_one_and_the_good_ones_kept() -> None:
    text = HEAD + '[performance]\nfp8 = 1\n[[source]]\nurl = "ftp://a"\n[[source]]\n'
    text += 'url = "https://y.org"\naccessed = 2024-01-01T00:00:00\n'
    assert _problems(text) == [
        "m.toml:9: [[source]] #1 url: 'ftp://a' is not an http(s) URL",
        "m.toml:12: [[source]] #2 accessed: must be a date (2024-02-01), not a date-time",
    ]
    text = HEAD + '[performance]\nfp8 = 1\n[[source]]\nurl = "https://a.org"\n[[source]]\n'
    text += 'url = "https://b.org"\nnote = "b"\naccessed = 2024-01-01\n'
    assert [(s.url, s.note) for s in parse_sheet(text, "m.toml").sources] == [
        ("https://a.org", ""),
        ("https://b.org", "b"),
    ]


def test_a_die_without_an_area_does_not_stop_the_next_die_being_checked() -> None:
    text = HEAD + '[performance]\nfp8 = 1\n[[die]]\nname = "x"\n[[die]]\narea_mm2 = -1\n'
    assert _problems(text) == [
        "m.toml:8: [[die]] #1 area_mm2: is required (the die's area in mm^2)",
        "m.toml:11: [[die]] #2 area_mm2: must be above zero, not -1",
    ]


def test_a_source_that_is_not_a_table_does_not_stop_the_next_being_checked() -> None:
    text = 'format = "chipclass/1"\nsource = [1, { url = "ftp://x" }]\n' + HEAD.split("\n", 1)[1]
    assert _problems(text + "[performance]\nfp8 = 1\n") == [
        "m.toml:2: [[source]] #1: must be a table, not a number (1)",
        "m.toml:2: [[source]] #2 url: 'ftp://x' is not an http(s) URL",
    ]


def test_an_expected_label_is_a_string() -> None:
    assert _problems(HEAD + "[performance]\nfp8 = 1\n[expect]\nlabel = 5\n") == [
        "m.toml:9: [expect] label: must be a string, not a number (5)"
    ]


def test_a_toml_error_on_a_line_with_nothing_to_quote_quotes_nothing() -> None:
    assert _problems("\r") == ["m.toml:1: not valid TOML: Invalid statement (at line 1, column 1)"]


@pytest.mark.parametrize(("width", "cut"), [(60, False), (61, True)])
def test_the_statement_of_a_toml_error_is_quoted_whole_up_to_sixty(width: int, cut: bool) -> None:
    statement = "x" * (width - 6) + " = = 1"
    assert len(statement) == width
    shown = statement[:57] + "..." if cut else statement
    assert _problems(HEAD + f"[performance]\nfp8 = 1\n{statement}\n") == [
        f"m.toml:8: not valid TOML: Invalid value (at line 8, column {width - 2}) in {shown!r}"
    ]


def test_text_with_a_lone_surrogate_is_measured_without_an_error() -> None:
    # a str from the API (a file is decoded strictly as UTF-8, so it cannot hold one)
    text = HEAD + 'notes = "\ud800"\n[performance]\nfp8 = 1\n'
    assert parse_sheet(text, "m.toml").notes == "\ud800"


def test_an_unreadable_path_is_named_by_the_reader_itself(tmp_path: Path) -> None:
    with pytest.raises(SheetError) as caught:
        read_sheet_text(tmp_path / "missing.toml")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path}/missing.toml: cannot read: No such file or directory"
    ]


def test_a_bad_byte_after_a_leading_blank_line_is_on_line_two(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(b"\n\xff")
    with pytest.raises(SheetError) as caught:
        load_sheet(path)
    assert [(p.message, p.line) for p in caught.value.problems] == [
        ("not UTF-8 text (byte 1): save the sheet as UTF-8", 2)
    ]


def test_variant_of_is_a_string_and_estimated_is_false_unless_said() -> None:
    assert _problems(HEAD + "variant_of = 5\n[performance]\nfp8 = 1\n") == [
        "m.toml:6: [chip] variant_of: must be a string, not a number (5)"
    ]
    assert parse_sheet(HEAD + "[performance]\nfp8 = 1\n", "m.toml").estimated is False


def test_key_lines_close_a_string_on_a_line_with_three_triple_quotes() -> None:
    text = (
        "[chip]\n"  # 1
        "notes = '''\n"  # 2: a literal string opens
        "''' # closed, and '''a comment'''\n"  # 3: three quotes: it closes here
        "id = 1\n"  # 4
        'name = """\n'  # 5: a basic string opens
        '""" # closed, and """a comment"""\n'  # 6: three quotes: it closes here
        "vendor = 2\n"  # 7
    )
    assert dict(KeyLines(text)) == {
        "chip": 1,
        "chip.notes": 2,
        "chip.id": 4,
        "chip.name": 5,
        "chip.vendor": 7,
    }
