"""Block Kit limits, and the helpers that keep every message and view within them.

https://api.slack.com/reference/block-kit/blocks
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
CONTEXT_ELEMENTS = 10
CONTEXT_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
MODAL_TITLE = 24
PLAIN_INPUT = 3000
OPTION_TEXT = 75
SELECT_OPTIONS = 100
LABEL_TEXT = 2000  # an input's label, and any plain_text without a tighter limit
HINT_TEXT = 2000
PLACEHOLDER_TEXT = 150
FALLBACK_TEXT = 4000
ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """Fit `text` in `limit` characters, cutting at a word boundary and marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    mid_word = not text[len(cut)].isspace()
    space = cut.rfind(" ")
    if mid_word and space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def split_text(text: str, limit: int = SECTION_TEXT) -> list[str]:
    """Split long text into pieces of at most `limit` characters, at line or word boundaries.

    Nothing is dropped: joining the pieces with newlines gives back every word.
    """
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            space = line.rfind(" ", 0, limit)
            head, line = (line[:space], line[space + 1 :]) if space > 0 else (line[:limit], line[limit:])
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def chunk(blocks: Iterable[dict], size: int = MESSAGE_BLOCKS) -> Iterator[list[dict]]:
    """Consecutive groups of at most `size` blocks, for messages that must be split."""
    group: list[dict] = []
    for block in blocks:
        group.append(block)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group
