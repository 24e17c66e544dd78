"""What a person sees when the bot fails them: short, with what to do next."""

from __future__ import annotations

from messages.i18n import LANGUAGES, catalog, speaking

_, ngettext, pgettext = catalog("errors")


def cannot_save_now() -> str:
    """The database is down, busy, full, read-only or damaged: whatever was asked is not done."""
    return _(
        "Sorry, I can't save anything right now: my database is having trouble. "
        "Nothing was changed; please try again in a few minutes."
    )


def something_went_wrong() -> str:
    return _(
        "Sorry, something went wrong on my side. Please try again in a moment; "
        "if it keeps happening, let your Slack admin know."
    )


def not_installed() -> str:
    """A request from a workspace the bot has no working install for (never installed, removed,
    revoked). Said in every language at once: without a token, Slack cannot tell us whose it is."""

    def said_in(language: str) -> str:
        with speaking(language):
            return _(
                "Organizer Bot is not installed in this workspace any more, so it cannot answer here. "
                "A workspace admin can add it again from the bot's install page."
            )

    return "\n\n".join(said_in(language) for language in LANGUAGES)


def failed_form_errors(block_id: str, apology: str | None = None) -> dict:
    """A view_submission answer that keeps the form open, with the apology under its first input."""
    return {"response_action": "errors", "errors": {block_id: apology or something_went_wrong()}}
