"""`organizer-bot`: run the bot, the web listener or the clock; migrate; print the manifest."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("organizer-bot")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "manifest":
        from bot.manifest import manifest_json

        sys.stdout.write(manifest_json(args.url))
        return 0
    try:
        settings = load_settings(require_signing_secret=args.command in ("run", "web"))
        if args.command == "web" and settings.signing_secret is None:
            raise SettingsError("SLACK_SIGNING_SECRET is required for the HTTP listener (web)")
    except SettingsError as error:
        print(f"organizer-bot: {error}", file=sys.stderr)
        return 2
    return COMMANDS[args.command](settings, args)


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
    content = sub.add_parser("content", help="toolkits and sample posts")
    content_sub = content.add_subparsers(dest="content_command", metavar="action", required=True)
    load = content_sub.add_parser("load", help="(re)load the shipped content files; team-added posts and notes are kept")
    load.add_argument("--team", action="append", dest="teams", metavar="TEAM_ID", help="a Slack team id (repeatable); default: every team that has content")
    manifest = sub.add_parser("manifest", help="print the Slack app manifest (JSON)")
    manifest.add_argument("--url", help="public base URL for HTTP mode, e.g. https://bot.example.org; omit for Socket Mode")
    parser.set_defaults(command="run")
    return parser


def _database(settings: Settings):
    from storage import Database

    if settings.database_url.startswith("sqlite") and os.environ.get("DYNO"):
        log.warning("SQLite on a dyno loses every event at each restart: set DATABASE_URL to PostgreSQL")
    return Database(settings.database_url)


def _run(settings: Settings, args) -> int:
    """Everything in one process: the embedded default, so it also brings the schema up to date."""
    db = _database(settings)
    db.upgrade()  # cheap when up to date; in production the release phase has already done it
    return _serve_until_stopped(settings, db, listen=True, schedule=settings.run_scheduler)


def _web(settings: Settings, args) -> int:
    """The HTTP listener (Procfile `web`), with a delivery worker so cards go out at once.
    Migrations belong to the release phase."""
    return _serve_until_stopped(settings, _database(settings), listen=True, schedule=False, socket_mode=False)


def _clock(settings: Settings, args) -> int:
    return _serve_until_stopped(settings, _database(settings), listen=False, schedule=True)


# Heroku sends SIGKILL 30 s after SIGTERM; what is in flight finishes well before that.
SHUTDOWN_SECONDS = 20
SOCKET_PING_SECONDS = 3


def _serve_until_stopped(settings: Settings, db, *, listen: bool, schedule: bool, socket_mode: bool | None = None) -> int:
    """Start the listener, the clock and the delivery worker; on SIGTERM or SIGINT stop taking
    work, finish or hand back what is claimed, and exit 0."""
    from bot.app import create_app, make_services
    from bot.clock import install_jobs, make_deliverer, make_scheduler

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    services = make_services(settings, db)
    deliverer = make_deliverer(settings, services)
    deliverer.start(poll_seconds=settings.reminder_poll_seconds)
    scheduler = make_scheduler() if schedule else None
    if scheduler:
        install_jobs(scheduler, settings, services)
        scheduler.start()
        log.info("clock started: looking for due reminders and digests every %ss", settings.reminder_poll_seconds)
    listener = _start_listener(create_app(settings, services), settings, socket_mode) if listen else None
    stop.wait()
    started = time.monotonic()
    if listener:
        listener()  # no new requests
    if scheduler:
        scheduler.shutdown(wait=True)
    finished = deliverer.stop(timeout=SHUTDOWN_SECONDS - 5)
    db.dispose()
    log.info("stopped in %.1fs%s", time.monotonic() - started, "" if finished else "; deliveries still in flight are retried after restart")
    return 0


def _start_listener(app, settings: Settings, socket_mode: bool | None) -> Callable[[], None]:
    """Serve Slack's requests in the background; returns what stops it."""
    if settings.socket_mode if socket_mode is None else socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        # slack_sdk notices a connection that died without a goodbye only at its next ping:
        # Bolt's 10 s default can leave commands unanswered for up to a minute after a drop.
        handler = SocketModeHandler(app, settings.app_token, ping_interval=SOCKET_PING_SECONDS)
        handler.connect()
        log.info("connected to Slack in Socket Mode")
        return handler.close
    from bot.server import make_server, serve

    server = make_server(app, settings.port)
    thread = threading.Thread(target=serve, args=(server,), name="http", daemon=True)
    thread.start()
    log.info("listening on http://0.0.0.0:%s/slack/events", settings.port)

    def close() -> None:
        server.close()
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
    """Reload the shipped toolkits and sample posts; teams that never used them load lazily."""
    from messages.content import shipped_topics
    from storage import content as content_queries

    db = _database(settings)
    topics = shipped_topics()
    with db.session() as session:
        teams = args.teams or content_queries.team_ids(session)
    if not teams:
        log.info("no team has content yet; each team loads it on first use (or pass --team T0123)")
    for team_id in teams:
        with db.session() as session:
            topic_count, post_count = content_queries.load_content(session, team_id, topics)
        log.info("team %s: loaded %d topics and %d sample posts", team_id, topic_count, post_count)
    return 0


COMMANDS = {"run": _run, "web": _web, "clock": _clock, "db": _db, "content": _content}
