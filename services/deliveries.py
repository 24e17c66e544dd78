"""What each kind of outbox row does when it is delivered: render from the current rows, post or
update, and say what to record. Pure decisions plus Slack calls; no database writes here
(the worker records the results of the posts that finish together in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from messages import approval as approval_render
from messages import emails, failures, notices
from messages import events as event_render
from messages import export as export_render
from messages import reminders as reminder_render
from messages import reports as report_render
from messages.i18n import DEFAULT_LANGUAGE, speaking
from messages.links import PublicLinks
from services import digests, exports, home, webhooks
from services import outbox as kinds
from services.mailer import Mailer
from services.mailer import classify as classify_smtp
from services.permissions import is_admin_or_raise
from services.slackapi import Failure, FailureKind, Posted, Poster, classify
from services.webhooks import Webhook
from storage import digests as digest_store
from storage import homes as home_store
from storage import outbox as outbox_store
from storage import signups as signup_store
from storage.changes import Change
from storage.models import Campaign, Event, OutboxMessage, OutboxStatus, RecipientType, Reminder, ReminderStatus, Signup
from timemath import local_date

# Sent within this long after due_at counts as on time; later (but before the start) is "sent late".
GRACE = timedelta(minutes=5)
# A digest this late (the clock was down) is dropped: the next one is at most a day away.
DIGEST_STALE = timedelta(hours=6)
# How soon a row waiting for its event's card looks again (the card being posted makes it due at once).
WAIT_FOR_CARD = timedelta(seconds=5)

Effect = Callable[[Session], None]


@dataclass
class Job:
    """One claimed row and what it is about, loaded when it is claimed."""

    row: OutboxMessage
    event: Event | None
    reminder: Reminder | None
    going: int
    now: datetime
    poster: Poster | None  # None: the row's workspace has no working token
    read: Callable  # opens a read-only session, for the rare kind that needs more rows
    links: PublicLinks | None = None  # cards link to the public pages
    campaign: Campaign | None = None  # the event's, shown on its card
    # What it is written in: its channel's language, or its person's (asked of Slack when first needed).
    language: str | Callable[[], str] = DEFAULT_LANGUAGE
    default_timezone: str = "America/New_York"  # the workspace's day, for what is on today (a Home's dashboard)
    signup: Signup | None = None  # the member of the public an email goes to (its channel names them)
    mailer: Mailer | None = None  # SMTP_URL's; None: no email is sent
    webhook: Webhook | None = None  # WEBHOOK_URL's


@dataclass
class Result:
    status: str  # an OutboxStatus value; PENDING means "try again at next_attempt_at"
    posted: Posted | None = None
    failure: Failure | None = None
    progress: int | None = None
    wait: timedelta | None = None  # PENDING without counting an attempt (waiting on another row)
    effects: list[Effect] = field(default_factory=list)
    # The reminder's own outcome (`id` and columns to set), written with the others recorded with it, in bulk.
    reminder_outcome: dict | None = None


def outside_slack(row: OutboxMessage) -> bool:
    """Whether a row goes out by email (to a sign-up) or to the webhook, not through its workspace's Slack."""
    return signup_store.id_of(row.channel) is not None or row.kind == kinds.WEBHOOK


def deliver(job: Job) -> Result:
    if job.poster is None and not outside_slack(job.row):  # revoked or uninstalled: it waits for a reinstall
        return Result(OutboxStatus.HELD.value, failure=Failure(outbox_store.NOT_INSTALLED, FailureKind.REVOKED))
    handler = HANDLERS.get(job.row.kind)
    if handler is None:
        return Result(
            OutboxStatus.FAILED.value, failure=Failure(f"unknown kind {job.row.kind}", FailureKind.PERMANENT)
        )  # untranslated: a bug, for the logs
    with speaking(job.language):
        return handler(job)


# --- helpers --------------------------------------------------------------------


