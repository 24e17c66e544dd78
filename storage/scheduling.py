"""Reminders, RSVPs and digest subscriptions: creating them, moving them, claiming due work.

Claiming is the one concurrency-sensitive step. Two clock processes may look for due
work at once; each row must go to exactly one of them:

- PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED` picks rows no one else is claiming,
  then they are marked claimed in the same transaction.
- SQLite ignores FOR UPDATE; it allows one writer at a time, so each row is claimed by
  a conditional `UPDATE ... WHERE id = :id AND <still claimable>` and the row count says
  whether this process won it.

A claim is a lease: `claimed_until` (and a `claim_token` naming the claimant). A process
that dies mid-run leaves its rows claimed; once the lease expires they are claimable again.
Results are recorded only by the holder of the token.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import (
    DONE_SENDING,
    UNSENT,
    DigestSubscription,
    Event,
    RecipientType,
    Reminder,
    ReminderStatus,
    Rsvp,
)
from timemath import before, next_local_run

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
DEFAULT_LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=1)
MAX_ATTEMPTS = 10


def due_at(event: Event, kind: str) -> datetime:
    # Elapsed time, subtracted in UTC: "1 day before" is 24 hours before, even across DST.
    return before(event.starts_at, LEAD_TIMES[kind])


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts` (1, 2, ...): 1 min, 2 min, 4 min ... capped at 1 hour."""
    return min(timedelta(seconds=30 * 2 ** min(attempts, 20)), MAX_BACKOFF)


# --- reminders of one event ---------------------------------------------------


def reminders_of(session: Session, event_id: int) -> list[Reminder]:
    return list(session.scalars(select(Reminder).where(Reminder.event_id == event_id).order_by(Reminder.due_at, Reminder.id)))


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


def _set_time(reminder: Reminder, event: Event, now: datetime) -> None:
    """Point an unsent reminder at the event's current start; a moment already past is skipped."""
    when = due_at(event, reminder.kind)
    reminder.due_at = when
    reminder.next_attempt_at = when
    reminder.claimed_until = reminder.claim_token = None
    reminder.status = ReminderStatus.PENDING.value if when > now else ReminderStatus.SKIPPED.value
    if reminder.status == ReminderStatus.SKIPPED.value:
        reminder.last_error = "lead time already past when scheduled"


def _ensure(session: Session, event: Event, kind: str, recipient_type: RecipientType, recipient: str, now: datetime) -> Reminder:
    existing = session.scalar(
        select(Reminder).where(Reminder.event_id == event.id, Reminder.kind == kind, Reminder.recipient == recipient)
    )
    if existing is not None:
        if existing.status not in DONE_SENDING and existing.status != ReminderStatus.FAILED.value:
            _set_time(existing, event, now)
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
    _set_time(reminder, event, now)
    session.add(reminder)
    return reminder


def schedule_reminders(session: Session, event: Event, kinds: Iterable[str], now: datetime) -> None:
    """Create or move an event's reminders for the chosen lead times; cancel the others.

    Channel reminders go to the announcement's thread; each RSVP gets a DM per lead time.
    Sent reminders are left alone (never sent twice); unsent ones follow the event's start,
    and any whose moment is already past become skipped.
    """
    chosen = [kind for kind in LEAD_TIMES if kind in set(kinds)]
    going = rsvp_users(session, event.id)
    for kind in chosen:
        if event.channel_id:
            _ensure(session, event, kind, RecipientType.CHANNEL, event.channel_id, now)
        for user_id in going:
            _ensure(session, event, kind, RecipientType.USER, user_id, now)
    for reminder in reminders_of(session, event.id):
        if reminder.kind not in chosen and reminder.status in (*UNSENT, ReminderStatus.SKIPPED.value):
            reminder.status = ReminderStatus.CANCELLED.value
    session.flush()


def cancel_reminders(session: Session, event_id: int, recipient: str | None = None) -> int:
    """Cancel unsent reminders of an event (or of one recipient). Returns how many."""
    query = update(Reminder).where(Reminder.event_id == event_id, Reminder.status.in_(UNSENT))
    if recipient is not None:
        query = query.where(Reminder.recipient == recipient)
    return session.execute(query.values(status=ReminderStatus.CANCELLED.value)).rowcount


# --- RSVPs --------------------------------------------------------------------


