"""What the bot says about listings it reads: why an entry could not be read, the schedule it
writes into an event's details, and the report of `organizer-bot import` and `demo`.

Plain text: reasons are shown in the terminal and in a modal's plain-text notes, never as mrkdwn.
"""

from __future__ import annotations

from datetime import date

# --- why an entry could not be read -----------------------------------------------

NO_WHEN = "no “Date and Time” line"
NO_DATE = "no date in its “Date and Time” line"
WHEN_TO_BE_ANNOUNCED = "its date is still to be announced"
SEPARATE_DAYS = "its days do not follow each other: make one event per day"
TIMES_ON_SEVERAL_DAYS = "it gives times on several days: make one event per day"
WHEN_TOO_LONG = "its “Date and Time” line is too long to be a date"
EMPTY_MESSAGE = "the message has no text to read"
CANCELLED_ROW = "the event is cancelled: cancelled events are not imported"


def unreadable_when(piece: str) -> str:
    return f"could not read “{piece}” as a date or a time"


def two_zones(names: list[str]) -> str:
    return f"it names two time zones ({', '.join(names)})"


def repeated_line(key: str) -> str:
    return f"it has two “{key}” lines"


def bad_cell(column: str, value: str) -> str:
    return f"could not read its {column} “{value}”"


def unknown_campaign(slug: str) -> str:
    return f"its campaign “{slug}” is not one of this workspace's (see /campaign list)"


def not_an_export(missing: list[str]) -> str:
    return f"it is not a CSV of /event export: it has no {' or '.join(missing)} column"


def schedule(parts: str, zone: str | None) -> str:
    """The parts of a day written into the event's details: "Rally at 12:00-6:00pm, Prayer Vigil at 6:00-7:00pm"."""
    return f"Schedule: {parts}" + (f" ({zone})" if zone else "")


def field_problem(label: str, message: str) -> str:
    """A check of the event modal that the entry fails, named by the field's label."""
    return f"{label}: {message}"


def modal_notes(problems: tuple[str, ...]) -> tuple[str, ...]:
    """Above the prefilled modal: what could not be read from the message, so the person fills it in."""
    if not problems:
        return ()
    return (f"I couldn't read everything in that message: {'; '.join(problems)}. Check the fields below.",)


# --- organizer-bot import and demo --------------------------------------------------

CHECKING = "Checking"
SAVING = "Saving"


def _days(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return ""
    if first == last:
        return f", on {first:%a, %b} {first.day}, {first:%Y}"
    return f", {first:%a, %b} {first.day} – {last:%a, %b} {last.day}, {last:%Y}"


def _events(count: int) -> str:
    return f"{count} event{'' if count == 1 else 's'}"


def unreadable_report(entries: list[tuple[int, str, tuple[str, ...]]]) -> str:
    """Every entry that could not be read, where it is and why: (line, title, reasons)."""
    lines = [f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} could not be read:"]
    for line, title, why in entries:
        lines.append(f"  line {line}: {title or '(no title)'}")
        lines += [f"      {reason}" for reason in why]
    return "\n".join(lines)


def import_summary(*, read: int, ready: int, saved: int, already: int, unreadable: int, dry_run: bool,
                   stopped: bool, channel_id: str | None, first_day: date | None, last_day: date | None) -> str:
    lines = [f"Read {read} entr{'y' if read == 1 else 'ies'}: {ready} ready, {already} imported before, {unreadable} unreadable."]
    if stopped:
        outcome = "Dry run: this import would stop and save nothing" if dry_run else "Nothing was imported"
        fix = f", or pass --skip-unreadable to import the {ready} others" if ready else ""
        lines.append(f"{outcome}: correct the entries above{fix}.")
    elif dry_run:
        lines.append(f"Dry run: {_events(ready)} would be imported{_days(first_day, last_day)}; nothing was saved.")
    elif saved:
        where = (f"the running bot posts their cards in channel {channel_id}" if channel_id
                 else "not announced: pass --channel C0123 to post their cards")
        lines.append(f"Imported {_events(saved)}{_days(first_day, last_day)} ({where}).")
    else:
        lines.append("Nothing new to import.")
    return "\n".join(lines)


def demo_summary(*, saved: int, already: int, left_out: int, first_day: date | None, last_day: date | None) -> str:
    if not saved:
        return f"The demo is already loaded ({_events(already)}); nothing was added."
    return (f"Demo loaded: {_events(saved)} of the We Are All America Day of Action{_days(first_day, last_day)}. "
            "The page's dates of February 2017 are moved by whole weeks, so each event keeps its weekday and its time. "
            f"{left_out} listings without a date were left out. Try /event list in Slack.")
