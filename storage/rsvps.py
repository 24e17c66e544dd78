"""RSVPs: who is going to which event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import reminders, signups
from storage.models import Event, RecipientType, Rsvp


def rsvp_users(session: Session, event_id: int) -> list[str]:
    return list(
        session.scalars(select(Rsvp.user_id).where(Rsvp.event_id == event_id).order_by(Rsvp.created_at, Rsvp.id))
    )


def is_going(session: Session, event_id: int, user_id: str) -> bool:
    return session.scalar(select(Rsvp.id).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)) is not None


def set_rsvp(session: Session, event: Event, user_id: str, going: bool, now: datetime) -> bool:
    """Make the user going or not; idempotent (a repeated request changes nothing). Returns `going`.

    Going: the user gets a DM reminder for each of the event's lead times still ahead.
    Not going: their unsent DM reminders are cancelled.
    """
    if not going:
        session.execute(delete(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user_id))
        reminders.cancel_reminders(session, event.id, recipient=user_id)
        return False
    if not is_going(session, event.id, user_id):
        try:
            with session.begin_nested():  # a concurrent duplicate click loses on the unique pair
                session.add(Rsvp(team_id=event.team_id, event_id=event.id, user_id=user_id, created_at=now))
        except IntegrityError:
            pass
    for kind in reminders.lead_times_of(session, event.id):
        reminders.ensure(session, event, kind, RecipientType.USER, user_id, now)
    session.flush()
    return True


def going_count(session: Session, event_id: int) -> int:
    """How many are going to one event, Slack members and the public together, in one statement."""
    members = select(func.count()).where(Rsvp.event_id == event_id).scalar_subquery()
    return session.scalar(select(members + signups.count_going(event_id))) or 0


def counts(session: Session, event_ids: set[int]) -> dict[int, int]:
    """How many are going to each of several events, Slack members and the public together,
    in two queries."""
    if not event_ids:
        return {}
    query = select(Rsvp.event_id, func.count()).where(Rsvp.event_id.in_(event_ids)).group_by(Rsvp.event_id)
    going = dict(session.execute(query).all())
    for event_id, public in signups.counts(session, event_ids).items():
        going[event_id] = going.get(event_id, 0) + public
    return going
