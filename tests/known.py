"""Shared by several test files: the editions the known answers were worked out for, the
known labels as one table, and a sheet-line finder.

EDITIONS is pinned: tests that walk "every edition" use these ids, so a new edition file
adds rows to KNOWN_LABELS (and may add its id here) without shifting any other answer.
"""

from pathlib import Path

from chipclass.editions import Edition, by_id

#: the six editions of the original data, oldest first (pinned ids, not "all editions")
EDITIONS = (
    "us-2022-10",
    "us-2023-10",
    "us-2024-12",
    "us-2025-01",
    "us-2025-04",
    "us-2026-01",
)
#: the latest edition
LATEST = "us-2026-01"


def pinned_editions() -> list[Edition]:
    """The EDITIONS, parsed, oldest first."""
    return [by_id(edition_id) for edition_id in EDITIONS]


E, L, R = "exportable", "license-required", "restricted"

#: (sheet under specs/, edition id, label for the default destination, China), worked out
#: by hand from each edition's clauses. A100: INT8 624 x 8 = 4992, I/O 600 + 64 = 664;
#: A800 and H800: I/O 400 + 64 = 464 and 400 + 128 = 528 (< 600); H20: FP8 296 x 8 = 2368,
#: memory 4000 GB/s; RTX 4090: INT8 660.6 x 8 = 5284.8, not for datacenters.
_PER_EDITION = tuple(
    (sheet, edition, label)
    for sheet, row in {
        "nvidia/a100-sxm.toml": (R, R, R, R, R, L),
        # never sold in the U.S. (us_available = false): no 2026 relief
        "nvidia/a800.toml": (E, R, R, R, R, R),
        "nvidia/h100-sxm.toml": (R, R, R, R, R, L),
        "nvidia/h800.toml": (E, R, R, R, R, R),
        "nvidia/h20.toml": (E, E, E, E, L, L),
        "nvidia/rtx-4090.toml": (E, L, L, L, L, L),
        "nvidia/rtx-4090-d.toml": (E, E, E, E, E, E),
    }.items()
    for edition, label in zip(EDITIONS, row, strict=True)
)
KNOWN_LABELS: tuple[tuple[str, str, str], ...] = (
    *_PER_EDITION,
    # the letters of 2022-08-26 (NVIDIA, AMD): both prongs, 4800 and 600 GB/s, license
    ("nvidia/a100-sxm.toml", "us-2022-08-letters", L),
    ("nvidia/h100-sxm.toml", "us-2022-08-letters", L),
    ("nvidia/a800.toml", "us-2022-08-letters", E),  # I/O 464 < 600
    ("nvidia/h20.toml", "us-2022-08-letters", E),  # TPP 2368 < 4800
    # the notice of 2023-10-23 (NVIDIA): TPP >= 4800 for datacenter parts, at once
    ("nvidia/a800.toml", "us-2023-10-notice", R),  # 4992 >= 4800, China: denial
    ("nvidia/h800.toml", "us-2023-10-notice", R),
    ("nvidia/rtx-4090.toml", "us-2023-10-notice", E),  # not datacenter; I/O 64 < 600
    ("nvidia/h20.toml", "us-2023-10-notice", E),
    # April 2024 (89 FR 23876): the labels of us-2023-10
    ("nvidia/h100-sxm.toml", "us-2024-04", R),
    ("nvidia/rtx-4090.toml", "us-2024-04", L),  # Note 2 sends it to NAC/ACA
    ("nvidia/h20.toml", "us-2024-04", E),
)


def line_starting(path: Path, prefix: str, after: str | None = None) -> int:
    """1-based number of the first line starting with prefix (after the line `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(after) if after is not None else 0
    for number, text in enumerate(lines[start:], start=start + 1):
        if text.startswith(prefix):
            return number
    raise AssertionError(f"{prefix!r} not in {path}")
