"""Review of new events: turning it on and off, trusted hosts, holding an event for review,
and approving or rejecting it.

While a team's review is on, an event registered by someone who is neither a workspace admin
nor trusted is saved as pending: it is posted to the review channel with Approve and Reject
instead of being announced, and is not listed, digested or public. Approving announces it
(the card, through the outbox, as any new event); rejecting keeps it unannounced. Its host is
told by DM either way. Every decision checks, at the moment of the click, that the clicker is
an admin, and is taken in one conditional write, so two reviewers never both decide.

Decisions kept simple on purpose:
- Events announced in a private channel are not reviewed: they are never public, and the
  review channel would show them outside their channel.
- Turning review off leaves pending events pending, to be decided from the review channel.
- Editing a pending event keeps it pending (the review request is redrawn); editing an
  approved event does not send it back to review. A rejected event cannot be edited.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from messages import approval as render
from messages import replies
from services import outbox
from services.permissions import may_review, skips_review
from services.runtime import Services
from services.slackapi import before_ack
from storage import approvals as store
from storage import events as queries
from storage import hosts, reminders
from storage.models import APPROVAL_REASON_MAX, ApprovalState, Event, ReviewSetting

# --- the team's setting ---------------------------------------------------------------


def status(services: Services, team_id: str) -> str:
    """`/event review`: on or off, where, what waits, who is trusted. Anyone may ask."""
    with services.db.read() as session:
        setting = store.review_setting(session, team_id)
        return render.review_status_text(
            setting, store.trusted_hosts(session, team_id), store.pending_count(session, team_id)
        )


def turn_on(services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str) -> str:
    if not may_review(services, client, team_id, user_id):
        return render.admins_only()
    with services.db.session() as session:
        store.set_review(session, team_id, enabled=True, channel_id=channel_id, user_id=user_id, now=services.now())
    return render.review_on_text(channel_id)


def turn_off(services: Services, client: WebClient, team_id: str, user_id: str) -> str:
    if not may_review(services, client, team_id, user_id):
        return render.admins_only()
    with services.db.session() as session:
        store.set_review(session, team_id, enabled=False, channel_id=None, user_id=user_id, now=services.now())
        pending = store.pending_count(session, team_id)
    return render.review_off_text(pending)


def trust(services: Services, client: WebClient, team_id: str, user_id: str, host: str) -> str:
    if not may_review(services, client, team_id, user_id):
        return render.admins_only()
    with services.db.session() as session:
        added = store.trust(session, team_id, host, user_id, services.now())
    return render.trusted_text(host, added=added)


def untrust(services: Services, client: WebClient, team_id: str, user_id: str, host: str) -> str:
    if not may_review(services, client, team_id, user_id):
        return render.admins_only()
    with services.db.session() as session:
        removed = store.untrust(session, team_id, host)
    return render.untrusted_text(host, removed=removed)


# --- new events ---------------------------------------------------------------------------


def review_for_new_event(
    services: Services, client: WebClient, team_id: str, user_id: str, *, private_channel: bool
) -> ReviewSetting | None:
    """The review a new event by `user_id` must wait for, or None to announce it at once.
    Asks Slack whether they are an admin only when review is on and they are not trusted."""
    if private_channel:
        return None
    with services.db.read() as session:
        setting = store.review_setting(session, team_id)
    if setting is None or not setting.enabled or skips_review(services, client, team_id, user_id):
        return None
    return setting


def hold(session: Session, event: Event, review: ReviewSetting, now: datetime) -> None:
    """Save the new event as pending: the reviewers are asked, its host is told it waits."""
    event.approval = ApprovalState.PENDING.value
    outbox.review(session, event, review.channel_id, review.changed_by, now)
    outbox.notice(session, event.team_id, event.created_by, "event_pending", now, event_id=event.id)


def changed_while_pending(session: Session, event: Event, now: datetime) -> None:
    """An edit or a cancel of an event not yet decided shows in its review request."""
    if event.is_pending:
        outbox.review_update(session, event, now)


# --- decisions ------------------------------------------------------------------------------


def approve(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> str:
    """The Approve button: announce the event and tell its host."""
    if not may_review(services, client, team_id, user_id):
        return render.reviewers_only()
    now = services.now()
    with services.db.session() as session:
        event = queries.get_event(session, team_id, event_id) if event_id else None
        if event is None:
            return replies.no_such_event(event_id)
        if not store.decide(session, event, ApprovalState.APPROVED, user_id, now):
            return render.already_decided(event)
        outbox.announce(session, event, now)
        _decided(session, event, "event_approved", now)
    services.doorbell.ring()
    return render.approved_reply(event)


def reject_form(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> dict | str:
    """The Reject button: the form asking why, or what to tell the clicker instead."""
    if not may_review(services, client, team_id, user_id):
        return render.reviewers_only()
    with services.db.read() as session:
        event = queries.get_event(session, team_id, event_id) if event_id else None
    if event is None:
        return replies.no_such_event(event_id)
    if not event.is_pending or event.is_cancelled:
        return render.already_decided(event)
    return render.reject_modal(event)


def reject(
    services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None, reason: str
) -> dict[str, str] | None:
    """The reject form submitted: errors to show in it, or None once the event is rejected.
    Runs before the ack, so the admin check gives up in time (and then refuses)."""
    reason = " ".join(reason.split())[:APPROVAL_REASON_MAX]
    if not reason:
        return {render.REASON_BLOCK: render.give_a_reason()}
    if not may_review(services, before_ack(client), team_id, user_id):
        return {render.REASON_BLOCK: render.reviewers_only()}
    now = services.now()
    with services.db.session() as session:
        event = queries.get_event(session, team_id, event_id) if event_id else None
        if event is None:
            return {render.REASON_BLOCK: replies.no_such_event(event_id)}
        if not store.decide(session, event, ApprovalState.REJECTED, user_id, now, reason=reason):
            return {render.REASON_BLOCK: render.already_decided(event)}
        reminders.cancel_reminders(session, event.id)
        _decided(session, event, "event_rejected", now)
    services.doorbell.ring()
    return None


def _decided(session: Session, event: Event, notice: str, now: datetime) -> None:
    """Redraw the review request; tell the event's hosts (its creator and co-hosts)."""
    outbox.review_update(session, event, now)
    for host in (event.created_by, *hosts.co_hosts(session, event.id)):
        outbox.notice(session, event.team_id, host, notice, now, event_id=event.id)
    outbox.event_homes_changed(session, event, now)
