"""Short answers to commands and clicks: usage errors, refusals, confirmations."""

from __future__ import annotations

from messages.mrkdwn import escape, user
from storage.models import Event

EVENT_HELP_TITLE = "How to use /event"
UPCOMING_TITLE = "Upcoming events"
MINE_TITLE = "Your upcoming events"
EVENT_CANCELLED = "That event was cancelled."
FORM_EVENT_GONE = "This event was cancelled or removed; it can't be edited."
PRIVATE_CHANNEL_EVENT = ":lock: Announced in a private channel: only that channel, you and admins can see it in lists and digests, and it is never on public pages."


def unknown_subcommand(command: str, name: str, examples: str) -> str:
    return f"I don't know `{command} {escape(name)}`. Try {examples}."


def unknown_event_subcommand(name: str) -> str:
    return unknown_subcommand("/event", name, "`/event new`, `/event list` or `/event help`")


def bad_review_argument(argument: str) -> str:
    return (f"I don't know `/event review {escape(argument)}`. Try `/event review` (where it stands), "
            "`/event review on #channel` or `/event review off`.")


def bad_list_filter(argument: str) -> str:
    return (f"I can't filter by “{escape(argument)}”. Try `/event list rally`, `/event list CA`, `/event list city Denver` "
            "or `/event list campaign where r the refugees`.")


NEAR_USAGE = ("Which place? Give a ZIP code or a city and its state: `/event near 95356`, `/event near Denver, CO`, "
              "or with a radius (50 miles unless you say): `/event near 95356 100 mi`.")


def unknown_place(text: str) -> str:
    return (f"I can't find “{escape(text)}” on the map. Give a 5-digit ZIP code or a city and its state, "
            "like `/event near 95356`, `/event near Denver, CO` or `/event near 95356 100 mi`.")


def radius_out_of_range(place_text: str, most: int) -> str:
    return f"I search from 1 to {most} miles around a place. Try `/event near {escape(place_text)} {most} mi`."


def which_event(usage: str) -> str:
    return f"Which event? Give its number, like `{usage}` (numbers are on each card and in `/event list`)."


def no_such_event(event_id: int | None) -> str:
    if event_id is None:  # a button or form that does not name one of our events
        return "I can't find that event. See `/event list`."
    return f"There is no event #{event_id} in this workspace. See `/event list`."


def cannot_edit_cancelled(event: Event) -> str:
    return f"Event #{event.id} is cancelled; it can no longer be edited."


def refusal(event: Event, verb: str) -> str:
    return f"Only the person who registered event #{event.id} ({user(event.created_by)}), its co-hosts or a workspace admin can {verb} it."


def co_hosts_refusal(event: Event) -> str:
    return f"Only the person who registered event #{event.id} ({user(event.created_by)}) or a workspace admin can change its co-hosts."


def already_cancelled(event: Event) -> str:
    return f"Event #{event.id} was already cancelled."


def cancelled(event: Event) -> str:
    return f"Cancelled event #{event.id} “{escape(event.title)}”."


# --- /digest ------------------------------------------------------------------

DIGEST_HELP_TITLE = "How to use /digest"
DIGEST_STOPPED = "Done: no more daily digest in this channel."
DIGEST_NONE = "This channel has no daily digest. `/digest subscribe 08:00` starts one."
DIGEST_NEEDS_CHANNEL = "Subscribe a channel: run `/digest subscribe` in the channel that should get the digest."


def unknown_digest_subcommand(name: str) -> str:
    return unknown_subcommand("/digest", name, "`/digest subscribe 08:00`, `/digest now` or `/digest help`")


def not_a_time(text: str) -> str:
    return (f"“{escape(text)}” isn't a time of day. Use 24-hour HH:MM, like `/digest subscribe 08:00` "
            "or `/digest subscribe 17:30 quiet`.")
