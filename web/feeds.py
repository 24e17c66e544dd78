"""iCalendar feeds (RFC 5545), made with the icalendar library.

Each event is a VEVENT whose UID never changes, whose SEQUENCE rises with every edit and the
cancellation, and which stays in the feed once cancelled, with STATUS:CANCELLED, so that
subscribed calendars update or drop their copy. Timed events are given in UTC (exact whatever
the reader's zone, no VTIMEZONE needed); all-day events as DATE values, the local days they
happen on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import lru_cache

from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort

from messages import events as event_text
from messages import public as text
from messages.i18n import current_language
from services import public
from storage.events import FeedEntry
from storage.models import Event
from timemath import UTC, local_date
from web import language, responses
from web.feedcache import Body
from web.site import external_base, feed_link, state, team_id

if TYPE_CHECKING:
    from icalendar import Event as VEvent

# Bump when the rendering changes, so that cached bodies and clients' ETags are not reused.
FORMAT = 1
REFRESH = timedelta(hours=1)  # how often calendar apps are asked to look again


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
    body = state().feeds.body(("team", team, base, speaks), etag,
                              lambda: _assemble(public.feed_entries(services, team), base, _head(text.feed_name(), text.feed_about())))
    return responses.calendar(body, "calendar.ics")


def campaign_calendar(slug: str) -> Response:
    """The campaign's public events, as the team's feed holds them; named after the campaign."""
    services, team, base, speaks = state().services, team_id(), external_base(), current_language()
    campaign = public.campaign(services, team, slug)
    if campaign is None:
        abort(404)
    version = public.feed_version(services, team, campaign.slug)
    etag = responses.etag_of(FORMAT, "campaign", team, campaign.slug, campaign.name, campaign.updated_at, base, speaks, version)
    if (unchanged := responses.not_modified(etag)) is not None:
        return unchanged
    head = _head(campaign.name, campaign.call_to_action or campaign.description or text.feed_about())
    body = state().feeds.body(("campaign", team, campaign.slug, base, speaks), etag,
                              lambda: _assemble(public.feed_entries(services, team, campaign.slug), base, head))
    return responses.calendar(body, f"{campaign.slug}.ics")


def _assemble(entries: list[FeedEntry], base: str, head: bytes) -> bytes:
    """The feed of `entries`, in their order: the VEVENTs of unchanged events from the cache,
    the others loaded and rendered now."""
    cache = state().feeds
    kept = cache.events(_key(base, entry) for entry in entries)
    chunks = {entry.id: kept[_key(base, entry)] for entry in entries if _key(base, entry) in kept}
    page_url = _page_url(base)
    missing = public.feed_events(state().services, team_id(), [entry.id for entry in entries if entry.id not in chunks])
    rendered = {event.id: vevent(event, page_url(event)).to_ical() for event in missing}
    cache.keep_events({_key(base, event): rendered[event.id] for event in missing})
    chunks |= rendered
    return head + b"".join(chunks[entry.id] for entry in entries if entry.id in chunks) + END


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
    return _head(text.feed_name(), text.feed_about()) + b"".join(vevent(event, page_url(event)).to_ical() for event in events) + END


END = b"END:VCALENDAR\r\n"


@lru_cache(maxsize=256)
def _head(name: str, description: str) -> bytes:
    """The VCALENDAR's own lines: the calendar without its events, less its END line (each
    VEVENT's lines, as icalendar writes them, go between)."""
    from icalendar import Calendar, vDuration  # loaded by the first feed asked for: ~3 MB, ~0.1 s at start-up otherwise

    calendar = Calendar()
    calendar.add("prodid", text.PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar.to_ical().removesuffix(END)


def vevent(event: Event, page_url: str) -> VEvent:
    from icalendar import Event as VEvent

    component = VEvent()
    component.add("uid", uid(event))
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("summary", event.title)
    component.add("class", "PUBLIC")
    component.add("categories", [event_text.type_label(event)])
    if event.all_day:
        component.add("dtstart", local_date(event.starts_at, event.timezone))
        if event.ends_at:  # midnight after the last day: DTEND is exclusive, as RFC 5545 wants
            component.add("dtend", local_date(event.ends_at, event.timezone))
    else:
        component.add("dtstart", event.starts_at.astimezone(UTC))
        if event.ends_at:
            component.add("dtend", event.ends_at.astimezone(UTC))
    if location := event_text.address_text(event) or event.online_url:
        component.add("location", location)
    if event.latitude is not None:
        component.add("geo", (event.latitude, event.longitude))
    if not event.is_cancelled:  # its page is gone
        component.add("url", page_url)
    component.add("description", text.feed_description(event, None if event.is_cancelled else page_url))
    return component


def uid(event: Event) -> str:
    """Stable for the event's whole life, whatever its edits, and unique across workspaces."""
    return f"event-{event.id}-{event.team_id}@organizer-bot"
