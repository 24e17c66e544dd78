"""The clock: APScheduler drives the periodic work; the database stays the source of truth."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.app import make_client
from bot.dispatch import Dispatcher
from bot.settings import Settings
from storage import Database
from timemath import utcnow

log = logging.getLogger(__name__)


def make_scheduler(*, blocking: bool) -> BackgroundScheduler:
    """A scheduler whose jobs never pile up and are not dropped for starting a little late.

    APScheduler's default misfire grace of 1 s would silently skip a run delayed by a busy
    process; coalescing folds missed runs into one, since every run catches up on all due work.
    """
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    return scheduler_class(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )


DISPATCH_JOB = "dispatch"


def install_jobs(scheduler: BackgroundScheduler, settings: Settings, db: Database) -> None:
    """The one periodic job: every REMINDER_POLL_SECONDS, post due reminders and digests.

    Used by both `organizer-bot clock` and `organizer-bot run`. The client comes from
    bot.app.make_client, so SLACK_API_URL and the 429 Retry-After handler apply.
    """
    dispatcher = Dispatcher(make_client(settings), db)
    scheduler.add_job(
        dispatcher.run_once,
        "interval",
        seconds=settings.reminder_poll_seconds,
        id=DISPATCH_JOB,
        replace_existing=True,
        next_run_time=utcnow(),  # catch up at start-up rather than one interval later
    )
