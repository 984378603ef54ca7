"""One table of reporters: every (command, format) a command offers has exactly one
reporter, and every reporter the table names exists."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import Result

from chipclass.cli import cli
from chipclass.cli.common import emit
from chipclass.report.doc import Doc
from chipclass.report.registry import (
    ALIASES,
    REPORTERS,
    Streamed,
    canonical,
    choices,
    formats,
    reporter,
    streamed,
)

Run = Callable[..., Result]


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{path} ")


def _format_choices(command: click.Command) -> tuple[str, ...] | None:
    for param in command.params:
        if param.name == "fmt" and isinstance(param.type, click.Choice):
            return tuple(str(c) for c in param.type.choices)
    return None


def test_every_reporter_the_table_names_exists() -> None:
    for command, table in REPORTERS.items():
        for fmt in table:
            found = streamed(command, fmt) or reporter(command, fmt)
            assert callable(found) or isinstance(found, Streamed), (command, fmt)


def test_text_is_every_commands_first_format() -> None:
    assert all(formats(command)[0] == "text" for command in REPORTERS)


def test_each_commands_formats_are_the_tables() -> None:
    """A command offers exactly the formats the table has a reporter for (plus aliases);
    a format added to a command without a reporter, or the other way round, fails here."""
    offered = {}
    for path, command in _commands(cli):
        spellings = _format_choices(command)
        if spellings is not None and path in REPORTERS:
            assert spellings == choices(path), path
            offered[path] = tuple(c for c in spellings if c not in ALIASES.get(path, {}))
    # `tailor` writes the frontier's reporters too (with --knobs): same formats
    assert offered.pop("tailor") == formats("tailor") == formats("frontier")
    assert offered == {c: formats(c) for c in REPORTERS if c in offered}
    assert set(offered) | {"tailor", "frontier"} == set(REPORTERS)


def test_aliases_name_a_real_format() -> None:
    for command, old in ALIASES.items():
        for alias, meant in old.items():
            assert meant in formats(command) and alias not in formats(command)
            assert canonical(command, alias) == meant and canonical(command, meant) == meant


def test_an_unknown_format_is_a_key_error_not_a_silent_default() -> None:
    with pytest.raises(KeyError):
        reporter("diff", "sarif")


def test_emit_writes_text_as_is_and_a_doc_plain_off_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chipclass.editions import Registry
    from chipclass.report.doc import render_plain
    from chipclass.report.rules_text import editions_doc, editions_json

    known = Registry().all()
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    text, json_text = io.StringIO(), io.StringIO()
    emit("rules", "text", known, text)
    emit("rules", "json", known, json_text)
    doc = editions_doc(known)
    assert isinstance(doc, Doc)
    assert text.getvalue() == render_plain(doc) and "latest:" in text.getvalue()
    assert json_text.getvalue() == editions_json(known)


def test_classify_table_writes_what_text_writes(run: Run, specs: Path) -> None:
    sheet = str(specs / "nvidia" / "h20.toml")
    assert run("classify", sheet, "-f", "table").stdout == run("classify", sheet).stdout
