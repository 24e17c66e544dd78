"""`organizer-bot`: run the bot, the web listener or the clock; migrate; print the manifest;
import events from a file; load the demo; report on the workspaces served and delete one's data."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bot.settings import APPS_PAGE, Settings, SettingsError, load_settings

log = logging.getLogger("organizer-bot")
# Library loggers whose INFO lines repeat or tell an operator nothing: APScheduler says
# "Running job" and "executed successfully" at every poll; Alembic lists its plugins.
QUIET_AT_INFO = ("apscheduler.executors.default", "alembic.runtime.plugins")
# The commands that talk to Slack: they check its tokens before saying they are running.
SLACK_COMMANDS = ("run", "web", "clock")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in SLACK_COMMANDS:
        # Start-up builds hundreds of thousands of objects that live as long as the process and
        # makes almost no garbage (a few hundred objects): collecting while importing walks them
        # over and over, a tenth of the start-up. _serve_until_stopped enables it again.
        gc.disable()
    if args.command == "manifest":
        from bot.manifest import manifest_json

        sys.stdout.write(manifest_json(args.url))
        return 0
    try:
        settings = load_settings(require_signing_secret=args.command in ("run", "web"))
        if args.command == "web" and settings.signing_secret is None:
            raise SettingsError("SLACK_SIGNING_SECRET is required for the HTTP listener (web)")
        configure_logging(settings.log_level)  # after load_settings, which reads LOG_LEVEL from .env too
        if args.command in SLACK_COMMANDS:
            args.bot_identity = check_slack_access(settings, socket_mode=args.command == "run" and settings.socket_mode)
        return COMMANDS[args.command](settings, args)
    except (SettingsError, SlackAccessError) as error:
        print(f"organizer-bot: {error}", file=sys.stderr)
        return 2


class OneLineFormatter(logging.Formatter):
    """Each entry on one line: a newline in a logged value (an id from a request, an error's
    text) must not forge a second entry. A traceback, when a record carries one, follows."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record).replace("\r", "\\r").replace("\n", "\\n")


LOG_FORMAT = OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def configure_logging(level: int) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(LOG_FORMAT)
    logging.basicConfig(level=level, handlers=[handler])
    for name in QUIET_AT_INFO:
        logging.getLogger(name).setLevel(level if level <= logging.DEBUG else max(level, logging.WARNING))


class SlackAccessError(Exception):
    """Slack will not take a token, or cannot be reached; worded for the person starting the bot."""


@dataclass(frozen=True)
class _Token:
    variable: str
    source: str  # where in the app's settings page it is found
    renewal: str  # how to get a working one when it was revoked


BOT_TOKEN = _Token(
    "SLACK_BOT_TOKEN",
    "OAuth & Permissions > Bot User OAuth Token",
    "reinstall the app (Install App > Reinstall to Workspace) and copy the new Bot User OAuth Token into .env",
)
APP_TOKEN = _Token(
    "SLACK_APP_TOKEN",
    "Basic Information > App-Level Tokens",
    "generate a new app-level token with the connections:write scope (Basic Information > App-Level Tokens) and put it in .env",
)
# `xoxb-your-bot-token` and the like; a real token carries long numeric ids.
PLACEHOLDER = re.compile(r"your|x{4,}|\.\.\.|…|<|>|\*{3}|change.?me", re.IGNORECASE)
REVOKED = frozenset({"token_revoked", "token_expired", "account_inactive", "team_disabled"})
REFUSED = frozenset({"invalid_auth", "not_authed", "not_allowed_token_type"})
CHECK_TIMEOUT = 10  # seconds for each start-up call to Slack


def check_slack_access(settings: Settings, *, socket_mode: bool) -> dict | None:
    """Refuse to start, in one line naming the fix, when Slack will not take the tokens:
    `auth.test` for the bot token and, in Socket Mode, `apps.connections.open` for the app token.
    Returns what auth.test says of the bot token (its workspace); None with multi-workspace
    installs, whose tokens come from each install."""
    if settings.bot_token is None:
        return None
    tokens = [(BOT_TOKEN, settings.bot_token)] + ([(APP_TOKEN, settings.app_token or "")] if socket_mode else [])
    for token, value in tokens:
        if PLACEHOLDER.search(value) and not re.search(r"[0-9]{6}", value):
            raise SlackAccessError(
                f"{token.variable} is still a placeholder: paste the real token from {APPS_PAGE} > your app > {token.source} into .env"
            )
    client = _checking_client(settings)
    identity = _call_slack(lambda: client.auth_test(token=settings.bot_token), BOT_TOKEN, settings.slack_api_url)
    if socket_mode:
        _call_slack(lambda: client.apps_connections_open(app_token=settings.app_token), APP_TOKEN, settings.slack_api_url)
    return identity.data


