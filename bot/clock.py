"""The clock: APScheduler drives the periodic work; the database stays the source of truth."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

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
