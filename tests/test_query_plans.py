"""Every hot query on events is an index range scan, on both databases, over a seeded history.

The queries are run as the app runs them (storage.events), and each SELECT
they send is explained by the database on the same connection:

- SQLite: `EXPLAIN QUERY PLAN` must say `SEARCH events USING INDEX <the intended index>` and
  never `SCAN events`, both as deployments leave SQLite (no statistics) and after `ANALYZE`;
- PostgreSQL: `EXPLAIN` over 20,000 rows with fresh statistics (`ANALYZE events`, as
  autovacuum keeps them) must show an Index or Bitmap Index scan on the intended index and
  no `Seq Scan`: the planner's own choice, no `enable_seqscan=off`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, insert, select, text

from eventseed import seed_events
from storage import Database, EventType, places, reports
from storage import events as queries
from storage.models import Base, Event, EventHost, Rsvp
from timemath import UTC

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
TEAM = "T1"
DURATION_INDEX = "ix_events_team_duration_end"
CELL_INDEX = "ix_events_team_cell_end"
PRIMARY_KEY = "pk_events"


@pytest.fixture(scope="module", params=["sqlite", "sqlite analyzed", "postgresql"])
def history(request, tmp_path_factory) -> Iterator[Database]:
    """10,000 events for the team (half of them over) and 10,000 over 50 other teams."""
    if request.param.startswith("sqlite"):
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('plans') / 'plans.db'}")
        db.upgrade()
    else:
        db = request.getfixturevalue("postgres_database")
        with db.engine.begin() as connection:
            connection.execute(
                text(f"TRUNCATE {', '.join(t.name for t in Base.metadata.sorted_tables)} RESTART IDENTITY CASCADE")
            )
    seed_events(db, NOW, 10_000, team_id=TEAM, other_teams=50)
    if request.param != "sqlite":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE events"))
    yield db
    if db.is_sqlite:
        db.dispose()


@contextmanager
def explained(session) -> Iterator[list[tuple[str, str]]]:
    """(statement, plan) of every SELECT the session sends inside the block, explained by the
    database with the very parameters it was sent with."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    plans: list[tuple[str, str]] = []

    def explain(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            probe = conn.connection.cursor()
            probe.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters)
            plans.append((statement, "\n".join(str(row[-1] if sqlite else row[0]) for row in probe.fetchall())))
            probe.close()

    event.listen(connection, "before_cursor_execute", explain)
    try:
        yield plans
    finally:
        event.remove(connection, "before_cursor_execute", explain)


def indexes_used(plan: str) -> set[str]:
    named = set(
        re.findall(r"(?:USING (?:COVERING )?INDEX|Index Scan using|Index Only Scan using|Index Scan on) (\w+)", plan)
    )
    return named | ({PRIMARY_KEY} if "USING INTEGER PRIMARY KEY" in plan else set())  # SQLite's rowid lookups


def assert_range_scans_only(plan: str, intended: str) -> None:
    assert not re.search(r"\bSCAN events\b|Seq Scan", plan), f"walks the whole table:\n{plan}"
    assert indexes_used(plan) == {intended}, f"expected a range scan of {intended} only:\n{plan}"


def upcoming(where: queries.EventFilter, offset: int) -> Callable:
    return lambda session: queries.upcoming_page(session, TEAM, NOW, where=where, offset=offset, size=10)


# A list reads the keys of what is on now (duration index), the rows of those it shows (primary
# key) and what is to come (its own index). Page 6 is asked for too, so that the last statement
# runs whatever the first one found.
LISTS = {
    "/event list": (queries.EventFilter(), "ix_events_team_starts"),
    "/event list CA": (queries.EventFilter(state="CA"), "ix_events_team_state_starts"),
    "/event list city Denver": (queries.EventFilter(city="Denver"), "ix_events_team_city_starts"),
    "/event list rally": (queries.EventFilter(event_type=EventType.RALLY), "ix_events_team_type_starts"),
    "/event list #WhereRTheRefugees": (
        queries.EventFilter(campaign_slug="where-r-the-refugees"),
        "ix_events_team_campaign_starts",
    ),
}


@pytest.mark.parametrize("offset", [0, 50], ids=["first page", "page 6"])
@pytest.mark.parametrize("name", LISTS)
def test_each_list_reads_index_ranges_only(history, name, offset):
    where, to_come_index = LISTS[name]
    with history.read() as session, explained(session) as plans:
        page = upcoming(where, offset)(session)
    assert len(page.events) == 10
    assert plans, "no statement was sent"
    for statement, plan in plans:
        where = statement.partition("WHERE")[2]
        intended = (
            DURATION_INDEX if "duration_class" in where else PRIMARY_KEY if "events.id IN" in where else to_come_index
        )
        assert_range_scans_only(plan, intended)
    if offset:
        assert len(plans) == 2  # nothing on now is shown on page 6: no rows to load by key


def test_the_digest_week_reads_one_index_range(history):
    with history.read() as session, explained(session) as plans:
        week = queries.events_between(session, TEAM, NOW, NOW + timedelta(days=7), channel_id="C1")
    assert week
    [(on_at_start, on_plan), (_, to_come_plan)] = (
        plans  # what is on at its start (duration index), then what starts in it
    )
    assert "duration_class" in on_at_start.partition("WHERE")[2]
    assert_range_scans_only(on_plan, DURATION_INDEX)
    assert_range_scans_only(to_come_plan, "ix_events_team_starts")


