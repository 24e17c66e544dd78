"""Public sign-ups: members of the public going to an event, with their personal data until it is erased."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import Event, Signup, SignupStatus

RECIPIENT_PREFIX = "signup:"

# What erasing leaves of a person: nothing that names or reaches them.
ERASED = {"name": None, "email": None, "zip_code": None, "phone": None}


def recipient(signup_id: int) -> str:
    """How a sign-up is named as the recipient of a reminder or an outbox row (never its address)."""
    return f"{RECIPIENT_PREFIX}{signup_id}"


def id_of(recipient_name: str) -> int | None:
    """The sign-up a recipient names, if it names one."""
    number = recipient_name.removeprefix(RECIPIENT_PREFIX)
    return int(number) if recipient_name.startswith(RECIPIENT_PREFIX) and number.isdigit() else None


def by_ids(session: Session, ids: Iterable[int]) -> dict[int, Signup]:
    wanted = set(ids)
    return {s.id: s for s in session.scalars(select(Signup).where(Signup.id.in_(wanted)))} if wanted else {}


def by_token(session: Session, team_id: str, token: str) -> Signup | None:
    return session.scalar(select(Signup).where(Signup.token == token, Signup.team_id == team_id))


def by_email(session: Session, event_id: int, email: str) -> Signup | None:
    return session.scalar(select(Signup).where(Signup.event_id == event_id, Signup.email == email))


def add(
    session: Session,
    event: Event,
    *,
    token: str,
    name: str,
    email: str,
    zip_code: str | None,
    phone: str | None,
    language: str,
    now: datetime,
) -> Signup:
    signup = Signup(
        team_id=event.team_id,
        event_id=event.id,
        token=token,
        name=name,
        email=email,
        zip_code=zip_code,
        phone=phone,
        language=language,
        status=SignupStatus.GOING.value,
        created_at=now,
    )
    session.add(signup)
    session.flush()
    return signup


def recent_by_email(session: Session, email: str, since: datetime) -> int:
    """How many sign-ups an address made since `since`, in any event or workspace (the rate limit per address)."""
    return session.scalar(select(func.count()).where(Signup.email == email, Signup.created_at >= since)) or 0


def going(session: Session, event_id: int) -> list[Signup]:
    """Who of the public is going, in the order they signed up (erased people included, nameless)."""
    query = select(Signup).where(Signup.event_id == event_id, Signup.status == SignupStatus.GOING.value)
    return list(session.scalars(query.order_by(Signup.created_at, Signup.id)))


def reachable(session: Session, event_id: int) -> list[Signup]:
    """Those going whose address is still kept: who is told of a change."""
    return [signup for signup in going(session, event_id) if signup.email]


def count_going(event_id: int):
    """How many of the public are going to an event, as a scalar subquery (to add to the RSVPs')."""
    return (
        select(func.count())
        .where(Signup.event_id == event_id, Signup.status == SignupStatus.GOING.value)
        .scalar_subquery()
    )


def counts(session: Session, event_ids: Iterable[int]) -> dict[int, int]:
    """How many of the public are going to each of several events, in one query."""
    wanted = set(event_ids)
    if not wanted:
        return {}
    query = (
        select(Signup.event_id, func.count())
        .where(Signup.event_id.in_(wanted), Signup.status == SignupStatus.GOING.value)
        .group_by(Signup.event_id)
    )
    return dict(session.execute(query).all())


def cancel(signup: Signup, now: datetime) -> None:
    signup.status, signup.cancelled_at = SignupStatus.CANCELLED.value, now


def erase(signup: Signup, now: datetime) -> None:
    for column, value in ERASED.items():
        setattr(signup, column, value)
    signup.erased_at = now


def erase_ended_before(session: Session, ended_before: datetime, limit: int, now: datetime) -> int:
    """Erase the personal data of those signed up to events that ended before `ended_before`, up
    to `limit` people at once. Returns how many."""
    ids = list(
        session.scalars(
            select(Signup.id)
            .join(Event, Event.id == Signup.event_id)
            .where(Signup.erased_at.is_(None), Event.effective_end < ended_before)
            .limit(limit)
        )
    )
    if ids:
        session.execute(
            update(Signup)
            .where(Signup.id.in_(ids))
            .values(**ERASED, erased_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(ids)
