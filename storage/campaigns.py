"""Queries on campaigns. Every function takes the team: no query crosses teams (but
`by_team_and_slug`, which the delivery worker uses for a batch of several teams' cards).

The shipped campaigns arrive as plain dicts shaped like campaigns.yaml (days as dates);
storage does not read the files itself. Shipped rows are upserted by (team_id, slug); rows
with origin 'team' (created by the team, or shipped ones it has edited) are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Campaign, Origin

SHIPPED = Origin.SHIPPED.value
# The columns a content file sets, keyed by the file's field names.
_SHIPPED_FIELDS = {
    "name": "name",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    "dates": "dates_text",
    "hashtags": "hashtags",
    "summary": "description",
    "call_to_action": "call_to_action",
}


def has_campaigns(session: Session, team_id: str) -> bool:
    return session.scalar(select(Campaign.id).where(Campaign.team_id == team_id).limit(1)) is not None


def load_campaigns(session: Session, team_id: str, shipped: Iterable[Mapping], now: datetime) -> int:
    """Replace the team's shipped campaigns with `shipped`; returns how many were loaded.

    Shipped rows no longer in `shipped` are removed (events keep their slug and show no
    campaign until one of that slug exists again); the team's own rows stay as they are.
    """
    existing = {c.slug: c for c in campaigns(session, team_id)}
    loaded = 0
    for data in shipped:
        row = existing.pop(data["slug"], None)
        if row is None:
            row = Campaign(team_id=team_id, slug=data["slug"], origin=SHIPPED, created_at=now)
            session.add(row)
        elif row.origin != SHIPPED:
            continue  # the team's own, or a shipped one the team has edited
        values = {column: data.get(field) for field, column in _SHIPPED_FIELDS.items()}
        if row.id is None or any(getattr(row, column) != value for column, value in values.items()):
            for column, value in values.items():
                setattr(row, column, value)
            row.updated_at = now
        loaded += 1
    for row in existing.values():
        if row.origin == SHIPPED:
            session.delete(row)
    session.flush()
    return loaded


def ensure_campaigns(session: Session, team_id: str, shipped: Iterable[Mapping], now: datetime) -> bool:
    """Load the shipped campaigns for a team that has none yet; True if it loaded them now.

    Two first requests may race: the loser's insert hits the unique constraint, rolls back
    its savepoint and uses what the winner loaded.
    """
    if has_campaigns(session, team_id):
        return False
    try:
        with session.begin_nested():
            load_campaigns(session, team_id, shipped, now)
    except IntegrityError:
        return False
    return True


def campaigns(session: Session, team_id: str) -> list[Campaign]:
    return list(session.scalars(select(Campaign).where(Campaign.team_id == team_id).order_by(Campaign.id)))


def get_campaign(session: Session, team_id: str, slug: str) -> Campaign | None:
    return session.scalar(select(Campaign).where(Campaign.team_id == team_id, Campaign.slug == slug))


def running_on(session: Session, team_id: str, day: date) -> list[Campaign]:
    """The team's campaigns whose days include `day`, shortest first (the most specific)."""
    query = select(Campaign).where(Campaign.team_id == team_id, Campaign.starts_on <= day, Campaign.ends_on >= day)
    return sorted(session.scalars(query), key=lambda c: (c.ends_on - c.starts_on, -c.starts_on.toordinal(), c.id))


def by_slug(session: Session, team_id: str, slugs: Iterable[str | None]) -> dict[str, Campaign]:
    wanted = {slug for slug in slugs if slug}
    if not wanted:
        return {}
    query = select(Campaign).where(Campaign.team_id == team_id, Campaign.slug.in_(wanted))
    return {c.slug: c for c in session.scalars(query)}


def by_team_and_slug(session: Session, keys: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str], Campaign]:
    """Campaigns of several teams at once, by (team_id, slug): one query for a batch of cards."""
    wanted: dict[str, set[str]] = {}
    for team_id, slug in keys:
        if slug:
            wanted.setdefault(team_id, set()).add(slug)
    if not wanted:
        return {}
    query = select(Campaign).where(
        or_(*(and_(Campaign.team_id == team, Campaign.slug.in_(slugs)) for team, slugs in wanted.items()))
    )
    return {(c.team_id, c.slug): c for c in session.scalars(query)}


def add_campaign(session: Session, campaign: Campaign) -> Campaign:
    session.add(campaign)
    session.flush()
    return campaign
