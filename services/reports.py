"""After an event: asking its hosts how it went, their report, and what the reports add up to.

Once an event is over (storage.reports says when), the clock asks each host by DM, exactly
once, with a button opening a short form. A saved report goes in the card's thread; hosts
may open the form again to change it (the thread gets the new version). Cancelled events and
events never approved are not asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from messages import replies
from messages import reports as render
from services import outbox
from services.permissions import may_manage
from services.runtime import Services
from services.slackapi import before_ack
from storage import events as queries
from storage import reports as store
from storage import submissions
from storage.models import PRESS_LINKS_MAX, REPORT_TEXT_MAX, REPORT_URL_MAX, Event

LINK = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)


def queue_due(session: Session, now: datetime, limit: int) -> int:
    """Ask the hosts of every event just over, one DM each through the outbox; returns how many events."""
    due = store.take_due(session, now, limit)
    for item in due:
        outbox.report_ask(session, item.event_id, item.team_id, item.host, item.ended_at, now)
    return len(due)


def _reportable(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> Event | str:
    """The event if `user_id` may report on it now, else what to tell them."""
    with services.db.read() as session:
        event = queries.get_event(session, team_id, event_id) if event_id else None
        if event is None:
            return replies.no_such_event(event_id)
        if event.is_cancelled:
            return replies.already_cancelled(event)
        if not event.is_approved:
            return render.not_announced(event)
        if event.starts_at > services.now():
            return render.not_over_yet(event)
        if not may_manage(services, client, session, user_id, event):
            return render.cannot_report(event)
    return event


def report_form(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> dict | str:
    """The form, with the report so far; or what to tell the user instead."""
    event = _reportable(services, client, team_id, user_id, event_id)
    if isinstance(event, str):
        return event
    with services.db.read() as session:
        report = store.report_of(session, event.id)
    return render.report_modal(event, report)


@dataclass(frozen=True)
class ReportInput:
    turnout: int | None
    press_links: list[str]
    official_said: str | None
    photos_url: str | None
    next_step: str | None


def parse_report_form(values: dict) -> tuple[ReportInput | None, dict[str, str]]:
    """The form's state values -> the report, or errors by block id."""

    def value(block: str) -> str:
        raw = (values.get(block) or {}).get(block) or {}
        text = raw.get("value")
        return text.strip() if isinstance(text, str) else ""

    errors: dict[str, str] = {}
    turnout = None
    if text := value(render.TURNOUT):
        if text.isascii() and text.isdigit() and int(text) <= render.TURNOUT_MAX:
            turnout = int(text)
        else:
            errors[render.TURNOUT] = render.not_a_turnout()
    links = [line.strip() for line in value(render.PRESS).splitlines() if line.strip()]
    if bad := next((line for line in links if not LINK.fullmatch(line) or len(line) > REPORT_URL_MAX), None):
        errors[render.PRESS] = render.not_a_link(bad)
    elif len(links) > PRESS_LINKS_MAX:
        errors[render.PRESS] = render.too_many_links()
    photos = value(render.PHOTOS)
    if photos and (not LINK.fullmatch(photos) or len(photos) > REPORT_URL_MAX):
        errors[render.PHOTOS] = render.photos_not_a_link()
    if errors:
        return None, errors
    return ReportInput(
        turnout=turnout,
        press_links=links,
        official_said=value(render.OFFICIAL)[:REPORT_TEXT_MAX] or None,
        photos_url=photos or None,
        next_step=value(render.NEXT_STEP)[:REPORT_TEXT_MAX] or None,
    ), {}


def submit(
    services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None, view: dict
) -> dict[str, str] | None:
    """Save a submitted report (errors by block id, or None): checked, idempotent, noted in the
    card's thread. Runs before the ack: an admin check gives up in time (and then refuses)."""
    data, errors = parse_report_form((view.get("state") or {}).get("values") or {})
    if errors:
        return errors
    event = _reportable(services, before_ack(client), team_id, user_id, event_id)
    if isinstance(event, str):
        return {render.TURNOUT: event}
    now = services.now()
    key = submissions.key_for(view)
    try:
        with services.db.session() as session:
            if key and submissions.seen(session, team_id, key):
                return None
            _, created = store.save_report(session, event, user_id, now, **vars(data))
            outbox.thread_note(session, event, "report", now, user=user_id, updated=not created, **vars(data))
            outbox.homes_changed(session, team_id, (), now)  # staff dashboards count the reports in
            if key:
                submissions.remember(session, team_id, key, event.id, now)
    except IntegrityError:
        with services.db.read() as session:
            if key and submissions.seen(session, team_id, key):
                return None  # the same submission, saved a moment ago by a concurrent delivery
        raise
    services.doorbell.ring()
    return None
