"""All time arithmetic in one place, for every layer: UTC instants, IANA zones, local wall times.

Instants are stored and compared in UTC; local times exist only at the edges
(what an organizer typed, what a reader sees).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = UTC


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change (e.g. 02:30 on spring-forward day)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_to_utc(day: date, wall: time, tz_name: str) -> datetime:
    """The UTC instant of a local wall time; refuses times that do not exist locally.

    For an ambiguous time (the repeated hour when clocks fall back) the first
    occurrence is taken, which is what people mean by "1:30 on that night".
    """
    zone = ZoneInfo(tz_name)
    local = datetime.combine(day, wall).replace(tzinfo=zone)
    # A nonexistent time does not survive the round trip through UTC.
    round_trip = local.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{wall:%H:%M} does not exist on {day:%b %d} in {tz_name} (clocks move forward)")
    return local.astimezone(UTC)


def start_of_day_utc(day: date, tz_name: str) -> datetime:
    """Local midnight of `day` as a UTC instant (midnight always exists in IANA zones we accept)."""
    return datetime.combine(day, time()).replace(tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def to_local(instant: datetime, tz_name: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz_name))


def local_date(instant: datetime, tz_name: str) -> date:
    return to_local(instant, tz_name).date()


def as_utc(instant: datetime) -> datetime:
    """Naive datetimes from the database are UTC; make them aware."""
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def unix(instant: datetime) -> int:
    return int(as_utc(instant).timestamp())


ONE_DAY = timedelta(days=1)


def before(instant: datetime, lead: timedelta) -> datetime:
    """`lead` before `instant`, in elapsed time.

    Subtracted in UTC on purpose: "24 hours before" an event the day clocks fall back
    is exactly 24 hours of real time earlier, which on the wall clock may read 19:00
    the day before an 18:00 event. Reminders are about time left, not about the calendar.
    """
    return as_utc(instant) - lead


def first_valid_instant(day: date, wall: time, tz_name: str) -> datetime:
    """Like local_to_utc, but a wall time skipped by a daylight-saving change moves forward.

    On spring-forward day 02:30 does not exist; the first instant at or after it on the
    local clock is the moment of the change (03:00 in US zones). Ambiguous times (the
    repeated fall-back hour) keep local_to_utc's choice: the first occurrence.
    """
    try:
        return local_to_utc(day, wall, tz_name)
    except NonexistentLocalTime:
        pass
    zone = ZoneInfo(tz_name)
    # Both readings of the missing wall time bracket the change; the later UTC one is
    # past it. Walk back minute by minute to the first instant whose local time is
    # on or after `wall` on `day` (gaps are at most a day long, in practice an hour).
    local = datetime.combine(day, wall)
    candidate = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    step = timedelta(minutes=1)
    while True:
        earlier = candidate - step
        seen = earlier.astimezone(zone).replace(tzinfo=None)
        if seen < local:
            return candidate
        candidate = earlier


def next_local_run(wall: time, tz_name: str, after: datetime) -> datetime:
    """The first instant strictly after `after` when the clock in `tz_name` reads `wall`.

    Computed per local date (never by adding 24 hours), so a daylight-saving change
    neither skips nor doubles a daily run: a missing wall time moves forward to the
    change, a repeated one is taken once (its first occurrence).
    """
    day = local_date(after, tz_name)
    while True:
        candidate = first_valid_instant(day, wall, tz_name)
        if candidate > after:
            return candidate
        day += ONE_DAY
