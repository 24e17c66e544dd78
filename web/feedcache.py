"""The latest rendered body of each feed, kept while the feed's version holds.

A team's whole feed is thousands of events, and icalendar renders about 5,000 a second: the
body is rendered once per version (what storage.events.feed_version reads), and compressed
once, then served from here until an event changes. Concurrent requests for a feed whose
version just changed wait for one render instead of each doing their own.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

MAX_FEEDS = 64  # a team's feed and one per campaign: the least recently asked for leave first


@dataclass(frozen=True)
class Body:
    etag: str
    plain: bytes
    gzipped: bytes

    @classmethod
    def of(cls, etag: str, plain: bytes) -> Body:
        return cls(etag, plain, gzip.compress(plain, compresslevel=5, mtime=0))


class FeedCache:
    def __init__(self, max_feeds: int = MAX_FEEDS) -> None:
        self._max = max_feeds
        self._lock = threading.Lock()
        self._bodies: OrderedDict[Hashable, Body] = OrderedDict()
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
                self._bodies[feed] = body
                self._bodies.move_to_end(feed)
                while len(self._bodies) > self._max:
                    gone, _ = self._bodies.popitem(last=False)
                    self._rendering.pop(gone, None)
            return body

    def _cached(self, feed: Hashable, etag: str) -> Body | None:
        with self._lock:
            body = self._bodies.get(feed)
            if body is None or body.etag != etag:
                return None
            self._bodies.move_to_end(feed)
            return body
