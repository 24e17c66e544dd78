"""`/event near` against `/event list` over 100,000 events, over HTTP, in the same run.

On loopback only, against one fake Slack Web API (tests/fakeslack.py): organizer-bot as
production starts it (settings, migrated database, create_app(), waitress via make_server()),
its team holding --events events (half of them over; seeded by tests/eventseed.py over 20
cities, every 50th only online, so thousands of upcoming events share each city's spot) and
as many again over 50 other teams. PostgreSQL is VACUUM ANALYZEd after seeding, as autovacuum
does after a bulk insert (bench/event_list.py only ANALYZEs: its queries read no more rows
for it); SQLite is left without statistics, as deployments leave it.

Each distance search and `/event list` are sent --n times in turn on kept-alive connections
(the time from sending the request to reading the response is the ack), so that both see the
same machine. Beside the acks, which Bolt's 10 ms ack poll rounds, the same searches are timed
in-process (services.events.near against services.events.list_page).

Memory: `organizer-bot run` is spawned as production runs it (bench/footprint.py's way), and its
resident memory read once idle, after one `/event list`, after its first `/event near` (the place
data is mapped then) and after --searches more over 50 places, 4 clients at once; private
(RssAnon) and file-backed (RssFile: the mapped data, shared between processes) apart.

Target (issue 10): every search's median ack within 1.5x of `/event list`'s. Exit status 0 when
it passes.

    .venv/bin/python bench/near.py [--database postgresql://...] [--events 100000] [--n 100]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ack_latency import SECRET, command_body, pct, send, serve_app  # noqa: E402
from event_list import OTHER_TEAMS  # noqa: E402
from footprint import Subject, commands, spawn, stop  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.app import Transport, create_app, make_services  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from eventseed import asked_as_they_ended, fresh_database, seed_events  # noqa: E402
from fakeslack import TEAM_ID, FakeSlack  # noqa: E402
from handlers.events import parse_near  # noqa: E402
from services import events as workflows  # noqa: E402
from storage import events as queries  # noqa: E402
from timemath import utcnow  # noqa: E402

TOKEN = "xoxb-bench"
LIST = "list"
SEARCHES = ("near 95356", "near Denver, CO", "near 95356 100 mi", "near 80202 500 mi")
TARGET_RATIO = 1.5
WALL_CLOCK_LIMIT = 600.0  # the run is killed past this, whatever it is doing
# Where the memory readings search: ZIP codes and cities across the country.
PLACES = (
    "95356",
    "Denver, CO",
    "10001",
    "Chicago, IL",
    "77002",
    "Miami, FL",
    "98101",
    "Boise, ID",
    "02108",
    "Phoenix, AZ",
)


def memory_mb(pid: int) -> dict[str, float]:
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "RssAnon", "RssFile")}


def memory(fake: FakeSlack, url: str, searches: int, tmp: str) -> list[tuple[str, dict[str, float]]]:
    """Resident memory of `organizer-bot run` through its first distance searches."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
    }
    workdir = Path(tmp) / "cwd"
    workdir.mkdir()
    process, port, _ = spawn(
        Subject("organizer-bot run", [str(Path(sys.executable).parent / "organizer-bot"), "run"]), env, str(workdir)
    )
    readings = []
    try:
        time.sleep(2.0)
        readings.append(("idle", memory_mb(process.pid)))
        failed = commands(fake, port, ["list"], 1)
        readings.append(("after one /event list", memory_mb(process.pid)))
        failed += commands(fake, port, ["near 95356"], 1)
        readings.append(("after its first /event near", memory_mb(process.pid)))
        failed += commands(
            fake, port, [f"near {PLACES[n % len(PLACES)]} {25 * (1 + n % 20)} mi" for n in range(searches)], 4
        )
        readings.append((f"after {searches} more /event near", memory_mb(process.pid)))
    finally:
        stop(process)
    if failed:
        raise SystemExit(f"{failed} commands were not answered 200")
    return readings


def check_reply(command: str, status: int, payload: bytes) -> None:
    if status != 200:
        raise SystemExit(f"/event {command} answered HTTP {status}: {payload[:300]!r}")
    blocks = json.loads(payload)["blocks"]
    shown = [b for b in blocks if b.get("text", {}).get("text", "").count("*#") == 1]
    if len(shown) < 10:
        raise SystemExit(f"/event {command} showed {len(shown)} events, not a page of 10: {payload[:300]!r}")


