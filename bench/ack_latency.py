"""Ack latency of `/event list` and `/event new`: organizer-bot against a bare Bolt app.

In one run, on loopback only, against one fake Slack Web API (tests/fakeslack.py):

- organizer-bot is started as production starts it: load_settings(), Database.upgrade(),
  create_app(), make_server() + serve() (waitress), with ~30 upcoming events in a temp SQLite file;
- a bare Bolt app (Bolt defaults: 5-thread listener pool) answers `/event` with the same
  Slack work (list: ~14 blocks from an in-memory list; new: ack, users.info, views.open),
  served by the same make_server(), so only the app differs;
- each app gets a warm-up, N sequential signed slash commands of each kind (time from
  sending the request to reading the HTTP response = the ack), and bursts of 50 concurrent
  `/event new` released together, once with an instant fake Slack and once with every Web
  API call delayed by --slack-latency-ms (default 300 ms, a realistic Slack round trip).

Targets (from the issue): median ack of `/event list` and `/event new` within 1.5x of the
bare app; all 50 commands of a burst acked within 3 s (Slack's ack deadline).
Exit status 0 when every target passes, 1 otherwise.

    .venv/bin/python bench/ack_latency.py [--n 200] [--burst 50] [--slack-latency-ms 300]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import logging
import math
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bare_bolt import bare_app  # noqa: E402
from slack_bolt import App  # noqa: E402

from bot.app import Transport, create_app, make_services  # noqa: E402
from bot.server import SLACK_PATH, make_server, serve  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from driver import sign  # noqa: E402
from fakeslack import TEAM_ID, FakeSlack  # noqa: E402
from storage import Database  # noqa: E402
from storage.models import Event  # noqa: E402
from timemath import utcnow  # noqa: E402

SECRET = "bench-signing-secret"
OURS_TOKEN = "xoxb-bench"
BARE_TOKEN = "xoxb-bench-bare"  # a different token tells the two apps' Web API calls apart in the fake
ACK_DEADLINE = 3.0  # seconds Slack waits for a slash command's HTTP response
TARGET_RATIO = 1.5
WALL_CLOCK_LIMIT = 110.0  # the run is killed past this, whatever it is doing
_trigger_ids = itertools.count(1)


# --- a fake Slack that answers slowly ----------------------------------------------------


class SlowFakeSlack(FakeSlack):
    """FakeSlack that also records when each views.open *arrives* (Slack checks a trigger_id
    on arrival; trigger_ids expire 3 s after the command) and counts calls per token."""

    def __init__(self) -> None:
        super().__init__()
        self._arrivals_lock = threading.Lock()
        self.views_open_arrival: dict[str, float] = {}  # trigger_id -> time.monotonic()
        self.counts: dict[tuple[str | None, str], int] = {}  # (token, method) -> calls

    def _handle(self, method, args, token):
        with self._arrivals_lock:
            self.counts[(token, method)] = self.counts.get((token, method), 0) + 1
            if method == "views.open":
                self.views_open_arrival[str(args.get("trigger_id"))] = time.monotonic()
        return super()._handle(method, args, token)

    def count(self, token: str, method: str) -> int:
        with self._arrivals_lock:
            return self.counts.get((token, method), 0)


# --- the two apps ------------------------------------------------------------------------


def seed_events(db: Database, count: int = 30) -> None:
    now = utcnow()
    cities = [("Springdale", "AR"), ("Denver", "CO"), ("Fresno", "CA"), ("Tulsa", "OK"), ("Dayton", "OH")]
    with db.session() as session:
        for i in range(count):
            starts = (now + timedelta(days=1 + i, hours=i % 7)).replace(minute=0, second=0, microsecond=0)
            city, state = cities[i % len(cities)]
            session.add(
                Event(
                    team_id=TEAM_ID,
                    title=f"{city}: #WeAreAllAmerica Rally {i + 1}",
                    event_type="rally",
                    all_day=False,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    timezone="America/New_York",
                    city=city,
                    state=state,
                    created_by="U1",
                    created_at=now,
                    updated_at=now,
                    is_public=True,
                )
            )


def start_ours(fake: FakeSlack, database_url: str):
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": OURS_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": database_url,
        }
    )
    db = Database(settings.database_url)
    db.upgrade()
    seed_events(db)
    return create_app(settings, make_services(settings, db), transport=Transport.HTTP), db, settings


def start_bare(fake: FakeSlack) -> App:
    return bare_app(fake.api_url, BARE_TOKEN, SECRET)


# --- HTTP side ---------------------------------------------------------------------------


@dataclass
class Served:
    name: str
    token: str
    server: object
    thread: threading.Thread
    port: int
    news_sent: int = 0  # `/event new` commands sent, to know how many views.open to wait for
    first_ms: float = 0.0
    list_ms: list[float] = field(default_factory=list)
    new_ms: list[float] = field(default_factory=list)
    bursts: dict[str, dict] = field(default_factory=dict)
    list_blocks: int = 0
    list_bytes: int = 0


def serve_app(name: str, token: str, app: App) -> Served:
    server = make_server(app, port=0, host="127.0.0.1", signing_secret=SECRET)  # production's defaults otherwise
    thread = threading.Thread(target=serve, args=(server,), name=f"waitress-{name}", daemon=True)
    thread.start()
    return Served(name, token, server, thread, server.effective_port)


def command_body(fake: FakeSlack, text: str, team_id: str = TEAM_ID) -> str:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": team_id,
            "team_domain": "test",
            "channel_id": "C1",
            "channel_name": "general",
            "user_id": "U1",
            "user_name": "u1",
            "command": "/event",
            "text": text,
            "api_app_id": "A0TEST",
            "response_url": fake.response_url("command"),
            "trigger_id": f"trigger.{next(_trigger_ids)}",
        }
    )


def trigger_of(body: str) -> str:
    return urllib.parse.parse_qs(body)["trigger_id"][0]


def send(conn: http.client.HTTPConnection, body: str) -> tuple[float, int, bytes]:
    """POST a signed command on a kept-alive connection; (seconds to the response, status, body)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret=SECRET)}
    start = time.perf_counter()
    conn.request("POST", SLACK_PATH, body=body.encode(), headers=headers)
    response = conn.getresponse()
    payload = response.read()
    return time.perf_counter() - start, response.status, payload


