"""What the public web may read: events open to the public and not announced in a private
channel, nothing else; the team's campaigns and their sample posts. Pages show the events not
cancelled; feeds keep cancelled ones, marked so.
"""

from __future__ import annotations

from datetime import timedelta

from messages.events import NearPage
from services import campaigns
from services import events as event_workflows
from services.content import ensure_team_content
from services.runtime import Services
from storage import content as content_store
from storage import events as queries
from storage import rsvps, workspaces
from storage.models import Campaign, ContentPost, Event, WorkspaceStatus

# How far back a feed reaches: subscribed calendars keep recent past events, and a cancelled
# one stays long enough for every subscriber to learn of it.
FEED_HISTORY = timedelta(days=90)


def upcoming_page(
    services: Services, team_id: str, where: queries.EventFilter, *, offset: int, size: int
) -> queries.UpcomingPage:
    with services.db.read() as session:
        return queries.upcoming_page(
            session, team_id, services.now(), where=where, audience=queries.PUBLIC, offset=offset, size=size
        )


def near(services: Services, team_id: str, place: str, radius_miles: int, *, offset: int, size: int) -> NearPage | None:
    """Upcoming public events by distance from a ZIP code or `City, ST`; None for a place not known."""
    return event_workflows.near(services, team_id, place, radius_miles, queries.PUBLIC, offset=offset, size=size)


def event(services: Services, team_id: str, event_id: int, *, cancelled_too: bool = False) -> Event | None:
    """The event if the public may see it; a cancelled one only for a feed (`cancelled_too`)."""
    with services.db.read() as session:
        found = queries.get_event(session, team_id, event_id)
    if found is None or not queries.PUBLIC.may_see(found) or (found.is_cancelled and not cancelled_too):
        return None
    return found


def event_and_going(services: Services, team_id: str, event_id: int) -> tuple[Event, int] | None:
    """The event (as `event` gives it) and how many are going, in one read, for its page."""
    with services.db.read() as session:
        found = queries.get_event(session, team_id, event_id)
        if found is None or not queries.PUBLIC.may_see(found) or found.is_cancelled:
            return None
        return found, rsvps.going_count(session, found.id)


def serves_workspace(services: Services, team_id: str) -> bool:
    """With multi-workspace installs: whether `team_id` is installed and its public pages shown
    (an uninstalled workspace's are gone at once, its data soon after)."""
    with services.db.read() as session:
        workspace = workspaces.get(session, team_id)
    return workspace is not None and workspace.status == WorkspaceStatus.ACTIVE.value


def campaign_list(services: Services, team_id: str) -> list[Campaign]:
    return campaigns.listing(services, team_id)


def campaign(services: Services, team_id: str, slug: str | None) -> Campaign | None:
    return campaigns.find(services, team_id, slug) if slug else None


def campaign_posts(services: Services, team_id: str, slug: str) -> list[ContentPost]:
    """The campaign's sample posts, shipped ones first."""
    ensure_team_content(services, team_id)
    with services.db.read() as session:
        return content_store.posts(session, team_id, campaign=slug)


def feed_version(services: Services, team_id: str, campaign_slug: str | None = None) -> queries.FeedVersion:
    with services.db.read() as session:
        return queries.feed_version(session, team_id, services.now() - FEED_HISTORY, campaign_slug=campaign_slug)


def feed_entries(services: Services, team_id: str, campaign_slug: str | None = None) -> list[queries.FeedEntry]:
    with services.db.read() as session:
        return queries.feed_entries(session, team_id, services.now() - FEED_HISTORY, campaign_slug=campaign_slug)


def feed_events(services: Services, team_id: str, ids: list[int]) -> list[Event]:
    """Events of a feed, by the ids `feed_entries` gave (all of them public)."""
    with services.db.read() as session:
        return [event for event in queries.events_by_id(session, team_id, ids) if queries.PUBLIC.may_see(event)]
