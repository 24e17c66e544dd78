"""Counting things in words: "1 event", "2 events", "1,350 people"."""

from __future__ import annotations


def counted(count: int, one: str, many: str | None = None) -> str:
    """`count` with the noun that fits it, thousands separated; `many` when adding an s will not do."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"
