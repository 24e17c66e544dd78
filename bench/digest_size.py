"""What a person reads: the demo's week of action (services.imports.load_demo, the Day of Action's
listings moved to coming dates, announced in one channel) as the channel's digest, and the
share of its events with a place.

Prints the events in the digest, its messages and their characters (every text a reader sees,
mrkdwn as sent: links and date tokens included), and how many of the demo's events have
coordinates (so `/event near` and the public map find them).

    .venv/bin/python bench/digest_size.py [--database postgresql://...] [--public-base-url https://...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import select  # noqa: E402

from bot.settings import normalize_database_url  # noqa: E402
from eventseed import fresh_database  # noqa: E402
from messages import digest as render  # noqa: E402
from messages.links import PublicLinks  # noqa: E402
from services import imports  # noqa: E402
from services.runtime import Services  # noqa: E402
from storage import campaigns as campaign_store  # noqa: E402
from storage import events as event_store  # noqa: E402
from storage.models import Event  # noqa: E402
from timemath import UTC, local_date  # noqa: E402

TEAM_ID = "T0BENCH"
CHANNEL = "C_WEEK"
TIMEZONE = "America/Chicago"
NOW = datetime(2026, 11, 21, 14, tzinfo=UTC)  # a Saturday, 08:00 in Chicago: the digest's usual hour


def texts(block: dict) -> list[str]:
    """Every text of a block that a reader sees."""
    found = []
    if isinstance(block.get("text"), dict):
        found.append(block["text"]["text"])
    for element in block.get("elements", []):
        found += (
            texts(element)
            if "elements" in element or "text" in element and isinstance(element["text"], dict)
            else ([element["text"]] if isinstance(element.get("text"), str) else [])
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (its schema is dropped); default: a temporary SQLite file")
    parser.add_argument("--public-base-url", help="PUBLIC_BASE_URL, for the digest's link to the full list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digest-size-") as tmp:
        db = fresh_database(normalize_database_url(args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"))
        links = PublicLinks(args.public_base_url.rstrip("/")) if args.public_base_url else None
        services = Services(db=db, now=lambda: NOW, default_timezone=TIMEZONE, links=links)
        report = imports.load_demo(services, TEAM_ID, "U1", channel_id=CHANNEL)
        with db.read() as session:
            saved = list(session.scalars(select(Event).where(Event.team_id == TEAM_ID)))
            placed = sum(1 for event in saved if event.latitude is not None)
            start = NOW
            # the demo's whole week of action (its days spread over a little more than 7), in one digest
            week = event_store.events_between(session, TEAM_ID, start, start + timedelta(days=30), channel_id=CHANNEL)
            campaigns = campaign_store.by_slug(session, TEAM_ID, (e.campaign_slug for e in week))
        db.dispose()
    for event in week:  # as the delivery worker leaves them once their cards are posted
        event.permalink = f"https://example.slack.com/archives/{CHANNEL}/p{1_795_000_000_000_000 + event.id * 100}"
    messages = render.digest_messages(week, today=local_date(start, TIMEZONE), quiet=False, campaigns=campaigns)
    sizes = [sum(len(text) for block in blocks for text in texts(block)) for _, blocks in messages]
    print(
        f"demo: {len(report.saved)} events saved, {len(report.unreadable)} left out; "
        f"{placed} of {len(saved)} with a place ({placed / max(1, len(saved)):.0%})"
    )
    print(
        f"digest of {len(week)} events: {len(messages)} message(s) of {', '.join(f'{s:,}' for s in sizes)} characters "
        f"({sum(sizes):,} in all)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
