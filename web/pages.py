"""The public pages: upcoming events (list, filters), one event. Server-rendered; every page
works without JavaScript."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, render_template, request

from messages import events as event_text
from messages import public as text
from services import public
from storage.events import EventFilter
from storage.models import EventType
from web import responses
from web.site import state, team_id

PAGE_SIZE = 20
LAST_PAGE = 500  # deeper than anyone reads; keeps a crafted ?page= from walking the whole table
STATE_CODE = re.compile(r"[A-Za-z]{2}")


def register(bp: Blueprint) -> None:
    bp.get("/events")(events)
    bp.get("/events/<int:event_id>")(event)


@dataclass(frozen=True)
class Search:
    """What a visitor asked `/events` for, read from the query string; what could not be
    understood is dropped, and said so next to its field."""

    where: EventFilter = EventFilter()
    page: int = 1
    kept: dict[str, str] = field(default_factory=dict)  # the understood filters, for the page links
    problems: dict[str, str] = field(default_factory=dict)  # field name -> what was wrong

    @classmethod
    def read(cls, args) -> Search:
        kept: dict[str, str] = {}
        problems: dict[str, str] = {}
        event_type = None
        if raw := args.get("type", "").strip():
            if raw in EventType._value2member_map_:
                event_type, kept["type"] = EventType(raw), raw
            else:
                problems["type"] = text.BAD_TYPE
        state_code = None
        if raw := args.get("state", "").strip():
            if STATE_CODE.fullmatch(raw):
                state_code = kept["state"] = raw.upper()
            else:
                problems["state"] = text.BAD_STATE
        page = args.get("page", "1")
        number = min(int(page), LAST_PAGE) if page.isascii() and page.isdigit() and len(page) < 6 and int(page) > 0 else 1
        return cls(EventFilter(event_type=event_type, state=state_code), number, kept, problems)


def events() -> Response:
    search = Search.read(request.args)
    found = public.upcoming_page(state().services, team_id(), search.where, offset=(search.page - 1) * PAGE_SIZE, size=PAGE_SIZE)
    html = render_template("events.html", search=search, events=found.events, has_next=found.has_next,
                           first=(search.page - 1) * PAGE_SIZE + 1, types=event_text.TYPE_LABELS, states=text.US_STATES)
    return responses.page(html)


def event(event_id: int) -> Response:
    shown = public.event(state().services, team_id(), event_id)
    if shown is None:
        abort(404)
    ended = (shown.ends_at or shown.starts_at) < state().services.now()
    return responses.page(render_template("event.html", event=shown, ended=ended,
                                          google_url=event_text.google_calendar_url(shown)))
