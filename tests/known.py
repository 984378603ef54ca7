"""Known answers shared by several test files: the editions, oldest first."""

EDITIONS = (
    "us-2022-10",
    "us-2023-10",
    "us-2024-12",
    "us-2025-01",
    "us-2025-04",
    "us-2026-01",
)
