"""What the bot says in a card's thread and by DM when something happens to an event or a post."""

from __future__ import annotations

from messages import approval, mrkdwn
from messages.events import cancelled_thread_text, place_tba, place_text, when_text
from messages.failures import reason
from messages.i18n import catalog
from messages.limits import SECTION_TEXT, shorten
from messages.plural import number
from messages.reminders import about, cancelled_dm_text, going_actions
from messages.reports import report_thread_text
from storage.changes import Change, as_event
from storage.models import Event

_, ngettext, pgettext = catalog("notices")

# DMs about an event that is still on: not worth sending once it is cancelled.
ABOUT_AN_EVENT_STILL_ON = frozenset({"event_changed", "co_host_added"})


def thread_note(event: Event, note: str, args: dict) -> str:
    if note == "cancelled":
        return cancelled_thread_text(event)
    if note == "report":
        return report_thread_text(args)
    return updated_thread_text(event, args.get("user", ""), Change.from_args(args), told=int(args.get("told") or 0))


def direct_notice(notice: str, event: Event | None, args: dict) -> str:
    if notice == "event_cancelled" and event is not None:
        return cancelled_dm_text(event)
    if notice == "event_changed" and event is not None and (change := Change.from_args(args)):
        return changed_dm_text(event, change, args.get("user", ""))
    if notice == "co_host_added" and event is not None:
        return co_host_added_text(event, args.get("user", ""))
    if notice == "card_failed" and event is not None:
        return card_failed_text(event, args.get("error", ""))
    if notice in REVIEW_NOTICES and event is not None:
        return REVIEW_NOTICES[notice](event)
    return cannot_post_text(args.get("channel", ""), args.get("error", ""))


def direct_notice_blocks(notice: str, event: Event | None, text: str) -> list[dict] | None:
    """A change notice to someone going carries what they may want next: "Can't make it", the
    card, the map (messages.reminders.going_actions). Other notices are their text alone."""
    if notice != "event_changed" or event is None:
        return None
    return [{"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}}, going_actions(event)]


# What an event's host is told as it goes through review (services.approval).
REVIEW_NOTICES = {
    "event_pending": approval.pending_dm_text,
    "event_approved": approval.approved_dm_text,
    "event_rejected": approval.rejected_dm_text,
}
# --- an event's time or place changed -----------------------------------------


def _where(event: Event) -> str:
    """The place on one line, the online link spelled out: a new link must look different from the old."""
    parts = [place] if (place := place_text(event)) else []
    if event.online_url:
        parts.append(_("online at {link}").format(link=mrkdwn.link(event.online_url, event.online_url)))
    return " · ".join(parts) or place_tba()


def _change_lines(event: Event, change: Change) -> list[str]:
    """What changed, new then old, each written as the card writes it (times in the event's zone)."""
    before, after = as_event(change.before, event), as_event(change.after, event)
    lines = []
    if change.time_changed:
        lines.append(_("*When:* {new} (was {old})").format(new=when_text(after), old=when_text(before)))
    if change.place_changed:
        lines.append(_("*Where:* {new} (was {old})").format(new=_where(after), old=_where(before)))
    return lines


def changed_dm_text(event: Event, change: Change, changed_by: str) -> str:
    lines = [
        _(":arrows_counterclockwise: {event}, which you're going to, has changed ({person} updated it):").format(
            event=about(event), person=mrkdwn.user(changed_by)
        ),
        *_change_lines(event, change),
    ]
    if change.time_changed:
        lines.append(_("Reminders still to come move with it."))
    if not event.permalink:  # with a card to open, its button says it
        lines.append(_("Details: `/event show {number}`").format(number=event.id))
    return "\n".join(lines)


def updated_thread_text(event: Event, user_id: str, change: Change | None, *, told: int) -> str:
    lines = [_(":pencil2: {person} updated this event.").format(person=mrkdwn.user(user_id))]
    if change:
        lines += _change_lines(event, change)
        if told:
            lines.append(
                ngettext(
                    "I've told the {count} person going by DM.", "I've told the {count} people going by DM.", told
                ).format(count=number(told))
            )
    return "\n".join(lines)


# --- co-hosts -------------------------------------------------------------------


def co_host_added_text(event: Event, added_by: str) -> str:
    if event.channel_id:
        text = _(
            ":handshake: {person} added you as a co-host of {event}. You can edit or cancel it with `/event edit {number}` "
            "and `/event cancel {number}` or the buttons on its card in {channel}; `/event show {number}` shows who's going "
            "and the reminders."
        )
    else:
        text = _(
            ":handshake: {person} added you as a co-host of {event}. You can edit or cancel it with `/event edit {number}` "
            "and `/event cancel {number}` or the buttons; `/event show {number}` shows who's going and the reminders."
        )
    return text.format(
        person=mrkdwn.user(added_by),
        event=about(event),
        number=event.id,
        channel=mrkdwn.channel(event.channel_id or ""),
    )


def _invite_advice(channel_id: str) -> str:
    """What will actually let the bot post there: /invite works in channels, not in DMs."""
    if channel_id.startswith("D"):
        return _("I can't post in someone else's direct messages: run the command in a channel, or here in our DM.")
    # TRANSLATORS: `/invite @Organizer Bot` is typed as it is.
    return _("Invite me with `/invite @Organizer Bot` in {channel} and try again.").format(
        channel=mrkdwn.channel(channel_id)
    )


CHANNEL_ACCESS_ERRORS = (
    "not_in_channel",
    "channel_not_found",
    "method_not_supported_for_channel_type",
    "missing_scope",
    "is_archived",
)


def cannot_post_text(channel_id: str, error: str) -> str:
    in_dm = channel_id.startswith("D")
    if error == "is_archived":
        return (
            _("I couldn't post in this conversation: it is archived.")
            if in_dm
            else _("I couldn't post in {channel}: it is archived.").format(channel=mrkdwn.channel(channel_id))
        )
    why = mrkdwn.escape(reason(error))
    if in_dm:
        text = _("I couldn't post in this conversation ({reason}).").format(reason=why)
    else:
        text = _("I couldn't post in {channel} ({reason}).").format(channel=mrkdwn.channel(channel_id), reason=why)
    advice = _invite_advice(channel_id) if error in CHANNEL_ACCESS_ERRORS else _("Please try again in a moment.")
    return f"{text} {advice}"


def card_failed_text(event: Event, error: str) -> str:
    text = _("Event #{number} “{title}” is saved, but its card could not be posted in {channel} ({reason}).").format(
        number=event.id,
        title=mrkdwn.escape(event.title),
        channel=mrkdwn.channel(event.channel_id or ""),
        reason=mrkdwn.escape(reason(error)),
    )
    then = _("Then `/event edit {number}` and save to post it again.").format(number=event.id)
    return f"{text} {_invite_advice(event.channel_id or '')} {then}"


def card_problem_line(event: Event) -> str | None:
    """For `/event show`: why the card is missing, and what to do."""
    if not event.card_error:
        return None
    text = _(":warning: The card could not be posted: {reason}.").format(reason=mrkdwn.escape(reason(event.card_error)))
    return f"{text} {_invite_advice(event.channel_id or '')}"
