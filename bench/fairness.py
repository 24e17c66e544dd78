"""Benchmark: fair delivery. One channel with 300 rows queued (CFLOOD) and one answering every post
429 with Retry-After 120 (CTHROTTLE) are already being worked on when one reminder in each of
1,000 other channels falls due; how late are those, on one worker process and on two?

    .venv/bin/python bench/fairness.py [--database URL] [--channels 1000] [--flood 300] [--window 30]

The fake Slack enforces one post a second per channel (a post too soon is answered 429). The
workers run as in `organizer-bot clock` (the background loop, woken by a clock tick every second),
each with its own connection pool; with two, they share the database and the fake Slack.
Lateness is each healthy reminder's post time minus its due time; an ideal scheduler posts each
channel's first row at once, so its lateness is the tick (up to 1 s) plus one call. Prints the
healthy channels' lateness (median, p99, max, and how many were not out within the window), the
429s the busy channel got (all of our own making) and the throttled channel got, and how many of
the flood went out in the window. Short: it stops after --window seconds. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import update  # noqa: E402

from bot.app import make_client  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from eventseed import fresh_database  # noqa: E402
from fakeslack import FakeSlack  # noqa: E402
from schedhelp import seed_due_reminders  # noqa: E402
from services import Services  # noqa: E402
from services.delivery import Deliverer  # noqa: E402
from services.schedule import queue_due_work  # noqa: E402
from storage import Database  # noqa: E402
from storage.models import Event, Reminder  # noqa: E402
from timemath import utcnow  # noqa: E402

DUE_AFTER = 5.0  # the healthy reminders fall due this long after the flood and the throttled rows


def seed(db: Database, channels: int, flood: int, throttled: int):
    """Flood and throttled rows due now, one reminder in each of `channels` others due DUE_AFTER later."""
    now = utcnow()
    seed_due_reminders(db, now, flood + throttled, 1, cards=False)
    with db.session() as session:
        for channel, ids in (("CFLOOD", range(1, flood + 1)), ("CTHROTTLE", range(flood + 1, flood + throttled + 1))):
            session.execute(update(Event).where(Event.id.in_(list(ids))).values(channel_id=channel))
            session.execute(update(Reminder).where(Reminder.event_id.in_(list(ids))).values(recipient=channel))
    due = now + timedelta(seconds=DUE_AFTER)
    seed_due_reminders(db, due, channels, channels, cards=False, first_id=flood + throttled + 1)
    return due


def run(url: str, processes: int, args) -> dict:
    db = fresh_database(url)
    due = seed(db, args.channels, args.flood, args.throttled)
    with FakeSlack(channel_rate_limit=1.0, latency=args.slack_latency_ms / 1000) as slack:
        slack.throttle("CTHROTTLE", retry_after=args.retry_after)
        settings = load_settings(
            {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": slack.api_url}, require_signing_secret=False
        )
        workers = []
        for _ in range(processes):
            services = Services(db=Database(url), now=utcnow)
            workers.append(Deliverer(services, make_client(settings)))
        stop = threading.Event()

        def tick() -> None:  # the clock: queue what is due every second, ring the workers
            while not stop.is_set():
                queue_due_work(workers[0].services)
                for worker in workers:
                    worker.services.doorbell.ring()
                stop.wait(1.0)

        started = time.monotonic()
        due_at = started + (due - utcnow()).total_seconds()
        threading.Thread(target=tick, daemon=True).start()
        for worker in workers:
            worker.start(poll_seconds=1.0)
        time.sleep(args.window)
        stop.set()
        for worker in workers:
            worker._stopping.set()  # noqa: SLF001 - stop taking rows; threads stuck in a sleep are left behind
        posts = [c for c in slack.calls if c.method == "chat.postMessage"]
        healthy = sorted(
            c.at - due_at for c in posts if c.error is None and c.args["channel"] not in ("CFLOOD", "CTHROTTLE")
        )
        return {
            "healthy_out": len(healthy),
            "median": statistics.median(healthy) if healthy else float("nan"),
            "p99": healthy[min(len(healthy) - 1, int(len(healthy) * 0.99))] if healthy else float("nan"),
            "max": healthy[-1] if healthy else float("nan"),
            "flood_out": sum(1 for c in posts if c.args["channel"] == "CFLOOD" and c.error is None),
            "flood_429": sum(1 for c in posts if c.args["channel"] == "CFLOOD" and c.error == "ratelimited"),
            "throttled_429": sum(1 for c in posts if c.args["channel"] == "CTHROTTLE" and c.error == "ratelimited"),
        }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database", help="SQLAlchemy URL (emptied before each run); default: a new SQLite file per run"
    )
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--flood", type=int, default=300)
    parser.add_argument("--throttled", type=int, default=5, help="rows queued to the channel answering 429")
    parser.add_argument("--retry-after", type=int, default=120)
    parser.add_argument("--window", type=float, default=30.0, help="seconds each run lasts")
    parser.add_argument("--slack-latency-ms", type=float, default=0)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    url = normalize_database_url(args.database or "sqlite:///")
    print(
        f"{args.channels} healthy channels (one reminder each, due {DUE_AFTER:.0f} s in), {args.flood} rows to CFLOOD, "
        f"{args.throttled} to CTHROTTLE (429, Retry-After {args.retry_after}); fake Slack 1 msg/s per channel, "
        f"{args.slack_latency_ms:.0f} ms a call; {args.window:.0f} s per run ({url.split(':')[0]})"
    )
    print(
        f"{'workers':>7} | {'healthy out':>11} | {'late median':>11} | {'late p99':>8} | {'late max':>8} | "
        f"{'CFLOOD out':>10} | {'CFLOOD 429':>10} | {'CTHROTTLE 429':>13}"
    )
    for processes in args.processes:
        f = run(url if args.database else f"sqlite:///{tempfile.mkdtemp()}/bench.db", processes, args)
        print(
            f"{processes:>7} | {f['healthy_out']:>6}/{args.channels:<4} | {f['median']:>10.2f}s | {f['p99']:>7.2f}s | "
            f"{f['max']:>7.2f}s | {f['flood_out']:>10} | {f['flood_429']:>10} | {f['throttled_429']:>13}"
        )
    sys.stdout.flush()
    os._exit(0)  # worker threads of the old design may still be sleeping out a Retry-After


if __name__ == "__main__":
    sys.exit(main())