def _checking_client(settings: Settings):
    """No retries: a refused connection is the answer. slack_sdk logs it at ERROR before raising
    it; the exception alone becomes the one line."""
    from slack_sdk import WebClient

    quiet = logging.getLogger(f"{__name__}.slack_check")
    quiet.disabled = True
    return WebClient(base_url=settings.slack_api_url, timeout=CHECK_TIMEOUT, retry_handlers=[], logger=quiet)


def _call_slack(call: Callable[[], object], token: _Token, api_url: str):
    """What `call` answers, or a SlackAccessError worded for the person at the terminal."""
    from slack_sdk.errors import SlackApiError

    try:
        return call()
    except SlackApiError as error:
        code = error.response.data.get("error") if isinstance(error.response.data, dict) else None
        raise SlackAccessError(_refusal(token, code, error.response.status_code, api_url)) from None
    except OSError as error:  # refused, unresolvable, timed out
        reason = getattr(error, "reason", None) or error
        raise SlackAccessError(f"cannot reach Slack at {api_url} ({reason}): check the network, any proxy, and SLACK_API_URL") from None


def _refusal(token: _Token, code: str | None, status: int, api_url: str) -> str:
    if code in REVOKED:
        return f"{token.variable} no longer works ({code}): {token.renewal} (at {APPS_PAGE})"
    if code in REFUSED:
        return f"Slack does not accept {token.variable} ({code}): copy it again, whole and without quotes, from {APPS_PAGE} > your app > {token.source}"
    if code == "missing_scope":
        return f"{token.variable} lacks a scope it needs ({code}): {token.renewal}"
    if code is None or not re.fullmatch(r"[a-z0-9_]+", code):  # slack_sdk words a non-JSON answer as the error
        return f"{api_url} answered HTTP {status}, not as Slack's API does: check SLACK_API_URL"
    return f"Slack refused to check {token.variable} ({code}): try again in a minute; https://status.slack.com says whether Slack is down"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="organizer-bot", description="Slack bot for coalition weeks of action.")
    sub = parser.add_subparsers(dest="command", metavar="command")
    sub.add_parser("run", help="the whole bot in one process (default): listener and scheduler")
    sub.add_parser("web", help="the HTTP listener only")
    sub.add_parser("clock", help="the scheduler and a delivery worker (one is enough; a second is harmless)")
    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", metavar="action", required=True)
    db_sub.add_parser("upgrade", help="apply migrations up to the latest")
    revision = db_sub.add_parser("revision", help="autogenerate a migration from the models (developers)")
    revision.add_argument("message")
    content = sub.add_parser("content", help="toolkits, sample posts and campaigns")
    content_sub = content.add_subparsers(dest="content_command", metavar="action", required=True)
    load = content_sub.add_parser("load", help="(re)load the shipped content files; team-added posts, notes and campaigns are kept")
    load.add_argument("--team", action="append", dest="teams", metavar="TEAM_ID", help="a Slack team id (repeatable); default: every team that has content")
    imports = sub.add_parser("import", help="import events from a CSV of /event export or a text of listings")
    imports.add_argument("file", help="a .csv file as /event export writes it, or any other file: listings as on the Day of Action page")
    imports.add_argument("--dry-run", action="store_true", help="read and check everything, save nothing")
    imports.add_argument("--skip-unreadable", action="store_true", help="import what can be read even when some entries cannot (they are reported)")
    imports.add_argument("--timezone", metavar="ZONE", help="for listings that name no time zone (default: DEFAULT_TIMEZONE)")
    imports.add_argument("--campaign", metavar="CAMPAIGN", help="put every event in this campaign (slug, name or #hashtag); default: the one running on each event's date")
    demo = sub.add_parser("demo", help="load the Day of Action's listings, moved to coming dates, to try the bot")
    for command in (imports, demo):
        command.add_argument("--team", metavar="TEAM_ID", help="the workspace (default: the bot token's, asked with auth.test)")
        command.add_argument("--user", metavar="USER_ID", help="who registers the events (may edit them); default: the bot itself, so admins manage them")
        command.add_argument("--channel", metavar="CHANNEL_ID", help="announce each event there with a card (default: not announced)")
    manifest = sub.add_parser("manifest", help="print the Slack app manifest (JSON)")
    manifest.add_argument("--url", help="public base URL for HTTP mode and installs, e.g. https://bot.example.org; omit for Socket Mode")
    sub.add_parser("teams", help="the workspaces served: whether their token works, posts held, when an uninstalled one's data goes")
    purge = sub.add_parser("purge-team", help="delete everything the bot holds for a workspace, now (its installation too)")
    purge.add_argument("team", metavar="TEAM_ID", type=_team_id, help="the workspace's id, e.g. T0123ABCD")
    parser.set_defaults(command="run")
    return parser


