"""Queries on events. Every function takes the team: no query crosses teams.

The upcoming list costs what it shows, however long the team's history: what is on now and
what is to come are each read from an index range (see the indexes on `Event`), never by a
walk over past events, and only the rows shown are loaded. A distance search costs the upcoming
events of the grid cells around its page: one index range per cell.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from storage import places
from storage.models import (
    DURATION_WINDOWS,
    ApprovalState,
    Event,
    EventHost,
    EventType,
    Rsvp,
    normalize_city,
    normalize_state,
)

# Ties on the start are broken by id, so that pages never overlap or skip.
SOONEST_FIRST = (Event.starts_at, Event.id)


@dataclass(frozen=True)
class EventFilter:
    """What `/event list` narrows by; empty means everything upcoming."""

    event_type: EventType | None = None
    state: str | None = None
    city: str | None = None
    campaign_slug: str | None = None


@dataclass(frozen=True)
class Audience:
    """Who is looking, and where: events of private channels are only for that channel, their
    creator and admins (`everything`); events not approved (waiting for review, or rejected)
    only for their creator and admins; the public (the web pages) sees the approved events open
    to the public and never a private channel's."""

    channel_id: str | None = None
    user_id: str | None = None
    everything: bool = False
    public: bool = False

    @property
    def kind(self) -> str:
        return "public" if self.public else "everything" if self.everything else "members"

    def may_see(self, event: Event) -> bool:
        """`/event show`, the public pages: may this audience see the event at all?"""
        if self.public:
            return event.is_public and not event.private_channel and event.is_approved
        if self.everything:
            return True
        own = event.created_by == self.user_id
        return (own or not event.private_channel or event.channel_id == self.channel_id) and (own or event.is_approved)


EVERYONE = Audience(everything=True)
PUBLIC = Audience(public=True)

# The one rule of what review lets be seen (`Event.is_approved` for a loaded event): only
# approved events are announced, listed to others, put in digests, or shown on public pages
# and in feeds. Every query that shows events beyond their host and admins includes it.
APPROVED = Event.approval == ApprovalState.APPROVED.value
# Lists of admins and of an event's own hosts: everything but rejected events (pending ones marked).
_NOT_REJECTED = Event.approval != ApprovalState.REJECTED.value
_AUDIENCE_CHANNEL, _AUDIENCE_USER = bindparam("audience_channel"), bindparam("audience_user")
# What each kind of audience may see; a member's channel and user go in as bound parameters:
# a private channel's events only there and to their creator; events waiting for review only
# to their creator (marked pending); rejected ones to nobody but admins' `/event show`.
_VISIBLE = {
    "everything": (_NOT_REJECTED,),
    "public": (Event.private_channel.is_(False), Event.is_public.is_(True), APPROVED),
    "members": (
        or_(
            Event.private_channel.is_(False), Event.channel_id == _AUDIENCE_CHANNEL, Event.created_by == _AUDIENCE_USER
        ),
        or_(APPROVED, and_(Event.approval == ApprovalState.PENDING.value, Event.created_by == _AUDIENCE_USER)),
    ),
}


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


def upcoming_page(
    session: Session,
    team_id: str,
    now: datetime,
    *,
    where: EventFilter = EventFilter(),
    audience: Audience = EVERYONE,
    offset: int = 0,
    size: int,
) -> UpcomingPage:
    """One page of what `upcoming_events` lists; whether there is a next page costs one more row, not a count."""
    events = upcoming_events(session, team_id, now, where=where, audience=audience, limit=size + 1, offset=offset)
    return UpcomingPage(events[:size], has_next=len(events) > size)


def upcoming_events(
    session: Session,
    team_id: str,
    now: datetime,
    *,
    where: EventFilter = EventFilter(),
    audience: Audience = EVERYONE,
    limit: int,
    offset: int = 0,
) -> list[Event]:
    """Events not over at `now` that `audience` may see, soonest start first: those already on
    (they started before `now`, so they come first), then those still to start."""
    on_now_query, to_come_query = _statements(_narrowing(where), audience.kind)
    values = {
        **_values(team_id, now, where),
        "audience_channel": audience.channel_id,
        "audience_user": audience.user_id,
    }
    wanted = offset + limit
    # Few events are on at any instant: the keys of all of them, sorted here, then the rows of
    # those the page shows. No ORDER BY ... LIMIT in SQL: with one, PostgreSQL prefers walking
    # the start index through the team's past (in the right order) to the duration index.
    on_now = sorted(tuple(row) for row in session.execute(on_now_query, values))
    shown = [event_id for _, event_id in on_now[offset:wanted]]
    page = (
        sorted(session.scalars(select(Event).where(Event.id.in_(shown))), key=lambda e: (e.starts_at, e.id))
        if shown
        else []
    )
    if len(on_now) < wanted:
        skip = max(offset - len(on_now), 0)
        page += session.scalars(to_come_query.offset(skip).limit(wanted - len(on_now) - skip), values)
    return page


