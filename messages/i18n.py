"""Translations: the language a message is written in, and the catalogs its words come from.

Every sentence a person reads is looked up in a catalog, one per feature (a module of
`messages/` is a feature: `messages/events.py` reads `messages/locale/es/LC_MESSAGES/events.mo`),
in the language active where the message is drawn:

    _, ngettext, pgettext = catalog("events")

    def cancelled(event):
        return _("Cancelled event #{number} “{title}”.").format(number=event.id, title=escape(event.title))

The language is set around the work, not passed through every function: a request speaks
its person's language (the middleware in `bot.app`), a delivery its channel's or its
recipient's (`services.delivery`), a public page its visitor's (`web`):

    with speaking("es"):
        blocks = render.card(event)

English is the language the messages are written in: an English catalog is empty, and a
message missing from another language's catalog is shown in English. `tools/i18n.py`
extracts the messages into the catalogs and compiles them; tests check that every message
has its Spanish.
"""

from __future__ import annotations

import gettext
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "en"
# The languages the bot speaks, each named in itself (what a language menu shows).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}


class _Deferred:
    """A language worked out only when a message first needs it (a Slack call may be needed to
    know a person's locale, and many requests draw no message at all), then remembered. A
    decision may answer None, "not known yet without waiting": the default language serves
    for now and the decision is asked again at the next message."""

    def __init__(self, decide: Callable[[], str | None]) -> None:
        self._decide: Callable[[], str | None] | None = decide
        self._language = DEFAULT_LANGUAGE
        self._lock = threading.RLock()  # a decision that draws a message finds it undecided, not a deadlock

    def __call__(self) -> str:
        with self._lock:
            if self._decide is not None:
                decide, self._decide = self._decide, None
                decided = decide()
                if decided is None:
                    self._decide = decide
                    return DEFAULT_LANGUAGE
                self._language = supported(decided)
            return self._language


_language: ContextVar[str | _Deferred] = ContextVar("language", default=DEFAULT_LANGUAGE)


def _primary(tag: str | None) -> str:
    """`es-LA`, `es_ES`, `ES` -> `es`."""
    return (tag or "").replace("_", "-").split("-")[0].lower()


def supported(language: str | None) -> str:
    """The language we speak for a Slack locale or a language tag: `es-LA`, `es_ES` and `es` are
    Spanish; anything we do not speak (or nothing) is English."""
    primary = _primary(language)
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def best_accepted(accepted: Iterable[tuple[str, float]]) -> str | None:
    """The language we speak that a browser prefers most, from its parsed Accept-Language (tag,
    quality) pairs, by primary tag: `es-MX, en;q=0.5` is Spanish. None if it accepts neither."""
    ours = [(quality, _primary(tag)) for tag, quality in accepted if _primary(tag) in LANGUAGES and quality > 0]
    return max(ours, key=lambda pair: pair[0])[1] if ours else None


@contextmanager
def speaking(language: str | Callable[[], str | None]) -> Iterator[None]:
    """Draw messages in `language` inside the block; a callable is asked when first needed."""
    token = _language.set(_Deferred(language) if callable(language) else supported(language))
    try:
        yield
    finally:
        _language.reset(token)


def current_language() -> str:
    value = _language.get()
    return value() if isinstance(value, _Deferred) else value


_translations: dict[tuple[str, str], gettext.NullTranslations] = {}
_translations_lock = threading.Lock()


def translations(domain: str, language: str) -> gettext.NullTranslations:
    """The compiled catalog of one feature in one language, read once per process."""
    key = (domain, language)
    found = _translations.get(key)
    if found is None:
        with _translations_lock:
            found = _translations.get(key)
            if found is None:
                found = _translations[key] = _load(domain, language)
    return found


def _load(domain: str, language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()  # the messages are written in English
    return gettext.translation(domain, LOCALE_DIR, languages=[language], fallback=True)


def catalog(domain: str) -> tuple[Callable[[str], str], Callable[[str, str, int], str], Callable[[str, str], str]]:
    """`_`, `ngettext` and `pgettext` of one feature's catalog, in the language of the moment.

    The names are gettext's, so that extraction (Babel) finds the messages.
    """

    def _(message: str) -> str:
        return translations(domain, current_language()).gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return translations(domain, current_language()).ngettext(singular, plural, n)

    def pgettext(context: str, message: str) -> str:
        return translations(domain, current_language()).pgettext(context, message)

    return _, ngettext, pgettext


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract this, translate it where it is used"
    """Marks a message kept in a table at import time (a label per event type); the code that
    shows it passes it through `_` then, in the language of the moment."""
    return message
