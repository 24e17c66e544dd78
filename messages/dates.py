"""Dates and times as words, in the language of the moment (messages.i18n), from Unicode's
CLDR data through Babel: "Sat, Nov 21, 2026 at 9:00 AM CST", "sáb, 21 nov 2026, 9:00 CST".

The one place a date or a time of day becomes text; `timemath` does the arithmetic. Babel
separates date ranges with a thin space and AM/PM with a narrow one: both are written as
plain spaces, as people type them in Slack.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time

from messages.i18n import catalog, current_language
from timemath import to_local

_, ngettext, pgettext = catalog("dates")

_PLAIN_SPACES = str.maketrans({"\u2009": " ", "\u202f": " ", "\u00a0": " "})


@functools.cache
def _babel_dates():
    import babel.dates  # its locale data loads on first use: only processes that write dates pay for it

    return babel.dates


@functools.lru_cache(maxsize=4096)  # a digest of 2,000 events names a few dozen days
def _day(day: date, skeleton: str, language: str) -> str:
    return _babel_dates().format_skeleton(skeleton, day, locale=language).translate(_PLAIN_SPACES)


@functools.lru_cache(maxsize=64)
def _weekday(day: date, language: str) -> str:
    return _babel_dates().format_date(day, "EEEE", locale=language)


def day(value: date) -> str:
    """`Sat, Nov 21, 2026`"""
    return _day(value, "yMMMEd", current_language())


def month_day(value: date) -> str:
    """`Nov 21`"""
    return _day(value, "MMMd", current_language())


def weekday(value: date) -> str:
    """`Saturday`"""
    return _weekday(value, current_language())


@functools.lru_cache(maxsize=512)
def _days(first: date, last: date, language: str) -> str:
    return _babel_dates().format_interval(first, last, "yMMMEd", locale=language).translate(_PLAIN_SPACES)


def days(first: date, last: date) -> str:
    """Calendar days, first and last included: `Fri, Dec 4, 2026`, `Sat, Jan 27 – Sat, Feb 3, 2018`."""
    return day(first) if first == last else _days(first, last, current_language())


@functools.lru_cache(maxsize=2048)
def _time_of_day(value: time, language: str) -> str:
    return _babel_dates().format_time(value, "short", locale=language).translate(_PLAIN_SPACES)


def time_of_day(value: time) -> str:
    """`9:00 AM`, `9:00`: the language's own clock."""
    return _time_of_day(value.replace(second=0, microsecond=0, tzinfo=None), current_language())


def moment(instant: datetime, tz_name: str) -> str:
    """An instant where it happens: "Sat, Nov 21, 2026 at 9:00 AM CST"."""
    local = to_local(instant, tz_name)
    return _("{day} at {time} {zone}").format(
        day=day(local.date()), time=time_of_day(local.time()), zone=local.tzname()
    )


def moment_same_day(instant: datetime, tz_name: str) -> str:
    """The time alone, for an end on the day its start names: "11:00 AM CST"."""
    local = to_local(instant, tz_name)
    return _("{time} {zone}").format(time=time_of_day(local.time()), zone=local.tzname())


def token_day_and_time() -> str:
    """How a Slack date token is written, Slack filling in the reader's own zone and wording."""
    return _("{date_short_pretty} at {time}")
