"""`organizer-bot teams` and `purge-team`: the workspaces served, and deleting one's data."""

from __future__ import annotations

import argparse
import re
import sys

from bot.commands import Command, add, open_database
from bot.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    add(
        commands,
        "teams",
        Command(_teams),
        help="the workspaces served: whether their token works, posts held, when an uninstalled one's data goes",
    )
    purge = add(
        commands,
        "purge-team",
        Command(_purge_team),
        help="delete everything the bot holds for a workspace, now (its installation too)",
    )
    purge.add_argument("team", metavar="TEAM_ID", type=_team_id, help="the workspace's id, e.g. T0123ABCD")
    # Before any settings: it makes the one that installs may lack.
    add(
        commands,
        "keygen",
        Command(_keygen, needs_settings=False),
        help="print a new key for TOKEN_ENCRYPTION_KEY (README, One workspace or many)",
    )


def _keygen(_settings: None, _args) -> int:
    """A Fernet key, for TOKEN_ENCRYPTION_KEY: to rotate, put it first and keep the old one after it."""
    from cryptography.fernet import Fernet

    print(Fernet.generate_key().decode())
    return 0


def _team_id(text: str) -> str:
    if not re.fullmatch(r"[A-Z0-9]{2,32}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a Slack workspace id (like T0123ABCD)")
    return text


def _teams(settings: Settings, args) -> int:
    """One line a workspace the bot has a record of (with installs, every one installed)."""
    from bot.app import make_services
    from services import workspaces

    standings = workspaces.report(make_services(settings, open_database(settings)))
    for standing in standings:
        sys.stdout.write(_standing_line(standing) + "\n")
    if not standings:
        sys.stdout.write("no workspace has been installed or has had a problem yet\n")
    return 0


def _standing_line(standing) -> str:
    workspace = standing.workspace
    org = f" (org-wide install of {workspace.enterprise_id})" if workspace.org_install else ""
    line = f"{workspace.team_id}{org}: {workspace.status}"
    if workspace.problem:
        line += f" ({workspace.problem}) since {workspace.changed_at:%Y-%m-%d %H:%M} UTC"
    if standing.held:
        line += f"; {standing.held} posts held until it is reinstalled"
    if workspace.purge_after:
        line += f"; its data is deleted after {workspace.purge_after:%Y-%m-%d %H:%M} UTC (now: organizer-bot purge-team {workspace.team_id})"
    return line


def _purge_team(settings: Settings, args) -> int:
    """What was deleted is logged, table by table."""
    from bot.app import make_services
    from services import workspaces

    workspaces.purge_team(make_services(settings, open_database(settings)), args.team)
    return 0
