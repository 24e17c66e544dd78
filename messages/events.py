"""Event cards, details and lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from messages import dates, mrkdwn
from messages.content import toolkit_for_event_type
from messages.links import PublicLinks
from messages.limits import BUTTON_VALUE, FALLBACK_TEXT, HEADER_TEXT, SECTION_TEXT, shorten
from storage.events import MyEvents
from storage.models import Campaign, Event, EventType
from storage.places import Place
from timemath import to_local

TYPE_LABELS: dict[EventType, str] = {
    EventType.RALLY: "Rally or action",
    EventType.PRAYER_VIGIL: "Prayer vigil",
    EventType.PRESS_CONFERENCE: "Press conference",
    EventType.TOWN_HALL: "Town hall",
    EventType.LEGISLATIVE_VISIT: "Legislative visit",
    EventType.CALL_IN_DAY: "Call-in day",
    EventType.CANVASS: "Canvass",
    EventType.PANEL_DISCUSSION: "Panel or discussion",
    EventType.SOCIAL_MEDIA_PUSH: "Social media push",
    EventType.OTHER: "Other action",
}

TYPE_EMOJI: dict[EventType, str] = {
    EventType.RALLY: ":mega:",
    EventType.PRAYER_VIGIL: ":candle:",
    EventType.PRESS_CONFERENCE: ":microphone:",
    EventType.TOWN_HALL: ":classical_building:",
    EventType.LEGISLATIVE_VISIT: ":handshake:",
    EventType.CALL_IN_DAY: ":telephone_receiver:",
    EventType.CANVASS: ":clipboard:",
    EventType.PANEL_DISCUSSION: ":speech_balloon:",
    EventType.SOCIAL_MEDIA_PUSH: ":iphone:",
    EventType.OTHER: ":pushpin:",
}

LIST_PAGE_SIZE = 10
MINE_SIZE = 20  # `/event mine` shows this many, soonest first
PLACE_TBA = "To be announced"
# Action ids the handlers listen for; defined here so cards and listeners agree.
EDIT_ACTION = "event_edit"
CANCEL_ACTION = "event_cancel"
CALENDAR_ACTION = "event_calendar"
TOOLKIT_ACTION = "event_toolkit"  # handled by handlers.toolkit: answers the clicker privately
RSVP_ACTION = "event_rsvp"
LIST_PAGE_ACTION = "event_list_page"
NEAR_PAGE_ACTION = "event_near_page"
ONLINE_SHOWN = 5  # online events under a distance search: a glimpse, `/event list` has them all


def type_label(event: Event) -> str:
    return TYPE_LABELS[event.type]


def all_day_text(event: Event) -> str:
    """The calendar days of an all-day event, plain text. They are days where the event
    happens; shifting them into a reader's zone would show the wrong day."""
    first = to_local(event.starts_at, event.timezone).date()
    last = to_local(event.ends_at, event.timezone).date() - timedelta(days=1) if event.ends_at else first
    return f"{days_text(first, last)} (all day)"


def type_named(text: str) -> EventType | None:
    """The type a person means by `prayer vigil`, `prayer_vigil` or `Rally or action` (any case)."""
    wanted = " ".join(text.split()).casefold()
    return next((kind for kind, label in TYPE_LABELS.items()
                 if wanted in (kind.value, kind.value.replace("_", " "), label.casefold())), None)


def when_text(event: Event) -> str:
    """When, in mrkdwn: a date token for timed events (each reader's own zone), plain dates for all-day ones."""
    if event.all_day:
        return all_day_text(event)
    start = mrkdwn.date_token(event.starts_at, tz_name=event.timezone)
    if not event.ends_at:
        return start
    end_format = "{time}" if _ends_same_day(event) else None
    return f"{start} – {mrkdwn.date_token(event.ends_at, end_format, tz_name=event.timezone)}"


def when_plain(event: Event) -> str:
    """When, as plain text in the event's own zone: for the public pages, which have no date tokens."""
    if event.all_day:
        return all_day_text(event)
    start = dates.moment(event.starts_at, event.timezone)
    if not event.ends_at:
        return start
    end = (dates.moment_same_day if _ends_same_day(event) else dates.moment)(event.ends_at, event.timezone)
    return f"{start} – {end}"


