"""Event cards, details and lists."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from messages import blockkit, dates, mrkdwn
from messages.congress import targets_line
from messages.content import toolkit_for_event_type
from messages.i18n import LANGUAGES, N_, catalog, translations
from messages.limits import (
    BUTTON_TEXT,
    BUTTON_VALUE,
    FALLBACK_TEXT,
    HEADER_TEXT,
    SECTION_TEXT,
    shorten,
)
from messages.links import PublicLinks
from messages.plural import decimal, number
from storage.congress import members_by_id
from storage.events import MyEvents
from storage.models import Campaign, Event, EventType
from storage.places import Place
from timemath import to_local

_, ngettext, pgettext = catalog("events")

# What each type of event is called on cards, lists and the form; shown through type_label
# or type_labels, in the language of the moment.
TYPE_LABELS: dict[EventType, str] = {
    # TRANSLATORS: a type of event, on its card, in lists and in the form's Type menu (at most 75 characters)
    EventType.RALLY: N_("Rally or action"),
    EventType.PRAYER_VIGIL: N_("Prayer vigil"),
    EventType.PRESS_CONFERENCE: N_("Press conference"),
    EventType.TOWN_HALL: N_("Town hall"),
    EventType.LEGISLATIVE_VISIT: N_("Legislative visit"),
    EventType.CALL_IN_DAY: N_("Call-in day"),
    EventType.CANVASS: N_("Canvass"),
    EventType.PANEL_DISCUSSION: N_("Panel or discussion"),
    EventType.SOCIAL_MEDIA_PUSH: N_("Social media push"),
    EventType.OTHER: N_("Other action"),
}

# The short name a person types for a type (`/event list rally`); its label is understood too.
TYPE_WORDS: dict[EventType, str] = {
    # TRANSLATORS: the short name someone types after `/event list` to see one type of event, lower case
    EventType.RALLY: N_("rally"),
    EventType.PRAYER_VIGIL: N_("prayer vigil"),
    EventType.PRESS_CONFERENCE: N_("press conference"),
    EventType.TOWN_HALL: N_("town hall"),
    EventType.LEGISLATIVE_VISIT: N_("legislative visit"),
    EventType.CALL_IN_DAY: N_("call-in day"),
    EventType.CANVASS: N_("canvass"),
    EventType.PANEL_DISCUSSION: N_("panel discussion"),
    EventType.SOCIAL_MEDIA_PUSH: N_("social media push"),
    EventType.OTHER: N_("other"),
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
    return _(TYPE_LABELS[event.type])


def type_labels() -> dict[EventType, str]:
    """Every type's label, in the language of the moment: for menus and filters."""
    return {kind: _(label) for kind, label in TYPE_LABELS.items()}


def place_tba() -> str:
    """Where, when an event has neither an address nor a link yet."""
    return _("To be announced")


def all_day_text(event: Event) -> str:
    """The calendar days of an all-day event, plain text. They are days where the event
    happens; shifting them into a reader's zone would show the wrong day."""
    first = to_local(event.starts_at, event.timezone).date()
    last = to_local(event.ends_at, event.timezone).date() - timedelta(days=1) if event.ends_at else first
    return _("{days} (all day)").format(days=days_text(first, last))


