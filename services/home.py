"""The App Home: drawn for a person when they open it, and again through the outbox when what it
shows changes (services.outbox.homes_changed: only for people who opened theirs); its buttons,
menus and the modals they open.

Whether the Home shows the staff dashboard is asked of Slack every time it is drawn (a
workspace admin or owner, services.permissions): an admin demoted no longer sees it at the next
drawing. What each person chose to see (the dashboard's campaign, the page of each list) is
kept with the time they last opened it (storage.homes).

Opening the Home and using its menus and buttons answer that person at once: the listener
publishes the view this returns, as it opens a modal. A Home redrawn because something changed
is published by the delivery worker (services.deliveries), drawn by `view` as here.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import date, datetime

from slack_sdk import WebClient
from sqlalchemy import true
from sqlalchemy.orm import Session

from messages import campaigns as campaign_render
from messages import home as render
from messages.content import POSTS_KIND
from messages.i18n import speaking, supported
from messages.links import PublicLinks
from services import campaigns, content, events, languages, places
from services.permissions import audience, is_admin_profile
from services.runtime import Services
from storage import approvals, dashboard, homes, rsvps
from storage import campaigns as campaign_store
from storage import events as event_store
from storage import languages as language_store
from storage import reports as report_store
from storage.models import Campaign, Event, HomeView


def view(
    session: Session,
    team_id: str,
    user_id: str,
    *,
    staff: bool,
    slack_language: str,
    now: datetime,
    today: date,
    links: PublicLinks | None = None,
) -> dict:
    """The person's Home as it stands, in the language of the moment (a read, no Slack call)."""
    home = homes.home_of(session, team_id, user_id)
    pages = (home.pages if home is not None else None) or {}
    mine = _my_events(session, team_id, user_id, now, _start(pages, render.MINE))
    board = _dashboard(session, team_id, now, today, home.campaign if home else None, pages) if staff else None
    chosen = language_store.person_language(session, team_id, user_id)
    return render.home_view(
        render.Home(
            user_id=user_id,
            mine=mine,
            chosen_language=chosen,
            slack_language=slack_language,
            dashboard=board,
            links=links,
        )
    )


def _start(pages: dict, name: str) -> int:
    start = pages.get(name, 0)
    return min(start, render.MAX_START) if isinstance(start, int) and start > 0 else 0


def _my_events(session: Session, team_id: str, user_id: str, now: datetime, start: int) -> render.MyEventsPage:
    """Their upcoming events as `/event mine` finds them, a page from `start` (the last page if
    the list got shorter), with how many go to those they host."""
    size = render.MINE_PAGE
    start = min(start, render.MINE_SHOWN - size)
    found = event_store.events_of(session, team_id, user_id, now, limit=start + size)
    if start and start >= len(found.events):
        start = max(len(found.events) - 1, 0) // size * size
    shown = found.events[start : start + size]
    hosted = {e.id for e in shown if e.created_by == user_id or e.id in found.co_hosting}
    return render.MyEventsPage(
        events=shown,
        start=start,
        has_next=found.has_more and start + size < render.MINE_SHOWN,
        co_hosting=found.co_hosting,
        going=found.going,
        going_counts=rsvps.counts(session, hosted),
    )


def _dashboard(
    session: Session, team_id: str, now: datetime, today: date, choice: str | None, pages: dict
) -> render.Dashboard:
    listed = campaign_render.in_listing_order(campaign_store.campaigns(session, team_id), today)
    campaign = None if choice == homes.ALL_EVENTS else next((c for c in listed if c.slug == choice), None)
    if campaign is None and choice != homes.ALL_EVENTS:  # none chosen, or the one chosen is gone
        campaign = default_campaign(session, team_id, today, listed)
    slug = campaign.slug if campaign is not None else None
    setting = approvals.review_setting(session, team_id)
    return render.Dashboard(
        campaigns=listed,
        campaign=campaign,
        today=today,
        overview=dashboard.overview(session, team_id, now, slug),
        reports=report_store.totals(session, team_id, now, Event.campaign_slug == slug if slug else true()),
        pending=approvals.pending_events(session, team_id, limit=render.PENDING_SHOWN),
        pending_count=approvals.pending_count(session, team_id),
        review_channel=(setting.channel_id or None) if setting is not None else None,
        gaps=[
            dashboard.gaps(
                session, team_id, now, gap, campaign_slug=slug, start=_start(pages, gap), size=render.GAP_PAGE
            )
            for gap in render.GAPS
        ],
    )


