"""Bounded fuzzing: generated sheets (structured with random keys and values, random
text, mutated good sheets, raw bytes) fed to the loader and the CLI. Nothing may come
out but a result or an input error (SheetError / exit 2): no other exception, no hang,
no multi-line diagnostic, and no `exportable` that rests on a missing value."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import examples, sheet_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipclass.classify import classify
from chipclass.cli import cli, main
from chipclass.editions import INDETERMINATE, all_editions
from chipclass.files import load_sheet
from chipclass.serialize import result_dict
from chipclass.spec import ChipSpec, Problem, SheetError, parse_sheet

EDITIONS = all_editions()
ROOT = Path(__file__).resolve().parent.parent
GOOD_SHEETS = sorted((ROOT / "specs").rglob("*.toml"))[:6] + sorted(
    (Path(__file__).resolve().parent / "sheets" / "valid").glob("*.toml")
)

FUZZ = settings(
    max_examples=examples(250),
    derandomize=True,
    database=None,
    deadline=dt.timedelta(seconds=5),  # a hang shows up as a deadline failure
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CLI_FUZZ = settings(FUZZ, max_examples=examples(120))


# --------------------------------------------------------------------------- the oracle


def check_text(text: str, file: str = "fuzz.toml") -> ChipSpec | None:
    """The loader's contract for any text: a spec that classifies cleanly, or SheetError."""
    try:
        spec = parse_sheet(text, file)
    except SheetError as error:
        check_problems(error, file)
        return None
    check_spec(spec)
    return spec


def check_problems(error: SheetError, file: str) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.file == file
        shown = str(problem)
        assert shown.strip() and "\n" not in shown and "\r" not in shown, shown
        assert problem.line is None or problem.line >= 1


def check_spec(spec: ChipSpec) -> None:
    result = classify(spec, EDITIONS)
    text = json.dumps(result_dict(result), allow_nan=False)
    assert json.loads(text)["chip"]["id"] == spec.id
    assert result.metrics.tpp > 0
    # (that a part with an unknown metric is never exportable where a value of it would
    # control the part is test_properties' section 8, over generated parts)
    for verdict in result.verdicts:
        assert verdict.label in ("exportable", "license-required", "restricted", INDETERMINATE)


# --------------------------------------------------------------------------- a small TOML writer


@dataclass(frozen=True)
class Raw:
    """A value written verbatim (a number literal TOML may or may not accept)."""

    text: str


