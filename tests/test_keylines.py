"""The one key-line locator (chipclass.keylines): every key's line is the line where the key
is written, for documents generated at random (checked by tomllib as valid TOML first) and
for the corners a hand-written file meets."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from chipclass.keylines import MAX_DEPTH, KeyLines, join, key_lines, key_name, nearest, parent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


# --------------------------------------------------------------------------- hand-made corners


def test_tables_arrays_of_tables_and_nested_arrays_of_tables() -> None:
    text = (
        'format = "x"\n'  # 1
        "[[entry]]\n"  # 2
        'id = "a"\n'  # 3
        "[[entry.related]]\n"  # 4
        'name = "r0"\n'  # 5
        "[[entry.related]]\n"  # 6
        'name = "r1"\n'  # 7
        "[entry.meta]\n"  # 8: a table inside the last [[entry]]
        "k = 1\n"  # 9
        "[[entry]]\n"  # 10
        "[[entry.related]]\n"  # 11: counted again from 0 inside the second entry
        'source = "s"\n'  # 12
    )
    assert key_lines(text) == {
        "format": 1,
        "entry[0]": 2,
        "entry[0].id": 3,
        "entry[0].related[0]": 4,
        "entry[0].related[0].name": 5,
        "entry[0].related[1]": 6,
        "entry[0].related[1].name": 7,
        "entry[0].meta": 8,
        "entry[0].meta.k": 9,
        "entry[1]": 10,
        "entry[1].related[0]": 11,
        "entry[1].related[0].source": 12,
    }


def test_dotted_and_quoted_keys_are_paths_as_messages_write_them() -> None:
    text = (
        '[ tool . "chip class" ]\n'  # 1
        'a.b."c.d" = 1\n'  # 2
        "'fp 8' = 2\n"  # 3
        '"bare" = 3\n'  # 4: a quoted key that is a bare key is the bare key
        '"tab\\there" = 4\n'  # 5: escapes are read
    )
    lines = key_lines(text)
    assert lines == {
        "tool": 1,
        'tool."chip class"': 1,
        'tool."chip class".a': 2,
        'tool."chip class".a.b': 2,
        'tool."chip class".a.b."c.d"': 2,
        'tool."chip class"."fp 8"': 3,
        'tool."chip class".bare': 4,
        'tool."chip class"."tab\\there"': 5,
    }
    assert join('tool."chip class"', "tab\there") in lines


def test_inline_arrays_and_tables_are_read_for_their_keys() -> None:
    text = (
        "[[clause]]\n"  # 1
        "conditions = [\n"  # 2
        '  { metric = "tpp", op = ">=" },  # a comment with "quotes" and = signs\n'  # 3
        "  # [not.a.table]\n"  # 4
        '  { metric = "x", op = "<",\n'  # 5
        "    threshold = 3 },\n"  # 6: an inline table over two lines (TOML 1.1)
        "]\n"  # 7
        'addressees = ["NVIDIA", "AMD"]\n'  # 8
        "grid = [[1, 2], [3]]\n"  # 9
    )
    lines = key_lines(text)
    assert lines["clause[0].conditions"] == 2
    assert lines["clause[0].conditions[0]"] == 3
    assert lines["clause[0].conditions[0].op"] == 3
    assert lines["clause[0].conditions[1].metric"] == 5
    assert lines["clause[0].conditions[1].threshold"] == 6
    assert lines["clause[0].addressees[1]"] == 8
    assert lines["clause[0].grid[0][1]"] == 9 and lines["clause[0].grid[1][0]"] == 9
    assert "not" not in lines and "not.a.table" not in lines


def test_strings_never_hold_keys_or_tables() -> None:
    text = (
        'a = "x = 1 # [b]"\n'  # 1
        'c = "an escaped \\" quote = 2"\n'  # 2
        'd = """\n'  # 3
        "e = 3\n"  # 4
        "[f]\n"  # 5
        '"""\n'  # 6
        "g = '''\n"  # 7
        '"""\n'  # 8: the other delimiter closes nothing
        "h = 4\n"  # 9
        "'''\n"  # 10
        'i = """two quotes before the end"""""\n'  # 11
        "j = 5\n"  # 12
    )
    assert key_lines(text) == {"a": 1, "c": 2, "d": 3, "g": 7, "i": 11, "j": 12}


