"""Fair delivery: a channel that is flooded, rate-limited or slow delays only itself, and the
pace of one post a second per channel is kept through the database, by every worker together.

The fake Slack enforces that pace (a post too soon is answered 429); each test asserts what it
saw and when.
"""

from __future__ import annotations

import threading
import time
from itertools import pairwise

from fakeslack import FakeSlack
from schedhelp import dispatcher, reminders, seed_due_reminders
from storage.models import ReminderStatus

PACE = 1.05  # the worker's spacing of posts to one channel (services.delivery.CHANNEL_INTERVAL)


def _posts(slack, channel=None):
    return [
        c for c in slack.calls if c.method == "chat.postMessage" and (channel is None or c.args["channel"] == channel)
    ]


def _flood_and_others(database, clock, *, flood: int, others: int) -> None:
    """`flood` reminders into C0, then one reminder into each of C1..C`others`, all due now."""
    seed_due_reminders(database, clock(), flood, 1, cards=False)
    seed_due_reminders(database, clock(), others, others + 1, cards=False, first_id=flood + 1)


def test_a_flooded_channel_delays_only_itself(database, clock):
    with FakeSlack(channel_rate_limit=1.0) as slack:
        _flood_and_others(database, clock, flood=6, others=30)
        report = dispatcher(slack, database, clock, channel_interval=PACE).run_once()
        first = min(c.at for c in slack.calls)
        others = [c.at - first for c in _posts(slack) if c.args["channel"] != "C0"]
        flood = [c.at for c in _posts(slack, "C0")]
        assert len(others) == 29 and max(others) < 1.0  # none waited for C0's queue
        assert len(flood) == 6 + 1  # C0's own six, and the one of the others' that falls in C0 (31 % 31 == 0)
        assert all(b - a >= 1.0 for a, b in pairwise(flood))
        assert [c.error for c in _posts(slack)] == [None] * 36  # never a 429 of our own making
        assert report["sent"] == 36


def test_a_channel_answering_retry_after_waits_alone_and_no_thread_sleeps_it_out(database, clock):
    with FakeSlack() as slack:
        _flood_and_others(database, clock, flood=3, others=30)
        slack.throttle("C0", retry_after=120)
        dispatcher(slack, database, clock, channel_interval=PACE, settle=False).run_once()
        took = time.monotonic() - min(c.at for c in slack.calls)
        assert len(_posts(slack, "C0")) == 1  # asked once; told to wait two minutes, it waits
        assert [c.error for c in _posts(slack) if c.args["channel"] != "C0"] == [None] * 29
        assert took < 5  # the run returned: nothing slept out the two minutes
        statuses = [r.status for r in reminders(database)]
        assert statuses.count(ReminderStatus.SENT.value) == 29 and statuses.count(ReminderStatus.QUEUED.value) == 4


def test_a_slow_channel_holds_up_no_other(database, clock):
    with FakeSlack() as slack:
        _flood_and_others(database, clock, flood=2, others=20)
        slack.set_channel_latency("C0", 3.0)
        run = threading.Thread(target=dispatcher(slack, database, clock, workers=4).run_once)
        run.start()
        try:
            deadline = time.monotonic() + 2.5
            while time.monotonic() < deadline and _sent(database) < 19:
                time.sleep(0.02)
            assert _sent(database) == 19  # the nineteen others are out and recorded while C0's post hangs
        finally:
            run.join(15)
        assert _sent(database) == 22


def _sent(database) -> int:
    return sum(1 for r in reminders(database) if r.status == ReminderStatus.SENT.value)


def test_two_workers_share_one_channels_pace(database, clock):
    with FakeSlack(channel_rate_limit=1.0) as slack:
        _flood_and_others(database, clock, flood=5, others=20)
        workers = [dispatcher(slack, database, clock, channel_interval=PACE, settle=False) for _ in range(2)]
        reports = []
        runs = [threading.Thread(target=lambda w=w: reports.append(w.run_once())) for w in workers]
        for run in runs:
            run.start()
        for run in runs:
            run.join(30)
        flood = [c.at for c in _posts(slack, "C0")]
        assert [c.error for c in _posts(slack)] == [None] * 25  # 0 × 429: the pace is shared
        assert all(b - a >= 1.0 for a, b in pairwise(flood))
        assert sum(r["sent"] for r in reports) == 25
        assert {r.status for r in reminders(database)} == {"sent"}
