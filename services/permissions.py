"""Who may see and change what. Changes are checked at the moment of the write, from the stored
rows and a fresh admin check, whatever the request carried.

An event's hosts are its creator and its co-hosts: they edit and cancel it and see who is
going. Only its creator (or an admin) chooses the co-hosts.
"""

from __future__ import annotations

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from services.runtime import Services
from storage import approvals, hosts
from storage.events import Audience
from storage.models import Campaign, Event


def is_admin(services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    """An admin or owner of `team_id` itself; asks Slack every time: an admin demoted a minute
    ago is no longer one. In a shared channel (Slack Connect) an admin of the other
    organization is an admin there, not here."""
    return is_admin_profile(services.users.profile(client, team_id, user_id, fresh=True), team_id)


def is_admin_or_raise(client: WebClient, team_id: str, user_id: str) -> bool:
    """The same question for work that can wait and be retried (an export being delivered): when
    Slack does not answer, its error is raised rather than the answer guessed."""
    return is_admin_profile(client.users_info(user=user_id)["user"], team_id)


def is_admin_profile(profile: dict, team_id: str) -> bool:
    """Whether a users.info profile is an admin or owner of `team_id`. Slack's workspace roles
    are per workspace: `is_admin` and `is_owner` are of the profile's own workspace (`team_id`)
    and count there only; an admin of WEST is no admin of EAST, though both are of one Grid
    organization. An admin or owner of the organization itself (`enterprise_user`) is one in
    each of its workspaces that they belong to (Slack lists them: `enterprise_user.teams`; a
    guest from another organization never has ours)."""
    if profile.get("team_id") == team_id and (profile.get("is_admin") or profile.get("is_owner")):
        return True
    organization = profile.get("enterprise_user") or {}
    return bool(organization.get("is_admin") or organization.get("is_owner")) and team_id in (
        organization.get("teams") or ()
    )


# How old a profile may be that lists decide on: an admin demoted in Slack stops seeing every
# private-channel event within this; an older or missing profile sees as anyone does.
ADMIN_VIEW_SECONDS = 180


def audience(
    services: Services, team_id: str, user_id: str, channel_id: str | None, client: WebClient | None = None
) -> Audience:
    """Who is looking, for lists: admins see everything, known from a recent profile in the cache
    only, so a list is answered without waiting for Slack (writes check admins afresh). Without
    a recent one they see as anyone does, and (given the request's `client`) the profile is
    fetched in the background for their next list."""
    profile = services.users.cached(team_id, user_id, max_age=ADMIN_VIEW_SECONDS)
    if profile is None and client is not None:
        services.users.fetch_in_background(client, team_id, user_id)
    return Audience(channel_id, user_id, everything=is_admin_profile(profile or {}, team_id))


def is_host(session: Session, event: Event, user_id: str) -> bool:
    """The event's creator or one of its co-hosts, as stored now (no Slack call)."""
    return event.created_by == user_id or hosts.is_co_host(session, event.id, user_id)


def may_manage(services: Services, client: WebClient, session: Session, user_id: str, event: Event) -> bool:
    """The event's hosts, or a workspace admin or owner, may edit and cancel it."""
    return is_host(session, event, user_id) or is_admin(services, client, event.team_id, user_id)


def may_choose_co_hosts(services: Services, client: WebClient, user_id: str, event: Event) -> bool:
    """Co-hosts may not change who hosts: only the creator, or a workspace admin or owner."""
    return event.created_by == user_id or is_admin(services, client, event.team_id, user_id)


def hosted(session: Session, events: list[Event], user_id: str) -> set[int]:
    """Which of `events` (a page of them) `user_id` hosts, as is_host says, in one query."""
    created = {event.id for event in events if event.created_by == user_id}
    return created | hosts.co_hosted(session, user_id, [event.id for event in events if event.id not in created])


def may_see_contact_email(event: Event, *, admin: bool, host: bool) -> bool:
    """A private event's contact email is for admins and its hosts; a public event's is on its card."""
    return event.is_public or admin or host


def may_edit_campaign(services: Services, client: WebClient, user_id: str, campaign: Campaign) -> bool:
    """The campaign's creator, or a workspace admin or owner (the only ones for shipped campaigns)."""
    return campaign.created_by == user_id or is_admin(services, client, campaign.team_id, user_id)


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
