"""`organizer-bot import` and `organizer-bot demo`: events from a file, or the Day of Action's listings."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.commands import Command, add, upgraded_services
from bot.settings import LOCAL_TEAM_ID, Settings, SettingsError
from bot.slackcheck import BOT_TOKEN, call_slack, checking_client, is_placeholder

# Who registers the demo's events in the local workspace (bot.settings.LOCAL_TEAM_ID).
LOCAL_USER_ID = "ULOCAL"


def register(commands: argparse._SubParsersAction) -> None:
    imports = add(
        commands, "import", Command(_import), help="import events from a CSV of /event export or a text of listings"
    )
    imports.add_argument(
        "file", help="a .csv file as /event export writes it, or any other file: listings as on the Day of Action page"
    )
    imports.add_argument("--dry-run", action="store_true", help="read and check everything, save nothing")
    imports.add_argument(
        "--skip-unreadable",
        action="store_true",
        help="import what can be read even when some entries cannot (they are reported)",
    )
    imports.add_argument(
        "--timezone", metavar="ZONE", help="for listings that name no time zone (default: DEFAULT_TIMEZONE)"
    )
    imports.add_argument(
        "--campaign",
        metavar="CAMPAIGN",
        help="put every event in this campaign (slug, name or #hashtag); default: the one running on each event's date",
    )
    demo = add(
        commands,
        "demo",
        Command(_demo),
        help="load the Day of Action's listings, moved to coming dates, to try the bot",
    )
    for command in (imports, demo):
        command.add_argument(
            "--team",
            metavar="TEAM_ID",
            help=f"the workspace (default: the bot token's, asked with auth.test; "
            f"without SLACK_BOT_TOKEN, {LOCAL_TEAM_ID}, the one the public pages show)",
        )
        command.add_argument(
            "--user",
            metavar="USER_ID",
            help="who registers the events (may edit them); default: the bot itself, so admins manage them",
        )
        command.add_argument(
            "--channel", metavar="CHANNEL_ID", help="announce each event there with a card (default: not announced)"
        )


def _import(settings: Settings, args) -> int:
    """Events from a file, all or nothing (services.imports), with a progress bar and a report."""
    from messages.listings import import_summary, unplaced_report, unreadable_report
    from messages.mrkdwn import plain
    from services import campaigns, imports, listings
    from timemath import is_valid_timezone, local_date

    zone = args.timezone or settings.default_timezone
    if not is_valid_timezone(zone):
        raise SettingsError(f"--timezone {zone!r} is not an IANA time zone (e.g. America/Chicago)")
    services = upgraded_services(settings)
    try:
        entries = imports.read_file(Path(args.file), default_timezone=zone, today=local_date(services.now(), zone))
    except (OSError, UnicodeDecodeError, listings.NotAnExport) as error:
        print(f"organizer-bot: cannot import {args.file}: {error}", file=sys.stderr)
        return 2
    team_id, user_id, channel_id, private = _registration(settings, services, args)
    campaign = campaigns.named(services, team_id, args.campaign) if args.campaign else None
    if isinstance(campaign, str):
        raise SettingsError(f"--campaign: {plain(campaign)}")
    report = _saving(
        lambda: imports.import_entries(
            services,
            team_id,
            user_id,
            entries,
            channel_id=channel_id,
            private_channel=private,
            campaign_slug=campaign and campaign.slug,
            dry_run=args.dry_run,
            skip_unreadable=args.skip_unreadable,
            progress=_progress_bar,
        )
    )
    if report is None:
        return 1
    if report.unreadable:
        print(unreadable_report([(u.entry.line, u.entry.title, u.reasons) for u in report.unreadable]))
    if report.unplaced:
        print(unplaced_report([(u.entry.line, u.entry.title, u.entry.values.city, u.states) for u in report.unplaced]))
    print(
        import_summary(
            read=report.read,
            ready=report.ready,
            saved=len(report.saved),
            already=len(report.already),
            unreadable=len(report.unreadable),
            dry_run=report.dry_run,
            stopped=report.stopped,
            channel_id=channel_id,
            first_day=report.first_day,
            last_day=report.last_day,
        )
    )
    return 1 if report.stopped else 0


def _demo(settings: Settings, args) -> int:
    """The Day of Action's listings on coming dates, for a newcomer; running it again adds nothing."""
    from messages.listings import demo_summary
    from services import imports

    services = upgraded_services(settings)
    team_id, user_id, channel_id, private = _registration(settings, services, args)
    report = _saving(
        lambda: imports.load_demo(
            services, team_id, user_id, channel_id=channel_id, private_channel=private, progress=_progress_bar
        )
    )
    if report is None:
        return 1
    print(
        demo_summary(
            saved=len(report.saved),
            already=len(report.already),
            left_out=len(report.unreadable),
            first_day=report.first_day,
            last_day=report.last_day,
        )
    )
    return 0


def _registration(settings: Settings, services, args) -> tuple[str, str, str | None, bool]:
    """(team, user, channel, whether the channel is private) for imported events: --team and --user,
    else the bot token's workspace and the bot itself (auth.test); with several workspaces
    installed, --team names one and its installation's token is used. A private channel makes
    the events private, as in the modal."""
    from bot.app import make_client
    from services import workspaces
    from services.slackapi import is_private_channel

    channel = args.channel
    if channel is not None and not re.fullmatch(r"[CG][A-Z0-9]{1,31}", channel):
        raise SettingsError(f"--channel takes a channel id such as C0123ABC (channel details > About), got {channel!r}")
    team_id, user_id = args.team, args.user
    if not settings.multi_workspace and (settings.bot_token is None or is_placeholder(settings.bot_token)):
        if channel is not None:
            raise SettingsError("--channel needs Slack: set SLACK_BOT_TOKEN in .env (README, Quick start)")
        # No Slack yet: the local workspace, which the public site serves without Slack.
        return team_id or LOCAL_TEAM_ID, user_id or LOCAL_USER_ID, None, False
    if team_id is None:
        if settings.multi_workspace:
            raise SettingsError("--team is needed: the bot serves several workspaces (organizer-bot teams lists them)")
        identity = call_slack(
            lambda: checking_client(settings).auth_test(token=settings.bot_token), BOT_TOKEN, settings.slack_api_url
        )
        team_id, user_id = identity["team_id"], user_id or identity["user_id"]
    if user_id is not None and channel is None:
        return team_id, user_id, None, False
    client = workspaces.client_for(services, make_client(settings), team_id)
    if client is None:
        raise SettingsError(f"workspace {team_id} has no working installation: see organizer-bot teams")
    if user_id is None:
        user_id = call_slack(client.auth_test, BOT_TOKEN, settings.slack_api_url)["user_id"]
    return team_id, user_id, channel, channel is not None and is_private_channel(client, channel)


def _saving(work: Callable):
    """Run an import; if the database fails it, say so in one line (its one transaction saved nothing)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return work()
    except SQLAlchemyError as error:
        print(
            f"organizer-bot: the database refused the import ({type(error).__name__}); nothing was saved",
            file=sys.stderr,
        )
        return None


def _progress_bar(items: list, doing: str) -> Iterable:
    """A progress bar on a terminal (tqdm); nothing when the output goes to a file or a pipe."""
    from tqdm import tqdm

    return tqdm(items, desc=doing, unit=" entries", disable=None)
