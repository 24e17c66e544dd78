"""Who may change what: checked at the moment of the write, from the stored row and a fresh
admin check, whatever the request carried."""

from __future__ import annotations

from slack_sdk import WebClient

from services.runtime import Services
from storage.models import Event


def is_admin(services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    """Asks Slack every time: an admin demoted a minute ago is no longer one."""
    return _admin(services.users.profile(client, team_id, user_id, fresh=True))


def is_admin_or_raise(client: WebClient, user_id: str) -> bool:
    """The same question for work that can wait and be retried (an export being delivered): when
    Slack does not answer, its error is raised rather than the answer guessed."""
    return _admin(client.users_info(user=user_id)["user"])


def _admin(profile: dict) -> bool:
    return bool(profile.get("is_admin") or profile.get("is_owner"))


def is_host(event: Event, user_id: str) -> bool:
    """Who runs the event: the person who registered it."""
    return event.created_by == user_id


def may_manage(services: Services, client: WebClient, user_id: str, event: Event) -> bool:
    """The event's hosts, or a workspace admin or owner, may edit and cancel it."""
    return is_host(event, user_id) or is_admin(services, client, event.team_id, user_id)


def may_see_contact_email(event: Event, user_id: str, *, admin: bool) -> bool:
    """A private event's contact email is for admins and its hosts; a public event's is on its card."""
    return event.is_public or admin or is_host(event, user_id)
