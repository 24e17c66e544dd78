"""The public pages and the calendar feed over 10,000 public events, beside a bare Flask app.

In one run, on loopback only:

- organizer-bot's public site as production serves it (settings, migrated database,
  create_site() behind make_server()'s waitress and front door), its team holding 10,000
  upcoming public events (tests/eventseed.py) and as many again over 50 other teams;
- a bare Flask app behind the same waitress, answering each path with a body of the same
  size prepared in advance: what serving those bytes costs with no work behind them.

Each path is asked --n times of each app in turn on kept-alive connections. Server time is
measured inside the server (a WSGI wrapper: from the call until the body is handed over);
the round trip is what the client waits for. The feed is measured cold (the first request
after an event was edited: its version changed, so it is rendered again) and warm (served
from the cached body), plain and gzip, and as a 304 for a calendar app that has it already.

Targets (issue 10): `/events` and `/calendar.ics` under 100 ms of server time (median, warm).
Exit status 0 when they pass.

    .venv/bin/python bench/public_pages.py [--database postgresql://...] [--events 10000] [--n 50]
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from flask import Flask, Response  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from bot.app import create_site, make_services  # noqa: E402
from bot.server import make_server, serve, stop  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from eventseed import fresh_database, seed_events  # noqa: E402
from fakeslack import TEAM_ID  # noqa: E402
from storage.models import Event  # noqa: E402
from timemath import utcnow  # noqa: E402

TARGET_MS = 100.0
OTHER_TEAMS = 50
WALL_CLOCK_LIMIT = 600.0
PATHS = (
    "/events",
    "/events?state=CA&type=rally",
    "/events?page=100",
    "/events?near=95356&radius=50",
    "/events/{id}",
    "/calendar.ics",
)


class Timed:
    """WSGI middleware recording the server time of each request: from the call until the
    server has taken the whole body (waitress then writes it out on its own thread)."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.last_ms = 0.0

    def __call__(self, environ: dict, start_response: Callable):
        started = time.perf_counter()
        body = b"".join(self.app(environ, start_response))
        self.last_ms = (time.perf_counter() - started) * 1000
        return [body]


def serve_wsgi(app: Callable) -> tuple[object, threading.Thread, int]:
    server = make_server(None, port=0, host="127.0.0.1", signing_secret=None, web=app)
    thread = threading.Thread(target=serve, args=(server,), daemon=True)
    thread.start()
    return server, thread, server.effective_port


def get(
    conn: http.client.HTTPConnection, path: str, headers: dict[str, str] | None = None
) -> tuple[float, int, bytes, object]:
    started = time.perf_counter()
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    return (time.perf_counter() - started) * 1000, response.status, body, response.headers


def bare_site(bodies: dict[str, tuple[bytes, str, dict]]) -> Flask:
    """The baseline: the same paths answered with bytes prepared in advance."""
    app = Flask("bare")

    def answer(path: str) -> Response:
        body, mimetype, headers = bodies[path]
        return Response(body, mimetype=mimetype, headers=headers)

    for number, path in enumerate(bodies):
        app.add_url_rule(path.split("?")[0], f"p{number}", lambda path=path: answer(path))
    return app


def measure(
    conn, timed: Timed, path: str, n: int, headers=None, expect: int = 200
) -> tuple[list[float], list[float], int]:
    servers, trips, size = [], [], 0
    for _ in range(n):
        trip, status, body, _ = get(conn, path, headers)
        if status != expect:
            raise SystemExit(f"{path} answered {status}: {body[:200]!r}")
        servers.append(timed.last_ms)
        trips.append(trip)
        size = len(body)
    return servers, trips, size


