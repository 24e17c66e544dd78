"""The language of a public page: the visitor's choice (`?lang=es`, `?lang=en`, which the site's
links then keep), else their browser's (Accept-Language), else English. A calendar feed speaks
its address's `?lang=` only: calendar apps send no Accept-Language, and a subscription must not
change language with whoever refreshes it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from flask import request

from messages.i18n import DEFAULT_LANGUAGE, LANGUAGES, best_accepted, current_language, speaking

PARAMETER = "lang"


def chosen() -> str | None:
    """The language the address asks for (`?lang=es`), if we speak it; None when it asks for none."""
    asked = request.args.get(PARAMETER, "").strip().lower()
    return asked if asked in LANGUAGES else None


def of_page() -> str:
    """The language a page is written in."""
    return chosen() or _accepted() or DEFAULT_LANGUAGE


def _accepted() -> str | None:
    """The browser's first language we speak (werkzeug parses the header)."""
    return best_accepted(request.accept_languages)


def depends_on_the_browser() -> bool:
    """Whether a page's language came from Accept-Language (so caches must `Vary` on it)."""
    return chosen() is None


def in_the_pages_language(wsgi_app: Callable) -> Callable:
    """WSGI middleware: the request is answered in its page's language, decided when its first
    word is drawn (a static file or a 304 of a feed needs none)."""

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        with speaking(of_page):
            return wsgi_app(environ, start_response)

    return app


def feed(view: Callable) -> Callable:
    """A feed's route: its words, and the links in it, in the language its address asks for."""

    @functools.wraps(view)
    def in_its_language(*args, **values):
        with speaking(chosen() or DEFAULT_LANGUAGE):
            return view(*args, **values)

    return in_its_language


def for_feeds() -> str | None:
    """The `lang` of a link to a feed: the page's language, which a calendar app cannot ask for
    itself; none for English, the feeds' own."""
    language = current_language()
    return None if language == DEFAULT_LANGUAGE else language


def switch_to(language: str) -> str:
    """This page in another language: its address with `lang` set, its other parameters (a
    search, a page number) kept."""
    others = [(name, value) for name, value in request.args.items(multi=True) if name != PARAMETER]
    return request.script_root + request.path + "?" + urlencode([*others, (PARAMETER, language)])
