"""The outbox: every Slack side effect as a row, claimed and recorded by the delivery worker.

Rows are written in the caller's transaction (with the change that causes them), so a
change and its announcement commit or roll back together. The worker claims them a channel at
a time (claim_due, below; storage.claims explains claiming in general).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, bindparam, case, delete, exists, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from storage.claims import new_token, update_each
from storage.db import database_time
from storage.models import OutboxChannel, OutboxMessage, OutboxStatus
from storage.types import UTCDateTime
from timemath import as_utc


def enqueue(
    session: Session,
    *,
    team_id: str,
    kind: str,
    key: str,
    channel: str,
    now: datetime,
    event_id: int | None = None,
    args: dict | None = None,
    requested_by: str | None = None,
) -> OutboxMessage:
    row = OutboxMessage(
        team_id=team_id,
        kind=kind,
        key=key,
        channel=channel,
        event_id=event_id,
        args=args or {},
        requested_by=requested_by,
        status=OutboxStatus.PENDING.value,
        attempts=0,
        progress=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    return row


def enqueue_many(session: Session, rows: Sequence[dict]) -> None:
    """Bulk insert (one statement): dicts with the columns `enqueue` takes."""
    if rows:
        session.execute(OutboxMessage.__table__.insert(), [_defaults(row) for row in rows])


def _defaults(row: dict) -> dict:
    now = row.pop("now")
    return {
        "args": {},
        "event_id": None,
        "requested_by": None,
        **row,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "progress": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def has_key(session: Session, key: str) -> bool:
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None


def has_pending(session: Session, event_id: int, kind: str) -> bool:
    """A row of `kind` for the event not yet picked up (a redraw waiting can absorb another)."""
    return (
        session.scalar(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.event_id == event_id,
                OutboxMessage.kind == kind,
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
            .limit(1)
        )
        is not None
    )


def pending_for(session: Session, team_id: str, kind: str, channels: Iterable[str]) -> set[str]:
    """Those of `channels` (or people) that have a row of `kind` not yet picked up."""
    wanted = set(channels)
    if not wanted:
        return set()
    query = select(OutboxMessage.channel).where(
        OutboxMessage.status == OutboxStatus.PENDING.value,
        OutboxMessage.kind == kind,
        OutboxMessage.team_id == team_id,
        OutboxMessage.channel.in_(wanted),
    )
    return set(session.scalars(query))


def latest(session: Session, event_id: int, kind: str) -> OutboxMessage | None:
    """The event's newest row of `kind` (where its review request went, and whether it was sent)."""
    query = select(OutboxMessage).where(OutboxMessage.event_id == event_id, OutboxMessage.kind == kind)
    return session.scalar(query.order_by(OutboxMessage.id.desc()).limit(1))


def cancel_keys(session: Session, keys: Iterable[str]) -> None:
    keys = list(keys)
    if keys:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key.in_(keys), OutboxMessage.status == OutboxStatus.PENDING.value)
            .values(status=OutboxStatus.CANCELLED.value)
        )


