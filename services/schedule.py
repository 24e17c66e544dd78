"""The clock's job: hand due reminders, digests and post-event questions to the outbox (the
delivery worker sends them), and erase public attendees' data once it is kept no longer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from services import digests, reports
from services.runtime import Services
from storage import outbox, reminders, signups
from storage.db import database_time

log = logging.getLogger(__name__)
BATCH = 1000
# Finished outbox rows (sent, failed, cancelled, skipped) are kept this long, then pruned.
OUTBOX_RETENTION = timedelta(days=30)
# Rows deleted per transaction: each holds its locks briefly.
PRUNE_BATCH = 500
# A channel idle this long loses its pace row (made again when it next has a post).
IDLE_CHANNEL = timedelta(hours=1)


def queue_due_work(services: Services) -> int:
    """Queue everything due now, a batch per transaction; returns how many rows were queued."""
    queued = 0
    try:
        queued += _queue_batch(services, digests.queue_due)
        for queue in (reminders.queue_due, reports.queue_due):
            while count := _queue_batch(services, queue):
                queued += count
                if count < BATCH:
                    break
        _erase_past_attendees(services)
    except OperationalError as error:  # busy or away: the next tick picks up where this one stopped
        log.warning("could not queue due work: %s", type(error.orig).__name__ if error.orig else error)
    return queued


def _erase_past_attendees(services: Services) -> None:
    """Public attendees' personal data, ATTENDEE_RETENTION_DAYS after their event, a batch per transaction."""
    while True:
        with services.db.session(patient=True) as session:
            now = services.now()
            erased = signups.erase_ended_before(session, now - services.attendee_retention, BATCH, now)
        if erased:
            log.info("erased the personal data of %d public attendees of past events", erased)
        if erased < BATCH:
            return


def _queue_batch(services: Services, queue_due: Callable[[Session, datetime, int], int]) -> int:
    """One batch in one transaction. The delivery worker is rung once it is committed, so it
    sends the first batch while the next ones are being queued."""
    with services.db.session(patient=True) as session:
        count = queue_due(session, services.now(), BATCH)
    if count:
        services.doorbell.ring()
    return count


def prune_outbox(services: Services, *, batch: int = PRUNE_BATCH) -> int:
    """Delete finished outbox rows older than OUTBOX_RETENTION, a batch per transaction, and
    the pace rows of channels idle for IDLE_CHANNEL; returns how many rows were deleted."""
    pruned = 0
    try:
        while count := _prune_batch(services, batch):
            pruned += count
            if count < batch:
                break
        with services.db.session(patient=True) as session:
            outbox.forget_idle_channels(session, database_time(session) - IDLE_CHANNEL)
    except OperationalError as error:  # busy or away: the next run picks up where this one stopped
        log.warning("could not prune the outbox: %s", type(error.orig).__name__ if error.orig else error)
    if pruned:
        log.info("pruned %s outbox rows older than %s days", pruned, OUTBOX_RETENTION.days)
    return pruned


def _prune_batch(services: Services, batch: int) -> int:
    with services.db.session(patient=True) as session:
        return outbox.prune(session, services.now() - OUTBOX_RETENTION, batch)