def test_lines_are_counted_by_lf_as_the_parser_counts_them() -> None:
    text = 'a = 1\r\nb = "x\u2028y"\r\n[t]\r\nc = 2\r\n'
    assert key_lines(text) == {"a": 1, "b": 2, "t": 3, "t.c": 4}


def test_text_that_is_not_toml_gives_what_it_can_and_never_fails() -> None:
    assert key_lines("this is not toml\nx = 1\n[[[\n= = =\n]]\n'open\n\"open\n") == {"x": 2}
    deep = key_lines("a = " + "[" * 5000)
    assert deep == {"a": 1} | {"a" + "[0]" * n: 1 for n in range(1, MAX_DEPTH + 1)}
    assert key_lines('x = """never closed\ny = 1\n') == {"x": 1}


def test_parent_and_nearest_walk_up_a_path() -> None:
    assert parent("clause[2].conditions[0].threshold") == "clause[2].conditions[0]"
    assert parent("clause[2].conditions[0]") == "clause[2].conditions"
    assert parent('performance."fp.8"') == "performance"
    assert parent('"a.b"') == ""
    assert parent("id") == ""
    lines = {"clause[2]": 7, "clause[2].conditions[0]": 9}
    assert nearest(lines, "clause[2].conditions[0].threshold") == 9
    assert nearest(lines, "clause[2].text") == 7
    assert nearest(lines, "reach[0].id") is None
    assert KeyLines("[[clause]]\n[[clause]]\nid = 1\n").near("clause[1].text") == 2


def test_key_names_are_bare_or_json() -> None:
    assert key_name("area_mm2") == "area_mm2"
    assert key_name("fp 8") == '"fp 8"'
    assert key_name("\x1b[2J") == '"\\u001b[2J"'
    assert join("", "id") == "id" and join("chip", "a.b") == 'chip."a.b"'


def test_the_scan_waits_for_the_first_question() -> None:
    lines = KeyLines("a = 1\n")
    assert lines._found is None
    assert lines["a"] == 1 and len(lines) == 1 and list(lines) == ["a"]


# --------------------------------------------------------------------------- generated documents

_BARE = st.text("abcxyzAZ019_-", min_size=1, max_size=6)
_ANY_KEY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
_KEY = st.one_of(_BARE, _ANY_KEY)
#: text that would be a key, a table or a comment if the scan read inside strings
_TRAPS = ["x = 1", "[t]", "[[a]]", "# c", "k.j = 2", "{ y = 3 }"]


def _basic(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's; DEL must be escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _written(name: str, style: int) -> str:
    """A key as a file may write it: bare, literal ('...') or basic ("...")."""
    if style == 0 and key_name(name) == name:
        return name
    if style == 1 and "'" not in name and all(c == "\t" or 31 < ord(c) != 127 for c in name):
        return f"'{name}'"
    return _basic(name)


@dataclass
class _Doc:
    """A document being written, with the line each key path is expected on."""

    parts: list[str] = field(default_factory=list)
    line: int = 1
    expected: dict[str, int] = field(default_factory=dict)

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.line += text.count("\n")

    def expect(self, path: str) -> None:
        self.expected.setdefault(path, self.line)

    @property
    def text(self) -> str:
        return "".join(self.parts)


_SCALARS = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.booleans().map(lambda b: str(b).lower()),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str),
    st.text(max_size=8).map(_basic),
    st.sampled_from(_TRAPS).map(_basic),
    st.sampled_from(_TRAPS).map(lambda t: f"'{t}'"),
)


