"""The one place the services talk to Slack's Web API: posting with an idempotency key and
finding a post again, sharing a file once, classifying failures, and who a user is.

Posts carry their outbox key as message metadata. A post whose outcome is unknown (the
reply was lost, a 5xx, a timeout) is looked for with conversations.history/replies before
it is sent again, so a lost reply never becomes a second message.
"""

from __future__ import annotations

import enum
import http.client
import logging
import socket
import threading
import time
import urllib.error
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

log = logging.getLogger(__name__)

METADATA_TYPE = "organizer_bot_outbox"
# How far back to look for a post whose reply was lost: pages of the newest messages.
LOOKUP_PAGES = 5
LOOKUP_PAGE_SIZE = 200
# Errors that retrying will not fix.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "team_access_not_granted",
        "ekm_access_denied",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "too_many_attachments",
        "message_not_found",
        "thread_not_found",
        "not_authed",
        "missing_scope",
        "method_not_supported_for_channel_type",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "invalid_arguments",  # e.g. a view Slack refuses (views.publish): the same view again would be refused again
    }
)
# Slack no longer takes the workspace's token (revoked, uninstalled, the workspace deleted):
# nothing for that workspace can work until it is reinstalled.
TOKEN_ERRORS = frozenset({"invalid_auth", "token_revoked", "token_expired", "account_inactive"})
# ok=false answers after which Slack may or may not have done it.
UNCERTAIN_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})
CONNECTION_ERRORS = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    OSError,
)


class FailureKind(enum.Enum):
    TRANSIENT = "transient"  # not done; try again later
    UNCERTAIN = "uncertain"  # may have been done; look before trying again
    PERMANENT = "permanent"  # will never work as asked
    REVOKED = "revoked"  # not done: the workspace's token no longer works; wait for a reinstall


@dataclass(frozen=True)
class Failure:
    code: str
    kind: FailureKind
    retry_after: float | None = None
    unreachable: bool = False  # Slack did not answer, or answered 5xx: an outage, not this post's own problem


def classify(error: Exception) -> Failure:
    if isinstance(error, SlackApiError):
        response = error.response
        code = str(response.get("error") or f"http_{response.status_code}")
        if response.status_code == 429:
            retry_after = response.headers.get("Retry-After") or response.headers.get(
                "retry-after"
            )  # untranslated: a header
            return Failure("ratelimited", FailureKind.TRANSIENT, float(retry_after or 1))
        if response.status_code >= 500 or code in UNCERTAIN_ERRORS:
            return Failure(code, FailureKind.UNCERTAIN, unreachable=response.status_code >= 500)
        if code in TOKEN_ERRORS:
            return Failure(code, FailureKind.REVOKED)
        return Failure(code, FailureKind.PERMANENT if code in PERMANENT_ERRORS else FailureKind.TRANSIENT)
    return Failure(f"{type(error).__name__}: {error}"[:200], FailureKind.UNCERTAIN, unreachable=True)


# Calls that show something new in Slack: sending one again after a lost reply shows it twice.
NOT_REPEATABLE = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.meMessage",
        "chat.scheduleMessage",
        "files.completeUploadExternal",
        "views.open",
        "views.push",
    }
)


class RepeatableConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """slack_sdk's retry after a dropped connection, for calls that are safe to repeat only.

    A post whose reply was lost is not re-sent here: the outbox looks for it in Slack first.
    """

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        method = request.url.rstrip("/").rsplit("/", 1)[-1]
        return method not in NOT_REPEATABLE and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


# A call made before the ack must leave time to answer Slack within its 3 seconds.
BEFORE_ACK_TIMEOUT = 1.0


def before_ack(client: WebClient) -> WebClient:
    """The request's client for the few calls a listener makes before its ack: it gives up in
    time (and does not wait out a rate limit), so the answer reaches Slack within 3 seconds."""
    return WebClient(token=client.token, base_url=client.base_url, timeout=BEFORE_ACK_TIMEOUT, retry_handlers=[])


def with_token(client: WebClient, token: str) -> WebClient:
    """`client` (the app's: its base URL, timeout and retry handlers) speaking for another
    workspace's bot token, as Bolt's per-request clients do."""
    return WebClient(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout,
        logger=client.logger,
        retry_handlers=None if client.retry_handlers is None else list(client.retry_handlers),
    )