def _ends_same_day(event: Event) -> bool:
    return to_local(event.starts_at, event.timezone).date() == to_local(event.ends_at, event.timezone).date()


def address_text(event: Event) -> str:
    """Address, city, state and ZIP as plain text, for the public pages and feeds; "" when none is given."""
    place = ", ".join(part for part in (event.address, event.city, event.state) if part)
    return f"{place} {event.zip_code}".strip() if event.zip_code else place


def days_text(first: date, last: date) -> str:
    """Calendar days, first and last included: `Fri, Dec 4, 2026`, `Sat, Jan 27 – Sat, Feb 3, 2018`."""
    return dates.days(first, last)


def place_text(event: Event) -> str:
    """The street address, escaped: "4701 Sisk Road, Modesto, CA 95356"; empty when there is none."""
    return mrkdwn.escape(address_text(event))


def where_text(event: Event) -> str:
    lines = [place] if (place := place_text(event)) else []
    if event.online_url:
        lines.append(mrkdwn.link(event.online_url, "Join online"))
    return "\n".join(lines) or PLACE_TBA


def shows_contact_email(event: Event) -> bool:
    """Where everyone can read it (the card, the public pages), the lead contact's email is
    shown only for an event open to the public: the organizer chose to publish it."""
    return event.is_public


def contact_line(event: Event) -> str:
    """The lead contact as the card shows it, plain: the name, and the email where it is shown."""
    email = event.contact_email if shows_contact_email(event) else None
    return " ".join(part for part in (event.contact_name, f"({email})" if email and event.contact_name else email) if part)


def who_text(event: Event, *, show_email: bool) -> str | None:
    parts = []
    if event.lead_organizations:
        parts.append(mrkdwn.escape(event.lead_organizations))
    contact = mrkdwn.escape(event.contact_name or "")
    if show_email and event.contact_email:
        contact = f"{contact} ({mrkdwn.escape(event.contact_email)})".strip()
    if contact:
        parts.append(f"Contact: {contact}")
    return "\n".join(parts) or None


def hashtags_text(campaign: Campaign) -> str:
    return " ".join(mrkdwn.escape(h) for h in campaign.hashtags)


def campaign_line(campaign: Campaign) -> str:
    """On cards and digests: the campaign an event is part of, with its hashtags."""
    tags = hashtags_text(campaign)
    return f":loudspeaker: *{mrkdwn.escape(shorten(campaign.name, 200))}*" + (f" {tags}" if tags else "")


def google_calendar_url(event: Event) -> str:
    if event.all_day:
        first = to_local(event.starts_at, event.timezone).date()
        end = to_local(event.ends_at, event.timezone).date() if event.ends_at else first + timedelta(days=1)
        dates = f"{first:%Y%m%d}/{end:%Y%m%d}"
    else:
        end = event.ends_at or event.starts_at + timedelta(hours=1)
        dates = f"{event.starts_at:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    location = ", ".join(p for p in (event.address, event.city, event.state, event.zip_code) if p)
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "ctz": event.timezone,
        "details": (event.details or "")[:1000],
        "location": location or event.online_url or "",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}]}


def _fields(event: Event, *, show_email: bool) -> list[dict]:
    fields = [
        {"type": "mrkdwn", "text": f"*When*\n{when_text(event)}"},
        {"type": "mrkdwn", "text": f"*Where*\n{where_text(event)}"},
    ]
    who = who_text(event, show_email=show_email)
    if who:
        fields.append({"type": "mrkdwn", "text": shorten(f"*Who*\n{who}", 2000)})
    return fields


def fallback_text(event: Event) -> str:
    """Notification text: no date token there, so the event's own zone is spelled out."""
    status = "Cancelled: " if event.is_cancelled else ""
    when = "all day" if event.all_day else dates.moment(event.starts_at, event.timezone)
    return shorten(f"{status}{type_label(event)}: {mrkdwn.escape(event.title)} ({when})", FALLBACK_TEXT)