def _folded(text: str) -> str:
    """Compared as people type: any case, any spacing, accents optional (`oracion` is `oración`)."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _types_by_name() -> dict[str, EventType]:
    names: dict[str, EventType] = {}
    for language in LANGUAGES:
        words = translations("events", language)
        for kind in EventType:
            for name in (words.gettext(TYPE_WORDS[kind]), words.gettext(TYPE_LABELS[kind])):
                names.setdefault(_folded(name), kind)
    for kind in EventType:
        names[kind.value] = names[_folded(kind.value.replace("_", " "))] = kind
    return names


def type_named(text: str) -> EventType | None:
    """The type a person means by `prayer vigil`, `prayer_vigil`, `Rally or action`, or the same in
    any language the bot speaks (`vigilia de oración`, `vigilia`), whatever language they speak."""
    return _types_by_name().get(_folded(text))


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
        lines.append(mrkdwn.link(event.online_url, _("Join online")))
    return "\n".join(lines) or place_tba()


def shows_contact_email(event: Event) -> bool:
    """Where everyone can read it (the card, the public pages), the lead contact's email is
    shown only for an event open to the public: the organizer chose to publish it."""
    return event.is_public


def contact_line(event: Event) -> str:
    """The lead contact as the card shows it, plain: the name, and the email where it is shown."""
    email = event.contact_email if shows_contact_email(event) else None
    return " ".join(
        part for part in (event.contact_name, f"({email})" if email and event.contact_name else email) if part
    )


def who_text(event: Event, *, show_email: bool) -> str | None:
    parts = []
    if event.lead_organizations:
        parts.append(mrkdwn.escape(event.lead_organizations))
    contact = mrkdwn.escape(event.contact_name or "")
    if show_email and event.contact_email:
        contact = f"{contact} ({mrkdwn.escape(event.contact_email)})".strip()
    if contact:
        parts.append(_("Contact: {contact}").format(contact=contact))
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


def _fields(event: Event, *, show_email: bool) -> list[dict]:
    when, where = pgettext("card field", "When"), pgettext("card field", "Where")
    fields = [
        {"type": "mrkdwn", "text": f"*{when}*\n{when_text(event)}"},
        {"type": "mrkdwn", "text": f"*{where}*\n{where_text(event)}"},
    ]
    who = who_text(event, show_email=show_email)
    if who:
        label = pgettext("card field", "Who")
        fields.append({"type": "mrkdwn", "text": shorten(f"*{label}*\n{who}", 2000)})
    return fields


def fallback_text(event: Event) -> str:
    """Notification text: no date token there, so the event's own zone is spelled out."""
    when = pgettext("when", "all day") if event.all_day else dates.moment(event.starts_at, event.timezone)
    text = _("Cancelled: {type}: {title} ({when})") if event.is_cancelled else _("{type}: {title} ({when})")
    return shorten(text.format(type=type_label(event), title=mrkdwn.escape(event.title), when=when), FALLBACK_TEXT)


def _title(event: Event) -> dict:
    # Escaped mrkdwn rather than a header block: no raw user markup in anything displayed.
    title = mrkdwn.escape(shorten(event.title, HEADER_TEXT))
    # TRANSLATORS: a cancelled event's title on its card; keep the ~ marks (struck through)
    return blockkit.section(_("~CANCELLED~ *{title}*").format(title=title) if event.is_cancelled else f"*{title}*")


def going_text(going: int) -> str:
    if not going:
        return _(":raised_hands: Nobody has said they're going yet.")
    return ngettext(":raised_hands: *{count}* going", ":raised_hands: *{count}* going", going).format(
        count=number(going)
    )


def summary(event: Event, campaign: Campaign | None = None) -> list[dict]:
    """Title, when, where, who, campaign and details, as the card shows them (and the review request)."""
    blocks = [_title(event), {"type": "section", "fields": _fields(event, show_email=shows_contact_email(event))}]
    if campaign is not None:
        blocks.append(blockkit.context(campaign_line(campaign)))
    if event.congress_members and (members := members_by_id(event.congress_members.split())):
        blocks.append(blockkit.context(targets_line(members)))
    if event.details:
        blocks.append(blockkit.section(mrkdwn.escape(event.details)))
    return blocks


