"""Queries on events. Every function takes the team: no query crosses teams.

The upcoming list costs what it shows, however long the team's history: what is on now and
what is to come are each read from an index range (see the indexes on `Event`), never by a
walk over past events, and only the rows shown are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import DURATION_WINDOWS, ApprovalState, Event, EventHost, EventType, Rsvp, normalize_city, normalize_state

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
    only for their creator and admins."""

    channel_id: str | None = None
    user_id: str | None = None
    everything: bool = False

    def may_see(self, event: Event) -> bool:
        """`/event show`: may this person see the event at all?"""
        if self.everything:
            return True
        own = event.created_by == self.user_id
        return (own or not event.private_channel or event.channel_id == self.channel_id) and (own or event.is_approved)


EVERYONE = Audience(everything=True)

# The one rule of what review lets be seen (`Event.is_approved` for a loaded event): only
# approved events are announced, listed to others, put in digests, or shown on public pages
# and in feeds. Every query that shows events beyond their host and admins includes it.
APPROVED = Event.approval == ApprovalState.APPROVED.value

# What lists in Slack show an audience that is not everyone, with its channel and user as bound
# parameters: events of private channels only there and to their creator; events waiting for
# review only to their creator (marked pending); rejected ones to nobody.
_AUDIENCE_CHANNEL, _AUDIENCE_USER = bindparam("audience_channel"), bindparam("audience_user")
_VISIBLE = and_(
    or_(Event.private_channel.is_(False), Event.channel_id == _AUDIENCE_CHANNEL, Event.created_by == _AUDIENCE_USER),
    or_(APPROVED, and_(Event.approval == ApprovalState.PENDING.value, Event.created_by == _AUDIENCE_USER)),
)
# Admins' lists: everything but rejected events (pending ones marked, for the reviewers).
_NOT_REJECTED = Event.approval != ApprovalState.REJECTED.value


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


def upcoming_page(session: Session, team_id: str, now: datetime, *, where: EventFilter = EventFilter(),
                  audience: Audience = EVERYONE, offset: int = 0, size: int) -> UpcomingPage:
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
    on_now_query, to_come_query = _statements(_narrowing(where), audience.everything)
    values = {**_values(team_id, now, where), "audience_channel": audience.channel_id, "audience_user": audience.user_id}
    wanted = offset + limit
    # Few events are on at any instant: the keys of all of them, sorted here, then the rows of
    # those the page shows. No ORDER BY ... LIMIT in SQL: with one, PostgreSQL prefers walking
    # the start index through the team's past (in the right order) to the duration index.
    on_now = sorted(tuple(row) for row in session.execute(on_now_query, values))
    shown = [event_id for _, event_id in on_now[offset:wanted]]
    page = sorted(session.scalars(select(Event).where(Event.id.in_(shown))), key=lambda e: (e.starts_at, e.id)) if shown else []
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
def _statements(narrowing: tuple[str, ...], everything: bool) -> tuple[Select, Select]:
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
        and_(team, Event.duration_class == k, Event.effective_end >= now, Event.effective_end < bindparam(f"ends_before_{k}"))
        for k in range(len(DURATION_WINDOWS))
    ]
    classes.append(and_(team, Event.duration_class == len(DURATION_WINDOWS), Event.effective_end >= now))
    filters = [_NARROWING[name] for name in narrowing] + [_NOT_REJECTED if everything else _VISIBLE]
    on_now = select(Event.starts_at, Event.id).where(or_(*classes), Event.starts_at < now, Event.cancelled_at.is_(None), *filters)
    to_come = select(Event).where(team, Event.starts_at >= now, Event.cancelled_at.is_(None), *filters).order_by(*SOONEST_FIRST)
    return on_now, to_come


def events_between(session: Session, team_id: str, start: datetime, end: datetime, *, channel_id: str) -> list[Event]:
    """Events of one team starting in [start, end), approved, not cancelled, soonest first: the
    digest of `channel_id` (which shows a private channel's events only in that channel).
    One range of (team, start)."""
    query = select(Event).where(
        Event.team_id == team_id, Event.cancelled_at.is_(None), Event.starts_at >= start, Event.starts_at < end, APPROVED,
        or_(Event.private_channel.is_(False), Event.channel_id == channel_id),
    )
    return list(session.scalars(query.order_by(*SOONEST_FIRST)))


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
    on_now_query, _ = _statements((), True)
    on_now = [event_id for _, event_id in session.execute(on_now_query, _values(team_id, now, EventFilter()))]
    to_come = select(Event).where(Event.team_id == team_id, Event.created_by == user_id, Event.starts_at >= now,
                                  Event.cancelled_at.is_(None), _NOT_REJECTED).order_by(*SOONEST_FIRST).limit(limit + 1)
    found = list(session.scalars(to_come))
    if on_now:
        found += session.scalars(select(Event).where(Event.id.in_(on_now), Event.created_by == user_id))
    co_hosting, going = (
        set(session.scalars(select(link.event_id).where(link.team_id == team_id, link.user_id == user_id)))
        for link in (EventHost, Rsvp)
    )
    if linked := co_hosting | going:  # ids of the team's own events: read by id, not by a team-wide index
        upcoming = select(Event).where(Event.id.in_(linked), Event.effective_end >= now, Event.cancelled_at.is_(None), _NOT_REJECTED)
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


def campaign_totals(session: Session, team_id: str, slug: str, now: datetime, *, audience: Audience = EVERYONE) -> CampaignTotals:
    """Two aggregate queries over one range of (team, campaign)."""
    narrowing = [Event.team_id == team_id, Event.campaign_slug == slug, Event.cancelled_at.is_(None)]
    narrowing.append(_NOT_REJECTED if audience.everything else _VISIBLE)
    values = {"audience_channel": audience.channel_id, "audience_user": audience.user_id}
    events, upcoming, states = session.execute(
        select(func.count(), func.sum(case((Event.effective_end >= now, 1), else_=0)), func.count(Event.state_key.distinct())).where(*narrowing),
        values,
    ).one()
    rsvps = session.scalar(select(func.count()).select_from(Rsvp).join(Event, Rsvp.event_id == Event.id).where(*narrowing), values)
    return CampaignTotals(events=events, upcoming=upcoming or 0, rsvps=rsvps or 0, states=states)