def make_due(session: Session, event_id: int, kinds: Iterable[str], now: datetime) -> None:
    """Rows waiting on an event's card become due at once (the card now exists, or never will)."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.event_id == event_id,
            OutboxMessage.kind.in_(list(kinds)),
            OutboxMessage.status == OutboxStatus.PENDING.value,
        )
        .values(next_attempt_at=now)
    )


# Why a row waits, held, when it was never tried: its workspace has no working token.
NOT_INSTALLED = "workspace_not_installed"


def hold(session: Session, team_ids: Sequence[str]) -> int:
    """Pending rows of teams without a working token wait (held) instead of failing one by one."""
    if not team_ids:
        return 0
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.team_id.in_(list(team_ids)), OutboxMessage.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.HELD.value, last_error=func.coalesce(OutboxMessage.last_error, NOT_INSTALLED))
        .execution_options(synchronize_session=False)
    ).rowcount


def release_held(session: Session, team_ids: Sequence[str], now: datetime) -> int:
    """The teams have a working token again: their held rows are due at once."""
    if not team_ids:
        return 0
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.team_id.in_(list(team_ids)), OutboxMessage.status == OutboxStatus.HELD.value)
        .values(status=OutboxStatus.PENDING.value, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


# --- the worker's side ----------------------------------------------------------
#
# Rows are claimed a channel at a time: the next due row of each channel that Slack takes a post
# in now and that no claim is posting to. The channel's `next_allowed_at` (outbox_channels) is
# kept in the database's own time, so every process keeps the same pace of one post a second
# per channel, and waits out a channel's Retry-After, without asking any other channel to wait.


@dataclass(frozen=True)
class Claim:
    token: str
    ids: list[int]


def _claimable(now: datetime):
    pending_due = and_(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now)
    lease_expired = and_(OutboxMessage.status == OutboxStatus.CLAIMED.value, OutboxMessage.claimed_until < now)
    return or_(pending_due, lease_expired)


def _of_channel(channel_row=OutboxChannel):
    return and_(OutboxMessage.team_id == channel_row.team_id, OutboxMessage.channel == channel_row.channel)


def _track_channels(session: Session, now: datetime, pace_now: datetime) -> None:
    """Channels with due rows that have no pace row yet get one, ready at once."""
    untracked = (
        select(OutboxMessage.team_id, OutboxMessage.channel, bindparam("ready", pace_now, type_=UTCDateTime()))
        .where(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= now,
            ~exists().where(_of_channel()),
        )
        .distinct()
    )
    session.execute(
        _insert(session, OutboxChannel)
        .from_select(["team_id", "channel", "next_allowed_at"], untracked)
        .on_conflict_do_nothing()
    )


def _insert(session: Session, table):
    """The dialect's INSERT (with ON CONFLICT), imported only for the database in use: loading
    PostgreSQL's dialect costs a SQLite process 2.5 MB."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def claim_due(session: Session, now: datetime, limit: int, lease: timedelta, *, token: str | None = None) -> Claim:
    """Claim the next due row (oldest first) of up to `limit` channels ready for a post, with the
    channels themselves, under a lease. Commit before sending.

    A channel is ready when Slack takes a post there now (by the database's time) and no live
    claim is posting there: two processes never post to one channel at once. Channels that have
    waited longest go first. A row taken over from a claim whose lease ran out may have been
    posted by a process that died before recording it: it is marked uncertain, so it is looked
    for before it is sent.
    """
    token = token or new_token()
    pace_now = database_time(session)
    _track_channels(session, now, pace_now)
    next_row = (
        select(OutboxMessage.id)
        .where(_of_channel(), _claimable(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .scalar_subquery()
    )
    ready = (
        select(OutboxChannel.team_id, OutboxChannel.channel, next_row)
        .where(
            OutboxChannel.next_allowed_at <= pace_now,
            or_(OutboxChannel.claimed_until.is_(None), OutboxChannel.claimed_until < now),
            next_row.is_not(None),
        )
        .order_by(OutboxChannel.next_allowed_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        ready = ready.with_for_update(skip_locked=True, of=OutboxChannel)
    picked = session.execute(ready).all()
    if not picked:
        return Claim(token, [])
    session.execute(
        update(OutboxChannel)
        .where(tuple_(OutboxChannel.team_id, OutboxChannel.channel).in_([(t, c) for t, c, _ in picked]))
        .values(claim_token=token, claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    taken_over = case(
        (
            OutboxMessage.status == OutboxStatus.CLAIMED.value,
            func.coalesce(OutboxMessage.uncertain_since, datetime.now(UTC)),
        ),
        else_=OutboxMessage.uncertain_since,
    )
    mark = dict(
        status=OutboxStatus.CLAIMED.value, claim_token=token, claimed_until=now + lease, uncertain_since=taken_over
    )
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([row_id for _, _, row_id in picked]), _claimable(now))
        .values(**mark)
        .returning(OutboxMessage.id, OutboxMessage.team_id, OutboxMessage.channel)
    )
    claimed = session.execute(statement.execution_options(synchronize_session=False)).all()
    if len(claimed) < len(picked):  # a row cancelled meanwhile: its channel is free again
        _free_channels(session, token, {(t, c) for t, c, _ in picked} - {(t, c) for _, t, c in claimed})
    return Claim(token, sorted(row_id for row_id, _, _ in claimed))


def _free_channels(session: Session, token: str, channels: set[tuple[str, str]]) -> None:
    if channels:
        session.execute(
            update(OutboxChannel)
            .where(
                tuple_(OutboxChannel.team_id, OutboxChannel.channel).in_(list(channels)),
                OutboxChannel.claim_token == token,
            )
            .values(claim_token=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )


def next_ready(session: Session, now: datetime) -> float | None:
    """Seconds (of the database's time) until a channel with due rows is ready for its next
    post; None if no due row is waiting for its channel's pace."""
    pace_now = database_time(session)
    waiting = exists().where(_of_channel(), _claimable(now))
    earliest = session.scalar(
        select(func.min(OutboxChannel.next_allowed_at)).where(
            OutboxChannel.claimed_until.is_(None) | (OutboxChannel.claimed_until < now), waiting
        )
    )
    return None if earliest is None else max((as_utc(earliest) - pace_now).total_seconds(), 0.0)


def next_due(session: Session, now: datetime) -> datetime | None:
    """When the next row not yet claimable becomes so (by the clock that decides what is due): a
    pending row falls due, or a claim's lease runs out (its process died). Rows due already wait
    for their channel (next_ready)."""
    falls_due = select(func.min(OutboxMessage.next_attempt_at)).where(
        OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at > now
    )
    lease_ends = select(func.min(OutboxMessage.claimed_until)).where(
        OutboxMessage.status == OutboxStatus.CLAIMED.value, OutboxMessage.claimed_until >= now
    )
    times = [as_utc(at) for at in (session.scalar(falls_due), session.scalar(lease_ends)) if at is not None]
    return min(times, default=None)


def load(session: Session, claimed: Claim) -> list[OutboxMessage]:
    """The claimed rows still held by this claim, in id order."""
    if not claimed.ids:
        return []
    query = select(OutboxMessage).where(OutboxMessage.id.in_(claimed.ids), OutboxMessage.claim_token == claimed.token)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def extend(session: Session, token: str, until: datetime) -> int:
    """The heartbeat: keep this worker's claims (rows and their channels) alive while it works on them."""
    session.execute(
        update(OutboxChannel)
        .where(OutboxChannel.claim_token == token)
        .values(claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim_token == token, OutboxMessage.status == OutboxStatus.CLAIMED.value)
        .values(claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


@dataclass(frozen=True)
class Paced:
    """When a row's channel takes its next post: `after` seconds from now, by the database's time
    (0: nothing was posted; Slack's pace after a post; a Retry-After)."""

    team_id: str
    channel: str
    after: float


def record(session: Session, token: str, results: Sequence[tuple[int, dict]], paces: Sequence[Paced] = ()) -> set[int]:
    """Write results (row id, columns to set) for the rows this claim still holds, letting the
    claim go, and set when their channels take their next post (`paces`, one per row in the
    same order); return the ids written. A row taken over by another claim is left alone.

    The rows still held are locked first (on SQLite the write transaction holds the lock), so
    none can be taken over between finding them and writing them.
    """
    if not results:
        return set()
    held_query = select(OutboxMessage.id).where(
        OutboxMessage.id.in_([row_id for row_id, _ in results]), OutboxMessage.claim_token == token
    )
    if session.get_bind().dialect.name == "postgresql":
        held_query = held_query.with_for_update()
    held = set(session.scalars(held_query))
    update_each(
        session,
        OutboxMessage,
        (
            {"id": row_id, "claimed_until": None, "claim_token": None, **values}
            for row_id, values in results
            if row_id in held
        ),
    )
    paced = [pace for (row_id, _), pace in zip(results, paces, strict=False) if row_id in held]
    if paced:
        pace_now = database_time(session)
        table = OutboxChannel.__table__
        session.execute(
            table.update()
            .where(
                table.c.team_id == bindparam("pace_team"),
                table.c.channel == bindparam("pace_channel"),
                table.c.claim_token == token,
            )
            .values(claim_token=None, claimed_until=None, next_allowed_at=bindparam("pace_next")),
            [
                {
                    "pace_team": pace.team_id,
                    "pace_channel": pace.channel,
                    "pace_next": pace_now + timedelta(seconds=pace.after),
                }
                for pace in paced
            ],
        )
    return held


def retry_now(session: Session, now: datetime) -> int:
    """Rows backing off after a failed attempt are due at once (Slack answers again after an outage)."""
    return session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.attempts > 0,
            OutboxMessage.last_error.is_not(None),
            OutboxMessage.next_attempt_at > now,
        )
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


# Rows whose story is over; of them, review requests are kept (their redraws look up where they were posted).
_FINISHED = (
    OutboxStatus.SENT.value,
    OutboxStatus.FAILED.value,
    OutboxStatus.CANCELLED.value,
    OutboxStatus.SKIPPED.value,
)
KEPT_KINDS = ("review",)


def prune(session: Session, before: datetime, limit: int) -> int:
    """Delete up to `limit` finished rows created before `before` (oldest first); returns how many."""
    oldest = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status.in_(_FINISHED),
            OutboxMessage.created_at < before,
            OutboxMessage.kind.not_in(KEPT_KINDS),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    ids = list(session.scalars(oldest))
    if ids:
        session.execute(
            delete(OutboxMessage).where(OutboxMessage.id.in_(ids)).execution_options(synchronize_session=False)
        )
    return len(ids)


def forget_idle_channels(session: Session, pace_before: datetime) -> int:
    """Channels with nothing to send, whose pace ran out before `pace_before` (the database's
    time), need no pace row: one is made again when they next have a row due."""
    waiting = exists().where(
        _of_channel(),
        OutboxMessage.status.in_([OutboxStatus.PENDING.value, OutboxStatus.CLAIMED.value, OutboxStatus.HELD.value]),
    )
    return session.execute(
        delete(OutboxChannel)
        .where(OutboxChannel.claim_token.is_(None), OutboxChannel.next_allowed_at < pace_before, ~waiting)
        .execution_options(synchronize_session=False)
    ).rowcount


def release(session: Session, token: str, ids: Sequence[int]) -> int:
    """Hand untouched claims back (shutting down, or out of time), due at once, their channels free."""
    if not ids:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.claim_token == token)
        .values(status=OutboxStatus.PENDING.value, claim_token=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    channels = session.execute(
        select(OutboxMessage.team_id, OutboxMessage.channel).where(OutboxMessage.id.in_(list(ids)))
    ).all()
    _free_channels(session, token, {(team_id, channel) for team_id, channel in channels})
    return result.rowcount
