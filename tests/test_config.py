"""[tool.chipclass] in pyproject.toml: discovery, checking, and override by options."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import Result

from chipclass import config
from chipclass.config import ConfigError

Run = Callable[..., Result]

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def project(
    tmp_path: Path, table: str, sheets: tuple[str, ...] = ("nvidia/h100-sxm.toml",)
) -> Path:
    """tmp/proj/pyproject.toml with `table`, sheets copied to tmp/proj/specs, and tmp/proj/sub."""
    root = tmp_path / "proj"
    (root / "specs").mkdir(parents=True)
    (root / "sub").mkdir()
    for name in sheets:
        source = SPECS / name
        (root / "specs" / source.name).write_text(source.read_text(encoding="utf-8"), "utf-8")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "skus"\n\n[tool.chipclass]\n' + table, encoding="utf-8"
    )
    return root


def results(result: Result) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(result.stdout)["results"]
    return data


# --------------------------------------------------------------------------- discovery


def test_pyproject_in_a_parent_folder_sets_policy_and_paths(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, 'fail-on = "license-required"\npaths = ["specs"]\n')
    monkeypatch.chdir(root / "sub")
    # H100 SXM is license-required under the latest edition: fails this policy
    result = run("check", "-f", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["policy"]["fail_on"] == "license-required"
    assert data["policy"]["config"] == str((root / "pyproject.toml").resolve())
    (res,) = data["results"]
    # relative paths resolve against the pyproject's folder, not the working folder
    assert Path(str(res["file"])).resolve() == (root / "specs/h100-sxm.toml").resolve()


def test_command_line_options_override_the_configuration(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, 'fail-on = "license-required"\npaths = ["specs"]\n')
    monkeypatch.chdir(root)
    assert run("check").exit_code == 1
    assert run("check", "--fail-on", "restricted").exit_code == 0
    # PATH arguments replace the configured paths
    other = SPECS / "nvidia/rtx-4090-d.toml"  # exportable
    result = run("check", str(other), "-f", "json")
    assert result.exit_code == 0
    assert [r["chip"] for r in results(result)] == [
        {"id": "nvidia-rtx-4090-d", "name": "NVIDIA GeForce RTX 4090 D", "vendor": "NVIDIA"}
    ]
    assert run("check", "--no-config", str(SPECS / "nvidia/h100-sxm.toml")).exit_code == 0


def test_configured_edition_and_min_margin(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # H20 under us-2023-10: exportable, +1.351 % from license-required
    root = project(
        tmp_path,
        'edition = "us-2023-10"\nfail-on = "license-required"\nmin-margin = 2\npaths = ["specs"]\n',
        sheets=("nvidia/h20.toml",),
    )
    monkeypatch.chdir(root)
    result = run("check", "-f", "json")
    assert result.exit_code == 1
    (res,) = results(result)
    assert res["edition"] == "us-2023-10" and res["label"] == "exportable"
    assert run("check", "--min-margin", "1").exit_code == 0
    latest = run("check", "--edition", "latest", "-f", "json")
    assert [r["edition"] for r in results(latest)] == ["us-2026-01"]
    assert latest.exit_code == 1  # license-required under the latest edition


def test_allow_indeterminate_from_configuration_and_its_override(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, 'allow-indeterminate = true\npaths = ["specs"]\n', ())
    (root / "specs/tpu.toml").write_text(
        'format = "chipclass/1"\n[chip]\nid = "tpu"\nname = "TPU"\nvendor = "T"\n'
        "[performance]\nint8 = 394\n[memory]\nbandwidth_gbs = 819\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    assert run("check").exit_code == 0
    assert run("check", "--no-allow-indeterminate").exit_code == 1


def test_the_nearest_pyproject_with_a_table_wins(tmp_path: Path) -> None:
    root = project(tmp_path, 'fail-on = "license-required"\n')
    inner = root / "sub" / "pkg"
    inner.mkdir()
    # a pyproject.toml without [tool.chipclass] is passed over
    (inner / "pyproject.toml").write_text('[project]\nname = "pkg"\n', encoding="utf-8")
    assert config.find(inner) == (root / "pyproject.toml").resolve()
    (root / "sub" / "pyproject.toml").write_text(
        '[tool.chipclass]\nfail-on = "restricted"\n', encoding="utf-8"
    )
    found = config.discover(inner)
    assert found is not None and found.fail_on == "restricted"
    assert found.source == (root / "sub" / "pyproject.toml").resolve()


def test_no_pyproject_means_no_configuration(tmp_path: Path) -> None:
    assert config.discover(tmp_path) is None


def test_load_reads_every_key(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        "[tool.chipclass]\n"
        'edition = ["us-2023-10", "latest"]\n'
        'fail-on = "license-required"\n'
        "min-margin = 1.5\n"
        'paths = ["specs", "more/skus"]\n'
        "allow-indeterminate = true\n",
        encoding="utf-8",
    )
    loaded = config.load(path)
    assert loaded.editions == ("us-2023-10", "latest")
    assert loaded.fail_on == "license-required"
    assert loaded.min_margin_pct == Fraction(3, 2)
    assert loaded.paths == (tmp_path / "specs", tmp_path / "more/skus")
    assert loaded.allow_indeterminate is True


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("line", "key", "words"),
    [
        ('fail_on = "restricted"', "fail_on", "did you mean 'fail-on'"),
        ("fail-on = 3", "fail-on", "must be one of license-required, restricted"),
        ('fail-on = "exportable"', "fail-on", "must be one of"),
        ('min-margin = "2"', "min-margin", "must be a number of percent"),
        ("min-margin = -1", "min-margin", "between 0 and 1000"),
        ("min-margin = nan", "min-margin", "finite"),
        ('paths = "specs"', "paths", "must be a list of paths"),
        ("paths = [1]", "paths", "must be a list of paths"),
        ('allow-indeterminate = "yes"', "allow-indeterminate", "true or false"),
        ('edition = "us-1999-01"', "edition", "unknown edition 'us-1999-01'"),
        ("edition = 2023", "edition", "must be an edition id"),
    ],
)
def test_bad_configuration_names_the_file_and_the_key(
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    line: str,
    key: str,
    words: str,
) -> None:
    root = project(tmp_path, line + "\n")
    monkeypatch.chdir(root)
    result = run("check", str(SPECS / "nvidia/h20.toml"))
    assert result.exit_code == 2
    assert str((root / "pyproject.toml").resolve()) in result.stderr
    assert f"[tool.chipclass] {key}" in result.stderr
    assert words in result.stderr
    assert result.stdout == ""


def test_every_bad_key_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.chipclass]\nfail-on = 1\npaths = "x"\ncolour = "red"\n', "utf-8")
    with pytest.raises(ConfigError) as error:
        config.load(path)
    keys = sorted(p.key or "" for p in error.value.problems)
    assert keys == ["[tool.chipclass] colour", "[tool.chipclass] fail-on", "[tool.chipclass] paths"]
    # each with the line its key is written on
    lines = {p.key: p.line for p in error.value.problems}
    assert lines == {
        "[tool.chipclass] fail-on": 2,
        "[tool.chipclass] paths": 3,
        "[tool.chipclass] colour": 4,
    }
    assert f"{path}:2: [tool.chipclass] fail-on: must be one of" in str(error.value)


def test_invalid_toml_in_a_pyproject_on_the_way_up_is_an_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.chipclass\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", str(SPECS / "nvidia/h20.toml"))
    assert result.exit_code == 2 and "not valid TOML" in result.stderr


def test_config_option_points_at_a_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    strict = tmp_path / "ci.toml"
    strict.write_text('[tool.chipclass]\nfail-on = "license-required"\n', encoding="utf-8")
    h100 = str(SPECS / "nvidia/h100-sxm.toml")
    assert run("check", h100).exit_code == 0
    assert run("check", h100, "--config", str(strict)).exit_code == 1
    empty = tmp_path / "empty.toml"
    empty.write_text('[project]\nname = "x"\n', encoding="utf-8")
    missing_table = run("check", h100, "--config", str(empty))
    assert missing_table.exit_code == 2 and "has no [tool.chipclass] table" in missing_table.stderr
    assert run("check", h100, "--config", str(tmp_path / "nope.toml")).exit_code == 2
    assert run("check", h100, "--config", str(strict), "--no-config").exit_code == 2