def _title(event: Event) -> dict:
    # Escaped mrkdwn rather than a header block: no raw user markup in anything displayed.
    prefix = "~CANCELLED~ " if event.is_cancelled else ""
    return _section(f"{prefix}*{mrkdwn.escape(shorten(event.title, HEADER_TEXT))}*")


def going_text(going: int) -> str:
    return ":raised_hands: Nobody has said they're going yet." if not going else f":raised_hands: *{going}* going"


def summary(event: Event, campaign: Campaign | None = None) -> list[dict]:
    """Title, when, where, who, campaign and details, as the card shows them (and the review request)."""
    blocks = [_title(event), {"type": "section", "fields": _fields(event, show_email=shows_contact_email(event))}]
    if campaign is not None:
        blocks.append(_context(campaign_line(campaign)))
    if event.details:
        blocks.append(_section(mrkdwn.escape(event.details)))
    return blocks


def card(event: Event, *, going: int = 0, campaign: Campaign | None = None, links: PublicLinks | None = None) -> list[dict]:
    """The announcement posted in a channel, with the RSVP count and the campaign it is part of.
    Private events show no contact email. With `links` (PUBLIC_BASE_URL set), a public event
    links to its page and .ics file."""
    blocks = [
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"{TYPE_EMOJI[event.type]} *{type_label(event)}* · event #{event.id}"}],
        },
        *summary(event, campaign),
    ]
    if not event.is_public:
        blocks.append(_context(":lock: Not open to the public: reach out to the lead contact."))
    if event.is_cancelled:
        blocks.append(_context(f":no_entry: Cancelled by {mrkdwn.user(event.cancelled_by or '')}."))
        return blocks
    if links and (page := links.event_page(event)):
        text = f"{mrkdwn.link(page, 'Event page')} · {mrkdwn.link(links.event_calendar(event), 'Add to calendar (.ics)')}"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
    blocks.append(_card_actions(event))
    blocks.append(_context(f"{going_text(going)} · Registered by {mrkdwn.user(event.created_by)}"))
    return blocks


def _card_actions(event: Event) -> dict:
    value = str(event.id)
    return {
        "type": "actions",
        "block_id": f"event_actions_{event.id}",
        "elements": [
            {
                "type": "button",
                "action_id": RSVP_ACTION,
                "style": "primary",
                "text": {"type": "plain_text", "text": "I'm going"},
                "value": value,
            },
            {
                "type": "button",
                "action_id": CALENDAR_ACTION,
                "text": {"type": "plain_text", "text": "Add to Google Calendar"},
                "url": google_calendar_url(event),
                "value": value,
            },
            *_toolkit_button(event),
            {"type": "button", "action_id": EDIT_ACTION, "text": {"type": "plain_text", "text": "Edit"}, "value": value},
            {
                "type": "button",
                "action_id": CANCEL_ACTION,
                "style": "danger",
                "text": {"type": "plain_text", "text": "Cancel event"},
                "value": value,
                "confirm": {
                    "title": {"type": "plain_text", "text": "Cancel this event?"},
                    "text": {"type": "plain_text", "text": f"Cancel event #{event.id} and tell its channel?"},
                    "confirm": {"type": "plain_text", "text": "Cancel event"},
                    "deny": {"type": "plain_text", "text": "Keep it"},
                    "style": "danger",
                },
            },
        ],
    }


def _toolkit_button(event: Event) -> list[dict]:
    """"Toolkit: Prayer vigil": the steps for this type of action, from the content files' event_types."""
    topic = toolkit_for_event_type(event.event_type)
    if topic is None:
        return []
    return [
        {
            "type": "button",
            "action_id": TOOLKIT_ACTION,
            "text": {"type": "plain_text", "text": shorten(f"Toolkit: {type_label(event)}", 75)},
            "value": topic.slug,
        }
    ]