def rsvp_users(session: Session, event_id: int) -> list[str]:
    return list(session.scalars(select(Rsvp.user_id).where(Rsvp.event_id == event_id).order_by(Rsvp.created_at, Rsvp.id)))


def count_rsvps(session: Session, event_id: int) -> int:
    return session.scalar(select(func.count()).where(Rsvp.event_id == event_id)) or 0


def is_going(session: Session, event_id: int, user_id: str) -> bool:
    return session.scalar(select(Rsvp.id).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)) is not None


def set_rsvp(session: Session, event: Event, user_id: str, going: bool, now: datetime) -> bool:
    """Make the user going or not; idempotent (a repeated request changes nothing). Returns `going`.

    Going: the user gets a DM reminder for each of the event's lead times still ahead.
    Not going: their unsent DM reminders are cancelled.
    """
    if not going:
        session.execute(delete(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user_id))
        cancel_reminders(session, event.id, recipient=user_id)
        return False
    if not is_going(session, event.id, user_id):
        try:
            with session.begin_nested():  # a concurrent duplicate click loses on the unique pair
                session.add(Rsvp(team_id=event.team_id, event_id=event.id, user_id=user_id, created_at=now))
        except IntegrityError:
            pass
    for kind in lead_times_of(session, event.id):
        _ensure(session, event, kind, RecipientType.USER, user_id, now)
    session.flush()
    return True


# --- claiming due reminders ---------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    id: int
    token: str


def _claimable_reminders(now: datetime):
    pending_due = and_(Reminder.status == ReminderStatus.PENDING.value, Reminder.next_attempt_at <= now)
    lease_expired = and_(Reminder.status == ReminderStatus.CLAIMED.value, Reminder.claimed_until < now)
    return or_(pending_due, lease_expired)


def _claim(session: Session, model, claimable, order_by, limit: int, mark: dict) -> list[Claimed]:
    """Claim up to `limit` rows of `model` matching `claimable` for this process (see the module docstring)."""
    token = str(uuid.uuid4())
    mark = {**mark, "claim_token": token}
    candidates = select(model.id).where(claimable).order_by(*order_by).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(candidates.with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values(**mark))
        return [Claimed(i, token) for i in ids]
    won = []
    for row_id in list(session.scalars(candidates)):
        # Repeating the condition makes the update a no-op if another process claimed the row first.
        if session.execute(update(model).where(model.id == row_id, claimable).values(**mark)).rowcount == 1:
            won.append(Claimed(row_id, token))
    return won


def claim_due_reminders(session: Session, now: datetime, limit: int, lease: timedelta = DEFAULT_LEASE) -> list[Claimed]:
    """Claim up to `limit` due reminders for this process, oldest first. Commit before posting."""
    mark = dict(status=ReminderStatus.CLAIMED.value, claimed_until=now + lease)
    return _claim(session, Reminder, _claimable_reminders(now), (Reminder.next_attempt_at, Reminder.id), limit, mark)


def load_claimed(session: Session, claimed: Claimed) -> tuple[Reminder, Event] | None:
    reminder = session.get(Reminder, claimed.id)
    if reminder is None or reminder.claim_token != claimed.token:
        return None
    return reminder, session.get(Event, reminder.event_id)


def _finish(session: Session, claimed: Claimed, **values) -> bool:
    """Record a result, only if this claim still holds the row."""
    values.setdefault("claimed_until", None)
    values.setdefault("claim_token", None)
    result = session.execute(
        update(Reminder).where(Reminder.id == claimed.id, Reminder.claim_token == claimed.token).values(**values)
    )
    return result.rowcount == 1


def mark_sent(session: Session, claimed: Claimed, ts: str | None, now: datetime, *, late: bool) -> bool:
    status = ReminderStatus.SENT_LATE if late else ReminderStatus.SENT
    return _finish(session, claimed, status=status.value, slack_ts=ts, sent_at=now, attempts=Reminder.attempts + 1)


def mark_skipped(session: Session, claimed: Claimed, reason: str) -> bool:
    return _finish(session, claimed, status=ReminderStatus.SKIPPED.value, last_error=reason[:200])


def mark_cancelled(session: Session, claimed: Claimed) -> bool:
    return _finish(session, claimed, status=ReminderStatus.CANCELLED.value)


def mark_failed(session: Session, claimed: Claimed, error: str) -> bool:
    return _finish(session, claimed, status=ReminderStatus.FAILED.value, last_error=error[:200], attempts=Reminder.attempts + 1)