def sequential(fake: FakeSlack, app: Served, text: str, n: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    try:
        out = []
        for _ in range(n):
            elapsed, status, payload = send(conn, command_body(fake, text))
            if status != 200:
                raise SystemExit(f"{app.name}: /event {text} answered HTTP {status}: {payload[:200]!r}")
            out.append(elapsed * 1000)
            if text == "new":
                app.news_sent += 1
        return out
    finally:
        conn.close()


def release_together(one: Callable[[int], None], size: int, barrier: threading.Barrier, timeout: float) -> float:
    """Run one(0) ... one(size - 1) on their own threads, each waiting at `barrier` once ready,
    release them all at once and wait (up to `timeout`) for them; returns the release instant."""
    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(size)]
    for thread in threads:
        thread.start()
    barrier.wait()
    released = time.monotonic()
    for thread in threads:
        thread.join(timeout=timeout)
    return released


def burst(fake: SlowFakeSlack, app: Served, size: int) -> dict:
    """`size` concurrent `/event new`, each on its own connection, released by one Barrier."""
    barrier = threading.Barrier(size + 1, timeout=10)
    results: list[tuple[float, float, int, str] | None] = [None] * size  # (sent, acked, status, trigger)
    errors: list[str] = []

    def one(i: int) -> None:
        body = command_body(fake, "new")
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret=SECRET)}
        conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=15)
        conn.connect()
        barrier.wait()
        sent = time.monotonic()
        try:
            conn.request("POST", SLACK_PATH, body=body.encode(), headers=headers)
            response = conn.getresponse()
            response.read()
            results[i] = (sent, time.monotonic(), response.status, trigger_of(body))
        except Exception as error:  # noqa: BLE001 - reported, not raised
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            conn.close()

    released = release_together(one, size, barrier, timeout=20)
    app.news_sent += size
    done = [r for r in results if r is not None]
    acks = [(acked - sent) for sent, acked, status, _ in done if status == 200]
    statuses = sorted({status for _, _, status, _ in done})
    # When did each modal's views.open reach Slack, counted from the command's release?
    wait_for_modals(fake, app, timeout=20)
    opened = [fake.views_open_arrival.get(trigger) for *_, trigger in done]
    modal_delays = [o - released for o in opened if o is not None]
    return {
        "acked_in_time": sum(1 for a in acks if a <= ACK_DEADLINE),
        "size": size,
        "max_ack_ms": max(((acked - sent) for sent, acked, *_ in done), default=float("nan")) * 1000,
        "median_ack_ms": statistics.median(acks) * 1000 if acks else float("nan"),
        "statuses": statuses,
        "errors": errors,
        "modals_in_time": sum(1 for d in modal_delays if d <= ACK_DEADLINE),
        "last_modal_ms": max(modal_delays, default=float("nan")) * 1000,
    }


