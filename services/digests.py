"""Daily digests: subscribing a channel, posting one now, and queueing the due ones."""

from __future__ import annotations

from datetime import datetime, time

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from messages import digest as render
from messages.i18n import speaking
from messages.links import PublicLinks
from messages.mrkdwn import date_token
from services import languages, outbox
from services.runtime import Services
from storage import campaigns as campaign_store
from storage import digests as store
from storage import events as event_store
from storage.models import DigestSubscription
from timemath import ONE_DAY, is_valid_timezone, local_date, start_of_day_utc


def user_timezone(services: Services, client: WebClient, team_id: str, user_id: str) -> str:
    tz = services.users.profile(client, team_id, user_id).get("tz") or services.default_timezone
    return tz if is_valid_timezone(tz) else services.default_timezone


def subscribe(
    services: Services, client: WebClient, team_id: str, channel_id: str, user_id: str, wall: time, quiet: bool
) -> DigestSubscription:
    tz = user_timezone(services, client, team_id, user_id)
    with services.db.session() as session:
        return store.subscribe_digest(session, team_id, channel_id, wall, tz, quiet, user_id, services.now())


def confirmation(services: Services, subscription: DigestSubscription) -> str:
    """What `/digest subscribe` says in the channel, in the channel's language."""
    with speaking(languages.of_channel(services, subscription.team_id, subscription.channel_id)):
        next_run = date_token(subscription.next_run_at, tz_name=subscription.timezone)
        return render.subscribed_text(subscription.local_time, subscription.timezone, next_run, subscription.quiet)


def unsubscribe(services: Services, team_id: str, channel_id: str) -> bool:
    with services.db.session() as session:
        return store.unsubscribe_digest(session, team_id, channel_id)


def post_now(services: Services, client: WebClient, team_id: str, channel_id: str, user_id: str) -> None:
    """The digest here, now: in the subscription's zone (else the user's), never quiet."""
    with services.db.read() as session:
        subscription = store.get_digest(session, team_id, channel_id)
    tz = subscription.timezone if subscription else user_timezone(services, client, team_id, user_id)
    now = services.now()
    with services.db.session() as session:
        outbox.digest(
            session, team_id, channel_id, now, requested_by=user_id, start=now.isoformat(), timezone=tz, quiet=False
        )
    services.doorbell.ring()


def queue_due(session: Session, now: datetime, limit: int) -> int:
    """Each due subscription becomes one outbox row, keyed by its run so no clock queues it twice."""
    due = store.take_due(session, now, limit)
    for subscription, run_at in due:
        outbox.digest(
            session,
            subscription.team_id,
            subscription.channel_id,
            now,
            key=f"digest:{subscription.id}:{int(run_at.timestamp())}",
            subscription_id=subscription.id,
            start=run_at.isoformat(),
            timezone=subscription.timezone,
            quiet=subscription.quiet,
        )
    return len(due)


def messages(
    session: Session,
    team_id: str,
    channel_id: str,
    start: datetime,
    tz_name: str,
    *,
    quiet: bool,
    links: PublicLinks | None,
) -> list[tuple[str, list[dict]]]:
    """The digest of `channel_id` from `start`: what is on then and until the end of the 7th day
    after (an event late on that day is in it); with nothing in it, when the next action is."""
    today = local_date(start, tz_name)
    end = start_of_day_utc(today + (render.DAYS + 1) * ONE_DAY, tz_name)
    events = event_store.events_between(session, team_id, start, end, channel_id=channel_id)
    campaigns = campaign_store.by_slug(session, team_id, (e.campaign_slug for e in events))
    next_event = None if events or quiet else event_store.next_event_after(session, team_id, end, channel_id=channel_id)
    return render.digest_messages(
        events,
        today=today,
        quiet=quiet,
        campaigns=campaigns,
        next_event=next_event,
        full_list=links.events_list(team_id) if links else None,
    )
