"""Helpers for scheduling tests: events straight into storage, a clock tick on the fake Slack."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select

from bot.app import make_client
from bot.settings import load_settings
from environment import scaled
from services import Services
from services.delivery import Deliverer, Report
from services.schedule import queue_due_work
from storage import Database, rsvps
from storage import reminders as reminder_store
from storage.models import Event, OutboxMessage, Reminder


def client_for(slack):
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": slack.api_url}, require_signing_secret=False
    )
    return make_client(settings)


class ClockTick:
    """One tick of the clock as `organizer-bot clock` runs it: queue due work, then deliver it."""

    def __init__(self, services: Services, deliverer: Deliverer, *, settle: bool = True) -> None:
        self.services, self.deliverer, self.settle = services, deliverer, settle

    def run_once(self) -> Report:
        """Tick, then wait until nothing due is left in flight: a test that also runs the bot has
        its background worker, which may have picked up part of what this tick queued."""
        queue_due_work(self.services)
        report = self.deliverer.run_once()
        if self.settle:
            wait_until(lambda: not _in_flight(self.services))
        return report


def _in_flight(services: Services) -> bool:
    now = services.now()
    with services.db.read() as session:
        claimed = OutboxMessage.status == "claimed"
        due = (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now)
        return session.scalar(select(OutboxMessage.id).where(claimed | due).limit(1)) is not None


def dispatcher(slack, db: Database, clock, *, settle: bool = True, **options) -> ClockTick:
    """`settle=False` for a test that leaves a claim in flight on purpose (a dead process's)."""
    options.setdefault("channel_interval", 0.0)  # tests that check spacing ask for it
    services = Services(db=db, now=clock)
    return ClockTick(services, Deliverer(services, client_for(slack), **options), settle=settle)


def add_event(
    db: Database,
    now: datetime,
    starts_at: datetime,
    *,
    channel: str = "C1",
    tz: str = "America/New_York",
    title: str = "Vigil for families",
    event_type: str = "prayer_vigil",
    kinds=("1h",),
    message_ts: str | None = "1700000000.000001",
    permalink: str | None = None,
    going=(),
    team_id: str = "T0TEST",
) -> int:
    with db.session() as session:
        event = Event(
            team_id=team_id,
            title=title,
            event_type=event_type,
            all_day=False,
            starts_at=starts_at,
            timezone=tz,
            city="Springdale",
            state="AR",
            address="1 Main St",
            is_public=True,
            channel_id=channel,
            message_ts=message_ts,
            permalink=permalink,
            created_by="U1",
            created_at=now,
            updated_at=now,
        )
        session.add(event)
        session.flush()
        reminder_store.schedule_reminders(session, event, kinds, now)
        for user in going:
            rsvps.set_rsvp(session, event, user, True, now)
        return event.id


def reminders(db: Database, event_id: int | None = None) -> list[Reminder]:
    with db.session() as session:
        if event_id is None:
            return list(session.scalars(select(Reminder).order_by(Reminder.id)))
        return reminder_store.reminders_of(session, event_id)


def outbox_rows(db: Database, kind: str | None = None) -> list[OutboxMessage]:
    with db.read() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        return list(session.scalars(query.where(OutboxMessage.kind == kind) if kind else query))


def by_kind(rows, recipient_type="channel") -> dict[str, Reminder]:
    return {r.kind: r for r in rows if r.recipient_type == recipient_type}


def wait_until(condition, timeout: float = 5.0) -> None:
    import time

    deadline = time.monotonic() + scaled(timeout)
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


def announced(db: Database, event_id: int = 1, timeout: float = 5.0) -> None:
    """Wait until the card's ts is stored (the app stores it just after chat.postMessage returns)."""
    import time

    deadline = time.monotonic() + scaled(timeout)
    while time.monotonic() < deadline:
        with db.session() as session:
            if session.get(Event, event_id).message_ts:
                return
        time.sleep(0.01)
    raise AssertionError(f"event {event_id} was never announced")


def seed_due_reminders(
    db: Database,
    now: datetime,
    events: int,
    channels: int,
    *,
    with_dms: bool = False,
    cards: bool = True,
    first_id: int = 1,
    teams: list[str] | None = None,
) -> None:
    """`events` events starting in an hour, each with a 1-hour channel reminder due `now`
    (and, with `with_dms`, an RSVP's DM due too), inserted in bulk, with ids from `first_id`.
    With `cards`, each event has a card ts (so channel reminders are thread replies); without,
    they go top level. With `teams`, events take turns among those teams (T0TEST otherwise)."""
    start = now + timedelta(hours=1)
    ids = range(first_id, first_id + events)
    teams = teams or ["T0TEST"]
    with db.session() as session:
        session.execute(
            insert(Event),
            [
                dict(
                    id=n,
                    team_id=teams[n % len(teams)],
                    title=f"Event {n}",
                    event_type="rally",
                    all_day=False,
                    starts_at=start,
                    timezone="America/Chicago",
                    is_public=True,
                    channel_id=f"C{n % channels}",
                    message_ts=f"1700000000.{n:06d}" if cards else None,
                    created_by="U1",
                    created_at=now,
                    updated_at=now,
                )
                for n in ids
            ],
        )
        rows = []
        for n in ids:
            recipients = [("channel", f"C{n % channels}")] + ([("user", f"U{n}")] if with_dms else [])
            rows += [
                dict(
                    team_id=teams[n % len(teams)],
                    event_id=n,
                    kind="1h",
                    recipient_type=kind,
                    recipient=recipient,
                    status="pending",
                    due_at=now,
                    next_attempt_at=now,
                    attempts=0,
                    created_at=now,
                )
                for kind, recipient in recipients
            ]
        session.execute(insert(Reminder), rows)
