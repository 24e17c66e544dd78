"""Digest subscriptions: a channel's daily digest at a local wall time, and which are due."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage import workspaces
from storage.models import DigestSubscription
from timemath import next_local_run


def subscribe_digest(
    session: Session,
    team_id: str,
    channel_id: str,
    local_time: time,
    tz_name: str,
    quiet: bool,
    user_id: str,
    now: datetime,
) -> DigestSubscription:
    """Create or change a channel's subscription; the next run is the next `local_time` in `tz_name`."""
    subscription = get_digest(session, team_id, channel_id)
    if subscription is None:
        subscription = DigestSubscription(team_id=team_id, channel_id=channel_id, created_by=user_id, created_at=now)
        session.add(subscription)
    subscription.local_time = f"{local_time:%H:%M}"
    subscription.timezone = tz_name
    subscription.quiet = quiet
    subscription.next_run_at = next_local_run(local_time, tz_name, now)
    session.flush()
    return subscription


def get_digest(session: Session, team_id: str, channel_id: str) -> DigestSubscription | None:
    return session.scalar(
        select(DigestSubscription).where(
            DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id
        )
    )


def unsubscribe_digest(session: Session, team_id: str, channel_id: str) -> bool:
    result = session.execute(
        delete(DigestSubscription).where(
            DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id
        )
    )
    return result.rowcount > 0


def take_due(session: Session, now: datetime, limit: int) -> list[tuple[DigestSubscription, datetime]]:
    """Due subscriptions, each moved on to its next local run: (subscription, the run that was due).
    A workspace whose work is held gets none until it is active again.

    On PostgreSQL the rows are locked (SKIP LOCKED) so two clocks take disjoint ones; SQLite
    runs the whole transaction alone. The caller queues the posts in the same transaction.
    """
    query = select(DigestSubscription).where(
        DigestSubscription.next_run_at <= now, workspaces.is_served(DigestSubscription.team_id)
    )
    query = query.order_by(DigestSubscription.next_run_at, DigestSubscription.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    due = []
    for subscription in session.scalars(query):
        run_at = subscription.next_run_at
        subscription.next_run_at = next_local_run(
            time.fromisoformat(subscription.local_time), subscription.timezone, now
        )
        due.append((subscription, run_at))
    return due


def record(session: Session, subscription_id: int, now: datetime, *, sent: bool, error: str | None) -> None:
    subscription = session.get(DigestSubscription, subscription_id)
    if subscription is not None:
        subscription.last_error = error[:200] if error else None
        if sent:
            subscription.last_sent_at = now
