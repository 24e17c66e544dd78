"""Whose App Home is kept current: who opened theirs and when, whether it showed the staff
dashboard, and what each person chose to see in it (the dashboard's campaign, each list's page)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import HomeView

# The dashboard's choice of every event of the workspace, rather than one campaign's.
ALL_EVENTS = "*"


def home_of(session: Session, team_id: str, user_id: str) -> HomeView | None:
    return session.scalar(select(HomeView).where(HomeView.team_id == team_id, HomeView.user_id == user_id))


def opened(session: Session, team_id: str, user_id: str, now: datetime) -> HomeView:
    """Remember that `user_id` opened their Home at `now`. Two openings delivered at once: the
    loser's insert hits the unique pair, rolls back its savepoint and updates the winner's row."""
    home = home_of(session, team_id, user_id)
    if home is None:
        try:
            with session.begin_nested():
                home = HomeView(team_id=team_id, user_id=user_id, opened_at=now, staff=False, pages={})
                session.add(home)
        except IntegrityError:
            home = home_of(session, team_id, user_id)
    home.opened_at = max(home.opened_at, now)
    return home


def choose_campaign(home: HomeView, campaign: str | None) -> None:
    """A campaign's slug, ALL_EVENTS, or None (the default); its lists start over."""
    home.campaign = campaign
    home.pages = {name: start for name, start in (home.pages or {}).items() if name == "mine"}


def turn_page(home: HomeView, name: str, start: int) -> None:
    home.pages = {**(home.pages or {}), name: max(start, 0)}  # a new dict: JSON columns see assignments only


def opened_among(session: Session, team_id: str, user_ids: Iterable[str]) -> set[str]:
    """Those of `user_ids` who have ever opened their Home."""
    wanted = set(user_ids)
    if not wanted:
        return set()
    query = select(HomeView.user_id).where(HomeView.team_id == team_id, HomeView.user_id.in_(wanted))
    return set(session.scalars(query))


def staff_opened_since(session: Session, team_id: str, since: datetime) -> set[str]:
    """The staff (as last checked) who opened their Home at `since` or later."""
    query = select(HomeView.user_id).where(
        HomeView.team_id == team_id, HomeView.staff.is_(True), HomeView.opened_at >= since
    )
    return set(session.scalars(query))


def record_staff(session: Session, team_id: str, user_id: str, staff: bool) -> None:
    """What the last drawing found: whether the person is staff (a fresh admin check)."""
    home = home_of(session, team_id, user_id)
    if home is not None and home.staff != staff:
        home.staff = staff
