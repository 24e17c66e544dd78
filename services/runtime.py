"""What every workflow needs: the database, the clock, defaults, the outbox's doorbell, and (with
multi-workspace installs) where each workspace's installation is kept."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from messages.links import PublicLinks
from services.mailer import Mailer
from services.slackapi import UserDirectory
from services.webhooks import Webhook
from storage import Database
from storage.db import database_time
from timemath import utcnow

if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store import InstallationStore

log = logging.getLogger(__name__)

# How long an uninstalled workspace's data is kept before the clock deletes it.
UNINSTALL_GRACE = timedelta(days=30)
# How often a process reads the database's time again (its own monotonic clock carries it meanwhile).
RESYNC_SECONDS = 60.0
# A process clock further than this from the database's is logged, at start and every WARN_EVERY.
SKEW_WARNING = timedelta(minutes=1)
WARN_EVERY_SECONDS = 3600.0


class DatabaseClock:
    """The database's time, as every process's `now`: due times, leases, whether an event has
    started and how late a post is are judged by one clock, whatever the processes' own clocks say.

    Read from the database every RESYNC_SECONDS and carried forward meanwhile by the monotonic
    clock, so a process whose wall clock jumps carries on unmoved. While the database cannot be
    reached, the last reading is carried on (or, before any, the process's own clock is used).
    """

    def __init__(
        self,
        db: Database,
        *,
        process_clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db, self._process_clock, self._monotonic = db, process_clock, monotonic
        self._reading: tuple[datetime, float] | None = (
            None  # the database's time, and the monotonic time it was read at
        )
        self._next_read = 0.0
        self._warned_at: float | None = None
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        reading = self._reading
        if reading is None or self._monotonic() >= self._next_read:
            reading = self._read()
        if reading is None:
            return self._process_clock()
        at, read_at = reading
        return at + timedelta(seconds=self._monotonic() - read_at)

    def _read(self) -> tuple[datetime, float] | None:
        with self._lock:
            if self._reading is not None and self._monotonic() < self._next_read:
                return self._reading  # another thread has just read it
            before = self._monotonic()
            try:
                with self._db.read() as session:
                    at = database_time(session)
            except SQLAlchemyError as error:
                log.warning(
                    "could not read the database's time (%s); carrying on with the last reading", type(error).__name__
                )
                self._next_read = before + 5
                return self._reading
            after = self._monotonic()
            self._reading, self._next_read = (at, (before + after) / 2), after + RESYNC_SECONDS
            self._check_skew(at, after)
            return self._reading

    def _check_skew(self, database_now: datetime, read_at: float) -> None:
        skew = self._process_clock() - database_now
        if abs(skew) <= SKEW_WARNING:
            return
        if self._warned_at is None or read_at - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = read_at
            log.warning(
                "this machine's clock is %+d s off the database's: the database's time is used for "
                "everything scheduled; set the machine's clock right (NTP)",
                round(skew.total_seconds()),
            )


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