def detail(
    event: Event,
    *,
    viewer_is_organizer: bool,
    going: int = 0,
    campaign: Campaign | None = None,
    organizer_sections: tuple[str, ...] = (),
    links: PublicLinks | None = None,
) -> list[dict]:
    """`/event show`: the card, with the contact email for the organizer and a link to the announcement.

    `organizer_sections` (who is going, the reminders) are already-escaped mrkdwn for its creator and admins.
    """
    blocks = card(event, going=going, campaign=campaign, links=links)
    if viewer_is_organizer and not event.is_public and event.contact_email:
        blocks[2] = {"type": "section", "fields": _fields(event, show_email=True)}
    if event.channel_id:
        where = mrkdwn.channel(event.channel_id)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"Announced in {where}"}]})
    blocks += [_section(text) for text in organizer_sections]
    return blocks


def hosts_summary(event: Event, co_hosts: list[str]) -> str:
    """For its organizers in `/event show`: who hosts it."""
    if not co_hosts:
        return f"*Hosted by* {mrkdwn.user(event.created_by)}, who registered it. Add co-hosts with `/event edit {event.id}`."
    return shorten(f"*Hosted by* {mrkdwn.user(event.created_by)} (registered it) with co-hosts "
                   + ", ".join(mrkdwn.user(u) for u in co_hosts), SECTION_TEXT)


def approval_marker(event: Event) -> str:
    """How a list marks an event still waiting for review (only its hosts and admins see one)."""
    return " · :hourglass_flowing_sand: _waiting for review_" if event.is_pending else ""


def list_line(event: Event, *, miles: float | None = None, links: PublicLinks | None = None) -> str:
    """One event of a list; its title links to its public page when it has one."""
    place = ", ".join(p for p in (event.city, event.state) if p) or ("Online" if event.online_url else "Place TBA")
    away = f"*{miles_text(miles)}* · " if miles is not None else ""
    title = f"#{event.id} {shorten(event.title, 200)}"
    page = links.event_page(event) if links else None
    return (
        f"{TYPE_EMOJI[event.type]} *{mrkdwn.link(page, title) if page else mrkdwn.escape(title)}*\n"
        f"{away}{when_text(event)} · {mrkdwn.escape(place)} · {type_label(event)}{approval_marker(event)}"
    )


def miles_text(miles: float) -> str:
    """`0.4 mi`, `3.7 mi` close by, `12 mi`, `1,204 mi` further."""
    return f"{miles:.1f} mi" if miles < 10 else f"{miles:,.0f} mi"


@dataclass(frozen=True)
class ListPage:
    events: list[Event]
    offset: int
    has_next: bool  # more events follow; no total is counted, it would cost the whole history
    query: str = ""
    links: PublicLinks | None = None  # titles link to the public pages
    campaign: Campaign | None = None  # the campaign the list is narrowed to
    hint: str | None = None  # another reading of the query (mrkdwn, escaped), see campaign_hint and city_hint


def _scope(page: ListPage) -> str:
    if page.campaign is not None:
        return f" in the campaign *{mrkdwn.escape(shorten(page.campaign.name, 200))}*"
    return f" matching “{mrkdwn.escape(page.query)}”" if page.query else ""


def event_list(page: ListPage) -> list[dict]:
    """One page of `/event list`, with buttons to move between pages (never over the block limit)."""
    hint = [_context(page.hint)] if page.hint else []
    if not page.events:
        return [_section(f"No upcoming events{_scope(page)}. Register one with `/event new`."), *hint]
    first, last = page.offset + 1, page.offset + len(page.events)
    blocks = [_section(f"*Upcoming events* {first}–{last}{_scope(page)}"), *hint, {"type": "divider"}]
    blocks += [_section(list_line(event, links=page.links)) for event in page.events]
    navigation = []
    if page.offset > 0:
        navigation.append(_page_button("Previous", max(page.offset - LIST_PAGE_SIZE, 0), page.query))
    if page.has_next:
        navigation.append(_page_button("Next", last, page.query))
    if navigation:
        blocks.append({"type": "actions", "elements": navigation})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Details: `/event show <id>`"}]})
    return blocks


