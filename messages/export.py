"""The events as a CSV file (`/event export`): one row per event with every field, its RSVP count.

The columns are the event modal's fields under their own names (storage.event_fields and the
modal's values), so `organizer-bot import` reads such a file back; then the post-event report's
figures (storage.reports), which the import leaves alone. Times are local, in the event's own
time zone, as its organizer typed them.

The file is data, not a message: its column names and its values (`upcoming`, `yes`, the
event type's English label) are the same whatever language its reader speaks, since the
import reads them back and a spreadsheet's formulas or filters may name them. Only the DM it
comes with and its title are in the reader's language.

Cells are neutralised against formula injection: a spreadsheet runs a cell starting with `=`,
`+`, `-` or `@` (or a tab or carriage return) as a formula, so such a cell gets a leading
apostrophe, which spreadsheets show as text. `restore` takes exactly that apostrophe off again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from messages import mrkdwn, plural
from messages.event_form import EventFormValues
from messages.events import type_label
from messages.i18n import DEFAULT_LANGUAGE, catalog, speaking
from storage import event_fields as fields
from storage.models import Campaign, Event, EventReport

_, ngettext, pgettext = catalog("export")

# Columns a person reads first, then the rest of the fields in the spec's order, then what the
# bot knows, then how it went (the hosts' report). Names are identifiers the import reads back:
# untranslated.
WHEN_COLUMNS = (
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "all_day",
    "timezone",
)  # untranslated: data column names
REPORT_COLUMNS = (  # untranslated: data column names
    "turnout",
    "press_hits",
    "press_links",
    "official_said",
    "photos_url",
    "next_step",
    "reported_by",
    "reported_at",
    "report_updated_by",
    "report_updated_at",
)
COLUMNS = (  # untranslated: data column names
    "id",
    "status",
    fields.TITLE.name,
    "event_type",
    "campaign",
    *WHEN_COLUMNS,
    *(f.name for f in fields.TEXT_FIELDS if f is not fields.TITLE),
    "is_public",
    "going",
    "channel",
    "card",
    "registered_by",
    "registered_at",
    *REPORT_COLUMNS,
)
# Values the import reads back (`status` cancelled is not imported): data, in English for everyone.
YES, NO = "yes", "no"  # untranslated: data values read back by the import
UPCOMING, PAST, CANCELLED = "upcoming", "past", "cancelled"  # untranslated: data values read back by the import
# A leading apostrophe before any of these keeps a spreadsheet from reading a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FILE_TYPE = "csv"


@dataclass(frozen=True)
class ExportRow:
    event: Event
    values: EventFormValues  # its fields as the modal shows them (local dates and times)
    going: int
    show_email: bool  # False: a private event's contact email, not for this reader
    report: EventReport | None = None  # how it went, as its hosts told it


def neutralise(cell: str) -> str:
    """`=HYPERLINK(...)` -> `'=HYPERLINK(...)`; a cell that already starts with apostrophes before
    one of those characters gets one more, so that `restore` gives back exactly what was there."""
    bare = cell.lstrip("'")
    return f"'{cell}" if bare[:1] and bare[0] in FORMULA_STARTS else cell


def restore(cell: str) -> str:
    """The cell as it was before `neutralise`."""
    bare = cell.lstrip("'")
    return cell[1:] if cell[:1] == "'" and bare[:1] and bare[0] in FORMULA_STARTS else cell


def status(event: Event, now: datetime) -> str:
    if event.is_cancelled:
        return CANCELLED
    return PAST if event.effective_end < now else UPCOMING


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return neutralise(str(value))


def _row(row: ExportRow, now: datetime) -> list[str]:
    event, values = row.event, row.values
    known = {
        "id": event.id,
        "status": status(event, now),
        "event_type": type_label(event),
        "campaign": event.campaign_slug,
        "going": row.going,
        "channel": event.channel_id,
        "card": event.permalink,
        "registered_by": event.created_by,
        "registered_at": event.created_at,
        **{name: getattr(values, name) for name in (*WHEN_COLUMNS, "is_public")},
        **{f.name: getattr(event, f.name) for f in fields.TEXT_FIELDS},
    }
    if not row.show_email:
        known[fields.CONTACT_EMAIL.name] = None
    known.update(_report_cells(row.report))
    return [_cell(known[column]) for column in COLUMNS]


def _report_cells(report: EventReport | None) -> dict:
    if report is None:
        return dict.fromkeys(REPORT_COLUMNS)
    return {
        "turnout": report.turnout,
        "press_hits": report.press_hits,
        "press_links": "\n".join(report.press_links or []),  # one a line, as the report form takes them
        "official_said": report.official_said,
        "photos_url": report.photos_url,
        "next_step": report.next_step,
        "reported_by": report.created_by,
        "reported_at": report.created_at,
        "report_updated_by": report.updated_by,
        "report_updated_at": report.updated_at,
    }


def csv_bytes(rows: Iterable[ExportRow], now: datetime) -> bytes:
    """UTF-8 with a byte order mark, which spreadsheets need to show “curly quotes” and accents.
    Written in English whatever the language of the moment: the file is data (see above)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    with speaking(DEFAULT_LANGUAGE):
        for row in rows:
            writer.writerow(_row(row, now))
    return out.getvalue().encode("utf-8-sig")


def filename(today: date, number: int, campaign: Campaign | None = None) -> str:
    """Unique per export: the outbox looks for it in the DM before uploading it again, so it is
    the same in every language (an identifier, like the columns)."""
    of = f"{campaign.slug}-" if campaign else ""
    return f"events-{of}{today.isoformat()}-{number}.{FILE_TYPE}"


def title(campaign: Campaign | None = None) -> str:
    """The file's title, shown as plain text."""
    return _("Events of {campaign}").format(campaign=campaign.name) if campaign else _("Events")


def comment(count: int, hidden_emails: int, campaign: Campaign | None = None) -> str:
    """The message the file comes with, in the requester's DM (mrkdwn)."""
    if campaign is not None:
        text = ngettext(
            "Here is the export you asked for: {count} event of {campaign}, one a row.",
            "Here is the export you asked for: {count} events of {campaign}, one a row.",
            count,
        ).format(count=plural.number(count), campaign=mrkdwn.escape(campaign.name))
    else:
        text = ngettext(
            "Here is the export you asked for: {count} event, one a row.",
            "Here is the export you asked for: {count} events, one a row.",
            count,
        ).format(count=plural.number(count))
    if hidden_emails:
        text += " " + ngettext(
            "The contact email of {count} event not open to the public is left out: only admins and each event's hosts get them.",
            "The contact emails of {count} events not open to the public are left out: only admins and each event's hosts get them.",
            hidden_emails,
        ).format(count=plural.number(hidden_emails))
    return text


def on_its_way(campaign: Campaign | None = None) -> str:
    """The answer to /event export: the file follows in a DM."""
    if campaign is not None:
        return _("I'm putting the CSV of the events of {campaign} together; it will be in our DM in a moment.").format(
            campaign=mrkdwn.escape(campaign.name)
        )
    return _("I'm putting the CSV of the events together; it will be in our DM in a moment.")
