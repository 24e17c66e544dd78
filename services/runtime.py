"""What every workflow needs: the database, the clock, defaults, the outbox's doorbell, and (with
multi-workspace installs) where each workspace's installation is kept."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from messages.links import PublicLinks
from services.mailer import Mailer
from services.webhooks import Webhook
from services.slackapi import UserDirectory
from storage import Database
from timemath import utcnow

if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store import InstallationStore

# How long an uninstalled workspace's data is kept before the clock deletes it.
UNINSTALL_GRACE = timedelta(days=30)


class Doorbell:
    """Wakes the delivery worker when a workflow has committed new outbox rows.

    In-process only: another process's worker finds them at its next poll.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def ring(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        rung = self._event.wait(timeout)
        self._event.clear()
        return rung


@dataclass
class Services:
    db: Database
    now: Callable[[], datetime] = utcnow
    default_timezone: str = "America/New_York"
    doorbell: Doorbell = field(default_factory=Doorbell)
    users: UserDirectory = field(default_factory=UserDirectory)
    # Multi-workspace installs (SLACK_CLIENT_ID): each workspace's bot token. None: the one
    # workspace of SLACK_BOT_TOKEN.
    installations: InstallationStore | None = None
    uninstall_grace: timedelta = UNINSTALL_GRACE
    # Workspaces of org-wide installs this process has already recorded (services.workspaces.seen).
    seen_workspaces: set[tuple[str, str | None]] = field(default_factory=set)
    links: PublicLinks | None = None  # to the public pages, when PUBLIC_BASE_URL is set
    mailer: Mailer | None = None  # SMTP_URL: emails to the public who sign up; None, none sent
    attendee_retention: timedelta = timedelta(days=90)  # public attendees' data is erased this long after their event
    webhook: Webhook | None = None  # WEBHOOK_URL: sign-ups and event changes POSTed there
