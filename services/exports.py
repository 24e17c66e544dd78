"""`/event export`: the team's events as a CSV file, delivered to the requester's DM.

The request is an outbox row (services.outbox.export); the file is built when the row is
delivered (services.deliveries), so that who may see what is decided at the moment of the
export: events of private channels only for admins and their creators (as in lists), and the
contact email of an event not open to the public only for admins and the event's hosts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from messages import export as render
from services import outbox
from services.event_form import form_values
from services.permissions import hosted, may_see_contact_email
from services.runtime import Services
from storage import events as queries
from storage import rsvps


def request(services: Services, team_id: str, user_id: str) -> str:
    """Queue the export; what to tell the requester now."""
    with services.db.session() as session:
        outbox.export(session, team_id, user_id, services.now())
    services.doorbell.ring()
    return render.EXPORT_ON_ITS_WAY


@dataclass
class ExportFile:
    content: bytes
    events: int = 0
    hidden_emails: int = 0  # private events' contact emails this reader does not get


def build(session: Session, team_id: str, user_id: str, *, admin: bool, now: datetime) -> ExportFile:
    """Every event `user_id` may see, past and cancelled ones too, soonest first, one a row."""
    built = ExportFile(b"")
    built.content = render.csv_bytes(_rows(session, team_id, user_id, admin, built), now)
    return built


def _rows(session: Session, team_id: str, user_id: str, admin: bool, tally: ExportFile) -> Iterator[render.ExportRow]:
    audience = queries.Audience(channel_id=None, user_id=user_id, everything=admin)
    for page in queries.every_event(session, team_id, audience=audience):
        going = rsvps.counts(session, {event.id for event in page})
        hosting = hosted(session, page, user_id)
        for event in page:
            show_email = may_see_contact_email(event, admin=admin, host=event.id in hosting)
            tally.events += 1
            tally.hidden_emails += bool(event.contact_email) and not show_email
            yield render.ExportRow(event, form_values(event), going.get(event.id, 0), show_email)
