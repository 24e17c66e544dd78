"""A visitor to the public site over HTTP: what they are sent, and what they would read and follow."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser

from icalendar import Calendar


@dataclass
class Page:
    status: int
    headers: Message
    body: bytes

    @property
    def html(self) -> str:
        return self.body.decode()

    @property
    def text(self) -> str:
        """The words a person reads: tags, scripts and styles removed, whitespace collapsed."""
        reader = _Reader()
        reader.feed(self.html)
        return " ".join(" ".join(reader.words).split())

    @property
    def links(self) -> dict[str, str]:
        """Each link's text -> where it goes (the last link of a text wins)."""
        reader = _Reader()
        reader.feed(self.html)
        return reader.links

    @property
    def calendar(self) -> Calendar:
        assert self.headers.get_content_type() == "text/calendar", self.headers.get_content_type()
        return Calendar.from_ical(self.body)


def visit(url: str, headers: dict[str, str] | None = None) -> Page:
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return Page(response.status, response.headers, _decoded(response.read(), response.headers))
    except urllib.error.HTTPError as error:
        return Page(error.code, error.headers, _decoded(error.read(), error.headers))


def send(
    url: str, fields: dict[str, str] | None = None, *, headers: dict[str, str] | None = None, body: bytes | None = None
) -> Page:
    """A form posted as a browser posts it (urlencoded), or a raw `body`; a redirect is the answer."""
    data = body if body is not None else urllib.parse.urlencode(fields or {}).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return Page(response.status, response.headers, _decoded(response.read(), response.headers))
    except urllib.error.HTTPError as error:
        return Page(error.code, error.headers, _decoded(error.read(), error.headers))


def _decoded(body: bytes, headers: Message) -> bytes:
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


@dataclass
class _Reader(HTMLParser):
    words: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    _skipping: int = 0
    _href: str | None = None
    _link_words: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._skipping += 1
        elif tag == "a":
            self._href, self._link_words = dict(attrs).get("href"), []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skipping -= 1
        elif tag == "a" and self._href is not None:
            self.links[" ".join(" ".join(self._link_words).split())] = self._href
            self._href = None

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.words.append(data)
            if self._href is not None:
                self._link_words.append(data)
