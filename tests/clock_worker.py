"""Test-only entry point: one clock tick (queue due work, deliver it) in its own process, at an
injected time, or by the database's time as in production with this process's own clock off by
`--clock-off-hours`:

    python tests/clock_worker.py --database URL --slack-url URL --now 2026-11-21T15:00:00+00:00
    python tests/clock_worker.py --database URL --slack-url URL --clock-off-hours 2

The injected times exist only here, never in production settings. Prints a JSON summary; logs go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime, timedelta

from bot.app import make_client
from bot.settings import load_settings
from services import Services
from services.delivery import Deliverer
from services.runtime import DatabaseClock
from services.schedule import queue_due_work
from storage import Database
from timemath import utcnow


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--slack-url", required=True)
    parser.add_argument("--now", type=datetime.fromisoformat)
    parser.add_argument("--clock-off-hours", type=float, default=0.0)
    parser.add_argument("--channel-interval", type=float, default=None)
    args = parser.parse_args()
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": args.slack_url, "DATABASE_URL": args.database},
        require_signing_secret=False,
    )
    db = Database(settings.database_url)
    options = {} if args.channel_interval is None else {"channel_interval": args.channel_interval}
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    off = timedelta(hours=args.clock_off_hours)
    services = Services(
        db=db, now=(lambda: args.now) if args.now else DatabaseClock(db, process_clock=lambda: utcnow() + off)
    )
    services.now()
    queue_due_work(services)
    report = Deliverer(services, make_client(settings), **options).run_once()
    json.dump({"sent": report["sent"], "retrying": report["pending"], "posts": len(report.posts)}, sys.stdout)
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
