"""What the bot says in a card's thread and by DM when something happens to an event or a post."""

from __future__ import annotations

from messages import approval, mrkdwn
from messages.events import cancelled_thread_text, updated_thread_text
from messages.reports import report_thread_text
from messages.reminders import cancelled_dm_text
from storage.models import Event


def thread_note(event: Event, note: str, args: dict) -> str:
    if note == "cancelled":
        return cancelled_thread_text(event)
    if note == "report":
        return report_thread_text(args)
    return updated_thread_text(event, args.get("user", ""), time_changed=bool(args.get("time_changed")))


def direct_notice(notice: str, event: Event | None, args: dict) -> str:
    if notice == "event_cancelled" and event is not None:
        return cancelled_dm_text(event)
    if notice == "card_failed" and event is not None:
        return card_failed_text(event, args.get("error", ""))
    if notice in REVIEW_NOTICES and event is not None:
        return REVIEW_NOTICES[notice](event)
    return cannot_post_text(args.get("channel", ""), args.get("error", ""))


# What an event's host is told as it goes through review (services.approval).
REVIEW_NOTICES = {
    "event_pending": approval.pending_dm_text,
    "event_approved": approval.approved_dm_text,
    "event_rejected": approval.rejected_dm_text,
}


def _invite_advice(channel_id: str) -> str:
    """What will actually let the bot post there: /invite works in channels, not in DMs."""
    if channel_id.startswith("D"):
        return "I can't post in someone else's direct messages: run the command in a channel, or here in our DM."
    return f"Invite me with `/invite @Organizer Bot` in {mrkdwn.channel(channel_id)} and try again."


CHANNEL_ACCESS_ERRORS = ("not_in_channel", "channel_not_found", "method_not_supported_for_channel_type", "missing_scope", "is_archived")


def cannot_post_text(channel_id: str, error: str) -> str:
    where = "this conversation" if channel_id.startswith("D") else mrkdwn.channel(channel_id)
    if error == "is_archived":
        return f"I couldn't post in {where}: it is archived."
    if error in CHANNEL_ACCESS_ERRORS:
        return f"I couldn't post in {where} ({mrkdwn.escape(error)}). {_invite_advice(channel_id)}"
    return f"I couldn't post in {where} ({mrkdwn.escape(error)}). Please try again in a moment."


def card_failed_text(event: Event, error: str) -> str:
    return (
        f"Event #{event.id} “{mrkdwn.escape(event.title)}” is saved, but its card could not be posted in "
        f"{mrkdwn.channel(event.channel_id or '')} ({mrkdwn.escape(error)}). {_invite_advice(event.channel_id or '')} "
        f"Then `/event edit {event.id}` and save to post it again."
    )


def card_problem_line(event: Event) -> str | None:
    """For `/event show`: why the card is missing, and what to do."""
    if not event.card_error:
        return None
    return f":warning: The card could not be posted: {mrkdwn.escape(event.card_error)}. {_invite_advice(event.channel_id or '')}"
