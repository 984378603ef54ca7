"""Sheet text is data: never a control code on a terminal, never markup in markdown.

Acceptance tests run the real CLI (`python -m chipclass`) on a hostile sheet; unit
tests check the escaping functions by hand and by property.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chipclass.report import escape
from tests.conftest import examples, sheet_text

TITLE = "\x1b]0;PWNED\x07X"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J"
RLO = "\u202e"
ZWJ = "\u200b"
HTML = "<img src=x onerror=alert(1)>"
MENTION = "@octocat"
LINK = "[x](javascript:alert(1))"
COMMENT = "<!-- hidden"


def _toml(text: str) -> str:
    """A TOML basic string holding `text` (controls as \\uXXXX escapes)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif not char.isprintable():
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


VENDOR = f"V{OSC8}{CLEAR}{RLO}{ZWJ} {HTML} {MENTION} {LINK} {COMMENT}"
HOSTILE = (
    'format = "chipclass/1"\n\n[chip]\nid = "evil"\n'
    f"name = {_toml(TITLE)}\nvendor = {_toml(VENDOR)}\ndatacenter = true\n\n"
    "[performance]\nfp8 = 296\n"
)

#: every byte a terminal acts on: C0 (but newline), DEL, C1, and the bidi/zero-width ones
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("COLUMNS", None)
    return subprocess.run(
        [sys.executable, "-m", "chipclass", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / f"dir{CLEAR}"
    folder.mkdir()
    (folder / f"evil{TITLE}.toml").write_text(HOSTILE, encoding="utf-8")
    (folder / "plain.toml").write_text(sheet_text("plain", "fp8 = 100"), encoding="utf-8")
    return folder


def test_the_hostile_sheet_reads_as_written(hostile: Path) -> None:
    from chipclass.files import load_sheet

    spec = load_sheet(hostile / f"evil{TITLE}.toml")
    assert spec.name == TITLE
    assert OSC8 in spec.vendor and CLEAR in spec.vendor and RLO in spec.vendor


def _sheet(hostile: Path) -> str:
    return str(hostile / f"evil{TITLE}.toml")


TEXT_COMMANDS = [
    ["classify", "{sheet}"],
    ["classify", "{sheet}", "--explain"],
    ["classify", "{folder}", "--all-editions"],
    ["classify", "{folder}", "-f", "markdown"],
    ["history", "{sheet}"],
    ["tailor", "{sheet}", "-t", "exportable"],
    ["diff", "{sheet}", "{plain}"],
    ["diff", "{sheet}", "{plain}", "-f", "markdown"],
    ["report", "{folder}"],
    ["report", "{folder}", "-f", "markdown"],
    ["check", "{folder}"],
    ["check", "{folder}", "-f", "markdown"],
    ["check", "{folder}", "-f", "github"],
]


@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=lambda c: " ".join(c[0:1] + c[2:]))
def test_no_control_code_reaches_the_output(hostile: Path, command: list[str]) -> None:
    args = [
        a.format(sheet=_sheet(hostile), folder=str(hostile), plain=str(hostile / "plain.toml"))
        for a in command
    ]
    done = _cli(*args, cwd=hostile.parent)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 1), done.stderr
    for stream in (done.stdout, done.stderr):
        assert not FORBIDDEN.search(stream), repr(FORBIDDEN.search(stream))
    shown = done.stdout + done.stderr
    # the text is there, escaped, not dropped
    assert "\\x1b]0;PWNED\\x07X" in shown or "evil" in shown
    if command[0] in ("classify", "history", "tailor") and "{sheet}" in command:
        assert "\\x1b]0;PWNED\\x07X" in shown


MARKDOWN_COMMANDS = [
    ["diff", "{sheet}", "{plain}", "-f", "markdown"],
    ["report", "{folder}", "-f", "markdown"],
    ["check", "{folder}", "-f", "markdown"],
    ["classify", "{folder}", "-f", "markdown"],
]