def _post_parts(
    job: Job,
    channel: str,
    parts: list[tuple[str, list[dict] | None]],
    *,
    thread_ts: str | None = None,
    join: bool = False,
) -> Result:
    """Post the next of `parts` (text, blocks), from the row's progress, under its own key. While
    parts remain the row stays due, so each part takes its turn at the channel's pace."""
    row = job.row
    index = row.progress
    if index >= len(parts):
        return Result(OutboxStatus.SENT.value, progress=len(parts))
    text, blocks = parts[index]
    key = row.key if len(parts) == 1 else f"{row.key}#{index}"
    try:
        posted = job.poster.post(
            channel, key, text=text, blocks=blocks, thread_ts=thread_ts, uncertain_since=row.uncertain_since, join=join
        )
    except Exception as error:  # noqa: BLE001 - classified: every failure is recorded, none escapes
        return Result(OutboxStatus.PENDING.value, failure=classify(error), progress=index)
    if index + 1 < len(parts):
        return Result(OutboxStatus.PENDING.value, posted=posted, progress=index + 1, wait=timedelta(0))
    return Result(OutboxStatus.SENT.value, posted=posted, progress=len(parts))


def _waiting_for_card(job: Job) -> Result | None:
    """Rows that belong in the card or its thread wait while the card is on its way."""
    if job.event is not None and job.event.message_ts:
        return None
    with job.read() as session:  # now, not when the batch was loaded: the card may be in this batch
        card_status = card_statuses(session, {job.row.event_id}).get(job.row.event_id)
        posted = session.get(Event, job.row.event_id)
    if posted is not None and posted.message_ts:
        job.event = posted
        return None
    if card_status in (OutboxStatus.PENDING.value, OutboxStatus.CLAIMED.value):
        return Result(OutboxStatus.PENDING.value, wait=WAIT_FOR_CARD)
    return Result(OutboxStatus.CANCELLED.value, failure=Failure(failures.CARD_NEVER_POSTED, FailureKind.PERMANENT))


def _event_gone(job: Job) -> Result | None:
    if job.event is None:
        return Result(OutboxStatus.CANCELLED.value, failure=Failure(failures.EVENT_DELETED, FailureKind.PERMANENT))
    return None


# --- kinds ----------------------------------------------------------------------


def _card(job: Job) -> Result:
    if (gone := _event_gone(job)) is not None:
        return gone
    event = job.event
    if event.is_cancelled:
        return Result(OutboxStatus.CANCELLED.value, effects=[_release_waiting(event.id, job.now)])
    card = [
        (
            event_render.fallback_text(event),
            event_render.card(event, going=job.going, campaign=job.campaign, links=job.links),
        )
    ]
    result = _post_parts(job, event.channel_id, card, join=True)
    if result.status == OutboxStatus.SENT.value:
        posted = result.posted
        permalink = job.poster.permalink(posted.channel, posted.ts)
        result.effects += [_card_posted(event.id, posted, permalink), _release_waiting(event.id, job.now)]
        # The later rows of this batch share this event (loaded once): they find its thread at once.
        event.message_ts, event.channel_id, event.permalink = posted.ts, posted.channel, permalink
    elif result.failure.kind is FailureKind.PERMANENT:
        result.effects += [_card_failed(event, result.failure.code, job.now), _release_waiting(event.id, job.now)]
    return result


def _card_posted(event_id: int, posted: Posted, permalink: str | None) -> Effect:
    def effect(session: Session) -> None:
        event = session.get(Event, event_id)
        if event is not None:
            event.message_ts, event.channel_id, event.permalink, event.card_error = (
                posted.ts,
                posted.channel,
                permalink,
                None,
            )

    return effect


def _card_failed(event: Event, code: str, now: datetime) -> Effect:
    def effect(session: Session) -> None:
        stored = session.get(Event, event.id)
        if stored is not None:
            stored.card_error = code[:200]
            kinds.notice(session, event.team_id, event.created_by, "card_failed", now, event_id=event.id, error=code)

    return effect


def _release_waiting(event_id: int, now: datetime) -> Effect:
    return lambda session: outbox_store.make_due(session, event_id, kinds.WAITS_FOR_CARD, now)


def _card_update(job: Job) -> Result:
    if (gone := _event_gone(job)) is not None:
        return gone
    if (waiting := _waiting_for_card(job)) is not None:
        return waiting
    event = job.event
    return _update(
        job,
        event.channel_id,
        event.message_ts,
        event_render.fallback_text(event),
        event_render.card(event, going=job.going, campaign=job.campaign, links=job.links),
    )


