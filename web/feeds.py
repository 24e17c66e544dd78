"""iCalendar feeds (RFC 5545) of the public events, each event's VEVENT drawn by messages.calendar.

A cancelled event stays in the feed, with STATUS:CANCELLED, so that subscribed calendars
update or drop their copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Blueprint, Response, abort

from messages import calendar as ical
from messages import public as text
from messages.i18n import current_language
from services import public
from storage.events import FeedEntry
from storage.models import Event
from web import language, responses
from web.feedcache import Body
from web.site import external_base, feed_link, state, team_id

# Bump when the rendering changes, so that cached bodies and clients' ETags are not reused.
FORMAT = 1


def register(bp: Blueprint) -> None:
    """The feeds' words (labels, the calendar's name) and the page links in them follow `?lang=`;
    each language is a feed of its own (its ETag, its cached body and VEVENTs), with the same
    UIDs and SEQUENCEs."""
    bp.get("/calendar.ics")(language.feed(team_calendar))
    bp.get("/events/<int:event_id>.ics")(language.feed(event_calendar))
    bp.get("/campaigns/<slug>/calendar.ics")(language.feed(campaign_calendar))


def team_calendar() -> Response:
    """Every public event of the team from FEED_HISTORY ago on, cancelled ones included."""
    services, team, base, speaks = state().services, team_id(), external_base(), current_language()
    etag = responses.etag_of(FORMAT, "team", team, base, speaks, public.feed_version(services, team))
    if (unchanged := responses.not_modified(etag)) is not None:
        return unchanged
    body = state().feeds.body(
        ("team", team, base, speaks),
        etag,
        lambda: _assemble(public.feed_entries(services, team), base, ical.head(text.feed_name(), text.feed_about())),
    )
    return responses.calendar(body, "calendar.ics")


def campaign_calendar(slug: str) -> Response:
    """The campaign's public events, as the team's feed holds them; named after the campaign."""
    services, team, base, speaks = state().services, team_id(), external_base(), current_language()
    campaign = public.campaign(services, team, slug)
    if campaign is None:
        abort(404)
    version = public.feed_version(services, team, campaign.slug)
    etag = responses.etag_of(
        FORMAT, "campaign", team, campaign.slug, campaign.name, campaign.updated_at, base, speaks, version
    )
    if (unchanged := responses.not_modified(etag)) is not None:
        return unchanged
    head = ical.head(campaign.name, campaign.call_to_action or campaign.description or text.feed_about())
    body = state().feeds.body(
        ("campaign", team, campaign.slug, base, speaks),
        etag,
        lambda: _assemble(public.feed_entries(services, team, campaign.slug), base, head),
    )
    return responses.calendar(body, f"{campaign.slug}.ics")


def _assemble(entries: list[FeedEntry], base: str, head: bytes) -> bytes:
    """The feed of `entries`, in their order: the VEVENTs of unchanged events from the cache,
    the others loaded and rendered now."""
    cache = state().feeds
    kept = cache.events(_key(base, entry) for entry in entries)
    chunks = {entry.id: kept[_key(base, entry)] for entry in entries if _key(base, entry) in kept}
    page_url = _page_url(base)
    missing = public.feed_events(state().services, team_id(), [entry.id for entry in entries if entry.id not in chunks])
    rendered = {event.id: ical.vevent(event, page_url(event)).to_ical() for event in missing}
    cache.keep_events({_key(base, event): rendered[event.id] for event in missing})
    chunks |= rendered
    return head + b"".join(chunks[entry.id] for entry in entries if entry.id in chunks) + ical.END


def _key(base: str, event: FeedEntry | Event) -> tuple:
    """What a VEVENT depends on besides the texts: the event's version, the site's address and
    the language of its words."""
    return base, current_language(), event.id, event.sequence, event.updated_at


def event_calendar(event_id: int) -> Response:
    """One event, to add to a calendar; still served once cancelled, saying so."""
    event = public.event(state().services, team_id(), event_id, cancelled_too=True)
    if event is None:
        abort(404)
    base = external_base()
    etag = responses.etag_of(FORMAT, "event", event.id, event.sequence, event.updated_at, base, current_language())
    if (unchanged := responses.not_modified(etag)) is not None:
        return unchanged
    return responses.calendar(Body.of(etag, render([event], _page_url(base))), f"event-{event.id}.ics")


def _page_url(base: str) -> Callable[[Event], str]:
    """An event's page, in the feed's language (English without `?lang=`, whatever the feed's address said)."""
    return lambda event: base + feed_link("event", event_id=event.id)


def render(events: Iterable[Event], page_url: Callable[[Event], str]) -> bytes:
    return (
        ical.head(text.feed_name(), text.feed_about())
        + b"".join(ical.vevent(event, page_url(event)).to_ical() for event in events)
        + ical.END
    )
