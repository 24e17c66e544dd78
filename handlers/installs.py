"""The app's own lifecycle in a workspace: `app_uninstalled` and `tokens_revoked`.

Slack retries an event it thinks was not received; the workflows are idempotent. Bolt does
not check the (already revoked) token for these two events. An org-wide install's events
carry the organization: `is_enterprise_install`, and no workspace of their own.
"""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext

from handlers.common import services_of
from services import workspaces


def register(app: App) -> None:
    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)


def app_uninstalled(ack: Ack, context: BoltContext) -> None:
    ack()
    workspaces.uninstalled(services_of(context), **_installation(context))


def tokens_revoked(ack: Ack, event: dict, context: BoltContext) -> None:
    ack()
    bot_revoked = bool((event.get("tokens") or {}).get("bot"))
    workspaces.tokens_revoked(services_of(context), bot_revoked=bot_revoked, **_installation(context))


def _installation(context: BoltContext) -> dict:
    return {
        "team_id": context.team_id,
        "enterprise_id": context.enterprise_id,
        "org_install": bool(context.is_enterprise_install),
    }
