"""What a person sees when the bot fails them: short, with what to do next."""

from __future__ import annotations

FORM_NOT_SAVED = "I couldn't save this just now (the database is busy). Please press the button again in a moment."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Please try again in a moment; "
    "if it keeps happening, let your Slack admin know."
)

# A request from a workspace the bot has no working install for (never installed, removed, revoked).
NOT_INSTALLED = (
    "Organizer Bot is not installed in this workspace any more, so it cannot answer here. "
    "A workspace admin can add it again from the bot's install page."
)


def failed_form_errors(block_id: str) -> dict:
    """A view_submission answer that keeps the form open, with the apology under its first input."""
    return {"response_action": "errors", "errors": {block_id: SOMETHING_WENT_WRONG}}
