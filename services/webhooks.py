"""The webhook out: sign-ups, cancellations and event changes POSTed as JSON to WEBHOOK_URL, so
that a coalition's CRM (Action Network, EveryAction, a spreadsheet through Zapier or n8n)
learns who is coming.

Each request is signed: `X-Organizer-Signature: t=<unix>,v1=<hex>`, the HMAC-SHA256 by
WEBHOOK_SECRET of `<t>.<body>` (a receiver recomputes it, and refuses old `t`s: no replays);
`X-Organizer-Delivery` is the same at every attempt of one delivery, so a receiver drops a
repeat (a request whose answer was lost is sent again). Deliveries are outbox rows, drawn when
sent: a person erased meanwhile is sent without their data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime

from services.slackapi import Failure, FailureKind
from storage.models import Event, Signup

TIMEOUT = 10.0
USER_AGENT = "organizer-bot webhook"  # untranslated: an HTTP header's value


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str = field(repr=False)
    timeout: float = TIMEOUT

    def signature(self, timestamp: int, body: bytes) -> str:
        mac = hmac.new(self.secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={mac}"

    def post(self, delivery: str, body: bytes) -> None:
        timestamp = int(time.time())  # wall-clock time: the receiver compares it with its own clock
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}  # untranslated: HTTP headers
        headers["X-Organizer-Delivery"] = delivery  # untranslated: the header receivers drop repeats by
        headers["X-Organizer-Signature"] = self.signature(timestamp, body)  # untranslated: the header receivers check
        request = urllib.request.Request(self.url, data=body, method="POST", headers=headers)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the admin's own URL
            response.read()


def payload(
    kind: str, delivery: str, event: Event, signup: Signup | None, now: datetime, *, event_url: str | None
) -> bytes:
    """What one delivery says: what happened, to which event, and who (while their data is kept)."""
    body: dict = {
        "type": kind,
        "delivery": delivery,
        "occurred_at": now.isoformat(),
        "event": {
            "id": event.id,
            "team_id": event.team_id,
            "title": event.title,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat() if event.ends_at else None,
            "timezone": event.timezone,
            "cancelled": event.is_cancelled,
            "sequence": event.sequence,
            "url": event_url,
        },
    }
    if signup is not None:
        body["attendee"] = {
            "id": signup.id,
            "status": signup.status,
            "erased": signup.is_erased,
            "name": signup.name,
            "email": signup.email,
            "zip": signup.zip_code,
            "phone": signup.phone,
            "language": signup.language,
        }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def classify(error: Exception) -> Failure:
    """A refusal (4xx but 408 and 429) is permanent; the rest is retried (the delivery id lets
    the receiver drop a repeat)."""
    if isinstance(error, urllib.error.HTTPError):
        transient = error.code >= 500 or error.code in (408, 429)
        retry_after = error.headers.get("Retry-After") if error.headers else None  # untranslated: a header
        return Failure(
            f"http_{error.code}",
            FailureKind.TRANSIENT if transient else FailureKind.PERMANENT,
            float(retry_after) if retry_after and retry_after.isdigit() else None,
        )
    return Failure(f"webhook_{type(error).__name__}", FailureKind.TRANSIENT)