def toml_string(text: str) -> str:
    """A TOML basic string: quote and backslash escaped, control characters as \\uXXXX."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)  # a lone surrogate stays raw: not UTF-8, refused as such
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
    return key if bare else toml_string(key)


def toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def toml_document(doc: dict[str, Any]) -> str:
    """Scalars first, then [tables], then [[arrays of tables]]; nested dicts inline."""
    head, tables, arrays = [], [], []
    for key, value in doc.items():
        if isinstance(value, dict):
            body = "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in value.items())
            tables.append(f"\n[{toml_key(key)}]\n{body}")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                body = "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in item.items())
                arrays.append(f"\n[[{toml_key(key)}]]\n{body}")
        else:
            head.append(f"{toml_key(key)} = {toml_value(value)}\n")
    return "".join(head) + "".join(tables) + "".join(arrays)


# --------------------------------------------------------------------------- strategies

NUMBER_LITERALS = (
    "nan", "+nan", "-nan", "inf", "+inf", "-inf", "-0.0", "0.0", "0", "1e400000000",
    "1e-400000000", "1e41", "9" * 50, "0." + "0" * 60 + "1", "1_000", "0x10", "0o7", "0b1",
    "296.0", "5.92", "1e7", "10000001", "1e5", "100001", "-1", "1.5",
)  # fmt: skip
UNITS = (
    "TOPS", "TFLOPS", "PFLOPS", "GOPS", "GB/s", "TB/s", "Gb/s", "Tbps", "MB/s", "mm2", "mm^2",
    "cm2", "mm²", "GB", "TB", "GiB", "furlongs", "", " ", "TB/S", "tops",
)  # fmt: skip
KEYS = {
    "": ("format", "chip", "performance", "die", "memory", "interconnect", "source", "expect"),
    "chip": ("id", "name", "vendor", "variant_of", "datacenter", "released", "notes"),
    "performance": ("fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp6", "fp4", "int4",
                    "tpp", "fp12", "custom"),
    "entry": ("tops", "bits", "sparse", "note"),
    "die": ("name", "area_mm2", "count", "non_planar", "node", "note"),
    "memory": ("type", "capacity_gb", "bandwidth_gbs", "note"),
    "interconnect": ("chip_to_chip_gbs", "host_gbs", "note"),
    "source": ("url", "note", "title", "accessed"),
    "expect": ("label", "edition", "min_margin_pct"),
}  # fmt: skip

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # no lone surrogates
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(min_value=1, max_value=100_000),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: Raw(str(d))),
    st.sampled_from(NUMBER_LITERALS).map(Raw),
)
quantities = st.builds(
    lambda n, u: f"{n} {u}" if u.strip() else f"{n}{u}",
    st.one_of(
        st.integers(min_value=0, max_value=10**8).map(str),
        st.sampled_from(("4.0", "0.5", "1e3", "1e99", "-4", ".5", "1.", "nan", "1,000")),
    ),
    st.sampled_from(UNITS),
)
scalars = st.one_of(
    numbers,
    quantities,
    st.booleans(),
    TEXT,
    st.text(max_size=6),  # lone surrogates included: invalid TOML once escaped
    st.sampled_from(("chipclass/1", "chipclass/2", "exportable", "restricted", "https://x.y/z")),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(TEXT, inner, max_size=3),
    ),
    max_leaves=6,
)
plausible = st.one_of(
    st.integers(min_value=1, max_value=30_000),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal(30_000), places=3).map(
        lambda d: Raw(str(d))
    ),
)


def keyed(section: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(KEYS[section]), TEXT)


def hostile(section: str, value: st.SearchStrategy[Any] = values) -> st.SearchStrategy[Any]:
    """Zero to two entries with known or random keys and any values, to mix into a table."""
    return st.dictionaries(keyed(section), value, max_size=2)


def section(
    draw: st.DrawFn, name: str, base: dict[str, Any], value: st.SearchStrategy[Any] = values
) -> dict[str, Any]:
    """A plausible table, usually; sometimes with hostile entries mixed in."""
    if draw(SOMETIMES):
        return base | draw(hostile(name, value))
    return base


entry = st.one_of(numbers, quantities, scalars, st.dictionaries(keyed("entry"), values, max_size=4))


MOSTLY = st.sampled_from([True] * 9 + [False])  # uniform, unlike integers near a bound
SOMETIMES = st.sampled_from([False, False, True])


@st.composite
def structured_sheets(draw: st.DrawFn) -> str:
    doc: dict[str, Any] = {}
    if draw(MOSTLY):
        doc["format"] = "chipclass/1"
    elif draw(st.booleans()):
        doc["format"] = draw(scalars)
    chip_id = draw(st.from_regex(r"[a-z0-9][a-z0-9.-]{0,8}", fullmatch=True))
    chip = {"id": chip_id, "name": "Fuzz", "vendor": "Fuzz", "datacenter": draw(st.booleans())}
    doc["chip"] = section(draw, "chip", chip)
    if draw(MOSTLY):
        known = draw(st.sampled_from(KEYS["performance"][:10]))
        performance = {known: draw(plausible)} if draw(MOSTLY) else {}
        if draw(SOMETIMES):
            performance |= draw(st.dictionaries(keyed("performance"), entry, max_size=3))
        doc["performance"] = performance
    loose = st.one_of(numbers, quantities, scalars)
    if draw(st.booleans()):
        doc["memory"] = section(draw, "memory", {"bandwidth_gbs": draw(plausible)}, loose)
    if draw(st.booleans()):
        doc["interconnect"] = section(draw, "interconnect", {"host_gbs": draw(plausible)}, loose)
    if draw(SOMETIMES):
        doc["expect"] = section(draw, "expect", {"label": "exportable"}, loose)
    if draw(st.booleans()):
        dies = [
            section(draw, "die", {"area_mm2": draw(plausible), "non_planar": draw(st.booleans())},
                    loose)
            for _ in range(draw(st.integers(1, 3)))
        ]  # fmt: skip
        doc["die"] = dies
    if draw(st.booleans()):
        doc["source"] = [section(draw, "source", {"url": "https://example.com/x"}, loose)]
    if draw(SOMETIMES):
        for key in draw(st.lists(TEXT, max_size=2)):
            doc.setdefault(key, draw(values))
    return toml_document(doc)


@st.composite
def mutated_sheets(draw: st.DrawFn) -> str:
    """A good sheet with a few random edits: inserted text, deleted spans, swapped lines."""
    text = draw(st.sampled_from(GOOD_SHEETS)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("insert", "delete", "duplicate", "replace-number")))
        at = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:at] + draw(st.text(max_size=12)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 30)) :]
        elif kind == "duplicate":
            lines = text.split("\n")
            line = draw(st.integers(0, len(lines) - 1))
            lines.insert(line, lines[line])
            text = "\n".join(lines)
        else:
            digits = [i for i, c in enumerate(text) if c.isdigit()]
            if digits:
                i = draw(st.sampled_from(digits))
                text = text[:i] + draw(st.sampled_from(NUMBER_LITERALS)) + text[i + 1 :]
    return text


# --------------------------------------------------------------------------- the loader


@FUZZ
@given(text=structured_sheets())
def test_structured_random_sheets_load_or_fail_cleanly(text: str) -> None:
    check_text(text)


@FUZZ
@given(text=mutated_sheets())
def test_mutated_good_sheets_load_or_fail_cleanly(text: str) -> None:
    check_text(text)


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.builds(lambda t: 'format = "chipclass/1"\n[chip]\n' + t, st.text(max_size=200)),
        st.builds(
            lambda head, t: head + t,
            st.sampled_from(("[performance]\nfp8 = ", "[[die]]\narea_mm2 = ", "a = [", "x = {")),
            st.text(alphabet="[]{}=,.\"'0123456789e+-_ \nabc#", max_size=200),
        ),
    )
)
def test_random_text_loads_or_fails_cleanly(text: str) -> None:
    check_text(text)


@FUZZ
@given(
    raw=st.one_of(
        st.binary(max_size=400),
        st.builds(
            lambda good, at, junk: good[:at] + junk + good[at:],
            st.sampled_from([p.read_bytes() for p in GOOD_SHEETS]),
            st.integers(0, 3000),
            st.binary(min_size=1, max_size=4),
        ),
    )
)
def test_raw_bytes_load_or_fail_cleanly(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(raw)
        try:
            spec = load_sheet(path, display="fuzz.toml")
        except SheetError as error:
            check_problems(error, "fuzz.toml")
            return
    check_spec(spec)


# --------------------------------------------------------------------------- the CLI


def invoke(args: list[str]) -> Any:
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    escaped = result.exception
    assert escaped is None or isinstance(escaped, SystemExit), repr(escaped)
    assert "Traceback" not in result.output
    return result


@CLI_FUZZ
@given(
    text=st.one_of(structured_sheets(), mutated_sheets(), st.text(max_size=100)),
    fmt=st.sampled_from(("json", "table", "jsonl", "markdown")),
)
def test_the_cli_gives_a_result_or_exit_2_for_any_sheet(text: str, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = invoke(["classify", str(path), "--all-editions", "--format", fmt])
        loads = True
        try:
            load_sheet(path)
        except SheetError:
            loads = False
    assert result.exit_code == (0 if loads else 2), (result.exit_code, result.stderr)
    if not loads:
        assert str(path) in result.stderr
    if fmt == "json":
        doc = json.loads(result.stdout)
        assert len(doc["results"]) == int(loads) and len(doc["errors"]) >= int(not loads)


def _hostile() -> dict[str, bytes]:
    return {
        "empty": b"",
        "nul-bytes": b"\x00" * 64,
        "latin1": b'format = "chipclass/1"\nname = "Soci\xe9t\xe9"\n',
        "bom-then-sheet": b"\xef\xbb\xbf" + sheet_text().encode(),
        "nested": b"a = " + b"[" * 10000 + b"]" * 10000,
        "huge-exponent": sheet_text(performance="fp8 = 1e999999999").encode(),
        "quoted-key-newline": sheet_text(performance='"fp\\n8" = 1').encode(),
        "surrogate-escape": sheet_text(performance='fp8 = "\\ud800 TOPS"').encode(),
    }


@pytest.mark.parametrize("name", sorted(_hostile()))
def test_hostile_files_through_main_exit_2_with_one_line_each(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_bytes(_hostile()[name])
    with pytest.raises(SystemExit) as done:
        main(["classify", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert done.value.code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    assert err.strip() and all(str(path) in line for line in err.strip().splitlines())
    assert json.loads(out)["results"] == []


def test_a_good_sheet_through_main_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["classify", str(ROOT / "specs/nvidia/h20.toml"), "-f", "json"])
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["metrics"]["tpp"] == 2368


def test_the_oracle_itself_can_fail() -> None:
    """The fuzz oracle is not vacuous: it rejects what the loader must never produce."""
    with pytest.raises(AssertionError):
        check_problems(SheetError([]), "x.toml")  # a refusal that names nothing
    with pytest.raises(AssertionError):
        check_problems(SheetError([Problem("x.toml", "two\nlines")]), "x.toml")
    with pytest.raises(AssertionError):
        check_problems(SheetError([Problem("other.toml", "wrong file")]), "x.toml")
    assert check_text(sheet_text()) is not None
    assert check_text('format = "chipclass/1"') is None  # an input error, accepted as such
