"""Bringing events in from a file (`organizer-bot import`) and the demo (`organizer-bot demo`).

- Checked as the modal checks a submission (services.event_form), every entry before anything
  is written; an entry that cannot be read is reported with its reasons.
- All or nothing: one unreadable entry stops the import and nothing is saved, unless the
  caller asks to skip those (`--skip-unreadable`); what is saved is saved in one transaction.
- Saved through the modal's own path (services.events: campaign_of, create): the campaign
  running on the event's date unless one is named, reminders, coordinates, and a card through
  the outbox when a channel is given (the running bot's delivery worker posts it). Without a
  channel the events are not announced: they are listed, shown and put in digests.
- An entry already imported (the same listing text or CSV row, in this team) is not imported
  again, so running an import or the demo twice adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from messages import content
from messages import listings as reasons
from messages.event_form import field_labels
from services import campaigns, events, listings, places
from services.content import ensure_team_content
from services.event_form import EventInput, parse_form_values
from services.listings import Entry
from services.runtime import Services
from storage import events as event_store
from storage import submissions
from storage.places import locate, states_of_city
from timemath import ONE_DAY, local_date

T = TypeVar("T")
# Wraps what is worked through with a progress display: (items, what is being done) -> the items.
Progress = Callable[[list[T], str], Iterable[T]]
CSV_SUFFIX = ".csv"
DAY_OF_ACTION = "we-are-all-america"  # the demo listings' campaign (messages/content/campaigns.yaml)


def _quietly(items: list[T], doing: str) -> Iterable[T]:
    return items


@dataclass(frozen=True)
class Unreadable:
    entry: Entry
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unplaced:
    """An entry ready to be saved without a place (`/event near` and the map cannot find it)."""

    entry: Entry
    states: tuple[str, ...]  # those its city (named without its state) could be in, the likeliest first


@dataclass
class ImportReport:
    read: int = 0  # entries in the file
    saved: list[int] = field(default_factory=list)  # ids of the events created
    ready: int = 0  # entries that would be (or were) saved
    already: list[Entry] = field(default_factory=list)  # imported before, or repeated in the file
    unreadable: list[Unreadable] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)  # of the ready ones
    dry_run: bool = False
    skip_unreadable: bool = False
    first_day: date | None = None  # of what was (or would be) saved
    last_day: date | None = None

    @property
    def stopped(self) -> bool:
        """Unreadable entries stop an import (or would stop it, in a dry run): nothing is saved."""
        return bool(self.unreadable) and not self.skip_unreadable


def read_file(path: Path, *, default_timezone: str, today: date) -> list[Entry]:
    """A CSV of `/event export` (by its .csv name), else a text of listings. Raises
    listings.NotAnExport for a CSV without the export's columns, OSError when it cannot be read."""
    text = path.read_text(encoding="utf-8-sig")
    read = listings.read_csv if path.suffix.lower() == CSV_SUFFIX else listings.read_listings
    return read(text, default_timezone=default_timezone, today=today)


def import_key(entry: Entry) -> str:
    """The same listing (whatever its spacing) is the same entry, in any file, on any day."""
    return "import:" + hashlib.sha256(" ".join(entry.source.split()).encode()).hexdigest()[:48]


