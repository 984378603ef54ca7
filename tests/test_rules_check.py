"""`chipclass rules check FILE...` (spec-format.md section 7): every problem in every file,
each as FILE:LINE: KEY: message; exit 0 when all are valid, 2 otherwise; never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from chipclass.editions import RULES_DIR, EditionError, parse_edition
from chipclass.rulescheck import check_files

RULES = Path(RULES_DIR)
Run = Callable[..., Result]
BASE = (RULES / "us-2026-01.toml").read_text(encoding="utf-8")


def _copy(new_id: str, effective: str, text: str = BASE) -> str:
    """A bundled edition's text under another id and effective date."""
    assert 'id = "us-2026-01"' in text and "effective = 2026-01-15" in text
    text = text.replace('id = "us-2026-01"', f'id = "{new_id}"', 1)
    return text.replace("effective = 2026-01-15", f"effective = {effective}", 1)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, words: str, after: str = "") -> int:
    """The 1-based line of the first `words` at or after the first line holding `after`."""
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines) if n >= start and words in line) + 1


def _errors(result: Result) -> list[str]:
    return [line.removeprefix("error: ") for line in result.stderr.splitlines()]


# --------------------------------------------------------------------------- every problem


def test_a_file_with_three_problems_reports_all_three_with_their_lines(
    run: Run, tmp_path: Path
) -> None:
    good = _copy("acme-2027-03", "2027-03-01")
    bad = good.replace('status = "published"', 'status = "rumoured"', 1)
    bad = bad.replace('label = "restricted"', 'label = "banned"', 1)  # in 3A090.a.1
    bad = bad.replace("threshold = 1600,", "threshold = -1600,", 1)  # in 3A090.a.2
    path = _write(tmp_path, "bad.toml", bad)
    done = run("rules", "check", str(path))
    assert done.exit_code == 2
    status = _line(bad, 'status = "rumoured"')
    label = _line(bad, 'label = "banned"')
    threshold = _line(bad, "threshold = -1600")
    assert _errors(done) == [
        f"{path}:{status}: status: must be one of published, reported, not-enforced, letters,"
        " not 'rumoured'",
        f"{path}:{label}: clause[0].label: a control needs a label (exportable,"
        " license-required, restricted), not 'banned'",
        f"{path}:{threshold}: clause[1].conditions[0].threshold: must be above zero, not -1600",
    ]
    assert done.stdout.splitlines()[-1] == "0 valid, 1 invalid (3 problems)"
    # the Python API says the same: EditionError lists every problem, one a line
    with pytest.raises(EditionError) as caught:
        parse_edition(bad, str(path))
    assert str(caught.value).split("\n") == _errors(done)
    assert [p.line for p in caught.value.problems] == [status, label, threshold]


def test_problems_deep_in_a_file_carry_the_key_and_line_of_what_holds_them(
    run: Run, tmp_path: Path
) -> None:
    bad = _copy("acme-2027-03", "2027-03-01")
    bad = bad.replace('fact = "certification"', 'fact = "rumour"', 1)
    bad = bad.replace('{ to = ["AE"], label = "license-required"', '{ to = [], label = "x"', 1)
    bad = bad.replace('addressees = ["NVIDIA", "AMD", "Intel"]', 'addressees = ["AMD", "AMD"]')
    path = _write(tmp_path, "deep.toml", bad)
    found = {p.key: p for p in check_files([str(path)], None).files[0].problems}
    fact = next(k for k in found if k and k.endswith("].facts[1].fact"))
    assert found[fact].line == _line(bad, 'fact = "rumour"')
    assert "must be one of us_available, certification, not 'rumour'" in found[fact].message
    rule = next(k for k in found if k and k.endswith(".rules[0].to"))
    assert found[rule].line == _line(bad, 'to = [], label = "x"')
    assert found[rule.replace(".to", ".label")].line == found[rule].line
    twice = next(k for k in found if k and k.endswith(".addressees[1]"))
    assert found[twice].message == "'AMD' is listed twice"
    assert found[twice].line == _line(bad, 'addressees = ["AMD", "AMD"]')


def test_a_good_copy_of_a_bundled_edition_under_a_new_id_passes(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path, "acme-2027-03.toml", _copy("acme-2027-03", "2027-03-01"))
    done = run("rules", "check", str(path))
    assert done.exit_code == 0, done.stderr
    assert done.stdout == (
        f"ok: {path}: edition acme-2027-03, effective 2027-03-01\n1 valid, 0 invalid (0 problems)\n"
    )
    assert done.stderr == ""


def test_the_bundled_files_themselves_pass(run: Run) -> None:
    files = sorted(str(p) for p in RULES.glob("*.toml"))
    done = run("rules", "check", *files)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"{len(files)} valid, 0 invalid (0 problems)"
    assert done.stderr.count("replaces the one of the same id") == len(files)