def _update(job: Job, channel: str, ts: str, text: str, blocks: list[dict]) -> Result:
    try:
        job.poster.update(channel, ts, text=text, blocks=blocks)
    except Exception as error:  # noqa: BLE001
        failure = classify(error)
        if failure.kind is FailureKind.UNCERTAIN:  # an update is safe to repeat: nothing to look for
            failure = Failure(failure.code, FailureKind.TRANSIENT)
        return Result(OutboxStatus.PENDING.value, failure=failure)
    return Result(OutboxStatus.SENT.value, posted=Posted(channel, ts))


def _thread_note(job: Job) -> Result:
    if (gone := _event_gone(job)) is not None:
        return gone
    if (waiting := _waiting_for_card(job)) is not None:
        return waiting
    event, args = job.event, job.row.args
    text = notices.thread_note(event, args.get("note", ""), args)
    return _post_parts(job, event.channel_id, [(text, None)], thread_ts=event.message_ts)


def _notice(job: Job) -> Result:
    args = job.row.args
    if args.get("notice") in notices.ABOUT_AN_EVENT_STILL_ON and (job.event is None or job.event.is_cancelled):
        return Result(OutboxStatus.CANCELLED.value, failure=Failure(failures.EVENT_CANCELLED, FailureKind.PERMANENT))
    text = notices.direct_notice(args.get("notice", ""), job.event, args)
    return _post_parts(
        job, job.row.channel, [(text, notices.direct_notice_blocks(args.get("notice", ""), job.event, text))]
    )


def _share(job: Job) -> Result:
    parts = [(m.get("text") or "", m.get("blocks")) for m in job.row.args.get("messages", [])]
    result = _post_parts(job, job.row.channel, parts, join=True)
    _tell_requester_if_failed(job, result)
    return result


def _tell_requester_if_failed(job: Job, result: Result) -> None:
    row = job.row
    if result.failure and result.failure.kind is FailureKind.PERMANENT and row.requested_by:
        result.effects.append(
            lambda session: kinds.notice(
                session,
                row.team_id,
                row.requested_by,
                "post_failed",
                job.now,
                channel=row.channel,
                error=result.failure.code,
            )
        )


def _digest(job: Job) -> Result:
    args = job.row.args
    start = datetime.fromisoformat(args["start"])
    if job.now - start > DIGEST_STALE:
        result = Result(OutboxStatus.SKIPPED.value, failure=Failure(failures.DIGEST_STALE, FailureKind.PERMANENT))
    else:
        with job.read() as session:
            messages = digests.messages(
                session,
                job.row.team_id,
                job.row.channel,
                start,
                args["timezone"],
                quiet=bool(args.get("quiet")),
                links=job.links,
            )
        result = _post_parts(job, job.row.channel, messages)
        _tell_requester_if_failed(job, result)
    subscription_id = args.get("subscription_id")
    if subscription_id and result.status != OutboxStatus.PENDING.value:
        sent = result.status == OutboxStatus.SENT.value
        error = result.failure.code if result.failure else None
        result.effects.append(
            lambda session: digest_store.record(session, subscription_id, job.now, sent=sent, error=error)
        )
    return result