def wait_for_modals(fake: SlowFakeSlack, app: Served, timeout: float) -> None:
    """Let the app finish its post-ack work (one views.open per `/event new`) before the next phase."""
    deadline = time.monotonic() + timeout
    while fake.count(app.token, "views.open") < app.news_sent and time.monotonic() < deadline:
        time.sleep(0.02)


# --- report ------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def report(ours: Served, bare: Served, fake: SlowFakeSlack, elapsed: float) -> bool:
    rows: list[tuple[str, str, str, str]] = []

    def ms_row(label: str, a: float, b: float) -> None:
        rows.append((label, f"{a:.1f} ms", f"{b:.1f} ms", ratio(a, b)))

    ms_row("first request, cold (/event list)", ours.first_ms, bare.first_ms)
    rows.append(
        (
            "auth.test calls to Slack",
            str(fake.count(OURS_TOKEN, "auth.test")),
            str(fake.count(BARE_TOKEN, "auth.test")),
            "",
        )
    )
    rows.append(
        (
            "/event list reply (blocks / bytes)",
            f"{ours.list_blocks} / {ours.list_bytes}",
            f"{bare.list_blocks} / {bare.list_bytes}",
            "",
        )
    )
    for label, attr in (("/event list", "list_ms"), ("/event new", "new_ms")):
        a, b = getattr(ours, attr), getattr(bare, attr)
        ms_row(f"{label} median (n={len(a)})", statistics.median(a), statistics.median(b))
        ms_row(f"{label} p90", pct(a, 90), pct(b, 90))
        ms_row(f"{label} p99", pct(a, 99), pct(b, 99))
        ms_row(f"{label} min", min(a), min(b))
    for title in ours.bursts:
        o, b = ours.bursts[title], bare.bursts[title]
        rows.append(
            (
                f"burst {title}: acked <= 3 s",
                f"{o['acked_in_time']}/{o['size']}",
                f"{b['acked_in_time']}/{b['size']}",
                "",
            )
        )
        ms_row(f"burst {title}: median ack", o["median_ack_ms"], b["median_ack_ms"])
        ms_row(f"burst {title}: max ack", o["max_ack_ms"], b["max_ack_ms"])
        rows.append(
            (f"burst {title}: HTTP statuses", ",".join(map(str, o["statuses"])), ",".join(map(str, b["statuses"])), "")
        )
        rows.append(
            (
                f"burst {title}: views.open <= 3 s",
                f"{o['modals_in_time']}/{o['size']}",
                f"{b['modals_in_time']}/{b['size']}",
                "",
            )
        )
        ms_row(f"burst {title}: last views.open", o["last_modal_ms"], b["last_modal_ms"])

    header = ("metric", "organizer-bot", "bare Bolt", "ratio")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    line = lambda r: f"{r[0]:<{widths[0]}} | {r[1]:>{widths[1]}} | {r[2]:>{widths[2]}} | {r[3]:>{widths[3]}}"  # noqa: E731
    print()
    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print()

    ok = True
    for label, attr in (("/event list", "list_ms"), ("/event new", "new_ms")):
        a, b = statistics.median(getattr(ours, attr)), statistics.median(getattr(bare, attr))
        passed = a <= TARGET_RATIO * b
        ok &= passed
        print(
            f"{'PASS' if passed else 'FAIL'}: median {label} ack {a:.1f} ms is {a / b:.2f}x the bare app's "
            f"{b:.1f} ms (target <= {TARGET_RATIO}x)"
        )
    for title in ours.bursts:
        o = ours.bursts[title]
        passed = o["acked_in_time"] == o["size"] and not o["errors"]
        ok &= passed
        print(
            f"{'PASS' if passed else 'FAIL'}: burst {title}: organizer-bot acked {o['acked_in_time']}/{o['size']} "
            f"within {ACK_DEADLINE:.0f} s (max {o['max_ack_ms']:.0f} ms)"
        )
        for side in (ours, bare):
            for error in side.bursts[title]["errors"][:3]:
                print(f"      {side.name} client error: {error}")
    print(f"(total run {elapsed:.1f} s; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    return ok


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="sequential commands of each kind per app (200)")
    parser.add_argument("--warmup", type=int, default=10, help="warm-up commands of each kind per app (10)")
    parser.add_argument("--burst", type=int, default=50, help="concurrent /event new per burst (50)")
    parser.add_argument(
        "--slack-latency-ms",
        type=float,
        default=300,
        help="latency of every fake Web API call in the slow burst; 0 skips it (300)",
    )
    parser.add_argument("--verbose", action="store_true", help="show Bolt's warnings (ack timeouts)")
    args = parser.parse_args()

    started = time.monotonic()
    watchdog = threading.Timer(
        WALL_CLOCK_LIMIT,
        lambda: (print(f"bench: over {WALL_CLOCK_LIMIT:.0f} s, giving up", file=sys.stderr, flush=True), os._exit(2)),
    )
    watchdog.daemon = True
    watchdog.start()
    # Bare Bolt logs a warning per command it could not ack in 3 s; the table counts them instead.
    logging.basicConfig(level=logging.WARNING if args.verbose else logging.CRITICAL)

    fake = SlowFakeSlack().start()
    fake.add_user("U1", tz="America/Chicago", real_name="Sara Wohlleb", email="sara@example.org")
    with tempfile.TemporaryDirectory(prefix="ack-bench-") as tmp:
        ours_app, db, settings = start_ours(fake, f"sqlite:///{Path(tmp) / 'bench.db'}")
        ours = serve_app("organizer-bot", OURS_TOKEN, ours_app)
        bare = serve_app("bare Bolt", BARE_TOKEN, start_bare(fake))
        apps = (ours, bare)
        print(
            f"fake Slack {fake.api_url}; organizer-bot :{ours.port} (listener_threads={settings.listener_threads}); "
            f"bare Bolt :{bare.port} (Bolt's default 5 listener threads); waitress threads=16 for both"
        )
        try:
            for app in apps:  # cold first request, then warm-up
                conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
                elapsed, status, payload = send(conn, command_body(fake, "list"))
                conn.close()
                if status != 200 or b"Upcoming events" not in payload:
                    raise SystemExit(f"{app.name}: /event list answered HTTP {status}: {payload[:300]!r}")
                app.first_ms = elapsed * 1000
                app.list_bytes = len(payload)
                app.list_blocks = len(json.loads(payload)["blocks"])
                sequential(fake, app, "list", args.warmup)
                sequential(fake, app, "new", args.warmup)
                wait_for_modals(fake, app, timeout=10)
                if fake.count(app.token, "views.open") < app.news_sent:
                    raise SystemExit(f"{app.name}: /event new did not open the modal")
            print(f"measuring {args.n} sequential /event list and /event new per app...", flush=True)
            for text, attr in (("list", "list_ms"), ("new", "new_ms")):
                for app in apps:
                    setattr(app, attr, sequential(fake, app, text, args.n))
                    wait_for_modals(fake, app, timeout=10)
            latencies = [0.0] + ([args.slack_latency_ms / 1000] if args.slack_latency_ms > 0 else [])
            for latency in latencies:
                fake.latency = latency
                title = f"{args.burst}x /event new, Slack {latency * 1000:.0f} ms"
                for app in apps:
                    print(f"burst: {title} -> {app.name}...", flush=True)
                    app.bursts[title] = burst(fake, app, args.burst)
            fake.latency = 0.0
        finally:
            for app in apps:
                app.server.close()
                app.thread.join(timeout=5)
            db.dispose()
            fake.stop()
    ok = report(ours, bare, fake, time.monotonic() - started)
    watchdog.cancel()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
