"""`organizer-bot db`: migrations."""

from __future__ import annotations

import argparse

from bot.commands import Command, add, log, open_database
from bot.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    db = add(commands, "db", Command(_db, logs_migrations=True), help="database migrations")
    actions = db.add_subparsers(dest="db_command", metavar="action", required=True)
    actions.add_parser("upgrade", help="apply migrations up to the latest")
    revision = actions.add_parser("revision", help="autogenerate a migration from the models (developers)")
    revision.add_argument("message")


def _db(settings: Settings, args) -> int:
    db = open_database(settings)
    if args.db_command == "upgrade":
        db.upgrade()
        log.info("database is up to date")
    else:
        db.revision(args.message)
    return 0