def touch_one_event(db, event_id: int) -> None:
    """What an edit does to the feed's version: the event's sequence rises."""
    with db.session() as session:
        event = session.get(Event, event_id)
        event.sequence += 1
        event.updated_at = utcnow()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="PostgreSQL URL (its schema is dropped); default: a temp SQLite file")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--cold", type=int, default=5, help="cold feed renders to time")
    args = parser.parse_args()
    threading.Timer(WALL_CLOCK_LIMIT, lambda: os._exit(3)).start()
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        url = normalize_database_url(args.database) if args.database else f"sqlite:///{tmp}/bench.db"
        db = fresh_database(url)
        now = utcnow()
        started = time.perf_counter()
        seed_events(db, now, args.events, other_teams=OTHER_TEAMS, public_upcoming=True)
        if not db.is_sqlite:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE events"))
        with db.read() as session:
            some_id = session.scalar(
                select(Event.id).where(Event.team_id == TEAM_ID).order_by(Event.id.desc()).limit(1)
            )
        print(
            f"seeded {args.events:,} public upcoming events (+{args.events:,} over {OTHER_TEAMS} teams) "
            f"on {db.engine.dialect.name} in {time.perf_counter() - started:.1f}s"
        )

        settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": url})
        services = make_services(settings, db)
        ours = Timed(create_site(settings, services, {"team_id": TEAM_ID}))  # what auth.test says
        server, thread, port = serve_wsgi(ours)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        paths = [p.format(id=some_id) for p in PATHS]

        # The first request of all renders every event of the feed; the first after an edit,
        # only the event that changed.
        first_server, first_trip, _ = measure(conn, ours, "/calendar.ics", 1)
        cold_server, cold_trip = [], []
        for _ in range(args.cold):
            touch_one_event(db, some_id)
            servers, trips, _ = measure(conn, ours, "/calendar.ics", 1)
            cold_server += servers
            cold_trip += trips

        bodies = {}
        results: dict[str, tuple] = {}
        for path in paths:
            get(conn, path)  # warm: templates compiled, the feed's body cached
            _, _, body, headers = get(conn, path)
            bodies[path] = (body, headers["Content-Type"].split(";")[0], {})
            results[path] = measure(conn, ours, path, args.n)
        _, _, gz, gz_headers = get(conn, "/calendar.ics", {"Accept-Encoding": "gzip"})
        results["/calendar.ics (gzip)"] = measure(conn, ours, "/calendar.ics", args.n, {"Accept-Encoding": "gzip"})
        etag = gz_headers["ETag"]
        results["/calendar.ics (304)"] = measure(
            conn, ours, "/calendar.ics", args.n, {"If-None-Match": etag}, expect=304
        )
        conn.close()

        bodies["/calendar.ics (gzip)"] = (gz, "text/calendar", {"Content-Encoding": "gzip"})
        bare = Timed(bare_site({path: bodies[path] for path in paths}))
        bare_server, bare_thread, bare_port = serve_wsgi(bare)
        bare_conn = http.client.HTTPConnection("127.0.0.1", bare_port, timeout=60)
        bare_results = {path: measure(bare_conn, bare, path, args.n) for path in paths}
        bare_conn.close()

        print(
            f"\n{'path':34} {'server ms':>10} {'p95':>7} {'round trip':>11} {'bare server':>12} {'bare trip':>10} {'bytes':>10}"
        )
        passed = True
        for path, (servers, trips, size) in results.items():
            bare_servers, bare_trips, _ = bare_results.get(path, ([], [], 0))
            median = statistics.median(servers)
            print(
                f"{path:34} {median:10.2f} {_p95(servers):7.2f} {statistics.median(trips):11.2f} "
                f"{_median(bare_servers):>12} {_median(bare_trips):>10} {size:10,}"
            )
            if path.split("?")[0] in ("/events", "/calendar.ics") and median > TARGET_MS:
                passed = False
        print(
            f"{'/calendar.ics, first after an edit':34} {statistics.median(cold_server):10.2f} {max(cold_server):7.2f} "
            f"{statistics.median(cold_trip):11.2f}   (median and slowest of {args.cold})"
        )
        print(
            f"{'/calendar.ics, first of all':34} {first_server[0]:10.2f} {'':7} {first_trip[0]:11.2f}   "
            f"(renders all {args.events:,} events)"
        )
        print(
            f"\ntarget: /events and /calendar.ics under {TARGET_MS:.0f} ms of server time (median, warm): "
            f"{'met' if passed else 'NOT met'}"
        )
        stop(server)
        stop(bare_server)
        db.dispose()
    os._exit(0 if passed else 1)


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "-"


if __name__ == "__main__":
    main()
