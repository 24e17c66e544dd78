"""Logging for every command: one line per entry, libraries' routine chatter left out."""

from __future__ import annotations

import logging

# Library loggers whose INFO lines repeat or tell an operator nothing: APScheduler says
# "Running job" and "executed successfully" at every poll; Alembic lists its plugins.
QUIET_AT_INFO = ("apscheduler.executors.default", "alembic.runtime.plugins")
# Alembic's line per migration: the release phase's record, seventeen lines of noise in a demo.
MIGRATIONS_LOG = "alembic.runtime.migration"


class OneLineFormatter(logging.Formatter):
    """Each entry on one line: a newline in a logged value (an id from a request, an error's
    text) must not forge a second entry. A traceback, when a record carries one, follows."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record).replace("\r", "\\r").replace("\n", "\\n")


LOG_FORMAT = OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def configure_logging(level: int, *, migrations: bool = False) -> None:
    """`migrations`: say each migration as it runs (`db upgrade`); elsewhere only that they ran."""
    handler = logging.StreamHandler()
    handler.setFormatter(LOG_FORMAT)
    logging.basicConfig(level=level, handlers=[handler])
    for name in QUIET_AT_INFO + (() if migrations else (MIGRATIONS_LOG,)):
        logging.getLogger(name).setLevel(level if level <= logging.DEBUG else max(level, logging.WARNING))
