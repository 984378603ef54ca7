"""`chipclass rules check`: edition files checked alone, together, and beside the
editions a run would use (bundled, and those of --rules folders). Reading one edition
is chipclass.editions; this module weighs files against each other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from chipclass.editions import Edition, EditionError, Registry, read_edition
from chipclass.keylines import KeyLines
from chipclass.problems import Problem


class FileCheck(NamedTuple):
    """One edition file checked: its edition (None unless valid) and every problem in it."""

    file: str
    edition: Edition | None
    problems: tuple[Problem, ...]


class FilesCheck(NamedTuple):
    """Edition files checked alone, together, and beside a registry's editions."""

    files: tuple[FileCheck, ...]
    #: problems of no one file: the registry's own editions do not load
    problems: tuple[Problem, ...]
    #: what is worth saying but is no problem: a file that replaces an edition of its id
    notes: tuple[str, ...]

    @property
    def all_problems(self) -> tuple[Problem, ...]:
        """Every problem, file by file, then those of no one file."""
        return (*(p for f in self.files for p in f.problems), *self.problems)

    @property
    def valid(self) -> bool:
        return not self.all_problems


def check_files(files: Sequence[str], registry: Registry | None = None) -> FilesCheck:
    """Validate edition files, as `chipclass rules check` does: each file alone (every
    problem, with its key and line; a file that cannot be read or is not TOML is one
    problem), then the files together and beside the registry's editions (bundled, and
    those of its folders): ids and effective dates must be unique, but a file whose id is
    the registry's replaces that edition (a note), as `--rules` would."""
    from chipclass.files import read_input_text
    from chipclass.spec import SheetError

    checked: list[tuple[str, Edition | None, list[Problem], KeyLines | None]] = []
    for file in files:
        try:
            text = read_input_text(file, "edition")
        except SheetError as error:
            checked.append((file, None, list(error.problems), None))
            continue
        edition, problems = read_edition(text, file)
        checked.append((file, edition, problems, KeyLines(text)))
    notes: list[str] = []
    try:
        known: tuple[Edition, ...] = (registry or Registry()).all()
        trouble: list[Problem] = []
    except EditionError as error:
        known, trouble = (), error.problems or [Problem("--rules", str(error))]
    given = {edition.id for _, edition, _, _ in checked if edition is not None}
    ids: dict[str, str] = {}
    dates: dict[dt.date, tuple[str, str]] = {}
    for file, edition, problems, lines in checked:
        if edition is None or lines is None:
            continue
        if edition.id in ids:
            message = f"edition id {edition.id!r} is also the id of {ids[edition.id]}"
            problems.append(Problem(file, message, "id", lines.near("id")))
        ids.setdefault(edition.id, file)
        other = dates.get(edition.effective)
        if other is not None:
            message = (
                f"shares the effective date {edition.effective} with {other[0]} ({other[1]}):"
                " --as-of could not choose"
            )
            problems.append(Problem(file, message, "effective", lines.near("effective")))
        dates.setdefault(edition.effective, (file, edition.id))
        for bundled in known:
            if bundled.id == edition.id:
                notes.append(f"{file}: edition {edition.id!r} replaces the one of the same id")
            elif bundled.effective == edition.effective and bundled.id not in given:
                message = (
                    f"shares the effective date {edition.effective} with edition"
                    f" {bundled.id!r}: --as-of could not choose"
                )
                problems.append(Problem(file, message, "effective", lines.near("effective")))
    return FilesCheck(
        files=tuple(
            FileCheck(file, None if problems else edition, tuple(problems))
            for file, edition, problems, _ in checked
        ),
        problems=tuple(trouble),
        notes=tuple(notes),
    )
