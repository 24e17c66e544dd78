"""A serving process's life: start the listener, the clock and the delivery worker; on SIGTERM
or SIGINT stop taking work, finish or hand back what is claimed, and exit 0."""

from __future__ import annotations

import gc
import logging
import signal
import threading
import time
from collections.abc import Callable
from functools import partial

from bot.settings import Settings

log = logging.getLogger("organizer-bot")


# What /slack/events answers (503) while the bot has no Slack settings.
NO_SLACK = "Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (README, Quick start)"
# Heroku sends SIGKILL 30 s after SIGTERM; what is in flight finishes well before that.
SHUTDOWN_SECONDS = 20
SOCKET_PING_SECONDS = 3


def serve_until_stopped(
    settings: Settings, db, bot_identity: dict | None, *, listen: bool, schedule: bool, socket_mode: bool | None = None
) -> int:
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
        app = create_app(settings, services, transport=transport) if settings.slack_configured else None
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
    log.info(
        "stopped in %.1fs%s",
        time.monotonic() - started,
        "" if finished else "; deliveries still in flight are retried after restart",
    )
    return 0


def _token_works(services, bot_identity: dict) -> None:
    """SLACK_BOT_TOKEN passed auth.test: if its workspace was held (a revoked token, an
    uninstall) the new token brings it back, and what was held goes out."""
    from sqlalchemy.exc import SQLAlchemyError

    from services import workspaces

    try:
        workspaces.installed(
            services,
            team_id=bot_identity.get("team_id"),
            enterprise_id=bot_identity.get("enterprise_id"),
            org_install=False,
        )
    except SQLAlchemyError as error:  # not migrated yet (web and clock wait for the release phase): /healthz says so
        log.warning("could not record the workspace of SLACK_BOT_TOKEN: %s", type(error).__name__)


def _start_listener(app, site, transport, settings: Settings, db) -> Callable[[], None]:
    """Serve Slack's requests and the public site in the background; returns what stops them.
    In Socket Mode Slack's requests come over the socket, and $PORT serves the site and /healthz."""
    from bot.app import Transport
    from bot.server import make_server, serve, stop

    over_socket = transport is Transport.SOCKET_MODE
    server = make_server(
        None if over_socket else app,
        settings.port,
        settings.host,
        signing_secret=settings.signing_secret,
        health=db.health,
        web=site,
        capacity=settings.web_capacity,
        slack_unavailable=None if app else NO_SLACK,
    )
    thread = threading.Thread(target=serve, args=(server,), name="http", daemon=True)
    thread.start()
    log.info("public pages on http://%s:%s/events", settings.host, settings.port)
    socket_handler = None
    if app is None:
        log.info("Slack is not configured: set SLACK_BOT_TOKEN in .env to answer Slack (README, Quick start)")
    elif over_socket:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        # slack_sdk notices a connection that died without a goodbye only at its next ping:
        # Bolt's 10 s default can leave commands unanswered for up to a minute after a drop.
        socket_handler = SocketModeHandler(app, settings.app_token, ping_interval=SOCKET_PING_SECONDS)
        socket_handler.connect()
        log.info("connected to Slack in Socket Mode")
    else:
        log.info("listening on http://%s:%s/slack/events", settings.host, settings.port)

    def close() -> None:
        if socket_handler is not None:
            socket_handler.close()
        stop(server)
        thread.join(5)

    return close
