"""Event workflows: register, edit, cancel, RSVP, list and show.

Each write checks permission at the moment of the write and queues its Slack side effects
(the card, its redraws, thread notes, DMs) in the outbox in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from messages import approval as approval_render
from messages import event_form as form
from messages import events as render
from messages import notices
from messages import reminders as reminder_render
from messages import replies
from services import approval, outbox
from services.event_form import apply, form_values, parse_event_form
from services.permissions import may_manage
from services.runtime import Services
from services.slackapi import before_ack, is_private_channel
from storage import events as queries
from storage import reminders, reports, rsvps, submissions
from storage.models import Event

MAX_ID = 2**31 - 1


def parse_event_id(text: str | None) -> int | None:
    """`12` or `#12` -> 12; anything else (other digits, huge numbers) -> None."""
    match = re.fullmatch(r"#?([0-9]{1,10})", (text or "").strip())
    if not match:
        return None
    value = int(match.group(1))
    return value if 0 < value <= MAX_ID else None


def find(services: Services, team_id: str, event_id: int | None, audience: queries.Audience | None = None) -> Event | None:
    """The event, if it exists and `audience` (when given) may see it: a private channel's
    events are not even admitted to exist elsewhere."""
    if event_id is None:
        return None
    with services.db.read() as session:
        event = queries.get_event(session, team_id, event_id)
    return event if event is not None and (audience is None or audience.may_see(event)) else None


def audience(services: Services, team_id: str, user_id: str, channel_id: str | None) -> queries.Audience:
    """Who is looking, for lists: admins see everything, known from the profile cache only, so
    a list is answered without waiting for Slack (writes check admins afresh)."""
    profile = services.users.cached(team_id, user_id) or {}
    return queries.Audience(channel_id, user_id, everything=bool(profile.get("is_admin") or profile.get("is_owner")))


# --- the modal ------------------------------------------------------------------


def new_form(services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str | None) -> dict:
    """The empty modal with the user's time zone, the current channel and the user as lead contact."""
    profile = services.users.profile(client, team_id, user_id)
    values = form.EventFormValues(
        timezone=profile.get("tz") or services.default_timezone,
        channel_id=channel_id if channel_id and channel_id[0] in "CG" else None,
        contact_name=profile.get("real_name") or profile.get("profile", {}).get("real_name"),
        contact_email=profile.get("profile", {}).get("email"),
    )
    return form.event_form(values)


def _manageable(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None, verb: str) -> Event | str:
    """The event if `user_id` may `verb` it now, else what to tell them."""
    event = find(services, team_id, event_id)
    if event is None:
        return replies.no_such_event(event_id)
    if event.is_cancelled:
        return replies.cannot_edit_cancelled(event) if verb == "edit" else replies.already_cancelled(event)
    if event.is_rejected:
        return approval_render.not_approved(event)
    if not may_manage(services, client, user_id, event):
        return replies.refusal(event, verb)
    return event


