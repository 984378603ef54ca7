"""Shared by several test files: the editions, oldest first, and a sheet-line finder."""

from pathlib import Path

EDITIONS = (
    "us-2022-10",
    "us-2023-10",
    "us-2024-12",
    "us-2025-01",
    "us-2025-04",
    "us-2026-01",
)


def line_starting(path: Path, prefix: str, after: str | None = None) -> int:
    """1-based number of the first line starting with prefix (after the line `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(after) if after is not None else 0
    for number, text in enumerate(lines[start:], start=start + 1):
        if text.startswith(prefix):
            return number
    raise AssertionError(f"{prefix!r} not in {path}")
