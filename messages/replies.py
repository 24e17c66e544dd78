"""Short answers to commands and clicks: usage errors, refusals, confirmations."""

from __future__ import annotations

from messages.i18n import catalog
from messages.mrkdwn import escape, user
from storage.models import Event

_, ngettext, pgettext = catalog("replies")


def event_help_title() -> str:
    return _("How to use /event")


def upcoming_title() -> str:
    return _("Upcoming events")


def mine_title() -> str:
    return _("Your upcoming events")


def event_cancelled() -> str:
    return _("That event was cancelled.")


def form_event_gone() -> str:
    return _("This event was cancelled or removed; it can't be edited.")


def private_channel_event() -> str:
    return _(
        ":lock: Announced in a private channel: only that channel, you and admins can see it in lists and digests, "
        "and it is never on public pages."
    )


def unknown_event_subcommand(name: str) -> str:
    return _("I don't know `/event {name}`. Try `/event new`, `/event list` or `/event help`.").format(
        name=escape(name)
    )


def bad_review_argument(argument: str) -> str:
    return _(
        "I don't know `/event review {argument}`. Try `/event review` (where it stands), "
        "`/event review on #channel` or `/event review off`."
    ).format(argument=escape(argument))


def bad_list_filter(argument: str) -> str:
    return _(
        "I can't filter by “{argument}”. Try `/event list rally`, `/event list CA`, `/event list city Denver` "
        "or `/event list campaign where r the refugees`."
    ).format(argument=escape(argument))


def near_usage() -> str:
    return _(
        "Which place? Give a ZIP code or a city and its state: `/event near 95356`, `/event near Denver, CO`, "
        "or with a radius (50 miles unless you say): `/event near 95356 100 mi`."
    )


def unknown_place(text: str) -> str:
    return _(
        "I can't find “{place}” on the map. Give a 5-digit ZIP code or a city and its state, "
        "like `/event near 95356`, `/event near Denver, CO` or `/event near 95356 100 mi`."
    ).format(place=escape(text))


def radius_out_of_range(place_text: str, most: int) -> str:
    return _("I search from 1 to {most} miles around a place. Try `/event near {place} {most} mi`.").format(
        most=most, place=escape(place_text)
    )


def which_event(usage: str) -> str:
    """`usage` is a command, typed as is: `/event show 12`."""
    return _("Which event? Give its number, like `{usage}` (numbers are on each card and in `/event list`).").format(
        usage=usage
    )


def no_such_event(event_id: int | None) -> str:
    if event_id is None:  # a button or form that does not name one of our events
        return _("I can't find that event. See `/event list`.")
    return _("There is no event #{number} in this workspace. See `/event list`.").format(number=event_id)


def cannot_edit_cancelled(event: Event) -> str:
    return _("Event #{number} is cancelled; it can no longer be edited.").format(number=event.id)


def refusal(event: Event, verb: str) -> str:
    """Who may `verb` ("edit" or "cancel") the event, said to someone who may not."""
    if verb == "cancel":
        text = _(
            "Only the person who registered event #{number} ({person}), its co-hosts or a workspace admin can cancel it."
        )
    else:
        text = _(
            "Only the person who registered event #{number} ({person}), its co-hosts or a workspace admin can edit it."
        )
    return text.format(number=event.id, person=user(event.created_by))


def co_hosts_refusal(event: Event) -> str:
    return _(
        "Only the person who registered event #{number} ({person}) or a workspace admin can change its co-hosts."
    ).format(number=event.id, person=user(event.created_by))


def already_cancelled(event: Event) -> str:
    return _("Event #{number} was already cancelled.").format(number=event.id)


def cancelled(event: Event) -> str:
    return _("Cancelled event #{number} “{title}”.").format(number=event.id, title=escape(event.title))


# --- /digest ------------------------------------------------------------------


def digest_help_title() -> str:
    return _("How to use /digest")


def digest_stopped() -> str:
    return _("Done: no more daily digest in this channel.")


def digest_none() -> str:
    return _("This channel has no daily digest. `/digest subscribe 08:00` starts one.")


def digest_needs_channel() -> str:
    return _("Subscribe a channel: run `/digest subscribe` in the channel that should get the digest.")


def unknown_digest_subcommand(name: str) -> str:
    return _("I don't know `/digest {name}`. Try `/digest subscribe 08:00`, `/digest now` or `/digest help`.").format(
        name=escape(name)
    )


def not_a_time(text: str) -> str:
    return _(
        "“{text}” isn't a time of day. Use 24-hour HH:MM, like `/digest subscribe 08:00` "
        "or `/digest subscribe 17:30 quiet`."
    ).format(text=escape(text))
