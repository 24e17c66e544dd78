"""Fifty teams at once: `/event list` from every team, and reminders due across all of them.

In one run, on loopback only:

- the database holds --per-team events for each of --teams teams (half of them over, a year
  either side of now; tests/eventseed.py seed_teams), and then --reminders due reminders
  whose events take turns among the teams, over 1,000 channels;
- lists (as bench/event_list.py, against the same fake Slack and bare Bolt app): `/event list`,
  `list CA`, `list city Denver` and `list rally`, --n times each to organizer-bot and to the
  bare app in turn, each command from the next team; then --concurrent lists released at
  once, from the teams in turn;
- reminders (as bench/throughput.py, with the fake Slack in its own process at 50 ms a post):
  one clock tick queues them and the worker delivers them from 16 threads, beside a bare
  slack_sdk sender posting as many messages from 16 threads.

Targets (issue 9, at 50 teams): every list within 1.3x of the bare app, all concurrent lists
acked within 3 s; reminders at least 0.9x of the bare sender's posts/s, with CPU per post
within 2x. Exit status 0 when every target passes.

    .venv/bin/python bench/teams.py [--database postgresql://...] [--teams 50] [--per-team 2000] [--reminders 5000]
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ack_latency import ACK_DEADLINE, BARE_TOKEN, SECRET, pct, serve_app, start_bare  # noqa: E402
from event_list import LISTS, TARGET_RATIO, concurrent_lists, interleaved  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from throughput import FAKE, NOW, bare, clock_tick, measured  # noqa: E402

from bot.app import Transport, create_app, make_client, make_services  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from eventseed import asked_as_they_ended, fresh_database, seed_teams  # noqa: E402
from fakeslack import FakeSlack  # noqa: E402
from schedhelp import seed_due_reminders  # noqa: E402
from services import Services  # noqa: E402
from services.delivery import Deliverer  # noqa: E402
from storage import Database  # noqa: E402
from storage.models import Event  # noqa: E402
from timemath import utcnow  # noqa: E402

OURS_TOKEN = "xoxb-bench"
CHANNELS = 1000
MIN_POST_RATIO, MAX_CPU_RATIO = 0.9, 2.0
WALL_CLOCK_LIMIT = 900.0  # the run is killed past this, whatever it is doing


def lists(db: Database, teams: list[str], n: int, concurrent: int) -> tuple[list[tuple], dict[str, list[float]]]:
    """Rows (command, ours median, ours p90, bare median, bare p90, ratio), and the concurrent acks by app."""
    with FakeSlack() as fake:
        settings = load_settings(
            {
                "SLACK_BOT_TOKEN": OURS_TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": db.url,
            }
        )
        apps = (
            serve_app(
                "organizer-bot", OURS_TOKEN, create_app(settings, make_services(settings, db), transport=Transport.HTTP)
            ),
            serve_app("bare Bolt", BARE_TOKEN, start_bare(fake)),
        )
        rows = []
        try:
            for text_ in LISTS:
                interleaved(fake, apps, text_, 5, teams)  # warm-up
                ours, bare_ = interleaved(fake, apps, text_, n, teams)
                rows.append(
                    (
                        f"/event {text_}",
                        statistics.median(ours),
                        pct(ours, 90),
                        statistics.median(bare_),
                        pct(bare_, 90),
                        statistics.median(ours) / statistics.median(bare_),
                    )
                )
                fake.reset()  # the fake records every call; keep its memory flat
            bursts = {app.name: concurrent_lists(fake, app, concurrent, teams) for app in apps}
        finally:
            for app in apps:
                app.server.close()
                app.thread.join(timeout=5)
    return rows, bursts


def reminders(db: Database, teams: list[str], count: int) -> tuple[int, float, float, float, float]:
    """(sent, ours posts/s, ours CPU ms a post, bare posts/s, bare CPU ms a post)."""
    with db.read() as session:
        first_id = (session.scalar(select(func.max(Event.id))) or 0) + 1
    seed_due_reminders(db, NOW, count, CHANNELS, cards=False, first_id=first_id, teams=teams)
    fake = subprocess.Popen(
        [sys.executable, "-c", FAKE.format(tests=str(ROOT / "tests"), latency=0.05)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        api_url = fake.stdout.readline().strip()
        settings = load_settings(
            {"SLACK_BOT_TOKEN": OURS_TOKEN, "SLACK_API_URL": api_url}, require_signing_secret=False
        )
        services = Services(db=db, now=lambda: NOW)
        deliverer = Deliverer(services, make_client(settings), batch=1000, channel_interval=0.0)
        gc.freeze()  # as organizer-bot does once started (bot/lifecycle.py)
        sent: list[int] = []
        ours_wall, ours_cpu = measured(lambda: sent.append(clock_tick(services, deliverer)))
        bare_wall, bare_cpu = measured(lambda: bare(WebClient(token=OURS_TOKEN, base_url=api_url), count, CHANNELS))
    finally:
        fake.stdin.close()
        fake.wait(10)
    return sent[0], sent[0] / ours_wall, ours_cpu / sent[0] * 1000, count / bare_wall, bare_cpu / count * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (its schema is dropped); default: a temporary SQLite file")
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--per-team", type=int, default=2000, help="events of each team (2000)")
    parser.add_argument("--n", type=int, default=100, help="lists of each kind per app (100)")
    parser.add_argument("--concurrent", type=int, default=200, help="lists released at once (200)")
    parser.add_argument("--reminders", type=int, default=5000, help="due reminders across the teams (5000)")
    args = parser.parse_args()

    watchdog = threading.Timer(
        WALL_CLOCK_LIMIT, lambda: (print("bench: over time, giving up", file=sys.stderr, flush=True), os._exit(2))
    )
    watchdog.daemon = True
    watchdog.start()
    logging.basicConfig(level=logging.CRITICAL)  # Bolt's per-request warnings would drown the table
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="teams-bench-") as tmp:
        db = fresh_database(normalize_database_url(args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"))
        try:
            seeding = time.monotonic()
            teams = seed_teams(db, utcnow(), args.teams, args.per_team)
            asked_as_they_ended(db, utcnow())  # as a running clock leaves history: no report DMs to measure
            if not db.is_sqlite:
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("ANALYZE events"))
            print(
                f"{args.teams} teams with {args.per_team:,} events each on {db.engine.dialect.name}: "
                f"seeded in {time.monotonic() - seeding:.1f} s",
                flush=True,
            )
            rows, bursts = lists(db, teams, args.n, args.concurrent)
            sent, ours_rate, ours_ms, bare_rate, bare_ms = reminders(db, teams, args.reminders)
        finally:
            db.dispose()

    print(
        f"\n{'command, each from the next team':34} | {'ours median':>11} | {'ours p90':>8} | {'bare median':>11} | {'bare p90':>8} | ratio"
    )
    print("-" * 98)
    for command, median, p90, bare_median, bare_p90, ratio in rows:
        print(
            f"{command:34} | {median:8.1f} ms | {p90:5.1f} ms | {bare_median:8.1f} ms | {bare_p90:5.1f} ms | {ratio:.2f}x"
        )
    for name, acks in bursts.items():
        in_time = sum(1 for ack in acks if ack <= ACK_DEADLINE)
        print(
            f"{args.concurrent} concurrent /event list over {args.teams} teams, {name}: {in_time}/{len(acks)} acked within "
            f"{ACK_DEADLINE:.0f} s (slowest {max(acks) * 1000:.0f} ms)"
        )
    print(
        f"\n{args.reminders:,} due reminders over {args.teams} teams and {CHANNELS:,} channels, Slack at 50 ms a post, "
        f"16 threads each; organizer-bot sent {sent:,}"
    )
    print(f"{'measure':24} | {'organizer-bot':>13} | {'bare sender':>11} | ratio")
    print(f"{'posts/s':24} | {ours_rate:13.0f} | {bare_rate:11.0f} | {ours_rate / bare_rate:.2f}x")
    print(f"{'CPU ms per post':24} | {ours_ms:13.2f} | {bare_ms:11.2f} | {ours_ms / bare_ms:.2f}x")

    worst = max(row[-1] for row in rows)
    in_time = sum(1 for ack in bursts["organizer-bot"] if ack <= ACK_DEADLINE)
    checks = [
        (worst <= TARGET_RATIO, f"worst list is {worst:.2f}x the bare app (target <= {TARGET_RATIO}x)"),
        (in_time == args.concurrent, f"{in_time}/{args.concurrent} concurrent lists acked within {ACK_DEADLINE:.0f} s"),
        (
            ours_rate / bare_rate >= MIN_POST_RATIO and sent == args.reminders,
            f"reminders at {ours_rate / bare_rate:.2f}x the bare sender's posts/s (target >= {MIN_POST_RATIO}x), {sent:,} sent",
        ),
        (
            ours_ms / bare_ms <= MAX_CPU_RATIO,
            f"CPU per post {ours_ms / bare_ms:.2f}x the bare sender's (target <= {MAX_CPU_RATIO}x)",
        ),
    ]
    print()
    for ok, line in checks:
        print(f"{'PASS' if ok else 'FAIL'}: {line}")
    print(f"(total run {time.monotonic() - started:.0f} s; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    watchdog.cancel()
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
