"""The start-up check of Slack's tokens: refuse to start, in one line naming the fix, when
Slack will not take them or cannot be reached."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.settings import APPS_PAGE, Settings

log = logging.getLogger("organizer-bot")


class SlackAccessError(Exception):
    """Slack will not take a token, or cannot be reached; worded for the person starting the bot."""


class SlackUnreachableError(SlackAccessError):
    """Slack could not be reached at all (refused, unresolvable, timed out): it may come back."""


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
        if is_placeholder(value):
            raise SlackAccessError(
                f"{token.variable} is still a placeholder: paste the real token from {APPS_PAGE} > your app > {token.source} into .env"
            )
    client = checking_client(settings)
    identity = call_slack(lambda: client.auth_test(token=settings.bot_token), BOT_TOKEN, settings.slack_api_url)
    if socket_mode:
        call_slack(
            lambda: client.apps_connections_open(app_token=settings.app_token), APP_TOKEN, settings.slack_api_url
        )
    return identity.data


# The clock, started during a Slack outage (a deploy), waits for Slack instead of exiting:
# nothing would restart it. Its tries are spaced 1, 2, 4, ... seconds apart, at most a minute.
FIRST_RETRY_SECONDS, LAST_RETRY_SECONDS = 1, 60


def until_slack_answers(check: Callable[[], dict | None]) -> dict | None:
    """`check` again and again while Slack cannot be reached, each try logged; a token Slack
    refuses still stops the start at once."""
    delay, attempt = FIRST_RETRY_SECONDS, 1
    while True:
        try:
            return check()
        except SlackUnreachableError as error:
            log.warning("try %d: %s; trying again in %ds", attempt, error, delay)
            time.sleep(delay)
            delay, attempt = min(delay * 2, LAST_RETRY_SECONDS), attempt + 1


def is_placeholder(token: str) -> bool:
    return bool(PLACEHOLDER.search(token)) and not re.search(r"[0-9]{6}", token)


def checking_client(settings: Settings):
    """No retries: a refused connection is the answer. slack_sdk logs it at ERROR before raising
    it; the exception alone becomes the one line."""
    from slack_sdk import WebClient

    quiet = logging.getLogger(f"{__name__}.slack_check")
    quiet.disabled = True
    return WebClient(base_url=settings.slack_api_url, timeout=CHECK_TIMEOUT, retry_handlers=[], logger=quiet)


def call_slack(call: Callable[[], object], token: _Token, api_url: str):
    """What `call` answers, or a SlackAccessError worded for the person at the terminal."""
    from slack_sdk.errors import SlackApiError

    try:
        return call()
    except SlackApiError as error:
        code = error.response.data.get("error") if isinstance(error.response.data, dict) else None
        raise SlackAccessError(_refusal(token, code, error.response.status_code, api_url)) from None
    except OSError as error:  # refused, unresolvable, timed out
        reason = getattr(error, "reason", None) or error
        raise SlackUnreachableError(
            f"cannot reach Slack at {api_url} ({reason}): check the network, any proxy, and SLACK_API_URL"
        ) from None


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
