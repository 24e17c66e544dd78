"""Public sign-up at 10,000 events, and emails through the outbox against a bare smtplib loop.

In one run, on loopback only:

1. organizer-bot's public site as production serves it (create_site() behind waitress), its
   team holding 10,000 upcoming public events (tests/eventseed.py) and as many over 50 other
   teams: the event page with its form, the sign-up POST (303), the sign-up's own page and
   its cancel POST, each --n times; server time measured inside the server (a WSGI wrapper).
2. --emails sign-ups' confirmations sent by the outbox's worker (Deliverer.run_once, as the
   clock runs it) to a real SMTP server on loopback (aiosmtpd, in this process), then the same
   messages sent by a bare smtplib loop: built then sent on one connection, and built in
   advance, sent on a connection per message (as the worker does) and on one for all.
   Emails per second of each.

    .venv/bin/python bench/signups.py [--database postgresql://...] [--events 10000] [--n 50] [--emails 300]
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import re
import smtplib
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from public_pages import Timed, _p95, get, serve_wsgi  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

import web.site  # noqa: E402
from bot.app import create_site, make_client, make_services  # noqa: E402
from bot.server import stop  # noqa: E402
from bot.settings import load_settings, normalize_database_url  # noqa: E402
from eventseed import fresh_database, seed_events  # noqa: E402
from fakeslack import TEAM_ID  # noqa: E402
from messages import emails  # noqa: E402
from services import signups  # noqa: E402
from services.delivery import Deliverer  # noqa: E402
from smtpserver import SmtpServer  # noqa: E402
from storage.models import Event, OutboxMessage, Signup  # noqa: E402
from timemath import utcnow  # noqa: E402

WALL_CLOCK_LIMIT = 600.0


def post(conn: http.client.HTTPConnection, path: str, fields: dict[str, str]) -> tuple[float, int, bytes, object]:
    started = time.perf_counter()
    conn.request("POST", path, body=urlencode(fields), headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    body = response.read()
    return (time.perf_counter() - started) * 1000, response.status, body, response.headers


def token_in(body: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()


def pages(url: str, args) -> None:
    db = fresh_database(url)
    now = utcnow()
    seed_events(db, now, args.events, other_teams=50, public_upcoming=True)
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    with db.read() as session:
        event_id = session.scalar(select(Event.id).where(Event.team_id == TEAM_ID).order_by(Event.id.desc()).limit(1))
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": url})
    services = make_services(settings, db)
    web.site.SIGNUPS_PER_CLIENT = 10 * args.n  # one client sends every sign-up of the bench
    timed = Timed(create_site(settings, services, {"team_id": TEAM_ID}))
    server, _thread, port = serve_wsgi(timed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    page = f"/events/{event_id}"
    get(conn, page)  # templates compiled
    rows = {
        name: []
        for name in (
            "GET event page, before any sign-up",
            "GET event page (form)",
            "POST sign-up (303)",
            "GET own page",
            "POST cancel (303)",
        )
    }
    for _ in range(args.n):
        get(conn, page)
        rows["GET event page, before any sign-up"].append(timed.last_ms)
    for number in range(args.n):
        _, status, body, _ = get(conn, page)
        rows["GET event page (form)"].append(timed.last_ms)
        fields = {
            "name": f"Person {number}",
            "email": f"person{number}@example.org",
            "zip": "95356",
            "phone": "",
            "csrf_token": token_in(body),
        }
        _, status, body, headers = post(conn, f"{page}/signup", fields)
        assert status == 303, (status, body[:300])
        rows["POST sign-up (303)"].append(timed.last_ms)
        own = headers["Location"]
        _, status, body, _ = get(conn, own)
        rows["GET own page"].append(timed.last_ms)
        _, status, _, _ = post(conn, own + "/cancel", {"csrf_token": token_in(body)})
        assert status == 303
        rows["POST cancel (303)"].append(timed.last_ms)
    conn.close()
    stop(server)
    print(
        f"\n{args.events:,} public upcoming events (+{args.events:,} over 50 teams) on {db.engine.dialect.name}, n={args.n}"
    )
    print(f"{'request':36} {'server ms':>10} {'p95':>7}")
    for name, values in rows.items():
        print(f"{name:36} {statistics.median(values):10.2f} {_p95(values):7.2f}")
    db.dispose()


def mail(url: str, args) -> None:
    db = fresh_database(url)
    now = utcnow()
    seed_events(db, now, 10, public_upcoming=True)
    with SmtpServer() as smtp:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "s",
            "DATABASE_URL": url,
            "SMTP_URL": smtp.url,
            "EMAIL_FROM": "Coalition events <events@example.org>",
        }
        settings = load_settings(env)
        services = make_services(settings, db)
        with db.read() as session:
            event_ids = list(session.scalars(select(Event.id).where(Event.team_id == TEAM_ID)))
        for number in range(args.emails):  # at most 5 an hour per address: each its own
            answers = signups.Answers(name=f"Person {number}", email=f"person{number}@example.org")
            signup = signups.sign_up(services, TEAM_ID, event_ids[number % len(event_ids)], answers, "en")
            assert not isinstance(signup, signups.Refused), signup
        deliverer = Deliverer(services, make_client(settings), workers=args.workers)
        started = time.perf_counter()
        while len(smtp.received) < args.emails:
            deliverer.run_once()
        outbox_seconds = time.perf_counter() - started
        with db.read() as session:
            sent = session.scalar(
                select(text("count(*)"))
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind == "email", OutboxMessage.status == "sent")
            )
        # The same messages sent bare: built as the worker builds them, then built in advance.
        started = time.perf_counter()
        messages = _built(services, args.emails)
        with smtplib.SMTP("127.0.0.1", smtp.port) as connection:
            for message in messages:
                connection.send_message(message)
        built_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for message in messages:
            with smtplib.SMTP("127.0.0.1", smtp.port) as connection:
                connection.ehlo()
                connection.send_message(message)
        per_message_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", smtp.port) as connection:
            for message in messages:
                connection.send_message(message)
        one_connection_seconds = time.perf_counter() - started
    print(
        f"\n{args.emails} confirmation emails to aiosmtpd on loopback ({db.engine.dialect.name}); outbox rows sent: {sent}"
    )
    print(f"{'sender':46} {'seconds':>8} {'emails/s':>9}")
    for name, seconds in (
        ("outbox worker (render + send + record)", outbox_seconds),
        ("bare: build each message, one connection", built_seconds),
        ("bare smtplib, a connection per message", per_message_seconds),
        ("bare smtplib, one connection for all", one_connection_seconds),
    ):
        print(f"{name:46} {seconds:8.2f} {args.emails / seconds:9.1f}")
    db.dispose()


def _built(services, count: int) -> list:
    """The confirmations as the worker builds them, for the bare loops to send."""
    with services.db.read() as session:
        people = list(session.scalars(select(Signup).limit(count)))
        events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_({p.event_id for p in people})))}
    mailer, now = services.mailer, utcnow()
    return [
        emails.confirmation(
            events[p.event_id],
            p,
            emails.Addressing(
                sender=mailer.sender,
                message_id=mailer.message_id(f"bench:{p.id}"),
                signup_url=f"http://localhost/signups/{p.token}",
                cancel_url=f"http://localhost/signups/{p.token}/cancel",
                event_url=None,
            ),
            now,
        )
        for p in people
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="PostgreSQL URL (its schema is dropped); default: a temp SQLite file")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--emails", type=int, default=300)
    parser.add_argument("--workers", type=int, default=16, help="the worker's posts in flight at once (production: 16)")
    parser.add_argument("--pages-only", action="store_true")
    args = parser.parse_args()
    threading.Timer(WALL_CLOCK_LIMIT, lambda: os._exit(3)).start()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        url = normalize_database_url(args.database) if args.database else f"sqlite:///{tmp}/bench.db"
        pages(url, args)
        if args.pages_only:
            os._exit(0)
        mail(url if args.database else f"sqlite:///{tmp}/mail.db", args)
    os._exit(0)


if __name__ == "__main__":
    main()
