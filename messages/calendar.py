"""iCalendar (RFC 5545), made with the icalendar library: the VEVENT of an event, for the public
feeds (web.feeds) and the invitations attached to emails.

Each event is a VEVENT whose UID never changes, whose SEQUENCE rises with every edit and the
cancellation, and which says STATUS:CANCELLED once cancelled, so that calendars update or drop
their copy. Timed events are given in UTC (exact whatever the reader's zone, no VTIMEZONE
needed); all-day events as DATE values, the local days they happen on.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from messages import events as event_text
from messages import public as text
from storage.models import Event
from timemath import UTC, local_date

if TYPE_CHECKING:
    from icalendar import Event as VEvent

END = b"END:VCALENDAR\r\n"
REFRESH = timedelta(hours=1)  # how often calendar apps are asked to look again


@lru_cache(maxsize=256)
def head(name: str, description: str) -> bytes:
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


def invitation(event: Event, page_url: str | None) -> bytes:
    """One event as a calendar file, to attach to an email (METHOD:PUBLISH: added, not answered)."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", text.PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(vevent(event, page_url))
    return calendar.to_ical()


def vevent(event: Event, page_url: str | None) -> VEvent:
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
    if page_url and not event.is_cancelled:  # its page is gone
        component.add("url", page_url)
    component.add("description", text.feed_description(event, None if event.is_cancelled else page_url))
    return component


def uid(event: Event) -> str:
    """Stable for the event's whole life, whatever its edits, and unique across workspaces."""
    return f"event-{event.id}-{event.team_id}@organizer-bot"