def acks(fake: FakeSlack, port: int, commands: tuple[str, ...], n: int) -> dict[str, list[float]]:
    """n of each command, in turn, on one kept-alive connection; milliseconds per ack."""
    times: dict[str, list[float]] = {command: [] for command in commands}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for _ in range(n):
            for command in commands:
                elapsed, status, payload = send(connection, command_body(fake, command))
                check_reply(command, status, payload)
                times[command].append(elapsed * 1000)
    finally:
        connection.close()
    return times


def in_process(services, commands: tuple[str, ...], n: int) -> dict[str, list[float]]:
    """The same work without HTTP and Bolt: the list's page, each search's page; milliseconds."""
    audience = queries.Audience("C1", "U1")
    work = {LIST: lambda: workflows.list_page(services, TEAM_ID, 0, "", audience)}
    for command in commands[1:]:
        place, radius = parse_near(command.removeprefix("near "))
        work[command] = lambda place=place, radius=radius: workflows.near(services, TEAM_ID, place, radius, audience)
    times: dict[str, list[float]] = {command: [] for command in commands}
    for _ in range(n):
        for command in commands:
            started = time.perf_counter()
            work[command]()
            times[command].append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (its schema is dropped); default: a temporary SQLite file")
    parser.add_argument("--events", type=int, default=100_000, help="events of the team (100,000)")
    parser.add_argument("--n", type=int, default=100, help="commands of each kind (100)")
    parser.add_argument(
        "--searches", type=int, default=500, help="distance searches before the last memory reading (500)"
    )
    args = parser.parse_args()

    watchdog = threading.Timer(
        WALL_CLOCK_LIMIT, lambda: (print("bench: over time, giving up", file=sys.stderr, flush=True), os._exit(2))
    )
    watchdog.daemon = True
    watchdog.start()
    logging.basicConfig(level=logging.CRITICAL)
    started = time.monotonic()
    commands = (LIST, *SEARCHES)
    with tempfile.TemporaryDirectory(prefix="near-bench-") as tmp, FakeSlack() as fake:
        url = normalize_database_url(args.database or f"sqlite:///{Path(tmp) / 'bench.db'}")
        db = fresh_database(url)
        seeding = time.monotonic()
        seed_events(db, utcnow(), args.events, other_teams=OTHER_TEAMS)
        asked_as_they_ended(db, utcnow())  # else the spawned process spends its life sending post-event questions
        if not db.is_sqlite:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE events"))
        print(
            f"{args.events:,} events for the team (+{args.events:,} over {OTHER_TEAMS} teams) on {db.engine.dialect.name}: "
            f"seeded in {time.monotonic() - seeding:.1f} s",
            flush=True,
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
        app = serve_app("organizer-bot", TOKEN, create_app(settings, services, transport=Transport.HTTP))
        try:
            acks(fake, app.port, commands, 5)  # warm-up
            over_http = acks(fake, app.port, commands, args.n)
            work = in_process(services, commands, args.n)
        finally:
            app.server.close()
            app.thread.join(timeout=5)
            db.dispose()
        readings = memory(fake, url, args.searches, tmp)

    list_ack, list_work = statistics.median(over_http[LIST]), statistics.median(work[LIST])
    print(
        f"\n{'command':28} | {'ack median':>10} | {'ack p90':>8} | {'vs list':>7} | {'in-process median':>17} | vs list"
    )
    print("-" * 96)
    ok = True
    for command in commands:
        ack, own = statistics.median(over_http[command]), statistics.median(work[command])
        ratio = ack / list_ack
        ok &= ratio <= TARGET_RATIO
        print(
            f"/event {command:21} | {ack:7.1f} ms | {pct(over_http[command], 90):5.1f} ms | {ratio:6.2f}x | "
            f"{own:14.2f} ms | {own / list_work:.2f}x"
        )
    print(f"\n{'organizer-bot run, resident memory':36} | {'VmRSS':>8} | {'RssAnon':>8} | {'RssFile':>8}")
    print("-" * 70)
    for moment, figures in readings:
        print(f"{moment:36} | " + " | ".join(f"{figures[key]:5.1f} MB" for key in ("VmRSS", "RssAnon", "RssFile")))
    worst = max(statistics.median(over_http[command]) for command in SEARCHES) / list_ack
    print(
        f"\n{'PASS' if ok else 'FAIL'}: slowest search's median ack is {worst:.2f}x /event list's (target <= {TARGET_RATIO}x)"
    )
    print(f"(total run {time.monotonic() - started:.0f} s; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    watchdog.cancel()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