def import_entries(
    services: Services,
    team_id: str,
    user_id: str,
    entries: list[Entry],
    *,
    channel_id: str | None = None,
    private_channel: bool = False,
    campaign_slug: str | None = None,
    dry_run: bool = False,
    skip_unreadable: bool = False,
    progress: Progress = _quietly,
) -> ImportReport:
    """Check every entry, then save the readable new ones in one transaction (see the module's rules).
    `user_id` registers them: they may edit them, as admins may. `campaign_slug` puts every one
    in that campaign, whatever its own says."""
    now = services.now()
    report = ImportReport(read=len(entries), dry_run=dry_run, skip_unreadable=skip_unreadable)
    ensure_team_content(services, team_id)  # its campaigns, which events join as in the modal
    fresh: dict[str, tuple[Entry, EventInput, str | None]] = {}
    with services.db.read() as session:
        known = submissions.seen_keys(session, team_id, [import_key(entry) for entry in entries])
        entries = _placed(entries, event_store.cities_and_states(session, team_id))
        for entry in progress(entries, reasons.checking()):
            key = import_key(entry)
            if key in known or key in fresh:  # imported before (whatever its date now), or twice in the file
                report.already.append(entry)
                continue
            data, problems = _check(entry, channel_id, campaign_slug, now)
            campaign_known, joins = events.campaign_of(session, team_id, data) if data else (True, None)
            if not campaign_known:
                problems = (reasons.unknown_campaign(data.campaign_choice),)
            if problems:
                report.unreadable.append(Unreadable(entry, problems))
            else:
                fresh[key] = (entry, data, joins)
    report.ready = len(fresh)
    report.unplaced = [
        _unplaced(entry)
        for entry, data, _ in fresh.values()
        if not data.online_url and locate(data.zip_code, data.city, data.state) is None
    ]
    if fresh:
        days = [local_date(data.starts_at, data.timezone) for _, data, _ in fresh.values()]
        report.first_day, report.last_day = min(days), max(days)
    if dry_run or not fresh or report.stopped:
        return report
    with services.db.session(patient=True) as session:
        for key, (_entry, data, joins) in progress(list(fresh.items()), reasons.saving()):
            event = events.create(session, team_id, user_id, data, joins, now, private_channel=private_channel)
            submissions.remember(session, team_id, key, event.id, now)
            report.saved.append(event.id)
    services.doorbell.ring()
    return report


def _placed(entries: list[Entry], workspace: list[tuple[str, str]]) -> list[Entry]:
    """Each listing whose city is named without its state ("Denver: ..."), in the state where it
    can be told (services.places.state_of_city), from the workspace's events and the other listings."""
    named = places.named_states([*workspace, *((e.values.city, e.values.state) for e in entries)])

    def place(entry: Entry) -> Entry:
        values = entry.values
        if not values.city or values.state or values.zip_code:
            return entry
        state = places.state_of_city(values.city, named)
        return replace(entry, values=replace(values, state=state)) if state else entry

    return [place(entry) for entry in entries]


def _unplaced(entry: Entry) -> Unplaced:
    city = entry.values.city
    states = states_of_city(city) if city and not entry.values.state else {}
    return Unplaced(entry, tuple(sorted(states, key=states.__getitem__, reverse=True)))


def _check(
    entry: Entry, channel_id: str | None, campaign_slug: str | None, now
) -> tuple[EventInput | None, tuple[str, ...]]:
    if entry.problems:
        return None, entry.problems
    values = replace(entry.values, channel_id=channel_id, campaign_slug=campaign_slug or entry.values.campaign_slug)
    data, errors = parse_form_values(values, now, needs_channel=False)
    labels = field_labels()
    return data, tuple(
        reasons.field_problem(labels.get(block_id, block_id), message) for block_id, message in errors.items()
    )


# --- the demo ---------------------------------------------------------------------


def load_demo(
    services: Services,
    team_id: str,
    user_id: str,
    *,
    channel_id: str | None = None,
    private_channel: bool = False,
    progress: Progress = _quietly,
) -> ImportReport:
    """The Day of Action's listings (messages/content), moved to coming dates: every event by the
    same whole number of weeks, so each keeps its weekday and its local time, the first of them
    tomorrow or within the week after; in the Day of Action's campaign, when the team has it.
    Listings it cannot read (those without a date) are left out."""
    zone = services.default_timezone
    today = local_date(services.now(), zone)
    entries = listings.read_listings(content.demo_listings(), default_timezone=zone, today=today)
    moved = _moved(entries, first_day=today + ONE_DAY)
    campaign = campaigns.find(services, team_id, DAY_OF_ACTION)
    return import_entries(
        services,
        team_id,
        user_id,
        moved,
        channel_id=channel_id,
        private_channel=private_channel,
        campaign_slug=campaign and campaign.slug,
        skip_unreadable=True,
        progress=progress,
    )


def _moved(entries: list[Entry], *, first_day: date) -> list[Entry]:
    days = [entry.values.start_date for entry in entries if entry.values.start_date]
    if not days:
        return entries
    weeks = max(0, -(-(first_day - min(days)).days // 7))  # whole weeks, rounded up
    shift = timedelta(weeks=weeks)

    def move(entry: Entry) -> Entry:
        values = entry.values
        if values.start_date is None:
            return entry
        end_date = values.end_date and values.end_date + shift
        return replace(entry, values=replace(values, start_date=values.start_date + shift, end_date=end_date))

    return [move(entry) for entry in entries]
