"""The staff dashboard's figures: a campaign's events (or every event of the workspace) by state
and by type, their RSVPs, and those still to come that have a gap.

Counted: events neither cancelled nor rejected, past and to come, those waiting for review
included (they are the workspace's to decide). The gaps are looked for in events still to come
(not over yet): a gap in an event that is over no longer matters.

- **Missing a contact:** neither a lead contact name nor an email.
- **Missing an address:** no street address, and no online link either (a city alone does not
  tell anyone where to go).
- **Missing a time:** registered as all day (a date without a time of day: the form's *All
  day*, or a listing that gave a date alone) although its type happens at an hour: every type
  but call-in days and social media pushes, which run all day by nature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from storage.events import SOONEST_FIRST
from storage.models import ApprovalState, Event, EventType, Rsvp

# Types whose events run all day by nature: an all-day one of these has its time.
ALL_DAY_TYPES = (EventType.CALL_IN_DAY.value, EventType.SOCIAL_MEDIA_PUSH.value)


def _blank(column) -> ColumnElement[bool]:
    return or_(column.is_(None), column == "")


MISSING_CONTACT = "contact"
MISSING_ADDRESS = "address"
MISSING_TIME = "time"
# Each gap, as the module's docstring says it.
GAPS: dict[str, ColumnElement[bool]] = {
    MISSING_CONTACT: and_(_blank(Event.contact_name), _blank(Event.contact_email)),
    MISSING_ADDRESS: and_(_blank(Event.address), _blank(Event.online_url)),
    MISSING_TIME: and_(Event.all_day.is_(True), Event.event_type.not_in(ALL_DAY_TYPES)),
}


def _counted(team_id: str, campaign_slug: str | None) -> list[ColumnElement[bool]]:
    """The events a dashboard counts: one range of (team, campaign) or of the team's events."""
    narrowing = [Event.campaign_slug == campaign_slug] if campaign_slug else []
    return [
        Event.team_id == team_id,
        *narrowing,
        Event.cancelled_at.is_(None),
        Event.approval != ApprovalState.REJECTED.value,
    ]


@dataclass(frozen=True)
class Overview:
    events: int
    upcoming: int  # not over yet
    rsvps: int  # to these events
    by_state: list[tuple[str | None, int]]  # the most first; None: no state given
    by_type: list[tuple[EventType, int]]  # the most first


def overview(session: Session, team_id: str, now: datetime, campaign_slug: str | None = None) -> Overview:
    """Three aggregates over the counted events (by state with the upcoming ones, by type, RSVPs)."""
    where = _counted(team_id, campaign_slug)
    upcoming = func.sum(case((Event.effective_end >= now, 1), else_=0))
    states = session.execute(
        select(Event.state_key, func.count(), upcoming).where(*where).group_by(Event.state_key)
    ).all()
    types = session.execute(select(Event.event_type, func.count()).where(*where).group_by(Event.event_type)).all()
    rsvps = (
        session.scalar(select(func.count()).select_from(Rsvp).join(Event, Rsvp.event_id == Event.id).where(*where)) or 0
    )
    by_state = sorted(
        ((state, count) for state, count, _ in states), key=lambda pair: (-pair[1], pair[0] is None, pair[0] or "")
    )
    by_type = sorted(((EventType(kind), count) for kind, count in types), key=lambda pair: (-pair[1], pair[0].value))
    return Overview(
        events=sum(count for _, count, _ in states),
        upcoming=sum(int(soon or 0) for *_, soon in states),
        rsvps=rsvps,
        by_state=by_state,
        by_type=by_type,
    )


@dataclass(frozen=True)
class GapPage:
    """One page of the events still to come that have one gap."""

    gap: str  # a key of GAPS
    events: list[Event]
    start: int  # the index of the first one shown
    total: int


def gaps(
    session: Session,
    team_id: str,
    now: datetime,
    gap: str,
    *,
    campaign_slug: str | None = None,
    start: int = 0,
    size: int,
) -> GapPage:
    """Soonest first. A start past the end (the list got shorter) shows the last page."""
    where = [*_counted(team_id, campaign_slug), Event.effective_end >= now, GAPS[gap]]
    total = session.scalar(select(func.count()).select_from(Event).where(*where)) or 0
    if start >= total:
        start = max(total - 1, 0) // size * size
    events = (
        list(session.scalars(select(Event).where(*where).order_by(*SOONEST_FIRST).offset(start).limit(size)))
        if total
        else []
    )
    return GapPage(gap=gap, events=events, start=start, total=total)
