"""Block Kit, built in one place: every block and element the bot draws, each cut to Slack's
limits (messages.limits) here, so that no renderer can forget one.

https://api.slack.com/reference/block-kit/blocks
"""

from __future__ import annotations

from messages.limits import (
    BUTTON_TEXT,
    BUTTON_VALUE,
    CONTEXT_TEXT,
    HEADER_TEXT,
    HINT_TEXT,
    LABEL_TEXT,
    PLACEHOLDER_TEXT,
    SECTION_TEXT,
    shorten,
)


def plain(text: str, limit: int = LABEL_TEXT, *, emoji: bool = False) -> dict:
    """A plain_text object (labels, options, titles): `:emoji:` codes shown as emoji with `emoji`."""
    element = {"type": "plain_text", "text": shorten(text, limit)}
    if emoji:
        element["emoji"] = True
    return element


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict:
    return {"type": "mrkdwn", "text": shorten(text, limit)}


def section(text: str, accessory: dict | None = None) -> dict:
    block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    return block


def context(*texts: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text, CONTEXT_TEXT) for text in texts]}


def header(text: str) -> dict:
    return {"type": "header", "text": plain(text, HEADER_TEXT, emoji=True)}


def divider() -> dict:
    return {"type": "divider"}


def button(action_id: str, label: str, value: str = "", *, style: str | None = None, url: str | None = None) -> dict:
    """A button; its value defaults to its action (Slack wants one for most handlers to read)."""
    element = {
        "type": "button",
        "action_id": action_id,
        "text": plain(label, BUTTON_TEXT, emoji=True),
        "value": value[:BUTTON_VALUE] or action_id,
    }
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def text_input(
    action_id: str, value: str | None, max_length: int, *, placeholder: str | None = None, multiline: bool = False
) -> dict:
    """A plain_text_input; an initial value longer than `max_length` is cut (Slack refuses it)."""
    element = {"type": "plain_text_input", "action_id": action_id, "max_length": max_length, "multiline": multiline}
    if value:
        element["initial_value"] = shorten(value, max_length)
    if placeholder:
        element["placeholder"] = plain(placeholder, PLACEHOLDER_TEXT)
    return element


def input_block(block_id: str, label: str, element: dict, *, optional: bool = False, hint: str | None = None) -> dict:
    block = {"type": "input", "block_id": block_id, "label": plain(label), "element": element, "optional": optional}
    if hint:
        block["hint"] = plain(hint, HINT_TEXT)
    return block
