"""The daily digest: what is on today and the next 7 days, in one post a person reads.

Grouped by campaign, the campaign's name and hashtags said once, then by day; each event one
short line, its title without what the group already says (the city it names, the campaign's
hashtags ahead of it). Up to `BUDGET` characters: past that it ends with "and N more" and
where to see them all. An empty week says when the next action is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from messages import blockkit, dates, mrkdwn
from messages.events import all_day_text, campaign_line, when_text
from messages.i18n import catalog
from messages.limits import FALLBACK_TEXT, SECTION_TEXT, shorten, split_text
from messages.plural import number
from storage.models import Campaign, Event
from timemath import local_date

_, ngettext, pgettext = catalog("digest")

DAYS = 7
# The characters of a digest's text (as sent: links and date tokens count): a screen or two, under
# the 4,000 of one post. What does not fit is counted in "and N more".
BUDGET = 3_950
TITLE_SHOWN = 80  # characters of an event's title on its line; its card has the rest


def _day(event: Event, today: date) -> date:
    # Each event on the calendar day where it happens, as its time is written (see `_when`).
    # One that started before today (it is on now) is shown under today.
    return max(today, local_date(event.starts_at, event.timezone))


def _place(event: Event) -> str:
    place = ", ".join(p for p in (event.city, event.state) if p)
    return mrkdwn.escape(place) if place else (_("Online") if event.online_url else _("Place TBA"))


def _when(event: Event, day: date) -> str:
    """Under its day's heading: the time alone, where it happens ("6:00 PM MST", as its flyer
    says: a week of action spans the country's zones); the days of a multi-day one; the whole
    of one that began earlier."""
    if event.all_day:
        one_day = event.ends_at is None or (event.ends_at - event.starts_at).days <= 1
        return "" if one_day else all_day_text(event)
    if local_date(event.starts_at, event.timezone) == day:
        return dates.moment_same_day(event.starts_at, event.timezone)
    return when_text(event)


def short_title(event: Event, campaign: Campaign | None) -> str:
    """The title without what its line and group say already: a leading "Los Angeles:" when the
    line names Los Angeles, the group's campaign hashtags ahead of the rest. The whole title when
    nothing would be left."""
    prefixes = [f"{event.city}:"] if event.city else []
    prefixes += campaign.hashtags if campaign else []
    title = rest = event.title.strip()
    while prefix := next((p for p in prefixes if _starts_with_word(rest, p)), None):
        rest = rest[len(prefix) :].lstrip(" :")
    return rest or title


def _starts_with_word(text: str, prefix: str) -> bool:
    """Whether `text` begins with `prefix` as a whole word ("#WeAreAllAmerica" does not begin "#WeAreAllAmericans")."""
    head = text[: len(prefix)]
    return head.casefold() == prefix.casefold() and not text[len(prefix) : len(prefix) + 1].isalnum()


def _name(event: Event, campaign: Campaign | None) -> str:
    title = shorten(short_title(event, campaign), TITLE_SHOWN)
    return (
        mrkdwn.link(event.permalink, title)
        if event.permalink
        else f"*{mrkdwn.escape(title)}* (`/event show {event.id}`)"
    )  # untranslated: the title and the command that shows it


def digest_line(event: Event, day: date, campaign: Campaign | None = None) -> str:
    """`• 4:00 PM CST <card|Rally at City Hall> · Springdale, AR`: under `campaign`'s heading, on `day`'s."""
    when = _when(event, day)
    return "• " + (f"{when} " if when else "") + f"{_name(event, campaign)} · {_place(event)}"


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


def _grouped(events: list[Event], today: date) -> dict[str | None, dict[date, list[Event]]]:
    """By campaign, in the order their first events come, those of no campaign last; then by day."""
    groups: dict[str | None, dict[date, list[Event]]] = {}
    for event in sorted(events, key=lambda e: (e.campaign_slug is None, _day(e, today), e.starts_at, e.id)):
        groups.setdefault(event.campaign_slug, {}).setdefault(_day(event, today), []).append(event)
    return groups


def _group_heading(campaign: Campaign | None, grouped: bool) -> str | None:
    if campaign is not None:
        return campaign_line(campaign)
    return _(":pushpin: *Other actions*") if grouped else None


def _more(count: int, full_list: str | None) -> str:
    if full_list:
        # TRANSLATORS: ends a digest too long to show whole; the link's label is "see them all".
        return ngettext(
            "…and {count} more: <{url}|see them all>", "…and {count} more: <{url}|see them all>", count
        ).format(count=number(count), url=full_list)
    return ngettext(
        "…and {count} more: `/event list` shows them all", "…and {count} more: `/event list` shows them all", count
    ).format(count=number(count))


def _groups_text(
    events: list[Event], *, today: date, campaigns: Mapping[str, Campaign], budget: int
) -> tuple[list[str], int]:
    """Each campaign group's text, as many of its lines as `budget` holds; and how many events they show."""
    groups = _grouped(events, today)
    several = len(groups) > 1 or None not in groups
    texts: list[str] = []
    shown = used = 0
    for slug, days in groups.items():
        campaign = campaigns.get(slug) if slug else None
        heading = _group_heading(campaign, several)
        lines = [heading] if heading else []
        for day, day_events in days.items():
            day_lines = [_day_heading(day, today)]
            for event in day_events:
                line = digest_line(event, day, campaign)
                if used + sum(len(text) + 1 for text in lines + day_lines) + len(line) > budget:
                    lines += day_lines if len(day_lines) > 1 else []
                    return texts + (["\n".join(lines)] if len(lines) > (1 if heading else 0) else []), shown
                day_lines.append(line)
                shown += 1
            lines += day_lines
        texts.append("\n".join(lines))
        used += len(texts[-1]) + 1
    return texts, shown


