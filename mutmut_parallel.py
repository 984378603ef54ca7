"""A whole mutation run in one command, on two workers (docs/mutation.md).

    python mutmut_parallel.py                      # the five modules of [tool.mutmut]
    python mutmut_parallel.py --paths chipclass/units.py,chipclass/metrics.py
    python mutmut_parallel.py --again              # after new tests: what is not killed

mutmut 2 tests one mutant at a time and edits the files it mutates in place, so the
driver gives each worker its own copy of the tree (the commit at HEAD):

1. FOLDER (default /tmp/chipclass-mutation) is the copy the results end up in, and
   FOLDER/.workers/1, 2, ... are the workers' copies.
2. The coverage contexts (which test covers which line) are recorded once, in the first
   worker's copy, and copied to the others; the files are recorded relative to the copy.
   The recording's time stands in for mutmut's baseline run (it runs the same tests;
   each fork server stops a mutant's tests after its own cap anyway).
3. Each worker gets a fork server (mutmut_runner.py, its socket in its own copy) and a
   mutmut process. Both walk the same mutants in the same order; `pre_mutation`
   (mutmut_config.py) claims each mutant in FOLDER/.workers/claims, and a worker skips
   the mutants the other claimed first. So the work splits itself: neither worker waits
   while the other has mutants left, whatever each mutant costs.
4. The workers' caches are merged into FOLDER/.mutmut-cache (each mutant's result from
   the worker that tested it), and FOLDER/mutation-report.txt lists the totals per module
   and every mutant not killed, as `line: before -> after`. `mutmut results` and
   `mutmut show ID` work in FOLDER as after a serial run.

With `--again`, the merged cache of the last run is the workers' starting point: a
killed mutant stays killed, and the others (after the tests changed) are tested again,
split the same way. The tree is taken afresh from HEAD, so commit the new tests first.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent
CACHE = ".mutmut-cache"
#: what `mutmut_config.py --record` writes, copied from the first worker to the others
RECORDED = (".mutmut-coverage", ".mutmut-durations.json", ".mutmut-coveragerc")
SKIPPED = "skipped"
UNTESTED = "untested"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--paths", help="modules to mutate, comma-separated (default: all)")
    parser.add_argument("--workers", type=int, default=2, help="mutmut processes (default 2)")
    parser.add_argument("--folder", default="/tmp/chipclass-mutation", type=Path)
    parser.add_argument("--again", action="store_true", help="start from the last results")
    args = parser.parse_args(argv)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    settings = config["tool"]["mutmut"]
    paths = args.paths or settings["paths_to_mutate"]
    folder: Path = args.folder.resolve()
    workers = [folder / ".workers" / str(n) for n in range(1, args.workers + 1)]
    claims = folder / ".workers" / "claims"
    if args.workers < 1:
        parser.error("--workers: at least 1")
    if args.again and not (folder / CACHE).exists():
        parser.error(f"--again: no results in {folder} (run without --again first)")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so `finally` stops the workers
    started = time.monotonic()
    begun = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    commit = _git("rev-parse", "--short", "HEAD")
    previous = folder.parent / (folder.name + ".previous-cache")
    if args.again:
        shutil.copyfile(folder / CACHE, previous)
    if folder.exists():
        shutil.rmtree(folder)
    for copy in [folder, *workers]:
        _export(copy)
    claims.mkdir()
    if args.again:
        for copy in [folder, *workers]:
            shutil.copyfile(previous, copy / CACHE)
        previous.unlink()

    print(f"{begun}: commit {commit}, {len(workers)} workers, in {folder}", flush=True)
    record_start = time.monotonic()
    if _python(["mutmut_config.py", "--record"], workers[0], quiet=True) != 0:
        print(f"the tests fail unmutated (see {workers[0]}/record.log)", file=sys.stderr)
        return 1
    baseline = time.monotonic() - record_start
    print(f"contexts recorded in {baseline:.0f} s", flush=True)
    for copy in workers[1:]:
        for name in RECORDED:
            shutil.copyfile(workers[0] / name, copy / name)
    tests_dirs = [d for d in settings.get("tests_dir", "tests/").split(",") if d]
    for copy in workers:
        _seed_baseline(copy, baseline, tests_dirs)

    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "CHIPCLASS_HYPOTHESIS": "mutation",
        "CHIPCLASS_MUTATION_CLAIMS": str(claims),
    }
    servers = []
    runs = []
    try:
        for copy in workers:
            # each copy its own pytest temporary folder: two sessions at once must not
            # clean up each other's numbered folders under the shared default
            own = {**env, "PYTEST_ADDOPTS": f"--basetemp={copy / '.pytest-tmp'}"}
            servers.append(_start_server(copy, own))
        for copy in workers:
            own = {
                **env,
                "PYTEST_ADDOPTS": f"--basetemp={copy / '.pytest-tmp'}",
                "CHIPCLASS_MUTATION_LOG": str(copy / "stages.log"),
            }
            command = [sys.executable, "-m", "mutmut", "run", "--paths-to-mutate", paths]
            log = open(copy / "mutmut.log", "w", encoding="utf-8")  # noqa: SIM115
            # its own process group: mutmut's worker process and the tests go with it
            runs.append(
                subprocess.Popen(
                    [*command, "--no-progress"],
                    cwd=copy,
                    env=own,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            )
        _watch(runs, claims, started)
    finally:  # interrupted (Ctrl-C, SIGTERM) or done: nothing of the run is left behind
        for run in runs:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGTERM)
                run.wait()
        for server in servers:
            server.terminate()
            server.wait()
    wall = time.monotonic() - started
    failed = [str(copy) for copy, run in zip(workers, runs, strict=True) if run.returncode & 1]
    if failed:  # mutmut's exit code: 1 is a fatal error; 2, 4, 8 say what it found
        print(f"mutmut failed in {', '.join(failed)} (see mutmut.log there)", file=sys.stderr)

    _merge(folder / CACHE, [copy / CACHE for copy in workers])
    # each claim names the worker's copy (and the time): what each worker took on
    done = Counter(claim.read_text(encoding="utf-8").split()[0] for claim in claims.iterdir())
    print(f"merged into {folder / CACHE}", flush=True)
    minutes, seconds = divmod(round(wall), 60)
    header = [
        "chipclass mutation report (issue 20): mutmut 2.5.1, mutmut_parallel.py",
        f"commit {commit}, started {begun}, {len(workers)} workers,"
        f" wall time {minutes} min {seconds:02d} s (recording included)",
        "mutants claimed per worker (tested, or found to be an annotation only): "
        + ", ".join(f"{n}: {done[str(copy)]}" for n, copy in enumerate(workers, 1)),
    ]
    header.append(_stages([copy / "stages.log" for copy in workers]))
    report = _report(folder, header, paths)
    (folder / "mutation-report.txt").write_text(report, encoding="utf-8")
    print(report, end="")
    return 1 if failed else 0


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _export(copy: Path) -> None:
    """HEAD's tree into `copy`, its bytecode hash-checked (docs/mutation.md, step 1)."""
    copy.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive, check=True)
    compile_all = ["-m", "compileall", "-q", "--invalidation-mode", "checked-hash"]
    if _python([*compile_all, "chipclass", "tests"], copy, quiet=True) != 0:
        raise SystemExit(f"compileall failed in {copy}")


