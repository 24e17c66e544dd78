"""`/event list` as history grows: organizer-bot against a bare Bolt app, over HTTP.

In one run, on loopback only, against one fake Slack Web API (tests/fakeslack.py):

- organizer-bot as production starts it (settings, migrated database, create_app(), waitress
  via make_server()), its team holding 1k, then 10k, then 100k events (half of them over,
  seeded by tests/eventseed.py), and as many again spread over 50 other teams;
- the bare Bolt app of bench/ack_latency.py answering `/event list` with a static page of the
  same shape, behind the same server.

For each size, `/event list`, `list CA`, `list city Denver`, `list rally` and
`list #WhereRTheRefugees` (a campaign; the team has the shipped ones loaded), each sent --n
times to both apps in turn on kept-alive connections (time from sending the request to
reading the response = the ack); then, at the largest size, --concurrent lists released
at once, each on its own connection. PostgreSQL tables are ANALYZEd after seeding, as
autovacuum would; SQLite is left as a deployment leaves it (no ANALYZE).

Targets (issue 9): median within 1.3x of the bare app at 100k events for every list; all
of the concurrent lists acked within 3 s. Exit status 0 when every target passes.

    .venv/bin/python bench/event_list.py [--database postgresql://...] [--sizes 1000,10000,100000] [--n 100]
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ack_latency import (  # noqa: E402
    ACK_DEADLINE,
    BARE_TOKEN,
    SECRET,
    Served,
    command_body,
    pct,
    release_together,
    send,
    serve_app,
    start_bare,
)
from sqlalchemy import delete, text  # noqa: E402

from bot.app import Transport, create_app, make_services  # noqa: E402
from bot.server import SLACK_PATH  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from driver import sign  # noqa: E402
from eventseed import fresh_database, seed_events  # noqa: E402
from fakeslack import TEAM_ID, FakeSlack  # noqa: E402
from messages.content import shipped_campaigns  # noqa: E402
from storage import Database, campaigns  # noqa: E402
from storage.models import Event  # noqa: E402
from timemath import utcnow  # noqa: E402

OURS_TOKEN = "xoxb-bench"
LISTS = ("list", "list CA", "list city Denver", "list rally", "list #WhereRTheRefugees")
TARGET_RATIO = 1.3
OTHER_TEAMS = 50
WALL_CLOCK_LIMIT = 600.0  # the run is killed past this, whatever it is doing


def reseed(db: Database, size: int) -> None:
    with db.session() as session:
        session.execute(delete(Event))
    seed_events(db, utcnow(), size, other_teams=OTHER_TEAMS)
    with db.session() as session:  # as the team's first /event new, /toolkit or /campaign does
        campaigns.ensure_campaigns(session, TEAM_ID, shipped_campaigns(), utcnow())
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE events"))


def check_reply(app: Served, status: int, payload: bytes) -> None:
    if status != 200 or b"Upcoming events" not in payload:
        raise SystemExit(f"{app.name}: /event list answered HTTP {status}: {payload[:300]!r}")
    lines = [b for b in json.loads(payload)["blocks"] if "*#" in b.get("text", {}).get("text", "")]
    if len(lines) != 10:
        raise SystemExit(f"{app.name}: /event list showed {len(lines)} events, not a page of 10")


def interleaved(
    fake: FakeSlack, apps: tuple[Served, Served], text_: str, n: int, teams: Sequence[str] = (TEAM_ID,)
) -> tuple[list[float], list[float]]:
    """n lists to each app, alternating, so that both see the same machine, from `teams` in
    turn; milliseconds per ack."""
    connections = [http.client.HTTPConnection("127.0.0.1", app.port, timeout=10) for app in apps]
    times: tuple[list[float], list[float]] = ([], [])
    try:
        for number in range(n):
            for app, connection, out in zip(apps, connections, times, strict=True):
                elapsed, status, payload = send(connection, command_body(fake, text_, teams[number % len(teams)]))
                check_reply(app, status, payload)
                out.append(elapsed * 1000)
    finally:
        for connection in connections:
            connection.close()
    return times


def concurrent_lists(fake: FakeSlack, app: Served, size: int, teams: Sequence[str] = (TEAM_ID,)) -> list[float]:
    """`size` lists released together, each on its own connection, from `teams` in turn;
    seconds to each ack (inf if none)."""
    barrier = threading.Barrier(size + 1, timeout=30)
    acks = [float("inf")] * size

    def one(i: int) -> None:
        body = command_body(fake, "list", teams[i % len(teams)])
        connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=30)
        connection.connect()
        barrier.wait()
        started = time.monotonic()
        try:
            connection.request(
                "POST",
                SLACK_PATH,
                body=body.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret=SECRET)},
            )
            response = connection.getresponse()
            if response.status == 200 and b"Upcoming events" in response.read():
                acks[i] = time.monotonic() - started
        except OSError:
            pass  # counted as not acked
        finally:
            connection.close()

    release_together(one, size, barrier, timeout=60)
    return acks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (its schema is dropped); default: a temporary SQLite file")
    parser.add_argument("--sizes", default="1000,10000,100000", help="events of the team, comma-separated")
    parser.add_argument("--n", type=int, default=100, help="lists of each kind per app and size (100)")
    parser.add_argument("--concurrent", type=int, default=200, help="lists released at once at the largest size (200)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    watchdog = threading.Timer(
        WALL_CLOCK_LIMIT, lambda: (print("bench: over time, giving up", file=sys.stderr, flush=True), os._exit(2))
    )
    watchdog.daemon = True
    watchdog.start()
    logging.basicConfig(level=logging.CRITICAL)  # Bolt's per-request warnings would drown the table
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="list-bench-") as tmp, FakeSlack() as fake:
        url = normalize_database_url(args.database or f"sqlite:///{Path(tmp) / 'bench.db'}")
        db = fresh_database(url)
        settings = load_settings(
            {
                "SLACK_BOT_TOKEN": OURS_TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": url,
            }
        )
        apps = (
            serve_app(
                "organizer-bot", OURS_TOKEN, create_app(settings, make_services(settings, db), transport=Transport.HTTP)
            ),
            serve_app("bare Bolt", BARE_TOKEN, start_bare(fake)),
        )
        rows, ok = [], True
        try:
            for size in sizes:
                seeding = time.monotonic()
                reseed(db, size)
                print(
                    f"{size:,} events for the team (+{size:,} over {OTHER_TEAMS} teams) on {db.engine.dialect.name}: "
                    f"seeded in {time.monotonic() - seeding:.1f} s",
                    flush=True,
                )
                for text_ in LISTS:
                    interleaved(fake, apps, text_, 5)  # warm-up
                    ours, bare = interleaved(fake, apps, text_, args.n)
                    ratio = statistics.median(ours) / statistics.median(bare)
                    rows.append(
                        (
                            f"{size:,}",
                            f"/event {text_}",
                            statistics.median(ours),
                            pct(ours, 90),
                            statistics.median(bare),
                            pct(bare, 90),
                            ratio,
                        )
                    )
                    if size == sizes[-1]:
                        ok &= ratio <= TARGET_RATIO
                fake.reset()  # the fake records every call; keep its memory flat
            bursts = {app.name: concurrent_lists(fake, app, args.concurrent) for app in apps}
        finally:
            for app in apps:
                app.server.close()
                app.thread.join(timeout=5)
            db.dispose()

    print(
        f"\n{'events':>8} | {'command':24} | {'ours median':>11} | {'ours p90':>8} | {'bare median':>11} | {'bare p90':>8} | ratio"
    )
    print("-" * 92)
    for size, command, median, p90, bare_median, bare_p90, ratio in rows:
        print(
            f"{size:>8} | {command:24} | {median:8.1f} ms | {p90:5.1f} ms | {bare_median:8.1f} ms | {bare_p90:5.1f} ms | {ratio:.2f}x"
        )
    print()
    for name, acks in bursts.items():
        in_time = sum(1 for ack in acks if ack <= ACK_DEADLINE)
        slowest = max(acks)
        print(
            f"{args.concurrent} concurrent /event list at {sizes[-1]:,} events, {name}: {in_time}/{len(acks)} acked within "
            f"{ACK_DEADLINE:.0f} s (slowest {'none' if slowest == float('inf') else f'{slowest * 1000:.0f} ms'})"
        )
    ours_in_time = sum(1 for ack in bursts["organizer-bot"] if ack <= ACK_DEADLINE)
    ok &= ours_in_time == args.concurrent
    worst = max(row[-1] for row in rows if row[0] == f"{sizes[-1]:,}")
    print(
        f"{'PASS' if worst <= TARGET_RATIO else 'FAIL'}: worst list at {sizes[-1]:,} events is {worst:.2f}x the bare app "
        f"(target <= {TARGET_RATIO}x)"
    )
    print(
        f"{'PASS' if ours_in_time == args.concurrent else 'FAIL'}: {ours_in_time}/{args.concurrent} concurrent lists acked "
        f"within {ACK_DEADLINE:.0f} s"
    )
    print(f"(total run {time.monotonic() - started:.0f} s; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    watchdog.cancel()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
