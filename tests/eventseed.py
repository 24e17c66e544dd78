"""Many events at once, for benches and tests: deterministic, inserted in bulk.

`seed_events(db, now, 100_000)` gives one team 100,000 events, half of them already over,
spread over a year either side of `now`, over cities, states and types, with the shapes
`/event list` must handle: timed events with and without an end, all-day and multi-day
events, a few lasting weeks, some cancelled, half of them in a campaign; every 50th only
online. The model places them
by their city and state, as it places every event it inserts. `other_teams` spreads as many
again over that many other teams, so that every query has to pick its team out of a crowd.
`seed_teams` gives many teams a history each (the multi-team case); `seed_week` adds a busy
week of action announced in one channel (the digest's case).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text, update

from fakeslack import TEAM_ID
from storage import Database
from storage.db import UNBOUNDED_STATEMENTS
from storage.models import Event, EventType
from timemath import UTC

PLACES = (
    ("Denver", "CO", "America/Denver"),
    ("Fresno", "CA", "America/Los_Angeles"),
    ("Modesto", "CA", "America/Los_Angeles"),
    ("Springdale", "AR", "America/Chicago"),
    ("Tulsa", "OK", "America/Chicago"),
    ("Dayton", "OH", "America/New_York"),
    ("El Paso", "TX", "America/Denver"),
    ("Houston", "TX", "America/Chicago"),
    ("Miami", "FL", "America/New_York"),
    ("Chicago", "IL", "America/Chicago"),
    ("Atlanta", "GA", "America/New_York"),
    ("Phoenix", "AZ", "America/Phoenix"),
    ("Seattle", "WA", "America/Los_Angeles"),
    ("Boston", "MA", "America/New_York"),
    ("Detroit", "MI", "America/Detroit"),
    ("Raleigh", "NC", "America/New_York"),
    ("Omaha", "NE", "America/Chicago"),
    ("Boise", "ID", "America/Boise"),
    ("Española", "NM", "America/Denver"),
    ("Cañon City", "CO", "America/Denver"),
)
TYPES = tuple(t.value for t in EventType)
# Half the events belong to a campaign: one of the seeds' two dated ones, or a third of the team's own.
CAMPAIGN_SLUGS = ("where-r-the-refugees", None, "we-are-all-america", None, "denver-day-of-action", None)
ONLINE_EVERY = 50  # every 50th event is only online: no place, a link
SPREAD = timedelta(days=365)  # events start up to this long before or after `now`
CHUNK = 10_000  # rows per INSERT batch: bounded memory, few round trips


def fresh_database(url: str) -> Database:
    """A migrated, empty database at `url`; on PostgreSQL its public schema is dropped first."""
    db = Database(url)
    if not db.is_sqlite:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    db.upgrade()
    return db


def asked_as_they_ended(db: Database, now: datetime) -> int:
    """History as a running clock leaves it: the hosts of every event already over were asked
    for its report when it ended (storage.reports). Without this, the seeded events that ended
    in the last two days (~500 at 100k) are all due the question at a process's first tick, and
    that process spends its first minutes sending them. Returns how many events it marked.
    On PostgreSQL, the events are ANALYZEd again afterwards, as autovacuum would."""
    statement = update(Event).where(Event.report_requested_at.is_(None), Event.effective_end <= now)
    # A bulk update of every event over: longer than the listeners' statement timeout allows.
    with db.engine.execution_options(**{UNBOUNDED_STATEMENTS: True}).begin() as connection:
        marked = connection.execute(statement.values(report_requested_at=Event.effective_end)).rowcount
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE events"))
    return marked


def team_ids(count: int) -> list[str]:
    """The ids of the seeded teams other than TEAM_ID."""
    return [f"T{n:04d}" for n in range(count)]


def seed_events(
    db: Database,
    now: datetime,
    count: int,
    *,
    team_id: str = TEAM_ID,
    other_teams: int = 0,
    seed: int = 1,
    public_upcoming: bool = False,
) -> None:
    """`count` events for `team_id` (the first half over before `now`), and `count` more over `other_teams` teams.
    `public_upcoming`: every one of them to come, open to the public and not cancelled (the public pages' load)."""
    rng = random.Random(seed)
    teams = team_ids(other_teams)
    rows = (
        _row(
            rng,
            team_id if n < count else teams[n % len(teams)],
            now,
            past=n % 2 == 0 and not public_upcoming,
            number=n + 1,
        )
        | (dict(is_public=True, cancelled_at=None, cancelled_by=None) if public_upcoming else {})
        for n in range(count * (2 if teams else 1))
    )
    with db.session() as session:
        while chunk := [row for _, row in zip(range(CHUNK), rows, strict=False)]:
            session.execute(Event.__table__.insert(), chunk)  # Core: a third of the ORM's bulk cost


def seed_teams(db: Database, now: datetime, teams: int, per_team: int) -> list[str]:
    """`per_team` events for each of `teams` teams (half of them over, as seed_events gives
    one team), each team with its own mix; returns the teams' ids."""
    ids = team_ids(teams)
    for number, team_id in enumerate(ids):
        seed_events(db, now, per_team, team_id=team_id, seed=100 + number)
    return ids


def seed_week(
    db: Database, now: datetime, count: int, *, channel_id: str, team_id: str = TEAM_ID, seed: int = 2
) -> None:
    """`count` events of `team_id` starting over the coming week (from an hour after `now` to
    six days after, so a digest that starts a little later still holds them all), each
    announced in `channel_id` with its card's permalink, none cancelled: a busy week of action."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        row = _row(rng, team_id, now, past=False, number=n + 1)
        starts_at = now + timedelta(hours=1) + timedelta(days=6) * rng.random()
        starts_at = starts_at.replace(minute=rng.choice((0, 30)), second=0, microsecond=0)
        ts = f"{int(now.timestamp()) - count + n}.000100"
        row.update(
            title=f"{row['title']}: Protect Immigrant Families vigil and rally",
            all_day=False,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            cancelled_at=None,
            cancelled_by=None,
            is_public=True,
            channel_id=channel_id,
            message_ts=ts,
            permalink=f"https://example.slack.com/archives/{channel_id}/p{ts.replace('.', '')}",
        )
        rows.append(row)
    with db.session() as session:
        session.execute(Event.__table__.insert(), rows)


def _row(rng: random.Random, team_id: str, now: datetime, *, past: bool, number: int) -> dict:
    city, state, tz = PLACES[rng.randrange(len(PLACES))]
    offset = SPREAD * rng.random()
    starts_at, ends_at, all_day = _when(rng, now - offset if past else now + offset, tz)
    created = min(now, starts_at) - timedelta(days=7)
    cancelled = rng.random() < 0.02
    online = number % ONLINE_EVERY == 0
    return dict(
        team_id=team_id,
        title=f"{'Online' if online else city}: action {number}",
        event_type=TYPES[rng.randrange(len(TYPES))],
        all_day=all_day,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=tz,
        city=None if online else city,
        state=None if online else state,
        online_url=f"https://example.org/meet/{number}" if online else None,
        is_public=rng.random() < 0.9,
        created_by="U1",
        created_at=created,
        updated_at=created,
        cancelled_at=created if cancelled else None,
        cancelled_by="U1" if cancelled else None,
        campaign_slug=CAMPAIGN_SLUGS[number % len(CAMPAIGN_SLUGS)],
    )


def _when(rng: random.Random, around: datetime, tz: str) -> tuple[datetime, datetime | None, bool]:
    """(starts_at, ends_at, all_day): mostly a few hours; some open-ended, all-day, several days or weeks."""
    shape = rng.random()
    if shape < 0.75:
        starts = around.replace(minute=0, second=0, microsecond=0)
        return starts, None if shape < 0.1 else starts + timedelta(hours=rng.choice((1, 2, 3))), False
    first = around.astimezone(ZoneInfo(tz)).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    days = 1 if shape < 0.9 else rng.randint(2, 5) if shape < 0.98 else rng.randint(14, 60)
    return _midnight_utc(first, tz), _midnight_utc(first + timedelta(days=days), tz), True


def _midnight_utc(local_day: datetime, tz: str) -> datetime:
    return local_day.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