def card(
    event: Event, *, going: int = 0, campaign: Campaign | None = None, links: PublicLinks | None = None
) -> list[dict]:
    """The announcement posted in a channel, with the RSVP count and the campaign it is part of.
    Private events show no contact email. With `links` (PUBLIC_BASE_URL set), a public event
    links to its page and .ics file."""
    blocks = [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"{TYPE_EMOJI[event.type]} "
                    + _("*{type}* · event #{number}").format(type=type_label(event), number=event.id),
                }
            ],
        },
        *summary(event, campaign),
    ]
    if not event.is_public:
        blocks.append(blockkit.context(_(":lock: Not open to the public: reach out to the lead contact.")))
    if event.is_cancelled:
        blocks.append(
            blockkit.context(
                _(":no_entry: Cancelled by {person}.").format(person=mrkdwn.user(event.cancelled_by or ""))
            )
        )
        return blocks
    if links and (page := links.event_page(event)):
        text = " · ".join(
            (mrkdwn.link(page, _("Event page")), mrkdwn.link(links.event_calendar(event), _("Add to calendar (.ics)")))
        )
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
    blocks.append(_card_actions(event))
    registered = _("Registered by {person}").format(person=mrkdwn.user(event.created_by))
    blocks.append(blockkit.context(f"{going_text(going)} · {registered}"))
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
                "text": {"type": "plain_text", "text": _("I'm going")},
                "value": value,
            },
            {
                "type": "button",
                "action_id": CALENDAR_ACTION,
                "text": {"type": "plain_text", "text": _("Add to Google Calendar")},
                "url": google_calendar_url(event),
                "value": value,
            },
            *_toolkit_button(event),
            {
                "type": "button",
                "action_id": EDIT_ACTION,
                "text": {"type": "plain_text", "text": pgettext("button", "Edit")},
                "value": value,
            },
            {
                "type": "button",
                "action_id": CANCEL_ACTION,
                "style": "danger",
                "text": {"type": "plain_text", "text": _("Cancel event")},
                "value": value,
                "confirm": {
                    "title": {"type": "plain_text", "text": _("Cancel this event?")},
                    "text": {
                        "type": "plain_text",
                        "text": _("Cancel event #{number} and tell its channel?").format(number=event.id),
                    },
                    "confirm": {"type": "plain_text", "text": _("Cancel event")},
                    # TRANSLATORS: the answer that does not cancel the event (at most 30 characters)
                    "deny": {"type": "plain_text", "text": _("Keep it")},
                    "style": "danger",
                },
            },
        ],
    }


def _toolkit_button(event: Event) -> list[dict]:
    """ "Toolkit: Prayer vigil": the steps for this type of action, from the content files' event_types."""
    topic = toolkit_for_event_type(event.event_type)
    if topic is None:
        return []
    return [
        {
            "type": "button",
            "action_id": TOOLKIT_ACTION,
            "text": {
                "type": "plain_text",
                "text": shorten(_("Toolkit: {type}").format(type=type_label(event)), BUTTON_TEXT),
            },
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
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _("Announced in {channel}").format(channel=where)}],
            }
        )
    blocks += [blockkit.section(text) for text in organizer_sections]
    return blocks


def hosts_summary(event: Event, co_hosts: list[str]) -> str:
    """For its organizers in `/event show`: who hosts it."""
    if not co_hosts:
        return _("*Hosted by* {person}, who registered it. Add co-hosts with `/event edit {number}`.").format(
            person=mrkdwn.user(event.created_by), number=event.id
        )
    return shorten(
        _("*Hosted by* {person} (registered it) with co-hosts {co_hosts}").format(
            person=mrkdwn.user(event.created_by), co_hosts=", ".join(mrkdwn.user(u) for u in co_hosts)
        ),
        SECTION_TEXT,
    )


def approval_marker(event: Event) -> str:
    """How a list marks an event still waiting for review (only its hosts and admins see one)."""
    return (" · " + _(":hourglass_flowing_sand: _waiting for review_")) if event.is_pending else ""


def list_line(event: Event, *, miles: float | None = None, links: PublicLinks | None = None) -> str:
    """One event of a list; its title links to its public page when it has one."""
    place = ", ".join(p for p in (event.city, event.state) if p) or (
        _("Online") if event.online_url else _("Place TBA")
    )
    away = f"*{miles_text(miles)}* · " if miles is not None else ""
    title = f"#{event.id} {shorten(event.title, 200)}"
    page = links.event_page(event) if links else None
    return (
        f"{TYPE_EMOJI[event.type]} *{mrkdwn.link(page, title) if page else mrkdwn.escape(title)}*\n"
        f"{away}{when_text(event)} · {mrkdwn.escape(place)} · {type_label(event)}{approval_marker(event)}"
    )


