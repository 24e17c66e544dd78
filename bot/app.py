"""The app factories: one Bolt app, and the public site, wired to settings and the services of their process."""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, BoltContext, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient

from bot.settings import LOCAL_TEAM_ID, Settings
from handlers import approval, campaigns, congress, digest, events, home, installs, posts, toolkit, unhandled
from messages import errors as error_text
from messages.i18n import speaking
from messages.links import PublicLinks
from services import Services, languages, workspaces
from services.mailer import Mailer
from services.runtime import DatabaseClock
from services.slackapi import UserDirectory, retry_handlers
from services.webhooks import Webhook
from storage import Database
from storage import congress as congress_data
from storage.db import driver_message, unavailable

if TYPE_CHECKING:
    from flask import Flask

SURFACES = (
    events,
    campaigns,
    approval,
    toolkit,
    posts,
    congress,
    digest,
    home,
    installs,
    unhandled,
)  # unhandled last: it takes any event
PROJECT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


class Transport(Enum):
    """How Slack's requests reach the app; it decides whether they carry a signature to check."""

    HTTP = "http"  # signed requests to /slack/events (bot.server verifies them, and Bolt again)
    SOCKET_MODE = "socket_mode"  # over the web socket SLACK_APP_TOKEN opens: nothing to sign


def make_client(settings: Settings) -> WebClient:
    """The Web API client: honours SLACK_API_URL, retries rate limits, and retries dropped
    connections only for calls that are safe to repeat (never a post).

    Bolt copies base URL and retry handlers into the per-request clients it hands to listeners.
    """
    return WebClient(
        token=settings.bot_token, base_url=settings.slack_api_url, timeout=10, retry_handlers=retry_handlers()
    )


def make_services(settings: Settings, db: Database, *, now: Callable[[], datetime] | None = None) -> Services:
    """What the listeners and the workers of one process share (the doorbell links them). Their
    `now` is the database's time (services.runtime.DatabaseClock) unless a test injects one."""
    installations = None
    if settings.multi_workspace:
        from bot.installs import installation_store  # loads greenlet: only when installs are on

        installations = installation_store(settings, db)
    links = (
        PublicLinks(settings.public_base_url, per_workspace=settings.multi_workspace)
        if settings.public_base_url
        else None
    )
    congress_data.use_data_dir(settings.congress_data_dir)
    return Services(
        db=db,
        now=now or DatabaseClock(db),
        default_timezone=settings.default_timezone,
        users=UserDirectory(),
        installations=installations,
        uninstall_grace=timedelta(days=settings.uninstall_grace_days),
        links=links,
        mailer=_mailer(settings),
        attendee_retention=timedelta(days=settings.attendee_retention_days),
        webhook=Webhook(settings.webhook.url, settings.webhook.secret) if settings.webhook else None,
    )


def _mailer(settings: Settings) -> Mailer | None:
    mail = settings.mail
    if mail is None:
        return None
    links = PublicLinks(
        settings.public_base_url or f"http://localhost:{settings.port}", per_workspace=settings.multi_workspace
    )
    return Mailer(
        host=mail.host,
        port=mail.port,
        sender=mail.sender,
        links=links,
        tls=mail.tls,
        username=mail.username,
        password=mail.password,
    )


def create_site(settings: Settings, services: Services, bot_identity: dict | None) -> Flask:
    """The public pages and feeds: at the root, the events of the bot token's workspace (what
    auth.test said of it, or the local workspace without Slack); with multi-workspace installs, each installed workspace's under
    /w/<team_id>/ and none at the root."""
    from web import create_web  # Flask and its templates: once a page is asked for (bot.server.BuiltOnFirstRequest)
    from web.site import Site

    tiles = settings.map_tiles
    if bot_identity:
        default_team = bot_identity["team_id"]
    else:  # many workspaces: each under /w/<team_id>/; no Slack yet: the demo's local workspace
        default_team = None if settings.multi_workspace else LOCAL_TEAM_ID
    return create_web(
        services,
        Site(
            default_team=default_team,
            per_workspace=settings.multi_workspace,
            tile_url=tiles.url,
            tile_attribution=tiles.attribution,
            base_url=settings.public_base_url,
            form_key=_form_key(settings),
        ),
    )


