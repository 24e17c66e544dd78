"""Why something was not delivered: the reasons stored with an outbox row or a reminder, and
how they are said to an organizer (`/event show`, a notice) in the language of the moment.

A reason is stored as its English wording (rows stored before the bot spoke other languages
say it so, and it stays readable in the database and the logs); `reason()` says it in the
reader's language. Slack's own error codes (`not_in_channel`, `ratelimited`) are shown as
Slack gives them: they are what an admin searches for.
"""

from __future__ import annotations

from messages.i18n import N_, catalog

_, ngettext, pgettext = catalog("failures")

# TRANSLATORS: why a message was not posted, shown in parentheses after "failed" or "skipped".
EVENT_DELETED = N_("event deleted")
CARD_NEVER_POSTED = N_("the card was never posted")
EVENT_CANCELLED = N_("the event was cancelled")
DIGEST_STALE = N_("more than 6 hours late")
NOT_APPROVED = N_("the event was not approved")
ALREADY_STARTED = N_("the event had already started")
REVIEW_NEVER_POSTED = N_("the review request was never posted")
ADDRESS_ERASED = N_("the person's email address was erased")
NO_EMAIL = N_("no email is sent (SMTP_URL is not set)")
# Written by storage.reminders, which knows nothing of messages: the same words.
LEAD_TIME_PAST = N_("lead time already past when scheduled")
_OURS = frozenset(
    {
        EVENT_DELETED,
        CARD_NEVER_POSTED,
        EVENT_CANCELLED,
        DIGEST_STALE,
        NOT_APPROVED,
        ALREADY_STARTED,
        REVIEW_NEVER_POSTED,
        LEAD_TIME_PAST,
        ADDRESS_ERASED,
        NO_EMAIL,
    }
)
_GAVE_UP = "gave up: "  # untranslated: the stored prefix of a failure retried too often, before its code


def gave_up(code: str) -> str:
    """What is stored when a failure that might pass was retried too often: `gave up: ratelimited`."""
    return f"{_GAVE_UP}{code}"


def reason(stored: str) -> str:
    """A stored reason in the reader's language (not escaped: it goes in as any other text)."""
    if stored.startswith(_GAVE_UP):
        # TRANSLATORS: a message was tried again and again and then given up on; {reason} is why, often Slack's error code.
        return _("gave up: {reason}").format(reason=reason(stored[len(_GAVE_UP) :]))
    return _(stored) if stored in _OURS else stored