# A filter's values go in as bound parameters, so each shape of statement is built once.
_NARROWING = {
    "event_type": Event.event_type == bindparam("event_type"),
    "state": Event.state_key == bindparam("state_key"),
    "city": Event.city_key == bindparam("city_key"),
    "campaign_slug": Event.campaign_slug == bindparam("campaign_slug"),
}


def _narrowing(where: EventFilter) -> tuple[str, ...]:
    return tuple(name for name in _NARROWING if getattr(where, name))


def _values(team_id: str, now: datetime, where: EventFilter) -> dict:
    return {
        "team_id": team_id,
        "now": now,
        **{f"ends_before_{k}": now + window for k, window in enumerate(DURATION_WINDOWS)},
        "event_type": where.event_type and where.event_type.value,
        "state_key": normalize_state(where.state),
        "city_key": normalize_city(where.city),
        "campaign_slug": where.campaign_slug,
    }


@cache
def _statements(narrowing: tuple[str, ...], audience: str) -> tuple[Select, Select]:
    """(events on now, events to come) narrowed by the named filters.

    On now: an event of duration class k that is on now ends within DURATION_WINDOWS[k] from
    now, so each class is one short range of (team, class, effective end): together they read
    about the events on now, not the past ones. Each OR term names the team, so that SQLite can
    use the index for it on its own. The filters are applied to those few rows; only their
    (start, id) are read, the rows shown are loaded by id.

    To come: a forward range scan of (team, [filter,] start), in the page's order.
    """
    team, now = Event.team_id == bindparam("team_id"), bindparam("now")
    classes = [
        and_(
            team,
            Event.duration_class == k,
            Event.effective_end >= now,
            Event.effective_end < bindparam(f"ends_before_{k}"),
        )
        for k in range(len(DURATION_WINDOWS))
    ]
    classes.append(and_(team, Event.duration_class == len(DURATION_WINDOWS), Event.effective_end >= now))
    filters = [_NARROWING[name] for name in narrowing] + list(_VISIBLE[audience])
    on_now = select(Event.starts_at, Event.id).where(
        or_(*classes), Event.starts_at < now, Event.cancelled_at.is_(None), *filters
    )
    to_come = (
        select(Event)
        .where(team, Event.starts_at >= now, Event.cancelled_at.is_(None), *filters)
        .order_by(*SOONEST_FIRST)
    )
    return on_now, to_come


def events_between(session: Session, team_id: str, start: datetime, end: datetime, *, channel_id: str) -> list[Event]:
    """Events of one team on at `start` or starting in [start, end), approved, not cancelled,
    soonest first: the digest of `channel_id` (which shows a private channel's events only in
    that channel). Those on at `start` (started before it, not over: a week of action's days,
    today's all-day events) are found as the upcoming list finds them, one short range per
    duration class; those to come are one range of (team, start)."""
    team = Event.team_id == team_id
    shown = (
        Event.cancelled_at.is_(None),
        APPROVED,
        or_(Event.private_channel.is_(False), Event.channel_id == channel_id),
    )
    classes = [
        and_(team, Event.duration_class == k, Event.effective_end > start, Event.effective_end < start + window)
        for k, window in enumerate(DURATION_WINDOWS)
    ]
    classes.append(and_(team, Event.duration_class == len(DURATION_WINDOWS), Event.effective_end > start))
    on_at_start = select(Event).where(or_(*classes), Event.starts_at < start, *shown)
    to_come = select(Event).where(team, Event.starts_at >= start, Event.starts_at < end, *shown)
    return sorted(session.scalars(on_at_start), key=lambda e: (e.starts_at, e.id)) + list(
        session.scalars(to_come.order_by(*SOONEST_FIRST))
    )


def next_event_after(session: Session, team_id: str, instant: datetime, *, channel_id: str) -> Event | None:
    """The first event a digest of `channel_id` would show that starts at or after `instant`:
    what an empty week names as the next action."""
    query = select(Event).where(
        Event.team_id == team_id,
        Event.cancelled_at.is_(None),
        Event.starts_at >= instant,
        APPROVED,
        or_(Event.private_channel.is_(False), Event.channel_id == channel_id),
    )
    return session.scalars(query.order_by(*SOONEST_FIRST).limit(1)).first()


