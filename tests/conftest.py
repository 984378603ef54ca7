"""Shared fixtures: the bundled catalog, a CLI runner, and a sheet writer."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import Phase, settings

from chipclass.cli import cli

#: Hypothesis profiles, chosen by CHIPCLASS_HYPOTHESIS:
#: - default ("fast"): an eighth of each property test's examples (at least 5), and 15 for a
#:   test that sets none, so `python -m pytest -n auto` takes about a minute on 2 CPUs;
#: - `thorough`: every property test with its full number of examples (Hypothesis's 100
#:   where a test sets none): run it before a release, or after touching the engine;
#: - `mutation` (what mutmut_runner.py sets, docs/mutation.md): a tenth, derandomized (a
#:   mutant is killed or not the same way on every run), and no shrinking of a failing
#:   example (a mutant is killed by the first one; shrinking it took minutes a mutant).
PROFILE = os.environ.get("CHIPCLASS_HYPOTHESIS", "").lower() or "fast"
THOROUGH = PROFILE == "thorough"
MUTATION = PROFILE == "mutation"
if PROFILE not in ("fast", "thorough", "mutation"):
    raise pytest.UsageError(
        f"CHIPCLASS_HYPOTHESIS={PROFILE!r}: use fast (the default), thorough or mutation"
    )

settings.register_profile("fast", max_examples=15)
settings.register_profile("thorough")
settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
settings.load_profile(PROFILE)


def examples(thorough: int) -> int:
    """A property test's number of examples: `thorough` in the thorough profile, a
    tenth of it (at least 5) in the mutation profile, an eighth of it (at least 5) by
    default."""
    if THOROUGH:
        return thorough
    return max(5, thorough // 10) if MUTATION else max(5, thorough // 8)


ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

#: a test part: made by an addressee of every letter (NVIDIA), so the letters bind it as
#: they bind the parts they were written for, and on sale in the U.S. since 2024 (the 2026
#: relief reads it); tests of the addressees and of us_available write their own sheets
MINIMAL_SHEET = """\
format = "chipclass/1"

[chip]
id = "{id}"
name = "Test chip {id}"
vendor = "NVIDIA"
us_available = 2024-01-01
datacenter = {datacenter}

[performance]
{performance}

{rest}
"""


@pytest.fixture
def specs() -> Path:
    return SPECS


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke the CLI in-process; the Result has exit_code, stdout and stderr."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def sheet_text(
    chip_id: str = "test-chip",
    performance: str = "fp8 = 296",
    rest: str = "",
    datacenter: bool = True,
) -> str:
    return MINIMAL_SHEET.format(
        id=chip_id,
        performance=performance,
        rest=rest,
        datacenter=str(datacenter).lower(),
    )


@pytest.fixture
def write_sheet(tmp_path: Path) -> Callable[..., Path]:
    """write_sheet("name.toml", text) or write_sheet("name.toml", performance=..., rest=...)."""

    def write(name: str = "chip.toml", text: str | None = None, **fields: object) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        body = text if text is not None else sheet_text(**fields)  # type: ignore[arg-type]
        path.write_text(body, encoding="utf-8")
        return path

    return write


def run_in_pty(argv: list[str], env: dict[str, str], cwd: str | None = None) -> str:
    """Run argv with a pseudo-terminal as its stdin, stdout and stderr (POSIX); everything
    it wrote there, decoded."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: run with the pty as its terminal
        if cwd is not None:
            os.chdir(cwd)
        os.execve(argv[0], argv, env)
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")