def edit_form(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> dict | str:
    """The prefilled modal, or what to tell the user instead."""
    event = _manageable(services, client, team_id, user_id, event_id, "edit")
    if isinstance(event, str):
        return event
    with services.db.read() as session:
        chosen = reminders.lead_times_of(session, event.id)
    return form.event_form(form_values(event, chosen))


@dataclass(frozen=True)
class Submitted:
    errors: dict[str, str] | None = None
    event: Event | None = None


def submit(services: Services, client: WebClient, team_id: str, user_id: str, view: dict) -> Submitted:
    """Save a submitted event form: validated, authorized, idempotent (a replay changes nothing).

    Runs before the ack, so its Slack calls (is the channel private, is the editor an admin)
    give up in time; when Slack does not answer, the safe side is taken (private, not admin).
    """
    client = before_ack(client)
    now = services.now()
    event_id = form.form_event_id(view)
    key = submissions.key_for(view)
    private = _private_channel_of_new_event(client, view) if event_id is None else False
    review = None if event_id else approval.review_for_new_event(services, client, team_id, user_id, private_channel=private)
    try:
        with services.db.session() as session:
            if key and submissions.seen(session, team_id, key):
                return Submitted()
            previous = queries.get_event(session, team_id, event_id) if event_id else None
            if event_id and (previous is None or previous.is_cancelled):
                return Submitted(errors={form.TITLE: replies.FORM_EVENT_GONE})
            if previous is not None and previous.is_rejected:
                return Submitted(errors={form.TITLE: approval_render.not_approved(previous)})
            if previous is not None and not may_manage(services, client, user_id, previous):
                return Submitted(errors={form.TITLE: replies.refusal(previous, "edit")})
            data, errors = parse_event_form((view.get("state") or {}).get("values") or {}, now, previous=previous)
            if errors:
                return Submitted(errors=errors)
            if previous is None:
                event = _create(session, team_id, user_id, data, now, private_channel=private, review=review)
            else:
                event = _edit(session, previous, user_id, data, now)
            if key:
                submissions.remember(session, team_id, key, event.id, now)
    except IntegrityError:
        with services.db.read() as session:
            if key and submissions.seen(session, team_id, key):
                return Submitted()  # the same submission, saved a moment ago by a concurrent delivery
        raise
    services.doorbell.ring()
    return Submitted(event=event)


def _private_channel_of_new_event(client: WebClient, view: dict) -> bool:
    channel_id = form.chosen_channel(view)
    return bool(channel_id) and is_private_channel(client, channel_id)


def _create(session, team_id: str, user_id: str, data, now, *, private_channel: bool, review) -> Event:
    """Store the event and announce it, or hold it for `review` (services.approval)."""
    event = Event(team_id=team_id, created_by=user_id, created_at=now, channel_id=data.channel_id)
    apply(event, data, now)
    if private_channel:  # whatever the form said: an event of a private channel is not public
        event.private_channel, event.is_public = True, False
    queries.add_event(session, event)
    reminders.schedule_reminders(session, event, data.reminders, now)
    if review is None:
        outbox.announce(session, event, now)
    else:
        approval.hold(session, event, review, now)
    return event


def _edit(session, event: Event, user_id: str, data, now) -> Event:
    time_changed = (event.starts_at, event.ends_at) != (data.starts_at, data.ends_at)
    apply(event, data, now)
    # Unsent reminders follow the new start; lead times no longer chosen are cancelled.
    reminders.schedule_reminders(session, event, data.reminders, now)
    if time_changed:
        reports.ask_again_if_moved(event, now)
    if not event.is_approved:  # no card yet: the review request shows the change
        approval.changed_while_pending(session, event, now)
    elif event.message_ts or event.card_error is None:
        outbox.redraw(session, event, now)
        outbox.thread_note(session, event, "updated", now, user=user_id, time_changed=time_changed)
    else:  # the card never made it: saving again is how the organizer asks for another try
        event.card_error = None
        outbox.announce(session, event, now, again=True)
    return event


# --- cancel and RSVP ------------------------------------------------------------


def cancel(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> str:
    """Cancel if allowed: the card says so, its thread too, and everyone going gets a DM."""
    event = _manageable(services, client, team_id, user_id, event_id, "cancel")
    if isinstance(event, str):
        return event
    now = services.now()
    with services.db.session() as session:
        event = queries.get_event(session, team_id, event.id)
        if event.is_cancelled:  # cancelled by someone else in the meantime
            return replies.already_cancelled(event)
        event.cancelled_at, event.cancelled_by = now, user_id
        reminders.cancel_reminders(session, event.id)
        if not event.is_approved:  # never announced: only the reviewers are to know
            approval.changed_while_pending(session, event, now)
        else:
            outbox.redraw(session, event, now)
            outbox.thread_note(session, event, "cancelled", now)
        for person in rsvps.rsvp_users(session, event.id):
            outbox.notice(session, team_id, person, "event_cancelled", now, event_id=event.id)
    services.doorbell.ring()
    return replies.cancelled(event)


def toggle_rsvp(services: Services, team_id: str, user_id: str, event_id: int | None) -> str:
    """"I'm going", or going no more; the card's count follows."""
    now = services.now()
    with services.db.session() as session:
        event = queries.get_event(session, team_id, event_id) if event_id else None
        if event is None or event.is_cancelled:
            return replies.EVENT_CANCELLED
        if not event.is_approved:
            return approval_render.NOT_OPEN_YET
        going = rsvps.set_rsvp(session, event, user_id, not rsvps.is_going(session, event.id, user_id), now)
        outbox.redraw(session, event, now)
    services.doorbell.ring()
    return reminder_render.rsvp_confirmation(event, going)


# --- reading --------------------------------------------------------------------


def list_page(services: Services, team_id: str, offset: int, query: str, where: queries.EventFilter,
              audience: queries.Audience) -> render.ListPage:
    with services.db.read() as session:
        page = queries.upcoming_page(session, team_id, services.now(), where=where, audience=audience, offset=offset,
                                     size=render.LIST_PAGE_SIZE)
    return render.ListPage(events=page.events, offset=offset, has_next=page.has_next, query=query)


def detail(services: Services, client: WebClient, event: Event, user_id: str) -> list[dict]:
    """`/event show`: its organizers also see who is going, the reminders and any delivery problem."""
    organizer = may_manage(services, client, user_id, event)
    with services.db.read() as session:
        going = rsvps.rsvp_users(session, event.id)
        scheduled = reminders.reminders_of(session, event.id)
    sections: list[str] = []
    if organizer:
        if review := approval_render.approval_line(event):
            sections.append(review)
        sections.append(reminder_render.going_summary(going))
        if event.private_channel:
            sections.append(replies.PRIVATE_CHANNEL_EVENT)
        if not event.is_cancelled and (summary := reminder_render.reminders_summary(event, scheduled)):
            sections.append(summary)
        if problem := notices.card_problem_line(event):
            sections.append(problem)
    return render.detail(event, viewer_is_organizer=organizer, going=len(going), organizer_sections=tuple(sections))
