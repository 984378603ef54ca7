"""Where each key of a TOML document is written: the one line finder for messages.

TOML parsers do not report positions, so a light scan of the text maps every key path to
the 1-based line where it is first written:

  "format"                          a top-level key
  "chip.id"                         a key of a table ([chip], or a dotted key chip.id)
  "clause[2]"                       the third [[clause]] (0-based), at its header
  "clause[2].conditions[0].metric"  a key of the first inline table of an array
  "entry[3].related[0].source"      arrays of tables nested at any depth ([[entry.related]])
  'performance."fp 8"'              a key that is not a bare TOML key, as a JSON string

The scan reads tables and arrays of tables, dotted and quoted keys, inline tables and
arrays (their items are `key[0]`, `key[1]`, ...), the four kinds of string (multi-line
ones included) and comments. It is only used to point at lines in messages and
annotations, never to read values; on text that is not TOML it finds what it can.
Lines are counted by LF alone, as the TOML parser counts them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Final, NamedTuple

#: the patterns are compiled on first use (by re's own cache): most runs never scan a file
_BARE: Final = r"[A-Za-z0-9_-]+"
#: inline arrays and tables nested deeper than this are stepped over, their keys not kept
#: (no file the TOML parser reads nests so deep; a hostile one would make long paths)
MAX_DEPTH: Final = 64

_TOKEN: Final = r"""
     (?P<nl>\r?\n)
    |(?P<ws>[ \t]+)
    |(?P<comment>\#[^\n]*)
    |(?P<mlbasic>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:"{3,5}|\Z))
    |(?P<mlliteral>'''(?:[^']|'(?!''))*(?:'{3,5}|\Z))
    |(?P<basic>"(?:[^"\\\n]|\\[^\n])*(?:"|(?=\n)|\Z))
    |(?P<literal>'[^'\n]*(?:'|(?=\n)|\Z))
    |(?P<punct>[\[\]{}=,.])
    |(?P<word>[^\s\[\]{}=,\#"'.]+)
    |(?P<other>.)
    """
_ESCAPE: Final = r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)"
_ESCAPES: Final = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
}
#: the last step of a key path: an item ([2]) or a key (.id, ."fp 8", or the first key)
_LAST_STEP: Final = r'(?:\[\d+\]|(?:^|\.)(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"))\Z'


# --------------------------------------------------------------------------- key paths


def key_name(key: str) -> str:
    """A key as a path writes it: bare when TOML allows, else a JSON string (one line)."""
    return key if re.fullmatch(_BARE, key) else json.dumps(key)


def join(where: str, key: str) -> str:
    """The path of `key` inside the table at `where` ("" for the top level)."""
    name = key_name(key)
    return f"{where}.{name}" if where else name


def parent(path: str) -> str:
    """The path of what holds `path`: "clause[2]" for "clause[2].id", "clause" for
    "clause[2]", "" at the top."""
    step = re.search(_LAST_STEP, path)
    return path[: step.start()] if step else ""


# --------------------------------------------------------------------------- the scan


class _Token(NamedTuple):
    kind: str
    text: str
    line: int
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    """Every token but blanks and comments, with the line it starts on."""
    found: list[_Token] = []
    line = 1
    for match in re.finditer(_TOKEN, text, re.VERBOSE | re.DOTALL):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind not in ("ws", "comment"):
            found.append(_Token(kind, value, line, match.start(), match.end()))
        if kind == "nl" or kind.startswith("ml"):
            line += value.count("\n")
    return found


def _unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except (ValueError, OverflowError):
                return match.group()
        return _ESCAPES.get(code, match.group())

    return re.sub(_ESCAPE, one, body, flags=re.DOTALL)


def _simple_key(token: _Token) -> str | None:
    """The key a token writes, or None if it cannot be a key."""
    if token.kind == "word":
        return token.text if re.fullmatch(_BARE, token.text) else None
    if token.kind == "basic" and len(token.text) >= 2 and token.text.endswith('"'):
        return _unescape(token.text[1:-1])
    if token.kind == "literal" and len(token.text) >= 2 and token.text.endswith("'"):
        return token.text[1:-1]
    return None


class _Table:
    __slots__ = ("children", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.children: dict[str, _Table | _Array] = {}


class _Array:
    __slots__ = ("items", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[_Table] = []


class _Frame:
    """An open inline array ("[") or inline table ("{") in a value."""

    __slots__ = ("count", "kind", "path")

    def __init__(self, kind: str, path: str) -> None:
        self.kind = kind
        self.path = path
        self.count = 0


class _Scan:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.found: dict[str, int] = {}
        self.root = _Table("")

    def token(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def punct(self, char: str) -> bool:
        token = self.token()
        return token is not None and token.kind == "punct" and token.text == char

    def record(self, path: str, line: int) -> None:
        self.found.setdefault(path, line)

    def run(self) -> dict[str, int]:
        table = ""
        while (token := self.token()) is not None:
            if token.kind == "nl":
                self.at += 1
                continue
            if self.punct("["):
                table = self.header(token, table)
            else:
                self.key_value(table, token.line)
            self.skip_line()
        return self.found

    def keys(self) -> list[str] | None:
        """A dotted key (a.b."c d"), or None where the tokens are not one."""
        names: list[str] = []
        while True:
            token = self.token()
            name = None if token is None else _simple_key(token)
            if name is None:
                return None
            names.append(name)
            self.at += 1
            if not self.punct("."):
                return names
            self.at += 1

    def header(self, opening: _Token, current: str) -> str:
        """[table] or [[array]]: the path of the table it opens (current, if not one)."""
        self.at += 1
        second = self.token()
        double = (
            second is not None
            and second.kind == "punct"
            and second.text == "["
            and second.start == opening.end
        )
        if double:
            self.at += 1
        names = self.keys()
        if not names or not self.punct("]"):
            return current
        closing = self.tokens[self.at]
        self.at += 1
        if double:
            last = self.token()
            if last is None or not self.punct("]") or last.start != closing.end:
                return current
            self.at += 1
        node = self.root
        for name in names[:-1]:
            node = self.step(node, name, opening.line)
        name = names[-1]
        child = node.children.get(name)
        if double:
            if not isinstance(child, _Array):
                child = node.children[name] = _Array(join(node.path, name))
            table = _Table(f"{child.path}[{len(child.items)}]")
            child.items.append(table)
        else:
            table = self.step(node, name, opening.line)
        self.record(table.path, opening.line)
        return table.path

    def step(self, node: _Table, name: str, line: int) -> _Table:
        """The table `name` inside `node` (the last item, for an array of tables)."""
        child = node.children.get(name)
        if child is None:
            child = node.children[name] = _Table(join(node.path, name))
            self.record(child.path, line)
        if isinstance(child, _Array):
            if not child.items:
                child.items.append(_Table(f"{child.path}[0]"))
            return child.items[-1]
        return child

    def key_value(self, table: str, line: int) -> None:
        names = self.keys()
        if not names or not self.punct("="):
            return
        self.at += 1
        path = table
        for name in names:
            path = join(path, name)
            self.record(path, line)
        self.value(path)

    def value(self, path: str) -> None:
        """Step over one value; inline arrays and tables are read for their keys."""
        token = self.token()
        if token is None:
            return
        if token.kind == "punct" and token.text in "[{":
            self.at += 1
            self.inline([_Frame(token.text, path)])
        else:
            self.skip_scalar()

    def inline(self, stack: list[_Frame]) -> None:
        while stack and (token := self.token()) is not None:
            frame = stack[-1]
            char = token.text if token.kind == "punct" else ""
            if token.kind == "nl" or char == ",":
                self.at += 1
            elif char in ("]", "}"):
                stack.pop()
                self.at += 1
            elif frame.kind == "[":
                path = f"{frame.path}[{frame.count}]"
                frame.count += 1
                if len(stack) <= MAX_DEPTH:
                    self.record(path, token.line)
                self.nested(stack, path)
            else:
                names = self.keys()
                if not names or not self.punct("="):
                    self.skip_scalar()
                    continue
                self.at += 1
                path = frame.path
                for name in names:
                    path = join(path, name)
                    if len(stack) <= MAX_DEPTH:
                        self.record(path, token.line)
                self.nested(stack, path)

    def nested(self, stack: list[_Frame], path: str) -> None:
        token = self.token()
        if token is not None and token.kind == "punct" and token.text in "[{":
            stack.append(_Frame(token.text, path))
            self.at += 1
        else:
            self.skip_scalar()

    def skip_scalar(self) -> None:
        """Step over a value's tokens (at least one) up to a comma, bracket or line end."""
        self.at += 1
        while (token := self.token()) is not None:
            if token.kind == "nl" or (token.kind == "punct" and token.text in ",[]{}"):
                return
            self.at += 1

    def skip_line(self) -> None:
        while (token := self.token()) is not None and token.kind != "nl":
            self.at += 1


def key_lines(text: str) -> dict[str, int]:
    """Every key path of a TOML text and the 1-based line it is first written on."""
    return _Scan(text).run()


class KeyLines(Mapping[str, int]):
    """key_lines(text), scanned the first time a line is asked for: a good file in a
    batch never is."""

    __slots__ = ("_found", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: dict[str, int] | None = None

    def _lines(self) -> dict[str, int]:
        if self._found is None:
            self._found = key_lines(self._text)
            self._text = ""
        return self._found

    def __getitem__(self, key: str) -> int:
        return self._lines()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines())

    def __len__(self) -> int:
        return len(self._lines())

    def near(self, path: str) -> int | None:
        """The line of `path`, or of the nearest table or array item that holds it."""
        return nearest(self._lines(), path)


def nearest(lines: Mapping[str, int], path: str) -> int | None:
    """The line of `path` in `lines`, or of the nearest table, key or array item that
    holds it ("clause[2]" for a missing "clause[2].text"); an array of tables by its
    name alone ("clause") is at its first item's header."""
    while path:
        line = lines.get(path)
        if line is None:  # an array of tables is where its first [[header]] is
            line = lines.get(path + "[0]")
        if line is not None:
            return line
        path = parent(path)
    return None
