"""`organizer-bot congress load DIR`: newer members of Congress and ZIP code districts, from newer
copies of the source files (storage/congress_sources.py says which)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.commands import Command, add, log
from bot.settings import Settings, SettingsError


def register(commands: argparse._SubParsersAction) -> None:
    congress = add(commands, "congress", Command(_load), help="the members of Congress by ZIP code")
    actions = congress.add_subparsers(dest="congress_command", metavar="action", required=True)
    load = actions.add_parser(
        "load", help="newer copies of the source files (see storage/congress_sources.py) into CONGRESS_DATA_DIR"
    )
    load.add_argument("sources", type=Path, help="the directory of legislators-*.yaml and zccd.csv")


def _load(settings: Settings, args) -> int:
    """Build the data files from newer sources into CONGRESS_DATA_DIR; processes read them from their next start."""
    from storage.congress_sources import SourceError, build, write

    if settings.congress_data_dir is None:
        raise SettingsError("set CONGRESS_DATA_DIR to the directory the bot reads newer members of Congress data from")
    try:
        files = build(args.sources)
    except (SourceError, OSError) as error:
        print(f"organizer-bot: cannot load {args.sources}: {error}", file=sys.stderr)
        return 2
    write(files, settings.congress_data_dir)
    for name, text in files.items():
        log.info("wrote %s: %d lines", settings.congress_data_dir / name, len(text.splitlines()) - 1)
    log.info("restart the bot's processes (web, clock) to use them")
    return 0
