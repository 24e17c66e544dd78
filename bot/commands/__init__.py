"""The command line's features, each registering its own commands (as Flask blueprints do):
`register(commands)` adds its subcommands, each carrying the `Command` that runs it."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from bot.settings import Settings

log = logging.getLogger("organizer-bot")


@dataclass(frozen=True)
class Command:
    """What a subcommand runs, and what it needs before it runs."""

    run: Callable[[Settings, argparse.Namespace], int]
    needs_settings: bool = True  # False: runs with none at all (`run` then gets None)
    serves: bool = False  # a long-running process: start-up runs with garbage collection off
    require_slack: bool = False  # refuse to start without Slack settings
    require_signing_secret: bool = False  # in HTTP mode
    logs_migrations: bool = False  # Alembic's line per migration belongs to `db upgrade`


def add(commands: argparse._SubParsersAction, name: str, command: Command, **options) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, **options)
    parser.set_defaults(command=command)
    return parser


def open_database(settings: Settings):
    from storage import Database
    from storage.db import Timeouts

    if settings.database_url.startswith("sqlite") and os.environ.get("DYNO"):
        log.warning("SQLite on a dyno loses every event at each restart: set DATABASE_URL to PostgreSQL")
    timeouts = Timeouts(
        connect=settings.database_connect_timeout,
        statement_ms=settings.database_statement_timeout_ms,
        sqlite_busy_ms=settings.sqlite_busy_timeout_ms,
    )
    return Database(settings.database_url, timeouts)


def upgraded_services(settings: Settings):
    """The workflows on an up-to-date database: `demo` is often the first command a newcomer runs."""
    from bot.app import make_services

    db = open_database(settings)
    db.upgrade()
    return make_services(settings, db)
