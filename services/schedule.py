"""The clock's job: hand due reminders, digests and post-event questions to the outbox. The
delivery worker sends them."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from services import digests, reports
from services.runtime import Services
from storage import reminders

log = logging.getLogger(__name__)
BATCH = 1000


def queue_due_work(services: Services) -> int:
    """Queue everything due now, a batch per transaction; returns how many rows were queued."""
    queued = 0
    try:
        with services.db.session(patient=True) as session:
            queued += digests.queue_due(session, services.now(), BATCH)
        for queue in (reminders.queue_due, reports.queue_due):
            while True:
                with services.db.session(patient=True) as session:
                    count = queue(session, services.now(), BATCH)
                queued += count
                if count < BATCH:
                    break
    except OperationalError as error:  # busy or away: the next tick picks up where this one stopped
        log.warning("could not queue due work: %s", type(error.orig).__name__ if error.orig else error)
    if queued:
        services.doorbell.ring()
    return queued
