"""The app factory: one Bolt app wired to settings, the database and the clock."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.settings import Settings
from handlers import digest, events, posts, toolkit
from storage import Database
from storage.timemath import utcnow

SURFACES = (events, toolkit, posts, digest)


def make_client(settings: Settings) -> WebClient:
    """The Web API client: honours SLACK_API_URL and retries rate limits and dropped connections.

    Bolt copies base URL and retry handlers into the per-request clients it hands to listeners.
    """
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def create_app(settings: Settings, db: Database, *, now: Callable[[], datetime] = utcnow) -> App:
    app = App(
        # Named, or Bolt names it after its caller's file with inspect.stack(): ~50 ms at start-up.
        name="organizer-bot",
        client=make_client(settings),
        signing_secret=settings.signing_secret or "",
        # Socket Mode messages are authenticated by the socket; there is nothing to sign.
        request_verification_enabled=not settings.socket_mode,
        # Bolt's default pool of 5 threads leaves a burst's 6th command unacked for 3 s.
        listener_executor=ThreadPoolExecutor(max_workers=settings.listener_threads, thread_name_prefix="listener"),
        # The token is checked by the first real call; skipping auth.test keeps start-up offline-safe.
        token_verification_enabled=False,
    )

    @app.middleware
    def reject_malformed(body: dict, context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        # Slack always says who acted in which workspace; without that no listener can answer safely.
        if _is_user_request(body) and not (context.team_id and context.user_id):
            return BoltResponse(status=400, body="missing team or user")
        return next()

    @app.middleware
    def provide_dependencies(context: BoltContext, next: Callable[[], None]) -> None:
        context["db"] = db
        context["now"] = now
        context["default_timezone"] = settings.default_timezone
        next()

    for surface in SURFACES:
        surface.register(app)
    return app


USER_PAYLOADS = {"block_actions", "view_submission", "view_closed", "shortcut", "message_action", "block_suggestion"}


def _is_user_request(body: dict) -> bool:
    return "command" in body or body.get("type") in USER_PAYLOADS
