"""Review and reports in storage, on both databases: who sees what review holds back, one
decision per event, each event asked about once, and what the reports add up to."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import select

from storage import Event, approvals, hosts, reports
from storage import events as queries
from storage.models import ApprovalState
from timemath import UTC

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


def add_event(database, title: str, starts_at: datetime, ends_at: datetime | None = None, **extra) -> int:
    fields = dict(
        team_id="T1",
        title=title,
        event_type="rally",
        timezone="America/Chicago",
        created_by="U1",
        created_at=NOW - timedelta(days=30),
        updated_at=NOW - timedelta(days=30),
        channel_id="C1",
    )
    with database.session() as session:
        event = Event(**fields | extra, starts_at=starts_at, ends_at=ends_at)
        session.add(event)
        session.flush()
        return event.id


def listed(database, audience: queries.Audience, **where) -> list[str]:
    with database.read() as session:
        events = queries.upcoming_events(
            session, "T1", NOW, where=queries.EventFilter(**where), audience=audience, limit=50
        )
    return [e.title for e in events]


def review_states(database) -> None:
    soon = NOW + timedelta(days=2)
    add_event(database, "approved", soon)
    add_event(database, "pending by U1", soon + timedelta(hours=1), approval="pending")
    add_event(database, "pending by U2", soon + timedelta(hours=2), approval="pending", created_by="U2")
    add_event(database, "rejected by U1", soon + timedelta(hours=3), approval="rejected")


# --- who sees what --------------------------------------------------------------------------------


def test_lists_show_pending_events_to_their_host_and_admins_and_rejected_ones_to_nobody(database):
    review_states(database)
    member = queries.Audience(channel_id="C9", user_id="U3")
    assert listed(database, member) == ["approved"]
    assert listed(database, queries.Audience(channel_id="C9", user_id="U1")) == ["approved", "pending by U1"]
    assert listed(database, queries.EVERYONE) == ["approved", "pending by U1", "pending by U2"]


def test_show_admits_an_event_review_holds_back_only_to_its_host_and_admins(database):
    review_states(database)
    with database.read() as session:
        events = {e.title: e for e in session.scalars(select(Event))}
    member, host = queries.Audience("C1", "U3"), queries.Audience("C9", "U1")
    assert [t for t, e in events.items() if member.may_see(e)] == ["approved"]
    assert [t for t, e in events.items() if host.may_see(e)] == ["approved", "pending by U1", "rejected by U1"]
    assert all(queries.EVERYONE.may_see(e) for e in events.values())


def test_digests_and_the_public_rule_show_only_approved_events(database):
    review_states(database)
    add_event(database, "not open to the public", NOW + timedelta(days=3), is_public=False)
    with database.read() as session:
        week = queries.events_between(session, "T1", NOW, NOW + timedelta(days=7), channel_id="C1")
        approved = session.scalars(
            select(Event).where(Event.team_id == "T1", queries.APPROVED).order_by(Event.id)
        ).all()
        everything = session.scalars(select(Event).order_by(Event.id)).all()
    assert [e.title for e in week] == ["approved", "not open to the public"]
    assert [e.title for e in approved] == ["approved", "not open to the public"]
    assert [e.title for e in everything if e.is_approved] == ["approved", "not open to the public"]


# --- one decision per event ------------------------------------------------------------------------


def test_of_two_reviewers_deciding_at_once_exactly_one_decides(database):
    event_id = add_event(database, "pending", NOW + timedelta(days=2), approval="pending")
    barrier, outcomes = threading.Barrier(2), {}

    def decide(user: str, state: ApprovalState) -> None:
        barrier.wait(timeout=5)  # SQLite lets one writer in at a time: both start, one waits its turn
        with database.session(patient=True) as session:
            event = session.get(Event, event_id)
            outcomes[user] = approvals.decide(
                session, event, state, user, NOW, reason="no" if state == ApprovalState.REJECTED else None
            )

    threads = [
        threading.Thread(target=decide, args=args)
        for args in (("UA", ApprovalState.APPROVED), ("UB", ApprovalState.REJECTED))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == [False, True]
    winner = next(user for user, won in outcomes.items() if won)
    with database.read() as session:
        event = session.get(Event, event_id)
    assert event.approval_by == winner and event.approval_at == NOW
    assert event.approval == ("approved" if winner == "UA" else "rejected")


def test_a_cancelled_event_is_not_decided(database):
    event_id = add_event(
        database, "pending", NOW + timedelta(days=2), approval="pending", cancelled_at=NOW, cancelled_by="U1"
    )
    with database.session() as session:
        assert not approvals.decide(session, session.get(Event, event_id), ApprovalState.APPROVED, "UA", NOW)


def test_review_setting_and_trusted_hosts(database):
    with database.session() as session:
        assert approvals.review_channel(session, "T1") is None
        approvals.set_review(session, "T1", enabled=True, channel_id="C_REVIEW", user_id="UA", now=NOW)
        assert approvals.review_channel(session, "T1") == "C_REVIEW"
        approvals.set_review(session, "T1", enabled=False, channel_id=None, user_id="UB", now=NOW)
        assert approvals.review_channel(session, "T1") is None
        assert approvals.review_setting(session, "T1").channel_id == "C_REVIEW"  # kept for next time
        assert approvals.trust(session, "T1", "U1", "UA", NOW) and not approvals.trust(session, "T1", "U1", "UA", NOW)
        assert approvals.is_trusted(session, "T1", "U1") and not approvals.is_trusted(session, "T2", "U1")
        assert approvals.untrust(session, "T1", "U1") and not approvals.untrust(session, "T1", "U1")


# --- asked once, when it is over ---------------------------------------------------------------------


def test_an_event_is_due_at_its_end_or_two_hours_after_a_start_without_end(database):
    with_end = add_event(database, "with end", NOW - timedelta(hours=3), NOW - timedelta(minutes=1))
    no_end = add_event(database, "no end", NOW - timedelta(hours=2))
    add_event(database, "not over", NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    add_event(database, "no end, just started", NOW - timedelta(hours=1))
    add_event(
        database, "cancelled", NOW - timedelta(hours=3), NOW - timedelta(hours=1), cancelled_at=NOW - timedelta(days=1)
    )
    add_event(database, "pending", NOW - timedelta(hours=3), NOW - timedelta(hours=1), approval="pending")
    add_event(database, "rejected", NOW - timedelta(hours=3), NOW - timedelta(hours=1), approval="rejected")
    add_event(database, "long over", NOW - timedelta(days=5), NOW - timedelta(days=4))
    with database.session() as session:
        due = reports.take_due(session, NOW, 100)
    assert [(d.event_id, d.host) for d in due] == [(with_end, "U1"), (no_end, "U1")]
    with database.session() as session:
        assert reports.take_due(session, NOW + timedelta(minutes=5), 100) == []  # asked once


def test_each_host_is_due_the_question_creator_first(database):
    event_id = add_event(database, "co-hosted", NOW - timedelta(hours=3), NOW - timedelta(hours=1))
    with database.session() as session:
        hosts.set_co_hosts(session, session.get(Event, event_id), ["U7", "U5"], "U1", NOW)
    with database.session() as session:
        due = reports.take_due(session, NOW, 10)
    assert [(d.event_id, d.host) for d in due] == [(event_id, "U1"), (event_id, "U7"), (event_id, "U5")]


def test_two_clocks_claiming_at_once_ask_each_event_once(database):
    for n in range(40):
        add_event(database, f"over {n}", NOW - timedelta(hours=2), NOW - timedelta(minutes=n + 1))
    barrier, taken = threading.Barrier(2), []

    def clock() -> None:
        barrier.wait(timeout=5)
        with database.session(patient=True) as session:
            taken.extend(d.event_id for d in reports.take_due(session, NOW, 25))

    threads = [threading.Thread(target=clock) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(1, 41))


def test_moving_an_event_into_the_future_asks_again_once_it_is_over(database):
    event_id = add_event(database, "moved", NOW - timedelta(hours=3), NOW - timedelta(hours=2))
    with database.session() as session:
        assert len(reports.take_due(session, NOW, 10)) == 1
        event = session.get(Event, event_id)
        event.starts_at, event.ends_at = NOW + timedelta(days=1), NOW + timedelta(days=1, hours=1)
        reports.ask_again_if_moved(event, NOW)
    with database.session() as session:
        assert reports.take_due(session, NOW, 10) == []
        [again] = reports.take_due(session, NOW + timedelta(days=1, hours=2), 10)
    assert again.ended_at == NOW + timedelta(days=1, hours=1)


# --- totals ---------------------------------------------------------------------------------------------


def report(database, event_id: int, turnout: int | None, links: int) -> None:
    with database.session() as session:
        reports.save_report(
            session,
            session.get(Event, event_id),
            "U1",
            NOW,
            turnout=turnout,
            press_links=[f"https://news.example/{event_id}/{n}" for n in range(links)],
            official_said=None,
            photos_url=None,
            next_step=None,
        )


def test_totals_count_events_that_took_place_and_sum_their_reports(database):
    over = NOW - timedelta(days=1)
    a = add_event(database, "Denver", over, state="CO")
    b = add_event(database, "Boulder", over, state="co ")
    c = add_event(database, "Fresno", over, state="CA")
    add_event(database, "Online", over)
    add_event(database, "still to come", NOW + timedelta(days=1), state="TX")
    add_event(database, "cancelled", over, state="NM", cancelled_at=over)
    add_event(database, "rejected", over, state="AZ", approval="rejected")
    add_event(database, "other team", over, state="WA", team_id="T2")
    report(database, a, 1200, 7)
    report(database, b, None, 2)
    report(database, c, 150, 3)
    with database.read() as session:
        totals = reports.totals(session, "T1", NOW)
        denver_only = reports.totals(session, "T1", NOW, Event.title == "Denver")
    assert totals == reports.Totals(events=4, states=2, reports=3, people=1350, press_hits=12)
    assert denver_only == reports.Totals(events=1, states=1, reports=1, people=1200, press_hits=7)


def test_a_report_is_one_per_event_and_replaced_when_edited(database):
    event_id = add_event(database, "Denver", NOW - timedelta(days=1))
    report(database, event_id, 10, 1)
    report(database, event_id, 25, 4)
    with database.read() as session:
        saved = reports.report_of(session, event_id)
        assert (saved.turnout, saved.press_hits, len(saved.press_links)) == (25, 4, 4)
        assert reports.totals(session, "T1", NOW).reports == 1
