"""What the public web may read: events open to the public and not announced in a private
channel, nothing else. Pages show the ones not cancelled; feeds keep cancelled ones, marked so.
"""

from __future__ import annotations

from datetime import timedelta

from services.runtime import Services
from storage import events as queries
from storage.models import Event

# How far back a feed reaches: subscribed calendars keep recent past events, and a cancelled
# one stays long enough for every subscriber to learn of it.
FEED_HISTORY = timedelta(days=90)


def upcoming_page(services: Services, team_id: str, where: queries.EventFilter, *, offset: int, size: int) -> queries.UpcomingPage:
    with services.db.read() as session:
        return queries.upcoming_page(session, team_id, services.now(), where=where, audience=queries.PUBLIC, offset=offset, size=size)


def event(services: Services, team_id: str, event_id: int, *, cancelled_too: bool = False) -> Event | None:
    """The event if the public may see it; a cancelled one only for a feed (`cancelled_too`)."""
    with services.db.read() as session:
        found = queries.get_event(session, team_id, event_id)
    if found is None or not queries.PUBLIC.may_see(found) or (found.is_cancelled and not cancelled_too):
        return None
    return found


def feed_version(services: Services, team_id: str) -> queries.FeedVersion:
    with services.db.read() as session:
        return queries.feed_version(session, team_id, services.now() - FEED_HISTORY)


def feed_entries(services: Services, team_id: str) -> list[queries.FeedEntry]:
    with services.db.read() as session:
        return queries.feed_entries(session, team_id, services.now() - FEED_HISTORY)


def feed_events(services: Services, team_id: str, ids: list[int]) -> list[Event]:
    """Events of a feed, by the ids `feed_entries` gave (all of them public)."""
    with services.db.read() as session:
        return [event for event in queries.events_by_id(session, team_id, ids) if queries.PUBLIC.may_see(event)]