def retry_handlers() -> list:
    """Rate limits are always retried (nothing happened); dropped connections only where repeating is harmless."""
    return [RepeatableConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=2)]


def for_the_outbox(client: WebClient) -> WebClient:
    """`client` without waiting out rate limits: the outbox answers a 429 by setting when that
    channel takes its next post, instead of sleeping a posting thread while other channels wait."""
    kept = [handler for handler in client.retry_handlers or () if not isinstance(handler, RateLimitErrorRetryHandler)]
    return WebClient(
        token=client.token, base_url=client.base_url, timeout=client.timeout, logger=client.logger, retry_handlers=kept
    )


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str
    found: bool = False  # True: an earlier attempt had posted it; nothing was sent now


class Poster:
    """Posts, updates and finds messages for the delivery worker."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def post(
        self,
        channel: str,
        key: str,
        *,
        text: str,
        blocks: list[dict] | None = None,
        thread_ts: str | None = None,
        uncertain_since: datetime | None = None,
        join: bool = False,
    ) -> Posted:
        """Post once. `join`: if the bot is not in the (public) channel, join it and post; for
        announcements someone asked for, not for reminders in a channel that removed the bot."""
        if uncertain_since is not None:
            found = self.find(channel, key, thread_ts=thread_ts, since=uncertain_since)
            if found:
                return found
        try:
            response = self._post(channel, key, text, blocks, thread_ts)
        except SlackApiError as error:
            if not join or error.response.get("error") != "not_in_channel" or not self._join(channel):
                raise
            response = self._post(channel, key, text, blocks, thread_ts)
        return Posted(response["channel"], response["ts"])

    def _post(self, channel: str, key: str, text: str, blocks: list[dict] | None, thread_ts: str | None):
        in_thread = {"thread_ts": thread_ts, "reply_broadcast": False} if thread_ts else {}
        return self.client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            **in_thread,
            metadata={"event_type": METADATA_TYPE, "event_payload": {"key": key}},
        )

    def _join(self, channel: str) -> bool:
        """Public channels can be joined; private ones need an /invite (the error says so)."""
        try:
            self.client.conversations_join(channel=channel)
            return True
        except SlackApiError:
            return False

    def find(self, channel: str, key: str, *, thread_ts: str | None, since: datetime) -> Posted | None:
        """The message carrying `key`, among the newest in the channel (or thread), if any."""

        def carries_key(message: dict) -> bool:
            metadata = message.get("metadata") or {}
            return (
                metadata.get("event_type") == METADATA_TYPE and (metadata.get("event_payload") or {}).get("key") == key
            )

        return self._look_for(channel, carries_key, thread_ts=thread_ts, since=since)

    def upload(
        self,
        channel: str,
        *,
        filename: str,
        content: bytes,
        title: str,
        comment: str,
        uncertain_since: datetime | None = None,
    ) -> None:
        """Share a file in a channel or a DM (files_upload_v2: files.getUploadURLExternal, the upload,
        files.completeUploadExternal), once. A file carries no metadata: after an outcome that was
        unknown, the message sharing a file of that name (unique to the outbox row) is looked for."""
        conversation = self._conversation(channel)
        if uncertain_since is not None:

            def shares_it(message: dict) -> bool:
                return any(shared.get("name") == filename for shared in message.get("files") or ())

            if self._look_for(conversation, shares_it, thread_ts=None, since=uncertain_since):
                return
        self.client.files_upload_v2(
            channel=conversation, filename=filename, content=content, title=title, initial_comment=comment
        )

    def _look_for(
        self, channel: str, matches: Callable[[dict], bool], *, thread_ts: str | None, since: datetime
    ) -> Posted | None:
        """The newest messages of the channel (or thread) since a while before `since`: the first that `matches`."""
        conversation = self._conversation(channel)
        horizon = since.timestamp() - 600  # Slack's ts is its clock; allow for skew
        cursor = None
        for _ in range(LOOKUP_PAGES):
            page_args = dict(channel=conversation, limit=LOOKUP_PAGE_SIZE, include_all_metadata=True, cursor=cursor)
            if thread_ts:
                try:
                    response = self.client.conversations_replies(ts=thread_ts, **page_args)
                except SlackApiError as error:
                    if error.response.get("error") == "thread_not_found":
                        return None  # no thread, so nothing was posted in it: posting again decides
                    raise
            else:
                response = self.client.conversations_history(**page_args)
            messages = response.get("messages") or []
            for message in messages:
                if matches(message):
                    return Posted(conversation, message["ts"], found=True)
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            oldest_seen = min((float(m["ts"]) for m in messages), default=0.0)
            if not cursor or (not thread_ts and oldest_seen < horizon):
                return None
        return None

    def _conversation(self, channel: str) -> str:
        """A DM is addressed by user id; its history is read by the IM channel's id."""
        if channel[:1] in ("U", "W"):
            return self.client.conversations_open(users=channel)["channel"]["id"]
        return channel

    def update(self, channel: str, ts: str, *, text: str, blocks: list[dict]) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)

    def publish(self, user_id: str, view: dict) -> None:
        """A person's App Home. Publishing replaces the whole view, so doing it again after an
        outcome that was unknown shows the same thing: nothing to look for first."""
        self.client.views_publish(user_id=user_id, view=view)

    def permalink(self, channel: str, ts: str) -> str | None:
        try:
            return self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
        except (SlackApiError, *CONNECTION_ERRORS):
            return None  # the digest falls back to "/event show N"


