"""Review of new events: a team's setting, its trusted hosts, and deciding one event once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ApprovalState, Event, ReviewSetting, TrustedHost


def review_setting(session: Session, team_id: str) -> ReviewSetting | None:
    return session.scalar(select(ReviewSetting).where(ReviewSetting.team_id == team_id))


def review_channel(session: Session, team_id: str) -> str | None:
    """The channel new events wait in, or None while the team's review is off."""
    setting = review_setting(session, team_id)
    return setting.channel_id if setting is not None and setting.enabled else None


def set_review(
    session: Session, team_id: str, *, enabled: bool, channel_id: str | None, user_id: str, now: datetime
) -> ReviewSetting:
    """Turn review on (in `channel_id`) or off (keeping the last channel)."""
    setting = review_setting(session, team_id)
    if setting is None:
        setting = ReviewSetting(team_id=team_id, channel_id=channel_id or "")
        session.add(setting)
    setting.enabled, setting.changed_by, setting.changed_at = enabled, user_id, now
    if channel_id:
        setting.channel_id = channel_id
    session.flush()
    return setting


def is_trusted(session: Session, team_id: str, user_id: str) -> bool:
    query = select(TrustedHost.id).where(TrustedHost.team_id == team_id, TrustedHost.user_id == user_id)
    return session.scalar(query) is not None


def trusted_hosts(session: Session, team_id: str) -> list[TrustedHost]:
    query = select(TrustedHost).where(TrustedHost.team_id == team_id).order_by(TrustedHost.added_at, TrustedHost.id)
    return list(session.scalars(query))


def trust(session: Session, team_id: str, user_id: str, added_by: str, now: datetime) -> bool:
    """Let `user_id` skip review; False if they already did (a concurrent twin loses on the unique pair)."""
    if is_trusted(session, team_id, user_id):
        return False
    try:
        with session.begin_nested():
            session.add(TrustedHost(team_id=team_id, user_id=user_id, added_by=added_by, added_at=now))
    except IntegrityError:
        return False
    return True


def untrust(session: Session, team_id: str, user_id: str) -> bool:
    result = session.execute(delete(TrustedHost).where(TrustedHost.team_id == team_id, TrustedHost.user_id == user_id))
    return result.rowcount > 0


def pending_count(session: Session, team_id: str) -> int:
    """Events waiting for a decision that are not cancelled. `/event review` asks it now and
    then: it reads the team's range of (team, start), not an index of its own (a partial index's
    dialect options would load both SQLAlchemy dialects into every process)."""
    query = (
        select(func.count())
        .select_from(Event)
        .where(Event.team_id == team_id, Event.approval == ApprovalState.PENDING.value, Event.cancelled_at.is_(None))
    )
    return session.scalar(query) or 0


def decide(
    session: Session, event: Event, state: ApprovalState, user_id: str, now: datetime, reason: str | None = None
) -> bool:
    """Approve or reject a pending event, in one conditional statement: of two reviewers clicking
    at once, exactly one decides (True); the other finds it decided (False) and can say by whom."""
    result = session.execute(
        update(Event)
        .where(Event.id == event.id, Event.approval == ApprovalState.PENDING.value, Event.cancelled_at.is_(None))
        .values(approval=state.value, approval_by=user_id, approval_at=now, approval_reason=reason)
        .execution_options(synchronize_session=False)
    )
    session.refresh(event)
    return result.rowcount == 1


def pending_events(session: Session, team_id: str, *, limit: int) -> list[Event]:
    """The first `limit` events waiting for a decision (not cancelled), soonest first: the most urgent."""
    query = (
        select(Event)
        .where(Event.team_id == team_id, Event.approval == ApprovalState.PENDING.value, Event.cancelled_at.is_(None))
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return list(session.scalars(query))
