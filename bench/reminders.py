"""Benchmark: queue and deliver 1,000 due reminders across 100 channels against the fake Slack at 1 msg/s per channel.

    .venv/bin/python bench/reminders.py [--database sqlite:////tmp/bench.db] [--reminders 1000] [--channels 100]

Prints, side by side with a baseline in the same run (a bare slack_sdk loop posting the
same number of messages round-robin with the same per-channel spacing, no database):
lateness (time from the start of the run to each post; all reminders are due at that
instant) as median and p99, 429s seen, and throughput as a fraction of the per-channel
limit (channels x 1 msg/s). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.app import make_client  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from eventseed import fresh_database  # noqa: E402
from fakeslack import FakeSlack  # noqa: E402
from schedhelp import seed_due_reminders  # noqa: E402
from services import Services  # noqa: E402
from services.delivery import CHANNEL_INTERVAL, Deliverer  # noqa: E402
from services.schedule import queue_due_work  # noqa: E402
from timemath import UTC  # noqa: E402

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


def bare_loop(client, reminders: int, channels: int, interval: float) -> None:
    """The baseline: plain slack_sdk posting the same messages round-robin, no database, no claims."""
    per_channel = -(-reminders // channels)
    sent = 0
    for _round in range(per_channel):
        round_started = time.monotonic()
        for channel in range(channels):
            if sent == reminders:
                return
            client.chat_postMessage(channel=f"C{channel}", text=f"Reminder {sent}")
            sent += 1
        time.sleep(max(0.0, round_started + interval - time.monotonic()))


@dataclass
class Figures:
    elapsed: float
    lateness: list[float]  # seconds from the start of the run to each accepted post
    limited: int

    @classmethod
    def of(cls, slack: FakeSlack, started: float, elapsed: float) -> Figures:
        posts = [c for c in slack.calls if c.method == "chat.postMessage"]
        accepted = sorted(c.at - started for c in posts if c.error is None)
        return cls(elapsed, accepted, sum(1 for c in posts if c.error == "ratelimited"))

    def p(self, q: float) -> float:
        return self.lateness[min(len(self.lateness) - 1, int(len(self.lateness) * q))]


def timed(slack: FakeSlack, run) -> Figures:
    slack.reset()
    started = time.monotonic()
    run()
    return Figures.of(slack, started, time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="SQLAlchemy URL (its tables are emptied); default: a temporary SQLite file")
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument(
        "--slack-latency-ms", type=float, default=0, help="time every Web API call takes (real Slack: 100-300)"
    )
    args = parser.parse_args()
    url = normalize_database_url(args.database or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    db = fresh_database(url)
    seed_due_reminders(db, NOW, args.reminders, args.channels)

    with FakeSlack(channel_rate_limit=1.0, latency=args.slack_latency_ms / 1000) as slack:
        settings = load_settings(
            {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": slack.api_url}, require_signing_secret=False
        )
        client = make_client(settings)
        services = Services(db=db, now=lambda: NOW)
        deliverer = Deliverer(services, client, batch=args.reminders)
        reports = []
        ours = timed(slack, lambda: (queue_due_work(services), reports.append(deliverer.run_once())))
        bare = timed(slack, lambda: bare_loop(client, args.reminders, args.channels, CHANNEL_INTERVAL))
    report = reports[0]
    limit = args.channels * 1.0  # Slack's ~1 message a second per channel
    floor = args.reminders / args.channels - 1  # each channel's n-th post cannot go before n-1 s

    print(
        f"{args.reminders} due reminders across {args.channels} channels, fake Slack at 1 msg/s per channel, "
        f"{args.slack_latency_ms:.0f} ms per call ({db.engine.dialect.name})"
    )
    print(f"delivery: sent {report['sent']}, retrying {report['pending']}, failed {report['failed']}")
    rows = [
        ("run time (s)", ours.elapsed, bare.elapsed),
        ("lateness median (s)", statistics.median(ours.lateness), statistics.median(bare.lateness)),
        ("lateness p99 (s)", ours.p(0.99), bare.p(0.99)),
        ("posts accepted", len(ours.lateness), len(bare.lateness)),
        ("429 answers", ours.limited, bare.limited),
        (
            "throughput / per-channel limit",
            len(ours.lateness) / ours.elapsed / limit,
            len(bare.lateness) / bare.elapsed / limit,
        ),
    ]
    print(f"{'metric':32} | {'organizer-bot':>13} | {'bare slack_sdk loop':>19}")
    print(f"{'-' * 32}-+-{'-' * 13}-+-{'-' * 19}")
    for name, a, b in rows:
        print(f"{name:32} | {a:13.2f} | {b:19.2f}" if isinstance(a, float) else f"{name:32} | {a:13} | {b:19}")
    print(f"(floor at 1 msg/s per channel: the last post no earlier than {floor:.0f} s)")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
