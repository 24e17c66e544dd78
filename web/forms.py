"""What guards the public site's forms: a CSRF token, a honeypot field, and a limit of posts per address.

The site keeps no session and sets no cookie, and its pages are cached (web.responses): a
form's token is an HMAC, by the site's key, of what the form is for and the hour it was
drawn, the same for every visitor of that hour (the page stays cacheable), good for a day. A
form posted from another site also fails the browser's `Origin` and `Sec-Fetch-Site` headers.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict, deque
from datetime import datetime, timedelta

from flask import request

TOKEN_FIELD = "csrf_token"
# A field people never see (hidden by the style sheet, skipped by the keyboard): only robots fill it in.
HONEYPOT_FIELD = "website"
TOKEN_STEP = 3600  # seconds: one token an hour per form
TOKEN_LIFETIME = timedelta(hours=24)  # a page left open over a night still sends
# A form's whole body: a sign-up's fields are a few hundred bytes.
BODY_MAX = 16 * 1024


def csrf_token(key: bytes, purpose: str, now: datetime) -> str:
    issued = int(now.timestamp()) // TOKEN_STEP * TOKEN_STEP
    return f"{issued}.{_mac(key, purpose, issued)}"


def csrf_valid(key: bytes, purpose: str, token: str, now: datetime) -> bool:
    issued_text, _, mac = token.partition(".")
    if not (issued_text.isascii() and issued_text.isdigit() and len(issued_text) <= 12):
        return False
    issued = int(issued_text)
    age = now.timestamp() - issued
    if not -TOKEN_STEP <= age <= TOKEN_LIFETIME.total_seconds():
        return False
    return hmac.compare_digest(mac, _mac(key, purpose, issued))


def _mac(key: bytes, purpose: str, issued: int) -> str:
    return hmac.new(key, f"{purpose}|{issued}".encode(), hashlib.sha256).hexdigest()[:32]


def same_origin() -> bool:
    """Whether the browser says the form was posted from this site (headers it sends; a client
    that sends neither is judged by its token alone)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin == request.host_url.rstrip("/")


def posted_by_a_robot() -> bool:
    return bool(request.form.get(HONEYPOT_FIELD))


class RateLimit:
    """At most `limit` actions per key (a client's address) in any `window` seconds, in this
    process. Remembers at most `keys` keys, the least recently seen forgotten first."""

    def __init__(self, limit: int, window: float, *, keys: int = 10_000, clock=time.monotonic) -> None:
        self.limit, self.window, self.keys, self._clock = limit, window, keys, clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count one action of `key`, unless it is over its limit (then False, nothing counted)."""
        now = self._clock()
        with self._lock:
            times = self._seen.pop(key, None) or deque()
            while times and times[0] <= now - self.window:
                times.popleft()
            allowed = len(times) < self.limit
            if allowed:
                times.append(now)
            self._seen[key] = times
            while len(self._seen) > self.keys:
                self._seen.popitem(last=False)
            return allowed