def _empty_week(next_event: Event | None) -> list[dict]:
    if next_event is None:
        return [blockkit.section(_("*Nothing planned yet after today.* Register an action with `/event new`."))]
    day = local_date(next_event.starts_at, next_event.timezone)
    return [
        blockkit.section(
            _("*Nothing in the next {days} days.* The next action is on {day}:").format(days=DAYS, day=dates.day(day))
            + "\n"
            + digest_line(next_event, day)
        ),
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": _("Planning something sooner? Register it with `/event new`.")}],
        },
    ]


def digest_messages(
    events: list[Event],
    *,
    today: date,
    quiet: bool,
    campaigns: Mapping[str, Campaign] | None = None,
    next_event: Event | None = None,
    full_list: str | None = None,
) -> list[tuple[str, list[dict]]]:
    """(fallback text, blocks) of the digest's one post; none for a quiet empty week.
    `campaigns`: the events' campaigns by slug, each named once with its hashtags.
    `next_event`: with no events, the next one after the week. `full_list`: where "and N more"
    links to (the public list), else it names `/event list`."""
    if not events:
        if quiet:
            return []
        fallback = (
            _("Nothing in the next {days} days; the next action is on {day}").format(
                days=DAYS, day=dates.day(local_date(next_event.starts_at, next_event.timezone))
            )
            if next_event
            else _("No actions in the next 7 days")
        )
        return [(fallback, _empty_week(next_event))]
    count = len(events)
    actions = ngettext("{count} action", "{count} actions", count).format(count=number(count))
    heading = _(":calendar: *Coming up in the next {days} days* ({actions})").format(days=DAYS, actions=actions)
    room = BUDGET - len(heading) - 1
    groups, shown = _groups_text(events, today=today, campaigns=campaigns or {}, budget=room)
    if shown < count:  # again, with room for the "and N more" line
        room -= len(_more(count, full_list)) + 1
        groups, shown = _groups_text(events, today=today, campaigns=campaigns or {}, budget=room)
    blocks = [blockkit.section(heading)]
    for text in groups:
        blocks.append({"type": "divider"})
        blocks += [blockkit.section(piece) for piece in split_text(text, SECTION_TEXT)]
    if shown < count:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _more(count - shown, full_list)}]})
    fallback = ngettext(
        "Digest: {count} action in the next {days} days", "Digest: {count} actions in the next {days} days", count
    ).format(count=number(count), days=DAYS)
    return [(shorten(fallback, FALLBACK_TEXT), blocks)]


def subscribed_text(local_time: str, tz_name: str, next_run_unix_token: str, quiet: bool) -> str:
    """Said in the channel, in its language."""
    text = _(
        ":calendar: This channel will get the digest of the next {days} days every day at *{time}* ({timezone}). "
        "Next one: {next}."
    ).format(days=DAYS, time=local_time, timezone=mrkdwn.escape(tz_name), next=next_run_unix_token)
    if quiet:
        text += " " + _("On a week with nothing planned I'll stay quiet.")
    return text + " " + _("`/digest unsubscribe` stops it.")
