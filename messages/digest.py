"""The daily digest: the next 7 days of actions, grouped by day, split within Block Kit limits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from messages import dates, mrkdwn
from messages.events import TYPE_EMOJI, campaign_line, type_label, when_text
from messages.i18n import catalog
from messages.limits import (
    FALLBACK_TEXT,
    MESSAGE_BLOCKS,
    SECTION_TEXT,
    chunk,
    shorten,
    split_text,
)
from messages.plural import number
from storage.models import Campaign, Event
from timemath import local_date

_, ngettext, pgettext = catalog("digest")

DAYS = 7


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _day(event: Event, tz_name: str) -> date:
    # All-day events happen on calendar days of their own zone; timed ones on the reader's day.
    return local_date(event.starts_at, event.timezone if event.all_day else tz_name)


def _place(event: Event) -> str:
    place = ", ".join(p for p in (event.city, event.state) if p)
    return mrkdwn.escape(place) if place else (_("Online") if event.online_url else _("Place TBA"))


def digest_line(event: Event, campaign: Campaign | None = None) -> str:
    title = shorten(event.title, 150)
    name = (mrkdwn.link(event.permalink, title) if event.permalink
            else f"*{mrkdwn.escape(title)}* (`/event show {event.id}`)")  # untranslated: the title and the command that shows it
    line = f"{TYPE_EMOJI[event.type]} {type_label(event)} · {name} · {_place(event)} · {when_text(event)}"
    return f"{line} · {campaign_line(campaign)}" if campaign is not None else line


def _day_heading(day: date, today: date) -> str:
    """`*Today, Nov 21*`, `*Tomorrow, Nov 22*`, `*Monday, Nov 23*`."""
    if day == today:
        # TRANSLATORS: a day's heading in the digest; {date} is the month and day: "Nov 21", "21 nov".
        return _("*Today, {date}*").format(date=dates.month_day(day))
    if (day - today).days == 1:
        return _("*Tomorrow, {date}*").format(date=dates.month_day(day))
    weekday = dates.weekday(day)
    # TRANSLATORS: a day's heading in the digest: "*Monday, Nov 23*".
    return _("*{weekday}, {date}*").format(weekday=weekday[:1].upper() + weekday[1:], date=dates.month_day(day))


def digest_messages(
    events: list[Event], *, tz_name: str, today: date, quiet: bool, campaigns: Mapping[str, Campaign] | None = None
) -> list[tuple[str, list[dict]]]:
    """(fallback text, blocks) for each message of the digest; none for a quiet empty week.
    `campaigns`: the events' campaigns by slug, named on each event's line with their hashtags."""
    campaigns = campaigns or {}
    if not events:
        if quiet:
            return []
        return [(_("No actions in the next 7 days"), [_section(_("*No actions in the next 7 days.* Register one with `/event new`."))])]
    count = len(events)
    actions = ngettext("{count} action", "{count} actions", count).format(count=number(count))
    blocks = [_section(_(":calendar: *Coming up in the next {days} days* ({actions})").format(days=DAYS, actions=actions))]
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(_day(event, tz_name), []).append(event)
    for day, day_events in sorted(by_day.items()):
        blocks.append({"type": "divider"})
        lines = "\n".join(digest_line(e, campaigns.get(e.campaign_slug)) for e in day_events)
        pieces = split_text(lines, SECTION_TEXT - 100)
        blocks.append(_section(f"{_day_heading(day, today)}\n{pieces[0]}"))
        blocks += [_section(piece) for piece in pieces[1:]]
    parts = list(chunk(blocks, MESSAGE_BLOCKS))
    total = len(parts)
    fallback = ngettext("Digest: {count} action in the next {days} days", "Digest: {count} actions in the next {days} days",
                        count).format(count=number(count), days=DAYS)
    if total > 1:
        return [(shorten(_("{digest} (part {part} of {total})").format(digest=fallback, part=i, total=total), FALLBACK_TEXT), part)
                for i, part in enumerate(parts, 1)]
    return [(shorten(fallback, FALLBACK_TEXT), part) for part in parts]


def subscribed_text(local_time: str, tz_name: str, next_run_unix_token: str, quiet: bool) -> str:
    """Said in the channel, in its language."""
    text = _(":calendar: This channel will get the digest of the next {days} days every day at *{time}* ({timezone}). "
             "Next one: {next}.").format(days=DAYS, time=local_time, timezone=mrkdwn.escape(tz_name), next=next_run_unix_token)
    if quiet:
        text += " " + _("On a week with nothing planned I'll stay quiet.")
    return text + " " + _("`/digest unsubscribe` stops it.")
