"""Queries on events. Every function takes the team: no query crosses teams.

The upcoming list costs what it shows, however long the team's history: each of its two
parts is an index range scan (see the indexes on `Event`), never a walk over past events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from storage.models import DURATION_WINDOWS, Event, EventType, normalize_city, normalize_state

# Ties on the start are broken by id, so that pages never overlap or skip.
SOONEST_FIRST = (Event.starts_at, Event.id)


@dataclass(frozen=True)
class EventFilter:
    """What `/event list` narrows by; empty means everything upcoming."""

    event_type: EventType | None = None
    state: str | None = None
    city: str | None = None


@dataclass(frozen=True)
class UpcomingPage:
    events: list[Event]
    has_next: bool  # more events follow this page


def add_event(session: Session, event: Event) -> Event:
    session.add(event)
    session.flush()  # assigns the id the announcement card shows
    return event


def get_event(session: Session, team_id: str, event_id: int) -> Event | None:
    return session.scalar(select(Event).where(Event.team_id == team_id, Event.id == event_id))


def upcoming_page(session: Session, team_id: str, now: datetime, *, where: EventFilter = EventFilter(), offset: int = 0, size: int) -> UpcomingPage:
    """One page of what `upcoming_events` lists; whether there is a next page costs one more row, not a count."""
    events = upcoming_events(session, team_id, now, where=where, limit=size + 1, offset=offset)
    return UpcomingPage(events[:size], has_next=len(events) > size)


def upcoming_events(
    session: Session,
    team_id: str,
    now: datetime,
    *,
    where: EventFilter = EventFilter(),
    limit: int,
    offset: int = 0,
) -> list[Event]:
    """Events not over at `now`, soonest start first: those already on (they started before
    `now`, so they come first), then those still to start."""
    wanted = offset + limit
    # Few events are on at any instant: all of them, in order, then what the page still needs.
    # No ORDER BY ... LIMIT in SQL here: with one, PostgreSQL prefers walking the start index
    # through the team's past (whose order matches) to the duration index (whose rows are few).
    on_now = sorted(session.scalars(_on_now(team_id, now, where)), key=lambda event: (event.starts_at, event.id))
    if len(on_now) >= wanted:
        return on_now[offset:wanted]
    skip = max(offset - len(on_now), 0)
    to_come = _to_come(team_id, now, where).order_by(*SOONEST_FIRST).offset(skip).limit(wanted - len(on_now) - skip)
    return on_now[offset:] + list(session.scalars(to_come))


def _to_come(team_id: str, now: datetime, where: EventFilter) -> Select:
    """Events starting at or after `now`: a forward range scan of (team, [filter,] start)."""
    return _narrowed(select(Event).where(Event.team_id == team_id, Event.starts_at >= now, Event.cancelled_at.is_(None)), where)


def _on_now(team_id: str, now: datetime, where: EventFilter) -> Select:
    """Events that started before `now` and end at or after it.

    An event of duration class k that is on now ends within DURATION_WINDOWS[k] from now, so
    each class is one short range of (team, class, effective end): together they read about
    the events on now, not the past ones. Each OR term names the team so that SQLite can use
    the index for it on its own. The filter is applied to these few rows.
    """
    classes = [
        and_(Event.team_id == team_id, Event.duration_class == k, Event.effective_end >= now, Event.effective_end < now + window)
        for k, window in enumerate(DURATION_WINDOWS)
    ]
    longer = len(DURATION_WINDOWS)
    classes.append(and_(Event.team_id == team_id, Event.duration_class == longer, Event.effective_end >= now))
    query = select(Event).where(or_(*classes), Event.starts_at < now, Event.cancelled_at.is_(None))
    return _narrowed(query, where)


def _narrowed(query: Select, where: EventFilter) -> Select:
    if where.event_type:
        query = query.where(Event.event_type == where.event_type.value)
    if where.state:
        query = query.where(Event.state_key == normalize_state(where.state))
    if where.city:
        query = query.where(Event.city_key == normalize_city(where.city))
    return query