def cities_and_states(session: Session, team_id: str) -> list[tuple[str, str]]:
    """The (normalized city, state) pairs of the team's events that name both: where a city
    named without its state is likely to be (services.places.state_of_city)."""
    query = (
        select(Event.city_key, Event.state_key)
        .where(Event.team_id == team_id, Event.city_key.is_not(None), Event.state_key.is_not(None))
        .distinct()
    )
    return [(city, state) for city, state in session.execute(query)]


def every_event(
    session: Session, team_id: str, *, audience: Audience = EVERYONE, campaign_slug: str | None = None, page: int = 500
) -> Iterator[list[Event]]:
    """All of a team's events (of one campaign, if named) that `audience` may see, past and
    cancelled ones too, soonest first, a page at a time: one walk of the (team, start) index, or
    of (team, campaign, start), streamed (a server-side cursor on PostgreSQL), so that an export
    of the whole history holds one page of rows at a time."""
    narrowing = [Event.campaign_slug == campaign_slug] if campaign_slug else []
    query = select(Event).where(Event.team_id == team_id, *narrowing, *_VISIBLE[audience.kind])
    values = {"audience_channel": audience.channel_id, "audience_user": audience.user_id}
    rows = session.scalars(query.order_by(*SOONEST_FIRST).execution_options(yield_per=page), values)
    for events in rows.partitions():
        yield list(events)


@dataclass(frozen=True)
class MyEvents:
    """`/event mine`: the person's upcoming events, and what they are to each."""

    events: list[Event]
    co_hosting: set[int]
    going: set[int]
    has_more: bool  # more than the page shows


def events_of(session: Session, team_id: str, user_id: str, now: datetime, *, limit: int) -> MyEvents:
    """Upcoming events, not cancelled or rejected, that the user registered, co-hosts or is going
    to, soonest first (those waiting for review too: they are the user's own, or co-hosted).

    Nothing walks the team's history. Registered: of the few team events on now (found as the
    list finds them), the user's; then the next ones to come from the (team, creator, start)
    index. Co-hosted or gone to: from the (team, user) index of each link, then by id.
    """
    on_now_query, _ = _statements((), "everything")
    on_now = [event_id for _, event_id in session.execute(on_now_query, _values(team_id, now, EventFilter()))]
    to_come = (
        select(Event)
        .where(
            Event.team_id == team_id,
            Event.created_by == user_id,
            Event.starts_at >= now,
            Event.cancelled_at.is_(None),
            _NOT_REJECTED,
        )
        .order_by(*SOONEST_FIRST)
        .limit(limit + 1)
    )
    found = list(session.scalars(to_come))
    if on_now:
        found += session.scalars(select(Event).where(Event.id.in_(on_now), Event.created_by == user_id))
    co_hosting, going = (
        set(session.scalars(select(link.event_id).where(link.team_id == team_id, link.user_id == user_id)))
        for link in (EventHost, Rsvp)
    )
    if linked := co_hosting | going:  # ids of the team's own events: read by id, not by a team-wide index
        upcoming = select(Event).where(
            Event.id.in_(linked), Event.effective_end >= now, Event.cancelled_at.is_(None), _NOT_REJECTED
        )
        found += session.scalars(upcoming.order_by(*SOONEST_FIRST).limit(limit + 1))
    events = sorted({event.id: event for event in found}.values(), key=lambda e: (e.starts_at, e.id))
    return MyEvents(events[:limit], co_hosting, going, has_more=len(events) > limit)


@dataclass(frozen=True)
class CampaignTotals:
    """What a campaign adds up to so far, over the events `audience` may see (cancelled ones left out)."""

    events: int
    upcoming: int  # not over yet
    rsvps: int
    states: int  # distinct states with an event


def campaign_totals(
    session: Session, team_id: str, slug: str, now: datetime, *, audience: Audience = EVERYONE
) -> CampaignTotals:
    """Two aggregate queries over one range of (team, campaign)."""
    narrowing = [
        Event.team_id == team_id,
        Event.campaign_slug == slug,
        Event.cancelled_at.is_(None),
        *_VISIBLE[audience.kind],
    ]
    values = {"audience_channel": audience.channel_id, "audience_user": audience.user_id}
    events, upcoming, states = session.execute(
        select(
            func.count(),
            func.sum(case((Event.effective_end >= now, 1), else_=0)),
            func.count(Event.state_key.distinct()),
        ).where(*narrowing),
        values,
    ).one()
    rsvps = session.scalar(
        select(func.count()).select_from(Rsvp).join(Event, Rsvp.event_id == Event.id).where(*narrowing), values
    )
    return CampaignTotals(events=events, upcoming=upcoming or 0, rsvps=rsvps or 0, states=states)


