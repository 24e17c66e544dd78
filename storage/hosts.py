"""Co-hosts: the people who host an event with its creator.

Who may do what with that is services.permissions' business; this module only keeps the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Event, EventHost


def co_hosts(session: Session, event_id: int) -> list[str]:
    """The event's co-hosts, in the order they were added."""
    query = select(EventHost.user_id).where(EventHost.event_id == event_id).order_by(EventHost.id)
    return list(session.scalars(query))


def is_co_host(session: Session, event_id: int, user_id: str) -> bool:
    query = select(EventHost.id).where(EventHost.event_id == event_id, EventHost.user_id == user_id)
    return session.scalar(query) is not None


def co_hosted(session: Session, user_id: str, event_ids: list[int]) -> set[int]:
    """Which of `event_ids` the user co-hosts, in one query (an export's page of events)."""
    if not event_ids:
        return set()
    query = select(EventHost.event_id).where(EventHost.event_id.in_(event_ids), EventHost.user_id == user_id)
    return set(session.scalars(query))


def set_co_hosts(session: Session, event: Event, user_ids: Iterable[str], added_by: str, now: datetime) -> list[str]:
    """Make `user_ids` the event's co-hosts (its creator is never one of them). Returns those newly added."""
    wanted = [user for user in dict.fromkeys(user_ids) if user != event.created_by]
    current = co_hosts(session, event.id)
    removed = [user for user in current if user not in wanted]
    if removed:
        session.execute(delete(EventHost).where(EventHost.event_id == event.id, EventHost.user_id.in_(removed)))
    added = [user for user in wanted if user not in current]
    session.add_all(
        EventHost(team_id=event.team_id, event_id=event.id, user_id=user, added_by=added_by, created_at=now)
        for user in added
    )
    session.flush()
    return added
