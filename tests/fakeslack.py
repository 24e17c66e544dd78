"""A fake Slack Web API server for end-to-end tests.

Serves ``/api/<method>`` the way slack.com/api does (GET query or POST form/JSON body,
token in ``Authorization: Bearer``) and ``/response/<name>-<n>`` the way response URLs
do. It records every call and keeps just enough state (messages, users, views) for
slack_sdk and Bolt to behave as they would against real Slack. Standard library only.

    with FakeSlack() as slack:
        client = WebClient(base_url=slack.api_url, token="xoxb-test")
        ...
        [post] = slack.wait_for("chat.postMessage")
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

TEAM_ID = "T0TEST"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
# Arguments slack_sdk JSON-encodes when it sends a form body.
_JSON_KEYS = frozenset({"blocks", "attachments", "view", "metadata"})
# Methods that count against ``channel_rate_limit`` (Slack's per-channel posting limit).
_POSTING = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
# Channels with fixed behaviour so tests can exercise the app's error paths.
_CHANNEL_ERRORS = {"C_ARCHIVED": "is_archived", "C_GONE": "channel_not_found"}

Args = dict[str, Any]


@dataclass
class Call:
    method: str  # e.g. "chat.postMessage", or "response_url"
    args: Args  # decoded arguments; "_url" holds the URL for response_url posts
    token: str | None
    at: float  # time.monotonic() when received
    error: str | None = None  # set when the fake answered ok=false (incl. 429), to tell retries apart


class SlackError(Exception):
    """Raised inside a handler to answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str, status: int = 200, retry_after: int | None = None) -> None:
        super().__init__(error)
        self.error, self.status, self.retry_after = error, status, retry_after


@dataclass
class _Injected:
    """A failure queued by fail_next / rate_limit_next."""

    error: SlackError
    remaining: int


