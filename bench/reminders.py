"""Benchmark: dispatch 1,000 due reminders across 100 channels against the fake Slack at 1 msg/s per channel.

    .venv/bin/python bench/reminders.py [--database sqlite:////tmp/bench.db] [--reminders 1000] [--channels 100]

Prints lateness (time from the start of the dispatch run to each post: all reminders
are due at that instant) as median and p99, 429s seen, and throughput as a fraction of
the per-channel limit (channels x 1 msg/s). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import insert, text  # noqa: E402

from bot.app import make_client  # noqa: E402
from bot.dispatch import Dispatcher  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from fakeslack import FakeSlack  # noqa: E402
from storage import Database  # noqa: E402
from storage.models import Event, Reminder  # noqa: E402
from storage.timemath import UTC  # noqa: E402

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


def seed(db: Database, reminders: int, channels: int) -> None:
    start = NOW + timedelta(hours=1)
    with db.session() as session:
        session.execute(insert(Event), [
            dict(id=n, team_id="T0TEST", title=f"Event {n}", event_type="rally", all_day=False, starts_at=start,
                 timezone="America/Chicago", is_public=True, channel_id=f"C{n % channels}", message_ts=f"1700000000.{n:06d}",
                 created_by="U1", created_at=NOW, updated_at=NOW)
            for n in range(1, reminders + 1)
        ])
        due = start - timedelta(hours=1)
        session.execute(insert(Reminder), [
            dict(team_id="T0TEST", event_id=n, kind="1h", recipient_type="channel", recipient=f"C{n % channels}",
                 status="pending", due_at=due, next_attempt_at=due, attempts=0, created_at=NOW)
            for n in range(1, reminders + 1)
        ])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="SQLAlchemy URL (its tables are emptied); default: a temporary SQLite file")
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=100)
    args = parser.parse_args()
    url = normalize_database_url(args.database or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    db = Database(url)
    if not db.is_sqlite:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    db.upgrade()
    seed(db, args.reminders, args.channels)

    with FakeSlack(channel_rate_limit=1.0) as slack:
        settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": slack.api_url}, require_signing_secret=False)
        dispatcher = Dispatcher(make_client(settings), db, lambda: NOW, batch=args.reminders)
        started = time.monotonic()
        report = dispatcher.run_once()
        elapsed = time.monotonic() - started
        posts = [c for c in slack.calls if c.method == "chat.postMessage"]
    accepted = [c.at - started for c in posts if c.error is None]
    limited = sum(1 for c in posts if c.error == "ratelimited")
    lateness = sorted(accepted)
    p99 = lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))]
    throughput = len(accepted) / elapsed
    ideal = args.channels * 1.0
    # The best possible: each channel posts its n-th message at n-1 seconds, so the last one needs (per channel - 1) s.
    print(f"reminders: {args.reminders} across {args.channels} channels ({db.engine.dialect.name})")
    print(f"sent: {report.sent}  late: {report.sent_late}  retrying: {report.retrying}  failed: {report.failed}")
    print(f"429 answers from the fake: {limited}")
    print(f"run time: {elapsed:.2f} s (floor at 1 msg/s per channel: {args.reminders / args.channels - 1:.0f} s)")
    print(f"lateness after due: median {statistics.median(lateness):.2f} s, p99 {p99:.2f} s, max {lateness[-1]:.2f} s")
    print(f"throughput: {throughput:.1f} msg/s = {throughput / ideal:.2f} of the per-channel limit ({ideal:.0f} msg/s)")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
