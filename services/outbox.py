"""What workflows put in the outbox: one function per kind of Slack side effect.

Each writes a row in the caller's session (so it commits with the change that causes it);
the caller rings the doorbell after committing. Rendering happens at delivery time
(services.delivery), from the current rows, so a late delivery shows the current state.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import homes, hosts, rsvps, signups
from storage import outbox as rows
from storage.models import Event, Signup

# A staff dashboard is kept current for this long after its person last opened their Home: a
# working day, with room to spare. One opened longer ago is drawn afresh when next opened.
STAFF_HOME_KEPT_CURRENT = timedelta(hours=24)

CARD = "card"  # the announcement card of an event
CARD_UPDATE = "card_update"  # redraw it (details, cancellation, RSVP count); the last state wins
THREAD_NOTE = "thread_note"  # a reply in the card's thread (edited, cancelled)
NOTICE = "notice"  # a DM to one person (cancellation, a post that could not be made)
SHARE = "share"  # pre-rendered messages into a channel (toolkits, sample posts), in order
DIGEST = "digest"  # a channel's digest of the coming week
REMINDER = "reminder"  # queued by storage.reminders when due
EXPORT = "export"  # a CSV of the events, built when it is delivered, into its requester's DM
REVIEW = "review"  # an event waiting for review, with Approve and Reject, in the review channel
REVIEW_UPDATE = "review_update"  # redraw that message: edited, decided, cancelled
REPORT_ASK = "report_ask"  # "How did it go?" to a host by DM, once the event is over
HOME = "home"  # republish a person's App Home (views.publish); `channel` is their user id
WEBHOOK = "webhook"  # a JSON POST to WEBHOOK_URL (services.webhooks); `channel` is its own, so none waits on another
EMAIL = "email"  # an email to a member of the public signed up; `channel` names the sign-up (storage.signups.recipient)
WAITS_FOR_CARD = (CARD_UPDATE, THREAD_NOTE)


def _key(prefix: str) -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


def announce(session: Session, event: Event, now: datetime, *, again: bool = False) -> None:
    """Post the card; `again` after an earlier card failed for good (a new row, a new key).
    An event with no channel (imported without one) has no card: here and below, nothing to do."""
    if event.channel_id is None:
        return
    key = _key(f"card:{event.id}") if again else f"card:{event.id}"
    rows.enqueue(
        session,
        team_id=event.team_id,
        kind=CARD,
        key=key,
        channel=event.channel_id,
        event_id=event.id,
        requested_by=event.created_by,
        now=now,
    )


def redraw(session: Session, event: Event, now: datetime) -> None:
    """Redraw the card, unless a redraw not yet picked up will already show the latest state."""
    if event.channel_id is not None and not rows.has_pending(session, event.id, CARD_UPDATE):
        rows.enqueue(
            session,
            team_id=event.team_id,
            kind=CARD_UPDATE,
            key=_key(f"card_update:{event.id}"),
            channel=event.channel_id,
            event_id=event.id,
            now=now,
        )


def thread_note(session: Session, event: Event, note: str, now: datetime, **args) -> None:
    if event.channel_id is None:
        return
    rows.enqueue(
        session,
        team_id=event.team_id,
        kind=THREAD_NOTE,
        key=_key(f"note:{event.id}"),
        channel=event.channel_id,
        event_id=event.id,
        args={"note": note, **args},
        now=now,
    )


def notice(
    session: Session,
    team_id: str,
    user_id: str,
    notice_kind: str,
    now: datetime,
    *,
    event_id: int | None = None,
    **args,
) -> None:
    rows.enqueue(
        session,
        team_id=team_id,
        kind=NOTICE,
        key=_key(f"notice:{notice_kind}"),
        channel=user_id,
        event_id=event_id,
        args={"notice": notice_kind, **args},
        now=now,
    )


def notice_once(
    session: Session, team_id: str, user_id: str, notice_kind: str, now: datetime, *, once: str, **args
) -> None:
    """A notice sent at most once for `once` (its cause): repeats, even from another process at
    the same moment, add nothing."""
    key = f"{notice_kind}:{once}"[:120]
    if rows.has_key(session, key):
        return
    try:
        with session.begin_nested():
            rows.enqueue(
                session,
                team_id=team_id,
                kind=NOTICE,
                key=key,
                channel=user_id,
                args={"notice": notice_kind, **args},
                now=now,
            )
    except IntegrityError:
        pass  # another process queued it first


def share(
    session: Session, team_id: str, channel_id: str, messages: list[dict], requested_by: str, now: datetime
) -> None:
    """`messages`: [{"text": ..., "blocks": [...]}, ...], posted in order, each exactly once."""
    rows.enqueue(
        session,
        team_id=team_id,
        kind=SHARE,
        key=_key("share"),
        channel=channel_id,
        args={"messages": messages},
        requested_by=requested_by,
        now=now,
    )


def digest(
    session: Session,
    team_id: str,
    channel_id: str,
    now: datetime,
    *,
    key: str | None = None,
    requested_by: str | None = None,
    **args,
) -> None:
    rows.enqueue(
        session,
        team_id=team_id,
        kind=DIGEST,
        key=key or _key("digest"),
        channel=channel_id,
        args=args,
        requested_by=requested_by,
        now=now,
    )


def export(session: Session, team_id: str, user_id: str, now: datetime, **args) -> None:
    """The CSV is built when the row is delivered: what it holds, and who may see what, is decided then."""
    rows.enqueue(
        session,
        team_id=team_id,
        kind=EXPORT,
        key=_key("export"),
        channel=user_id,
        args=args,
        requested_by=user_id,
        now=now,
    )


def review(session: Session, event: Event, channel_id: str, requested_by: str, now: datetime) -> None:
    """Ask the reviewers; `requested_by` (who turned review on) is told if it cannot be posted."""
    rows.enqueue(
        session,
        team_id=event.team_id,
        kind=REVIEW,
        key=f"review:{event.id}",
        channel=channel_id,
        event_id=event.id,
        requested_by=requested_by,
        now=now,
    )


def review_update(session: Session, event: Event, now: datetime) -> None:
    """Redraw the review message, unless a redraw not yet picked up will already show the latest state."""
    asked = rows.latest(session, event.id, REVIEW)
    if asked is not None and not rows.has_pending(session, event.id, REVIEW_UPDATE):
        rows.enqueue(
            session,
            team_id=event.team_id,
            kind=REVIEW_UPDATE,
            key=_key(f"review_update:{event.id}"),
            channel=asked.channel,
            event_id=event.id,
            now=now,
        )


def report_ask(session: Session, event_id: int, team_id: str, host: str, ended_at: datetime, now: datetime) -> None:
    """One question per host and end: an event moved and over again is asked again."""
    rows.enqueue(
        session,
        team_id=team_id,
        kind=REPORT_ASK,
        key=f"report_ask:{event_id}:{host}:{int(ended_at.timestamp())}",
        channel=host,
        event_id=event_id,
        now=now,
    )


def homes_changed(session: Session, team_id: str, people: Iterable[str], now: datetime) -> None:
    """What App Homes show has changed: republish those of `people` who ever opened their Home,
    and the dashboards of the staff who opened theirs within STAFF_HOME_KEPT_CURRENT; nobody
    else's. One pending row per person is enough: it is drawn when delivered, from the rows then."""
    opened = homes.opened_among(session, team_id, people) | homes.staff_opened_since(
        session, team_id, now - STAFF_HOME_KEPT_CURRENT
    )
    for user_id in sorted(opened - rows.pending_for(session, team_id, HOME, opened)):
        rows.enqueue(session, team_id=team_id, kind=HOME, key=_key(f"home:{user_id}"), channel=user_id, now=now)


