"""`organizer-bot run`, `web` and `clock`: the serving processes (Procfile), each checking
Slack's tokens before it says it is running."""

from __future__ import annotations

import argparse

from bot.commands import Command, add, log, open_database
from bot.lifecycle import serve_until_stopped
from bot.settings import Settings, SettingsError
from bot.slackcheck import check_slack_access, until_slack_answers


def register(commands: argparse._SubParsersAction) -> None:
    add(commands, "run", RUN, help="the whole bot in one process (default): listener and scheduler")
    add(
        commands,
        "web",
        Command(_web, serves=True, require_signing_secret=True),
        help="the HTTP listener (without Slack settings, the public pages alone)",
    )
    add(
        commands,
        "clock",
        Command(_clock, serves=True, require_slack=True),
        help="the scheduler and a delivery worker (one is enough; a second is harmless)",
    )


def _run(settings: Settings, args) -> int:
    """Everything in one process: the embedded default, so it also brings the schema up to date."""
    identity = _slack_identity(settings, socket_mode=settings.socket_mode)
    db = open_database(settings)
    db.upgrade()  # cheap when up to date; in production the release phase has already done it
    return serve_until_stopped(settings, db, identity, listen=True, schedule=settings.run_scheduler)


def _web(settings: Settings, args) -> int:
    """The HTTP listener (Procfile `web`), with a delivery worker so cards go out at once.
    Migrations belong to the release phase."""
    if settings.slack_configured and settings.signing_secret is None:
        raise SettingsError("SLACK_SIGNING_SECRET is required for the HTTP listener (web)")
    identity = _slack_identity(settings, socket_mode=False, http_only=True)
    return serve_until_stopped(
        settings, open_database(settings), identity, listen=True, schedule=False, socket_mode=False
    )


def _clock(settings: Settings, args) -> int:
    # Started during a Slack outage (a deploy), it waits for Slack: nothing would restart it.
    identity = until_slack_answers(lambda: _slack_identity(settings, socket_mode=False))
    return serve_until_stopped(settings, open_database(settings), identity, listen=False, schedule=True)


def _slack_identity(settings: Settings, *, socket_mode: bool, http_only: bool = False) -> dict | None:
    """What auth.test says of the bot token (None with installs, or without Slack), after
    checking that Slack takes the tokens; then the one line saying how Slack is served."""
    identity = check_slack_access(settings, socket_mode=socket_mode) if settings.slack_configured else None
    log.info("serving %s", settings.mode(http_only=http_only))
    return identity


RUN = Command(_run, serves=True, require_slack=True, require_signing_secret=True)
