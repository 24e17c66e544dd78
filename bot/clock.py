"""The background workers of a process: APScheduler as the clock that queues due work, and the
outbox's delivery worker that sends it. The database stays the source of truth."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.app import make_client
from bot.settings import Settings
from services import Services
from services.delivery import Deliverer
from services.schedule import prune_outbox, queue_due_work
from services.workspaces import purge_expired
from timemath import utcnow

QUEUE_JOB = "queue_due_work"
PURGE_JOB = "purge_uninstalled"
PURGE_EVERY = timedelta(hours=1)
PRUNE_JOB = "prune_outbox"


def make_scheduler() -> BackgroundScheduler:
    """A scheduler whose jobs never pile up and are not dropped for starting a little late.

    APScheduler's default misfire grace of 1 s would silently skip a run delayed by a busy
    process; coalescing folds missed runs into one, since every run catches up on all due work.
    """
    return BackgroundScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    )


def install_jobs(scheduler: BackgroundScheduler, settings: Settings, services: Services) -> None:
    """Every REMINDER_POLL_SECONDS, hand due reminders and digests to the outbox; every hour,
    delete the data of workspaces uninstalled longer ago than UNINSTALL_GRACE_DAYS, and outbox
    rows finished longer ago than services.schedule.OUTBOX_RETENTION (all at start too)."""
    scheduler.add_job(
        queue_due_work,
        "interval",
        args=[services],
        seconds=settings.reminder_poll_seconds,
        id=QUEUE_JOB,
        replace_existing=True,
        next_run_time=utcnow(),
    )
    scheduler.add_job(
        purge_expired,
        "interval",
        args=[services],
        seconds=PURGE_EVERY.total_seconds(),
        id=PURGE_JOB,
        replace_existing=True,
        next_run_time=utcnow(),
    )
    scheduler.add_job(
        prune_outbox,
        "interval",
        args=[services],
        seconds=PURGE_EVERY.total_seconds(),
        id=PRUNE_JOB,
        replace_existing=True,
        next_run_time=utcnow(),
    )


def make_deliverer(settings: Settings, services: Services) -> Deliverer:
    """The outbox worker. Its claims are short (services.delivery.LEASE, renewed while it works),
    whatever the poll interval: the rows of a process that died are taken over within seconds."""
    return Deliverer(services, make_client(settings))
