"""A loopback Socket Mode server: Slack's side of the WebSocket, for end-to-end tests.

The app connects as it would to Slack: it calls apps.connections.open on the fake Web API
(with an app-level ``xapp-`` token), gets a ``ws://127.0.0.1`` URL with a single-use ticket,
and opens a real WebSocket to it. The server then speaks Slack's protocol:

- on connect it sends ``hello`` (``num_connections``, ``connection_info.app_id``, ``debug_info``);
- ``send(envelope_type, payload)`` delivers a ``slash_commands``, ``interactive`` or
  ``events_api`` envelope to the newest live connection and waits for its ack
  ``{"envelope_id": …, "payload": …}``, as Slack waits 3 seconds for it;
- ``disconnect(reason)`` sends Slack's ``disconnect`` message: the client must fetch a new
  URL from apps.connections.open and reconnect, envelopes going to the new connection;
- ``drop()`` resets every connection with no goodbye, as a lost network or host does.

    with FakeSlack() as slack, SocketModeServer(slack) as server:
        handler = SocketModeHandler(app, "xapp-…"); handler.connect()
        ack = server.send("slash_commands", {...}, accepts_response_payload=True)

Built on the `websockets` library's threaded server: a maintained, RFC 6455-complete
implementation (handshake, masking, ping/pong, close) so the test exercises slack_sdk's own
client rather than a home-made framing that might share its blind spots.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from environment import scaled
from fakeslack import APP_ID, FakeSlack

ACK_TIMEOUT = 3.0  # seconds Slack waits for an envelope's ack


@dataclass
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None  # what the app answered (a message, response_action, ...), if anything
    seconds: float  # from sending the envelope to receiving its ack


class _Envelope:
    def __init__(self) -> None:
        self.received = threading.Event()
        self.payload: dict[str, Any] | None = None


class SocketModeServer:
    def __init__(self, slack: FakeSlack, *, app_id: str = APP_ID) -> None:
        self.slack = slack
        self.app_id = app_id
        self._lock = threading.Condition()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._tickets: set[str] = set()
        self._live: list[ServerConnection] = []  # open, in connection order
        self._draining: set[ServerConnection] = set()  # told to disconnect: no more envelopes
        self._pending: dict[str, _Envelope] = {}
        self.connections_opened = 0
        self.received: list[dict[str, Any]] = []  # every message the client sent (acks), in order

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> SocketModeServer:
        # Slack pings too, but slack_sdk's client pings on its own schedule; ours would only add noise.
        self._server = serve(
            self._serve,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            ping_interval=None,
            compression=None,
            close_timeout=0.2,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, name="socketmode", daemon=True)
        self._thread.start()
        self.slack.socket_mode = self
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        if self.slack.socket_mode is self:
            self.slack.socket_mode = None
        self._server.shutdown()  # closes every connection with a close frame
        assert self._thread is not None
        self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SocketModeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "SocketModeServer not started"
        return self._server.socket.getsockname()[1]

    def issue_url(self) -> str:
        """A fresh URL for apps.connections.open; its ticket admits one connection."""
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # ---- what Slack does -------------------------------------------------------------

    def wait_connected(self, opened: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``opened`` connections have been opened in all (and one of them is live)."""
        timeout = scaled(timeout)
        with self._lock:
            if not self._lock.wait_for(lambda: self.connections_opened >= opened and self._active(), timeout):
                raise AssertionError(
                    f"expected {opened} Socket Mode connection(s) within {timeout}s, "
                    f"got {self.connections_opened}, {len(self._live)} open"
                )

    def send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool = False,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
        timeout: float = ACK_TIMEOUT,
    ) -> Ack:
        """Deliver one envelope and wait for its ack; AssertionError if none comes within ``timeout``
        (scaled: Slack's own 3 s is the benches' to measure, not a busy test machine's)."""
        timeout = scaled(timeout)
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": envelope_type,
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            envelope.update(retry_attempt=retry_attempt or 0, retry_reason=retry_reason or "")
        waiting = _Envelope()
        with self._lock:
            self._pending[envelope_id] = waiting
        started = time.monotonic()
        try:
            self.send_raw(json.dumps(envelope), timeout=timeout)
            if not waiting.received.wait(max(0.0, timeout - (time.monotonic() - started))):
                raise AssertionError(f"no ack for {envelope_type} envelope {envelope_id} within {timeout}s")
        finally:
            with self._lock:
                self._pending.pop(envelope_id, None)
        return Ack(envelope_id, waiting.payload, time.monotonic() - started)

    def send_raw(self, text: str, *, timeout: float = ACK_TIMEOUT) -> None:
        """Send one text frame as is on the newest live connection (waiting for a reconnect if needed)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if not self._lock.wait_for(self._active, max(0.0, deadline - time.monotonic())):
                    raise AssertionError(f"no live Socket Mode connection within {timeout}s")
                connection = self._active()[-1]
            try:
                connection.send(text)
                return
            except ConnectionClosed:  # lost under our feet: Slack delivers on another connection
                self._forget(connection)

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask every live connection to go away, as Slack does before it recycles a connection.

        Envelopes then wait for the client's new connection; the old one is closed once that is up.
        """
        message = json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}})
        with self._lock:
            targets = self._active()
            self._draining.update(targets)
        for connection in targets:
            connection.send(message)

    def drop(self) -> None:
        """Reset every connection at the TCP level: no close frame, no goodbye."""
        with self._lock:
            targets = list(self._live)
        for connection in targets:
            self._forget(connection)
            raw = connection.socket
            try:
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends RST
                raw.shutdown(socket.SHUT_RD)  # wakes the server's reader without a packet to the client
                raw.close()  # RST, before the reader could say goodbye with a FIN
            except OSError:
                pass  # already gone

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._live)

    # ---- server side -----------------------------------------------------------------

    def _active(self) -> list[ServerConnection]:
        return [c for c in self._live if c not in self._draining]

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        ticket = parse_qs(url.query).get("ticket", [""])[0]
        with self._lock:
            if url.path.rstrip("/") == "/link" and ticket in self._tickets:
                self._tickets.discard(ticket)
                return None
        return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid or used ticket\n")

    def _serve(self, connection: ServerConnection) -> None:
        try:
            with self._lock:  # a connection is live, and gets envelopes, once its hello is out
                hello = {
                    "type": "hello",
                    "num_connections": len(self._live) + 1,
                    "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
                    "connection_info": {"app_id": self.app_id},
                }
                connection.send(json.dumps(hello))
                self._live.append(connection)
                self.connections_opened += 1
                self._lock.notify_all()
                replaced = list(self._draining)
            for old in replaced:  # Slack closes a connection it asked to go once its successor is up
                old.close()
            for message in connection:
                self._receive(message)
        except ConnectionClosed:
            pass
        finally:
            self._forget(connection)

    def _forget(self, connection: ServerConnection) -> None:
        with self._lock:
            if connection in self._live:
                self._live.remove(connection)
            self._draining.discard(connection)
            self._lock.notify_all()

    def _receive(self, message: str | bytes) -> None:
        try:
            ack = json.loads(message)
        except ValueError:
            return
        if not isinstance(ack, dict):
            return
        with self._lock:
            self.received.append(ack)
            waiting = self._pending.get(ack.get("envelope_id"))
        if waiting is not None:
            waiting.payload = ack.get("payload")
            waiting.received.set()
