"""All time arithmetic in one place: UTC instants, IANA zones, local wall times.

Instants are stored and compared in UTC; local times exist only at the edges
(what an organizer typed, what a reader sees).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc


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
        raise NonexistentLocalTime(
            f"{wall:%H:%M} does not exist on {day:%b %d} in {tz_name} (clocks move forward)"
        )
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
