"""The webhook out end to end: a receiver on loopback, as a CRM's would be, checks every
request's signature and drops repeats by delivery id; sign-ups, cancellations and event
changes reach it, through the outbox, retried when it fails."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from schedhelp import announced, outbox_rows, wait_until
from test_change_notices_e2e import EVENT, _edit
from test_events_e2e import register
from test_signups_e2e import ANA, form_token, sign_up, site
from visitor import send, visit

SECRET = "whsec-test"
TOLERANCE = 300  # seconds: a receiver refuses older signatures (replays)


class Receiver:
    """Keeps each verified delivery once; answers `fail_next` requests with a 500 first."""

    def __init__(self) -> None:
        self.deliveries: dict[str, dict] = {}
        self.requests = 0
        self.bad_signatures = 0
        self.fail_next = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.requests += 1
                    if not receiver.verified(self.headers.get("X-Organizer-Signature", ""), body):
                        receiver.bad_signatures += 1
                        status = 401
                    elif receiver.fail_next:
                        receiver.fail_next -= 1
                        status = 500
                    else:
                        receiver.deliveries.setdefault(self.headers["X-Organizer-Delivery"], json.loads(body))
                        status = 204
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/organizer"

    @staticmethod
    def verified(header: str, body: bytes) -> bool:
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        if not parts.get("t", "").isdigit() or abs(time.time() - int(parts["t"])) > TOLERANCE:
            return False
        expected = hmac.new(SECRET.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))

    def of_type(self, kind: str) -> list[dict]:
        with self.lock:
            return [d for d in self.deliveries.values() if d["type"] == kind]


@pytest.fixture
def receiver():
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def extra_env(receiver):
    return {"WEBHOOK_URL": receiver.url, "WEBHOOK_SECRET": SECRET, "PUBLIC_BASE_URL": "https://events.example.org"}


def test_sign_ups_cancellations_and_event_changes_reach_the_receiver_signed(bot, slack, services, receiver):
    register(bot, EVENT)
    announced(services.db)
    location = sign_up(bot).headers["Location"]
    wait_until(lambda: receiver.of_type("signup.created"))
    [created] = receiver.of_type("signup.created")
    assert created["attendee"] | {"id": 0} == {
        "id": 0,
        "status": "going",
        "erased": False,
        "name": "Ana Reyes",
        "email": "ana.reyes@example.org",
        "zip": "95356",
        "phone": "(209) 555-0123",
        "language": "en",
    }
    assert created["event"]["id"] == 1 and created["event"]["url"] == "https://events.example.org/events/1"
    assert send(site(bot) + location + "/cancel", {"csrf_token": form_token(visit(site(bot) + location))}).status == 303
    wait_until(lambda: receiver.of_type("signup.cancelled"))
    assert receiver.of_type("signup.cancelled")[0]["attendee"]["status"] == "cancelled"
    _edit(bot, {"Start time": "15:00", "End time": "17:00"})
    wait_until(lambda: receiver.of_type("event.changed"))
    assert receiver.of_type("event.changed")[0]["event"]["starts_at"] == "2026-12-04T23:00:00+00:00"
    bot.command("/event", "cancel 1", user="U1")
    wait_until(lambda: receiver.of_type("event.cancelled"))
    assert receiver.of_type("event.cancelled")[0]["event"]["cancelled"] is True
    assert receiver.bad_signatures == 0 and len(receiver.deliveries) == 4


def test_a_failing_receiver_gets_the_delivery_again_under_the_same_id(bot, slack, services, receiver, clock, deliverer):
    register(bot)
    receiver.fail_next = 1
    sign_up(bot, {**ANA, "email": "second@example.org"})
    wait_until(lambda: receiver.requests == 1)
    wait_until(lambda: outbox_rows(services.db, "webhook")[0].attempts == 1)
    [row] = outbox_rows(services.db, "webhook")
    assert row.status == "pending" and row.last_error == "http_500"
    clock.advance(hours=1)
    deliverer.run_once()
    wait_until(lambda: receiver.of_type("signup.created"))
    assert list(receiver.deliveries) == [row.key] and receiver.requests == 2


def test_a_wrong_secret_is_refused_by_the_receiver_and_not_retried(bot, slack, services, receiver):
    services.webhook = type(services.webhook)(receiver.url, "not-the-secret")
    register(bot)
    sign_up(bot)
    wait_until(
        lambda: outbox_rows(services.db, "webhook") and outbox_rows(services.db, "webhook")[0].status == "failed"
    )
    assert receiver.bad_signatures == 1 and receiver.deliveries == {}
