"""`/event export [campaign]`: the team's events (of one campaign) as a CSV file, delivered to
the requester's DM.

The request is an outbox row (services.outbox.export); the file is built when the row is
delivered (services.deliveries), so that who may see what is decided at the moment of the
export: events of private channels only for admins and their creators (as in lists), and the
contact email of an event not open to the public only for admins and the event's hosts. Each
event's row ends with its post-event report, when its hosts gave one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from messages import export as render
from services import campaigns, outbox
from services.event_form import form_values
from services.permissions import hosted, may_see_contact_email
from services.runtime import Services
from storage import campaigns as campaign_store
from storage import events as queries
from storage import reports, rsvps
from storage.models import Campaign


def request(services: Services, team_id: str, user_id: str, campaign_text: str = "") -> str:
    """Queue the export (of the campaign the words name, if any); what to tell the requester now."""
    campaign = campaigns.named(services, team_id, campaign_text) if campaign_text.strip() else None
    if isinstance(campaign, str):
        return campaign  # no such campaign: what to type instead
    with services.db.session() as session:
        outbox.export(session, team_id, user_id, services.now(), campaign=campaign and campaign.slug)
    services.doorbell.ring()
    return render.on_its_way(campaign)


@dataclass
class ExportFile:
    content: bytes
    campaign: Campaign | None = None
    events: int = 0
    hidden_emails: int = 0  # private events' contact emails this reader does not get


def build(
    session: Session, team_id: str, user_id: str, *, admin: bool, now: datetime, campaign_slug: str | None = None
) -> ExportFile:
    """Every event `user_id` may see (of the campaign, if one is named), past and cancelled ones
    too, soonest first, one a row."""
    campaign = campaign_store.get_campaign(session, team_id, campaign_slug) if campaign_slug else None
    built = ExportFile(b"", campaign)
    built.content = render.csv_bytes(_rows(session, team_id, user_id, admin, campaign_slug, built), now)
    return built


def _rows(
    session: Session, team_id: str, user_id: str, admin: bool, campaign_slug: str | None, tally: ExportFile
) -> Iterator[render.ExportRow]:
    audience = queries.Audience(channel_id=None, user_id=user_id, everything=admin)
    for page in queries.every_event(session, team_id, audience=audience, campaign_slug=campaign_slug):
        going = rsvps.counts(session, {event.id for event in page})
        told = reports.reports_of(session, (event.id for event in page))
        hosting = hosted(session, page, user_id)
        for event in page:
            show_email = may_see_contact_email(event, admin=admin, host=event.id in hosting)
            tally.events += 1
            tally.hidden_emails += bool(event.contact_email) and not show_email
            yield render.ExportRow(event, form_values(event), going.get(event.id, 0), show_email, told.get(event.id))
