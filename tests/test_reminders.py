"""Reminders and RSVPs: created from the modal, moved by edits, posted exactly once by the dispatcher."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from itertools import pairwise

import pytest

from driver import assert_valid_blocks, visible_text
from messages.i18n import speaking
from messages.reminders import reminder_blocks, time_until
from schedhelp import add_event, announced, by_kind, dispatcher, outbox_rows, reminders, wait_until
from services.delivery import backoff
from storage import outbox, rsvps
from storage.models import Event
from test_events_e2e import FUTURE, register
from timemath import UTC, to_local

# DST ends in the US on Sunday 2026-11-01 at 02:00 local.
VIGIL = {
    **FUTURE,
    "Title": "Candlelight vigil for families",
    "Type": "Prayer vigil",
    "Start date": "2026-11-01",
    "Start time": "18:00",
    "End time": "19:00",
    "Time zone": "America/New_York",
    "Reminders": ["1 week before", "1 day before", "1 hour before"],
}


def test_reminders_are_elapsed_time_before_the_start_across_dst(bot, database, clock, slack):
    clock.set(datetime(2026, 10, 20, 12, 0, tzinfo=UTC))
    register(bot, VIGIL)
    [card] = bot.posted()
    announced(database)  # reminders go in the card's thread once its ts is stored
    rows = by_kind(reminders(database, 1))
    start = datetime(2026, 11, 1, 23, 0, tzinfo=UTC)  # 18:00 EST, after clocks fell back
    assert rows["1d"].due_at == start - timedelta(hours=24)
    # 24 hours of elapsed time: on the wall clock that is 19:00 the evening before (still EDT).
    assert to_local(rows["1d"].due_at, "America/New_York").hour == 19
    assert rows["1w"].due_at == start - timedelta(days=7)
    assert rows["1h"].due_at == start - timedelta(hours=1)
    assert {r.status for r in rows.values()} == {"pending"} and set(rows) == {"1w", "1d", "1h"}

    run = dispatcher(slack, database, clock)
    clock.set(rows["1d"].due_at - timedelta(seconds=1))
    run.run_once()
    assert len(slack.calls_to("chat.postMessage")) == 2  # card + the 1-week reminder (now late but before start)
    clock.set(rows["1d"].due_at)
    run.run_once()
    reminder = slack.calls_to("chat.postMessage")[-1]
    assert reminder["thread_ts"] == slack.messages["C1"][0]["ts"] and card["channel"] == "C1"
    assert reminder["reply_broadcast"] in (False, "0", "false", "False")
    text = visible_text(reminder)
    assert f"<!date^{int(start.timestamp())}^" in text  # the start, in every reader's own zone
    assert "4701 Sisk Road, Modesto, CA 95356" in text
    assert "`/toolkit prayer vigil`" in text and "about 1 day" in text
    run.run_once()  # nothing due any more: nothing resent
    assert len(slack.calls_to("chat.postMessage")) == 3
    assert by_kind(reminders(database, 1))["1d"].status == "sent"


def test_lead_times_already_past_are_skipped(bot, database, clock, slack):
    # Clock: Sat Nov 21 15:00 UTC. Event Sun Nov 22 10:00 Chicago = 16:00 UTC, 25 hours away.
    register(
        bot,
        {
            **FUTURE,
            "Start date": "2026-11-22",
            "Start time": "10:00",
            "End time": "11:00",
            "Time zone": "America/Chicago",
            "Reminders": ["1 week before", "3 days before", "1 day before", "15 minutes before"],
        },
    )
    rows = by_kind(reminders(database, 1))
    assert rows["1w"].status == rows["3d"].status == "skipped"
    assert rows["1d"].status == rows["15m"].status == "pending"
    bot.posted()  # the card
    dispatcher(slack, database, clock).run_once()
    assert len(slack.calls_to("chat.postMessage")) == 1  # only the card: skipped ones are never posted


def test_editing_the_time_moves_unsent_reminders_and_removes_unchosen(bot, database, clock, slack):
    register(bot)  # Dec 4 13:00 Pacific, defaults: 1 day and 1 hour
    bot.posted()
    announced(database)
    rows = by_kind(reminders(database, 1))
    assert set(rows) == {"1d", "1h"}
    assert rows["1h"].due_at == datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
    bot.command("/event", "edit 1")
    view = bot.opened_view()
    reminders_input = next(b for b in view["blocks"] if b["block_id"] == "reminders")
    assert [o["value"] for o in reminders_input["element"]["initial_options"]] == ["1d", "1h"]
    bot.submit(view, {"Start time": "15:00", "End time": "16:00", "Reminders": ["1 day before", "15 minutes before"]})
    slack.wait_for("chat.update")
    rows = by_kind(reminders(database, 1))
    assert rows["1d"].due_at == datetime(2026, 12, 3, 23, 0, tzinfo=UTC) and rows["1d"].status == "pending"
    assert rows["15m"].due_at == datetime(2026, 12, 4, 22, 45, tzinfo=UTC)
    assert rows["1h"].status == "cancelled"


def test_a_late_reminder_says_how_long_is_left_and_carries_what_to_do_next(bot, database, clock, slack):
    """Issue 25: after downtime a 1-day reminder said "starts in about 1 day" 17.5 hours before
    the start, and no DM had a button: "Details: `/event show 1`" was to be typed."""
    register(bot)  # Fri Dec 4 2026, 13:00 Pacific (21:00 UTC)
    bot.posted()
    announced(database)
    bot.click(slack.messages["C1"][0], "event_rsvp", user="U2")
    slack.wait_for("chat.update")
    clock.set(datetime(2026, 12, 4, 3, 30, tzinfo=UTC))  # 17.5 hours before: the 1-day reminder is 6.5 hours late
    dispatcher(slack, database, clock).run_once()
    dm = bot.direct_message("U2")
    assert_valid_blocks(dm["blocks"])
    text = visible_text(dm["blocks"])
    assert "Reminder, sent late: you're going to" in text and "which starts in 17 hours and 30 minutes." in text
    assert "about 1 day" not in visible_text(dm) and "/event show" not in text
    assert dm["text"].startswith(
        "Reminder, sent late: Modesto: #WeAreAllAmerica Canvass and Rally starts in 17 hours and 30 minutes"
    )
    with database.read() as session:
        permalink = session.get(Event, 1).permalink
    cant, card, place = dm["blocks"][1]["elements"]
    assert (cant["text"]["text"], cant["value"]) == ("Can't make it", "1")
    assert (card["text"]["text"], card["url"]) == ("Open the card", permalink) and permalink.startswith("https://")
    assert (
        place["url"]
        == "https://www.google.com/maps/search/?api=1&query=4701%20Sisk%20Road%2C%20Modesto%2C%20CA%2C%2095356"
    )

    bot.click(dm, "event_cant_make_it", user="U2", channel="DU2")
    assert "You're no longer going to" in slack.wait_for("response_url", 2)[-1]["text"]
    wait_until(lambda: "Nobody has said they're going yet" in visible_text(slack.messages["C1"][0]))  # the card redrawn
    assert by_kind(reminders(database, 1), "user")["1h"].status == "cancelled"
    bot.click(dm, "event_cant_make_it", user="U2", channel="DU2")  # again: still not going (not "I'm going" again)
    assert "You're no longer going to" in slack.wait_for("response_url", 3)[-1]["text"]
    with database.read() as session:
        assert not rsvps.is_going(session, 1, "U2")


def test_how_long_is_left_is_said_in_the_readers_language():
    assert time_until(timedelta(hours=17, minutes=30)) == "17 hours and 30 minutes"
    assert time_until(timedelta(hours=1, minutes=1)) == "1 hour"
    assert time_until(timedelta(days=2, hours=3, minutes=20)) == "2 days and 3 hours"
    assert time_until(timedelta(minutes=41)) == "40 minutes"
    with speaking("es"):
        assert time_until(timedelta(hours=17, minutes=30)) == "17 horas y 30 minutos"


def test_a_reminder_without_a_card_to_open_says_how_to_see_it():
    event = Event(
        id=7,
        title="Vigil",
        event_type="prayer_vigil",
        all_day=False,
        starts_at=datetime(2026, 12, 4, 21, tzinfo=UTC),
        timezone="America/Chicago",
        online_url="https://meet.example/vigil",
        permalink=None,
    )
    blocks = reminder_blocks(event, "1h", direct=True)
    assert "Details: `/event show 7`" in blocks[0]["text"]["text"]
    assert [b["text"]["text"] for b in blocks[1]["elements"]] == ["Can't make it"]  # no card yet, no place for a map
    assert len(reminder_blocks(event, "1h", direct=False)) == 1  # in the card's thread: no buttons for everyone


def test_rsvp_toggle_updates_card_count_and_dms_at_reminder_time(bot, database, clock, slack):
    register(bot)
    bot.posted()
    announced(database)
    card = slack.messages["C1"][0]
    assert "Nobody has said they're going yet" in visible_text(card)
    bot.click(card, "event_rsvp", user="U2")
    [update] = slack.wait_for("chat.update")
    assert "*1* going" in visible_text(update)
    assert "You're going" in bot.responded()[0]["text"]
    bot.click(card, "event_rsvp", user="U2")  # again: withdraw
    assert "Nobody has said" in visible_text(slack.wait_for("chat.update", 2)[1])
    assert by_kind(reminders(database, 1), "user")["1d"].status == "cancelled"
    bot.click(card, "event_rsvp", user="U2")
    bot.click(card, "event_rsvp", user="UADMIN")
    # Redraws not yet sent coalesce: the card ends up showing the last state.
    slack.wait_for("chat.update", 3)
    deadline = time.monotonic() + 5
    while "*2* going" not in visible_text(slack.messages["C1"][0]) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "*2* going" in visible_text(slack.messages["C1"][0])

    shown = bot.command("/event", "show 1", user="U1").text
    assert "Going (2):* <@U2>, <@UADMIN>" in shown and "Reminders" in shown and "1 day before" in shown
    bot.command("/event", "show 1", user="U2")
    replies = slack.wait_for("response_url", 5)  # four RSVP confirmations, then the event
    [shown_to_u2] = [visible_text(r) for r in replies if r.get("blocks")]
    assert "event #1" in shown_to_u2
    assert "Going (" not in shown_to_u2  # who is going is not for everyone

    clock.set(datetime(2026, 12, 4, 20, 0, tzinfo=UTC))  # 1 hour before 13:00 Pacific
    dispatcher(slack, database, clock).run_once()
    posts = slack.calls_to("chat.postMessage")[1:]
    # The 1-day reminders are now late but before the start: thread + 2 DMs; then the 1-hour ones.
    assert sorted(p["channel"] for p in posts) == sorted(["C1", "U2", "UADMIN"] * 2)
    dm = next(p for p in posts if p["channel"] == "U2")
    # The 1-day one, sent 1 hour before the start: it says so, not "in about 1 day".
    assert "Reminder, sent late: you're going to" in visible_text(dm) and "which starts in 1 hour." in visible_text(dm)
    assert [b["text"]["text"] for b in dm["blocks"][1]["elements"]] == ["Can't make it", "Open the card", "Map"]
    dispatcher(slack, database, clock).run_once()
    assert len(slack.calls_to("chat.postMessage")) == 7  # exactly once each
    statuses = {(r.kind, r.recipient): r.status for r in reminders(database, 1)}
    assert statuses[("1d", "U2")] == "sent_late" and statuses[("1h", "U2")] == "sent"


def test_cancelling_removes_reminders_and_dms_those_going(bot, database, clock, slack):
    register(bot)
    bot.posted()
    announced(database)
    bot.click(slack.messages["C1"][0], "event_rsvp", user="U2")
    slack.wait_for("chat.update")
    bot.command("/event", "cancel 1", user="U1")
    dm = bot.direct_message("U2")
    assert "has been cancelled" in dm["text"]
    assert {r.status for r in reminders(database, 1)} == {"cancelled"}
    clock.set(datetime(2026, 12, 4, 20, 0, tzinfo=UTC))
    dispatcher(slack, database, clock).run_once()
    assert not [p for p in slack.calls_to("chat.postMessage") if "Reminder" in (p.get("text") or "")]


# --- dispatcher outcomes (storage-level events, no HTTP) ---------------------------


START = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def test_late_but_before_start_is_sent_marked_late_and_past_start_skipped(database, clock, slack):
    clock.set(START - timedelta(days=2))
    event_id = add_event(database, clock(), START, kinds=("1d", "1h"))
    clock.set(START - timedelta(minutes=30))  # the clock was down: 1d is 23.5 h late, 1h 30 min late
    dispatcher(slack, database, clock).run_once()
    rows = by_kind(reminders(database, event_id))
    assert rows["1d"].status == rows["1h"].status == "sent_late"
    other = add_event(database, clock(), START, kinds=("1h",), channel="C2")
    clock.set(START + timedelta(minutes=1))
    dispatcher(slack, database, clock).run_once()
    assert by_kind(reminders(database, other))["1h"].status == "skipped"
    assert [c["channel"] for c in slack.calls_to("chat.postMessage")] == ["C1", "C1"]


def test_on_time_within_grace(database, clock, slack):
    event_id = add_event(database, clock(), clock() + timedelta(hours=3), kinds=("1h",))
    clock.advance(hours=2, minutes=4)
    dispatcher(slack, database, clock).run_once()
    assert by_kind(reminders(database, event_id))["1h"].status == "sent"


def test_permanent_error_recorded_and_not_retried(database, clock, slack):
    gone = add_event(database, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel="C_GONE")
    archived = add_event(database, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel="C_ARCHIVED")
    kicked = add_event(database, clock(), clock() + timedelta(hours=1, minutes=10), kinds=("1h",), channel="C3")
    run = dispatcher(slack, database, clock)
    slack.fail_next("chat.postMessage", "not_in_channel")
    clock.advance(minutes=15)  # only C3's reminder is due yet
    run.run_once()
    clock.advance(minutes=45)
    run.run_once()
    for event_id, error in ((gone, "channel_not_found"), (archived, "is_archived"), (kicked, "not_in_channel")):
        row = by_kind(reminders(database, event_id))["1h"]
        assert (row.status, row.last_error, row.attempts) == ("failed", error, 1)
    calls = len(slack.calls)
    clock.advance(minutes=30)
    run.run_once()
    assert len(slack.calls) == calls


def test_transient_error_retried_with_backoff(database, clock, slack):
    event_id = add_event(database, clock(), clock() + timedelta(hours=3), kinds=("1h",))
    slack.fail_next("chat.postMessage", "ratelimited_by_team", times=2)
    run = dispatcher(slack, database, clock, jitter=lambda: 0.5)
    clock.advance(hours=2)
    run.run_once()
    [row] = outbox_rows(database, "reminder")
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "ratelimited_by_team")
    assert row.next_attempt_at == clock() + timedelta(seconds=2)
    assert by_kind(reminders(database, event_id))["1h"].status == "queued"
    clock.advance(seconds=1)
    run.run_once()
    assert len(slack.calls_to("chat.postMessage")) == 1  # not yet
    clock.advance(seconds=1)
    run.run_once()
    [row] = outbox_rows(database, "reminder")
    assert (row.attempts, row.next_attempt_at) == (2, clock() + timedelta(seconds=4))
    clock.advance(seconds=4)
    run.run_once()
    [row] = outbox_rows(database, "reminder")
    assert (row.status, row.attempts) == ("sent", 3)
    assert by_kind(reminders(database, event_id))["1h"].status == "sent"
    assert backoff(9) == timedelta(minutes=5)  # capped
    assert timedelta(seconds=3.2) <= backoff(2, jitter=0.0) < backoff(2, jitter=1.0) <= timedelta(seconds=4.8)


def test_when_slack_answers_again_every_row_backing_off_goes_at_once(database, clock, slack):
    """Slack answers 500 to everything for a while: ten reminders back off, each its own way.
    The first post that gets through makes the rest due: all ten are out in that same run,
    none waiting out its backoff."""
    for n in range(10):  # falling due a few seconds apart
        add_event(database, clock(), clock() + timedelta(hours=2, seconds=3 * n), kinds=("1h",), channel=f"C{n}")
    slack.fail_next("chat.postMessage", "internal_error", times=10_000, status=500)
    run = dispatcher(slack, database, clock)
    clock.advance(hours=1)
    for _ in range(90):  # a minute and a half of outage
        run.run_once()
        clock.advance(seconds=1)
    waits = [row.next_attempt_at - clock() for row in outbox_rows(database, "reminder")]
    assert all(row.status == "pending" for row in outbox_rows(database, "reminder"))
    assert max(waits) - min(waits) > timedelta(seconds=5)  # backing off, each its own way
    slack.clear_faults("chat.postMessage")
    soonest = min(waits)
    clock.advance(seconds=max(soonest.total_seconds(), 0))
    run.run_once()
    assert {r.status for r in reminders(database)} == {"sent"}
    taken = [c.args["channel"] for c in slack.calls if c.method == "chat.postMessage" and c.error is None]
    assert sorted(taken) == sorted(f"C{n}" for n in range(10))  # each once


def test_a_dead_claim_is_taken_over_after_its_lease(database, clock, slack):
    event_id = add_event(database, clock(), clock() + timedelta(hours=3), kinds=("1h",))
    clock.advance(hours=2)
    run = dispatcher(slack, database, clock, settle=False)
    from services.schedule import queue_due_work

    queue_due_work(run.services)
    with database.session() as session:  # a clock process claims, then dies before posting
        dead = outbox.claim_due(session, clock(), 10, lease=timedelta(seconds=30))
    run.run_once()
    assert slack.calls_to("chat.postMessage") == []
    assert [r.status for r in outbox_rows(database, "reminder")] == ["claimed"]
    clock.advance(seconds=31)
    run.run_once()
    assert len(slack.calls_to("chat.postMessage")) == 1
    with database.session() as session:  # the dead process cannot overwrite the result
        assert outbox.record(session, dead.token, [(dead.ids[0], {"status": "failed"})]) == set()
    assert by_kind(reminders(database, event_id))["1h"].status == "sent"


@pytest.fixture
def sqlite_db(tmp_path):
    from storage import Database

    db = Database(f"sqlite:///{tmp_path / 'one.db'}")
    db.upgrade()
    yield db
    db.dispose()


def test_a_429_storm_is_waited_out_by_the_channel_exactly_as_slack_asks(sqlite_db, clock, slack):
    """Four 429s with Retry-After 1: each is one call (no thread sleeps it out and calls again),
    the channel waits a second each time, and the reminder goes out on the fifth call, in the same run."""
    event_id = add_event(sqlite_db, clock(), clock() + timedelta(hours=3), kinds=("1h",))
    slack.rate_limit_next("chat.postMessage", retry_after=1, times=4)
    clock.advance(hours=2)
    dispatcher(slack, sqlite_db, clock).run_once()
    assert by_kind(reminders(sqlite_db, event_id))["1h"].status == "sent"
    posts = [c for c in slack.calls if c.method == "chat.postMessage"]
    assert [c.error for c in posts] == ["ratelimited"] * 4 + [None]
    assert all(1.0 <= b.at - a.at < 1.5 for a, b in pairwise(posts))
    [row] = outbox_rows(sqlite_db, "reminder")
    assert row.attempts == 1  # a rate limit is not a failed attempt


def test_posts_to_one_channel_are_spaced_under_the_rate_limit(sqlite_db, clock):
    from fakeslack import FakeSlack

    with FakeSlack(channel_rate_limit=1.0) as limited:
        for n in range(3):
            add_event(sqlite_db, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel="C1", title=f"E{n}")
        for n in range(6):
            add_event(sqlite_db, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel=f"C{n + 10}")
        clock.advance(hours=1)
        report = dispatcher(limited, sqlite_db, clock, channel_interval=1.05).run_once()
        assert report["sent"] == 9
        assert [c.error for c in limited.calls] == [None] * 9  # never a 429
        c1 = [c.at for c in limited.calls if c.args["channel"] == "C1"]
        assert all(b - a >= 1.0 for a, b in pairwise(c1))
        # The other channels did not wait behind C1.
        others = [c.at for c in limited.calls if c.args["channel"] != "C1"]
        assert max(others) - min(c.at for c in limited.calls) < 0.9