def my_events(mine: MyEvents, user_id: str) -> list[dict]:
    """`/event mine`: what the person registered, co-hosts or is going to, and which."""
    if not mine.events:
        return [_section("You have no upcoming events: none you registered, co-host or said you're going to. "
                         "`/event list` shows what's on.")]
    blocks = [_section("*Your upcoming events*"), {"type": "divider"}]
    blocks += [_section(f"{list_line(event)}\n_{_my_part(event, mine, user_id)}_") for event in mine.events]
    more = f"Your next {len(mine.events)}; `/event list` has everything. " if mine.has_more else ""
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"{more}Details: `/event show <id>`"}]})
    return blocks


def _my_part(event: Event, mine: MyEvents, user_id: str) -> str:
    parts = []
    if event.created_by == user_id:
        parts.append("You registered it")
    elif event.id in mine.co_hosting:
        parts.append("You co-host it")
    if event.id in mine.going:
        parts.append("you're going" if parts else "You're going")
    return ", ".join(parts)


def campaign_hint(campaign: Campaign) -> str:
    """The words of a list filter were read as a type, state or city, but also name a campaign."""
    return f"Looking for the campaign *{mrkdwn.escape(shorten(campaign.name, 200))}*? `/event list campaign {campaign.slug}`"


def city_hint(city: str) -> str:
    """The words of a list filter were read as a campaign, but could be a city."""
    return f"Looking for the city? `/event list city {mrkdwn.escape(shorten(city, 100))}`"


@dataclass(frozen=True)
class NearPage:
    """One page of a distance search: events by distance, and those only online apart."""

    place: Place
    place_text: str  # as the searcher typed it
    radius_miles: int
    nearby: list[tuple[Event, float]]  # (event, miles away), nearest first
    offset: int
    has_next: bool  # more events within the radius follow; none are counted beyond the next
    online: list[Event]
    more_online: bool  # more online events than shown
    wider_miles: int | None = None  # a radius to suggest when nothing is near

    @property
    def query(self) -> str:
        """What `/event near` is given to search this again."""
        return f"{self.place_text} {self.radius_miles} mi"


def near_title(page: NearPage) -> str:
    return f"Upcoming events {_within(page)}"


def _within(page: NearPage) -> str:
    return f"within {page.radius_miles:,} miles of {mrkdwn.escape(page.place.label)}"


def near_list(page: NearPage) -> list[dict]:
    """`/event near`: one page of events by distance (Next and Previous within the block limit),
    then the online ones."""
    if page.nearby:
        first, last = page.offset + 1, page.offset + len(page.nearby)
        blocks = [_section(f"*{near_title(page)}* {first}–{last}"), {"type": "divider"}]
        blocks += [_section(list_line(event, miles=miles)) for event, miles in page.nearby]
        navigation = []
        if page.offset > 0:
            navigation.append(_page_button("Previous", max(page.offset - LIST_PAGE_SIZE, 0), page.query, NEAR_PAGE_ACTION))
        if page.has_next:
            navigation.append(_page_button("Next", last, page.query, NEAR_PAGE_ACTION))
        if navigation:
            blocks.append({"type": "actions", "elements": navigation})
    else:
        further = f" Try further: `/event near {mrkdwn.escape(page.place_text)} {page.wider_miles} mi`." if page.wider_miles else ""
        blocks = [_section(f"No upcoming events {_within(page)}.{further} Register one with `/event new`.")]
    if page.online:
        blocks += [{"type": "divider"}, _section("*Online*, join from anywhere")]
        blocks += [_section(list_line(event)) for event in page.online]
        if page.more_online:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "More online events in `/event list`."}]})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Details: `/event show <id>`"}]})
    return blocks


def _page_button(label: str, offset: int, query: str, action: str = LIST_PAGE_ACTION) -> dict:
    return {
        "type": "button",
        "action_id": f"{action}_{label.lower()}",
        "text": {"type": "plain_text", "text": label},
        "value": f"{offset}|{query}"[:BUTTON_VALUE],
    }


def cancelled_thread_text(event: Event) -> str:
    return f":no_entry: This event has been cancelled by {mrkdwn.user(event.cancelled_by or '')}."


def parse_page_value(value: str) -> tuple[int, str]:
    """The page button's value: an offset (anything else starts over) and the list's filter."""
    offset, _, query = value.partition("|")
    return (int(offset) if offset.isascii() and offset.isdigit() and len(offset) <= 6 else 0), query
