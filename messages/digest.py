"""The daily digest: the next 7 days of actions, grouped by day, split within Block Kit limits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from messages import mrkdwn
from messages.events import TYPE_EMOJI, campaign_line, type_label, when_text
from messages.limits import FALLBACK_TEXT, MESSAGE_BLOCKS, SECTION_TEXT, chunk, shorten, split_text
from messages.plural import counted
from storage.models import Campaign, Event
from timemath import local_date

DAYS = 7


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _day(event: Event, tz_name: str) -> date:
    # All-day events happen on calendar days of their own zone; timed ones on the reader's day.
    return local_date(event.starts_at, event.timezone if event.all_day else tz_name)


def _place(event: Event) -> str:
    place = ", ".join(p for p in (event.city, event.state) if p)
    return mrkdwn.escape(place) if place else ("Online" if event.online_url else "Place TBA")


def digest_line(event: Event, campaign: Campaign | None = None) -> str:
    title = shorten(event.title, 150)
    name = mrkdwn.link(event.permalink, title) if event.permalink else f"*{mrkdwn.escape(title)}* (`/event show {event.id}`)"
    line = f"{TYPE_EMOJI[event.type]} {type_label(event)} · {name} · {_place(event)} · {when_text(event)}"
    return f"{line} · {campaign_line(campaign)}" if campaign is not None else line


def digest_messages(
    events: list[Event], *, tz_name: str, today: date, quiet: bool, campaigns: Mapping[str, Campaign] | None = None
) -> list[tuple[str, list[dict]]]:
    """(fallback text, blocks) for each message of the digest; none for a quiet empty week.
    `campaigns`: the events' campaigns by slug, named on each event's line with their hashtags."""
    campaigns = campaigns or {}
    if not events:
        if quiet:
            return []
        return [("No actions in the next 7 days", [_section("*No actions in the next 7 days.* Register one with `/event new`.")])]
    blocks = [_section(f":calendar: *Coming up in the next {DAYS} days* ({counted(len(events), 'action')})")]
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(_day(event, tz_name), []).append(event)
    for day, day_events in sorted(by_day.items()):
        label = "Today" if day == today else ("Tomorrow" if (day - today).days == 1 else f"{day:%A}")
        blocks.append({"type": "divider"})
        lines = "\n".join(digest_line(e, campaigns.get(e.campaign_slug)) for e in day_events)
        pieces = split_text(lines, SECTION_TEXT - 100)
        blocks.append(_section(f"*{label}, {day:%b} {day.day}*\n{pieces[0]}"))
        blocks += [_section(piece) for piece in pieces[1:]]
    parts = list(chunk(blocks, MESSAGE_BLOCKS))
    total = len(parts)
    fallback = f"Digest: {len(events)} actions in the next {DAYS} days"
    return [(shorten(fallback + (f" (part {i} of {total})" if total > 1 else ""), FALLBACK_TEXT), part) for i, part in enumerate(parts, 1)]


def subscribed_text(local_time: str, tz_name: str, next_run_unix_token: str, quiet: bool) -> str:
    silence = " On a week with nothing planned I'll stay quiet." if quiet else ""
    return (
        f":calendar: This channel will get the digest of the next {DAYS} days every day at *{local_time}* "
        f"({mrkdwn.escape(tz_name)}). Next one: {next_run_unix_token}.{silence} `/digest unsubscribe` stops it."
    )

