"""Reminder texts: in the announcement's thread, by DM, on cancellation, and in `/event show`."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from messages import dates, mrkdwn
from messages.content import toolkit_for_event_type
from messages.events import TYPE_EMOJI, type_label, when_text, where_text
from messages.failures import reason
from messages.i18n import N_, catalog
from messages.limits import BUTTON_VALUE, FALLBACK_TEXT, SECTION_TEXT, shorten
from messages.plural import number
from storage.models import Event, Reminder, ReminderStatus, Signup

_, ngettext, pgettext = catalog("reminders")

# The buttons of a reminder or change notice DM to someone going.
CANT_MAKE_IT_ACTION = "event_cant_make_it"  # going no more: handlers.events, as "I'm going" clicked again
OPEN_CARD_ACTION = "event_open_card"  # link buttons: acked, nothing more
MAP_ACTION = "event_map"
MAP_URL = "https://www.google.com/maps/search/?api=1&query={query}"

# Labels of storage.reminders.LEAD_TIMES, as the modal and messages show them (`lead_label`).
LEAD_LABELS: dict[str, str] = {
    "1w": N_("1 week"),
    "3d": N_("3 days"),
    "1d": N_("1 day"),
    "3h": N_("3 hours"),
    "1h": N_("1 hour"),
    "15m": N_("15 minutes"),
}


def lead_label(kind: str) -> str:
    """How long before the event a reminder goes: "1 week", "15 minutes"."""
    return _(LEAD_LABELS[kind]) if kind in LEAD_LABELS else kind


def lead_time_before(kind: str) -> str:
    """ "1 week before": a reminder's choice in the event form, and its line in `/event show`."""
    # TRANSLATORS: {lead} is how long before the event: "1 week", "3 hours".
    return _("{lead} before").format(lead=lead_label(kind))


def toolkit_command(event: Event) -> str:
    """The `/toolkit` command for the event's type: the same topic as the card's toolkit button."""
    topic = toolkit_for_event_type(event.event_type)
    return f"/toolkit {topic.slug.replace('-', ' ')}" if topic else "/toolkit"


def about(event: Event) -> str:
    """How a message names an event: emoji, title, type and number."""
    # TRANSLATORS: how a message names an event: ":mega: *Rally at City Hall* (Rally or action, event #12)".
    return _("{emoji} *{title}* ({type}, event #{number})").format(
        emoji=TYPE_EMOJI[event.type],
        title=mrkdwn.escape(shorten(event.title, 200)),
        type=type_label(event),
        number=event.id,
    )


def time_until(left: timedelta) -> str:
    """How long until a start, as a late reminder says it: "17 hours and 30 minutes", "2 days and 3
    hours", "40 minutes"; to the 5 minutes under a day, to the hour beyond."""
    minutes = max(5, round(left.total_seconds() / 300) * 5)
    days, hours = divmod(round(minutes / 60), 24) if minutes >= 24 * 60 else (0, minutes // 60)
    minutes = 0 if days else minutes % 60
    parts = [ngettext("{count} day", "{count} days", n).format(count=number(n)) for n in (days,) if n]
    parts += [ngettext("{count} hour", "{count} hours", n).format(count=number(n)) for n in (hours,) if n]
    parts += [ngettext("{count} minute", "{count} minutes", n).format(count=number(n)) for n in (minutes,) if n]
    # TRANSLATORS: joins two lengths of time: "17 hours and 30 minutes".
    return parts[0] if len(parts) == 1 else _("{first} and {second}").format(first=parts[0], second=parts[1])


def reminder_text(event: Event, kind: str, *, direct: bool, left: timedelta | None = None) -> str:
    """What a reminder says. `direct` is the DM to someone who RSVP'd; otherwise the thread reply.
    Late (`left`: the time until the start when it is sent late), it says how long is left and that it is late."""
    if left is None:
        opening = (
            _(":alarm_clock: Reminder: you're going to {event}, which starts in about {lead}.")
            if direct
            else _(":alarm_clock: Reminder: {event} starts in about {lead}.")
        )
    else:
        opening = (
            _(":alarm_clock: Reminder, sent late: you're going to {event}, which starts in {lead}.")
            if direct
            else _(":alarm_clock: Reminder, sent late: {event} starts in {lead}.")
        )
    lines = [
        opening.format(event=about(event), lead=lead_label(kind) if left is None else time_until(left)),
        _("*When:* {when}").format(when=when_text(event)),
        _("*Where:* {where}").format(where=where_text(event)),
        _("*Toolkit:* {command}").format(command=f"`{toolkit_command(event)}`"),
    ]
    if direct and not event.permalink:  # with a card to open, its button says it
        lines.append(_("Details: `/event show {number}`").format(number=event.id))
    return shorten("\n".join(lines), SECTION_TEXT)


def reminder_fallback(event: Event, kind: str, *, left: timedelta | None = None) -> str:
    when = _("all day") if event.all_day else dates.moment(event.starts_at, event.timezone)
    if left is not None:
        return shorten(
            _("Reminder, sent late: {title} starts in {lead} ({when})").format(
                title=mrkdwn.escape(event.title), lead=time_until(left), when=when
            ),
            FALLBACK_TEXT,
        )
    return shorten(
        _("Reminder: {title} starts in about {lead} ({when})").format(
            title=mrkdwn.escape(event.title), lead=lead_label(kind), when=when
        ),
        FALLBACK_TEXT,
    )


def reminder_blocks(event: Event, kind: str, *, direct: bool, left: timedelta | None = None) -> list[dict]:
    """The reminder; by DM, with what the person going may want next (`going_actions`)."""
    section = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": reminder_text(event, kind, direct=direct, left=left)},
    }
    return [section, going_actions(event)] if direct else [section]