def _reminder(job: Job) -> Result:
    reminder, event, now = job.reminder, job.event, job.now
    if reminder is None or reminder.status != ReminderStatus.QUEUED.value:
        return Result(OutboxStatus.CANCELLED.value)
    if event is None or event.is_cancelled:
        return _reminder_done(Result(OutboxStatus.CANCELLED.value), reminder, ReminderStatus.CANCELLED)
    if not event.is_approved:  # waiting for review (or rejected): nothing announced to remind of
        result = Result(OutboxStatus.SKIPPED.value, failure=Failure(failures.NOT_APPROVED, FailureKind.PERMANENT))
        return _reminder_done(result, reminder, ReminderStatus.SKIPPED, last_error=failures.NOT_APPROVED)
    if now >= event.starts_at:
        result = Result(OutboxStatus.SKIPPED.value, failure=Failure(failures.ALREADY_STARTED, FailureKind.PERMANENT))
        return _reminder_done(result, reminder, ReminderStatus.SKIPPED, last_error=failures.ALREADY_STARTED)
    if reminder.recipient_type == RecipientType.SIGNUP.value:
        return _reminder_sent(
            job, _send_email(job, lambda signup, to: emails.reminder(event, signup, reminder.kind, to, now))
        )
    direct = reminder.recipient_type == RecipientType.USER.value
    in_thread = not direct and event.message_ts and event.channel_id == reminder.recipient
    late = now > reminder.due_at + GRACE
    left = event.starts_at - now if late else None  # a late one says how long is really left
    part = (
        reminder_render.reminder_fallback(event, reminder.kind, left=left),
        reminder_render.reminder_blocks(event, reminder.kind, direct=direct, left=left),
    )
    return _reminder_sent(
        job, _post_parts(job, reminder.recipient, [part], thread_ts=event.message_ts if in_thread else None)
    )


def _reminder_sent(job: Job, result: Result) -> Result:
    """The reminder's own outcome after an attempt to send it: sent (on time or late), failed for good, or to retry."""
    reminder, event, now = job.reminder, job.event, job.now
    late = now > reminder.due_at + GRACE
    if result.status == OutboxStatus.SENT.value:
        status = ReminderStatus.SENT_LATE if late else ReminderStatus.SENT
        return _reminder_done(
            result, reminder, status, slack_ts=result.posted.ts if result.posted else None, sent_at=now
        )
    if result.status != OutboxStatus.PENDING.value:  # nobody to send it to, or no email sent at all
        return _reminder_done(
            result, reminder, ReminderStatus.SKIPPED, last_error=result.failure.code[:200] if result.failure else None
        )
    if result.failure.kind is FailureKind.PERMANENT:
        if reminder.recipient_type == RecipientType.CHANNEL.value:
            result.effects.append(_tell_organizer_once(event, reminder.recipient, result.failure.code, now))
        return _reminder_done(result, reminder, ReminderStatus.FAILED, last_error=result.failure.code[:200])
    return result


def _tell_organizer_once(event: Event, channel: str, code: str, now: datetime) -> Effect:
    """A reminder that can never be posted in `channel` (archived, the bot removed): the event's
    organizer is told what to do by DM, once per channel and cause, however many reminders fail so."""
    return lambda session: kinds.notice_once(
        session,
        event.team_id,
        event.created_by,
        "post_failed",
        now,
        once=f"{event.team_id}:{event.created_by}:{channel}:{code[:40]}",
        channel=channel,
        error=code,
    )


def _reminder_done(result: Result, reminder: Reminder, status: ReminderStatus, **values) -> Result:
    """Write the reminder's own outcome (what `/event show` reports) with the outbox row's."""
    result.reminder_outcome = {"id": reminder.id, "status": status.value, "attempts": reminder.attempts + 1, **values}
    return result


def _export(job: Job) -> Result:
    """Build the CSV now, for who the requester is now, and share it in their DM."""
    row = job.row
    try:
        admin = is_admin_or_raise(job.poster.client, row.team_id, row.requested_by)
        with job.read() as session:
            built = exports.build(
                session, row.team_id, row.requested_by, admin=admin, now=job.now, campaign_slug=row.args.get("campaign")
            )
        job.poster.upload(
            row.channel,
            filename=export_render.filename(job.now.date(), row.id, built.campaign),
            content=built.content,
            title=export_render.title(built.campaign),
            comment=export_render.comment(built.events, built.hidden_emails, built.campaign),
            uncertain_since=row.uncertain_since,
        )
    except Exception as error:  # noqa: BLE001 - classified: every failure is recorded, none escapes
        return Result(OutboxStatus.PENDING.value, failure=classify(error))
    return Result(OutboxStatus.SENT.value)


