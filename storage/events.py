"""Queries on events. Every function takes the team: no query crosses teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Event, EventType


@dataclass(frozen=True)
class EventFilter:
    """What `/event list` narrows by; empty means everything upcoming."""

    event_type: EventType | None = None
    state: str | None = None
    city: str | None = None


@dataclass(frozen=True)
class Audience:
    """Who is looking, and where: events of private channels are only for that channel, their
    creator and admins (`everything`)."""

    channel_id: str | None = None
    user_id: str | None = None
    everything: bool = False

    def condition(self):
        if self.everything:
            return None
        return or_(Event.private_channel.is_(False), Event.channel_id == self.channel_id, Event.created_by == self.user_id)

    def may_see(self, event: Event) -> bool:
        return self.everything or not event.private_channel or event.channel_id == self.channel_id or event.created_by == self.user_id


def add_event(session: Session, event: Event) -> Event:
    session.add(event)
    session.flush()  # assigns the id the announcement card shows
    return event


def get_event(session: Session, team_id: str, event_id: int) -> Event | None:
    return session.scalar(select(Event).where(Event.team_id == team_id, Event.id == event_id))


def _upcoming(team_id: str, now: datetime, where: EventFilter, audience: Audience) -> Select:
    # An event is upcoming until it ends (or, with no end, until it starts).
    still_on = func.coalesce(Event.ends_at, Event.starts_at) >= now
    query = select(Event).where(Event.team_id == team_id, Event.cancelled_at.is_(None), still_on)
    if (visible := audience.condition()) is not None:
        query = query.where(visible)
    if where.event_type:
        query = query.where(Event.event_type == where.event_type.value)
    if where.state:
        query = query.where(func.upper(Event.state) == where.state.upper())
    if where.city:
        query = query.where(func.lower(Event.city) == where.city.lower())
    return query


def upcoming_events(
    session: Session,
    team_id: str,
    now: datetime,
    *,
    where: EventFilter = EventFilter(),
    audience: Audience = Audience(everything=True),
    limit: int,
    offset: int = 0,
) -> list[Event]:
    query = _upcoming(team_id, now, where, audience).order_by(Event.starts_at, Event.id)
    return list(session.scalars(query.limit(limit).offset(offset)))


def count_upcoming(session: Session, team_id: str, now: datetime, where: EventFilter = EventFilter(),
                   audience: Audience = Audience(everything=True)) -> int:
    return session.scalar(select(func.count()).select_from(_upcoming(team_id, now, where, audience).subquery())) or 0


def events_between(session: Session, team_id: str, start: datetime, end: datetime, *, channel_id: str) -> list[Event]:
    """Events of one team starting in [start, end), not cancelled, soonest first: the digest
    of `channel_id` (which shows a private channel's events only in that channel)."""
    query = select(Event).where(
        Event.team_id == team_id, Event.cancelled_at.is_(None), Event.starts_at >= start, Event.starts_at < end,
        or_(Event.private_channel.is_(False), Event.channel_id == channel_id),
    )
    return list(session.scalars(query.order_by(Event.starts_at, Event.id)))
