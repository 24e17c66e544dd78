"""The clock's job: hand due reminders, digests and post-event questions to the outbox (the
delivery worker sends them), and erase public attendees' data once it is kept no longer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from services import digests, reports
from services.runtime import Services
from storage import reminders, signups

log = logging.getLogger(__name__)
BATCH = 1000


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
