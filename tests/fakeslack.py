"""A fake Slack Web API server for end-to-end tests: it behaves, and misbehaves, as Slack does.

Serves ``/api/<method>`` the way slack.com/api does (GET query or POST form/JSON body,
token in ``Authorization: Bearer``), ``/response/<name>-<n>`` the way response URLs do and
``/upload/v1/<file id>`` the way files_upload_v2's upload URLs do (faults injected for "upload" apply). It records every call and
keeps the state a person would see: channels and DMs with their messages and threads
(readable through conversations.history and conversations.replies, with message metadata),
shared files, each person's App Home (views.publish), users, tokens and OAuth installs. Standard library only.

    with FakeSlack() as slack:
        client = WebClient(base_url=slack.api_url, token="xoxb-test")
        slack.inject("chat.postMessage", Fault.accepted_then_dropped())
        ...
        [post] = slack.wait_for("chat.postMessage")
        assert [m["text"] for m in slack.history("C1")] == ["hello"]
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, Protocol
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from environment import scaled

TEAM_ID = "T0TEST"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0TEST"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"
# Arguments slack_sdk JSON-encodes when it sends a form body.
_JSON_KEYS = frozenset({"blocks", "attachments", "view", "metadata", "files"})
# Methods that count against ``channel_rate_limit`` (Slack's per-channel posting limit).
_POSTING = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
# Channels with fixed behaviour so tests can exercise the app's error paths.
_CHANNEL_ERRORS = {"C_ARCHIVED": "is_archived", "C_GONE": "channel_not_found"}
# Conversation ids as Slack issues them (channels, private channels, DMs); anything else is unknown.
_CONVERSATION_ID = re.compile(r"[CGD][A-Z0-9_]+")
_TOKEN_PREFIXES = ("xoxb-", "xoxp-", "xapp-")
# Methods Slack serves without a token (oauth.v2.access authenticates the app by client id and secret).
_NO_TOKEN = frozenset({"api.test", "oauth.v2.access", "response_url"})
_APP_TOKEN_METHODS = frozenset({"apps.connections.open"})

Args = dict[str, Any]


@dataclass
class Call:
    method: str  # e.g. "chat.postMessage", or "response_url"
    args: Args  # decoded arguments; "_url" holds the URL for response_url posts
    token: str | None
    at: float  # time.monotonic() when received
    error: str | None = None  # set when the fake answered ok=false (incl. 429), to tell retries apart
    took_effect: bool = False  # the call changed or read Slack's state, whatever the client was told
    dropped: bool = False  # the connection was closed without any reply


class SlackError(Exception):
    """Raised inside a handler to answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str, status: int = 200, retry_after: int | None = None) -> None:
        super().__init__(error)
        self.error, self.status, self.retry_after = error, status, retry_after


@dataclass(frozen=True)
class Fault:
    """One way a Web API call goes wrong, as it does against the real Slack. Build with the class methods."""

    kind: str  # "rejected", "accepted_then_error", "accepted_then_dropped" or "latency"
    code: str = "internal_error"
    status: int = 500
    retry_after: int | None = None
    seconds: float = 0.0

    @classmethod
    def rate_limited(cls, retry_after: int = 1) -> Fault:
        """HTTP 429 with Retry-After; the call has no effect."""
        return cls("rejected", "ratelimited", 429, retry_after)

    @classmethod
    def error(cls, code: str = "internal_error", status: int = 500) -> Fault:
        """``{"ok": false, "error": code}`` with that HTTP status; the call has no effect."""
        return cls("rejected", code, status)

    @classmethod
    def accepted_then_error(cls, status: int = 500, code: str = "internal_error") -> Fault:
        """The call takes effect (a post is stored and visible in history), then the reply is an error."""
        return cls("accepted_then_error", code, status)

    @classmethod
    def accepted_then_dropped(cls) -> Fault:
        """The call takes effect, then the connection is closed with no HTTP reply at all."""
        return cls("accepted_then_dropped")

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        """The call takes effect on arrival and its reply comes ``seconds`` later."""
        return cls("latency", seconds=seconds)


@dataclass
class _Injected:
    fault: Fault
    remaining: int


class _Answer(NamedTuple):
    status: int
    headers: dict[str, str]
    body: Args
    drop: bool = False  # close the connection instead of replying


@dataclass
class _Identity:
    """Who a token speaks for, as auth.test tells it."""

    team_id: str = TEAM_ID
    bot_user_id: str = BOT_USER_ID
    bot_id: str = BOT_ID
    enterprise_id: str | None = None
    is_enterprise_install: bool = False
    team_name: str = "Test"


