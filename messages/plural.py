"""Numbers as each language writes them: "1,350 people", "1.350 personas"."""

from __future__ import annotations

import functools
from decimal import Decimal

from messages.i18n import current_language


@functools.lru_cache(maxsize=1024)
def _number(value: int, language: str) -> str:
    from babel.numbers import format_decimal  # loaded by the first number written

    return format_decimal(value, locale=language)


def number(value: int) -> str:
    """A count as the language writes it: 1,350 in English, 1.350 in Spanish. Say what it counts
    with ngettext: `ngettext("{count} event", "{count} events", n).format(count=number(n))`."""
    return _number(value, current_language())


@functools.lru_cache(maxsize=1024)
def _decimal(rounded: str, language: str) -> str:
    from babel.numbers import format_decimal

    places = len(rounded.partition(".")[2])
    return format_decimal(Decimal(rounded), format="#,##0" + ("." + "0" * places if places else ""), locale=language)


def decimal(value: float, places: int) -> str:
    """A measure rounded to `places` decimals as the language writes it: 3.7 in English, 3,7 in Spanish."""
    return _decimal(f"{value:.{places}f}", current_language())