def _form_key(settings: Settings) -> bytes:
    """The key of the public forms' tokens, from a secret every process of the deployment has:
    the bot token, else (multi-workspace) the client secret. Without Slack (trying the site out)
    there is none to share: the process makes its own, and its forms work while it runs."""
    secret = settings.bot_token or (settings.install.client_secret if settings.install else None)
    if secret is None:
        return secrets.token_bytes(32)
    return hmac.new(secret.encode(), b"organizer-bot public forms", hashlib.sha256).digest()


# What Bolt's App() reads from os.environ by itself when not told: with SLACK_CLIENT_ID and
# SLACK_CLIENT_SECRET merely present (even empty, as a copied .env.example leaves them) it turns
# to multi-workspace OAuth and ignores the bot token, and it warns about a SLACK_BOT_TOKEN it
# does not use. The settings have decided all of this already (Settings.mode).
BOLT_READS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_VERIFICATION_TOKEN",
)
_environ_lock = threading.Lock()


@contextmanager
def _bolt_sees_only_our_settings() -> Iterator[None]:
    """Hide BOLT_READS from os.environ while Bolt's App is built, then put them back."""
    with _environ_lock:
        hidden = {name: os.environ.pop(name) for name in BOLT_READS if name in os.environ}
        try:
            yield
        finally:
            os.environ.update(hidden)


class _ListenerExecutor(ThreadPoolExecutor):
    """Runs each listener in the context of the request that started it, its language included
    (Bolt submits listeners from the request's thread)."""

    def submit(self, fn, /, *args, **kwargs):
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


class _SpeakingApp(App):
    """Bolt's app, answering each request in its person's language (services.languages), from
    the first middleware to the listener's last message."""

    services: Services

    def dispatch(self, req):
        with speaking(languages.of_request(self.services, req.context)):
            return super().dispatch(req)


def create_app(settings: Settings, services: Services, *, transport: Transport) -> App:
    with _bolt_sees_only_our_settings():
        app = _build_app(settings, services, transport)
    app.services = services
    _register(app, settings, services)
    return app


def _build_app(settings: Settings, services: Services, transport: Transport) -> App:
    return _SpeakingApp(
        # Named, or Bolt names it after its caller's file with inspect.stack(): ~50 ms at start-up.
        name="organizer-bot",
        client=make_client(settings),
        # Multi-workspace: each request is authorized with its own workspace's installation.
        oauth_flow=_oauth_flow(settings, services),
        user_facing_authorize_error_message=error_text.not_installed(),
        signing_secret=settings.signing_secret or "",
        request_verification_enabled=transport is Transport.HTTP,
        # Bolt's default pool of 5 threads leaves a burst's 6th command unacked for 3 s.
        listener_executor=_ListenerExecutor(max_workers=settings.listener_threads, thread_name_prefix="listener"),
        # The command line checks the token with auth.test before it starts (bot.commands.processes).
        token_verification_enabled=False,
        # Unhandled requests reach answer_failure, which logs one line instead of Bolt's code samples.
        raise_error_for_unhandled_request=True,
    )