def _database(settings: Settings):
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


def _run(settings: Settings, args) -> int:
    """Everything in one process: the embedded default, so it also brings the schema up to date."""
    db = _database(settings)
    db.upgrade()  # cheap when up to date; in production the release phase has already done it
    return _serve_until_stopped(settings, db, args.bot_identity, listen=True, schedule=settings.run_scheduler)


def _web(settings: Settings, args) -> int:
    """The HTTP listener (Procfile `web`), with a delivery worker so cards go out at once.
    Migrations belong to the release phase."""
    return _serve_until_stopped(settings, _database(settings), args.bot_identity, listen=True, schedule=False, socket_mode=False)


def _clock(settings: Settings, args) -> int:
    return _serve_until_stopped(settings, _database(settings), args.bot_identity, listen=False, schedule=True)


# Heroku sends SIGKILL 30 s after SIGTERM; what is in flight finishes well before that.
SHUTDOWN_SECONDS = 20
SOCKET_PING_SECONDS = 3


def _serve_until_stopped(settings: Settings, db, bot_identity: dict | None, *, listen: bool, schedule: bool,
                         socket_mode: bool | None = None) -> int:
    """Start the listener (Slack's requests and the public pages), the clock and the delivery
    worker; on SIGTERM or SIGINT stop taking work, finish or hand back what is claimed, and exit 0."""
    from bot.app import Transport, create_app, create_site, make_services
    from bot.clock import install_jobs, make_deliverer, make_scheduler
    from bot.server import BuiltOnFirstRequest

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    services = make_services(settings, db)
    services.now()  # the database's time, read now: a machine clock that is off is logged at start
    if bot_identity:
        _token_works(services, bot_identity)
    over_socket = settings.socket_mode if socket_mode is None else socket_mode
    transport = Transport.SOCKET_MODE if over_socket else Transport.HTTP  # `web` is always HTTP, so always signed
    listener = None
    if listen:
        app = create_app(settings, services, transport=transport)
        site = BuiltOnFirstRequest(partial(create_site, settings, services, bot_identity))
        listener = _start_listener(app, site, transport, settings, db)
    # Answering Slack first: the clock's first round catches up on whatever came due while the
    # process was down (after a long stop, hundreds of rows to queue and send), and would
    # otherwise compete with start-up for the one interpreter lock. Rows a request queues
    # meanwhile wait the few milliseconds until the worker starts.
    deliverer = make_deliverer(settings, services)
    deliverer.start(poll_seconds=settings.reminder_poll_seconds)
    scheduler = make_scheduler() if schedule else None
    if scheduler:
        install_jobs(scheduler, settings, services)
        scheduler.start()
        log.info("clock started: looking for due reminders and digests every %ss", settings.reminder_poll_seconds)
    # What start-up built lives as long as the process: keep it out of the full garbage
    # collections, which otherwise walk all of it each time (a quarter of a second, once per
    # batch of a big delivery run, with every other thread waiting). Then collect again (main()
    # turned collection off for the start-up); the few hundred objects of garbage start-up made
    # are frozen with the rest.
    gc.freeze()
    gc.enable()
    # In slices: a signal the kernel hands to another thread runs its handler only once the main
    # thread wakes, and a wait without a timeout never does.
    while not stop.wait(0.5):
        pass
    started = time.monotonic()
    if listener:
        listener()  # no new requests
    if scheduler:
        scheduler.shutdown(wait=True)
    finished = deliverer.stop(timeout=SHUTDOWN_SECONDS - 5)
    db.dispose()
    log.info("stopped in %.1fs%s", time.monotonic() - started, "" if finished else "; deliveries still in flight are retried after restart")
    return 0


