"""Post-event reports: asking each event's hosts once it is over, storing what they say, and totals.

An event is due for the question at its end (or `NO_END_AFTER` its start when it has no end).
The clock claims due events in one statement, as reminders are claimed, marking them asked:
however many clocks run, each event is asked once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, distinct, func, or_, select, true
from sqlalchemy.orm import Session

from storage.claims import claim
from storage.events import APPROVED
from storage.models import Event, EventHost, EventReport

# An event without an end is asked this long after it starts.
NO_END_AFTER = timedelta(hours=2)
# Events over for longer than this are never asked: after downtime, and for the history a team
# had before reports existed, a question days late would only puzzle.
ASK_WITHIN = timedelta(days=2)


@dataclass(frozen=True)
class Due:
    event_id: int
    team_id: str
    host: str
    ended_at: datetime


def due_for_report(now: datetime) -> ColumnElement[bool]:
    """Events whose hosts are due the question at `now`: across all teams, one range of
    (not yet asked, effective end) in `ix_events_report_due`, bounded by `ASK_WITHIN`.
    Cancelled events and events never approved are not asked."""
    return and_(
        Event.report_requested_at.is_(None),
        Event.effective_end <= now,
        Event.effective_end > now - ASK_WITHIN,
        or_(Event.ends_at.is_not(None), Event.starts_at <= now - NO_END_AFTER),
        Event.cancelled_at.is_(None),
        APPROVED,
    )


DUE_ORDER = (Event.effective_end, Event.id)


def take_due(session: Session, now: datetime, limit: int) -> list[Due]:
    """Claim up to `limit` events due the question (`due_for_report`), marking them asked.
    One `Due` per host: its creator, then its co-hosts."""
    ids = claim(session, Event, due_for_report(now), DUE_ORDER, limit, {"report_requested_at": now})
    if not ids:
        return []
    events = session.execute(
        select(Event.id, Event.team_id, Event.created_by, Event.effective_end).where(Event.id.in_(ids))
    )
    co_hosts = session.execute(
        select(EventHost.event_id, EventHost.user_id).where(EventHost.event_id.in_(ids)).order_by(EventHost.id)
    )
    hosts: dict[int, list[str]] = {}
    for event_id, user_id in co_hosts:
        hosts.setdefault(event_id, []).append(user_id)
    return [
        Due(event_id, team_id, host, ended_at)
        for event_id, team_id, creator, ended_at in sorted(events)
        for host in (creator, *hosts.get(event_id, ()))
    ]


def ask_again_if_moved(event: Event, now: datetime) -> None:
    """An event moved to a time still to come will be over later: ask its hosts then."""
    if event.effective_end > now:
        event.report_requested_at = None


def report_of(session: Session, event_id: int) -> EventReport | None:
    return session.scalar(select(EventReport).where(EventReport.event_id == event_id))


def reports_of(session: Session, event_ids: Iterable[int]) -> dict[int, EventReport]:
    """The reports of these events (a page of an export), by event id; events without one are absent."""
    ids = set(event_ids)
    if not ids:
        return {}
    return {
        report.event_id: report for report in session.scalars(select(EventReport).where(EventReport.event_id.in_(ids)))
    }


def save_report(
    session: Session,
    event: Event,
    user_id: str,
    now: datetime,
    *,
    turnout: int | None,
    press_links: list[str],
    official_said: str | None,
    photos_url: str | None,
    next_step: str | None,
) -> tuple[EventReport, bool]:
    """Create or replace the event's report. Returns (report, whether it was new)."""
    report = report_of(session, event.id)
    created = report is None
    if created:
        report = EventReport(team_id=event.team_id, event_id=event.id, created_by=user_id, created_at=now)
        session.add(report)
    report.turnout, report.press_links, report.press_hits = turnout, list(press_links), len(press_links)
    report.official_said, report.photos_url, report.next_step = official_said, photos_url, next_step
    report.updated_by, report.updated_at = user_id, now
    session.flush()
    return report, created


@dataclass(frozen=True)
class Totals:
    events: int  # events that took place: over, approved, not cancelled
    states: int  # the distinct states they were in
    reports: int  # how many of them have a report
    people: int  # turnout, summed over the reports
    press_hits: int  # press links, summed over the reports


def totals(session: Session, team_id: str, now: datetime, where: ColumnElement[bool] = true()) -> Totals:
    """What a team's events (narrowed by `where`, e.g. one campaign's) add up to, in one query."""
    query = (
        select(
            func.count(Event.id),
            func.count(distinct(Event.state_key)),
            func.count(EventReport.id),
            func.coalesce(func.sum(EventReport.turnout), 0),
            func.coalesce(func.sum(EventReport.press_hits), 0),
        )
        .select_from(Event)
        .outerjoin(EventReport, EventReport.event_id == Event.id)
        .where(Event.team_id == team_id, Event.effective_end <= now, Event.cancelled_at.is_(None), APPROVED, where)
    )
    events, states, reports, people, press = session.execute(query).one()
    return Totals(events=events, states=states, reports=reports, people=int(people), press_hits=int(press))
