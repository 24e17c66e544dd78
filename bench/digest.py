"""The digest of a busy week: 2,000 events in one channel's next 7 days, rendered and posted.

In one run, on loopback only, against one fake Slack Web API (tests/fakeslack.py):

- organizer-bot as `organizer-bot run` starts it (settings, migrated database, create_app(),
  waitress via make_server(), the outbox's delivery worker in the background), its team
  holding --history events a year either side of now (and as many again over 50 other
  teams), its coming week topped up to --events events with ones announced in one channel
  (tests/eventseed.py seed_week);
- `/digest now` sent --n times over HTTP: time from sending the command to the last part of
  the digest reaching Slack;
- the scheduled digest, --n times: the channel's subscription falls due, the clock ticks
  (services.schedule.queue_due_work, as APScheduler calls it): time from the tick to the
  last part reaching Slack;
- the baseline: a bare slack_sdk WebClient posting the same messages (rendered once, ahead
  of time), one after the other, with no database.

Target (issue 9): the digest rendered and posted within 1 s. Exit status 0 when the median
of both paths is within it. In-process, it also times the week's query and the rendering.

    .venv/bin/python bench/digest.py [--database postgresql://...] [--events 2000] [--history 100000] [--n 10]
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ack_latency import SECRET, serve_app  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import text, update  # noqa: E402

from bot.app import Transport, create_app, make_services  # noqa: E402
from bot.clock import make_deliverer  # noqa: E402
from bot.server import SLACK_PATH  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from driver import sign  # noqa: E402
from eventseed import asked_as_they_ended, fresh_database, seed_events, seed_week  # noqa: E402
from fakeslack import TEAM_ID, FakeSlack  # noqa: E402
from messages import digest as render  # noqa: E402
from services.delivery import CHANNEL_INTERVAL  # noqa: E402
from services.runtime import Services  # noqa: E402
from services.schedule import queue_due_work  # noqa: E402
from storage import Database  # noqa: E402
from storage import events as event_store  # noqa: E402
from storage.models import DigestSubscription  # noqa: E402
from timemath import local_date, utcnow  # noqa: E402

TOKEN = "xoxb-bench"
CHANNEL = "C_WEEK"
TIMEZONE = "America/Chicago"
TARGET_SECONDS = 1.0
OTHER_TEAMS = 50
WALL_CLOCK_LIMIT = 900.0  # the run is killed past this, whatever it is doing


def digest_body(fake: FakeSlack) -> str:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "test",
            "channel_id": CHANNEL,
            "channel_name": "week-of-action",
            "user_id": "U1",
            "user_name": "u1",
            "command": "/digest",
            "text": "now",
            "api_app_id": "A0TEST",
            "response_url": fake.response_url("command"),
            "trigger_id": "trigger.digest",
        }
    )


def rendered_events(db: Database) -> list:
    """What the channel's digest shows if it starts now."""
    now = utcnow()
    with db.read() as session:
        return event_store.events_between(session, TEAM_ID, now, now + timedelta(days=render.DAYS), channel_id=CHANNEL)


def rendered(db: Database) -> tuple[list[tuple[str, list[dict]]], float, float]:
    """The digest as the worker renders it now; and how long the query and the rendering took."""
    started = time.perf_counter()
    events = rendered_events(db)
    queried = time.perf_counter()
    messages = render.digest_messages(events, today=local_date(utcnow(), TIMEZONE), quiet=False)
    return messages, queried - started, time.perf_counter() - queried