def _token_works(services, bot_identity: dict) -> None:
    """SLACK_BOT_TOKEN passed auth.test: if its workspace was held (a revoked token, an
    uninstall) the new token brings it back, and what was held goes out."""
    from sqlalchemy.exc import SQLAlchemyError

    from services import workspaces

    try:
        workspaces.installed(services, team_id=bot_identity.get("team_id"), enterprise_id=bot_identity.get("enterprise_id"),
                             org_install=False)
    except SQLAlchemyError as error:  # not migrated yet (web and clock wait for the release phase): /healthz says so
        log.warning("could not record the workspace of SLACK_BOT_TOKEN: %s", type(error).__name__)


def _start_listener(app, site, transport, settings: Settings, db) -> Callable[[], None]:
    """Serve Slack's requests and the public site in the background; returns what stops them.
    In Socket Mode Slack's requests come over the socket, and $PORT serves the site and /healthz."""
    from bot.app import Transport
    from bot.server import make_server, serve, stop

    over_socket = transport is Transport.SOCKET_MODE
    server = make_server(None if over_socket else app, settings.port, signing_secret=settings.signing_secret, health=db.health,
                         web=site, capacity=settings.web_capacity)
    thread = threading.Thread(target=serve, args=(server,), name="http", daemon=True)
    thread.start()
    log.info("public pages on http://0.0.0.0:%s/events", settings.port)
    socket_handler = None
    if over_socket:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        # slack_sdk notices a connection that died without a goodbye only at its next ping:
        # Bolt's 10 s default can leave commands unanswered for up to a minute after a drop.
        socket_handler = SocketModeHandler(app, settings.app_token, ping_interval=SOCKET_PING_SECONDS)
        socket_handler.connect()
        log.info("connected to Slack in Socket Mode")
    else:
        log.info("listening on http://0.0.0.0:%s/slack/events", settings.port)

    def close() -> None:
        if socket_handler is not None:
            socket_handler.close()
        stop(server)
        thread.join(5)

    return close


def _db(settings: Settings, args) -> int:
    db = _database(settings)
    if args.db_command == "upgrade":
        db.upgrade()
        log.info("database is up to date")
    else:
        db.revision(args.message)
    return 0


def _content(settings: Settings, args) -> int:
    """Reload the shipped toolkits, sample posts and campaigns; teams that never used them load lazily."""
    from messages.content import shipped_campaigns, shipped_topics
    from storage import campaigns as campaign_queries
    from storage import content as content_queries
    from timemath import utcnow

    db = _database(settings)
    topics, campaigns = shipped_topics(), shipped_campaigns()
    with db.session() as session:
        teams = args.teams or content_queries.team_ids(session)
    if not teams:
        log.info("no team has content yet; each team loads it on first use (or pass --team T0123)")
    for team_id in teams:
        with db.session() as session:
            topic_count, post_count = content_queries.load_content(session, team_id, topics)
            campaign_count = campaign_queries.load_campaigns(session, team_id, campaigns, utcnow())
        log.info("team %s: loaded %d topics, %d sample posts and %d campaigns", team_id, topic_count, post_count, campaign_count)
    return 0


def _team_id(text: str) -> str:
    if not re.fullmatch(r"[A-Z0-9]{2,32}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a Slack workspace id (like T0123ABCD)")
    return text


def _teams(settings: Settings, args) -> int:
    """One line a workspace the bot has a record of (with installs, every one installed)."""
    from bot.app import make_services
    from services import workspaces

    standings = workspaces.report(make_services(settings, _database(settings)))
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

    workspaces.purge_team(make_services(settings, _database(settings)), args.team)
    return 0


