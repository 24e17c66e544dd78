"""The workspaces the bot serves: installs, uninstalls, revoked tokens, and deleting a team's data.

Which token a workspace's work outside a request (the outbox) is sent with is decided here, in
`client_for`: the app's own in single-workspace mode, else the bot token of the installation
that serves the workspace (its own, or its organization's org-wide one). A workspace whose token
stopped working, or that uninstalled the app, has its posts held and its reminders and digests
left unqueued until it is reinstalled; an uninstalled one's data is deleted after a grace period
(`Services.uninstall_grace`) by the clock, or at once by `organizer-bot purge-team`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from services.runtime import Services
from services.slackapi import with_token
from storage import workspaces as store
from storage.models import WorkspaceStatus

log = logging.getLogger(__name__)


def client_for(services: Services, app_client: WebClient, team_id: str) -> WebClient | None:
    """The client for `team_id`'s posts, or None while the workspace has no working token."""
    with services.db.read() as session:
        workspace = store.get(session, team_id)
    if workspace is not None and workspace.status != WorkspaceStatus.ACTIVE.value:
        return None
    if services.installations is None:
        return app_client
    org_install = bool(workspace and workspace.org_install)
    bot = services.installations.find_bot(
        enterprise_id=workspace.enterprise_id if workspace else None,
        team_id=None if org_install else team_id,
        is_enterprise_install=org_install,
    )
    return with_token(app_client, bot.bot_token) if bot is not None else None


def seen(services: Services, team_id: str, enterprise_id: str | None) -> None:
    """A request from a workspace served by its organization's org-wide install: remember which
    organization, so that its posts find that install's token (once per process)."""
    if (team_id, enterprise_id) in services.seen_workspaces:
        return
    with services.db.session() as session:
        store.record(session, team_id, enterprise_id, True, services.now())
    services.seen_workspaces.add((team_id, enterprise_id))


def installed(services: Services, *, team_id: str | None, enterprise_id: str | None, org_install: bool) -> None:
    """An install that works (through /slack/install, or the token of a single-workspace
    process): the workspace, or every known workspace of the organization, is active again,
    and what was held for it goes out."""
    now = services.now()
    with services.db.session() as session:
        if team_id and not org_install:
            store.record(session, team_id, enterprise_id, False, now)
            teams = [team_id]
        else:
            teams = store.of_org(session, enterprise_id) if enterprise_id else []
        released = store.activate(session, teams, now)
    if released:
        log.info("workspace %s is installed again: %d held posts go out", team_id or enterprise_id, released)
        services.doorbell.ring()


def uninstalled(services: Services, *, team_id: str | None, enterprise_id: str | None, org_install: bool) -> None:
    """`app_uninstalled`: forget the installation, hold everything for the workspace (or the
    organization's), and delete its data once the grace period is over. Idempotent."""
    _forget_installation(services, team_id, enterprise_id, org_install)
    now = services.now()
    with services.db.session() as session:
        teams = _affected(session, team_id, enterprise_id, org_install)
        changed = store.deactivate(
            session,
            teams,
            WorkspaceStatus.UNINSTALLED,
            "app_uninstalled",
            now,
            purge_after=now + services.uninstall_grace,
        )
    for team in changed:
        log.warning(
            "workspace %s uninstalled the app: nothing more is sent to it; its data is deleted after %s",
            team,
            (now + services.uninstall_grace).date().isoformat(),
        )


def tokens_revoked(
    services: Services, *, team_id: str | None, enterprise_id: str | None, org_install: bool, bot_revoked: bool
) -> None:
    """`tokens_revoked`: once the bot's token is revoked nothing can be sent until the app is
    reinstalled; the workspace's data stays. (The app asks for no user tokens.) Idempotent."""
    if not bot_revoked:
        return
    _forget_installation(services, team_id, enterprise_id, org_install)
    with services.db.session() as session:
        teams = _affected(session, team_id, enterprise_id, org_install)
        for team in teams:
            token_stopped_working(team, "tokens_revoked", services.now())(session)


def token_stopped_working(team_id: str, code: str, now) -> Callable[[Session], None]:
    """What to record when Slack refuses a workspace's token (an effect, run in the caller's
    session): its posts are held, not retried, until it is reinstalled."""

    def effect(session: Session) -> None:
        if store.deactivate(session, [team_id], WorkspaceStatus.REVOKED, code, now):
            log.warning(
                "workspace %s: Slack no longer takes its token (%s); its posts are held until it is reinstalled",
                team_id,
                code,
            )

    return effect


def _affected(session: Session, team_id: str | None, enterprise_id: str | None, org_install: bool) -> list[str]:
    if org_install and enterprise_id:
        return store.of_org(session, enterprise_id)
    return [team_id] if team_id else []


def _forget_installation(services: Services, team_id: str | None, enterprise_id: str | None, org_install: bool) -> None:
    """Delete the stored installation and bot token (an org-wide one is stored without a team)."""
    if services.installations is not None:
        services.installations.delete_all(enterprise_id=enterprise_id, team_id=None if org_install else team_id)


# --- deleting a team's data -----------------------------------------------------------


def purge_expired(services: Services) -> list[str]:
    """The clock's job: delete the data of workspaces uninstalled longer ago than the grace period."""
    try:
        with services.db.read() as session:
            due = store.due_for_purge(session, services.now())
        for team_id in due:
            purge_team(services, team_id)
    except OperationalError as error:  # busy or away: the next run does it
        log.warning(
            "could not delete the data of uninstalled workspaces: %s",
            type(error.orig).__name__ if error.orig else error,
        )
        return []
    return due


def purge_team(services: Services, team_id: str) -> dict[str, int]:
    """Delete everything the bot holds for `team_id` at once: its rows in every table and its
    own installation (an org-wide install, serving other workspaces too, is kept)."""
    with services.db.session(patient=True) as session:
        workspace = store.get(session, team_id)
        org_install = bool(workspace and workspace.org_install)
        enterprise_id = workspace.enterprise_id if workspace else None
        deleted = store.purge(session, team_id)
    if services.installations is not None and not org_install:
        services.installations.delete_all(enterprise_id=enterprise_id, team_id=team_id)
    log.info(
        "workspace %s: deleted its data (%s)",
        team_id,
        ", ".join(f"{table} {count}" for table, count in sorted(deleted.items())) or "nothing was left",
    )
    return deleted


def report(services: Services) -> list[store.Standing]:
    with services.db.read() as session:
        return store.report(session)
