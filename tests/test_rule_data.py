"""The law as data: text kinds checked against their evidence, letters with addressees, the
new editions' known answers, and a user edition picked up by the registry."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from known import LATEST

from chipclass.editions import (
    RULES_DIR,
    TEXT_KINDS,
    EditionError,
    all_editions,
    by_id,
    check_registry,
    in_force,
    overstated,
    parse_edition,
)

SPECS = Path(__file__).resolve().parent.parent / "specs"
Run = Callable[..., Result]

# --- text kinds against evidence ------------------------------------------------------------
#
# The rule: a clause's `evidence` begins with the evidence for its `text` (the part before
# the first ";"). A clause may call its text "verbatim" only when that part claims a primary
# text ("verbatim eCFR text" or "verbatim primary text") and says nothing weaker about it: no
# "as quoted by", "secondary", "report", "paraphrase", "later issue" or "not confirmed". A
# "quoted" text's evidence says "quoted"; a "press-report" text's evidence says "report".
# ("paraphrase" is the weakest claim and is never an overstatement.)

# The rule lives in the loader (chipclass.editions.overstated), so a user edition is held to
# it as the bundled ones are: `rules check` and every command refuse a text called verbatim
# that its evidence does not show to be.


def test_every_bundled_clause_has_a_text_kind_its_evidence_supports() -> None:
    problems = [
        f"{edition.id} {clause.id}: {why}"
        for edition in all_editions()
        for clause in edition.clauses
        if (why := overstated(clause.text_kind, clause.evidence)) is not None
    ]
    assert problems == []
    kinds = {clause.text_kind for edition in all_editions() for clause in edition.clauses}
    assert kinds <= set(TEXT_KINDS)


@pytest.mark.parametrize(
    ("edition", "clause", "kind"),
    [
        ("us-2025-04", "2025-04 H20 letters", "press-report"),  # the FT on Intel's notice
        ("us-2022-10", "3A090.a.1", "quoted"),  # two secondary quotes joined by "..."
        ("us-2024-12", "Note 2", "quoted"),  # the 2026 eCFR wording, not 2024's
        ("us-2026-01", "Note 2", "verbatim"),  # the 2026-07-23 issue is within us-2026-01
        ("us-2023-10", "3A090.a.1", "verbatim"),  # eCFR and the 2023 FR quote agree
    ],
)
def test_the_audited_text_kinds(edition: str, clause: str, kind: str) -> None:
    assert next(c for c in by_id(edition).clauses if c.id == clause).text_kind == kind


def test_the_loader_refuses_a_press_report_called_verbatim() -> None:
    text = (RULES_DIR_PATH / "us-2025-04.toml").read_text(encoding="utf-8")
    doctored = text.replace('text_kind = "press-report"', 'text_kind = "verbatim"')
    assert doctored != text
    with pytest.raises(EditionError) as caught:
        parse_edition(doctored, "x.toml")
    (problem,) = caught.value.problems
    assert problem.key is not None and problem.key.endswith("].text_kind")
    assert problem.line == _line_of(
        doctored, 'text_kind = "verbatim"', 'id = "2025-04 H20 letters"'
    )
    assert "verbatim, but its evidence begins 'secondary report" in problem.message
    # and a later eCFR issue's wording called verbatim for 2024
    text = (RULES_DIR_PATH / "us-2024-12.toml").read_text(encoding="utf-8")
    with pytest.raises(EditionError, match="later issue"):
        parse_edition(text.replace('"quoted"', '"verbatim"'), "x.toml")


def test_the_text_kind_rule_in_words() -> None:
    assert overstated("verbatim", "verbatim eCFR text; a note") is None
    assert overstated("verbatim", "verbatim primary text (summary)") is None
    assert "says 'as quoted by'" in (
        overstated("verbatim", "verbatim eCFR text as quoted by X") or ""
    )
    assert "by whom" in (overstated("quoted", "verbatim eCFR text") or "")
    assert overstated("quoted", "verbatim as quoted by a secondary source") is None
    assert "names no report" in (overstated("press-report", "an SEC filing") or "")
    assert overstated("paraphrase", "anything at all") is None


def _line_of(text: str, words: str, after: str) -> int:
    """The 1-based line of the first `words` after the first line holding `after`."""
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines) if n > start and words in line) + 1


# --- the loader: text_kind, addressees, status letters --------------------------------------

RULES_DIR_PATH = Path(RULES_DIR)
LETTERS = (RULES_DIR_PATH / "us-2022-08-letters.toml").read_text(encoding="utf-8")


def _refused(text: str, fragment: str) -> None:
    with pytest.raises(EditionError) as caught:
        parse_edition(text, "rules/x.toml")
    assert str(caught.value).startswith("rules/x.toml"), caught.value
    assert fragment in str(caught.value), caught.value


def test_a_letters_edition_parses_with_its_addressees() -> None:
    edition = parse_edition(LETTERS, "rules/x.toml")
    assert (edition.status, edition.effective) == ("letters", dt.date(2022, 8, 26))
    (clause,) = edition.clauses
    assert clause.addressees == ("NVIDIA", "AMD")
    assert clause.destinations == ("CN", "RU")
    assert [(k.metric, k.op, k.threshold) for k in clause.conditions] == [
        ("tpp", ">=", 4800),
        ("io_bandwidth_gbs", ">=", 600),
    ]


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('text_kind = "quoted"\n', "", "clause[0].text_kind: is required"),
        ('text_kind = "quoted"', 'text_kind = "exact"', "text_kind: must be one of verbatim"),
        ('addressees = ["NVIDIA", "AMD"]', "addressees = []", "a non-empty list of vendor"),
        ('addressees = ["NVIDIA", "AMD"]', 'addressees = "NVIDIA"', "a non-empty list"),
        ('addressees = ["NVIDIA", "AMD"]', 'addressees = ["NVIDIA", " AMD"]', "' AMD' is not"),
        ('addressees = ["NVIDIA", "AMD"]', 'addressees = ["AMD", "AMD"]', "'AMD' is listed twice"),
        ('status = "letters"', 'status = "letter"', "status: must be one of"),
    ],
)
def test_bad_text_kinds_addressees_and_statuses_are_refused(
    old: str, new: str, fragment: str
) -> None:
    assert old in LETTERS
    _refused(LETTERS.replace(old, new, 1), fragment)


def test_the_2025_letters_name_their_three_addressees() -> None:
    """regulations.md E6: letters to NVIDIA (H20), AMD (MI308) and Intel (Gaudi)."""
    for edition in ("us-2025-04", "us-2026-01"):
        letters = next(c for c in by_id(edition).clauses if c.id == "2025-04 H20 letters")
        assert letters.addressees == ("NVIDIA", "AMD", "Intel")
    # the rules themselves bind every vendor
    assert by_id("us-2023-10").clauses[0].addressees == ()


# --- the new editions, by date ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "edition"),
    [
        ("2022-08-26", "us-2022-08-letters"),
        ("2022-10-06", "us-2022-08-letters"),
        ("2022-10-07", "us-2022-10"),
        ("2023-10-23", "us-2023-10-notice"),
        ("2023-11-16", "us-2023-10-notice"),
        ("2023-11-17", "us-2023-10"),
        ("2024-04-03", "us-2023-10"),
        ("2024-04-04", "us-2024-04"),  # 89 FR 23876
        ("2024-12-02", "us-2024-12"),
    ],
)
def test_the_edition_in_force_on_each_day(day: str, edition: str) -> None:
    assert in_force(dt.date.fromisoformat(day)).id == edition


def _as_of(run: Run, sheet: str, day: str) -> dict[str, str]:
    result = run("classify", str(SPECS / sheet), "--as-of", day, "-f", "json")
    assert result.exit_code == 0, result.stderr
    verdict: dict[str, str] = json.loads(result.stdout)["results"][0]["verdicts"][0]
    return verdict


def test_the_a100_on_2022_09_15_under_the_letters(run: Run) -> None:
    """NVIDIA's 8-K: on 2022-08-26 the USG required a license for the A100 to China; the
    A100 meets both prongs read from the October rule (INT8 624 x 8 = 4992 >= 4800; I/O
    600 + 64 = 664 >= 600)."""
    verdict = _as_of(run, "nvidia/a100-sxm.toml", "2022-09-15")
    assert (verdict["edition"], verdict["label"]) == ("us-2022-08-letters", "license-required")


def test_the_a800_on_2023_11_01_under_the_notice(run: Run) -> None:
    """The notice of 2023-10-23 made the 2023 requirement immediate for the A800 (INT8
    624 x 8 = 4992 >= 4800, datacenter): restricted for China, though its I/O (464 GB/s) was
    under the 2022 rule's 600."""
    verdict = _as_of(run, "nvidia/a800.toml", "2023-11-01")
    assert (verdict["edition"], verdict["label"]) == ("us-2023-10-notice", "restricted")
    assert _as_of(run, "nvidia/a800.toml", "2023-10-22")["label"] == "exportable"


