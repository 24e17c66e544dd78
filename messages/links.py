"""Addresses of the public pages and feeds: web/ serves these paths, Slack messages link to them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from storage.events import PUBLIC
from storage.models import Campaign, Event

EVENTS_PATH = "/events"
EVENT_PATH = "/events/{id}"
EVENT_CALENDAR_PATH = "/events/{id}.ics"
CALENDAR_PATH = "/calendar.ics"
CAMPAIGN_PATH = "/campaigns/{slug}"


@dataclass(frozen=True)
class PublicLinks:
    """Links from Slack to the public pages, under PUBLIC_BASE_URL; none for an event the
    public may not see."""

    base_url: str  # without a trailing slash

    def event_page(self, event: Event) -> str | None:
        return self.base_url + EVENT_PATH.format(id=event.id) if PUBLIC.may_see(event) else None

    def event_calendar(self, event: Event) -> str | None:
        return self.base_url + EVENT_CALENDAR_PATH.format(id=event.id) if PUBLIC.may_see(event) else None

    def campaign_page(self, campaign: Campaign) -> str:
        return self.base_url + CAMPAIGN_PATH.format(slug=quote(campaign.slug, safe=""))