def test_an_export_walks_the_teams_history_in_one_index_range(history):
    """/event export: one range of (team, start), streamed page by page; on PostgreSQL the tie
    on start is sorted within each start (an incremental sort), never the team's whole history."""
    with history.read() as session, explained(session) as plans:
        pages = [len(page) for page in queries.every_event(session, TEAM, page=4000)]
        campaign = sum(len(page) for page in queries.every_event(session, TEAM, campaign_slug="where-r-the-refugees"))
    assert pages == [4000, 4000, 2000] and 0 < campaign < 10_000
    for (_, plan), index in zip(plans, ["ix_events_team_starts", "ix_events_team_campaign_starts"], strict=True):
        assert_range_scans_only(plan, index)
        assert not re.search(r"(?m)^\s*(?:->\s+)?Sort\s+\(|TEMP B-TREE", plan), plan  # a Sort node of its own


def test_the_clock_finds_events_just_over_in_one_index_range(history):
    """What storage.reports.take_due claims every tick, across all teams (the UPDATE's subquery)."""
    candidates = select(Event.id).where(reports.due_for_report(NOW)).order_by(*reports.DUE_ORDER).limit(1000)
    with history.read() as session, explained(session) as plans:
        due = session.scalars(candidates).all()
    assert due  # the seed has events over in the last two days
    [(_, plan)] = plans
    assert_range_scans_only(plan, "ix_events_report_due")


def test_event_mine_reads_index_ranges_only(history):
    """Seven people share the team's 10,000 events (half of them over): each registered a
    seventh, co-hosts about 30 and goes to about 60, among 300 others who co-host one event
    each and go to two. No statement walks a table or a whole index."""
    with history.session() as session:
        session.execute(text("UPDATE events SET created_by = 'U' || (id % 7) WHERE team_id = :team"), {"team": TEAM})
        ids = list(session.scalars(select(Event.id).where(Event.team_id == TEAM).order_by(Event.id)))
        co_hosts = [(i, f"U{(i + 1) % 7}") for i in ids[::50]] + [(i, f"V{i % 300}") for i in ids]
        going = [(i, f"U{(i + 2) % 7}") for i in ids[1::25]] + [(i, f"V{(i + k) % 300}") for i in ids for k in (1, 2)]
        session.execute(
            insert(EventHost),
            [dict(team_id=TEAM, event_id=i, user_id=u, added_by="U0", created_at=NOW) for i, u in co_hosts],
        )
        session.execute(insert(Rsvp), [dict(team_id=TEAM, event_id=i, user_id=u, created_at=NOW) for i, u in going])
    if not history.is_sqlite:
        with history.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE events, event_hosts, rsvps"))
    # The team's events on now are found as the list finds them (the duration index).
    expected = {
        "duration_class": DURATION_INDEX,
        "created_by": "ix_events_team_creator_starts",
        "event_hosts.team_id": "ix_event_hosts_team_user",
        "rsvps.team_id": "ix_rsvps_team_user",
    }
    for user, shown in (("U1", 20), ("U3", 20), ("U99", 0)):
        with history.read() as session, explained(session) as plans:
            mine = queries.events_of(session, TEAM, user, NOW, limit=20)
        assert len(mine.events) == shown and all(e.effective_end >= NOW for e in mine.events), user
        for statement, plan in plans:
            where = statement.partition("WHERE")[2]
            intended = (
                PRIMARY_KEY
                if "events.id IN" in where
                else next(index for name, index in expected.items() if name in where)
            )
            assert_range_scans_only(plan, intended)
            assert "Index Cond" in plan or "SEARCH" in plan, f"reads a whole index:\n{plan}"


# A distance search reads the spots of its cells (the cell index alone), the events of the spots
# its page reaches (the cell index, in order, up to the page's end), and the online cell.
SEARCHES = {
    "50 miles of Modesto": (places.zip_place("95356"), 50),
    "500 miles of Denver": (places.city_place("Denver", "CO"), 500),
}
AUDIENCES = {"a member": queries.Audience("C1", "U2"), "an admin": queries.EVERYONE, "the public": queries.PUBLIC}


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("offset", [0, 50], ids=["first page", "page 6"])
@pytest.mark.parametrize("search", SEARCHES)
def test_a_distance_search_reads_the_cell_index_only(history, search, offset, audience):
    place, miles = SEARCHES[search]
    with history.read() as session, explained(session) as plans:
        page = queries.upcoming_near(
            session,
            TEAM,
            NOW,
            place.latitude,
            place.longitude,
            miles,
            audience=AUDIENCES[audience],
            offset=offset,
            size=10,
        )
        online = queries.upcoming_online(session, TEAM, NOW, audience=AUDIENCES[audience], limit=5)
    assert len(page.nearby) == 10 and len(online.events) == 5
    assert len(plans) >= 3
    for statement, plan in plans:
        assert_range_scans_only(plan, CELL_INDEX)
        if "count(*)" in statement:  # the cells as literals, which PostgreSQL's generic plans can see
            assert re.search(r"geo_cell IN \(-?[0-9]+(, -?[0-9]+)*\)", statement), statement
