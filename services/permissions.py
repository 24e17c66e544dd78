"""Who may change what: checked at the moment of the write, from the stored row and a fresh
admin check, whatever the request carried."""

from __future__ import annotations

from slack_sdk import WebClient

from services.runtime import Services
from storage.models import Event


def is_admin(services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    """An admin or owner of `team_id` itself; asks Slack every time: an admin demoted a minute
    ago is no longer one. In a shared channel (Slack Connect) an admin of the other
    organization is an admin there, not here."""
    return is_admin_profile(services.users.profile(client, team_id, user_id, fresh=True), team_id)


def is_admin_profile(profile: dict, team_id: str) -> bool:
    """Whether a users.info profile is an admin or owner of `team_id`: of their own workspace,
    or of one of their Enterprise Grid organization's that they belong to."""
    teams = {profile.get("team_id")} | set((profile.get("enterprise_user") or {}).get("teams") or ())
    return bool(profile.get("is_admin") or profile.get("is_owner")) and team_id in teams


def may_manage(services: Services, client: WebClient, user_id: str, event: Event) -> bool:
    """The event's creator, or a workspace admin or owner, may edit and cancel it."""
    return event.created_by == user_id or is_admin(services, client, event.team_id, user_id)