def _import(settings: Settings, args) -> int:
    """Events from a file, all or nothing (services.imports), with a progress bar and a report."""
    from messages.listings import import_summary, unreadable_report
    from messages.mrkdwn import plain
    from services import campaigns, imports, listings
    from timemath import is_valid_timezone, local_date

    zone = args.timezone or settings.default_timezone
    if not is_valid_timezone(zone):
        raise SettingsError(f"--timezone {zone!r} is not an IANA time zone (e.g. America/Chicago)")
    services = _services(settings)
    try:
        entries = imports.read_file(Path(args.file), default_timezone=zone, today=local_date(services.now(), zone))
    except (OSError, UnicodeDecodeError, listings.NotAnExport) as error:
        print(f"organizer-bot: cannot import {args.file}: {error}", file=sys.stderr)
        return 2
    team_id, user_id, channel_id, private = _registration(settings, services, args)
    campaign = campaigns.named(services, team_id, args.campaign) if args.campaign else None
    if isinstance(campaign, str):
        raise SettingsError(f"--campaign: {plain(campaign)}")
    report = _saving(lambda: imports.import_entries(
        services, team_id, user_id, entries, channel_id=channel_id, private_channel=private,
        campaign_slug=campaign and campaign.slug, dry_run=args.dry_run, skip_unreadable=args.skip_unreadable,
        progress=_progress_bar))
    if report is None:
        return 1
    if report.unreadable:
        print(unreadable_report([(u.entry.line, u.entry.title, u.reasons) for u in report.unreadable]))
    print(import_summary(read=report.read, ready=report.ready, saved=len(report.saved), already=len(report.already),
                         unreadable=len(report.unreadable), dry_run=report.dry_run, stopped=report.stopped,
                         channel_id=channel_id, first_day=report.first_day, last_day=report.last_day))
    return 1 if report.stopped else 0


def _demo(settings: Settings, args) -> int:
    """The Day of Action's listings on coming dates, for a newcomer; running it again adds nothing."""
    from messages.listings import demo_summary
    from services import imports

    services = _services(settings)
    team_id, user_id, channel_id, private = _registration(settings, services, args)
    report = _saving(lambda: imports.load_demo(services, team_id, user_id, channel_id=channel_id, private_channel=private,
                                               progress=_progress_bar))
    if report is None:
        return 1
    print(demo_summary(saved=len(report.saved), already=len(report.already), left_out=len(report.unreadable),
                       first_day=report.first_day, last_day=report.last_day))
    return 0


def _services(settings: Settings):
    """The workflows on an up-to-date database: `demo` is often the first command a newcomer runs."""
    from bot.app import make_services

    db = _database(settings)
    db.upgrade()
    return make_services(settings, db)


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
    if team_id is None:
        if settings.multi_workspace:
            raise SettingsError("--team is needed: the bot serves several workspaces (organizer-bot teams lists them)")
        identity = _call_slack(lambda: _checking_client(settings).auth_test(token=settings.bot_token), BOT_TOKEN,
                               settings.slack_api_url)
        team_id, user_id = identity["team_id"], user_id or identity["user_id"]
    if user_id is not None and channel is None:
        return team_id, user_id, None, False
    client = workspaces.client_for(services, make_client(settings), team_id)
    if client is None:
        raise SettingsError(f"workspace {team_id} has no working installation: see organizer-bot teams")
    if user_id is None:
        user_id = _call_slack(client.auth_test, BOT_TOKEN, settings.slack_api_url)["user_id"]
    return team_id, user_id, channel, channel is not None and is_private_channel(client, channel)


def _saving(work: Callable):
    """Run an import; if the database fails it, say so in one line (its one transaction saved nothing)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return work()
    except SQLAlchemyError as error:
        print(f"organizer-bot: the database refused the import ({type(error).__name__}); nothing was saved", file=sys.stderr)
        return None


def _progress_bar(items: list, doing: str) -> Iterable:
    """A progress bar on a terminal (tqdm); nothing when the output goes to a file or a pipe."""
    from tqdm import tqdm

    return tqdm(items, desc=doing, unit=" entries", disable=None)


COMMANDS = {"run": _run, "web": _web, "clock": _clock, "db": _db, "content": _content, "import": _import, "demo": _demo,
            "teams": _teams, "purge-team": _purge_team}