def map_url(event: Event) -> str | None:
    """A map of the event's place (Google Maps, which phones open in their maps app); None without one."""
    place = ", ".join(part for part in (event.address, event.city, event.state, event.zip_code) if part)
    return MAP_URL.format(query=quote(place)) if event.city or event.zip_code else None


def going_actions(event: Event) -> dict:
    """For someone going, in a reminder or a change notice: "Can't make it", the card, the map."""
    value = str(event.id)[:BUTTON_VALUE]
    buttons = [
        {
            "type": "button",
            "action_id": CANT_MAKE_IT_ACTION,
            "value": value,
            "text": {"type": "plain_text", "text": pgettext("button", "Can't make it")},
        }
    ]
    if event.permalink:
        buttons.append(
            {
                "type": "button",
                "action_id": OPEN_CARD_ACTION,
                "url": event.permalink,
                "text": {"type": "plain_text", "text": pgettext("button", "Open the card")},
            }
        )
    if (url := map_url(event)) is not None:
        buttons.append(
            {
                "type": "button",
                "action_id": MAP_ACTION,
                "url": url,
                "text": {"type": "plain_text", "text": pgettext("button", "Map")},
            }
        )
    return {"type": "actions", "elements": buttons}


def cancelled_dm_text(event: Event) -> str:
    return _(
        ":no_entry: {event}, which you said you'd go to, has been cancelled by {person}. It was planned for {when}."
    ).format(event=about(event), person=mrkdwn.user(event.cancelled_by or ""), when=when_text(event))


def rsvp_confirmation(event: Event, going: bool) -> str:
    if going:
        return _(
            ":white_check_mark: You're going to {event}. I'll DM you reminders before it starts; click again to withdraw."
        ).format(event=about(event))
    return _("You're no longer going to {event}; no more reminders for you.").format(event=about(event))


# TRANSLATORS: where a reminder stands, in `/event show`: "thread: sent late".
_STATUS_LABELS = {
    ReminderStatus.PENDING.value: N_("pending"),
    ReminderStatus.QUEUED.value: N_("sending"),
    ReminderStatus.SENT.value: N_("sent"),
    ReminderStatus.SENT_LATE.value: N_("sent late"),
    ReminderStatus.SKIPPED.value: N_("skipped"),
    ReminderStatus.FAILED.value: N_("failed"),
}


def _status(status: str) -> str:
    return _(_STATUS_LABELS[status]) if status in _STATUS_LABELS else status


def reminders_summary(event: Event, reminders: list[Reminder]) -> str | None:
    """For the organizer in `/event show`: each lead time's channel reminder, DMs and emails, pending or sent."""
    shown = [r for r in reminders if r.status != ReminderStatus.CANCELLED.value]
    if not shown:
        return None
    lines = [_("*Reminders*")]
    for kind in LEAD_LABELS:
        of_kind = [r for r in shown if r.kind == kind]
        if not of_kind:
            continue
        channel = next((r for r in of_kind if r.recipient_type == "channel"), None)
        dms = [r for r in of_kind if r.recipient_type == "user"]
        due = channel.due_at if channel else of_kind[0].due_at
        parts = [f"{lead_time_before(kind)} ({mrkdwn.date_token(due, tz_name=event.timezone)})"]
        if channel:
            status = _status(channel.status)
            if channel.status == ReminderStatus.FAILED.value and channel.last_error:
                # TRANSLATORS: {status} is where the reminder stands ("failed"), {reason} why.
                status = _("{status} ({reason})").format(
                    status=status, reason=mrkdwn.escape(reason(channel.last_error))
                )
            # TRANSLATORS: the reminder in the event card's thread, and where it stands: "thread: sent".
            parts.append(_("thread: {status}").format(status=status))
        if dms:
            sent = sum(r.status in ("sent", "sent_late") for r in dms)
            parts.append(
                ngettext("DMs: {sent} of {count} sent", "DMs: {sent} of {count} sent", len(dms)).format(
                    sent=number(sent), count=number(len(dms))
                )
            )
        if emails := [r for r in of_kind if r.recipient_type == "signup"]:
            sent = sum(r.status in ("sent", "sent_late") for r in emails)
            # TRANSLATORS: reminders by email to the public signed up on the event's page
            parts.append(
                ngettext("emails: {sent} of {count} sent", "emails: {sent} of {count} sent", len(emails)).format(
                    sent=number(sent), count=number(len(emails))
                )
            )
        lines.append("• " + " · ".join(parts))
    return shorten("\n".join(lines), SECTION_TEXT)


def going_summary(user_ids: list[str]) -> str:
    if not user_ids:
        return _("*Going:* nobody yet")
    return shorten(
        _("*Going ({count}):* {people}").format(
            count=number(len(user_ids)), people=", ".join(mrkdwn.user(u) for u in user_ids)
        ),
        SECTION_TEXT,
    )


def public_going_summary(people: list[Signup]) -> str:
    """Those signed up on the public page, for the event's hosts and admins: each one's name,
    email, phone and ZIP code as they gave them (escaped), or that their data was erased."""
    lines = [_("*Signed up on the public page ({count}):*").format(count=number(len(people)))]
    for person in people:
        if person.is_erased:
            lines.append("• " + _("_their data was erased_"))
            continue
        parts = [mrkdwn.escape(person.name), mrkdwn.escape(person.email), mrkdwn.escape(person.phone)]
        if person.zip_code:
            parts.append(_("ZIP {zip}").format(zip=mrkdwn.escape(person.zip_code)))
        lines.append("• " + " · ".join(part for part in parts if part))
    return shorten("\n".join(lines), SECTION_TEXT)