@dataclass
class _OAuthGrant:
    identity: _Identity
    access_token: str
    user_id: str
    scope: str
    redirect_uri: str | None
    enterprise_name: str | None


@dataclass
class _File:
    id: str
    name: str
    length: int
    title: str | None = None
    data: bytes | None = None  # None until the bytes are posted to the upload URL
    shares: list[tuple[str, str]] = field(default_factory=list)  # (channel, message ts)


@dataclass
class _Home:
    """An App Home as published: what its person sees, and the token that published it."""

    view: Args
    token: str | None
    team_id: str


class SocketModeEndpoint(Protocol):
    """What apps.connections.open needs from a Socket Mode server (tests/socketmode.py)."""

    def issue_url(self) -> str: ...


class FakeSlack:
    def __init__(self, *, channel_rate_limit: float | None = None, latency: float = 0.0) -> None:
        # Seconds a channel must wait between posts; None disables the limit.
        self._post_interval = 1.0 / channel_rate_limit if channel_rate_limit else None
        # Seconds every Web API call's reply takes, like a round trip to Slack (set_latency: per method).
        self.latency = latency
        # Guards all state below and is notified on every call; re-entrant (RLock) so
        # handlers running under it may call the public helpers.
        self._cond = threading.Condition(threading.RLock())
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0  # source of view ids, file ids and response URL suffixes
        self._last_ts_micros = 0
        self.clock: Callable[[], float] = time.time  # seconds since the epoch that message ts are taken from
        self.socket_mode: SocketModeEndpoint | None = None  # attached by tests/socketmode.py
        self.users: dict[str, Args] = {}
        self.calls: list[Call] = []
        self.messages: dict[str, list[Args]] = {}  # channel -> every message, replies too, in posting order
        self.files: dict[str, _File] = {}
        self.homes: dict[str, _Home] = {}  # user id -> the App Home last published for them
        self._token: str | None = None  # the token of the call being handled (under the lock)
        self.private_channels: set[str] = set()  # conversations.info says is_private for these
        self.not_member: set[str] = set()  # channels the bot was never invited to: posting there fails
        self._injected: dict[str, list[_Injected]] = {}
        self._method_latency: dict[str, float] = {}
        self._next_post: dict[str, float] = {}
        self._throttled: dict[str, int] = {}
        self._channel_latency: dict[
            str, float
        ] = {}  # channel -> seconds each post there takes to answer  # channel -> the Retry-After every post there is answered with
        self._identities: dict[str, _Identity] = {}
        self._revoked: set[str] = set()
        self._oauth_codes: dict[str, _OAuthGrant] = {}
        self._handlers: dict[str, Callable[[Args, _Identity], Args]] = {
            "api.test": lambda a, who: {"args": a},
            "auth.test": self._auth_test,
            "team.info": lambda a, who: {"team": {"id": who.team_id, "name": who.team_name, "domain": "test"}},
            "users.info": self._users_info,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.getPermalink": self._permalink,
            "conversations.open": self._conversations_open,
            "conversations.join": self._conversations_join,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "views.open": self._modal,
            "views.push": self._modal,
            "views.update": self._view,
            "views.publish": self._publish,
            "oauth.v2.access": self._oauth_v2_access,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "apps.connections.open": self._connections_open,
        }

    # ---- lifecycle -------------------------------------------------------------------

    def start(self, port: int = 0) -> FakeSlack:
        """Serve on `port` (any free one by default)."""
        fake = self

        class Handler(_RequestHandler):
            slack = fake

        class Server(ThreadingHTTPServer):
            # socketserver's backlog of 5 overflows when dozens of listener threads call at
            # once, and the retransmitted SYNs would measure the fake, not the app.
            request_queue_size = 256

        self._server = Server(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        # A short poll interval keeps stop() (which waits for the next poll) fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fakeslack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "FakeSlack not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def response_url(self, name: str = "r") -> str:
        with self._cond:
            return f"{self.base_url}/response/{name}-{self._next()}"

    # ---- test-facing helpers ---------------------------------------------------------

    def calls_to(self, method: str) -> list[Args]:
        with self._cond:
            return [c.args for c in self.calls if c.method == method]

    def calls_of(self, method: str) -> list[Call]:
        """The calls to ``method`` with the token each carried (``Authorization: Bearer``)."""
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Args]:
        timeout = scaled(timeout)
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.calls_to(method)) >= count, timeout):
                seen = [c.method for c in self.calls]
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, "
                    f"got {len(self.calls_to(method))}; calls received: {seen}"
                )
            return self.calls_to(method)

    def reset(self) -> None:
        """Forget everything tests did: calls, messages, files, faults, tokens, installs, people, the ts clock."""
        with self._cond:
            self.users.clear()
            self.calls.clear()
            self.messages.clear()
            self.files.clear()
            self.homes.clear()
            self._injected.clear()
            self._method_latency.clear()
            self._next_post.clear()
            self._identities.clear()
            self._revoked.clear()
            self._oauth_codes.clear()
            self.private_channels.clear()
            self.not_member.clear()
            self.clock = time.time

    def add_user(
        self,
        user_id: str,
        *,
        tz: str = "America/New_York",
        is_admin: bool = False,
        is_owner: bool = False,
        name: str | None = None,
        real_name: str | None = None,
        email: str | None = None,
        team_id: str = TEAM_ID,
        locale: str = "en-US",
        enterprise_id: str | None = None,
        teams: tuple[str, ...] = (),
        org_admin: bool = False,
        org_owner: bool = False,
    ) -> None:
        """``team_id``: the user's own workspace (another one's, for a Slack Connect guest), of
        which ``is_admin`` and ``is_owner`` say (Slack's workspace roles are per workspace);
        ``locale``: the language of their Slack (`es-LA`, `es-ES`, ...).
        With ``enterprise_id``, an Enterprise Grid user, whose ``enterprise_user`` says the
        organization's roles (``org_admin``, ``org_owner``) and the workspaces of the organization
        they belong to (``teams``: their own workspace, and these)."""
        zone = ZoneInfo(tz)  # fail here, not mid-request, on a bad tz name
        now = datetime.now(zone)
        name = name or user_id.lower()
        real_name = real_name or name.title()
        offset = now.utcoffset()
        user = {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "real_name": real_name,
            "tz": tz,
            "tz_label": now.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "locale": locale,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_bot": False,
            "deleted": False,
            "profile": {"real_name": real_name, "display_name": name, "email": email},
        }
        if enterprise_id:
            user["enterprise_user"] = {
                "id": user_id,
                "enterprise_id": enterprise_id,
                "enterprise_name": "Coalition",
                "is_admin": org_admin,
                "is_owner": org_owner,
                "is_primary_owner": org_owner,
                "teams": list(dict.fromkeys((team_id, *teams))),
            }
        with self._cond:
            self.users[user_id] = user

    def inject(self, method: str, fault: Fault, *, times: int = 1) -> None:
        """Make the next ``times`` calls to ``method`` misbehave as ``fault`` says (queued after earlier faults)."""
        with self._cond:
            self._injected.setdefault(method, []).append(_Injected(fault, times))

    def clear_faults(self, method: str) -> None:
        """Faults still queued for ``method`` are dropped: Slack is back."""
        with self._cond:
            self._injected.pop(method, None)

    def fail_next(self, method: str, error: str = "internal_error", *, times: int = 1, status: int = 200) -> None:
        self.inject(method, Fault.error(error, status), times=times)

    def rate_limit_next(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        self.inject(method, Fault.rate_limited(retry_after), times=times)

    def throttle(self, channel: str, *, retry_after: int) -> None:
        """Every post to ``channel`` is answered 429 with ``Retry-After: retry_after`` (Slack
        limiting one busy channel) until ``unthrottle``; other channels are untouched."""
        with self._cond:
            self._throttled[channel] = retry_after

    def set_channel_latency(self, channel: str, seconds: float) -> None:
        """Every later post to ``channel`` answers ``seconds`` late (a slow channel, for fairness tests)."""
        with self._cond:
            self._channel_latency[channel] = seconds

    def unthrottle(self, channel: str) -> None:
        with self._cond:
            self._throttled.pop(channel, None)

    def set_latency(self, method: str, seconds: float) -> None:
        """Every later call to ``method`` answers ``seconds`` late (added to the global ``latency``)."""
        with self._cond:
            self._method_latency[method] = seconds

    def add_token(
        self,
        token: str,
        team_id: str,
        *,
        bot_user_id: str = BOT_USER_ID,
        bot_id: str = BOT_ID,
        enterprise_id: str | None = None,
        team_name: str = "Test",
    ) -> None:
        """Make ``token`` speak for a bot in ``team_id``; unknown tokens speak for the bot of TEAM_ID."""
        with self._cond:
            self._identities[token] = _Identity(team_id, bot_user_id, bot_id, enterprise_id, team_name=team_name)

    def revoke(self, token: str) -> None:
        """Every later call with ``token`` fails with token_revoked, as after an uninstall."""
        with self._cond:
            self._revoked.add(token)

    def add_oauth_code(
        self,
        code: str,
        team_id: str,
        *,
        team_name: str = "Test",
        bot_user_id: str = BOT_USER_ID,
        bot_id: str = BOT_ID,
        user_id: str = "U1",
        scope: str = "commands,chat:write",
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
        is_enterprise_install: bool = False,
        redirect_uri: str | None = None,
    ) -> str:
        """Let oauth.v2.access exchange ``code`` (once) for an install; returns the bot token it will grant."""
        with self._cond:
            token = f"xoxb-{team_id}-{self._next()}-fake"
            identity = _Identity(team_id, bot_user_id, bot_id, enterprise_id, is_enterprise_install, team_name)
            self._oauth_codes[code] = _OAuthGrant(identity, token, user_id, scope, redirect_uri, enterprise_name)
            return token

    def message(self, channel: str, ts: str) -> Args:
        with self._cond:
            try:
                return self._find(self._channel_id(channel), ts)[1]
            except SlackError:
                raise KeyError(f"no message {ts} in {channel}; have {self.messages}") from None

    def history(self, channel: str) -> list[Args]:
        """What a person sees in a channel: its top-level messages (and broadcast replies), oldest first."""
        with self._cond:
            return [self._with_thread(channel, m) for m in self._top_level(channel)]

    def thread(self, channel: str, ts: str) -> list[Args]:
        """The replies under the message ``ts``, oldest first."""
        with self._cond:
            return [dict(m) for m in self._replies(channel, ts)]

    def dm(self, user_id: str) -> list[Args]:
        """The bot's direct messages to ``user_id``, oldest first."""
        return self.history("D" + user_id)

    def home(self, user_id: str) -> Args | None:
        """The App Home ``user_id`` sees now (the view last published for them), or None."""
        with self._cond:
            published = self.homes.get(user_id)
            return dict(published.view) if published else None

    def home_token(self, user_id: str) -> str | None:
        """The token the App Home ``user_id`` sees was published with."""
        with self._cond:
            published = self.homes.get(user_id)
            return published.token if published else None

    def files_in(self, channel: str) -> list[Args]:
        """Files shared in ``channel``, in sharing order, with their uploaded bytes."""
        with self._cond:
            shared = [(ts, f) for f in self.files.values() for ch, ts in f.shares if ch == channel]
            return [
                {"id": f.id, "name": f.name, "title": f.title, "bytes": f.data, "ts": ts}
                for ts, f in sorted(shared, key=lambda pair: _ts_key(pair[0]))
            ]

    # ---- request dispatch (called from server threads) -------------------------------

    def _handle(self, method: str, args: Args, token: str | None) -> _Answer:
        call = Call(method, args, token, time.monotonic())
        with self._cond:
            fault = self._take_fault(method)
            delay = self.latency + self._method_latency.get(method, 0.0)
            if method in _POSTING:
                delay += self._channel_latency.get(str(args.get("channel")), 0.0)
            try:
                if fault is not None and fault.kind == "rejected":
                    raise SlackError(fault.code, fault.status, fault.retry_after)
                who = self._authenticate(method, token)
                channel = self._check_post_rate(method, args, call.at)
                handler = self._handlers.get(method)
                self._token = token  # for the few handlers that keep it (views.publish)
                body: Args = {"ok": True, **(handler(args, who) if handler else {})}
                call.took_effect = True
                if channel is not None:  # only accepted posts use up the channel's budget
                    self._next_post[channel] = call.at + self._post_interval  # type: ignore[operator]
                answer = _Answer(200, {}, body)
                if fault is not None and fault.kind == "accepted_then_error":
                    raise SlackError(fault.code, fault.status)
                if fault is not None and fault.kind == "accepted_then_dropped":
                    call.dropped = True
                    answer = _Answer(0, {}, {}, drop=True)
                if fault is not None and fault.kind == "latency":
                    delay += fault.seconds
            except SlackError as e:
                call.error = e.error
                headers = {"Retry-After": str(e.retry_after)} if e.retry_after is not None else {}
                answer = _Answer(e.status, headers, {"ok": False, "error": e.error})
            self.calls.append(call)
            self._cond.notify_all()
        if delay:
            time.sleep(delay)  # outside the lock: slow calls overlap, as they do against Slack
        return answer

    def _take_fault(self, method: str) -> Fault | None:
        queue = self._injected.get(method)
        if not queue:
            return None
        head = queue[0]
        head.remaining -= 1
        if head.remaining <= 0:
            queue.pop(0)
        return head.fault

    def _authenticate(self, method: str, token: str | None) -> _Identity:
        if method in _NO_TOKEN:
            return _Identity()
        if not token:
            raise SlackError("not_authed")
        if token in self._revoked:
            raise SlackError("token_revoked")
        # Placeholders such as .env.example's xoxb-your-bot-token are not tokens Slack ever issued.
        if not token.startswith(_TOKEN_PREFIXES) or "-your-" in token:
            raise SlackError("invalid_auth")
        if token.startswith("xapp-") != (method in _APP_TOKEN_METHODS):
            raise SlackError("not_allowed_token_type")
        return self._identities.get(token, _Identity())

    def _check_post_rate(self, method: str, args: Args, now: float) -> str | None:
        """Return the channel to charge for this post, or raise 429 if it is over its limit."""
        if method in _POSTING and self._channel_id(args.get("channel")) in self._throttled:
            raise SlackError("ratelimited", 429, self._throttled[self._channel_id(args.get("channel"))])
        if self._post_interval is None or method not in _POSTING:
            return None
        channel = self._channel_id(args.get("channel"))
        wait = self._next_post.get(channel, 0.0) - now
        if wait > 0:
            raise SlackError("ratelimited", 429, max(1, math.ceil(wait)))
        return channel

    def _upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        """The bytes posted to an upload URL; faults injected for "upload" apply (rejected: nothing
        is kept; accepted_then_error: the bytes are kept, the answer is an error)."""
        with self._cond:
            upload = self.files.get(file_id)
            fault = self._take_fault("upload")
            call = Call("upload", {"file_id": file_id, "length": len(data)}, None, time.monotonic())
            self.calls.append(call)
            self._cond.notify_all()
            if upload is None:
                call.error = "file_not_found"
                return 404, "file not found"
            if fault is not None and fault.kind == "rejected":
                call.error = fault.code
                return fault.status, fault.code
            upload.data, call.took_effect = data, True
            if fault is not None and fault.kind == "accepted_then_error":
                call.error = fault.code
                return fault.status, fault.code
            return 200, f"OK - {len(data)}"

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _ts(self) -> str:
        # Slack's "seconds.micros" of the posting time, unique and increasing even when the clock stands still.
        micros = max(int(self.clock() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    @staticmethod
    def _channel_id(channel: Any) -> str:
        # Slack accepts a user id as a channel and answers with the DM channel id.
        channel = str(channel or "")
        if channel[:1] in ("U", "W"):
            return "D" + channel
        if channel in _CHANNEL_ERRORS:
            raise SlackError(_CHANNEL_ERRORS[channel])
        if not channel:
            raise SlackError("channel_not_found")
        return channel

    @staticmethod
    def _readable_channel(channel: Any) -> str:
        # Reading needs a conversation id (an archived channel can still be read); names are not accepted.
        channel = str(channel or "")
        if not _CONVERSATION_ID.fullmatch(channel) or _CHANNEL_ERRORS.get(channel) == "channel_not_found":
            raise SlackError("channel_not_found")
        return channel

    def _find(self, channel: str, ts: Any) -> tuple[int, Args]:
        for i, msg in enumerate(self.messages.get(channel, [])):
            if msg["ts"] == ts:
                return i, msg
        raise SlackError("message_not_found")

    def _top_level(self, channel: str) -> list[Args]:
        return [
            m
            for m in self.messages.get(channel, [])
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]

    def _replies(self, channel: str, ts: str) -> list[Args]:
        return [m for m in self.messages.get(channel, []) if m.get("thread_ts") == ts and m["ts"] != ts]

    def _with_thread(self, channel: str, message: Args) -> Args:
        """A copy of ``message`` as Slack lists it: a parent carries its thread's summary."""
        out = dict(message)
        replies = self._replies(channel, message["ts"]) if message.get("subtype") != "thread_broadcast" else []
        if replies:
            users = list(dict.fromkeys(r["user"] for r in replies))
            out.update(
                thread_ts=message["ts"],
                reply_count=len(replies),
                reply_users=users,
                reply_users_count=len(users),
                latest_reply=replies[-1]["ts"],
            )
        return out

    # ---- method handlers: return the response body minus "ok" ------------------------

    def _auth_test(self, args: Args, who: _Identity) -> Args:
        body = {
            "url": "https://test.slack.com/",
            "team": who.team_name,
            "user": "bot",
            "team_id": who.team_id,
            "user_id": who.bot_user_id,
            "bot_id": who.bot_id,
            "is_enterprise_install": who.is_enterprise_install,
        }
        if who.enterprise_id:
            body["enterprise_id"] = who.enterprise_id
        return body

    def _users_info(self, args: Args, who: _Identity) -> Args:
        user_id = str(args.get("user", ""))
        if user_id not in self.users:
            self.add_user(user_id, team_id=who.team_id)  # unknown users get defaults rather than user_not_found
        user = dict(self.users[user_id])
        if not _flag(args.get("include_locale")):  # as Slack: the locale only when asked for
            user.pop("locale")
        return {"user": user}

    def _post_message(self, args: Args, who: _Identity) -> Args:
        channel = self._channel_id(args.get("channel"))
        if channel in self.not_member:
            raise SlackError("not_in_channel")
        message = self._new_message(who, text=args.get("text", ""))
        for key in ("blocks", "attachments"):
            if args.get(key) is not None:
                message[key] = args[key]
        if args.get("metadata") is not None:
            message["metadata"] = _metadata(args["metadata"])
        thread_ts = args.get("thread_ts")
        if thread_ts:
            message["thread_ts"] = str(thread_ts)
            parent = next((m for m in self.messages.get(channel, []) if m["ts"] == thread_ts), None)
            if parent is not None:
                message["parent_user_id"] = parent.get("user")
            if _flag(args.get("reply_broadcast")):
                message["subtype"] = "thread_broadcast"
        self.messages.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": message["ts"], "message": dict(message)}

    def _new_message(self, who: _Identity, *, text: str) -> Args:
        return {
            "type": "message",
            "user": who.bot_user_id,
            "bot_id": who.bot_id,
            "app_id": APP_ID,
            "team": who.team_id,
            "ts": self._ts(),
            "text": text,
        }

    def _post_ephemeral(self, args: Args, who: _Identity) -> Args:
        self._channel_id(args.get("channel"))  # validate only: ephemerals are not channel history
        return {"message_ts": self._ts()}

    def _update(self, args: Args, who: _Identity) -> Args:
        channel = self._channel_id(args.get("channel"))
        _, message = self._find(channel, args.get("ts"))
        message.update({k: args[k] for k in ("text", "blocks", "attachments") if k in args})
        if args.get("metadata") is not None:
            message["metadata"] = _metadata(args["metadata"])
        message["edited"] = {"user": who.bot_user_id, "ts": self._ts()}
        return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": dict(message)}

    def _delete(self, args: Args, who: _Identity) -> Args:
        channel = self._channel_id(args.get("channel"))
        index, message = self._find(channel, args.get("ts"))
        if self._replies(channel, message["ts"]):
            # A parent with replies stays as a tombstone so that its thread can still be read.
            self.messages[channel][index] = {
                "type": "message",
                "subtype": "tombstone",
                "user": "USLACKBOT",
                "ts": message["ts"],
                "thread_ts": message["ts"],
                "text": "This message was deleted.",
            }
        else:
            del self.messages[channel][index]
        return {"channel": channel, "ts": message["ts"]}

    def _permalink(self, args: Args, who: _Identity) -> Args:
        channel = self._channel_id(args.get("channel"))
        ts = str(args.get("message_ts", ""))
        return {"channel": channel, "permalink": f"https://test.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _conversations_open(self, args: Args, who: _Identity) -> Args:
        users = args.get("users") or ""
        first = users[0] if isinstance(users, list) else str(users).split(",")[0]
        return {"channel": {"id": args.get("channel") or "D" + first}}

    def _conversations_join(self, args: Args, who: _Identity) -> Args:
        # A public channel can be joined; a private one needs an /invite.
        channel = self._channel_id(args.get("channel"))
        if channel in self.private_channels:
            raise SlackError("method_not_supported_for_channel_type")
        self.not_member.discard(channel)
        return {"channel": {"id": channel}}

    def _conversations_info(self, args: Args, who: _Identity) -> Args:
        archived = args.get("channel") == "C_ARCHIVED"  # still exists, just archived
        channel = "C_ARCHIVED" if archived else self._channel_id(args.get("channel"))
        private = channel in self.private_channels
        return {"channel": {"id": channel, "name": "general", "is_private": private, "is_archived": archived}}

    def _conversations_history(self, args: Args, who: _Identity) -> Args:
        channel = self._readable_channel(args.get("channel"))
        listed = [self._with_thread(channel, m) for m in reversed(self._top_level(channel))]  # newest first
        page, more = _page(_in_window(listed, args), args, default_limit=100, newest_first=True)
        body: Args = {"messages": _shown(page, args), "has_more": more, "pin_count": 0}
        if more:
            body["response_metadata"] = {"next_cursor": _cursor(page[-1]["ts"])}
        return body

    def _conversations_replies(self, args: Args, who: _Identity) -> Args:
        channel = self._readable_channel(args.get("channel"))
        ts = str(args.get("ts") or "")
        try:
            _, parent = self._find(channel, ts)
        except SlackError:
            raise SlackError("thread_not_found") from None
        replies = [dict(m) for m in self._replies(channel, ts)] if parent.get("thread_ts") in (None, ts) else []
        # The parent heads the first page; later pages start after the cursor, past it.
        thread = [self._with_thread(channel, parent)] + _in_window(replies, args)
        page, more = _page(thread, args, default_limit=1000, newest_first=False)
        body: Args = {"messages": _shown(page, args), "has_more": more}
        if more:
            body["response_metadata"] = {"next_cursor": _cursor(page[-1]["ts"])}
        return body

    def _modal(self, args: Args, who: _Identity) -> Args:
        # Opening or pushing a modal needs the trigger_id of a fresh interaction.
        if not args.get("trigger_id"):
            raise SlackError("invalid_trigger_id")
        return self._view(args, who)

    def _publish(self, args: Args, who: _Identity) -> Args:
        """views.publish: a Home tab for one person, at most 100 blocks, as Slack checks it."""
        user_id = args.get("user_id")
        view = args.get("view")
        if not user_id or not isinstance(view, dict) or view.get("type") != "home":
            raise SlackError("invalid_arguments")
        if not isinstance(view.get("blocks"), list) or len(view["blocks"]) > 100:
            raise SlackError("invalid_arguments")
        answer = self._view(args, who)
        self.homes[str(user_id)] = _Home(answer["view"], self._token, who.team_id)
        return answer

    def _view(self, args: Args, who: _Identity) -> Args:
        n = self._next()
        view = args.get("view") if isinstance(args.get("view"), dict) else {}
        return {"view": {**view, "id": args.get("view_id") or f"V{n}", "hash": f"h{n}", "team_id": who.team_id}}

    def _oauth_v2_access(self, args: Args, who: _Identity) -> Args:
        if args.get("client_id") != CLIENT_ID:
            raise SlackError("invalid_client_id")
        if args.get("client_secret") != CLIENT_SECRET:
            raise SlackError("bad_client_secret")
        grant = self._oauth_codes.pop(str(args.get("code", "")), None)  # a code is good for one exchange
        if grant is None:
            raise SlackError("invalid_code")
        if grant.redirect_uri is not None and args.get("redirect_uri") != grant.redirect_uri:
            raise SlackError("bad_redirect_uri")
        who = grant.identity
        self._identities[grant.access_token] = who
        enterprise = (
            {"id": who.enterprise_id, "name": grant.enterprise_name or who.enterprise_id} if who.enterprise_id else None
        )
        return {
            "access_token": grant.access_token,
            "token_type": "bot",
            "scope": grant.scope,
            "bot_user_id": who.bot_user_id,
            "app_id": APP_ID,
            # An org-wide install belongs to the enterprise, not to one workspace.
            "team": None if who.is_enterprise_install else {"id": who.team_id, "name": who.team_name},
            "enterprise": enterprise,
            "authed_user": {"id": grant.user_id},
            "is_enterprise_install": who.is_enterprise_install,
        }

    def _get_upload_url(self, args: Args, who: _Identity) -> Args:
        filename = str(args.get("filename") or "")
        try:
            length = int(args.get("length", ""))
        except ValueError:
            raise SlackError("invalid_arguments") from None
        if not filename or length < 1:
            raise SlackError("invalid_arguments")
        file_id = f"F{self._next():08d}"
        self.files[file_id] = _File(file_id, filename, length)
        return {"upload_url": f"{self.base_url}/upload/v1/{file_id}", "file_id": file_id}

    def _complete_upload(self, args: Args, who: _Identity) -> Args:
        requested = args.get("files")
        if not isinstance(requested, list) or not requested:
            raise SlackError("invalid_arguments")
        uploads = []
        for item in requested:
            upload = self.files.get(str(item.get("id")))
            if upload is None or upload.data is None:
                raise SlackError("file_not_found")
            upload.title = item.get("title") or upload.name
            uploads.append(upload)
        channel = args.get("channel_id") or args.get("channels")
        shown = [_file_object(u, who) for u in uploads]
        if channel:
            channel = self._channel_id(channel)
            message = self._new_message(who, text=args.get("initial_comment") or "")
            message.update(files=shown, upload=True)
            if args.get("thread_ts"):
                message["thread_ts"] = str(args["thread_ts"])
            self.messages.setdefault(channel, []).append(message)
            for upload in uploads:
                upload.shares.append((channel, message["ts"]))
        return {"files": shown}

    def _connections_open(self, args: Args, who: _Identity) -> Args:
        if self.socket_mode is None:
            raise SlackError("socket_mode_not_enabled")  # the fake's own code: no server is attached
        return {"url": self.socket_mode.issue_url()}


def _flag(value: Any) -> bool:
    """A boolean argument as Slack reads it from a form (``true``/``1``) or a JSON body."""
    return value is True or str(value).lower() in ("true", "1")


def _ts_key(ts: Any) -> Decimal:
    try:
        return Decimal(str(ts))
    except InvalidOperation:
        raise SlackError("invalid_ts_latest") from None


def _metadata(value: Any) -> Args:
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("event_type"), str)
        or not isinstance(value.get("event_payload"), dict)
    ):
        raise SlackError("invalid_metadata_format")
    return {"event_type": value["event_type"], "event_payload": value["event_payload"]}


def _in_window(messages: list[Args], args: Args) -> list[Args]:
    """The messages between ``oldest`` and ``latest`` (both excluded unless ``inclusive``)."""
    inclusive = _flag(args.get("inclusive"))
    oldest = _ts_key(args["oldest"]) if args.get("oldest") else None
    latest = _ts_key(args["latest"]) if args.get("latest") else None

    def inside(ts: Decimal) -> bool:
        above = oldest is None or ts > oldest or (inclusive and ts == oldest)
        below = latest is None or ts < latest or (inclusive and ts == latest)
        return above and below

    return [m for m in messages if inside(_ts_key(m["ts"]))]


def _page(messages: list[Args], args: Args, *, default_limit: int, newest_first: bool) -> tuple[list[Args], bool]:
    """One page after ``cursor`` (which holds the last ts of the previous page) and whether more follow."""
    try:
        limit = min(int(args.get("limit") or default_limit), 999 if newest_first else 1000)
    except ValueError:
        raise SlackError("invalid_limit") from None
    if args.get("cursor"):
        after = _ts_key(_uncursor(str(args["cursor"])))
        messages = [m for m in messages if (_ts_key(m["ts"]) < after if newest_first else _ts_key(m["ts"]) > after)]
    limit = max(limit, 1)
    return messages[:limit], len(messages) > limit


def _cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _uncursor(cursor: str) -> str:
    try:
        kind, _, ts = base64.b64decode(cursor, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if kind != "next_ts":
        raise SlackError("invalid_cursor")
    return ts


def _shown(messages: list[Args], args: Args) -> list[Args]:
    """Message metadata is only returned to those who ask for it."""
    if _flag(args.get("include_all_metadata")):
        return messages
    return [{k: v for k, v in m.items() if k != "metadata"} for m in messages]


def _file_object(upload: _File, who: _Identity) -> Args:
    return {
        "id": upload.id,
        "name": upload.name,
        "title": upload.title,
        "size": len(upload.data or b""),
        "user": who.bot_user_id,
        "mode": "hosted",
        "permalink": f"https://test.slack.com/files/{who.bot_user_id}/{upload.id}/{upload.name}",
    }


class _RequestHandler(BaseHTTPRequestHandler):
    slack: FakeSlack  # set on the per-server subclass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean

    def _serve(self) -> None:
        url = urlsplit(self.path)
        if url.path.startswith("/upload/v1/"):
            status, text = self.slack._upload(url.path[len("/upload/v1/") :], self._read_body())
            self._reply(status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode())
            return
        args = self._read_args(url.query)
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else args.pop("token", None)
        if auth.startswith("Basic "):  # oauth.v2.access: the app's client id and secret
            client_id, _, client_secret = base64.b64decode(auth[len("Basic ") :]).decode().partition(":")
            args.setdefault("client_id", client_id)
            args.setdefault("client_secret", client_secret)
        if url.path.startswith("/api/") and len(url.path) > 5:
            answer = self.slack._handle(url.path[5:], args, token)
        elif url.path.startswith("/response/"):
            args["_url"] = self.slack.base_url + url.path
            answer = self.slack._handle("response_url", args, token)
        else:
            answer = _Answer(404, {}, {"ok": False, "error": "not_found"})
        if answer.drop:
            self.close_connection = True  # the socket is closed with nothing written: no HTTP reply at all
            return
        self._reply(
            answer.status,
            {"Content-Type": "application/json; charset=utf-8", **answer.headers},
            json.dumps(answer.body).encode(),
        )

    def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (its timeout was shorter than the latency): as against Slack

    def _read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _read_args(self, query: str) -> Args:
        raw = self._read_body().decode()
        if "json" in self.headers.get("Content-Type", ""):
            args: Args = _flatten(parse_qs(query))
            args.update(json.loads(raw or "{}"))
        else:  # form body (multipart uploads are not supported and decode to nothing useful)
            args = _flatten(parse_qs(query) | parse_qs(raw))
        for key in _JSON_KEYS & args.keys():
            value = args[key]
            if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
                args[key] = json.loads(value)
        return args


def _flatten(qs: dict[str, list[str]]) -> Args:
    return {k: v[0] if len(v) == 1 else v for k, v in qs.items()}