# --------------------------------------------------------------- files that are no edition


def test_every_file_is_checked_and_each_unreadable_one_is_one_problem(
    run: Run, tmp_path: Path
) -> None:
    good = _write(tmp_path, "good.toml", _copy("acme-2027-03", "2027-03-01"))
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    not_toml = _write(tmp_path, "prose.toml", "this is not toml\n")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'id = "caf\xe9"\n')
    missing = tmp_path / "missing.toml"
    foreign = _write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    args = [str(p) for p in (missing, folder, not_toml, latin, foreign, good)]
    done = run("rules", "check", *args)
    assert done.exit_code == 2
    errors = _errors(done)
    assert errors[:4] == [
        f"{missing}: cannot read: No such file or directory",
        f"{folder}: cannot read: Is a directory",
        f"{not_toml}:1: not valid TOML: Expected '=' after a key in a key/value pair (at line 1,"
        " column 6) in 'this is not toml'",
        f"{latin}:1: not UTF-8 text (byte 9): save the edition as UTF-8",
    ]
    assert errors[4] == f'{foreign}: format: is required: format = "chipclass-edition/1"'
    assert all(e.startswith(str(foreign)) for e in errors[4:])
    assert f"ok: {good}: edition acme-2027-03" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_fifo_with_no_writer_does_not_hang(run: Run, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    done = run("rules", "check", str(fifo))
    assert done.exit_code == 2
    assert _errors(done) == [f"{fifo}: a FIFO (named pipe) with nothing written to it"]


def _classify_with_rules(folder: Path) -> subprocess.CompletedProcess[str]:
    """classify with --rules FOLDER, in a child process (so a hang fails, not stalls)."""
    sheet = str(Path(__file__).resolve().parent.parent / "specs" / "nvidia" / "h20.toml")
    command = [sys.executable, "-m", "chipclass", "classify", sheet, "--rules", str(folder)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_a_fifo_in_a_rules_folder_is_an_error_not_a_hang(tmp_path: Path) -> None:
    # the folder is the user's: it is read as sheets are
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    fifo = tmp_path / "us-2099-01.toml"
    os.mkfifo(fifo)
    done = _classify_with_rules(tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"error: {fifo}: a FIFO (named pipe) with nothing written to it\n"


def test_a_rules_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"# r\xe9gles\n")
    done = _classify_with_rules(tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"error: {latin}:1: not UTF-8 text (byte 3): save the edition as UTF-8\n"


# --------------------------------------------------------------------------- files together


def test_files_must_not_share_an_id_or_a_date_with_each_other_or_the_bundled_ones(
    run: Run, tmp_path: Path
) -> None:
    one = _write(tmp_path, "one.toml", _copy("acme-2027-03", "2027-03-01"))
    again = _write(tmp_path, "again.toml", _copy("acme-2027-03", "2027-04-01"))
    same_day = _write(tmp_path, "same-day.toml", _copy("acme-2027-05", "2027-03-01"))
    bundled_day = _write(tmp_path, "bundled-day.toml", _copy("acme-2027-06", "2026-01-15"))
    done = run("rules", "check", str(one), str(again), str(same_day), str(bundled_day))
    assert done.exit_code == 2
    id_line = _line(BASE, 'id = "us-2026-01"')
    date_line = _line(BASE, "effective = 2026-01-15")
    assert _errors(done) == [
        f"{again}:{id_line}: id: edition id 'acme-2027-03' is also the id of {one}",
        f"{same_day}:{date_line}: effective: shares the effective date 2027-03-01 with {one}"
        " (acme-2027-03): --as-of could not choose",
        f"{bundled_day}:{date_line}: effective: shares the effective date 2026-01-15 with"
        " edition 'us-2026-01': --as-of could not choose",
    ]
    assert done.stdout.splitlines() == [
        f"ok: {one}: edition acme-2027-03, effective 2027-03-01",
        "1 valid, 3 invalid (3 problems)",
    ]


def test_a_file_with_a_bundled_id_replaces_it_and_may_take_its_date(
    run: Run, tmp_path: Path
) -> None:
    path = _write(tmp_path, "mine.toml", BASE + "\n# my own copy\n")
    done = run("rules", "check", str(path))
    assert done.exit_code == 0, done.stderr
    assert done.stderr == f"note: {path}: edition 'us-2026-01' replaces the one of the same id\n"


def test_a_broken_rules_folder_is_a_problem_not_a_traceback(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "law"
    folder.mkdir()
    _write(folder, "broken.toml", "format = 1\n")
    good = _write(tmp_path, "good.toml", _copy("acme-2027-03", "2027-03-01"))
    done = run("rules", "--rules", str(folder), "check", str(good))
    assert done.exit_code == 2
    assert _errors(done) == [
        f"{folder / 'broken.toml'}:1: format: a number (1) is not an edition format (this"
        ' chipclass reads "chipclass-edition/1")'
    ]


def test_an_edition_id_is_one_that_edition_options_can_name(tmp_path: Path) -> None:
    for bad in ("latest", "no-control", "Acme 2027", ""):
        text = _copy(bad, "2027-03-01") if bad else _copy("x", "2027-03-01").replace('"x"', '""')
        problems = check_files([str(_write(tmp_path, "e.toml", text))]).files[0].problems
        assert [p.key for p in problems] == ["id"], bad


# --------------------------------------------------------------------------- output


def test_hostile_text_in_file_names_keys_and_values_is_escaped(run: Run, tmp_path: Path) -> None:
    text = _copy("acme-2027-03", "2027-03-01")
    text = text.replace('status = "published"', 'status = "\\u001b[2J\\u202e"', 1)
    text = text.replace("[[clause]]", '[[clause]]\n"\\u001b]8;;https://x\\u0007" = 1', 1)
    path = _write(tmp_path, "evil\x1b[31m\u202e.toml", text)
    done = run("rules", "check", str(path))
    assert done.exit_code == 2
    shown = done.stdout + done.stderr
    assert not any(c in shown for c in "\x1b\x07\u202e")
    errors = _errors(done)
    assert len(errors) == 2
    assert all(e.startswith(f"{tmp_path}/evil\\x1b[31m\\u202e.toml:") for e in errors)
    assert "not '\\x1b[2J\\u202e'" in errors[0]
    assert 'clause[0]."\\u001b]8;;https://x\\u0007": unknown key' in errors[1]


def test_json_lists_every_file_and_every_problem(run: Run, tmp_path: Path) -> None:
    good = _write(tmp_path, "good.toml", _copy("acme-2027-03", "2027-03-01"))
    bad_text = _copy("acme-2027-04", "2027-04-01").replace('op = ">="', 'op = "=>"', 1)
    bad = _write(tmp_path, "bad.toml", bad_text)
    done = run("rules", "check", "-f", "json", str(good), str(bad))
    assert done.exit_code == 2
    document = json.loads(done.stdout)
    assert document["valid"] is False
    assert document["summary"] == {"files": 2, "valid": 1, "invalid": 1, "errors": 1}
    assert [(f["file"], f["valid"], f["edition"]) for f in document["files"]] == [
        (str(good), True, "acme-2027-03"),
        (str(bad), False, None),
    ]
    (error,) = document["errors"]
    assert error["file"] == str(bad) and error["key"] == "clause[0].conditions[0].op"
    assert error["line"] == _line(bad_text, 'op = "=>"')
    assert error["message"] == "clause[0].conditions[0].op: must be one of >=, >, <, <=, not '=>'"
    assert _errors(done) == [f"{bad}:{error['line']}: {error['message']}"]
    clean = run("rules", "check", "--format", "json", str(good))
    assert clean.exit_code == 0 and json.loads(clean.stdout)["valid"] is True


@pytest.mark.parametrize(
    "command",
    [
        ["classify", "SHEET"],
        ["tailor", "SHEET", "-t", "exportable", "-e", "acme-2027-03"],
        ["history", "SHEET"],
        ["rules", "show", "acme-2027-03"],
    ],
    ids=lambda c: c[0],
)
def test_a_broken_user_edition_is_one_line_a_problem_in_every_command(
    run: Run, tmp_path: Path, command: list[str]
) -> None:
    """--rules DIR with a file of two problems: each on its own `error:` line, with its
    line number, whichever command read the folder."""
    folder = tmp_path / "law"
    folder.mkdir()
    bad = _copy("acme-2027-03", "2027-03-01").replace(
        'status = "published"', 'status = "rumoured"', 1
    )
    bad = bad.replace('label = "restricted"', 'label = "banned"', 1)
    path = _write(folder, "acme.toml", bad)
    sheet = str(Path(__file__).resolve().parent.parent / "specs" / "nvidia" / "h20.toml")
    args = [sheet if word == "SHEET" else word for word in command]
    done = run(args[0], "--rules", str(folder), *args[1:])
    assert done.exit_code == 2
    status = _line(bad, 'status = "rumoured"')
    label = _line(bad, 'label = "banned"')
    assert _errors(done) == [
        f"{path}:{status}: status: must be one of published, reported, not-enforced, letters,"
        " not 'rumoured'",
        f"{path}:{label}: clause[0].label: a control needs a label (exportable,"
        " license-required, restricted), not 'banned'",
    ]


#: the commands that read no rule edition
WITHOUT_EDITIONS = {"completion", "schema", "screen", "parties"}


def test_every_command_that_reads_editions_takes_rules() -> None:
    """--rules DIR on every command (spec-format.md section 7)."""
    import click

    from chipclass.cli import cli

    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        options = [o for p in command.params for o in getattr(p, "opts", ())]
        assert options.count("--rules") == (name not in WITHOUT_EDITIONS), name