def _review(job: Job) -> Result:
    """The review request, drawn from the event now (a decision made meanwhile shows at once)."""
    if (gone := _event_gone(job)) is not None:
        return gone
    event = job.event
    request = (approval_render.review_fallback(event), approval_render.review_message(event, job.campaign))
    result = _post_parts(job, job.row.channel, [request], join=True)
    _tell_requester_if_failed(job, result)
    if result.status == OutboxStatus.SENT.value or result.failure.kind is FailureKind.PERMANENT:
        result.effects.append(lambda session: outbox_store.make_due(session, event.id, [kinds.REVIEW_UPDATE], job.now))
    return result


def _review_update(job: Job) -> Result:
    """Redraw the review request where it was posted; wait while it is on its way."""
    if (gone := _event_gone(job)) is not None:
        return gone
    with job.read() as session:
        asked = outbox_store.latest(session, job.row.event_id, kinds.REVIEW)
    if asked is not None and asked.status in (OutboxStatus.PENDING.value, OutboxStatus.CLAIMED.value):
        return Result(OutboxStatus.PENDING.value, wait=WAIT_FOR_CARD)
    if asked is None or not asked.slack_ts:
        return Result(
            OutboxStatus.CANCELLED.value, failure=Failure(failures.REVIEW_NEVER_POSTED, FailureKind.PERMANENT)
        )
    event = job.event
    return _update(
        job,
        asked.slack_channel,
        asked.slack_ts,
        approval_render.review_fallback(event),
        approval_render.review_message(event, job.campaign),
    )


def _report_ask(job: Job) -> Result:
    """ "How did it go?" to one host; not to the hosts of an event cancelled meanwhile."""
    if (gone := _event_gone(job)) is not None:
        return gone
    if job.event.is_cancelled:
        return Result(OutboxStatus.CANCELLED.value)
    part = (report_render.ask_fallback(job.event), report_render.ask_blocks(job.event))
    return _post_parts(job, job.row.channel, [part])


def _home(job: Job) -> Result:
    """Republish a person's App Home as it stands now; whether it shows the staff dashboard is
    asked of Slack now. Publishing is safe to repeat: an uncertain outcome is simply retried."""
    row = job.row
    try:
        staff, slack_language = home.drawn_for(job.poster.client, row.team_id, row.channel)
        with job.read() as session:
            view = home.view(
                session,
                row.team_id,
                row.channel,
                staff=staff,
                slack_language=slack_language,
                now=job.now,
                today=local_date(job.now, job.default_timezone),
                links=job.links,
            )
        job.poster.publish(row.channel, view)
    except Exception as error:  # noqa: BLE001 - classified: every failure is recorded, none escapes
        failure = classify(error)
        if failure.kind is FailureKind.UNCERTAIN:
            failure = Failure(failure.code, FailureKind.TRANSIENT)
        return Result(OutboxStatus.PENDING.value, failure=failure)
    return Result(
        OutboxStatus.SENT.value,
        effects=[lambda session: home_store.record_staff(session, row.team_id, row.channel, staff)],
    )


def _email(job: Job) -> Result:
    """An email to a member of the public about their event, drawn from the event as it is now."""
    event, what = job.event, job.row.args.get("email")
    if (gone := _event_gone(job)) is not None:
        return gone
    if what == "confirmation":
        if event.is_cancelled or job.signup is None or not job.signup.is_going:
            return Result(OutboxStatus.CANCELLED.value)
        return _send_email(job, lambda signup, to: emails.confirmation(event, signup, to, job.now))
    if what == "changed" and (change := Change.from_args(job.row.args)):
        if event.is_cancelled:  # the cancellation says more
            return Result(OutboxStatus.CANCELLED.value)
        return _send_email(job, lambda signup, to: emails.changed(event, signup, change, to, job.now))
    if what == "cancelled":
        return _send_email(job, lambda signup, to: emails.cancelled(event, signup, to, job.now))
    return Result(
        OutboxStatus.FAILED.value, failure=Failure(f"unknown email {what}", FailureKind.PERMANENT)
    )  # untranslated: a bug, for the logs


