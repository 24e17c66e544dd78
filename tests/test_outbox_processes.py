"""Nothing lost, nothing doubled when a process dies: SIGTERM and kill -9 of real processes,
on both databases, checked on what Slack shows."""

from __future__ import annotations

import json
import random
import signal
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from botprocess import BotProcess
from conftest import empty
from driver import SlackDriver, visible_text
from fakeslack import FakeSlack
from schedhelp import seed_due_reminders, wait_until
from storage import Database
from storage.models import Event, Reminder
from test_events_e2e import FUTURE
from timemath import utcnow

# A real process reads the wall clock: its events must be ahead of today, whenever the tests run.
IN_A_MONTH = (date.today() + timedelta(days=30)).isoformat()

pytestmark = pytest.mark.processes  # real processes of the bot

POLL = "2"  # REMINDER_POLL_SECONDS for these processes


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bot.db'}"
        db = Database(url)
        db.upgrade()
        db.dispose()
        return url
    db = request.getfixturevalue("postgres_database")
    empty(db)
    return db.engine.url.render_as_string(hide_password=False)


def _reminder_posts(slack: FakeSlack) -> Counter:
    """How many times each (channel, event) reminder is visible in Slack."""
    seen = Counter()
    for channel, messages in list(slack.messages.items()):
        for message in messages:
            if "Reminder" in (message.get("text") or ""):
                seen[(channel, message.get("text"))] += 1
    return seen


def _statuses(url: str) -> Counter:
    db = Database(url)
    try:
        with db.read() as session:
            return Counter(r.status for r in session.query(Reminder))
    finally:
        db.dispose()


def _interrupt_a_clock_mid_run(
    db_url: str, tmp_path, slack: FakeSlack, *, after_posts: int, interrupt, poll: str = POLL
) -> tuple[BotProcess, float]:
    """Start `organizer-bot clock`, let it post `after_posts` reminders, `interrupt` it, start
    another, and wait until all due reminders are visible. Returns the first process and how
    long after the interruption the last reminder went out."""
    expected = sum(_statuses(db_url).values())
    slack.set_latency("chat.postMessage", 0.05)
    with BotProcess(slack, db_url, tmp_path, "clock", REMINDER_POLL_SECONDS=poll) as first:
        first.start(wait_http=False)
        wait_until(lambda: len(slack.calls_to("chat.postMessage")) >= after_posts, timeout=20)
        interrupt(first)
    assert len(slack.calls_to("chat.postMessage")) < expected, "interrupt earlier: everything went out before it"
    interrupted_at = time.monotonic()
    with BotProcess(slack, db_url, tmp_path, "clock", REMINDER_POLL_SECONDS=poll) as second:
        second.start(wait_http=False)
        wait_until(lambda: sum(_reminder_posts(slack).values()) >= expected, timeout=40)
        took = time.monotonic() - interrupted_at
        second.terminate()
    posts = _reminder_posts(slack)
    assert len(posts) == expected and max(posts.values()) == 1, [k for k, v in posts.items() if v > 1][:3]
    assert _statuses(db_url) == {"sent": expected}
    return first, took


def test_sigterm_with_reminders_due_stops_cleanly_and_loses_nothing(db_url, tmp_path):
    """120 reminders due, Slack slow: SIGTERM mid-run exits 0 within 20 s; after a restart the
    rest go out within one poll interval, none twice."""
    db = Database(db_url)
    seed_due_reminders(db, utcnow(), 120, 40, cards=False)
    db.dispose()
    stopped = []
    with FakeSlack() as slack:
        first, took = _interrupt_a_clock_mid_run(
            db_url, tmp_path, slack, after_posts=10, interrupt=lambda process: stopped.append(process.terminate())
        )
    [(code, stopping)] = stopped
    assert code == 0 and stopping < 20, first.output()
    assert "Traceback" not in first.output()
    assert sum("stopped in" in line for line in first.output().splitlines()) == 1
    # Released at shutdown, so due at once: the restart's first tick sends them.
    assert took < float(POLL) + 12, took


def test_kill_9_of_the_clock_mid_run_doubles_nothing_and_delays_little(db_url, tmp_path):
    """200 reminders due; kill -9 while posting; a new clock takes the dead one's claims over
    within about two poll intervals and looks in Slack before re-sending what was in flight."""
    db = Database(db_url)
    seed_due_reminders(db, utcnow(), 100, 50, with_dms=True, cards=False)
    db.dispose()
    with FakeSlack() as slack:
        _, took = _interrupt_a_clock_mid_run(db_url, tmp_path, slack, after_posts=20, interrupt=BotProcess.kill)
    assert took < 2 * float(POLL) + 12, took


