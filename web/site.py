"""What the public site of one process serves: whose events, where its pages are, its map's tiles,
and the shared state of its routes (the services and the feed cache)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import abort, current_app, g, request, url_for

from services import Services, public
from web import language
from web.feedcache import FeedCache
from web.forms import RateLimit

# Sign-ups one client address may send an hour (a library's or a school's shared address included).
SIGNUPS_PER_CLIENT = 30

EXTENSION = "organizer_bot"


@dataclass(frozen=True)
class Site:
    """Whose events the site shows. One workspace (SLACK_BOT_TOKEN): `default_team`, the bot
    token's, at the root and under `/w/<team_id>/`. Multi-workspace installs (`per_workspace`):
    each workspace installed and not uninstalled under `/w/<team_id>/`, none at the root."""

    default_team: str | None
    tile_url: str
    tile_attribution: str
    per_workspace: bool = False
    base_url: str | None = None  # PUBLIC_BASE_URL; else links are built from the request's host
    # Signs the forms' CSRF tokens (web.forms): derived from a secret of the settings, so that every
    # process of a deployment accepts the others' forms; else this process's own.
    form_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    @property
    def tile_origin(self) -> str:
        """The tile server for the Content-Security-Policy: `{s}` subdomains become a wildcard."""
        parts = urlsplit(self.tile_url.replace("{s}", "*"))
        return f"{parts.scheme}://{parts.netloc}"


@dataclass
class State:
    services: Services
    site: Site
    feeds: FeedCache = field(default_factory=FeedCache)
    signup_limit: RateLimit = field(default_factory=lambda: RateLimit(SIGNUPS_PER_CLIENT, 3600))


def state() -> State:
    return current_app.extensions[EXTENSION]


def choose_team(team_id: str | None) -> None:
    """The workspace a request is about: the one its `/w/<team_id>` prefix names, else the default."""
    site = state().site
    if team_id is None:
        team_id = site.default_team
    elif site.per_workspace:
        team_id = team_id if public.serves_workspace(state().services, team_id) else None
    elif team_id != site.default_team:
        team_id = None
    if team_id is None:
        abort(404)
    g.team_id = team_id


def team_id() -> str:
    return g.team_id


def link(endpoint: str, **values) -> str:
    """The address of one of the site's routes, in the workspace the page is about (an error
    page outside any workspace links to the default one)."""
    blueprint = request.blueprint if request.blueprint and g.get("team_id") else "public"
    return url_for(f"{blueprint}.{endpoint}", **values)


def external_base() -> str:
    """Where absolute links point: PUBLIC_BASE_URL, else the host the visitor asked for."""
    return state().site.base_url or request.host_url.rstrip("/")


def feed_link(endpoint: str, **values) -> str:
    """The address of a feed (or an .ics file) in the page's language: calendar apps cannot ask
    for one themselves."""
    return link(endpoint, **{language.PARAMETER: language.for_feeds(), **values})


def feed_address(endpoint: str, **values) -> str:
    """`feed_link`, absolute: what a visitor gives a calendar app to subscribe to."""
    return external_base() + feed_link(endpoint, **values)
