"""Reminder texts: in the announcement's thread, by DM, on cancellation, and in `/event show`."""

from __future__ import annotations

from messages import dates, mrkdwn
from messages.content import toolkit_for_event_type
from messages.events import TYPE_EMOJI, type_label, when_text, where_text
from messages.limits import FALLBACK_TEXT, SECTION_TEXT, shorten
from storage.models import Event, Reminder, ReminderStatus

# Labels of storage.reminders.LEAD_TIMES, as the modal and messages show them.
LEAD_LABELS: dict[str, str] = {
    "1w": "1 week",
    "3d": "3 days",
    "1d": "1 day",
    "3h": "3 hours",
    "1h": "1 hour",
    "15m": "15 minutes",
}


def toolkit_command(event: Event) -> str:
    """The `/toolkit` command for the event's type: the same topic as the card's toolkit button."""
    topic = toolkit_for_event_type(event.event_type)
    return f"/toolkit {topic.slug.replace('-', ' ')}" if topic else "/toolkit"


def about(event: Event) -> str:
    """How a message names an event: emoji, title, type and number."""
    return f"{TYPE_EMOJI[event.type]} *{mrkdwn.escape(shorten(event.title, 200))}* ({type_label(event)}, event #{event.id})"


def reminder_text(event: Event, kind: str, *, direct: bool) -> str:
    """What a reminder says. `direct` is the DM to someone who RSVP'd; otherwise the thread reply."""
    lead = LEAD_LABELS.get(kind, kind)
    opening = f":alarm_clock: Reminder: you're going to {about(event)}" if direct else f":alarm_clock: Reminder: {about(event)}"
    lines = [
        f"{opening} starts in about {lead}.",
        f"*When:* {when_text(event)}",
        f"*Where:* {where_text(event)}",
        f"*Toolkit:* `{toolkit_command(event)}`",
    ]
    if direct:
        lines.append(f"Details: `/event show {event.id}`")
    return shorten("\n".join(lines), SECTION_TEXT)


def reminder_fallback(event: Event, kind: str) -> str:
    when = "all day" if event.all_day else dates.moment(event.starts_at, event.timezone)
    return shorten(f"Reminder: {mrkdwn.escape(event.title)} starts in about {LEAD_LABELS.get(kind, kind)} ({when})", FALLBACK_TEXT)


def reminder_blocks(event: Event, kind: str, *, direct: bool) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": reminder_text(event, kind, direct=direct)}}]


def cancelled_dm_text(event: Event) -> str:
    return (
        f":no_entry: {about(event)}, which you said you'd go to, has been cancelled "
        f"by {mrkdwn.user(event.cancelled_by or '')}. It was planned for {when_text(event)}."
    )


def rsvp_confirmation(event: Event, going: bool) -> str:
    if going:
        return f":white_check_mark: You're going to {about(event)}. I'll DM you reminders before it starts; click again to withdraw."
    return f"You're no longer going to {about(event)}; no more reminders for you."


_STATUS_LABELS = {
    ReminderStatus.PENDING.value: "pending",
    ReminderStatus.QUEUED.value: "sending",
    ReminderStatus.SENT.value: "sent",
    ReminderStatus.SENT_LATE.value: "sent late",
    ReminderStatus.SKIPPED.value: "skipped",
    ReminderStatus.FAILED.value: "failed",
}


def reminders_summary(event: Event, reminders: list[Reminder]) -> str | None:
    """For the organizer in `/event show`: each lead time's channel reminder and DMs, pending or sent."""
    shown = [r for r in reminders if r.status != ReminderStatus.CANCELLED.value]
    if not shown:
        return None
    lines = ["*Reminders*"]
    for kind in LEAD_LABELS:
        of_kind = [r for r in shown if r.kind == kind]
        if not of_kind:
            continue
        channel = next((r for r in of_kind if r.recipient_type == "channel"), None)
        dms = [r for r in of_kind if r.recipient_type == "user"]
        due = channel.due_at if channel else of_kind[0].due_at
        parts = [f"{LEAD_LABELS[kind]} before ({mrkdwn.date_token(due, tz_name=event.timezone)})"]
        if channel:
            parts.append(f"thread: {_STATUS_LABELS.get(channel.status, channel.status)}")
            if channel.status == ReminderStatus.FAILED.value and channel.last_error:
                parts[-1] += f" ({mrkdwn.escape(channel.last_error)})"
        if dms:
            sent = sum(r.status in ("sent", "sent_late") for r in dms)
            parts.append(f"DMs: {sent} of {len(dms)} sent")
        lines.append("• " + " · ".join(parts))
    return shorten("\n".join(lines), SECTION_TEXT)


def going_summary(user_ids: list[str]) -> str:
    if not user_ids:
        return "*Going:* nobody yet"
    return shorten(f"*Going ({len(user_ids)}):* " + ", ".join(mrkdwn.user(u) for u in user_ids), SECTION_TEXT)
