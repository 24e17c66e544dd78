"""Modal submissions and imported entries already handled, so a replayed or retried one (or a
file imported twice) changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Submission


def key_for(view: dict) -> str | None:
    """Slack gives every opened modal its own id; a replay or a second click carries the same one."""
    view_id = view.get("id")
    return f"view:{view_id}"[:100] if isinstance(view_id, str) and view_id else None


def seen(session: Session, team_id: str, key: str) -> bool:
    return session.scalar(select(Submission.id).where(Submission.team_id == team_id, Submission.key == key)) is not None


def seen_keys(session: Session, team_id: str, keys: list[str]) -> set[str]:
    """Which of `keys` were handled already, a few hundred to a query."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            session.scalars(select(Submission.key).where(Submission.team_id == team_id, Submission.key.in_(chunk)))
        )
    return found


def remember(session: Session, team_id: str, key: str, event_id: int | None, now: datetime) -> None:
    """Insert the key; a concurrent twin fails the unique constraint and rolls its transaction back."""
    session.add(Submission(team_id=team_id, key=key, event_id=event_id, created_at=now))
    session.flush()
