"""Review of new events: the request in the review channel, the reject form, the host's DMs,
and the answers to `/event review`, `/event trust` and the Approve and Reject buttons."""

from __future__ import annotations

from messages import mrkdwn
from messages.events import TYPE_EMOJI, summary, type_label
from messages.limits import FALLBACK_TEXT, shorten
from messages.plural import counted
from storage.models import APPROVAL_REASON_MAX, Campaign, Event, ReviewSetting, TrustedHost

APPROVE_ACTION = "review_approve"
REJECT_ACTION = "review_reject"
REJECT_CALLBACK_ID = "review_reject"
REASON_BLOCK = "reason"


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _when(event: Event) -> str:
    return mrkdwn.date_token(event.approval_at, tz_name=event.timezone) if event.approval_at else ""


def decision_text(event: Event) -> str | None:
    """Who decided, when, and why: for the review message, `/event show` and a second click."""
    if event.is_approved and event.approval_by:
        return f":white_check_mark: Approved by {mrkdwn.user(event.approval_by)} on {_when(event)}."
    if event.is_rejected:
        reason = f" Reason: {mrkdwn.escape(event.approval_reason)}" if event.approval_reason else ""
        return f":x: Not approved by {mrkdwn.user(event.approval_by or '')} on {_when(event)}.{reason}"
    return None


# --- the request in the review channel ---------------------------------------------


def review_fallback(event: Event) -> str:
    state = "Waiting for review" if event.is_pending and not event.is_cancelled else "Reviewed"
    return shorten(f"{state}: {type_label(event)}: {mrkdwn.escape(event.title)} (event #{event.id})", FALLBACK_TEXT)


def review_message(event: Event, campaign: Campaign | None = None) -> list[dict]:
    """The event as its card will show it, who registered it where, and Approve and Reject while
    it waits; once decided (or cancelled by its host) the buttons give way to what happened."""
    heading = ":inbox_tray: *Waiting for review*" if event.is_pending and not event.is_cancelled else ":inbox_tray: Review"
    blocks = [_context(f"{heading} · {TYPE_EMOJI[event.type]} {type_label(event)} · event #{event.id}"), *summary(event, campaign)]
    where = f" for {mrkdwn.channel(event.channel_id)}" if event.channel_id else ""
    public = "" if event.is_public else " · :lock: not open to the public"
    blocks.append(_context(f"Registered by {mrkdwn.user(event.created_by)}{where}{public}"))
    if event.is_cancelled:
        blocks.append(_context(f":no_entry: Cancelled by {mrkdwn.user(event.cancelled_by or '')} before it was announced."))
    elif event.is_pending:
        blocks.append(_review_buttons(event))
    elif decided := decision_text(event):
        blocks.append(_context(decided))
    return blocks


def _review_buttons(event: Event) -> dict:
    value = str(event.id)
    return {
        "type": "actions",
        "block_id": f"review_{event.id}",
        "elements": [
            {"type": "button", "action_id": APPROVE_ACTION, "style": "primary",
             "text": {"type": "plain_text", "text": "Approve"}, "value": value},
            {"type": "button", "action_id": REJECT_ACTION, "style": "danger",
             "text": {"type": "plain_text", "text": "Reject"}, "value": value},
        ],
    }


# --- the reject form -------------------------------------------------------------------


def reject_modal(event: Event) -> dict:
    return {
        "type": "modal",
        "callback_id": REJECT_CALLBACK_ID,
        "private_metadata": str(event.id),
        "title": {"type": "plain_text", "text": "Reject event"},
        "submit": {"type": "plain_text", "text": "Reject"},
        "close": {"type": "plain_text", "text": "Back"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*#{event.id} {mrkdwn.escape(shorten(event.title, 200))}*\n"
                                                                   f"Registered by {mrkdwn.user(event.created_by)}. They will get your reason by DM."}},
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": {"type": "plain_text", "text": "Reason"},
                "element": {"type": "plain_text_input", "action_id": REASON_BLOCK, "multiline": True,
                            "max_length": APPROVAL_REASON_MAX,
                            "placeholder": {"type": "plain_text", "text": "What the host should know or change"}},
            },
        ],
    }


GIVE_A_REASON = "Say why, so that the host knows what to change."


# --- answers to the reviewer --------------------------------------------------------------

REVIEWERS_ONLY = "Only workspace admins can approve or reject events."
ADMINS_ONLY = "Only workspace admins can change who reviews events."
REVIEW_NEEDS_CHANNEL = ("Which channel should review new events? Pick it as you type `#`, like `/event review on #events-review` "
                        "(a channel, not a DM).")