# --- a user edition: a copy under a new id and a later date is picked up ------------------


def test_a_copied_edition_with_a_new_id_and_date_joins_the_registry(tmp_path: Path) -> None:
    text = (RULES_DIR_PATH / f"{LATEST}.toml").read_text(encoding="utf-8")
    copied = re.sub(r'(?m)^id = "us-2026-01"$', 'id = "user-2027-01"', text)
    copied = re.sub(r"(?m)^effective = 2026-01-15$", "effective = 2027-01-01", copied)
    assert copied.count("user-2027-01") == 1 and "2027-01-01" in copied
    (tmp_path / "user-2027-01.toml").write_text(copied, encoding="utf-8")
    files = [*sorted(RULES_DIR_PATH.glob("*.toml")), *sorted(tmp_path.glob("*.toml"))]
    registry = check_registry(parse_edition(f.read_text(encoding="utf-8"), str(f)) for f in files)
    assert [e.id for e in registry] == [e.id for e in all_editions()] + ["user-2027-01"]
    assert registry[-1].effective == dt.date(2027, 1, 1)
    on = dt.date(2027, 6, 1)
    assert [e for e in registry if e.effective <= on][-1].id == "user-2027-01"
    # a copy that keeps the bundled date cannot be told apart by --as-of: refused
    same_day = re.sub(r'(?m)^id = "us-2026-01"$', 'id = "user-same-day"', text)
    with pytest.raises(EditionError, match="share the effective date 2026-01-15"):
        check_registry([*all_editions(), parse_edition(same_day, "user-same-day.toml")])