# --- who a user is ---------------------------------------------------------------


class UserDirectory:
    """`users.info`, remembered for a while: a profile's time zone, language and name change rarely,
    and a modal should open without waiting for Slack twice. Admin status is never cached:
    permission checks ask Slack each time (services.permissions)."""

    def __init__(self, ttl_seconds: float = 3600, clock=time.monotonic) -> None:
        self._ttl, self._clock = ttl_seconds, clock
        self._cache: dict[tuple[str, str], tuple[float, dict]] = {}
        self._lock = threading.Lock()
        self._fetching: set[tuple[str, str]] = set()
        # Few threads: profiles fetched ahead of need must not compete with the listeners.
        self._fetcher = ThreadPoolExecutor(max_workers=4, thread_name_prefix="profiles")

    def cached(self, team_id: str, user_id: str, *, max_age: float | None = None) -> dict | None:
        """The remembered profile, if younger than `max_age` seconds (default: the cache's own time)."""
        with self._lock:
            entry = self._cache.get((team_id, user_id))
        if entry and self._clock() - entry[0] < (self._ttl if max_age is None else min(max_age, self._ttl)):
            return entry[1]
        return None

    def last_known(self, team_id: str, user_id: str) -> dict | None:
        """The profile as last seen, however long ago; for what may not wait for Slack."""
        with self._lock:
            entry = self._cache.get((team_id, user_id))
        return entry[1] if entry else None

    def fetch_in_background(self, client: WebClient, team_id: str, user_id: str) -> None:
        """Ask Slack for the profile on a thread of its own (once at a time per person), so that
        the next look finds it."""
        with self._lock:
            if (team_id, user_id) in self._fetching:
                return
            self._fetching.add((team_id, user_id))

        def fetch() -> None:
            try:
                self.profile(client, team_id, user_id, fresh=True)
            finally:
                with self._lock:
                    self._fetching.discard((team_id, user_id))

        self._fetcher.submit(fetch)

    def profile(self, client: WebClient, team_id: str, user_id: str, *, fresh: bool = False) -> dict:
        """The user's profile; an empty dict if Slack will not say (callers use defaults)."""
        if not fresh and (hit := self.cached(team_id, user_id)) is not None:
            return hit
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
        except (SlackApiError, *CONNECTION_ERRORS) as error:
            log.warning("users.info failed for %s: %s", user_id, classify(error).code)
            return {}
        with self._lock:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[(team_id, user_id)] = (self._clock(), user)
        return user


def is_private_channel(client: WebClient, channel_id: str) -> bool:
    """Whether a channel is private; when Slack will not say, assume it is (the safe side)."""
    try:
        return bool(client.conversations_info(channel=channel_id)["channel"].get("is_private"))
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        log.warning("conversations.info failed for %s: %s", channel_id, classify(error).code)
        return True