def default_campaign(session: Session, team_id: str, today: date, listed: list[Campaign]) -> Campaign | None:
    """The dashboard's campaign until one is chosen: the one running today (the shortest, if
    several are), else the next to start, else none (every event of the workspace)."""
    running = campaign_store.running_on(session, team_id, today)
    if running:
        return running[0]
    coming = [c for c in listed if c.starts_on is not None and c.starts_on > today]
    return min(coming, key=lambda c: (c.starts_on, c.id)) if coming else None


# --- answering the person --------------------------------------------------------------------------------


def opened(services: Services, client: WebClient, team_id: str, user_id: str) -> dict:
    """app_home_opened: remember when (their Home is kept current from now on), and the Home to publish."""
    return _redraw(services, client, team_id, user_id, lambda home: None)


def choose_language(
    services: Services, client: WebClient, team_id: str, user_id: str, value: str | None
) -> dict | None:
    """The language menu: saved (services.languages, which every reply and DM reads), and the
    Home drawn again in it at once. None for a value not ours."""
    understood, language = render.language_choice(value)
    if not understood:
        return None
    languages.choose_for_person(services, team_id, user_id, language)
    return _redraw(services, client, team_id, user_id, lambda home: None, chose_language=True, language=language)


def choose_campaign(
    services: Services, client: WebClient, team_id: str, user_id: str, value: str | None
) -> dict | None:
    """The dashboard's campaign menu: a campaign's slug, or every event."""
    if not value or len(value) > 64:
        return None
    return _redraw(services, client, team_id, user_id, lambda home: homes.choose_campaign(home, value))


def turn_page(services: Services, client: WebClient, team_id: str, user_id: str, value: str | None) -> dict | None:
    """Previous or Next under one of the Home's lists."""
    page = render.parse_page_value(value)
    if page is None:
        return None
    return _redraw(services, client, team_id, user_id, lambda home: homes.turn_page(home, *page))


def _redraw(
    services: Services,
    client: WebClient,
    team_id: str,
    user_id: str,
    change: Callable[[HomeView], None],
    *,
    chose_language: bool = False,
    language: str | None = None,
) -> dict:
    """Ask Slack who the person is now (an admin? their Slack's language?), record the change and
    that they have their Home open, and draw it: in the language of the request, or in the one
    they just chose (`language`, or None: their Slack's)."""
    profile = services.users.profile(client, team_id, user_id, fresh=True)  # {} if Slack does not answer: not staff
    staff, slack_language = is_admin_profile(profile, team_id), supported(profile.get("locale"))
    now = services.now()
    if staff:
        content.ensure_team_content(services, team_id)  # the campaigns to choose from
    with services.db.session() as session:
        home = homes.opened(session, team_id, user_id, now)
        home.staff = staff
        change(home)
    with speaking(language or slack_language) if chose_language else nullcontext():
        with services.db.read() as session:
            return view(
                session,
                team_id,
                user_id,
                staff=staff,
                slack_language=slack_language,
                now=now,
                today=campaigns.today(services),
                links=services.links,
            )


# --- the modals of the quick buttons ---------------------------------------------------------------------


def new_event_form(services: Services, client: WebClient, team_id: str, user_id: str) -> dict:
    """*New event*: the modal of `/event new`, announced in no channel until one is chosen."""
    return events.new_form(services, client, team_id, user_id, None)


def near_form() -> dict:
    return render.near_modal("", places.DEFAULT_RADIUS_MILES)


def near_answer(
    services: Services, team_id: str, user_id: str, place_text: str, radius: int, start: int = 0
) -> dict | None:
    """The near modal with the events within `radius` miles of the place (as `/event near` finds
    them for this person), or None when the place is not known."""
    page = events.near(services, team_id, place_text, radius, audience(services, team_id, user_id, None), offset=start)
    return None if page is None else render.near_modal(place_text, radius, page)


def toolkits(services: Services, team_id: str) -> dict:
    return render.toolkits_modal([t for t in content.topics(services, team_id) if t.kind != POSTS_KIND])


def toolkit(services: Services, team_id: str, slug: str) -> dict | None:
    topic, notes = content.topic(services, team_id, slug)
    return None if topic is None else render.toolkit_modal(topic, notes)


def sample_posts(services: Services, team_id: str) -> dict:
    return render.posts_modal(
        content.posts(services, team_id, platform=None, campaign=None), campaigns.listing(services, team_id)
    )


def drawn_for(client: WebClient, team_id: str, user_id: str) -> tuple[bool, str]:
    """(staff, their Slack's language), asked of Slack when the delivery worker draws a Home: when
    Slack does not answer, its error is raised and the drawing retried, rather than guessed."""
    profile = client.users_info(user=user_id, include_locale=True)["user"]
    return is_admin_profile(profile, team_id), supported(profile.get("locale"))
