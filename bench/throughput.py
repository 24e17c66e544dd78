"""Benchmark: reminder delivery throughput and CPU per post, beside a bare slack_sdk sender.

    .venv/bin/python bench/throughput.py [--reminders 10000] [--channels 1000] [--slack-latency-ms 50] [--database URL]

Seeds `--reminders` due reminders over `--channels` channels, then, in the same run:
- organizer-bot as `organizer-bot clock` runs: one clock tick queues the due reminders in
  the outbox, a batch at a time, ringing the delivery worker after each, while the worker
  delivers them (claim, render, post with metadata, record) from 16 threads;
- the baseline: a bare slack_sdk WebClient posting the same number of messages from a pool of
  16 threads, nothing else.
The fake Slack runs in its own process, so CPU time measured here (user + system of this
process) is the sender's own. Prints posts/s and CPU ms per post for both, and the ratios.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from slack_sdk import WebClient  # noqa: E402

from bot.app import make_client  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from eventseed import fresh_database  # noqa: E402
from schedhelp import seed_due_reminders  # noqa: E402
from services import Services  # noqa: E402
from services.delivery import WORKERS, Deliverer  # noqa: E402
from services.schedule import queue_due_work  # noqa: E402
from timemath import UTC  # noqa: E402

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
FAKE = """
import sys, time
sys.path.insert(0, {tests!r})
from fakeslack import FakeSlack
slack = FakeSlack().start()
slack.set_latency("chat.postMessage", {latency})
print(slack.api_url, flush=True)
sys.stdin.read()
"""


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(run) -> tuple[float, float]:
    wall, used = time.monotonic(), cpu()
    run()
    return time.monotonic() - wall, cpu() - used


def clock_tick(services: Services, deliverer: Deliverer) -> int:
    """The clock's thread queues what is due while the worker loops as Deliverer.start does
    (run, then wait for the doorbell), until the tick is over and nothing is left; posts sent."""
    tick = threading.Thread(target=queue_due_work, args=(services,), name="clock")
    tick.start()
    sent = 0
    while True:
        services.doorbell.wait(1.0)
        report = deliverer.run_once()
        sent += report["sent"]
        if not tick.is_alive() and not sum(report.statuses.values()):
            return sent


def bare(client: WebClient, posts: int, channels: int) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        list(
            pool.map(lambda n: client.chat_postMessage(channel=f"C{n % channels}", text=f"Reminder {n}"), range(posts))
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--slack-latency-ms", type=float, default=50)
    parser.add_argument("--database", help="SQLAlchemy URL (emptied); default: a temporary SQLite file")
    args = parser.parse_args()
    url = normalize_database_url(args.database or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    db = fresh_database(url)
    seed_due_reminders(db, NOW, args.reminders, args.channels, cards=False)
    fake = subprocess.Popen(
        [sys.executable, "-c", FAKE.format(tests=str(ROOT / "tests"), latency=args.slack_latency_ms / 1000)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        api_url = fake.stdout.readline().strip()
        settings = load_settings(
            {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": api_url}, require_signing_secret=False
        )
        client = make_client(settings)
        services = Services(db=db, now=lambda: NOW)
        # No per-channel spacing here: 10 posts a channel would measure the pacer, not the sender.
        deliverer = Deliverer(services, client, batch=1000, channel_interval=0.0)
        gc.freeze()  # as organizer-bot does once started (bot/lifecycle.py)
        sent = []
        ours_wall, ours_cpu = measured(lambda: sent.append(clock_tick(services, deliverer)))
        sent = sent[0]
        bare_wall, bare_cpu = measured(
            lambda: bare(WebClient(token="xoxb-bench", base_url=api_url), args.reminders, args.channels)
        )
    finally:
        fake.stdin.close()
        fake.wait(10)
    ours_rate, bare_rate = sent / ours_wall, args.reminders / bare_wall
    ours_ms, bare_ms = ours_cpu / sent * 1000, bare_cpu / args.reminders * 1000
    print(
        f"{args.reminders} due reminders over {args.channels} channels, Slack {args.slack_latency_ms:.0f} ms a post, "
        f"{WORKERS} threads each ({db.engine.dialect.name}); organizer-bot sent {sent}"
    )
    print(f"{'measure':24} | {'organizer-bot':>13} | {'bare sender':>11} | ratio")
    print(f"{'posts/s':24} | {ours_rate:13.0f} | {bare_rate:11.0f} | {ours_rate / bare_rate:.2f}x")
    print(f"{'CPU ms per post':24} | {ours_ms:13.2f} | {bare_ms:11.2f} | {ours_ms / bare_ms:.2f}x")
    print(f"{'wall time (s)':24} | {ours_wall:13.1f} | {bare_wall:11.1f} |")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
