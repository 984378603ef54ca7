"""`classify --jobs N`: a batch spread over processes writes exactly what one process writes."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result as RunResult

from chipclass import parallel
from chipclass.classify import Result
from chipclass.editions import all_editions
from chipclass.parallel import AUTO, AUTO_MIN_SHEETS, jobs_for, rendered

Run = Callable[..., RunResult]

SHEETS = Path(__file__).resolve().parent / "sheets"


def test_jobs_2_writes_the_same_json_as_jobs_1_for_the_catalog(run: Run, specs: Path) -> None:
    one = run("classify", str(specs), "--all-editions", "--format", "json", "--jobs", "1")
    two = run("classify", str(specs), "--all-editions", "--format", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout.count('"file": ') == len(list(specs.rglob("*.toml")))  # every sheet
    assert two.stdout_bytes == one.stdout_bytes
    assert two.stderr == one.stderr == ""


def test_jobs_2_writes_the_same_jsonl_as_jobs_1(run: Run, specs: Path) -> None:
    one = run("classify", str(specs / "nvidia"), "--format", "jsonl")
    two = run("classify", str(specs / "nvidia"), "--format", "jsonl", "-j", "2")
    assert two.exit_code == one.exit_code == 0
    assert two.stdout_bytes == one.stdout_bytes
    assert len(one.stdout.splitlines()) == len(list((specs / "nvidia").glob("*.toml")))


@pytest.fixture
def mixed(tmp_path: Path, specs: Path) -> Path:
    """Good sheets, a broken one, a duplicate chip id and an unreadable name, in one tree."""
    root = tmp_path / "mixed"
    shutil.copytree(specs / "nvidia", root / "nvidia")
    shutil.copy(specs / "nvidia" / "h20.toml", root / "zz-copy-of-h20.toml")  # duplicate id
    (root / "broken.toml").write_text('format = "chipclass/1"\n[chip]\nid = "Bad Id"\n')
    (root / "not-toml.toml").write_text("this is = = not toml\n")
    return root


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_problems_are_reported_alike_with_jobs(
    run: Run, mixed: Path, specs: Path, fmt: str
) -> None:
    args = ("classify", str(mixed), str(mixed / "missing.toml"), str(specs / "amd"), "-f", fmt)
    one = run(*args)
    two = run(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 2  # input errors
    assert two.stdout_bytes == one.stdout_bytes
    assert two.stderr == one.stderr
    assert "already used by" in one.stderr  # the duplicate id, found in walk order
    assert "zz-copy-of-h20.toml" in one.stderr
    assert "missing.toml: no such file or folder" in one.stderr
    assert "broken.toml" in one.stderr and "not-toml.toml" in one.stderr


def test_jobs_0_means_one_per_cpu(run: Run, specs: Path) -> None:
    assert jobs_for(0) == (os.cpu_count() or 1)
    assert jobs_for(3) == min(3, os.cpu_count() or 1)
    assert jobs_for(200) == (os.cpu_count() or 1)  # capped at the CPUs
    one = run("classify", str(specs / "amd"), "-f", "json")
    auto = run("classify", str(specs / "amd"), "-f", "json", "--jobs", "0")
    assert auto.exit_code == 0
    assert auto.stdout_bytes == one.stdout_bytes


def test_auto_spreads_only_a_batch_large_enough_to_pay() -> None:
    cpus = os.cpu_count() or 1
    assert jobs_for(AUTO, 1) == 1
    assert jobs_for(AUTO, AUTO_MIN_SHEETS - 1) == 1
    assert jobs_for(AUTO, AUTO_MIN_SHEETS) == min(cpus, AUTO_MIN_SHEETS // 250)
    assert jobs_for(AUTO, 10**6) == cpus


def test_auto_is_the_default_and_writes_what_one_process_writes(
    run: Run, specs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "AUTO_MIN_SHEETS", 2)  # the catalog, spread
    monkeypatch.setattr(parallel, "AUTO_SHEETS_PER_WORKER", 2)
    assert parallel.jobs_for(AUTO, 40) == min(os.cpu_count() or 1, 20)
    one = run("classify", str(specs), "--all-editions", "-f", "json", "--jobs", "1")
    auto = run("classify", str(specs), "--all-editions", "-f", "json")
    named = run("classify", str(specs), "--all-editions", "-f", "json", "--jobs", "AUTO")
    assert one.exit_code == auto.exit_code == named.exit_code == 0
    assert auto.stdout_bytes == one.stdout_bytes == named.stdout_bytes


def test_workers_started_afresh_write_what_one_process_writes(specs: Path) -> None:
    """Where workers do not fork (spawn: macOS and Windows; forkserver: Linux from Python
    3.14) they receive the editions pickled, and work out the rest for themselves."""
    code = (
        "import multiprocessing, sys\n"
        "from chipclass.cli import main\n"
        "multiprocessing.set_start_method('spawn')\n"
        "from chipclass.editions import all_editions\n"
        "all_editions()[-1].compiled  # worked out here, and again in each worker\n"
        "main()\n"
    )
    args = [str(specs), "--all-editions", "-f", "json"]
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, "classify", *args, "--jobs", jobs],
            capture_output=True,
            check=False,
        )
        for jobs in ("1", "2")
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[1].stderr
    assert runs[1].stdout == runs[0].stdout


def test_an_edition_is_pickled_without_what_it_works_out() -> None:
    edition = all_editions()[-1]
    assert edition.compiled.edition is edition
    copy = pickle.loads(pickle.dumps(edition))
    assert copy == edition and "compiled" not in vars(copy)
    assert copy.compiled.checks == edition.compiled.checks


def test_a_negative_job_count_is_a_usage_error(run: Run, specs: Path) -> None:
    for wrong in ("-1", "x", "1.5"):
        result = run("classify", str(specs / "amd"), "--jobs", wrong)
        assert result.exit_code == 2
        assert "--jobs" in result.stderr and "'auto'" in result.stderr


def test_rendered_yields_the_same_items_in_the_same_order(mixed: Path) -> None:
    editions = all_editions()
    serial = list(rendered([mixed, SHEETS / "valid"], editions, _chip_line, jobs=1))
    spread = list(rendered([mixed, SHEETS / "valid"], editions, _chip_line, jobs=2))
    assert spread == serial
    texts = [item.decode() for item in serial if isinstance(item, bytes)]
    assert texts[0].startswith("nvidia-")  # the folder's sheets first, sorted by name
    assert sum(isinstance(item, list) for item in serial) == 3  # broken, not-toml, duplicate


def _chip_line(result: Result) -> str:
    """A module-level renderer (workers receive it by reference)."""
    return f"{result.spec.id} " + ",".join(v.label for v in result.verdicts)