@pytest.mark.parametrize("command", MARKDOWN_COMMANDS, ids=lambda c: c[0])
def test_no_markup_from_sheet_text_in_markdown(hostile: Path, command: list[str]) -> None:
    args = [
        a.format(sheet=_sheet(hostile), folder=str(hostile), plain=str(hostile / "plain.toml"))
        for a in command
    ]
    done = _cli(*args, cwd=hostile.parent)
    assert done.returncode in (0, 1), done.stderr
    out = done.stdout
    assert "<img" not in out
    assert "<!--" not in out
    assert "](javascript" not in out
    assert not re.search(r"(?<![\w`])@octocat", out)
    assert not FORBIDDEN.search(out)
    # the tables' own markup is kept
    assert "|---" in out or "| ---" in out or "|---:" in out


def test_diff_markdown_shows_the_name_escaped(hostile: Path) -> None:
    done = _cli("diff", _sheet(hostile), str(hostile / "plain.toml"), "-f", "markdown", cwd=hostile)
    # the escapes' backslashes and `]` are themselves behind backslashes
    assert "\\\\x1b\\]0;PWNED\\\\x07X" in done.stdout


def test_report_markdown_vendor_is_escaped(hostile: Path) -> None:
    done = _cli("report", str(hostile), "-f", "markdown", cwd=hostile.parent)
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in done.stdout
    assert "\\[x\\]\\(javascript&#8203;:alert\\(1\\)\\)" in done.stdout
    assert "&lt;\\!-- hidden" in done.stdout
    assert "@&#8203;octocat" in done.stdout


def test_classify_on_a_terminal_escapes(hostile: Path) -> None:
    """Through a pseudo-terminal: rich draws, and still no control code from the sheet."""
    pty = pytest.importorskip("pty")
    code = f"import sys; from chipclass.cli import main; main(['classify', {_sheet(hostile)!r}])"
    output = _through_pty(pty, [sys.executable, "-c", code], hostile)
    assert "PWNED" in output
    assert "\x1b]0;" not in output
    assert "\x07" not in output
    assert "\u202e" not in output


def _through_pty(pty: object, argv: list[str], cwd: Path) -> str:
    from conftest import run_in_pty

    env = {**os.environ, "COLUMNS": "80", "LINES": "40", "TERM": "xterm"}
    env.pop("CI", None)
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    return run_in_pty(argv, env, str(cwd))


# --------------------------------------------------------------------------- units


def test_terminal_escapes_by_hand() -> None:
    assert escape.terminal(TITLE) == "\\x1b]0;PWNED\\x07X"
    assert escape.terminal("a\u202eb") == "a\\u202eb"
    assert escape.terminal("a\u200bb\ufeff") == "a\\u200bb\\ufeff"
    assert escape.terminal("\x9b2J") == "\\x9b2J"  # C1 CSI
    assert escape.terminal("line\nbreak\r\t") == "line\\nbreak\\r\\t"
    assert escape.terminal("H100 SXM5 · 80 GB") == "H100 SXM5 · 80 GB"


def test_markdown_escapes_by_hand() -> None:
    assert escape.markdown("<img src=x>") == "&lt;img src=x&gt;"
    assert escape.markdown("@octocat") == "@&#8203;octocat"
    assert escape.markdown("[x](javascript:y)") == "\\[x\\]\\(javascript&#8203;:y\\)"
    assert escape.markdown("a|b") == "a\\|b"
    assert escape.markdown("see https://x.test") == "see https&#8203;://x.test"
    assert escape.markdown_code("a`b") == "`` a`b ``"


@settings(max_examples=examples(400))
@given(st.text())
def test_terminal_is_printable_and_idempotent(text: str) -> None:
    shown = escape.terminal(text)
    assert shown.isprintable()
    assert escape.terminal(shown) == shown
    assert not FORBIDDEN.search(shown)


@settings(max_examples=examples(400))
@given(st.text())
def test_markdown_has_no_live_markup(text: str) -> None:
    shown = escape.markdown(text)
    assert shown.isprintable()
    shown = shown.replace("&#8203;", "")
    assert "<" not in shown and ">" not in shown
    # every markup character is behind a backslash that is itself not escaped
    for match in re.finditer(r"[`*_\[\]()~|!#]", shown):
        before = shown[: match.start()]
        run = len(before) - len(before.rstrip("\\"))
        assert run % 2 == 1, (text, shown)