def test_kill_9_with_a_long_poll_interval_its_rows_are_retaken_within_seconds(db_url, tmp_path):
    """A claim lasts seconds (renewed while its process lives), whatever REMINDER_POLL_SECONDS
    says: with a one-minute poll, a killed clock's rows are out again well within the minute."""
    db = Database(db_url)
    seed_due_reminders(db, utcnow(), 100, 50, with_dms=True, cards=False)
    db.dispose()
    with FakeSlack() as slack:
        _, took = _interrupt_a_clock_mid_run(
            db_url, tmp_path, slack, after_posts=20, interrupt=BotProcess.kill, poll="60"
        )
    assert took < 30, took


def test_kill_9_right_after_submissions_loses_no_card_and_doubles_none(db_url, tmp_path):
    """Register events against a real `organizer-bot`, kill -9 it at random moments after the
    ack (cards in flight or not yet claimed), restart: every event has exactly one card."""
    rng = random.Random(7)
    with FakeSlack() as slack:
        slack.add_user("U1", tz="America/Chicago", real_name="Sara Wohlleb", email="sara@example.org")
        slack.set_latency("chat.postMessage", 0.2)
        events = 0
        for _trial in range(4):
            with BotProcess(slack, db_url, tmp_path, REMINDER_POLL_SECONDS=POLL) as bot:
                bot.start()
                driver = SlackDriver(bot.url, slack)
                driver._views[0] = len(slack.calls_to("views.open"))
                for _ in range(2):
                    assert driver.command("/event", "new").status == 200
                    view = driver.opened_view()
                    assert (
                        driver.submit(view, {**FUTURE, "Title": f"Vigil {events}", "Start date": IN_A_MONTH}).status
                        == 200
                    )
                    events += 1
                time.sleep(rng.uniform(0, 0.4))
                bot.kill()
        with BotProcess(slack, db_url, tmp_path, REMINDER_POLL_SECONDS=POLL) as bot:
            bot.start()
            wait_until(
                lambda: len([m for m in slack.history("C1") if "event #" in visible_text(m)]) >= events, timeout=40
            )
            time.sleep(float(POLL))  # anything doubled would show up by now
            bot.terminate()
        titles = Counter(line for m in slack.history("C1") for line in [visible_text(m)] if "event #" in line)
        assert len(titles) == events and max(titles.values()) == 1
        db = Database(db_url)
        with db.read() as session:
            stored = {e.id: e.message_ts for e in session.query(Event)}
        db.dispose()
        assert len(stored) == events and all(stored.values())
        assert set(stored.values()) == {m["ts"] for m in slack.history("C1")}


@pytest.mark.parametrize("mode", ["run-http", "run-socket", "web", "clock"])
def test_every_mode_stops_on_sigterm_with_one_line_and_exit_0(mode, tmp_path):
    """SIGTERM stops taking work and exits 0 well inside Heroku's 30 s; SIGINT (Ctrl-C) too, with no traceback."""
    from conftest import APP_TOKEN
    from socketmode import SocketModeServer

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    db = Database(url)
    db.upgrade()
    db.dispose()
    args = {"run-http": (), "run-socket": (), "web": ("web",), "clock": ("clock",)}[mode]
    env = {"SLACK_APP_TOKEN": APP_TOKEN} if mode == "run-socket" else {}
    with FakeSlack() as slack, SocketModeServer(slack) as server:
        for signum in ("SIGTERM", "SIGINT"):
            with BotProcess(slack, url, tmp_path, *args, REMINDER_POLL_SECONDS=POLL, **env) as bot:
                bot.start(wait_http=mode in ("run-http", "web"))
                if mode == "run-socket":
                    server.wait_connected(opened=1 if signum == "SIGTERM" else 2, timeout=20)
                    ack = server.send(
                        "slash_commands",
                        {
                            "command": "/event",
                            "text": "help",
                            "team_id": "T0TEST",
                            "user_id": "U1",
                            "channel_id": "C1",
                            "trigger_id": "t",
                        },
                        accepts_response_payload=True,
                    )
                    assert "How to use /event" in json.dumps(ack.payload)
                elif mode == "clock":
                    wait_until(lambda: "clock started" in bot.output(), timeout=20)
                started = time.monotonic()
                bot.process.send_signal(getattr(signal, signum))
                assert bot.process.wait(25) == 0, bot.output()
                assert time.monotonic() - started < 20
            output = bot.output()
            assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
            assert [line for line in output.splitlines() if "stopped in" in line], output
        bot.log.unlink()