def last_part_at(fake: FakeSlack, parts: int, since: float, timeout: float = 30.0) -> float:
    """When the `parts`-th post into the channel after `since` reached the fake Slack."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posts = [
            c.at
            for c in fake.calls
            if c.method == "chat.postMessage" and c.args.get("channel") == CHANNEL and c.at >= since
        ]
        if len(posts) >= parts:
            return posts[parts - 1]
        time.sleep(0.002)
    raise SystemExit(f"the digest's {parts} parts did not all arrive within {timeout:.0f} s")


def digest_now(fake: FakeSlack, port: int, parts: int) -> float:
    time.sleep(CHANNEL_INTERVAL)  # the worker spaces posts to one channel: measure the digest, not that
    body = digest_body(fake)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        started = time.monotonic()
        connection.request(
            "POST",
            SLACK_PATH,
            body=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret=SECRET)},
        )
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"/digest now answered HTTP {response.status}")
    finally:
        connection.close()
    return last_part_at(fake, parts, started) - started


def scheduled(fake: FakeSlack, services: Services, parts: int) -> float:
    """The subscription falls due now; one clock tick queues it, the worker (rung) posts it."""
    time.sleep(CHANNEL_INTERVAL)
    with services.db.session() as session:
        session.execute(update(DigestSubscription).values(next_run_at=utcnow()))
    started = time.monotonic()
    queue_due_work(services)
    return last_part_at(fake, parts, started) - started


def bare(fake: FakeSlack, messages: list[tuple[str, list[dict]]]) -> float:
    client = WebClient(token=TOKEN, base_url=fake.api_url)
    started = time.monotonic()
    for fallback, blocks in messages:
        client.chat_postMessage(channel=CHANNEL, text=fallback, blocks=blocks, unfurl_links=False)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (its schema is dropped); default: a temporary SQLite file")
    parser.add_argument("--events", type=int, default=2000, help="events in the channel's coming week (2000)")
    parser.add_argument(
        "--history", type=int, default=100_000, help="other events of the team, a year either side (100000)"
    )
    parser.add_argument("--n", type=int, default=10, help="digests of each kind (10)")
    args = parser.parse_args()

    watchdog = threading.Timer(
        WALL_CLOCK_LIMIT, lambda: (print("bench: over time, giving up", file=sys.stderr, flush=True), os._exit(2))
    )
    watchdog.daemon = True
    watchdog.start()
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp, FakeSlack() as fake:
        url = normalize_database_url(args.database or f"sqlite:///{Path(tmp) / 'bench.db'}")
        db = fresh_database(url)
        seeding = time.monotonic()
        seed_events(db, utcnow(), args.history, other_teams=OTHER_TEAMS if args.history else 0)
        in_history = len(rendered_events(db))  # the history's own events in the coming week count too
        seed_week(db, utcnow(), args.events - in_history, channel_id=CHANNEL)
        asked_as_they_ended(db, utcnow())  # no "How did it go?" DMs to the history's one host to wait behind
        if not db.is_sqlite:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
        print(
            f"{args.history:,} events for the team (+ as many over {OTHER_TEAMS} teams), {in_history:,} of them in the coming "
            f"week, topped up to {args.events:,} in {CHANNEL}, on {db.engine.dialect.name}: seeded in "
            f"{time.monotonic() - seeding:.1f} s",
            flush=True,
        )
        with db.session() as session:
            session.add(
                DigestSubscription(
                    team_id=TEAM_ID,
                    channel_id=CHANNEL,
                    local_time="08:00",
                    timezone=TIMEZONE,
                    quiet=False,
                    next_run_at=utcnow() + timedelta(days=1),
                    created_by="U1",
                    created_at=utcnow(),
                )
            )

        settings = load_settings(
            {
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": url,
            }
        )
        services = make_services(settings, db)
        deliverer = make_deliverer(settings, services)
        deliverer.start(poll_seconds=3600)  # rung by the doorbell, as in `organizer-bot run`
        app = serve_app("organizer-bot", TOKEN, create_app(settings, services, transport=Transport.HTTP))
        try:
            messages, _, _ = rendered(db)
            parts, shown = len(messages), len(rendered_events(db))
            digest_now(fake, app.port, parts)  # warm-up: the first of each kind pays for imports and caches
            scheduled(fake, services, parts)
            fake.reset()
            timings = {"query": [], "render": [], "now": [], "scheduled": [], "bare": []}
            for _ in range(args.n):
                _, query, rendering = rendered(db)
                timings["query"].append(query)
                timings["render"].append(rendering)
                timings["now"].append(digest_now(fake, app.port, parts))
                timings["scheduled"].append(scheduled(fake, services, parts))
                timings["bare"].append(bare(fake, messages))
                fake.reset()  # the fake keeps every message; keep its memory flat
        finally:
            deliverer.stop()
            app.server.close()
            app.thread.join(timeout=5)
            db.dispose()

    size = sum(len(str(blocks)) for _, blocks in messages) // 1000
    print(
        f"the digest: {shown:,} events in {parts} messages ({', '.join(str(len(b)) for _, b in messages)} blocks, ~{size} kB of blocks); "
        f"medians of {args.n}"
    )
    print(
        f"in-process: the week's query {statistics.median(timings['query']) * 1000:.0f} ms, "
        f"rendering {statistics.median(timings['render']) * 1000:.0f} ms"
    )
    bare_median = statistics.median(timings["bare"])
    print(f"\n{'path':44} | {'median':>8} | {'max':>8} | bare posting the same | ratio")
    print("-" * 96)
    ok = True
    for key, label in (
        ("now", "/digest now: command to last part posted"),
        ("scheduled", "scheduled: clock tick to last part posted"),
    ):
        median = statistics.median(timings[key])
        ok &= median <= TARGET_SECONDS
        print(
            f"{label:44} | {median * 1000:5.0f} ms | {max(timings[key]) * 1000:5.0f} ms | {bare_median * 1000:17.0f} ms | "
            f"{median / bare_median:.1f}x"
        )
    print(
        f"\n{'PASS' if ok else 'FAIL'}: the digest of {args.events:,} events rendered and posted within "
        f"{TARGET_SECONDS:.0f} s (median of {args.n}; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)"
    )
    watchdog.cancel()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
