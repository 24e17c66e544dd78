"""The HTTP side: one WSGI app for Slack's requests and the health check, served by waitress.

waitress runs inside this process (unlike gunicorn's forking master), so `organizer-bot run`
can host the listener and the scheduler together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

log = logging.getLogger(__name__)
SLACK_PATH = "/slack/events"


def make_wsgi_app(app: App) -> Callable:
    slack = SlackRequestHandler(app, path=SLACK_PATH)

    def wsgi(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _plain(start_response, "200 OK", "ok")
        try:
            return slack(environ, start_response)
        except ValueError:  # Bolt parses the body before anything else; a body that is not JSON lands here
            return _plain(start_response, "400 Bad Request", "malformed request body")

    return wsgi


def _plain(start_response: Callable, status: str, text: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode() + b"\n"]


def make_server(app: App, port: int, host: str = "0.0.0.0", threads: int = 16, **options):
    """A waitress server; call `.run()` to serve (blocking) and `.close()` to stop."""
    return create_server(make_wsgi_app(app), host=host, port=port, threads=threads, ident="organizer-bot", **options)


def serve(server) -> None:
    """Serve until `server.close()` is called (from a signal handler or another thread)."""
    try:
        server.run()
    except (KeyboardInterrupt, OSError):
        # close() from another thread ends the select loop with a closed-socket error.
        pass