def miles_text(miles: float) -> str:
    """`0.4 mi`, `3.7 mi` close by, `12 mi`, `1,204 mi` further (`3,7 mi`, `1.204 mi` in Spanish)."""
    # TRANSLATORS: a distance in miles, abbreviated
    return _("{miles} mi").format(miles=decimal(miles, 1) if miles < 10 else number(round(miles)))


@dataclass(frozen=True)
class ListPage:
    events: list[Event]
    offset: int
    has_next: bool  # more events follow; no total is counted, it would cost the whole history
    query: str = ""
    links: PublicLinks | None = None  # titles link to the public pages
    campaign: Campaign | None = None  # the campaign the list is narrowed to
    hint: str | None = None  # another reading of the query (mrkdwn, escaped), see campaign_hint and city_hint


def _list_heading(page: ListPage) -> str:
    """What the list is of: all, a campaign's, or those matching the words typed."""
    if not page.events and page.campaign is not None:
        text = _("No upcoming events in the campaign *{campaign}*. Register one with `/event new`.")
    elif not page.events and page.query:
        text = _("No upcoming events matching “{query}”. Register one with `/event new`.")
    elif not page.events:
        text = _("No upcoming events. Register one with `/event new`.")
    elif page.campaign is not None:
        text = _("*Upcoming events* {first}–{last} in the campaign *{campaign}*")
    elif page.query:
        text = _("*Upcoming events* {first}–{last} matching “{query}”")
    else:
        text = _("*Upcoming events* {first}–{last}")
    return text.format(
        first=page.offset + 1,
        last=page.offset + len(page.events),
        query=mrkdwn.escape(page.query),
        campaign=mrkdwn.escape(shorten(page.campaign.name, 200)) if page.campaign else "",
    )


def _details_hint() -> str:
    # TRANSLATORS: `/event show <id>` is typed as is; <id> is the event's number
    return _("Details: `/event show <id>`")


def event_list(page: ListPage) -> list[dict]:
    """One page of `/event list`, with buttons to move between pages (never over the block limit)."""
    hint = [blockkit.context(page.hint)] if page.hint else []
    if not page.events:
        return [blockkit.section(_list_heading(page)), *hint]
    last = page.offset + len(page.events)
    blocks = [blockkit.section(_list_heading(page)), *hint, {"type": "divider"}]
    blocks += [blockkit.section(list_line(event, links=page.links)) for event in page.events]
    navigation = []
    if page.offset > 0:
        navigation.append(_page_button(PREVIOUS, max(page.offset - LIST_PAGE_SIZE, 0), page.query))
    if page.has_next:
        navigation.append(_page_button(NEXT, last, page.query))
    if navigation:
        blocks.append({"type": "actions", "elements": navigation})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _details_hint()}]})
    return blocks


def my_events(mine: MyEvents, user_id: str) -> list[dict]:
    """`/event mine`: what the person registered, co-hosts or is going to, and which."""
    if not mine.events:
        return [
            blockkit.section(
                _(
                    "You have no upcoming events: none you registered, co-host or said you're going to. "
                    "`/event list` shows what's on."
                )
            )
        ]
    blocks = [blockkit.section(_("*Your upcoming events*")), {"type": "divider"}]
    blocks += [blockkit.section(f"{list_line(event)}\n_{_my_part(event, mine, user_id)}_") for event in mine.events]
    footer = [_details_hint()]
    if mine.has_more:
        shown = len(mine.events)
        footer.insert(
            0,
            ngettext(
                "Your next {count}; `/event list` has everything.",
                "Your next {count}; `/event list` has everything.",
                shown,
            ).format(count=number(shown)),
        )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " ".join(footer)}]})
    return blocks


