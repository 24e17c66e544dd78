"""Nothing lost, nothing doubled: the outbox under the faults Slack really has, on both databases.

Each test asserts what people would see in Slack (the fake's channel history, threads and
DMs), not what the app says it did.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from driver import SIGNING_SECRET, post, sign, visible_text
from fakeslack import Fault
from schedhelp import add_event, announced, client_for, dispatcher, outbox_rows, reminders, wait_until
from test_events_e2e import FUTURE, register


def cards(slack, channel="C1") -> list[dict]:
    return [m for m in slack.history(channel) if "event #" in visible_text(m)]


def retry_later(services, clock, database) -> None:
    """A minute on (past the first backoff), the running worker is woken and finishes what is due."""
    clock.advance(minutes=1)
    services.doorbell.ring()
    wait_until(lambda: all(r.status not in ("pending", "claimed") for r in outbox_rows(database)))


def test_a_card_refused_with_a_500_is_posted_on_the_retry(bot, slack, database, clock, services):
    slack.inject("chat.postMessage", Fault.error("internal_error", 500))
    register(bot)
    wait_until(
        lambda: outbox_rows(database, "card")[0].status == "pending" and outbox_rows(database, "card")[0].attempts == 1
    )
    assert cards(slack) == []
    retry_later(services, clock, database)
    [card] = cards(slack)
    announced(database)
    assert outbox_rows(database, "card")[0].slack_ts == card["ts"]


def test_a_card_rate_limited_past_the_retry_handler_is_posted_later(bot, slack, database, clock, services):
    slack.inject("chat.postMessage", Fault.rate_limited(retry_after=1), times=4)
    register(bot)
    wait_until(lambda: outbox_rows(database, "card")[0].last_error == "ratelimited")
    retry_later(services, clock, database)
    assert len(cards(slack)) == 1


def test_a_card_whose_reply_was_lost_is_found_not_posted_again(bot, slack, database, clock, services):
    slack.inject("chat.postMessage", Fault.accepted_then_dropped())
    register(bot)
    wait_until(lambda: outbox_rows(database, "card")[0].uncertain_since is not None)
    assert len(cards(slack)) == 1  # Slack has it; the app does not know yet
    retry_later(services, clock, database)
    [card] = cards(slack)
    announced(database)
    assert outbox_rows(database, "card")[0].slack_ts == card["ts"]
    assert slack.calls_to("conversations.history"), "it looked before posting again"


def test_a_card_accepted_then_500_is_not_doubled(bot, slack, database, clock, services):
    slack.inject("chat.postMessage", Fault.accepted_then_error(500))
    register(bot)
    wait_until(lambda: outbox_rows(database, "card")[0].uncertain_since is not None)
    retry_later(services, clock, database)
    assert len(cards(slack)) == 1
    announced(database)


def test_reminders_whose_replies_were_lost_are_each_seen_once(database, clock, slack):
    """20 reminders (10 in threads, 10 by DM), every post's reply lost or a 500 after Slack took it."""
    for n in range(10):
        add_event(
            database,
            clock(),
            clock() + timedelta(hours=2),
            kinds=("1h",),
            channel=f"C{n}",
            going=[f"U{n}"],
            message_ts=None,
        )
    slack.inject("chat.postMessage", Fault.accepted_then_dropped(), times=10)
    slack.inject("chat.postMessage", Fault.accepted_then_error(500), times=10)
    run = dispatcher(slack, database, clock)
    clock.advance(hours=1)
    run.run_once()
    clock.advance(minutes=1)
    run.run_once()
    for n in range(10):
        assert len([m for m in slack.history(f"C{n}") if "Reminder" in visible_text(m)]) == 1
        assert len([m for m in slack.dm(f"U{n}") if "Reminder" in visible_text(m)]) == 1
    assert {r.status for r in reminders(database)} == {"sent"}


def test_a_permanent_failure_is_shown_to_the_organizer(bot, slack, database):
    register(bot, {**FUTURE, "Announce in channel": "C_GONE"})
    told = bot.direct_message("U1")
    assert "could not be posted" in told["text"] and "channel_not_found" in told["text"]
    shown = bot.command("/event", "show 1", user="U1").text
    assert "The card could not be posted: channel_not_found" in shown
    assert outbox_rows(database, "card")[0].status == "failed"


