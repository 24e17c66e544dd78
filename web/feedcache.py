"""Rendered feeds, kept while they hold: a feed's whole body while its version holds, and each
event's VEVENT while the event is unchanged.

icalendar renders about a thousand events a second. A team's feed of 10,000 events is
therefore rendered once per version (what storage.events.feed_version reads) and compressed
once, then served from here until an event changes; and when one does, only that event is
rendered again, the others' VEVENTs are reused. Concurrent requests for a feed whose version
just changed wait for one render instead of each doing their own.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

MAX_FEEDS = 64  # a team's feed and one per campaign, each language its own: the least recently asked for leave first
MAX_EVENTS = 50_000  # VEVENTs kept, ~0.5 KB each


@dataclass(frozen=True)
class Body:
    etag: str
    plain: bytes
    gzipped: bytes

    @classmethod
    def of(cls, etag: str, plain: bytes) -> Body:
        return cls(etag, plain, gzip.compress(plain, compresslevel=1, mtime=0))


class FeedCache:
    def __init__(self, max_feeds: int = MAX_FEEDS, max_events: int = MAX_EVENTS) -> None:
        self._lock = threading.Lock()
        self._bodies = _Bounded(max_feeds)  # feed -> Body
        self._events = _Bounded(max_events)  # event key -> its VEVENT
        self._rendering: dict[Hashable, threading.Lock] = {}

    def body(self, feed: Hashable, etag: str, render: Callable[[], bytes]) -> Body:
        """The body of `feed` at the version `etag` names: cached, or rendered now (once)."""
        if (hit := self._cached(feed, etag)) is not None:
            return hit
        with self._lock:
            rendering = self._rendering.setdefault(feed, threading.Lock())
        with rendering:
            if (hit := self._cached(feed, etag)) is not None:  # rendered while this request waited
                return hit
            body = Body.of(etag, render())
            with self._lock:
                for gone in self._bodies.put(feed, body):
                    self._rendering.pop(gone, None)
            return body

    def _cached(self, feed: Hashable, etag: str) -> Body | None:
        with self._lock:
            body = self._bodies.get(feed)
            return body if body is not None and body.etag == etag else None

    def events(self, keys: Iterable[Hashable]) -> dict[Hashable, bytes]:
        """The VEVENTs kept for those keys (an event's key changes when the event does)."""
        with self._lock:
            return {key: chunk for key in keys if (chunk := self._events.get(key)) is not None}

    def keep_events(self, chunks: dict[Hashable, bytes]) -> None:
        with self._lock:
            for key, chunk in chunks.items():
                self._events.put(key, chunk)


class _Bounded(OrderedDict):
    """At most `limit` entries; the least recently used go first."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def get(self, key: Hashable):
        value = super().get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: Hashable, value) -> list[Hashable]:
        """Store; returns the keys pushed out."""
        self[key] = value
        self.move_to_end(key)
        gone = []
        while len(self) > self.limit:
            gone.append(self.popitem(last=False)[0])
        return gone