def _send_email(job: Job, compose: Callable[[Signup, emails.Addressing], EmailMessage]) -> Result:
    """Send one email to the row's sign-up, under the Message-ID of the row (the same at every
    attempt: SMTP cannot be asked whether an attempt whose answer was lost went through)."""
    signup, mailer = job.signup, job.mailer
    if signup is None or signup.email is None:  # erased, or gone with its event
        return Result(OutboxStatus.CANCELLED.value, failure=Failure(failures.ADDRESS_ERASED, FailureKind.PERMANENT))
    if mailer is None:
        return Result(OutboxStatus.SKIPPED.value, failure=Failure(failures.NO_EMAIL, FailureKind.PERMANENT))
    links = mailer.links
    to = emails.Addressing(
        sender=mailer.sender,
        message_id=mailer.message_id(job.row.key),
        signup_url=links.signup_page(signup.team_id, signup.token, signup.language),
        cancel_url=links.signup_cancel(signup.team_id, signup.token),
        event_url=links.event_page(job.event),
    )
    try:
        mailer.send(compose(signup, to))
    except Exception as error:  # noqa: BLE001 - classified: every failure is recorded, none escapes
        return Result(OutboxStatus.PENDING.value, failure=classify_smtp(error))
    return Result(OutboxStatus.SENT.value)


def _webhook(job: Job) -> Result:
    """POST what happened, drawn now (a person erased meanwhile goes without their data)."""
    if (gone := _event_gone(job)) is not None:
        return gone
    if job.webhook is None:  # WEBHOOK_URL was unset since
        return Result(OutboxStatus.CANCELLED.value)
    row = job.row
    signup = None
    if signup_id := row.args.get("signup_id"):
        with job.read() as session:
            signup = session.get(Signup, signup_id)
    event_url = job.links.event_page(job.event) if job.links else None
    body = webhooks.payload(
        row.args.get("webhook", ""), row.key, job.event, signup, row.created_at, event_url=event_url
    )
    try:
        job.webhook.post(row.key, body)
    except Exception as error:  # noqa: BLE001 - classified: every failure is recorded, none escapes
        return Result(OutboxStatus.PENDING.value, failure=webhooks.classify(error))
    return Result(OutboxStatus.SENT.value)


HANDLERS: dict[str, Callable[[Job], Result]] = {
    kinds.CARD: _card,
    kinds.CARD_UPDATE: _card_update,
    kinds.THREAD_NOTE: _thread_note,
    kinds.NOTICE: _notice,
    kinds.SHARE: _share,
    kinds.DIGEST: _digest,
    kinds.REMINDER: _reminder,
    kinds.EXPORT: _export,
    kinds.REVIEW: _review,
    kinds.REVIEW_UPDATE: _review_update,
    kinds.REPORT_ASK: _report_ask,
    kinds.HOME: _home,
    kinds.EMAIL: _email,
    kinds.WEBHOOK: _webhook,
}


def card_statuses(session: Session, event_ids: set[int]) -> dict[int, str]:
    """The status of each event's card row (the latest), for rows that wait for the card."""
    if not event_ids:
        return {}
    query = (
        select(OutboxMessage.event_id, OutboxMessage.status)
        .where(OutboxMessage.event_id.in_(event_ids), OutboxMessage.kind == kinds.CARD)
        .order_by(OutboxMessage.id)
    )
    return {event_id: status for event_id, status in session.execute(query)}


def gave_up(job: Job, failure: Failure) -> Result:
    """What to record besides the row (its effects and reminder outcome) when a transient
    failure has been retried too often."""
    row = job.row
    if row.kind == kinds.REMINDER and job.reminder is not None:
        return _reminder_done(
            Result(OutboxStatus.FAILED.value),
            job.reminder,
            ReminderStatus.FAILED,
            last_error=failures.gave_up(failure.code)[:200],
        )
    if row.kind == kinds.CARD and job.event is not None:
        return Result(
            OutboxStatus.FAILED.value,
            effects=[_card_failed(job.event, failure.code, job.now), _release_waiting(job.event.id, job.now)],
        )
    result = Result(OutboxStatus.FAILED.value, failure=Failure(failure.code, FailureKind.PERMANENT))
    if row.kind in (kinds.SHARE, kinds.DIGEST, kinds.REVIEW):
        _tell_requester_if_failed(job, result)
    return result
