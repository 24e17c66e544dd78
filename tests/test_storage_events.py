"""The upcoming list on both databases: what it shows, in what order, page by page; the search
columns it reads; reads that do not wait for writers; a process that migrates only when it must."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import column, insert, select, table

from eventseed import seed_events
from storage import Database, Event, EventType
from storage import events as queries
from storage.models import DURATION_WINDOWS, duration_class, normalize_city, normalize_state
from storage.types import UTCDateTime
from timemath import UTC, start_of_day_utc

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def event(title: str, starts_at: datetime, ends_at: datetime | None = None, *, team_id: str = "T1", **extra) -> Event:
    fields = dict(
        team_id=team_id,
        title=title,
        event_type="rally",
        timezone="America/Chicago",
        created_by="U1",
        created_at=NOW - timedelta(days=400),
        updated_at=NOW - timedelta(days=400),
    )
    return Event(**fields | extra, starts_at=starts_at, ends_at=ends_at)


def add(database, *events: Event) -> None:
    with database.session() as session:
        session.add_all(events)


def titles(database, now: datetime = NOW, *, limit: int = 50, offset: int = 0, **where) -> list[str]:
    with database.read() as session:
        listed = queries.upcoming_events(
            session, "T1", now, where=queries.EventFilter(**where), limit=limit, offset=offset
        )
    return [e.title for e in listed]


def everything_upcoming(database, team_id: str, now: datetime, keep=lambda e: True) -> list[int]:
    """The definition, computed the slow way: every event of the team not over at `now`, by start."""
    with database.read() as session:
        rows = session.scalars(select(Event).where(Event.team_id == team_id)).all()
    on = [e for e in rows if e.cancelled_at is None and (e.ends_at or e.starts_at) >= now and keep(e)]
    return [e.id for e in sorted(on, key=lambda e: (e.starts_at, e.id))]


# --- what is upcoming, and in what order ------------------------------------------------------


def test_events_on_now_come_first_then_those_to_come(database):
    add(
        database,
        event("to come", NOW + timedelta(days=1), NOW + timedelta(days=1, hours=2)),
        event("starts now, no end", NOW),
        event("rally on now", NOW - timedelta(hours=1), NOW + timedelta(hours=1)),
        event("week of action", NOW - timedelta(days=3), NOW + timedelta(days=4)),
        event("campaign season", NOW - timedelta(days=200), NOW + timedelta(days=30)),
        event("three-year drive", NOW - timedelta(days=800), NOW + timedelta(days=300)),
        event("over", NOW - timedelta(days=2), NOW - timedelta(days=2) + timedelta(hours=3)),
        event("started, no end", NOW - timedelta(minutes=1)),
        event("ended long ago", NOW - timedelta(days=900), NOW - timedelta(days=100)),
        event(
            "cancelled on now", NOW - timedelta(hours=1), NOW + timedelta(hours=1), cancelled_at=NOW - timedelta(days=1)
        ),
        event("other team on now", NOW - timedelta(hours=1), NOW + timedelta(hours=1), team_id="T2"),
    )
    assert titles(database) == [
        "three-year drive",
        "campaign season",
        "week of action",
        "rally on now",
        "starts now, no end",
        "to come",
    ]


def test_an_event_is_listed_until_the_instant_it_ends(database):
    ends = NOW + timedelta(hours=2)
    add(database, event("vigil", NOW, ends))
    assert titles(database, ends) == ["vigil"]
    assert titles(database, ends + timedelta(microseconds=1)) == []


def test_an_all_day_event_is_listed_through_its_last_local_day(database):
    first_day = start_of_day_utc(NOW.date(), "America/Chicago")
    add(database, event("day of action", first_day, first_day + timedelta(days=2), all_day=True))  # today and tomorrow
    assert titles(database, first_day + timedelta(days=2) - timedelta(seconds=1)) == ["day of action"]
    assert titles(database, first_day + timedelta(days=2, seconds=1)) == []


def test_filters_ignore_case_and_spacing_and_apply_to_events_on_now(database):
    add(
        database,
        event("Denver rally on now", NOW - timedelta(hours=1), NOW + timedelta(hours=1), city="Denver", state="CO"),
        event(
            "Cañon City vigil",
            NOW + timedelta(days=1),
            city="Cañon City",
            state="CO",
            event_type=EventType.PRAYER_VIGIL.value,
        ),
        event(
            "El Paso town hall",
            NOW + timedelta(days=2),
            city="El  Paso",
            state="tx",
            event_type=EventType.TOWN_HALL.value,
        ),
        event("Fresno rally", NOW + timedelta(days=3), city="Fresno", state="CA"),
    )
    assert titles(database, state="co") == ["Denver rally on now", "Cañon City vigil"]
    assert titles(database, state=" TX ") == ["El Paso town hall"]
    assert titles(database, city="DENVER") == ["Denver rally on now"]
    assert titles(database, city="CAÑON CITY") == ["Cañon City vigil"]
    assert titles(database, city="el paso") == ["El Paso town hall"]
    assert titles(database, event_type=EventType.RALLY) == ["Denver rally on now", "Fresno rally"]
    assert titles(database, city="Tulsa") == []


def test_pages_follow_each_other_across_events_on_now_and_to_come(database):
    on_now = [event(f"on now {n:02d}", NOW - timedelta(hours=n + 1), NOW + timedelta(hours=1)) for n in range(13)]
    to_come = [event(f"to come {n:02d}", NOW + timedelta(hours=n + 1)) for n in range(12)]
    add(database, *on_now, *to_come)
    with database.read() as session:
        pages = [queries.upcoming_page(session, "T1", NOW, offset=offset, size=10) for offset in (0, 10, 20)]
    assert [len(page.events) for page in pages] == [10, 10, 5]
    assert [page.has_next for page in pages] == [True, True, False]
    listed = [e.title for page in pages for e in page.events]
    assert listed == [f"on now {n:02d}" for n in reversed(range(13))] + [f"to come {n:02d}" for n in range(12)]


def test_equal_starts_are_paged_by_id_without_overlap_or_gap(database):
    add(database, *(event(f"same start {n}", NOW + timedelta(days=1)) for n in range(7)))
    pages = [titles(database, limit=3, offset=offset) for offset in (0, 3, 6)]
    assert sum(pages, []) == [f"same start {n}" for n in range(7)]


def test_every_page_and_filter_matches_the_definition_over_a_seeded_history(database):
    """Over a seeded year either side of now (every duration class, cancellations, other teams):
    each page of each list is exactly the slice of what the definition says is upcoming."""
    seed_events(database, NOW, 1500, team_id="T1", other_teams=5)
    cases = {
        queries.EventFilter(): lambda e: True,
        queries.EventFilter(state="ca"): lambda e: e.state == "CA",
        queries.EventFilter(city="denver"): lambda e: e.city == "Denver",
        queries.EventFilter(event_type=EventType.RALLY): lambda e: e.event_type == "rally",
    }
    for instant in (NOW, NOW + timedelta(days=20, hours=5, minutes=30)):
        for where, keep in cases.items():
            expected = everything_upcoming(database, "T1", instant, keep)
            with database.read() as session:
                for offset in (0, 10, len(expected) - 5):
                    page = queries.upcoming_page(session, "T1", instant, where=where, offset=offset, size=10)
                    assert [e.id for e in page.events] == expected[offset : offset + 10], (instant, where, offset)
                    assert page.has_next == (offset + 10 < len(expected))


# --- the search columns ---------------------------------------------------------------------


def search_columns(database, event_id: int) -> tuple:
    with database.read() as session:
        row = session.execute(
            select(Event.effective_end, Event.duration_class, Event.state_key, Event.city_key).where(
                Event.id == event_id
            )
        ).one()
    return tuple(row)


def test_search_columns_follow_every_orm_write(database):
    with database.session() as session:
        created = event("vigil", NOW, city="  San   Antonio ", state="tx")
        session.add(created)
        session.flush()
        event_id = created.id
    assert search_columns(database, event_id) == (NOW, 0, "TX", "san antonio")
    with database.session() as session:
        stored = session.get(Event, event_id)
        stored.ends_at = NOW + timedelta(days=3)
        stored.city, stored.state = "Austin", None
    assert search_columns(database, event_id) == (NOW + timedelta(days=3), 4, None, "austin")
    with database.session() as session:
        session.get(Event, event_id).starts_at = NOW + timedelta(days=2, hours=12)
    assert search_columns(database, event_id) == (NOW + timedelta(days=3), 2, None, "austin")


def test_bulk_inserts_fill_the_search_columns_too(database):
    seed_events(database, NOW, 300, team_id="T1")
    with database.read() as session:
        rows = session.execute(
            select(
                Event.starts_at,
                Event.ends_at,
                Event.state,
                Event.city,
                Event.effective_end,
                Event.duration_class,
                Event.state_key,
                Event.city_key,
            )
        ).all()
    assert len(rows) == 300
    for starts_at, ends_at, state, city, *derived in rows:
        assert derived == [
            ends_at or starts_at,
            duration_class(starts_at, ends_at),
            normalize_state(state),
            normalize_city(city),
        ]


def test_duration_classes_bound_each_event_by_its_window():
    for length in (
        timedelta(0),
        timedelta(hours=1),
        timedelta(hours=1, seconds=1),
        timedelta(days=1),
        timedelta(days=60),
    ):
        k = duration_class(NOW, NOW + length)
        assert length <= DURATION_WINDOWS[k] and (k == 0 or length > DURATION_WINDOWS[k - 1])
    assert duration_class(NOW, NOW + timedelta(days=3 * 365)) == len(DURATION_WINDOWS)
    assert duration_class(NOW, None) == 0


def test_the_migration_backfills_existing_events(database):
    from alembic import command

    command.downgrade(database.alembic_config(), "0004")
    try:
        columns = (
            "team_id",
            "title",
            "event_type",
            "all_day",
            "starts_at",
            "ends_at",
            "timezone",
            "city",
            "state",
            "is_public",
            "created_by",
            "created_at",
            "updated_at",
        )
        before_0005 = table(
            "events", *(column(name, UTCDateTime() if name.endswith("_at") else None) for name in columns)
        )
        common = dict(
            team_id="T1",
            event_type="rally",
            all_day=False,
            timezone="America/Chicago",
            is_public=True,
            created_by="U1",
            created_at=NOW,
            updated_at=NOW,
        )
        with database.engine.begin() as connection:
            connection.execute(
                insert(before_0005),
                [
                    common
                    | dict(
                        title="old multi-day",
                        starts_at=NOW - timedelta(days=1),
                        ends_at=NOW + timedelta(days=1),
                        city="DENVER",
                        state="co",
                    ),
                    common
                    | dict(
                        title="old open-ended", starts_at=NOW + timedelta(days=5), ends_at=None, city=None, state=None
                    ),
                ],
            )
    finally:
        database.upgrade()
    assert titles(database, city="denver", state="CO") == ["old multi-day"]
    assert titles(database) == ["old multi-day", "old open-ended"]


# --- reads and writers ------------------------------------------------------------------------


def test_lists_are_read_while_a_writer_holds_the_lock(database):
    add(database, event("saved before", NOW + timedelta(days=1)))
    with database.session() as writer:
        # On SQLite this transaction holds the write lock (BEGIN IMMEDIATE) until it commits.
        writer.add(event("being saved", NOW + timedelta(hours=1)))
        writer.flush()
        seen: list[list[str]] = []
        reader = threading.Thread(target=lambda: seen.append(titles(database)))
        reader.start()
        reader.join(timeout=8)  # a read that waited for the lock would wait out the 10 s busy timeout
        assert seen == [["saved before"]], "the read waited for the writer (or saw its uncommitted row)"
    assert titles(database) == ["being saved", "saved before"]


def test_a_read_session_refuses_to_write(database):
    with pytest.raises(RuntimeError, match="for reading"):
        with database.read() as session:
            session.add(event("sneaked in", NOW))
    assert titles(database) == []


def test_a_write_session_still_takes_the_sqlite_write_lock_up_front(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'lock.db'}")
    database.upgrade()
    other = sqlite3.connect(database.engine.url.database, timeout=0, isolation_level=None)
    try:
        with database.session() as session:
            session.connection()  # begins the transaction, before any statement
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        database.dispose()


# --- migrating only when needed ---------------------------------------------------------------


def test_an_up_to_date_database_is_not_migrated_and_alembic_is_not_loaded(database):
    from alembic.script import ScriptDirectory

    from storage.db import head_revisions

    assert head_revisions() == {ScriptDirectory.from_config(database.alembic_config()).get_current_head()}
    assert database.current_revisions() == head_revisions()
    probe = "import sys; from storage import Database; Database(sys.argv[1]).upgrade(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))"
    result = subprocess.run(
        [sys.executable, "-c", probe, database.url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_sqlite_process_loads_no_postgresql_dialect(tmp_path):
    """Dialect options on a model (a partial index's `postgresql_where`) load every dialect named: +2.5 MB."""
    url = f"sqlite:///{tmp_path / 'footprint.db'}"
    Database(url).upgrade()
    probe = (
        "import sys; from bot.app import create_app; from storage import Database; "
        "Database(sys.argv[1]).health(); print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.dialects.postgresql')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