def _my_part(event: Event, mine: MyEvents, user_id: str) -> str:
    going = event.id in mine.going
    if event.created_by == user_id:
        return _("You registered it, you're going") if going else _("You registered it")
    if event.id in mine.co_hosting:
        return _("You co-host it, you're going") if going else _("You co-host it")
    return _("You're going") if going else ""


def campaign_hint(campaign: Campaign) -> str:
    """The words of a list filter were read as a type, state or city, but also name a campaign."""
    return _("Looking for the campaign *{campaign}*? `/event list campaign {slug}`").format(
        campaign=mrkdwn.escape(shorten(campaign.name, 200)), slug=campaign.slug
    )


def city_hint(city: str) -> str:
    """The words of a list filter were read as a campaign, but could be a city."""
    return _("Looking for the city? `/event list city {city}`").format(city=mrkdwn.escape(shorten(city, 100)))


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
    return ngettext(
        "Upcoming events within {count} mile of {place}",
        "Upcoming events within {count} miles of {place}",
        page.radius_miles,
    ).format(count=number(page.radius_miles), place=mrkdwn.escape(page.place.label))


def _none_near(page: NearPage) -> str:
    sentences = [
        ngettext(
            "No upcoming events within {count} mile of {place}.",
            "No upcoming events within {count} miles of {place}.",
            page.radius_miles,
        ).format(count=number(page.radius_miles), place=mrkdwn.escape(page.place.label))
    ]
    if page.wider_miles:
        sentences.append(
            _("Try further: `/event near {place} {miles} mi`.").format(
                place=mrkdwn.escape(page.place_text), miles=page.wider_miles
            )
        )
    sentences.append(_("Register one with `/event new`."))
    return " ".join(sentences)


def near_list(page: NearPage) -> list[dict]:
    """`/event near`: one page of events by distance (Next and Previous within the block limit),
    then the online ones."""
    if page.nearby:
        first, last = page.offset + 1, page.offset + len(page.nearby)
        blocks = [blockkit.section(f"*{near_title(page)}* {first}–{last}"), {"type": "divider"}]
        blocks += [blockkit.section(list_line(event, miles=miles)) for event, miles in page.nearby]
        navigation = []
        if page.offset > 0:
            navigation.append(
                _page_button(PREVIOUS, max(page.offset - LIST_PAGE_SIZE, 0), page.query, NEAR_PAGE_ACTION)
            )
        if page.has_next:
            navigation.append(_page_button(NEXT, last, page.query, NEAR_PAGE_ACTION))
        if navigation:
            blocks.append({"type": "actions", "elements": navigation})
    else:
        blocks = [blockkit.section(_none_near(page))]
    if page.online:
        blocks += [{"type": "divider"}, blockkit.section(_("*Online*, join from anywhere"))]
        blocks += [blockkit.section(list_line(event)) for event in page.online]
        if page.more_online:
            blocks.append(
                {"type": "context", "elements": [{"type": "mrkdwn", "text": _("More online events in `/event list`.")}]}
            )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _details_hint()}]})
    return blocks


# The page buttons: the word ends the action id (`event_list_page_next`), the label is translated.
PREVIOUS = "previous"
NEXT = "next"


def _page_label(direction: str) -> str:
    return pgettext("page", "Previous") if direction == PREVIOUS else pgettext("page", "Next")


def _page_button(direction: str, offset: int, query: str, action: str = LIST_PAGE_ACTION) -> dict:
    return {
        "type": "button",
        "action_id": f"{action}_{direction}",
        "text": {"type": "plain_text", "text": _page_label(direction)},
        "value": f"{offset}|{query}"[:BUTTON_VALUE],
    }


def cancelled_thread_text(event: Event) -> str:
    return _(":no_entry: This event has been cancelled by {person}.").format(
        person=mrkdwn.user(event.cancelled_by or "")
    )


def parse_page_value(value: str) -> tuple[int, str]:
    """The page button's value: an offset (anything else starts over) and the list's filter."""
    offset, _, query = value.partition("|")
    return (int(offset) if offset.isascii() and offset.isdigit() and len(offset) <= 6 else 0), query
