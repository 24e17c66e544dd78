"""What every workflow needs: the database, the clock, defaults, and the outbox's doorbell."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from messages.links import PublicLinks
from services.slackapi import UserDirectory
from storage import Database
from timemath import utcnow


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
    links: PublicLinks | None = None  # to the public pages, when PUBLIC_BASE_URL is set