class FakeSlack:
    def __init__(self, *, channel_rate_limit: float | None = None, latency: float = 0.0) -> None:
        # Seconds a channel must wait between posts; None disables the limit.
        self._post_interval = 1.0 / channel_rate_limit if channel_rate_limit else None
        # Seconds every Web API call takes before it is handled, like a round trip to Slack.
        self.latency = latency
        # Guards all state below and is notified on every call; re-entrant (RLock) so
        # handlers running under it may call the public helpers.
        self._cond = threading.Condition(threading.RLock())
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0  # source of ts values, view ids and response URL suffixes
        self.users: dict[str, Args] = {}
        self.calls: list[Call] = []
        self.messages: dict[str, list[Args]] = {}
        self._injected: dict[str, list[_Injected]] = {}
        self._next_post: dict[str, float] = {}
        self._handlers: dict[str, Callable[[Args], Args]] = {
            "auth.test": self._auth_test,
            "team.info": lambda a: {"team": {"id": TEAM_ID, "name": "Test", "domain": "test"}},
            "users.info": self._users_info,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.getPermalink": self._permalink,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "views.open": self._modal,
            "views.push": self._modal,
            "views.update": self._view,
            "views.publish": self._view,
        }

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeSlack:
        fake = self

        class Handler(_RequestHandler):
            slack = fake

        class Server(ThreadingHTTPServer):
            # socketserver's backlog of 5 overflows when dozens of listener threads call at
            # once, and the retransmitted SYNs would measure the fake, not the app.
            request_queue_size = 256

        self._server = Server(("127.0.0.1", 0), Handler)
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

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Args]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.calls_to(method)) >= count, timeout):
                seen = [c.method for c in self.calls]
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, "
                    f"got {len(self.calls_to(method))}; calls received: {seen}"
                )
            return self.calls_to(method)

    def reset(self) -> None:
        with self._cond:
            self.calls.clear()
            self.messages.clear()
            self._injected.clear()
            self._next_post.clear()

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
    ) -> None:
        zone = ZoneInfo(tz)  # fail here, not mid-request, on a bad tz name
        now = datetime.now(zone)
        name = name or user_id.lower()
        real_name = real_name or name.title()
        offset = now.utcoffset()
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": real_name,
            "tz": tz,
            "tz_label": now.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_bot": False,
            "deleted": False,
            "profile": {"real_name": real_name, "display_name": name, "email": email},
        }
        with self._cond:
            self.users[user_id] = user

    def fail_next(self, method: str, error: str = "internal_error", *, times: int = 1, status: int = 200) -> None:
        self._inject(method, SlackError(error, status), times)

    def rate_limit_next(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        self._inject(method, SlackError("ratelimited", 429, retry_after), times)

    def message(self, channel: str, ts: str) -> Args:
        with self._cond:
            try:
                return self._find(self._channel_id(channel), ts)[1]
            except SlackError:
                raise KeyError(f"no message {ts} in {channel}; have {self.messages}") from None

    # ---- request dispatch (called from server threads) -------------------------------

    def _handle(self, method: str, args: Args, token: str | None) -> tuple[int, dict[str, str], Args]:
        if self.latency:
            time.sleep(self.latency)  # outside the lock: slow calls overlap, as they do against Slack
        call = Call(method, args, token, time.monotonic())
        with self._cond:
            try:
                self._raise_injected(method)
                channel = self._check_post_rate(method, args, call.at)
                handler = self._handlers.get(method)
                body: Args = {"ok": True, **(handler(args) if handler else {})}
                if channel is not None:  # only accepted posts use up the channel's budget
                    self._next_post[channel] = call.at + self._post_interval  # type: ignore[operator]
                status, headers = 200, {}
            except SlackError as e:
                call.error = e.error
                status, body = e.status, {"ok": False, "error": e.error}
                headers = {"Retry-After": str(e.retry_after)} if e.retry_after is not None else {}
            self.calls.append(call)
            self._cond.notify_all()
        return status, headers, body

    def _inject(self, method: str, error: SlackError, times: int) -> None:
        with self._cond:
            self._injected.setdefault(method, []).append(_Injected(error, times))

    def _raise_injected(self, method: str) -> None:
        queue = self._injected.get(method)
        if queue:
            head = queue[0]
            head.remaining -= 1
            if head.remaining <= 0:
                queue.pop(0)
            raise head.error

    def _check_post_rate(self, method: str, args: Args, now: float) -> str | None:
        """Return the channel to charge for this post, or raise 429 if it is over its limit."""
        if self._post_interval is None or method not in _POSTING:
            return None
        channel = self._channel_id(args.get("channel"))
        wait = self._next_post.get(channel, 0.0) - now
        if wait > 0:
            raise SlackError("ratelimited", 429, max(1, math.ceil(wait)))
        return channel

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _ts(self) -> str:
        # Unique and increasing, shaped like Slack's "seconds.micros" message timestamps.
        n = self._next()
        return f"{1_700_000_000 + n // 10_000}.{n % 10_000 * 100:06d}"

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

    def _find(self, channel: str, ts: Any) -> tuple[int, Args]:
        for i, msg in enumerate(self.messages.get(channel, [])):
            if msg["ts"] == ts:
                return i, msg
        raise SlackError("message_not_found")

    # ---- method handlers: return the response body minus "ok" ------------------------

    def _auth_test(self, args: Args) -> Args:
        return {"url": "https://test.slack.com/", "team": "Test", "user": "bot",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID}

    def _users_info(self, args: Args) -> Args:
        user_id = str(args.get("user", ""))
        if user_id not in self.users:
            self.add_user(user_id)  # unknown users get defaults rather than user_not_found
        return {"user": self.users[user_id]}

    def _post_message(self, args: Args) -> Args:
        channel = self._channel_id(args.get("channel"))
        ts = self._ts()
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts,
                   "text": args.get("text", ""), "blocks": args.get("blocks"),
                   "thread_ts": args.get("thread_ts")}
        self.messages.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": ts, "message": message}

    def _post_ephemeral(self, args: Args) -> Args:
        self._channel_id(args.get("channel"))  # validate only: ephemerals are not channel history
        return {"message_ts": self._ts()}

    def _update(self, args: Args) -> Args:
        channel = self._channel_id(args.get("channel"))
        _, message = self._find(channel, args.get("ts"))
        message.update({k: args[k] for k in ("text", "blocks", "attachments") if k in args})
        return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": message}

    def _delete(self, args: Args) -> Args:
        channel = self._channel_id(args.get("channel"))
        index, message = self._find(channel, args.get("ts"))
        del self.messages[channel][index]
        return {"channel": channel, "ts": message["ts"]}

    def _permalink(self, args: Args) -> Args:
        channel = self._channel_id(args.get("channel"))
        ts = str(args.get("message_ts", ""))
        return {"channel": channel, "permalink": f"https://test.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _conversations_open(self, args: Args) -> Args:
        users = args.get("users") or ""
        first = users[0] if isinstance(users, list) else str(users).split(",")[0]
        return {"channel": {"id": args.get("channel") or "D" + first}}

    def _conversations_info(self, args: Args) -> Args:
        archived = args.get("channel") == "C_ARCHIVED"  # still exists, just archived
        channel = "C_ARCHIVED" if archived else self._channel_id(args.get("channel"))
        return {"channel": {"id": channel, "name": "general", "is_private": False, "is_archived": archived}}

    def _modal(self, args: Args) -> Args:
        # Opening or pushing a modal needs the trigger_id of a fresh interaction.
        if not args.get("trigger_id"):
            raise SlackError("invalid_trigger_id")
        return self._view(args)

    def _view(self, args: Args) -> Args:
        n = self._next()
        view = args.get("view") if isinstance(args.get("view"), dict) else {}
        return {"view": {**view, "id": args.get("view_id") or f"V{n}", "hash": f"h{n}", "team_id": TEAM_ID}}


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
        auth = self.headers.get("Authorization", "")
        args = self._read_args(url.query)
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else args.pop("token", None)
        if url.path.startswith("/api/") and len(url.path) > 5:
            status, headers, body = self.slack._handle(url.path[5:], args, token)
        elif url.path.startswith("/response/"):
            args["_url"] = self.slack.base_url + url.path
            status, headers, body = self.slack._handle("response_url", args, token)
        else:
            status, headers, body = 404, {}, {"ok": False, "error": "not_found"}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def _read_args(self, query: str) -> Args:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
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
