"""What the bot says about listings it reads: why an entry could not be read, the schedule it
writes into an event's details, and the report of `organizer-bot import` and `demo`.

Plain text: reasons are shown in the terminal and in a modal's plain-text notes, never as mrkdwn.
"""

from __future__ import annotations

from datetime import date

from messages import dates
from messages.i18n import catalog
from messages.plural import number

_, ngettext, pgettext = catalog("listings")

# --- why an entry could not be read -----------------------------------------------
# TRANSLATORS: the reasons below complete "I couldn't read everything in that message: …" and
# the import's "line 5: <title>" lines. “Date and Time” is the listing's own English label.


def no_when() -> str:
    return _("no “Date and Time” line")


def no_date() -> str:
    return _("no date in its “Date and Time” line")


def when_to_be_announced() -> str:
    return _("its date is still to be announced")


def separate_days() -> str:
    return _("its days do not follow each other: make one event per day")


def times_on_several_days() -> str:
    return _("it gives times on several days: make one event per day")


def when_too_long() -> str:
    return _("its “Date and Time” line is too long to be a date")


def empty_message() -> str:
    return _("the message has no text to read")


def cancelled_row() -> str:
    return _("the event is cancelled: cancelled events are not imported")


def unreadable_when(piece: str) -> str:
    return _("could not read “{text}” as a date or a time").format(text=piece)


def two_zones(names: list[str]) -> str:
    return _("it names two time zones ({zones})").format(zones=", ".join(names))


def repeated_line(key: str) -> str:
    return _("it has two “{label}” lines").format(label=key)


def bad_cell(column: str, value: str) -> str:
    # TRANSLATORS: {column} is the CSV column's name as the file has it (start_date, event_type).
    return _("could not read its {column} “{value}”").format(column=column, value=value)


def unknown_campaign(slug: str) -> str:
    return _("its campaign “{slug}” is not one of this workspace's (see /campaign list)").format(slug=slug)


def not_an_export(missing: list[str]) -> str:
    # TRANSLATORS: {columns} is one or two column names as the file has them: "title or start_date".
    return _("it is not a CSV of /event export: it has no {columns} column").format(columns=_(" or ").join(missing))


def schedule(parts: str, zone: str | None) -> str:
    """The parts of a day written into the event's details: "Rally at 12:00-6:00pm, Prayer Vigil at 6:00-7:00pm"."""
    if zone:
        # TRANSLATORS: written into an event's details; {parts} are copied from the listing as they are.
        return _("Schedule: {parts} ({zone})").format(parts=parts, zone=zone)
    return _("Schedule: {parts}").format(parts=parts)


def field_problem(label: str, message: str) -> str:
    """A check of the event modal that the entry fails, named by the field's label."""
    return _("{label}: {problem}").format(label=label, problem=message)


def modal_notes(problems: tuple[str, ...]) -> tuple[str, ...]:
    """Above the prefilled modal: what could not be read from the message, so the person fills it in."""
    if not problems:
        return ()
    return (
        _("I couldn't read everything in that message: {problems}. Check the fields below.").format(
            problems="; ".join(problems)
        ),
    )


# --- organizer-bot import and demo --------------------------------------------------


def checking() -> str:
    """The progress bar's word while entries are checked."""
    return _("Checking")


def saving() -> str:
    """The progress bar's word while events are saved."""
    return _("Saving")