def event_homes_changed(
    session: Session, event: Event, now: datetime, *, going: bool = True, also: Iterable[str] = ()
) -> None:
    """An event changed: the Homes of its hosts (its creator and co-hosts), of those going to it
    (unless `going` is False: an RSVP changes no one else's), of `also`, and staff dashboards."""
    people = {event.created_by, *hosts.co_hosts(session, event.id), *also}
    if going:
        people.update(rsvps.rsvp_users(session, event.id))
    homes_changed(session, event.team_id, people, now)


def email(session: Session, signup: Signup, what: str, now: datetime, *, once: bool = False, **args) -> None:
    """An email to a member of the public about their event: "confirmation", "changed" or
    "cancelled". `once`: at most one of `what` per sign-up, ever (its key says so). Who it goes
    to is read when it is sent: an address erased meanwhile gets nothing."""
    key = f"email:{what}:{signup.id}" if once else _key(f"email:{what}:{signup.id}")
    rows.enqueue(
        session,
        team_id=signup.team_id,
        kind=EMAIL,
        key=key,
        channel=signups.recipient(signup.id),
        event_id=signup.event_id,
        args={"email": what, **args},
        now=now,
    )


WEBHOOK_CHANNEL_PREFIX = "webhook:"


def webhook(session: Session, event: Event, what: str, now: datetime, *, signup: Signup | None = None) -> None:
    """Tell WEBHOOK_URL: "signup.created", "signup.cancelled", "event.changed", "event.cancelled".
    Its key is the delivery id the receiver sees at every attempt."""
    key = _key("webhook")
    rows.enqueue(
        session,
        team_id=event.team_id,
        kind=WEBHOOK,
        key=key,
        channel=WEBHOOK_CHANNEL_PREFIX + key[-20:],
        event_id=event.id,
        args={"webhook": what, "signup_id": signup.id if signup else None},
        now=now,
    )
