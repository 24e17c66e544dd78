"""Addresses of the public pages and feeds: web/ serves these paths, Slack messages link to them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from storage.events import PUBLIC
from storage.models import Campaign, Event

EVENTS_PATH = "/events"
EVENT_PATH = "/events/{id}"
EVENT_CALENDAR_PATH = "/events/{id}.ics"
CAMPAIGN_PATH = "/campaigns/{slug}"
SIGNUP_PATH = "/signups/{token}"
SIGNUP_CANCEL_PATH = "/signups/{token}/cancel"
WORKSPACE_PATH = "/w/{team_id}"  # before any of the above: one workspace's pages, of several


@dataclass(frozen=True)
class PublicLinks:
    """Links from Slack to the public pages, under PUBLIC_BASE_URL (and the workspace's
    `/w/<team_id>` with multi-workspace installs); none for an event the public may not see."""

    base_url: str  # without a trailing slash
    per_workspace: bool = False

    def events_list(self, team_id: str) -> str:
        return self._root(team_id) + EVENTS_PATH

    def event_page(self, event: Event) -> str | None:
        return self._root(event.team_id) + EVENT_PATH.format(id=event.id) if PUBLIC.may_see(event) else None

    def event_calendar(self, event: Event) -> str | None:
        return self._root(event.team_id) + EVENT_CALENDAR_PATH.format(id=event.id) if PUBLIC.may_see(event) else None

    def campaign_page(self, campaign: Campaign) -> str:
        return self._root(campaign.team_id) + CAMPAIGN_PATH.format(slug=quote(campaign.slug, safe=""))

    def signup_page(self, team_id: str, token: str, language: str) -> str:
        """A sign-up's own page, in its person's language (emails link to it)."""
        return self._root(team_id) + SIGNUP_PATH.format(token=token) + f"?lang={language}"

    def signup_cancel(self, team_id: str, token: str) -> str:
        """Where a mail client's one-click unsubscribe POSTs (RFC 8058)."""
        return self._root(team_id) + SIGNUP_CANCEL_PATH.format(token=token)

    def _root(self, team_id: str) -> str:
        return self.base_url + (WORKSPACE_PATH.format(team_id=team_id) if self.per_workspace else "")
