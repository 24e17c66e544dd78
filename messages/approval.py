"""Review of new events: the request in the review channel, the reject form, the host's DMs,
and the answers to `/event review`, `/event trust` and the Approve and Reject buttons."""

from __future__ import annotations

from messages import blockkit, mrkdwn
from messages.events import TYPE_EMOJI, summary, type_label
from messages.i18n import catalog
from messages.limits import FALLBACK_TEXT, MODAL_TITLE, shorten
from messages.plural import number
from storage.models import (
    APPROVAL_REASON_MAX,
    Campaign,
    Event,
    ReviewSetting,
    TrustedHost,
)

_, ngettext, pgettext = catalog("approval")

APPROVE_ACTION = "review_approve"
REJECT_ACTION = "review_reject"
REJECT_CALLBACK_ID = "review_reject"
REASON_BLOCK = "reason"


def _when(event: Event) -> str:
    return mrkdwn.date_token(event.approval_at, tz_name=event.timezone) if event.approval_at else ""


def decision_text(event: Event) -> str | None:
    """Who decided, when, and why: for the review message, `/event show` and a second click."""
    if event.is_approved and event.approval_by:
        # TRANSLATORS: {when} is a date Slack writes in the reader's own language and zone.
        return _(":white_check_mark: Approved by {person} on {when}.").format(
            person=mrkdwn.user(event.approval_by), when=_when(event)
        )
    if event.is_rejected:
        person, when = mrkdwn.user(event.approval_by or ""), _when(event)
        if event.approval_reason:
            return _(":x: Not approved by {person} on {when}. Reason: {reason}").format(
                person=person, when=when, reason=mrkdwn.escape(event.approval_reason)
            )
        return _(":x: Not approved by {person} on {when}.").format(person=person, when=when)
    return None


# --- the request in the review channel ---------------------------------------------


def _waiting(event: Event) -> bool:
    return event.is_pending and not event.is_cancelled


def review_fallback(event: Event) -> str:
    about = dict(type=type_label(event), title=mrkdwn.escape(event.title), number=event.id)
    text = (
        _("Waiting for review: {type}: {title} (event #{number})")
        if _waiting(event)
        else _("Reviewed: {type}: {title} (event #{number})")
    ).format(**about)
    return shorten(text, FALLBACK_TEXT)


def review_message(event: Event, campaign: Campaign | None = None) -> list[dict]:
    """The event as its card will show it, who registered it where, and Approve and Reject while
    it waits; once decided (or cancelled by its host) the buttons give way to what happened."""
    heading = (
        _(":inbox_tray: *Waiting for review* · {emoji} {type} · event #{number}")
        if _waiting(event)
        else _(":inbox_tray: Review · {emoji} {type} · event #{number}")
    )
    blocks = [
        blockkit.context(heading.format(emoji=TYPE_EMOJI[event.type], type=type_label(event), number=event.id)),
        *summary(event, campaign),
    ]
    person = mrkdwn.user(event.created_by)
    registered = (
        _("Registered by {person} for {channel}").format(person=person, channel=mrkdwn.channel(event.channel_id))
        if event.channel_id
        else _("Registered by {person}").format(person=person)
    )
    if not event.is_public:
        registered += " · " + _(":lock: not open to the public")
    blocks.append(blockkit.context(registered))
    if event.is_cancelled:
        blocks.append(
            blockkit.context(
                _(":no_entry: Cancelled by {person} before it was announced.").format(
                    person=mrkdwn.user(event.cancelled_by or "")
                )
            )
        )
    elif event.is_pending:
        blocks.append(_review_buttons(event))
    elif decided := decision_text(event):
        blocks.append(blockkit.context(decided))
    return blocks


def _review_buttons(event: Event) -> dict:
    value = str(event.id)
    return {
        "type": "actions",
        "block_id": f"review_{event.id}",
        "elements": [
            {
                "type": "button",
                "action_id": APPROVE_ACTION,
                "style": "primary",
                "text": {"type": "plain_text", "text": pgettext("button", "Approve")},
                "value": value,
            },
            {
                "type": "button",
                "action_id": REJECT_ACTION,
                "style": "danger",
                "text": {"type": "plain_text", "text": pgettext("button", "Reject")},
                "value": value,
            },
        ],
    }


# --- the reject form -------------------------------------------------------------------


def reject_modal(event: Event) -> dict:
    heading = f"*#{event.id} {mrkdwn.escape(shorten(event.title, 200))}*"
    return {
        "type": "modal",
        "callback_id": REJECT_CALLBACK_ID,
        "private_metadata": str(event.id),
        "title": {"type": "plain_text", "text": shorten(_("Reject event"), MODAL_TITLE)},
        "submit": {"type": "plain_text", "text": pgettext("button", "Reject")},
        "close": {"type": "plain_text", "text": pgettext("button", "Back")},
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": heading
                    + "\n"
                    + _("Registered by {person}. They will get your reason by DM.").format(
                        person=mrkdwn.user(event.created_by)
                    ),
                },
            },
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": {"type": "plain_text", "text": _("Reason")},
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_BLOCK,
                    "multiline": True,
                    "max_length": APPROVAL_REASON_MAX,
                    "placeholder": {"type": "plain_text", "text": _("What the host should know or change")},
                },
            },
        ],
    }


def give_a_reason() -> str:
    return _("Say why, so that the host knows what to change.")


# --- answers to the reviewer --------------------------------------------------------------


def reviewers_only() -> str:
    return _("Only workspace admins can approve or reject events.")


def admins_only() -> str:
    return _("Only workspace admins can change who reviews events.")


