"""The public pages: upcoming events (list, filters, search by place, map), one event, one
campaign. Server-rendered; every page works without JavaScript, the map only adds to the list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, render_template, request

from messages import events as event_text
from messages import public as text
from messages.content import post_text
from messages.posts import share_label, share_url
from services import public, signups
from services.places import DEFAULT_RADIUS_MILES
from storage.events import EventFilter
from storage.models import Campaign, Event, EventType
from web import forms, responses
from web.site import state, team_id

PAGE_SIZE = 20
LAST_PAGE = 500  # deeper than anyone reads; keeps a crafted ?page= from walking the whole table
STATE_CODE = re.compile(r"[A-Za-z]{2}")
RADIUS_CHOICES = (10, 25, DEFAULT_RADIUS_MILES, 100, 250)
PLACE_MAX = 100


def register(bp: Blueprint) -> None:
    bp.get("/events")(events)
    bp.get("/events/<int:event_id>")(event)
    bp.get("/campaigns/<slug>")(campaign)


@dataclass(frozen=True)
class Listed:
    event: Event
    miles: float | None = None  # away from the place searched for


@dataclass
class Search:
    """What a visitor asked `/events` for, read from the query string; what could not be
    understood is dropped, and said so next to its field."""

    where: EventFilter = EventFilter()
    near: str | None = None
    radius: int = DEFAULT_RADIUS_MILES
    page: int = 1
    kept: dict[str, str] = field(default_factory=dict)  # the understood fields, for the page links
    problems: dict[str, str] = field(default_factory=dict)  # field name -> what was wrong

    @classmethod
    def read(cls, args, campaigns: list[Campaign]) -> Search:
        kept: dict[str, str] = {}
        problems: dict[str, str] = {}
        event_type = None
        if raw := args.get("type", "").strip():
            if raw in EventType._value2member_map_:
                event_type, kept["type"] = EventType(raw), raw
            else:
                problems["type"] = text.bad_type()
        state_code = None
        if raw := args.get("state", "").strip():
            if STATE_CODE.fullmatch(raw):
                state_code = kept["state"] = raw.upper()
            else:
                problems["state"] = text.bad_state()
        campaign_slug = None
        if raw := args.get("campaign", "").strip():
            if raw in {c.slug for c in campaigns}:
                campaign_slug = kept["campaign"] = raw
            else:
                problems["campaign"] = text.bad_campaign()
        near = " ".join(args.get("near", "").split())[:PLACE_MAX] or None
        radius = _number(args.get("radius"), DEFAULT_RADIUS_MILES)
        if radius not in RADIUS_CHOICES:
            radius = DEFAULT_RADIUS_MILES
        if near:
            kept["near"], kept["radius"] = near, str(radius)
        where = EventFilter(event_type=event_type, state=state_code, campaign_slug=campaign_slug)
        return cls(where, near, radius, min(_number(args.get("page"), 1), LAST_PAGE), kept, problems)

    def forget_place(self) -> None:
        """The place asked for is not known: say so next to it, and list as if none was asked for."""
        self.problems["near"] = text.unknown_place()
        self.near = None
        del self.kept["near"], self.kept["radius"]

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    @property
    def narrowed(self) -> bool:
        return self.where != EventFilter()


def _number(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 6 and int(raw) > 0 else default


def events() -> Response:
    services, team = state().services, team_id()
    campaigns = public.campaign_list(services, team)
    search = Search.read(request.args, campaigns)
    nearby = (
        public.near(services, team, search.near, search.radius, offset=search.offset, size=PAGE_SIZE)
        if search.near
        else None
    )
    if search.near and nearby is None:
        search.forget_place()
    if nearby is not None:  # by distance: the other filters do not apply (search.narrowed says so)
        listed, has_next, online = [Listed(e, miles) for e, miles in nearby.nearby], nearby.has_next, nearby.online
    else:
        found = public.upcoming_page(services, team, search.where, offset=search.offset, size=PAGE_SIZE)
        listed, has_next, online = [Listed(e) for e in found.events], found.has_next, []
    html = render_template(
        "events.html",
        search=search,
        listed=listed,
        has_next=has_next,
        online=online,
        by_distance=nearby is not None,
        first=search.offset + 1,
        selects=_selects(campaigns),
        campaign_names={c.slug: c.name for c in campaigns},
        radii=RADIUS_CHOICES,
        **_map(),
    )
    return responses.page(html)


def _selects(campaigns: list[Campaign]) -> dict[str, list[tuple[str, str]]]:
    """The filters' drop-downs, by field: [(value, text), ...] (the template words their labels)."""
    return {
        "campaign": [(c.slug, c.name) for c in campaigns],
        "type": [(kind.value, label) for kind, label in event_text.type_labels().items()],
        "state": text.state_names(),
    }


def event(event_id: int) -> Response:
    found = public.event_and_going(state().services, team_id(), event_id)
    if found is None:
        abort(404)
    return event_page(*found)


def event_page(
    shown: Event,
    going: int | None = None,
    *,
    answers: signups.Answers = signups.Answers(),
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The event's page, saying how many are going (counted now unless given); with its sign-up
    form (while it is open) showing `answers` and, beside each field, what was wrong with it
    (`problems`, "" for the form as a whole)."""
    services = state().services
    now = services.now()
    if going is None:
        going = signups.going_count(services, shown.id)
    ended = (shown.ends_at or shown.starts_at) < now
    html = render_template(
        "event.html",
        event=shown,
        ended=ended,
        google_url=event_text.google_calendar_url(shown),
        campaign=public.campaign(services, team_id(), shown.campaign_slug),
        going=going,
        signup_open=signups.is_open(shown, now),
        answers=answers,
        problems=problems or {},
        csrf_token=forms.csrf_token(state().site.form_key, signup_purpose(shown.id), now),
        token_field=forms.TOKEN_FIELD,
        honeypot_field=forms.HONEYPOT_FIELD,
        **_map(),
    )
    return responses.page(html, status=status)


def signup_purpose(event_id: int) -> str:
    """What the event's sign-up form's token is for: that event of that workspace."""
    return f"signup:{team_id()}:{event_id}"


def campaign(slug: str) -> Response:
    services, team = state().services, team_id()
    found = public.campaign(services, team, slug)
    if found is None:
        abort(404)
    page = min(_number(request.args.get("page"), 1), LAST_PAGE)
    upcoming = public.upcoming_page(
        services, team, EventFilter(campaign_slug=slug), offset=(page - 1) * PAGE_SIZE, size=PAGE_SIZE
    )
    posts = [
        (post_text(post), share_url(post, post_text(post)), share_label(post.platform))
        for post in public.campaign_posts(services, team, slug)
    ]
    return responses.page(
        render_template(
            "campaign.html",
            campaign=found,
            listed=[Listed(e) for e in upcoming.events],
            has_next=upcoming.has_next,
            page=page,
            first=(page - 1) * PAGE_SIZE + 1,
            posts=posts,
            **_map(),
        )
    )


def _map() -> dict:
    site = state().site
    return {"tile_url": site.tile_url, "tile_attribution": site.tile_attribution}
