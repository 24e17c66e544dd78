"""Storage on both databases, and the time math everything else relies on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from storage import Event
from storage import events as queries
from timemath import UTC, NonexistentLocalTime, local_to_utc, start_of_day_utc


def make_event(team_id: str, title: str, starts_at: datetime, **extra) -> Event:
    return Event(
        team_id=team_id,
        title=title,
        event_type="rally",
        starts_at=starts_at,
        timezone="America/Chicago",
        created_by="U1",
        created_at=starts_at,
        updated_at=starts_at,
        **extra,
    )


def test_instants_round_trip_as_aware_utc(database):
    instant = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
    with database.session() as session:
        event_id = queries.add_event(session, make_event("T1", "Vigil", instant)).id
    with database.session() as session:
        stored = queries.get_event(session, "T1", event_id)
    assert stored.starts_at == instant and stored.starts_at.tzinfo is not None


def test_upcoming_is_sorted_filtered_and_never_crosses_teams(database):
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    with database.session() as session:
        queries.add_event(session, make_event("T1", "later", now + timedelta(days=2), state="CA"))
        queries.add_event(session, make_event("T1", "sooner", now + timedelta(days=1), state="CO"))
        queries.add_event(session, make_event("T1", "over", now - timedelta(days=1)))
        queries.add_event(
            session, make_event("T1", "ongoing", now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
        )
        queries.add_event(session, make_event("T1", "cancelled", now + timedelta(days=1), cancelled_at=now))
        queries.add_event(session, make_event("T2", "other team", now + timedelta(hours=1)))
    with database.session() as session:
        titles = [e.title for e in queries.upcoming_events(session, "T1", now, limit=10)]
        assert titles == ["ongoing", "sooner", "later"]
        in_ca = queries.upcoming_events(session, "T1", now, where=queries.EventFilter(state="ca"), limit=10)
        assert [e.title for e in in_ca] == ["later"]
        assert [e.title for e in queries.upcoming_events(session, "T1", now, limit=1, offset=1)] == ["sooner"]
        assert queries.get_event(session, "T2", 1) is None


def test_local_wall_times_across_daylight_saving():
    # Spring forward in Chicago, 2027-03-14: 02:30 does not exist.
    with pytest.raises(NonexistentLocalTime, match="does not exist"):
        local_to_utc(date(2027, 3, 14), time(2, 30), "America/Chicago")
    # Fall back, 2026-11-01: 01:30 happens twice; the first (CDT, UTC-5) is taken.
    assert local_to_utc(date(2026, 11, 1), time(1, 30), "America/Chicago") == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert local_to_utc(date(2026, 11, 2), time(1, 30), "America/Chicago") == datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
    assert start_of_day_utc(date(2026, 12, 4), "America/Los_Angeles") == datetime(2026, 12, 4, 8, tzinfo=UTC)
