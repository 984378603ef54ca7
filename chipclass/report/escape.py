"""The one place where text from a sheet, a list or a path is made safe to show.

`terminal` is for every text output (a terminal, a pipe, a log): control characters
(C0, DEL, C1), bidi overrides and isolates, zero-width and other format characters,
line and paragraph separators and any other non-printing character are written as
escapes (`\\x1b`, `\\u202e`), so that no sheet can move the cursor, clear the screen,
set a title, draw an OSC 8 link or reorder what a reader sees. The escapes are plain
printable ASCII, so escaping twice changes nothing.

`markdown` is for sheet text inside a markdown document (a PR comment, a job
summary, the catalog page): the terminal escapes first, then HTML (`<`, `>`, `&`)
as entities, markdown's inline markup (links, emphasis, code, tables) behind
backslashes, and `@mentions` and bare URLs broken with a zero-width space so that
GitHub neither pings anyone nor links anywhere. The documents' own markup (tables,
bold labels, code spans of ids) is written by the reporters, not passed through here.
"""

from __future__ import annotations

import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def terminal(text: str) -> str:
    """Text with every non-printing character written as an escape (one line, always).

    str.isprintable() is False for categories Cc (C0, DEL, C1), Cf (bidi controls
    U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C, zero-width U+200B-U+200D,
    U+2060, U+FEFF, ...), Zl, Zp, Zs other than the space, Cs, Co and Cn.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape_char(c) for c in text)


#: inline markdown that sheet text must not start: escaped with a backslash
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()~|!#])")
#: a mention (or an email's @): a zero-width space after the @ ends it
_MENTION = re.compile(r"@(?=\w)")
#: what GitHub links without brackets: scheme:// and www.
_AUTOLINK = re.compile(
    r"(?i)\b(https?|ftp|file|mailto|javascript|data|vbscript)(?=:)|\b(www)(?=\.)"
)
_ZWSP = "&#8203;"


def markdown(text: str) -> str:
    """Sheet text for a markdown document: never markup, a link, a mention or HTML."""
    text = terminal(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = _MENTION.sub("@" + _ZWSP, text)
    return _AUTOLINK.sub(lambda m: m.group(0) + _ZWSP, text)


def markdown_code(text: str) -> str:
    """Sheet text as an inline code span that holds it whatever it is (backticks too).

    Inside a code span nothing is markup, HTML or a mention; the terminal escapes keep
    it on one line, and a pipe is escaped for the table the span may sit in.
    """
    text = terminal(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_link_target(path: str) -> str:
    """A relative path as a link target: percent-encoded, never a scheme."""
    from urllib.parse import quote

    return quote(terminal(path), safe="/._-~")