def campaign_congress_members(session: Session, team_id: str, slug: str, *, audience: Audience = EVERYONE) -> set[str]:
    """The bioguide ids of the members of Congress the campaign's events are for (cancelled ones left out)."""
    narrowing = [
        Event.team_id == team_id,
        Event.campaign_slug == slug,
        Event.cancelled_at.is_(None),
        Event.congress_members.is_not(None),
        *_VISIBLE[audience.kind],
    ]
    values = {"audience_channel": audience.channel_id, "audience_user": audience.user_id}
    return {
        bioguide
        for chosen in session.scalars(select(Event.congress_members).distinct().where(*narrowing), values)
        for bioguide in chosen.split()
    }


# --- by distance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NearbyPage:
    nearby: list[tuple[Event, float]]  # (event, miles away), nearest first
    has_next: bool  # more events within the radius follow this page


def upcoming_near(
    session: Session,
    team_id: str,
    now: datetime,
    latitude: float,
    longitude: float,
    miles: float,
    *,
    audience: Audience = EVERYONE,
    offset: int = 0,
    size: int,
) -> NearbyPage:
    """Events not over at `now` within `miles` of a point that `audience` may see, nearest first;
    at one spot, the soonest over first.

    Events share spots (a ZIP code's, a city's). The grid cells of the bounding box are read
    nearest first, in batches doubling in size: the spots of a batch and their events are
    counted from the (team, cell, effective end, latitude, longitude, ...) index, the exact
    distance keeps those within the circle, and reading stops once the page's events all lie
    at spots nearer than any cell still unread. Then only the spots the page reaches are read
    for their events, in the index's order, up to the page's end. So a search costs the cells
    around its page, however wide its radius and however many events are beyond the page.
    """
    values = _cell_values(team_id, now, audience)
    box = places.Box.around(latitude, longitude, miles).cells()
    cells = sorted((bound, cell) for cell in box if (bound := places.miles_to_cell(latitude, longitude, cell)) <= miles)
    wanted = offset + size + 1  # one more than the page tells whether another follows
    spots: list[tuple[float, float, float, int]] = []  # (miles away, latitude, longitude, events there)
    read, batch = 0, 1
    while read < len(cells):
        chosen = [cell for _, cell in cells[read : read + batch]]
        read, batch = read + len(chosen), batch * 2
        rows = session.execute(_spots_statement(audience.kind), values | {"cells": chosen})
        spots += [
            (away, spot_latitude, spot_longitude, count)
            for spot_latitude, spot_longitude, count in rows
            if (away := places.miles_between(latitude, longitude, spot_latitude, spot_longitude)) <= miles
        ]
        horizon = cells[read][0] if read < len(cells) else math.inf  # nothing unread is nearer
        if sum(count for away, *_, count in spots if away < horizon) >= wanted:
            break
    spots.sort()
    shown: list[tuple[Event, float]] = []
    skip = offset
    for away, spot_latitude, spot_longitude, count in spots:
        if len(shown) == size:
            break
        if skip >= count:
            skip -= count
            continue
        spot = {
            "cell": places.cell_of(spot_latitude, spot_longitude),
            "latitude": spot_latitude,
            "longitude": spot_longitude,
        }
        events = session.scalars(
            _cell_events_statement(audience.kind, at_spot=True),
            values | spot | {"skip": skip, "limit": size - len(shown)},
        )
        shown += [(event, away) for event in events]
        skip = 0
    return NearbyPage(shown, has_next=sum(count for *_, count in spots) > offset + size)


def upcoming_online(
    session: Session, team_id: str, now: datetime, *, audience: Audience = EVERYONE, limit: int
) -> UpcomingPage:
    """Events only online (no place known) not over at `now`, soonest over first: the grid's online cell."""
    values = _cell_values(team_id, now, audience) | {"cell": places.ONLINE_CELL, "skip": 0, "limit": limit + 1}
    events = session.scalars(_cell_events_statement(audience.kind, at_spot=False), values).all()
    return UpcomingPage(events[:limit], has_next=len(events) > limit)


