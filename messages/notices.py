"""What the bot says in a card's thread and by DM when something happens to an event or a post."""

from __future__ import annotations

from messages import approval, mrkdwn
from messages.events import cancelled_thread_text, place_tba, place_text, when_text
from messages.plural import counted
from messages.reminders import about, cancelled_dm_text
from messages.reports import report_thread_text
from storage.changes import Change, as_event
from storage.models import Event

# DMs about an event that is still on: not worth sending once it is cancelled.
ABOUT_AN_EVENT_STILL_ON = frozenset({"event_changed", "co_host_added"})


def thread_note(event: Event, note: str, args: dict) -> str:
    if note == "cancelled":
        return cancelled_thread_text(event)
    if note == "report":
        return report_thread_text(args)
    return updated_thread_text(event, args.get("user", ""), Change.from_args(args), told=int(args.get("told") or 0))


def direct_notice(notice: str, event: Event | None, args: dict) -> str:
    if notice == "event_cancelled" and event is not None:
        return cancelled_dm_text(event)
    if notice == "event_changed" and event is not None and (change := Change.from_args(args)):
        return changed_dm_text(event, change, args.get("user", ""))
    if notice == "co_host_added" and event is not None:
        return co_host_added_text(event, args.get("user", ""))
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
# --- an event's time or place changed -----------------------------------------


def _where(event: Event) -> str:
    """The place on one line, the online link spelled out: a new link must look different from the old."""
    parts = [place] if (place := place_text(event)) else []
    if event.online_url:
        parts.append(f"online at {mrkdwn.link(event.online_url, event.online_url)}")
    return " · ".join(parts) or place_tba()


def _change_lines(event: Event, change: Change) -> list[str]:
    """What changed, new then old, each written as the card writes it (times in the event's zone)."""
    before, after = as_event(change.before, event), as_event(change.after, event)
    lines = []
    if change.time_changed:
        lines.append(f"*When:* {when_text(after)} (was {when_text(before)})")
    if change.place_changed:
        lines.append(f"*Where:* {_where(after)} (was {_where(before)})")
    return lines


def changed_dm_text(event: Event, change: Change, changed_by: str) -> str:
    lines = [f":arrows_counterclockwise: {about(event)}, which you're going to, has changed "
             f"({mrkdwn.user(changed_by)} updated it):", *_change_lines(event, change)]
    if change.time_changed:
        lines.append("Reminders still to come move with it.")
    lines.append(f"Details: `/event show {event.id}`")
    return "\n".join(lines)


def updated_thread_text(event: Event, user_id: str, change: Change | None, *, told: int) -> str:
    lines = [f":pencil2: {mrkdwn.user(user_id)} updated this event."]
    if change:
        lines += _change_lines(event, change)
        if told:
            lines.append(f"I've told the {counted(told, 'person', 'people')} going by DM.")
    return "\n".join(lines)


# --- co-hosts -------------------------------------------------------------------


def co_host_added_text(event: Event, added_by: str) -> str:
    where = f" on its card in {mrkdwn.channel(event.channel_id)}" if event.channel_id else ""
    return (
        f":handshake: {mrkdwn.user(added_by)} added you as a co-host of {about(event)}. "
        f"You can edit or cancel it with `/event edit {event.id}` and `/event cancel {event.id}` or the buttons{where}; "
        f"`/event show {event.id}` shows who's going and the reminders."
    )


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
