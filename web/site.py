"""What the public site of one process serves: whose events, where its pages are, its map's tiles,
and the shared state of its routes (the services and the feed cache)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import abort, current_app, g, request, url_for

from services import Services
from web.feedcache import FeedCache

EXTENSION = "organizer_bot"


@dataclass(frozen=True)
class Site:
    """`team_id`: the workspace the unprefixed paths serve (the bot token's, in single-workspace
    mode). Each served workspace's paths also live under `/w/<team_id>/`, the room that
    multi-workspace installs will fill with more teams."""

    team_id: str
    tile_url: str
    tile_attribution: str
    base_url: str | None = None  # PUBLIC_BASE_URL; else links are built from the request's host

    def serves(self, team_id: str) -> bool:
        return team_id == self.team_id

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


def state() -> State:
    return current_app.extensions[EXTENSION]


def choose_team(team_id: str | None) -> None:
    """The workspace a request is about: the one its `/w/<team_id>` prefix names, else the default."""
    site = state().site
    if team_id is not None and not site.serves(team_id):
        abort(404)
    g.team_id = team_id or site.team_id


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


def absolute(endpoint: str, **values) -> str:
    return external_base() + link(endpoint, **values)