@st.composite
def _value(draw: st.DrawFn, doc: _Doc, path: str, depth: int) -> None:
    kinds = ["scalar", "multiline", "array", "table"] if depth < 3 else ["scalar"]
    kind = draw(st.sampled_from(kinds))
    if kind == "scalar":
        doc.write(draw(_SCALARS))
    elif kind == "multiline":
        quote = draw(st.sampled_from(['"""', "'''"]))
        body = draw(st.lists(st.sampled_from(_TRAPS), min_size=1, max_size=3))
        doc.write(quote + "\n" + "\n".join(body) + quote)
    elif kind == "table":
        doc.write("{ ")
        for n, name in enumerate(draw(st.lists(_KEY, max_size=3, unique=True))):
            doc.write(", " if n else "")
            doc.expect(join(path, name))
            doc.write(f"{_written(name, draw(st.integers(0, 2)))} = {draw(_SCALARS)}")
        doc.write(" }")
    else:
        spread = draw(st.booleans())
        doc.write("[")
        for index in range(draw(st.integers(0, 3))):
            doc.write("\n  " if spread else ", " if index else "")
            doc.expect(f"{path}[{index}]")
            draw(_value(doc, f"{path}[{index}]", depth + 1))
            if spread:
                doc.write("," + draw(st.sampled_from(["", "  # a comment = [x]"])))
        doc.write("\n]" if spread else "]")


@st.composite
def _key_values(draw: st.DrawFn, doc: _Doc, table: str, taken: frozenset[str]) -> None:
    names = draw(st.lists(_KEY.filter(lambda k: k not in taken), max_size=4, unique=True))
    for name in names:
        doc.write(draw(st.sampled_from(["", "", "\n", "# x = 1\n", "  # [t]\n"])))
        path = join(table, name)
        doc.expect(path)
        doc.write(_written(name, draw(st.integers(0, 2))))
        for part in draw(st.lists(_BARE, max_size=2, unique=True)):  # a dotted key
            path = join(path, part)
            doc.expect(path)
            doc.write(f".{part}")
        doc.write(" = ")
        draw(_value(doc, path, 0))
        doc.write("\n")


@st.composite
def documents(draw: st.DrawFn) -> _Doc:
    doc = _Doc()
    top = draw(st.lists(_KEY, max_size=3, unique=True))
    draw(_key_values(doc, "", frozenset(top)))
    for table in top:
        header = _written(table, draw(st.integers(0, 2)))
        if draw(st.booleans()):  # [table]
            doc.expect(join("", table))
            doc.write(f"[{header}]\n")
            draw(_key_values(doc, join("", table), frozenset()))
            continue
        children = draw(st.lists(_BARE, max_size=2, unique=True))
        for index in range(draw(st.integers(1, 3))):  # [[table]], each with [[table.child]]
            item = f"{join('', table)}[{index}]"
            doc.expect(item)
            doc.write(f"[[{header}]]\n")
            draw(_key_values(doc, item, frozenset(children)))
            for child in children:
                for sub in range(draw(st.integers(0, 2))):
                    path = f"{join(item, child)}[{sub}]"
                    doc.expect(path)
                    doc.write(f"[[ {header} . {child} ]]\n")
                    draw(_key_values(doc, path, frozenset()))
    return doc


@settings(max_examples=examples(200), deadline=None)
@given(documents())
def test_every_generated_key_is_found_on_the_line_it_is_written(doc: _Doc) -> None:
    tomllib.loads(doc.text)  # the generator writes TOML
    assert key_lines(doc.text) == doc.expected


@settings(max_examples=examples(200), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]{}=,.#\"'\\ \n\tab1")), max_size=80))
def test_any_text_is_scanned_without_failing(text: str) -> None:
    found = key_lines(text)
    last = text.count("\n") + 1
    assert all(1 <= line <= last for line in found.values())
