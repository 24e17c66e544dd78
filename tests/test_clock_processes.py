"""Two real clock processes on one database: every due reminder is posted exactly once; a restart resends nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from conftest import empty
from fakeslack import FakeSlack
from schedhelp import add_event, seed_due_reminders
from storage import Database
from storage.models import Reminder
from timemath import UTC, utcnow

pytestmark = pytest.mark.processes  # real processes of the bot

WORKER = Path(__file__).with_name("clock_worker.py")
NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
EVENTS = 300  # each with a channel reminder and an RSVP's DM: 600 due posts over 450 channels


def _run_workers(db_url: str, slack: FakeSlack, count: int, *options: str) -> list[dict]:
    return [result for result, _log in _run_processes(db_url, slack, [["--now", NOW.isoformat(), *options]] * count)]


def _run_processes(db_url: str, slack: FakeSlack, options: list[list[str]]) -> list[tuple[dict, str]]:
    """One clock_worker process per entry of `options`, all at once: each one's summary and log."""
    command = [sys.executable, str(WORKER), "--database", db_url, "--slack-url", slack.api_url]
    processes = [
        subprocess.Popen([*command, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for extra in options
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append((json.loads(out), err))
    return results


def _check_exactly_once(db: Database, slack: FakeSlack, results: list[dict]) -> None:
    posts = slack.calls_to("chat.postMessage")
    keys = Counter((p["channel"], p.get("thread_ts") or visible(p)) for p in posts)
    assert len(posts) == 2 * EVENTS, f"{len(posts)} posts for {2 * EVENTS} reminders"
    assert max(keys.values()) == 1, [k for k, v in keys.items() if v > 1][:5]
    assert sum(r["posts"] for r in results) == 2 * EVENTS
    with db.session() as session:
        statuses = Counter(r.status for r in session.query(Reminder))
    assert statuses == {"sent": 2 * EVENTS}


def visible(post: dict) -> str:
    return json.dumps(post.get("blocks"))


def _exercise(db: Database, url: str) -> None:
    seed_due_reminders(db, NOW, EVENTS, 150, with_dms=True)
    with FakeSlack() as slack:
        results = _run_workers(url, slack, 2)
        _check_exactly_once(db, slack, results)
        # Restart: a new process finds nothing due and posts nothing.
        [again] = _run_workers(url, slack, 1)
        assert again["posts"] == 0 and len(slack.calls_to("chat.postMessage")) == 2 * EVENTS


def test_two_clock_processes_on_postgresql_post_each_reminder_once(request):
    db = request.getfixturevalue("postgres_database")  # skips with the reason when PostgreSQL isn't configured
    empty(db)
    url = db.engine.url.render_as_string(hide_password=False)
    _exercise(db, url)


def test_two_clock_processes_on_sqlite_post_each_reminder_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'clock.db'}"
    db = Database(url)
    db.upgrade()
    try:
        _exercise(db, url)
    finally:
        db.dispose()


def _share_one_channels_pace(db: Database, url: str) -> None:
    """Two processes, a busy channel (8 reminders in C0) and 20 others, Slack answering 429 to a
    post less than a second after the last in its channel: the two together keep the pace, so
    no post is refused, each is made once, and the other channels are not held up."""
    seed_due_reminders(db, NOW, 8, 1, cards=False)
    seed_due_reminders(db, NOW, 20, 21, cards=False, first_id=9)  # event 21 also lands in C0
    with FakeSlack(channel_rate_limit=1.0) as slack:
        results = _run_workers(url, slack, 2, "--channel-interval", "1.05")
        posts = slack.calls_to("chat.postMessage")
        calls = [c for c in slack.calls if c.method == "chat.postMessage"]
        assert [c.error for c in calls] == [None] * 28  # 0 × 429
        busy = [c.at for c in calls if c.args["channel"] == "C0"]
        assert len(busy) == 9 and all(b - a >= 1.0 for a, b in pairwise(busy))
        others = [c.at for c in calls if c.args["channel"] != "C0"]
        assert max(others) - min(c.at for c in calls) < 2.0  # not behind C0's queue (9 s)
        assert len({(p["channel"], visible(p)) for p in posts}) == 28
        assert sum(r["posts"] for r in results) == 28
    with db.session() as session:
        assert Counter(r.status for r in session.query(Reminder)) == {"sent": 28}


def test_two_processes_share_a_busy_channels_pace_on_postgresql(request):
    db = request.getfixturevalue("postgres_database")
    empty(db)
    _share_one_channels_pace(db, db.engine.url.render_as_string(hide_password=False))


def test_two_processes_share_a_busy_channels_pace_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'pace.db'}"
    db = Database(url)
    db.upgrade()
    try:
        _share_one_channels_pace(db, url)
    finally:
        db.dispose()


def _clocks_hours_apart(db: Database, url: str) -> None:
    """Two processes, one whose machine clock is 2 h ahead, the other right; 300 reminders due now
    (150 events an hour away, each to a channel and by DM) and 20 due in two hours. Both judge by
    the database's time: each due reminder is posted once, none is skipped as "started", none of
    the later ones goes early, and the process that is off says so."""
    now = utcnow()  # the database's machine is this one
    for n in range(20):
        add_event(db, now, now + timedelta(hours=3), kinds=("1h",), channel=f"CL{n}")
    seed_due_reminders(db, now, 150, 100, with_dms=True, first_id=21)
    with FakeSlack() as slack:
        (ahead, ahead_log), (right, right_log) = _run_processes(url, slack, [["--clock-off-hours", "2"], []])
        posts = slack.calls_to("chat.postMessage")
        assert len(posts) == 300
        assert max(Counter((p["channel"], p.get("thread_ts") or visible(p)) for p in posts).values()) == 1  # 0 doubled
        assert not [p for p in posts if p["channel"].startswith("CL")]  # nothing early
        assert ahead["posts"] + right["posts"] == 300
    with db.session() as session:
        assert Counter(r.status for r in session.query(Reminder)) == {"sent": 300, "pending": 20}  # 0 lost, 0 skipped
    assert "clock is +7200 s off the database's" in ahead_log
    assert "off the database's" not in right_log


def test_clocks_hours_apart_neither_double_nor_lose_on_postgresql(request):
    db = request.getfixturevalue("postgres_database")
    empty(db)
    _clocks_hours_apart(db, db.engine.url.render_as_string(hide_password=False))


def test_clocks_hours_apart_neither_double_nor_lose_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'clocks.db'}"
    db = Database(url)
    db.upgrade()
    try:
        _clocks_hours_apart(db, url)
    finally:
        db.dispose()
