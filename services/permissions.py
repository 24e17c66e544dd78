"""Who may change what: checked at the moment of the write, from the stored row and a fresh
admin check, whatever the request carried."""

from __future__ import annotations

from slack_sdk import WebClient

from services.runtime import Services
from storage import approvals
from storage.models import Event


def is_admin(services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    """Asks Slack every time: an admin demoted a minute ago is no longer one."""
    profile = services.users.profile(client, team_id, user_id, fresh=True)
    return bool(profile.get("is_admin") or profile.get("is_owner"))


def may_manage(services: Services, client: WebClient, user_id: str, event: Event) -> bool:
    """The event's creator, or a workspace admin or owner, may edit and cancel it."""
    return event.created_by == user_id or is_admin(services, client, event.team_id, user_id)


def may_review(services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    """Turning review on and off, trusting hosts, approving and rejecting events: workspace
    admins and owners, asked of Slack at the moment of the click."""
    return is_admin(services, client, team_id, user_id)


def skips_review(services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    """Whose new events are announced without review: trusted hosts, and admins (asked afresh;
    when Slack does not answer, the event waits for review: the safe side)."""
    with services.db.read() as session:
        if approvals.is_trusted(session, team_id, user_id):
            return True
    return is_admin(services, client, team_id, user_id)