def test_a_replayed_or_retried_submission_creates_one_event(bot, slack, database):
    bot.command("/event", "new")
    view = bot.opened_view()
    first = bot.submit(view, FUTURE)
    again = bot.submit(view, FUTURE)  # the same view, delivered again
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEST"},
        "user": {"id": "U1", "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "view": {**view, "team_id": "T0TEST", "state": {"values": {}}},
    }
    body = "payload=" + json.dumps(payload)
    retried = post(bot.url, body, {**sign(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert [r.status for r in (first, again, retried)] == [200, 200, 200]
    announced(database)
    wait_until(lambda: len(slack.history("C1")) >= 1)
    assert len(cards(slack)) == 1
    assert len(outbox_rows(database, "card")) == 1
    assert SIGNING_SECRET  # requests above were signed like Slack's


def test_an_event_cancelled_before_its_card_went_out_posts_no_card(bot, slack, database, clock, services):
    slack.inject("chat.postMessage", Fault.error("internal_error", 500))
    register(bot)
    wait_until(lambda: outbox_rows(database, "card")[0].attempts == 1)
    bot.command("/event", "cancel 1", user="U1")
    assert "Cancelled event #1" in bot.responded()[0]["text"]
    retry_later(services, clock, database)
    assert {r.status for r in outbox_rows(database)} == {"cancelled"}  # card, redraw, thread note
    assert cards(slack) == [] and slack.thread("C1", "1") == []


def test_successive_redraws_coalesce_into_the_last_state(bot, slack, database, clock):
    register(bot)
    announced(database)
    [card] = cards(slack)
    slack.set_latency("chat.update", 0.3)  # the first redraw is in flight while more clicks arrive
    for user in ("U2", "UADMIN", "U3", "U4"):
        bot.click(card, "event_rsvp", user=user)
    wait_until(lambda: "*4* going" in visible_text(slack.history("C1")[0]))
    assert len(slack.calls_to("chat.update")) < 4


def test_the_client_never_resends_a_post_after_a_lost_reply_but_repeats_safe_calls(slack):
    """slack_sdk's connection retry would re-send a post whose reply was lost: a second message."""
    client = client_for(slack)
    slack.inject("chat.postMessage", Fault.accepted_then_dropped())
    with pytest.raises(OSError):
        client.chat_postMessage(channel="C5", text="once")
    assert len(slack.history("C5")) == 1
    slack.inject("chat.update", Fault.accepted_then_dropped())
    client.chat_update(channel="C5", ts=slack.history("C5")[0]["ts"], text="edited")  # repeated, harmlessly
    assert slack.history("C5")[0]["text"] == "edited"


def _hold_the_database(database, seconds: float):
    """Another connection keeps the events table locked, as a stalled database would."""
    import threading

    started = threading.Event()

    def hold() -> None:
        with database.session() as session:  # on SQLite a write session holds the one write lock
            session.connection()  # begin now
            if not database.is_sqlite:
                session.execute(text("LOCK TABLE events IN ACCESS EXCLUSIVE MODE"))
            started.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    started.wait(5)
    return thread


def test_a_stalled_database_says_so_in_the_modal_and_saves_nothing_behind_the_users_back(bot, slack, database):
    bot.command("/event", "new")
    view = bot.opened_view()
    holder = _hold_the_database(database, 6)
    started = time.monotonic()
    reply = bot.submit(view, FUTURE)
    took = time.monotonic() - started
    assert took < 3, f"Slack gives up after 3 s; the answer took {took:.1f} s"
    assert reply.json.get("response_action") == "errors", (took, reply)
    assert "can't save anything right now" in json.dumps(reply.json["errors"])
    holder.join(10)
    time.sleep(0.5)
    with database.read() as session:
        assert session.scalar(text("SELECT count(*) FROM events")) == 0
    assert cards(slack) == []
    again = bot.submit(view, FUTURE)  # the user presses the button again once the database is back
    assert again.body == ""
    wait_until(lambda: len(cards(slack)) == 1)
