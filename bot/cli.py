"""`organizer-bot`: run the bot, the web listener or the clock; migrate; print the manifest;
import events; load the demo; report on the workspaces served and delete one's data.

Each feature registers its own commands (bot/commands/); a serving process's life is in
bot/lifecycle.py, logging in bot/logs.py, the start-up check of Slack's tokens in bot/slackcheck.py.
"""

from __future__ import annotations

import argparse
import gc
import sys

from bot.commands import congress, content, database, events, manifest, processes, workspaces
from bot.logs import configure_logging
from bot.settings import SettingsError, load_settings
from bot.slackcheck import SlackAccessError

FEATURES = (processes, database, content, congress, events, workspaces, manifest)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command
    if command.serves:
        # Start-up builds hundreds of thousands of objects that live as long as the process and
        # makes almost no garbage (a few hundred objects): collecting while importing walks them
        # over and over, a tenth of the start-up. bot.lifecycle enables it again.
        gc.disable()
    if not command.needs_settings:
        return command.run(None, args)
    try:
        settings = load_settings(
            require_signing_secret=command.require_signing_secret, require_slack=command.require_slack
        )
        configure_logging(
            settings.log_level, migrations=command.logs_migrations
        )  # after load_settings: LOG_LEVEL may come from .env
        return command.run(settings, args)
    except (SettingsError, SlackAccessError) as error:
        print(f"organizer-bot: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="organizer-bot", description="Slack bot for coalition weeks of action.")
    commands = parser.add_subparsers(metavar="command")
    for feature in FEATURES:
        feature.register(commands)
    parser.set_defaults(command=processes.RUN)
    return parser
