"""The outbox: every Slack side effect as a row, claimed and recorded by the delivery worker.

Rows are written in the caller's transaction (with the change that causes them), so a
change and its announcement commit or roll back together. See storage.claims for claiming.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from storage.claims import claim, new_token, update_each
from storage.models import OutboxMessage, OutboxStatus

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
        team_id=team_id, kind=kind, key=key, channel=channel, event_id=event_id, args=args or {},
        requested_by=requested_by, status=OutboxStatus.PENDING.value, attempts=0, progress=0,
        next_attempt_at=now, created_at=now,
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
        "args": {}, "event_id": None, "requested_by": None, **row, "status": OutboxStatus.PENDING.value,
        "attempts": 0, "progress": 0, "next_attempt_at": now, "created_at": now,
    }


def has_pending(session: Session, event_id: int, kind: str) -> bool:
    """A row of `kind` for the event not yet picked up (a redraw waiting can absorb another)."""
    return session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.event_id == event_id, OutboxMessage.kind == kind, OutboxMessage.status == OutboxStatus.PENDING.value
        ).limit(1)
    ) is not None


def pending_for(session: Session, team_id: str, kind: str, channels: Iterable[str]) -> set[str]:
    """Those of `channels` (or people) that have a row of `kind` not yet picked up."""
    wanted = set(channels)
    if not wanted:
        return set()
    query = select(OutboxMessage.channel).where(
        OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.kind == kind,
        OutboxMessage.team_id == team_id, OutboxMessage.channel.in_(wanted))
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
        .where(OutboxMessage.event_id == event_id, OutboxMessage.kind.in_(list(kinds)), OutboxMessage.status == OutboxStatus.PENDING.value)
        .values(next_attempt_at=now)
    )


def hold(session: Session, team_ids: Sequence[str]) -> int:
    """Pending rows of teams without a working token wait (held) instead of failing one by one."""
    if not team_ids:
        return 0
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.team_id.in_(list(team_ids)), OutboxMessage.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.HELD.value)
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


@dataclass(frozen=True)
class Claim:
    token: str
    ids: list[int]


def _claimable(now: datetime):
    pending_due = and_(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now)
    lease_expired = and_(OutboxMessage.status == OutboxStatus.CLAIMED.value, OutboxMessage.claimed_until < now)
    return or_(pending_due, lease_expired)


def claim_due(session: Session, now: datetime, limit: int, lease: timedelta) -> Claim:
    """Claim up to `limit` due rows, oldest first, under a lease. Commit before sending.

    A row taken over from a claim whose lease ran out may have been posted by a process that
    died before recording it: it is marked uncertain, so it is looked for before it is sent.
    """
    token = new_token()
    taken_over = case(
        (OutboxMessage.status == OutboxStatus.CLAIMED.value, func.coalesce(OutboxMessage.uncertain_since, datetime.now(UTC))),
        else_=OutboxMessage.uncertain_since,
    )
    mark = dict(status=OutboxStatus.CLAIMED.value, claim_token=token, claimed_until=now + lease, uncertain_since=taken_over)
    ids = claim(session, OutboxMessage, _claimable(now), (OutboxMessage.next_attempt_at, OutboxMessage.id), limit, mark)
    return Claim(token, sorted(ids))


def load(session: Session, claimed: Claim) -> list[OutboxMessage]:
    """The claimed rows still held by this claim, in id order."""
    if not claimed.ids:
        return []
    query = select(OutboxMessage).where(OutboxMessage.id.in_(claimed.ids), OutboxMessage.claim_token == claimed.token)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def extend(session: Session, token: str, until: datetime) -> int:
    """The heartbeat: keep this worker's claims alive while it is working on them."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim_token == token, OutboxMessage.status == OutboxStatus.CLAIMED.value)
        .values(claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def record(session: Session, token: str, results: Sequence[tuple[int, dict]]) -> set[int]:
    """Write results (row id, columns to set) for the rows this claim still holds, letting the
    claim go; return the ids written. A row taken over by another claim is left alone.

    The rows still held are locked first (on SQLite the write transaction holds the lock), so
    none can be taken over between finding them and writing them.
    """
    if not results:
        return set()
    held_query = select(OutboxMessage.id).where(OutboxMessage.id.in_([row_id for row_id, _ in results]),
                                                OutboxMessage.claim_token == token)
    if session.get_bind().dialect.name == "postgresql":
        held_query = held_query.with_for_update()
    held = set(session.scalars(held_query))
    update_each(session, OutboxMessage, (
        {"id": row_id, "claimed_until": None, "claim_token": None, **values} for row_id, values in results if row_id in held
    ))
    return held


def release(session: Session, token: str, ids: Sequence[int]) -> int:
    """Hand untouched claims back (shutting down, or out of time), due at once."""
    if not ids:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.claim_token == token)
        .values(status=OutboxStatus.PENDING.value, claim_token=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
