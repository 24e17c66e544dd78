"""What every listener shares: the services it calls, and recognising a request for help."""

from __future__ import annotations

import logging

from slack_bolt import BoltContext

from messages import errors as error_text
from services import Services
from storage.db import driver_message, unavailable

log = logging.getLogger(__name__)


def services_of(context: BoltContext) -> Services:
    return context["services"]


def command_help_text(text: str) -> bool:
    return text.strip().lower() in ("help", "-h", "--help", "?")


def cannot_save(error: Exception) -> str | None:
    """When `error` says the database cannot be used right now (down, busy, full, read-only,
    damaged): one WARNING line saying why, and the apology to show. None for any other error (a
    bug), which the caller raises again for the global error handler."""
    reason = unavailable(error)
    if reason is None:
        return None
    log.warning("database %s (%s): a submission was not saved", reason, driver_message(error))
    return error_text.cannot_save_now()
