"""Answers of the public site: conditional (ETag, 304), cacheable, and locked down."""

from __future__ import annotations

import hashlib

from flask import Response, request

from messages.i18n import current_language
from web import language
from web.feedcache import Body

PAGE_MAX_AGE = 60  # seconds a browser or proxy may reuse a page without asking again
FEED_MAX_AGE = 300  # calendar apps poll far less often than that anyway


def etag_of(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def page(html: str, *, status: int = 200) -> Response:
    """An HTML page whose ETag is its content (so each language has its own): a visitor's second
    look costs a 304. A page in the browser's language varies with Accept-Language."""
    response = Response(html, status=status, mimetype="text/html")
    response.content_language.add(current_language())
    if language.depends_on_the_browser():
        response.vary.add("Accept-Language")
    if status != 200:
        response.cache_control.no_store = True  # a form shown again holds what its visitor typed
        return response
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = PAGE_MAX_AGE
    return response.make_conditional(request)


def private_page(html: str, *, status: int = 200) -> Response:
    """A page for one person only (a sign-up's own page, behind its token): never stored by a
    cache, never indexed, and its address never sent to another site as a Referer."""
    response = Response(html, status=status, mimetype="text/html")
    response.content_language.add(current_language())
    response.cache_control.no_store = True
    response.cache_control.private = True
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def not_modified(etag: str, *, max_age: int = FEED_MAX_AGE) -> Response | None:
    """A 304 when the client already has the version `etag` names, decided before any rendering."""
    if not request.if_none_match.contains_weak(etag):
        return None
    response = Response(status=304)
    _cacheable(response, etag, max_age)
    return response


def calendar(body: Body, filename: str) -> Response:
    """An iCalendar body, compressed for clients that take gzip (every calendar app does)."""
    compressed = "gzip" in request.accept_encodings
    response = Response(body.gzipped if compressed else body.plain, mimetype="text/calendar")
    if compressed:
        response.content_encoding = "gzip"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.vary.add("Accept-Encoding")
    _cacheable(response, body.etag, FEED_MAX_AGE)
    return response


def _cacheable(response: Response, etag: str, max_age: int) -> None:
    # Weak: the plain and the compressed bodies are the same calendar, under one tag.
    response.set_etag(etag, weak=True)
    response.cache_control.public = True
    response.cache_control.max_age = max_age


def harden(response: Response, tile_origin: str) -> Response:
    """Scripts, styles and fonts from this site only; images from it and the map's tile server."""
    for name, value in security_headers(images=tile_origin).items():
        response.headers.setdefault(name, value)
    return response


def security_headers(*, images: str, styles: str = "") -> dict[str, str]:
    """What every page of ours carries (the public site's, the install pages'): scripts, styles
    and fonts from this site only (and the inline `styles`, by hash), images from it and the
    `images` origin; never framed, never sniffed into another type."""
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; script-src 'self'; style-src 'self'{f' {styles}' if styles else ''}; "
            f"img-src 'self' data: {images}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
