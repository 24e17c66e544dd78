"""Reminders of events: when each is due, moving them with the event, and handing due ones to the outbox.

A reminder is the schedule (which event, which lead time, to whom); once due it is queued
as an outbox row, which posts it exactly once and records the result back here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from storage import outbox, signups, workspaces
from storage.claims import claim, update_each
from storage.models import DONE_SENDING, UNSENT, Event, RecipientType, Reminder, ReminderStatus, Rsvp
from timemath import before

# Lead times offered in the modal, longest first. Keys are stored in reminders.kind.
LEAD_TIMES: dict[str, timedelta] = {
    "1w": timedelta(weeks=1),
    "3d": timedelta(days=3),
    "1d": timedelta(days=1),
    "3h": timedelta(hours=3),
    "1h": timedelta(hours=1),
    "15m": timedelta(minutes=15),
}
DEFAULT_LEAD_TIMES = ("1d", "1h")
OUTBOX_KIND = "reminder"


def due_at(event: Event, kind: str) -> datetime:
    # Elapsed time, subtracted in UTC: "1 day before" is 24 hours before, even across DST.
    return before(event.starts_at, LEAD_TIMES[kind])


def outbox_key(reminder_id: int, due: datetime) -> str:
    """One outbox row per reminder and moment: a reminder moved and due again is a new post."""
    return f"reminder:{reminder_id}:{int(due.timestamp())}"


def reminders_of(session: Session, event_id: int) -> list[Reminder]:
    return list(
        session.scalars(select(Reminder).where(Reminder.event_id == event_id).order_by(Reminder.due_at, Reminder.id))
    )


def lead_times_of(session: Session, event_id: int) -> list[str]:
    """The lead times chosen for an event (its channel reminders that are not cancelled)."""
    kinds = session.scalars(
        select(Reminder.kind).where(
            Reminder.event_id == event_id,
            Reminder.recipient_type == RecipientType.CHANNEL.value,
            Reminder.status != ReminderStatus.CANCELLED.value,
        )
    )
    chosen = set(kinds)
    return [kind for kind in LEAD_TIMES if kind in chosen]


def _set_time(session: Session, reminder: Reminder, event: Event, now: datetime) -> None:
    """Point an unsent reminder at the event's current start; a moment already past is skipped."""
    if reminder.status == ReminderStatus.QUEUED.value:
        # Queued for the old moment: withdraw that post (unless it is already going out).
        outbox.cancel_keys(session, [outbox_key(reminder.id, reminder.due_at)])
    when = due_at(event, reminder.kind)
    reminder.due_at = when
    reminder.next_attempt_at = when
    reminder.status = ReminderStatus.PENDING.value if when > now else ReminderStatus.SKIPPED.value
    if reminder.status == ReminderStatus.SKIPPED.value:
        reminder.last_error = "lead time already past when scheduled"


def ensure(
    session: Session, event: Event, kind: str, recipient_type: RecipientType, recipient: str, now: datetime
) -> Reminder:
    existing = session.scalar(
        select(Reminder).where(Reminder.event_id == event.id, Reminder.kind == kind, Reminder.recipient == recipient)
    )
    if existing is not None:
        if existing.status not in DONE_SENDING and existing.status != ReminderStatus.FAILED.value:
            _set_time(session, existing, event, now)
        return existing
    reminder = Reminder(
        team_id=event.team_id,
        event_id=event.id,
        kind=kind,
        recipient_type=recipient_type.value,
        recipient=recipient,
        attempts=0,
        created_at=now,
    )
    _set_time(session, reminder, event, now)
    session.add(reminder)
    return reminder


def schedule_reminders(session: Session, event: Event, kinds: Iterable[str], now: datetime) -> None:
    """Create or move an event's reminders for the chosen lead times; cancel the others.

    Channel reminders go to the announcement's thread; each person going gets a DM per lead
    time, each member of the public signed up an email. Sent reminders are left alone (never sent twice); unsent ones follow the event's
    start, and any whose moment is already past become skipped.
    """
    chosen = [kind for kind in LEAD_TIMES if kind in set(kinds)]
    going = list(session.scalars(select(Rsvp.user_id).where(Rsvp.event_id == event.id).order_by(Rsvp.id)))
    public = [signups.recipient(signup.id) for signup in signups.reachable(session, event.id)]
    for kind in chosen:
        if event.channel_id:
            ensure(session, event, kind, RecipientType.CHANNEL, event.channel_id, now)
        for user_id in going:
            ensure(session, event, kind, RecipientType.USER, user_id, now)
        for recipient in public:
            ensure(session, event, kind, RecipientType.SIGNUP, recipient, now)
    for reminder in reminders_of(session, event.id):
        if reminder.kind not in chosen and reminder.status in (*UNSENT, ReminderStatus.SKIPPED.value):
            _cancel(session, reminder)
    session.flush()


def _cancel(session: Session, reminder: Reminder) -> None:
    if reminder.status == ReminderStatus.QUEUED.value:
        outbox.cancel_keys(session, [outbox_key(reminder.id, reminder.due_at)])
    reminder.status = ReminderStatus.CANCELLED.value


def cancel_reminders(session: Session, event_id: int, recipient: str | None = None) -> int:
    """Cancel unsent reminders of an event (or of one recipient). Returns how many."""
    query = select(Reminder).where(Reminder.event_id == event_id, Reminder.status.in_(UNSENT))
    if recipient is not None:
        query = query.where(Reminder.recipient == recipient)
    unsent = list(session.scalars(query))
    for reminder in unsent:
        _cancel(session, reminder)
    return len(unsent)


# --- due reminders into the outbox ------------------------------------------------


def queue_due(session: Session, now: datetime, limit: int) -> int:
    """Hand up to `limit` due reminders to the outbox, in one claim and one bulk insert. Returns how many.
    Those of a workspace whose work is held wait (as pending) until it is active again."""
    due = and_(
        Reminder.status == ReminderStatus.PENDING.value,
        Reminder.next_attempt_at <= now,
        workspaces.is_served(Reminder.team_id),
    )
    ids = claim(
        session, Reminder, due, (Reminder.next_attempt_at, Reminder.id), limit, {"status": ReminderStatus.QUEUED.value}
    )
    if not ids:
        return 0
    rows = session.execute(
        select(Reminder.id, Reminder.team_id, Reminder.event_id, Reminder.recipient, Reminder.due_at).where(
            Reminder.id.in_(ids)
        )
    )
    outbox.enqueue_many(
        session,
        [
            dict(
                team_id=team_id,
                kind=OUTBOX_KIND,
                key=outbox_key(rid, due_moment),
                channel=recipient,
                event_id=event_id,
                args={"reminder_id": rid},
                now=now,
            )
            for rid, team_id, event_id, recipient, due_moment in rows
        ],
    )
    return len(ids)


def record(session: Session, results: Iterable[dict]) -> None:
    """Write delivery results back (dicts with `id` and the columns to set: status, slack_ts, ...),
    to reminders still queued, in bulk."""
    update_each(session, Reminder, results, Reminder.status == ReminderStatus.QUEUED.value)
