"""The HTTP side: a front door for Slack's requests, the health check, and the public site
(web/, a Flask app) behind it, all served by waitress on one port.

waitress runs inside this process (unlike gunicorn's forking master), so `organizer-bot run`
can host the listener and the scheduler together.

Bolt parses a body before it checks the signature, and trips over bodies Slack would never
send. So the front door reads the raw body with a size cap, verifies Slack's signature on
those bytes, refuses what is not one of Slack's shapes, and only then hands the same bytes
to Bolt's WSGI adapter. Whatever arrives there, the answer is a 4xx or Bolt's, never a 5xx.
Every other path belongs to the public site, which never sees Slack's requests.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from waitress.server import create_server

from bot.payloads import shape_problem
from bot.settings import WebCapacity

log = logging.getLogger(__name__)
SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Bolt's OAuth flow (multi-workspace installs): the "Add to Slack" page and Slack's redirect back.
# Plain GETs from a browser, not signed by Slack; Bolt checks the state it issued instead.
INSTALL_PATHS = ("/slack/install", "/slack/oauth_redirect")
# Slack's largest requests (a view submission with a full modal) are tens of kilobytes.
MAX_BODY_BYTES = 1 << 20
# Slack sends a Unix time in seconds; anything else cannot be checked for freshness.
TIMESTAMP = re.compile(r"[0-9]{1,12}")

HealthCheck = Callable[[], "str | None"]  # None when healthy, else the reason
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class Throttle(logging.Filter):
    """Lets each message (by its format string) through at most once per `interval` seconds;
    the next one let through says how many were held back. For lines a flood would repeat."""

    def __init__(self, interval: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._quiet_until: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = str(record.msg)
        with self._lock:
            now = self._clock()
            if now < self._quiet_until.get(key, float("-inf")):
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._quiet_until[key] = now + self.interval
            held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} (and {held} more like it in the last {self.interval:g} s)"
        return True


def throttle(logger: logging.Logger) -> None:
    """Give `logger` a Throttle, once."""
    if not any(isinstance(f, Throttle) for f in logger.filters):
        logger.addFilter(Throttle())


throttle(log)  # junk from the internet must not flood the log


class BuiltOnFirstRequest:
    """A WSGI app made when its first request arrives. The public site (Flask, its templates)
    takes ~6 MB and a fifth of a second to build: a process that only ever answers Slack and
    the health check does without, and the listener is up that much sooner. Concurrent first
    requests build it once.

    The pattern for any part that only some requests need: build it behind this, or import
    its library inside the function that uses it (as messages.content does PyYAML)."""

    def __init__(self, build: Callable[[], WSGIApp]) -> None:
        self._build = build
        self._app: WSGIApp | None = None
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = self._build()
        return self._app(environ, start_response)


class FrontDoor:
    """The WSGI app: `POST /slack/events` for Slack (over HTTP; in Socket Mode `app` is None and
    Slack's requests come over the socket), `GET /healthz` for load balancers, the install pages
    when workspaces install through OAuth, and the public site (`web`) for everything else (404
    without one)."""

    def __init__(
        self,
        app: App | None,
        *,
        signing_secret: str | None,
        health: HealthCheck | None = None,
        web: WSGIApp | None = None,
        slack_unavailable: str | None = None,
    ) -> None:
        self._bolt = SlackRequestHandler(app, path=SLACK_PATH) if app is not None else None
        self._verifier = SignatureVerifier(signing_secret) if app is not None else None
        self._health = health
        self._web = web
        self._slack_unavailable = slack_unavailable  # why /slack/events answers 503, when it does

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == SLACK_PATH and self._slack_unavailable:
            return _plain(start_response, "503 Service Unavailable", self._slack_unavailable)
        if path == SLACK_PATH and self._bolt is not None:
            if method != "POST":
                return _plain(start_response, "405 Method Not Allowed", "use POST", [("Allow", "POST")])
            return self._slack(environ, start_response)
        if path in INSTALL_PATHS and self._bolt is not None and self._bolt.app.oauth_flow is not None:
            if method != "GET":
                return _plain(start_response, "405 Method Not Allowed", "use GET", [("Allow", "GET")])
            return self._bolt(environ, start_response)
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return _plain(start_response, "405 Method Not Allowed", "use GET", [("Allow", "GET, HEAD")])
            reason = self._health() if self._health else None
            return (
                _plain(start_response, "503 Service Unavailable", reason)
                if reason
                else _plain(start_response, "200 OK", "ok")
            )
        if self._web is not None:
            return self._web(environ, start_response)
        return _plain(start_response, "404 Not Found", "not found")

    def _slack(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isascii() or not length.isdigit():
            return _refuse(start_response, "400 Bad Request", "bad Content-Length")
        if int(length) > MAX_BODY_BYTES:  # waitress already refuses these before reading them
            return _refuse(start_response, "413 Content Too Large", f"body over {MAX_BODY_BYTES} bytes")
        raw = environ["wsgi.input"].read(int(length))
        text = self._verified_text(environ, raw)
        if text is None:
            return _refuse(start_response, "401 Unauthorized", "not signed by Slack (check SLACK_SIGNING_SECRET)")
        content_type = (environ.get("CONTENT_TYPE") or "").split(";")[0]
        try:
            body = parse_body(text, content_type)  # as Bolt will: the same function on the same text
        except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than the parser goes
            return _refuse(start_response, "400 Bad Request", "body is neither a form nor JSON")
        if problem := shape_problem(body):
            return _refuse(start_response, "400 Bad Request", f"not a Slack request ({problem[:100]})")
        return self._bolt({**environ, "wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw))}, start_response)

    def _verified_text(self, environ: dict, raw: bytes) -> str | None:
        """The body as text if Slack signed it within the last 5 minutes; None otherwise."""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        # SignatureVerifier expects what Slack sends: int() of any other timestamp, or
        # compare_digest() of a non-ASCII signature, would raise.
        if not TIMESTAMP.fullmatch(timestamp) or not signature.isascii():
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # Slack signs UTF-8 text
            return None
        return text if self._verifier.is_valid(text, timestamp, signature) else None


def _refuse(start_response: Callable, status: str, reason: str) -> list[bytes]:
    # One format string per status, so that the throttle holds back a flood of one kind only.
    log.warning(f"refused a request to {SLACK_PATH} with {status}: %s", reason)
    return _plain(start_response, status, reason)


def _plain(start_response: Callable, status: str, text: str, headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), *headers])
    return [text.encode() + b"\n"]


def make_server(
    app: App | None,
    port: int,
    host: str = "0.0.0.0",
    *,
    signing_secret: str | None,
    health: HealthCheck | None = None,
    web: WSGIApp | None = None,
    capacity: WebCapacity = WebCapacity(),
    slack_unavailable: str | None = None,
    **options,
):
    """A waitress server; call `.run()` to serve (blocking) and `.close()` to stop. `app` is
    None in Socket Mode, or without Slack (then `slack_unavailable` says why): the server then
    carries the health check and the public site only."""
    throttle(logging.getLogger("waitress.queue"))  # "Task queue depth is N", once per request in a burst
    return create_server(
        FrontDoor(app, signing_secret=signing_secret, health=health, web=web, slack_unavailable=slack_unavailable),
        host=host,
        port=port,
        threads=capacity.threads,
        connection_limit=capacity.connection_limit,
        backlog=capacity.backlog,
        # waitress refuses a body this size (or larger) at its headers, before reading it.
        max_request_body_size=MAX_BODY_BYTES + 1,
        ident="organizer-bot",
        **options,
    )


def serve(server) -> None:
    """Serve until `stop(server)` is called (from a signal handler or another thread)."""
    try:
        server.run()
    except (KeyboardInterrupt, OSError):
        # close() from another thread ends the select loop with a closed-socket error.
        pass


def stop(server, timeout: float = 5) -> None:
    """Stop accepting connections, let the requests in progress finish (their answers still
    need the loop), then end the loop and waitress's worker threads."""
    server.accepting = False
    server.task_dispatcher.shutdown(cancel_pending=False, timeout=timeout)
    server.close()
