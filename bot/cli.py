"""`organizer-bot`: run the bot, the web listener or the clock; migrate; print the manifest."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

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
    sub.add_parser("clock", help="the scheduler only (run exactly one)")
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
    from bot.app import create_app
    from bot.clock import install_jobs, make_scheduler

    db = _database(settings)
    db.upgrade()  # cheap when up to date; in production the release phase has already done it
    app = create_app(settings, db)
    scheduler = make_scheduler(blocking=False) if settings.run_scheduler else None
    if scheduler:
        install_jobs(scheduler, settings, db)
        scheduler.start()
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("connecting to Slack in Socket Mode")
            SocketModeHandler(app, settings.app_token).start()
        else:
            _serve(app, settings.port)
    finally:
        if scheduler:
            scheduler.shutdown(wait=False)
    return 0


def _web(settings: Settings, args) -> int:
    """The HTTP listener alone (Procfile `web`); migrations belong to the release phase."""
    from bot.app import create_app

    _serve(create_app(settings, _database(settings)), settings.port)
    return 0


def _serve(app, port: int) -> None:
    from bot.server import make_server, serve

    server = make_server(app, port)
    signal.signal(signal.SIGTERM, lambda *_: server.close())
    log.info("listening on http://0.0.0.0:%s/slack/events", port)
    serve(server)


def _clock(settings: Settings, args) -> int:
    from bot.clock import install_jobs, make_scheduler

    scheduler = make_scheduler(blocking=True)
    install_jobs(scheduler, settings, _database(settings))
    log.info("clock started: looking for due reminders and digests every %ss", settings.reminder_poll_seconds)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0


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
