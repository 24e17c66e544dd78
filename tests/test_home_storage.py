"""The App Home's storage on both databases: the dashboard's gaps as defined, who opened their
Home, and which Homes a change redraws (services.outbox.homes_changed)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fakeslack import TEAM_ID
from services import outbox
from storage import dashboard, homes
from storage.models import Event, OutboxMessage


def _event(session, now, **fields) -> Event:
    values = (
        dict(
            team_id=TEAM_ID,
            title="Action",
            event_type="rally",
            all_day=False,
            starts_at=now + timedelta(days=1),
            timezone="America/Chicago",
            address="1 Main St",
            city="Denver",
            state="CO",
            contact_name="Sara",
            created_by="U1",
            created_at=now,
            updated_at=now,
        )
        | fields
    )
    event = Event(**values)
    session.add(event)
    session.flush()
    return event


def test_each_gap_is_what_the_dashboard_says_it_is(database, clock):
    now = clock()
    with database.session() as session:
        _event(session, now, title="complete")
        _event(session, now, title="email only", contact_name=None, contact_email="a@example.org")
        _event(session, now, title="no contact", contact_name="", contact_email=None)
        _event(session, now, title="city only", address=None)
        _event(session, now, title="online only", address="", online_url="https://example.org/x", city=None, state=None)
        _event(session, now, title="all-day rally", all_day=True)
        _event(session, now, title="all-day call-in", event_type="call_in_day", all_day=True)
        _event(session, now, title="all-day push", event_type="social_media_push", all_day=True)
        _event(session, now, title="past, no contact", contact_name=None, starts_at=now - timedelta(days=2))
        _event(session, now, title="other team", team_id="T0OTHER", contact_name=None)
        _event(session, now, title="cancelled", contact_name=None, cancelled_at=now, cancelled_by="U1")
        _event(session, now, title="rejected", contact_name=None, approval="rejected")
        _event(session, now, title="pending", contact_name=None, approval="pending", campaign_slug="week")
    with database.read() as session:
        found = {
            gap: [e.title for e in dashboard.gaps(session, TEAM_ID, now, gap, size=10).events] for gap in dashboard.GAPS
        }
        in_campaign = dashboard.gaps(session, TEAM_ID, now, dashboard.MISSING_CONTACT, campaign_slug="week", size=10)
        figures = dashboard.overview(session, TEAM_ID, now)
    assert found == {"contact": ["no contact", "pending"], "address": ["city only"], "time": ["all-day rally"]}
    assert [e.title for e in in_campaign.events] == ["pending"] and in_campaign.total == 1
    assert (figures.events, figures.upcoming) == (10, 9)
    assert figures.by_state == [("CO", 9), (None, 1)]


def test_a_page_past_the_end_shows_the_last_one(database, clock):
    now = clock()
    with database.session() as session:
        for n in range(7):
            _event(session, now, title=f"gap {n}", contact_name=None, starts_at=now + timedelta(hours=n + 1))
    with database.read() as session:
        page = dashboard.gaps(session, TEAM_ID, now, dashboard.MISSING_CONTACT, start=25, size=5)
    assert (page.start, page.total, [e.title for e in page.events]) == (5, 7, ["gap 5", "gap 6"])


def test_opening_twice_keeps_one_row_and_the_latest_time(database, clock):
    now = clock()
    with database.session() as session:
        homes.opened(session, TEAM_ID, "U1", now)
    with database.session() as session:
        homes.opened(session, TEAM_ID, "U1", now + timedelta(minutes=5))
        homes.opened(session, TEAM_ID, "U1", now)  # an older delivery, late
    with database.read() as session:
        assert homes.home_of(session, TEAM_ID, "U1").opened_at == now + timedelta(minutes=5)
        assert homes.opened_among(session, TEAM_ID, ["U1", "U2"]) == {"U1"}


def _home_rows(database) -> list[str]:
    with database.read() as session:
        query = select(OutboxMessage.channel).where(
            OutboxMessage.kind == outbox.HOME, OutboxMessage.status == "pending"
        )
        return sorted(session.scalars(query.order_by(OutboxMessage.id)))


def test_a_change_redraws_the_homes_opened_and_recent_staff_dashboards_once_each(database, clock):
    now = clock()
    with database.session() as session:
        homes.opened(session, TEAM_ID, "U1", now - timedelta(days=40))  # a person's own Home: kept current
        homes.opened(session, TEAM_ID, "USTAFF", now - timedelta(hours=23)).staff = True
        homes.opened(session, TEAM_ID, "UOLDSTAFF", now - timedelta(hours=25)).staff = True
        homes.opened(session, "T0OTHER", "UELSE", now).staff = True
    with database.session() as session:
        outbox.homes_changed(session, TEAM_ID, ["U1", "U2"], now)
    assert _home_rows(database) == ["U1", "USTAFF"]  # U2 never opened theirs
    with database.session() as session:
        outbox.homes_changed(session, TEAM_ID, ["U1"], now)  # a row not yet picked up is enough
        outbox.homes_changed(session, TEAM_ID, ["UOLDSTAFF"], now)  # their own events: their Home, dashboard or not
    assert _home_rows(database) == ["U1", "UOLDSTAFF", "USTAFF"]
