"""The CSL download: import round trips (CSV and JSON), malformed files refused with
file, line and reason and nothing written, `parties info` and `parties diff`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from chipclass.parties import PartiesError, load_list
from chipclass.parties.csl import CSL_COLUMNS, read_csl
from chipclass.parties.store import import_csl

HERE = Path(__file__).parent / "parties"
SMALL_CSV = HERE / "consolidated-small.csv"
SMALL_JSON = HERE / "consolidated-small.json"
RunCli = Callable[..., Result]
EL = "Entity List (EL) - Bureau of Industry and Security"


def test_csv_rows_read_as_published() -> None:
    read = read_csl(SMALL_CSV)
    assert read.format == "csv"
    assert [e.id for e in read.entries] == ["el-0001", "el-0002", "sdn-0003", "dpl-0004"]
    sugon = read.entries[0]
    assert sugon.list == EL
    assert sugon.aliases == (
        "Dawning Information Industry",
        "Zhongke Shuguang",
        "Tianjin Shuguang Computer Industry",
    )
    assert sugon.federal_register == ("84 FR 29371",)
    assert sugon.added == dt.date(2019, 6, 24) and sugon.removed is None
    assert sugon.country == "CN"
    two = read.entries[1]
    assert two.countries == ("CN", "HK")
    assert two.federal_register == ("90 FR 14046", "90 FR 20000")
    assert read.entries[2].programs == ("NPWMD", "IFSR")
    assert read.entries[3].removed == dt.date(2012, 3, 4)


def test_json_reads_the_same_entries() -> None:
    csv_entries = read_csl(SMALL_CSV).entries
    json_read = read_csl(SMALL_JSON)
    assert json_read.format == "json"
    assert [e.id for e in json_read.entries] == [e.id for e in csv_entries]
    for a, b in zip(csv_entries, json_read.entries, strict=True):
        assert (a.name, a.aliases, a.countries, a.added, a.removed, a.list) == (
            b.name,
            b.aliases,
            b.countries,
            b.added,
            b.removed,
            b.list,
        )


@pytest.mark.parametrize("source", [SMALL_CSV, SMALL_JSON])
def test_import_round_trips(tmp_path: Path, source: Path) -> None:
    target = tmp_path / "csl.jsonl"
    moment = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.timezone.utc)
    snapshot = import_csl(source, target, now=moment)
    again = load_list(target)
    assert again.kind == "imported"
    assert again.entries == read_csl(source).entries == snapshot.entries
    assert again.as_of == dt.date(2026, 12, 1)
    manifest = again.manifest
    assert manifest is not None
    assert manifest.imported_at == "2026-12-01T05:00:00+00:00"
    assert manifest.source_file == source.name
    assert manifest.source_sha256 == read_csl(source).sha256
    assert dict(manifest.per_list) == {
        EL: 2,
        "Specially Designated Nationals (SDN) - Treasury Department": 1,
        "Denied Persons List (DPL) - Bureau of Industry and Security": 1,
    }


def test_cli_import_and_info(run: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "csl.jsonl"
    result = run("parties", "import", str(SMALL_CSV), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "imported 4 entries" in result.stdout
    info = run("parties", "info", "--list", str(target), "-f", "json")
    assert info.exit_code == 0
    data = json.loads(info.stdout)["list"]
    assert data["entries"] == 4 and data["kind"] == "imported"
    assert data["manifest"]["source_format"] == "csv"
    assert data["manifest"]["per_list"][EL] == 2
    screened = run("screen", "--list", str(target), "Zhongke Shuguang", "-f", "json")
    assert json.loads(screened.stdout)["results"][0]["matches"][0]["entry_id"] == "el-0001"


def test_the_bundled_snapshot_info(run: RunCli) -> None:
    data = json.loads(run("parties", "info", "-f", "json").stdout)["list"]
    assert data["name"] == "Entity List" and data["kind"] == "snapshot"
    assert data["manifest"] is None


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [
        (
            lambda lines: [*lines[:2], '"short","row"\n', *lines[2:]],
            3,
            "2 columns, the header has 29",
        ),
        (
            lambda lines: [lines[0], lines[1].replace("2019-06-24", "24/06/2019"), *lines[2:]],
            2,
            "start_date: '24/06/2019' is not a date",
        ),
        (
            lambda lines: [*lines[:3], lines[3].replace('"sdn-0003"', '""'), *lines[4:]],
            4,
            "_id: is empty",
        ),
    ],
)
def test_a_malformed_row_refuses_the_file(
    run: RunCli, tmp_path: Path, change: Callable[[list[str]], list[str]], where: int, reason: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(change(_lines(SMALL_CSV))), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = run("parties", "import", str(bad), "-o", str(target))
    assert result.exit_code == 2
    assert f"{bad}:{where}:" in result.stderr and reason in result.stderr
    assert "nothing written" in result.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]  # no temporary file left


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    data = SMALL_CSV.read_bytes().replace(b"Zhongke", b"Zh\xffongke")
    bad.write_bytes(data)
    with pytest.raises(PartiesError) as caught:
        read_csl(bad)
    (problem,) = caught.value.problems
    assert problem.line == 2 and "not UTF-8" in problem.message


def test_a_header_with_a_column_more_or_less(tmp_path: Path) -> None:
    lines = _lines(SMALL_CSV)
    more = tmp_path / "more.csv"
    more.write_text(lines[0].rstrip("\n") + ',"extra"\n', encoding="utf-8")
    with pytest.raises(PartiesError, match=r"30 columns.*unexpected 'extra'"):
        read_csl(more)
    less = tmp_path / "less.csv"
    less.write_text(",".join(CSL_COLUMNS[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(PartiesError, match=r"28 columns.*missing ids"):
        read_csl(less)
    swapped = tmp_path / "swapped.csv"
    order = list(CSL_COLUMNS)
    order[0], order[1] = order[1], order[0]
    swapped.write_text(",".join(order) + "\n", encoding="utf-8")
    with pytest.raises(PartiesError, match=r"column 1 is 'source'"):
        read_csl(swapped)


def test_malformed_json(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.json"
    truncated.write_text(SMALL_JSON.read_text(encoding="utf-8")[:400], encoding="utf-8")
    with pytest.raises(PartiesError) as caught:
        read_csl(truncated)
    assert caught.value.problems[0].line is not None
    no_results = tmp_path / "other.json"
    no_results.write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(PartiesError, match='no "results" array'):
        read_csl(no_results)
    bad_row = tmp_path / "bad.json"
    data = json.loads(SMALL_JSON.read_text(encoding="utf-8"))
    data["results"][2]["start_date"] = "soon"
    bad_row.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(PartiesError) as caught:
        read_csl(bad_row)
    (problem,) = caught.value.problems
    assert problem.key == "start_date" and problem.line is not None
    assert bad_row.read_text().splitlines()[problem.line - 1].strip() == "{"


def test_import_keeps_an_existing_snapshot_when_the_new_file_is_bad(
    run: RunCli, tmp_path: Path
) -> None:
    target = tmp_path / "csl.jsonl"
    assert run("parties", "import", str(SMALL_CSV), "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(_lines(SMALL_CSV)[:2]) + '"x"\n', encoding="utf-8")
    assert run("parties", "import", str(bad), "-o", str(target)).exit_code == 2
    assert target.read_bytes() == before


def test_diff(run: RunCli, tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    lines = _lines(SMALL_CSV)
    changed = lines[1].replace("Zhongke Shuguang; ", "")  # an alias dropped
    extra = lines[3].replace("sdn-0003", "sdn-0005").replace("EXAMPLE SHIPPING", "OTHER SHIPPING")
    new.write_text(lines[0] + changed + lines[2] + extra + lines[4], encoding="utf-8")
    shutil.copy(SMALL_CSV, tmp_path / "old.csv")
    result = run("parties", "diff", str(tmp_path / "old.csv"), str(new), "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [e["id"] for e in data["added"]] == ["sdn-0005"]
    assert [e["id"] for e in data["removed"]] == ["sdn-0003"]
    assert data["changed"] == [
        {"id": "el-0001", "name": "Sugon", "list": EL, "fields": ["aliases"]}
    ]
    text = run("parties", "diff", str(tmp_path / "old.csv"), str(new))
    assert "1 added, 1 removed, 1 changed" in text.stdout
    same = run("parties", "diff", str(SMALL_CSV), str(SMALL_JSON))
    assert same.exit_code == 0, same.stdout
