"""`organizer-bot manifest`: the Slack app manifest, for Socket Mode or an HTTP deployment."""

from __future__ import annotations

import argparse
import sys

from bot.commands import Command, add


def register(commands: argparse._SubParsersAction) -> None:
    manifest = add(
        commands, "manifest", Command(_print, needs_settings=False), help="print the Slack app manifest (JSON)"
    )
    manifest.add_argument(
        "--url", help="public base URL for HTTP mode and installs, e.g. https://bot.example.org; omit for Socket Mode"
    )


def _print(_settings: None, args) -> int:
    from bot.manifest import manifest_json

    sys.stdout.write(manifest_json(args.url))
    return 0