def _cell_values(team_id: str, now: datetime, audience: Audience) -> dict:
    return {"team_id": team_id, "now": now, "audience_channel": audience.channel_id, "audience_user": audience.user_id}


# The statements of a distance search carry their cells and spots as literals: as bound
# parameters, PostgreSQL's generic plan for a prepared statement (psycopg prepares one after its
# fifth run) cannot see them, and it chose to walk the team's whole duration index for ~90 cells
# (~150 ms, not ~8).
def _literal(name: str, *, expanding: bool = False):
    return bindparam(name, expanding=expanding, literal_execute=True)


@cache
def _spots_statement(audience: str) -> Select:
    """(latitude, longitude, events there) of the upcoming events in the grid cells `cells`, read
    from the index alone, which holds every column this names."""
    return (
        select(Event.latitude, Event.longitude, func.count())
        .where(
            Event.team_id == bindparam("team_id"),
            Event.geo_cell.in_(_literal("cells", expanding=True)),
            Event.effective_end >= bindparam("now"),
            Event.cancelled_at.is_(None),
            *_VISIBLE[audience],
        )
        .group_by(Event.latitude, Event.longitude)
    )


@cache
def _cell_events_statement(audience: str, *, at_spot: bool) -> Select:
    """The upcoming events of one cell (at one spot of it), soonest over first: an index range read
    in order (its latitude and longitude fixed, the index's order is this one), so the page's end
    stops it, whatever the plan's estimates, and only the rows shown are read."""
    spot = [Event.latitude == _literal("latitude"), Event.longitude == _literal("longitude")] if at_spot else []
    return (
        select(Event)
        .where(
            Event.team_id == bindparam("team_id"),
            Event.geo_cell == _literal("cell"),
            *spot,
            Event.effective_end >= bindparam("now"),
            Event.cancelled_at.is_(None),
            *_VISIBLE[audience],
        )
        .order_by(Event.effective_end, Event.id)
        .offset(bindparam("skip"))
        .limit(bindparam("limit"))
    )


# --- public feeds ------------------------------------------------------------------

_IN_FEED = (Event.team_id == bindparam("team_id"), Event.starts_at >= bindparam("since"), *_VISIBLE["public"])
_IN_CAMPAIGN_FEED = (*_IN_FEED, Event.campaign_slug == bindparam("campaign_slug"))


def _feed(campaign_slug: str | None) -> tuple:
    """A team's feed reads the (team, start) index; a campaign's, the (team, campaign, start) one."""
    return _IN_CAMPAIGN_FEED if campaign_slug else _IN_FEED


@dataclass(frozen=True)
class FeedVersion:
    """Changes whenever what a feed holds changes: an event added, edited (its sequence rises),
    cancelled (likewise), made private or public, or gone out of the feed's window. Read with
    one aggregate over the feed's index range, without loading a row."""

    count: int
    id_sum: int
    sequence_sum: int
    last_change: datetime | None


def feed_version(session: Session, team_id: str, since: datetime, *, campaign_slug: str | None = None) -> FeedVersion:
    query = select(
        func.count(),
        func.coalesce(func.sum(Event.id), 0),
        func.coalesce(func.sum(Event.sequence), 0),
        func.max(Event.updated_at),
    ).where(*_feed(campaign_slug))
    values = {"team_id": team_id, "since": since, "campaign_slug": campaign_slug}
    count, id_sum, sequence_sum, last_change = session.execute(query, values).one()
    return FeedVersion(count, int(id_sum), int(sequence_sum), last_change)


class FeedEntry(NamedTuple):  # a tuple: a feed reads thousands, a dataclass costs 5x more each
    """One event of a feed, by what its rendering depends on: a new sequence or a new
    `updated_at` means it has changed."""

    id: int
    sequence: int
    updated_at: datetime


def feed_entries(
    session: Session, team_id: str, since: datetime, *, campaign_slug: str | None = None
) -> list[FeedEntry]:
    """The public events (of one campaign, if given) starting at `since` or later, cancelled ones
    included (a feed keeps them, marked cancelled, so that subscribed calendars drop them),
    soonest first: their keys only, so that a feed re-renders just the events that changed."""
    query = select(Event.id, Event.sequence, Event.updated_at).where(*_feed(campaign_slug)).order_by(*SOONEST_FIRST)
    values = {"team_id": team_id, "since": since, "campaign_slug": campaign_slug}
    return list(map(FeedEntry._make, session.execute(query, values)))


def events_by_id(session: Session, team_id: str, ids: list[int]) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.team_id == team_id, Event.id.in_(ids)))) if ids else []