WHICH_PERSON = "Whom? Pick them as you type `@`, like `/event trust @Sara`."


def approved_reply(event: Event) -> str:
    return f":white_check_mark: Approved event #{event.id}: its card goes up in {mrkdwn.channel(event.channel_id or '')} and its host is told."


def rejected_reply(event: Event) -> str:
    return f":x: Event #{event.id} was not approved; its host gets your reason by DM."


def already_decided(event: Event) -> str:
    if event.is_cancelled and event.is_pending:
        return f"Event #{event.id} was cancelled by {mrkdwn.user(event.cancelled_by or '')} before anyone decided."
    return f"Event #{event.id} was already decided. {decision_text(event) or ''}".strip()


# --- `/event review`, `/event trust` ---------------------------------------------------------


def review_on_text(channel_id: str) -> str:
    return (f":inbox_tray: Review is on: new events by members who are not admins or trusted wait in "
            f"{mrkdwn.channel(channel_id)} for an admin to approve them before they are announced, listed or public. "
            "Events announced in private channels are not reviewed (they stay in their channel). "
            "If the channel is private, `/invite` me there.")


def review_off_text(pending: int) -> str:
    waiting = (f" {counted(pending, 'event is', 'events are')} still waiting: they stay pending until an admin "
               "decides them from the review channel." if pending else "")
    return f"Review is off: new events are announced as soon as they are saved.{waiting}"


def review_status_text(setting: ReviewSetting | None, trusted: list[TrustedHost], pending: int) -> str:
    if setting is not None and setting.enabled:
        state = (f":inbox_tray: *Review is on* in {mrkdwn.channel(setting.channel_id)} since "
                 f"{mrkdwn.date_token(setting.changed_at, '{date_short_pretty}', tz_name='UTC')}, "
                 f"by {mrkdwn.user(setting.changed_by)}.")
    elif setting is not None:
        state = f"*Review is off* (turned off by {mrkdwn.user(setting.changed_by)}). `/event review on #channel` turns it on."
    else:
        state = "*Review is off.* `/event review on #channel` makes new events by members wait for an admin's approval."
    lines = [state, f"Waiting for a decision: {counted(pending, 'event')}."]
    if trusted:
        lines.append("Trusted hosts (their events skip review): " + ", ".join(mrkdwn.user(t.user_id) for t in trusted))
    else:
        lines.append("No trusted hosts yet: `/event trust @someone` lets their events skip review.")
    return "\n".join(lines)


def trusted_text(user_id: str, *, added: bool) -> str:
    if not added:
        return f"{mrkdwn.user(user_id)} is already trusted: their events skip review."
    return f":handshake: {mrkdwn.user(user_id)} is trusted: their new events are announced without review."


def untrusted_text(user_id: str, *, removed: bool) -> str:
    if not removed:
        return f"{mrkdwn.user(user_id)} was not on the trusted list."
    return f"{mrkdwn.user(user_id)} is no longer trusted: while review is on, their new events wait for approval."


# --- what the host is told ---------------------------------------------------------------------


def _about(event: Event) -> str:
    return f"event #{event.id} “{mrkdwn.escape(shorten(event.title, 200))}”"


def pending_dm_text(event: Event) -> str:
    return (f":hourglass_flowing_sand: Thanks! Your {_about(event)} is saved and waiting for review by the coalition's admins. "
            f"I'll tell you here as soon as it is approved and announced. `/event show {event.id}` shows it meanwhile.")


def approved_dm_text(event: Event) -> str:
    return (f":white_check_mark: Your {_about(event)} was approved by {mrkdwn.user(event.approval_by or '')} "
            f"and is announced in {mrkdwn.channel(event.channel_id or '')}.")


def rejected_dm_text(event: Event) -> str:
    reason = f"\n>{mrkdwn.escape(event.approval_reason)}" if event.approval_reason else ""
    return (f":x: Your {_about(event)} was not approved by {mrkdwn.user(event.approval_by or '')}, so it will not be "
            f"announced.{reason}\nYou can ask them about it, and register it again with `/event new`.")


def approval_line(event: Event) -> str | None:
    """For `/event show`, to the host and admins: where the event stands in review."""
    if event.is_pending:
        return ":hourglass_flowing_sand: *Waiting for review*: not announced or listed until an admin approves it."
    return decision_text(event)


def not_approved(event: Event) -> str:
    return f"Event #{event.id} was not approved, so it can't be changed. Register it again with `/event new`."


NOT_OPEN_YET = "That event is waiting for review: RSVPs open once it is approved and announced."