def review_needs_channel() -> str:
    return _(
        "Which channel should review new events? Pick it as you type `#`, like `/event review on #events-review` "
        "(a channel, not a DM)."
    )


def which_person() -> str:
    return _("Whom? Pick them as you type `@`, like `/event trust @Sara`.")


def approved_reply(event: Event) -> str:
    return _(":white_check_mark: Approved event #{number}: its card goes up in {channel} and its host is told.").format(
        number=event.id, channel=mrkdwn.channel(event.channel_id or "")
    )


def already_decided(event: Event) -> str:
    if event.is_cancelled and event.is_pending:
        return _("Event #{number} was cancelled by {person} before anyone decided.").format(
            number=event.id, person=mrkdwn.user(event.cancelled_by or "")
        )
    decided = decision_text(event)
    if decided is None:
        return _("Event #{number} was already decided.").format(number=event.id)
    return _("Event #{number} was already decided. {decision}").format(number=event.id, decision=decided)


# --- `/event review`, `/event trust` ---------------------------------------------------------


def review_on_text(channel_id: str) -> str:
    return _(
        ":inbox_tray: Review is on: new events by members who are not admins or trusted wait in {channel} for an admin "
        "to approve them before they are announced, listed or public. Events announced in private channels are not "
        "reviewed (they stay in their channel). If the channel is private, `/invite` me there."
    ).format(channel=mrkdwn.channel(channel_id))


def review_off_text(pending: int) -> str:
    off = _("Review is off: new events are announced as soon as they are saved.")
    if not pending:
        return off
    return (
        off
        + " "
        + ngettext(
            "{count} event is still waiting: it stays pending until an admin decides it from the review channel.",
            "{count} events are still waiting: they stay pending until an admin decides them from the review channel.",
            pending,
        ).format(count=number(pending))
    )


def review_status_text(setting: ReviewSetting | None, trusted: list[TrustedHost], pending: int) -> str:
    if setting is not None and setting.enabled:
        state = _(":inbox_tray: *Review is on* in {channel} since {day}, by {person}.").format(
            channel=mrkdwn.channel(setting.channel_id),
            day=mrkdwn.date_token(setting.changed_at, "{date_short_pretty}", tz_name="UTC"),
            person=mrkdwn.user(setting.changed_by),
        )
    elif setting is not None:
        state = _("*Review is off* (turned off by {person}). `/event review on #channel` turns it on.").format(
            person=mrkdwn.user(setting.changed_by)
        )
    else:
        state = _(
            "*Review is off.* `/event review on #channel` makes new events by members wait for an admin's approval."
        )
    lines = [
        state,
        ngettext("Waiting for a decision: {count} event.", "Waiting for a decision: {count} events.", pending).format(
            count=number(pending)
        ),
    ]
    if trusted:
        lines.append(
            _("Trusted hosts (their events skip review): {people}").format(
                people=", ".join(mrkdwn.user(t.user_id) for t in trusted)
            )
        )
    else:
        lines.append(_("No trusted hosts yet: `/event trust @someone` lets their events skip review."))
    return "\n".join(lines)


def trusted_text(user_id: str, *, added: bool) -> str:
    if not added:
        return _("{person} is already trusted: their events skip review.").format(person=mrkdwn.user(user_id))
    return _(":handshake: {person} is trusted: their new events are announced without review.").format(
        person=mrkdwn.user(user_id)
    )


def untrusted_text(user_id: str, *, removed: bool) -> str:
    if not removed:
        return _("{person} was not on the trusted list.").format(person=mrkdwn.user(user_id))
    return _("{person} is no longer trusted: while review is on, their new events wait for approval.").format(
        person=mrkdwn.user(user_id)
    )


# --- what the host is told ---------------------------------------------------------------------


def _about(event: Event) -> dict:
    return dict(number=event.id, title=mrkdwn.escape(shorten(event.title, 200)))


def pending_dm_text(event: Event) -> str:
    return _(
        ":hourglass_flowing_sand: Thanks! Your event #{number} “{title}” is saved and waiting for review by the coalition's "
        "admins. I'll tell you here as soon as it is approved and announced. `/event show {number}` shows it meanwhile."
    ).format(**_about(event))


def approved_dm_text(event: Event) -> str:
    return _(
        ":white_check_mark: Your event #{number} “{title}” was approved by {person} and is announced in {channel}."
    ).format(
        **_about(event), person=mrkdwn.user(event.approval_by or ""), channel=mrkdwn.channel(event.channel_id or "")
    )


def rejected_dm_text(event: Event) -> str:
    about = dict(**_about(event), person=mrkdwn.user(event.approval_by or ""))
    if event.approval_reason:
        return _(
            ":x: Your event #{number} “{title}” was not approved by {person}, so it will not be announced.\n>{reason}\n"
            "You can ask them about it, and register it again with `/event new`."
        ).format(**about, reason=mrkdwn.escape(event.approval_reason))
    return _(
        ":x: Your event #{number} “{title}” was not approved by {person}, so it will not be announced.\n"
        "You can ask them about it, and register it again with `/event new`."
    ).format(**about)


def approval_line(event: Event) -> str | None:
    """For `/event show`, to the host and admins: where the event stands in review."""
    if event.is_pending:
        return _(":hourglass_flowing_sand: *Waiting for review*: not announced or listed until an admin approves it.")
    return decision_text(event)


def not_approved(event: Event) -> str:
    return _("Event #{number} was not approved, so it can't be changed. Register it again with `/event new`.").format(
        number=event.id
    )


def not_open_yet() -> str:
    return _("That event is waiting for review: RSVPs open once it is approved and announced.")