def _register(app: App, settings: Settings, services: Services) -> None:
    app.error(answer_failure)

    @app.middleware
    def keep_the_first_answer(context: BoltContext, next: Callable[[], None]) -> None:
        context["ack"] = _KeptAck()
        next()

    @app.middleware
    def reject_malformed(body: dict, context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        # Slack always says who acted in which workspace; without that no listener can answer safely.
        if _is_user_request(body) and not (context.team_id and context.user_id):
            return BoltResponse(status=400, body="missing team or user")
        return next()

    @app.middleware
    def provide_services(context: BoltContext, next: Callable[[], None]) -> None:
        context["services"] = services
        next()

    if settings.multi_workspace:

        @app.middleware
        def remember_org_workspaces(context: BoltContext, next: Callable[[], None]) -> None:
            # An org-wide install is stored without a workspace: its workspaces' posts find it by this.
            if context.is_enterprise_install and context.team_id:
                workspaces.seen(services, context.team_id, context.enterprise_id)
            next()

    for surface in SURFACES:
        surface.register(app)


def _oauth_flow(settings: Settings, services: Services):
    if not settings.multi_workspace:
        return None
    from bot.installs import oauth_flow

    return oauth_flow(settings, services)


USER_PAYLOADS = {"block_actions", "view_submission", "view_closed", "shortcut", "message_action", "block_suggestion"}


def _is_user_request(body: dict) -> bool:
    return "command" in body or body.get("type") in USER_PAYLOADS


class _KeptAck(Ack):
    """An ack whose answer, once given, stays given.

    When a listener raises after ack(), Bolt's thread runner sets ack.response back to None,
    racing its own 10 ms poll for the answer: a listener that fails right after acking then
    leaves the request unanswered for 3 s, and Bolt answers 404.
    """

    @property
    def response(self) -> BoltResponse | None:
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is not None or getattr(self, "_response", None) is None:
            self._response = value


def answer_failure(
    error: Exception,
    body: dict,
    context: BoltContext,
    response: BoltResponse | None,
    respond: Respond | None,
    client: WebClient,
) -> BoltResponse | None:
    """Bolt's global error handler: one log line with ids only, and an apology instead of a 500.

    Bolt calls it for an exception in a middleware or a listener, and (with
    raise_error_for_unhandled_request) for a request no listener took. `response` is the
    answer still to be sent, or None once the listener has acked: what this returns is
    copied onto it, and must not be returned when it is None (Bolt asserts so).
    """
    if isinstance(error, BoltUnhandledRequestError):
        log.warning("no listener for %s", _describe(body, context))
        return None  # Bolt answers 404
    if reason := unavailable(error):  # an outage, not a bug: the database's own words say which
        log.warning(
            "database %s (%s) at %s on %s", reason, driver_message(error), _where(error), _describe(body, context)
        )
        apology = error_text.cannot_save_now()
    else:
        log.warning("listener failed: %s at %s on %s", type(error).__name__, _where(error), _describe(body, context))
        apology = error_text.something_went_wrong()
    if response is not None:
        if "command" in body:  # a command's answer is shown to whoever typed it
            return BoltResponse(status=200, body=apology)
        if body.get("type") == "view_submission" and (block_id := _first_input(body)):
            return BoltResponse(
                status=200,
                body=json.dumps(error_text.failed_form_errors(block_id, apology)),
                headers={"content-type": "application/json"},
            )
    if _is_user_request(body):
        _apologise(respond, client, context.user_id, apology)
    return BoltResponse(status=200, body="") if response is not None else None


def _apologise(respond: Respond | None, client: WebClient, user_id: str | None, apology: str) -> None:
    """Where the request came from if Slack gave a response URL, else by DM. Best effort."""
    try:
        if respond is not None:
            respond(text=apology, response_type="ephemeral", replace_original=False)
        elif user_id:
            client.chat_postMessage(channel=user_id, text=apology)
    except Exception as failure:  # noqa: BLE001 - the failure is already logged; this only adds to it
        log.info("could not tell the user about it either: %s", type(failure).__name__)


def _describe(body: dict, context: BoltContext) -> str:
    """Which request, by ids only: no user text reaches the log."""
    kind = body.get("command") or body.get("type") or "request"
    action = (body.get("actions") or [{}])[0]
    target = action.get("action_id") or body.get("callback_id") or (body.get("view") or {}).get("callback_id")
    return f"{_short(kind)} {_short(target)} team={_short(context.team_id)} user={_short(context.user_id)}"


def _short(value: object) -> str:
    # repr: a newline in an id must not start a second log line.
    return repr(value if value is None else str(value)[:40])


def _where(error: Exception) -> str:
    """The innermost line of ours the exception went through, e.g. `handlers/events.py:383 in list_page_button`."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if _is_ours(frame.filename)]
    if not frames:
        return "?"
    frame = (ours or frames)[-1]
    path = Path(frame.filename).resolve()
    return f"{path.relative_to(PROJECT) if ours else path.name}:{frame.lineno} in {frame.name}"


def _is_ours(filename: str) -> bool:
    # Generated code ("<sqlalchemy ...>") and compiled modules ("x.pyx") carry relative names.
    path = Path(filename)
    return path.is_absolute() and path.resolve().is_relative_to(PROJECT) and "site-packages" not in path.parts


def _first_input(body: dict) -> str | None:
    blocks = (body.get("view") or {}).get("blocks") or []
    return next(
        (b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")),
        None,
    )