def mark_retry(session: Session, claimed: Claimed, error: str, now: datetime) -> str:
    """A transient error: try again after a backoff, or give up after MAX_ATTEMPTS. Returns the new status."""
    reminder = session.get(Reminder, claimed.id)
    attempts = reminder.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _finish(session, claimed, status=ReminderStatus.FAILED.value, last_error=f"gave up: {error}"[:200], attempts=attempts)
        return ReminderStatus.FAILED.value
    _finish(
        session,
        claimed,
        status=ReminderStatus.PENDING.value,
        last_error=error[:200],
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
    )
    return ReminderStatus.PENDING.value


def release(session: Session, claimed: Claimed) -> bool:
    """Give an untouched claim back (a run out of time), as if never claimed."""
    return _finish(session, claimed, status=ReminderStatus.PENDING.value)


# --- digests ------------------------------------------------------------------


def parse_local_time(value: str) -> time:
    return time.fromisoformat(value)


def subscribe_digest(
    session: Session, team_id: str, channel_id: str, local_time: time, tz_name: str, quiet: bool, user_id: str, now: datetime
) -> DigestSubscription:
    """Create or change a channel's subscription; the next run is the next `local_time` in `tz_name`."""
    subscription = get_digest(session, team_id, channel_id)
    if subscription is None:
        subscription = DigestSubscription(team_id=team_id, channel_id=channel_id, created_by=user_id, created_at=now, attempts=0)
        session.add(subscription)
    subscription.local_time = f"{local_time:%H:%M}"
    subscription.timezone = tz_name
    subscription.quiet = quiet
    subscription.next_run_at = next_local_run(local_time, tz_name, now)
    subscription.claimed_until = subscription.claim_token = None
    subscription.attempts = 0
    session.flush()
    return subscription


def get_digest(session: Session, team_id: str, channel_id: str) -> DigestSubscription | None:
    return session.scalar(
        select(DigestSubscription).where(DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id)
    )


def unsubscribe_digest(session: Session, team_id: str, channel_id: str) -> bool:
    result = session.execute(
        delete(DigestSubscription).where(DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id)
    )
    return result.rowcount > 0


def _claimable_digests(now: datetime):
    free = or_(DigestSubscription.claimed_until.is_(None), DigestSubscription.claimed_until < now)
    return and_(DigestSubscription.next_run_at <= now, free)


def claim_due_digests(session: Session, now: datetime, limit: int, lease: timedelta = DEFAULT_LEASE) -> list[Claimed]:
    """Claim due digest subscriptions, the same way as reminders."""
    order = (DigestSubscription.next_run_at, DigestSubscription.id)
    return _claim(session, DigestSubscription, _claimable_digests(now), order, limit, dict(claimed_until=now + lease))


def load_claimed_digest(session: Session, claimed: Claimed) -> DigestSubscription | None:
    subscription = session.get(DigestSubscription, claimed.id)
    if subscription is None or subscription.claim_token != claimed.token:
        return None
    return subscription


def finish_digest(session: Session, claimed: Claimed, now: datetime, *, sent: bool, error: str | None = None) -> bool:
    """Done with today's run (posted, skipped or permanently failed): schedule the next local day."""
    subscription = load_claimed_digest(session, claimed)
    if subscription is None:
        return False
    subscription.next_run_at = next_local_run(parse_local_time(subscription.local_time), subscription.timezone, now)
    subscription.claimed_until = subscription.claim_token = None
    subscription.attempts = 0
    subscription.last_error = error[:200] if error else None
    if sent:
        subscription.last_sent_at = now
    return True


def retry_digest(session: Session, claimed: Claimed, error: str, now: datetime) -> bool:
    """A transient error: keep the due run, claimable again after a backoff (the lease doubles as the wait)."""
    subscription = load_claimed_digest(session, claimed)
    if subscription is None:
        return False
    subscription.attempts += 1
    subscription.last_error = error[:200]
    subscription.claimed_until = now + backoff(subscription.attempts)
    subscription.claim_token = None
    return True


def events_between(session: Session, team_id: str, start: datetime, end: datetime) -> list[Event]:
    """Events of one team starting in [start, end), not cancelled, soonest first."""
    query = select(Event).where(
        Event.team_id == team_id, Event.cancelled_at.is_(None), Event.starts_at >= start, Event.starts_at < end
    )
    return list(session.scalars(query.order_by(Event.starts_at, Event.id)))