def _python(args: list[str], cwd: Path, *, quiet: bool = False) -> int:
    log = open(cwd / "record.log", "a", encoding="utf-8") if quiet else None  # noqa: SIM115
    try:
        return subprocess.call([sys.executable, *args], cwd=cwd, stdout=log, stderr=log)
    finally:
        if log is not None:
            log.close()


def _seed_baseline(copy: Path, seconds: float, tests_dirs: list[str]) -> None:
    """mutmut's cached baseline time, for the tests as mutmut hashes them: mutmut then
    skips its own baseline run (the recording ran the same tests, and they passed)."""
    code = (
        "import sys; from mutmut.cache import hash_of_tests, set_cached_test_time; "
        "set_cached_test_time(float(sys.argv[1]), hash_of_tests(sys.argv[2:]))"
    )
    # (mutmut says it clears an "out of date" cache: the one it has just created)
    subprocess.run(
        [sys.executable, "-c", code, str(seconds), *tests_dirs],
        cwd=copy,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _start_server(copy: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = open(copy / "server.log", "w", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "mutmut_runner.py", "--serve"], cwd=copy, env=env, stderr=log
    )
    socket = copy / ".mutmut-runner.sock"
    for _ in range(300):
        if socket.exists():
            return server
        if server.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit(f"the fork server in {copy} did not start (see server.log there)")


def _watch(runs: list[subprocess.Popen[bytes]], claims: Path, started: float) -> None:
    """Wait for the workers, with a line of progress a minute."""
    last = time.monotonic()
    while any(run.poll() is None for run in runs):
        time.sleep(1)
        if time.monotonic() - last >= 60:
            last = time.monotonic()
            claimed = sum(1 for _ in claims.iterdir())
            minutes = (last - started) / 60
            print(f"{minutes:5.1f} min: {claimed} mutants claimed", flush=True)


def _merge(into: Path, caches: list[Path]) -> list[str]:
    """The first worker's cache, each mutant's result taken from the worker that tested
    it (the others skipped it). Returns, per mutant tested, the folder that tested it."""
    shutil.copyfile(caches[0], into)
    key = (
        'SELECT m.id, f.filename, l.line_number, l.line, m."index", m.status,'
        " m.tested_against_hash FROM mutant m JOIN line l ON m.line = l.id"
        " JOIN sourcefile f ON l.sourcefile = f.id"
    )
    results: list[dict[tuple[str, int, str, int], tuple[str, str]]] = []
    for cache in caches:
        with sqlite3.connect(cache) as db:
            results.append({tuple(row[1:5]): (row[5], row[6]) for row in db.execute(key)})
    tested_by: list[str] = []
    with sqlite3.connect(into) as db:
        for row in list(db.execute(key)):
            mutant = tuple(row[1:5])
            found = [
                (cache, result[mutant])
                for cache, result in zip(caches, results, strict=True)
                if mutant in result and result[mutant][0] != SKIPPED
            ]
            if found:
                cache, (status, tests_hash) = found[0]
                tested_by.append(str(cache.parent))
            else:  # skipped by every worker: by the one that claimed it, as an annotation
                status, tests_hash = row[5], row[6]
            if (status, tests_hash) != (row[5], row[6]):
                db.execute(
                    "UPDATE mutant SET status = ?, tested_against_hash = ? WHERE id = ?",
                    (status, tests_hash, row[0]),
                )
    return tested_by


def _stages(logs: list[Path]) -> str:
    """How the mutants' tests ran: per stage, how many ran, how many killed, how long."""
    runs: Counter[str] = Counter()
    kills: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    for log in logs:
        if not log.exists():
            continue
        for line in log.read_text(encoding="utf-8").splitlines():
            stage, code, took, _ = line.split()
            runs[stage] += 1
            kills[stage] += code == "1"
            seconds[stage] += float(took)
    parts = [
        f"stage {stage}: {runs[stage]} runs, {kills[stage]} killed, {seconds[stage] / 60:.1f} min"
        for stage in sorted(runs)
    ]
    return "test runs (stage/stages): " + ("; ".join(parts) if parts else "none logged")


def _report(folder: Path, header: list[str], paths: str) -> str:
    """Totals per module, then each mutant not killed as `id file:line: before -> after`."""
    modules = [p for p in paths.split(",") if p]
    counts: dict[str, Counter[str]] = {m: Counter() for m in modules}
    left: list[tuple[str, int, int, str, str]] = []
    query = (
        'SELECT m.id, f.filename, l.line_number, m."index", m.status, l.line'
        " FROM mutant m JOIN line l ON m.line = l.id JOIN sourcefile f ON l.sourcefile = f.id"
        ' ORDER BY f.filename, l.line_number, m."index"'
    )
    with sqlite3.connect(folder / CACHE) as db:
        rows = list(db.execute(query))
    for pk, filename, line_number, index, status, line in rows:
        if filename not in counts:
            continue
        counts[filename][status] += 1
        if status != "ok_killed":
            after = _mutated_line(folder, filename, line, line_number, index)
            left.append((status, pk, line_number + 1, f"{filename}:{line_number + 1}", after))
    words = {
        "ok_killed": "killed",
        "bad_survived": "survived",
        "bad_timeout": "timed out",
        "ok_suspicious": "suspicious (killed, slowly)",
        SKIPPED: "not run (an annotation only)",
        UNTESTED: UNTESTED,
    }
    out = [*header, "", "module: mutants, then each outcome"]
    for module, count in counts.items():
        parts = ", ".join(f"{words.get(s, s)} {n}" for s, n in sorted(count.items()))
        out.append(f"  {module}: {sum(count.values())}: {parts}")
    out.append("")
    out.append("not killed: id file:line: before -> after")
    lines_of = {m: (folder / m).read_text(encoding="utf-8").split("\n") for m in counts}
    for status, pk, number, where, after in left:  # in the order of file, line, index
        before = lines_of[where.split(":")[0]][number - 1].strip()
        out.append(f"  [{words.get(status, status)}] {pk} {where}: {before}  ->  {after}")
    return "\n".join(out) + "\n"


def _mutated_line(folder: Path, filename: str, line: str, line_number: int, index: int) -> str:
    """The mutated line (or lines), as mutmut writes the mutant (`mutmut show`)."""
    from mutmut import Context, RelativeMutationID, mutate

    source = (folder / filename).read_text(encoding="utf-8")
    mutant = RelativeMutationID(line=line, index=index, line_number=line_number)
    context = Context(source=source, filename=filename, dict_synonyms=[""], mutation_id=mutant)
    old, new = source.split("\n"), mutate(context)[0].split("\n")
    changed = [
        text.strip()
        for tag, _, _, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes()
        if tag != "equal"
        for text in new[j1:j2]
    ]
    return " / ".join(changed) if changed else "(line removed)"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