def _days(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return ""
    if first == last:
        return _(", on {day}").format(day=dates.day(first))
    return _(", {days}").format(days=dates.days(first, last))


def unreadable_report(entries: list[tuple[int, str, tuple[str, ...]]]) -> str:
    """Every entry that could not be read, where it is and why: (line, title, reasons)."""
    lines = [
        ngettext("{count} entry could not be read:", "{count} entries could not be read:", len(entries)).format(
            count=number(len(entries))
        )
    ]
    for line, title, why in entries:
        lines.append("  " + _("line {line}: {title}").format(line=line, title=title or _("(no title)")))
        lines += [f"      {reason}" for reason in why]
    return "\n".join(lines)


def unplaced_report(entries: list[tuple[int, str, str | None, tuple[str, ...]]]) -> str:
    """Every entry ready to import without a place, and why: (line, title, city, the states its city could be in)."""
    lines = [
        ngettext(
            "{count} event has no place: `/event near` and the map cannot find it. Give its listing a state "
            "or a ZIP code, or its event one with `/event edit`:",
            "{count} events have no place: `/event near` and the map cannot find them. Give their listings a state "
            "or a ZIP code, or their events one with `/event edit`:",
            len(entries),
        ).format(count=number(len(entries)))
    ]
    for line, title, city, states in entries:
        if city and states:
            # TRANSLATORS: {states} lists state codes: "AR, MT, PA".
            why = _("“{city}” is a city of more than one state: {states}?").format(city=city, states=", ".join(states))
        elif city:
            why = _("“{city}” is not a city I know in its state").format(city=city)
        else:
            why = _("it names no city, state or ZIP code")
        lines.append("  " + _("line {line}: {title}").format(line=line, title=title or _("(no title)")))
        lines.append(f"      {why}")
    return "\n".join(lines)


def import_summary(
    *,
    read: int,
    ready: int,
    saved: int,
    already: int,
    unreadable: int,
    dry_run: bool,
    stopped: bool,
    channel_id: str | None,
    first_day: date | None,
    last_day: date | None,
) -> str:
    # TRANSLATORS: {when} below is empty, ", on Fri, Dec 4, 2026" or ", Sat, Jan 27 – Sat, Feb 3, 2018".
    lines = [
        ngettext(
            "Read {count} entry: {ready} ready, {already} imported before, {unreadable} unreadable.",
            "Read {count} entries: {ready} ready, {already} imported before, {unreadable} unreadable.",
            read,
        ).format(count=number(read), ready=number(ready), already=number(already), unreadable=number(unreadable))
    ]
    when = _days(first_day, last_day)
    if stopped:
        if ready:
            fix = ngettext(
                "correct the entries above, or pass --skip-unreadable to import the {count} other",
                "correct the entries above, or pass --skip-unreadable to import the {count} others",
                ready,
            ).format(count=number(ready))
        else:
            fix = _("correct the entries above")
        outcome = (
            _("Dry run: this import would stop and save nothing: {fix}.")
            if dry_run
            else _("Nothing was imported: {fix}.")
        )
        lines.append(outcome.format(fix=fix))
    elif dry_run:
        lines.append(
            ngettext(
                "Dry run: {count} event would be imported{when}; nothing was saved.",
                "Dry run: {count} events would be imported{when}; nothing was saved.",
                ready,
            ).format(count=number(ready), when=when)
        )
    elif saved:
        where = (
            _("the running bot posts their cards in channel {channel}").format(channel=channel_id)
            if channel_id
            else _("not announced: pass --channel C0123 to post their cards")
        )
        lines.append(
            ngettext(
                "Imported {count} event{when} ({where}).", "Imported {count} events{when} ({where}).", saved
            ).format(count=number(saved), when=when, where=where)
        )
    else:
        lines.append(_("Nothing new to import."))
    return "\n".join(lines)


def demo_summary(*, saved: int, already: int, left_out: int, first_day: date | None, last_day: date | None) -> str:
    if not saved:
        return ngettext(
            "The demo is already loaded ({count} event); nothing was added.",
            "The demo is already loaded ({count} events); nothing was added.",
            already,
        ).format(count=number(already))
    return " ".join(
        (
            ngettext(
                "Demo loaded: {count} event of the We Are All America Day of Action{when}.",
                "Demo loaded: {count} events of the We Are All America Day of Action{when}.",
                saved,
            ).format(count=number(saved), when=_days(first_day, last_day)),
            _(
                "The page's dates of February 2017 are moved by whole weeks, so each event keeps its weekday and its time."
            ),
            ngettext(
                "{count} listing without a date was left out.",
                "{count} listings without a date were left out.",
                left_out,
            ).format(count=number(left_out)),
            _("Try /event list in Slack."),
        )
    )
