"""`organizer-bot import` and `organizer-bot demo`: the seed page imported through the modal's own
path, all or nothing, announced only when asked; the real console script as an operator runs it."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bot.app import make_services
from bot.settings import load_settings
from conftest import FakeClock, bot_env, make_deliverer
from driver import visible_text
from fakeslack import BOT_USER_ID, TEAM_ID
from messages import export
from messages import listings as reasons
from schedhelp import outbox_rows
from services.imports import import_entries
from services.listings import read_listings
from storage.models import Event, Reminder, Submission
from test_installs import TEAM_B, deployment, install, install_env, tokens_used  # noqa: F401 - deployment is a fixture
from test_listings import SEED_LISTINGS
from test_startup import start
from timemath import UTC, to_local

FEB_1_2017 = datetime(2017, 2, 1, 12, tzinfo=UTC)


def services_at(slack, database, now: datetime):
    return make_services(load_settings(bot_env(slack, database.url)), database, now=FakeClock(now))


def stored(database) -> list[Event]:
    with database.read() as session:
        return list(session.scalars(select(Event).order_by(Event.id)))


def count(database, model) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def seed_entries():
    return read_listings(SEED_LISTINGS, default_timezone="America/Chicago", today=FEB_1_2017.date())


# --- the workflow, on both databases, in February 2017 ---------------------------------


def test_the_seed_page_imports_all_or_nothing(slack, database):
    services = services_at(slack, database, FEB_1_2017)
    stopped = import_entries(services, TEAM_ID, "U1", seed_entries())
    assert stopped.stopped and stopped.saved == [] and (stopped.ready, len(stopped.unreadable)) == (25, 12)
    assert stored(database) == [] and count(database, Submission) == 0

    report = import_entries(services, TEAM_ID, "U1", seed_entries(), skip_unreadable=True)
    assert len(report.saved) == 25 and (report.first_day, report.last_day) == (date(2017, 2, 21), date(2017, 2, 24))
    events = {event.title.split(":")[0]: event for event in stored(database)}
    phoenix = events["Phoenix"]
    assert (phoenix.starts_at, phoenix.ends_at) == (
        datetime(2017, 2, 22, 19, tzinfo=UTC),
        datetime(2017, 2, 23, 2, tzinfo=UTC),
    )
    assert (phoenix.timezone, phoenix.city, phoenix.state, phoenix.event_type) == (
        "America/Phoenix",
        "Phoenix",
        "AZ",
        "rally",
    )
    assert (phoenix.created_by, phoenix.team_id, phoenix.channel_id, phoenix.message_ts) == ("U1", TEAM_ID, None, None)
    assert not events["Los Angeles"].is_public and events["Los Angeles"].all_day
    # As in the modal: the campaign its hashtag names (Modesto's Feb 24 is after the Day of
    # Action), else the one running on its date (Feb 22).
    assert (phoenix.campaign_slug, events["Modesto"].campaign_slug) == ("we-are-all-america", "we-are-all-america")
    # Not announced: no card, no reminder in a channel, nothing for Slack at all.
    assert outbox_rows(database) == [] and count(database, Reminder) == 0


def test_the_seed_listings_are_placed_or_reported(slack, database):
    """Issue 25: 16 of the 25 had no place ("Denver: ...", "Miami: ..." name no state). A city
    without its state is placed when it can be told; the others are in the report."""
    services = services_at(slack, database, FEB_1_2017)
    report = import_entries(services, TEAM_ID, "U1", seed_entries(), skip_unreadable=True)
    events = stored(database)
    placed = [event for event in events if event.latitude is not None]
    assert (len(events), len(placed)) == (25, 16)  # 9 before
    assert {(e.city, e.state) for e in placed if e.zip_code is None} >= {
        ("Los Angeles", "CA"),
        ("Sacramento", "CA"),
        ("Miami", "FL"),
        ("Charlotte", "NC"),
    }
    assert len(report.unplaced) == 9 and not {u.entry.title for u in report.unplaced} & {e.title for e in placed}
    why = {u.entry.values.city: u.states for u in report.unplaced}
    assert why["Glendale"][:2] == ("CA", "AZ") and why["Springdale"][0] == "AR" and "PA" in why["Springdale"]
    assert [u.entry.values.city for u in report.unplaced].count(
        None
    ) == 7  # "…Legislative Visit with Sen. Cornyn": no city


def test_an_import_run_twice_adds_nothing_the_second_time(slack, database):
    services = services_at(slack, database, FEB_1_2017)
    import_entries(services, TEAM_ID, "U1", seed_entries(), skip_unreadable=True)
    again = import_entries(services, TEAM_ID, "U1", seed_entries(), skip_unreadable=True)
    assert again.saved == [] and len(again.already) == 25
    assert len(stored(database)) == 25
    other_team = import_entries(services, "T0OTHER", "U9", seed_entries(), skip_unreadable=True)
    assert len(other_team.saved) == 25  # another workspace has its own


def test_an_import_with_a_channel_posts_each_card_through_the_outbox(slack, database):
    services = services_at(slack, database, FEB_1_2017)
    entries = [e for e in seed_entries() if e.title.startswith(("Phoenix", "Modesto"))]
    report = import_entries(services, TEAM_ID, "UADMIN", entries, channel_id="C1")
    assert len(report.saved) == 2 and len(outbox_rows(database, "card")) == 2
    make_deliverer(slack, services).run_once()
    cards = [visible_text(m) for m in slack.history("C1")]
    assert len(cards) == 2 and "Phoenix: #WeAreAllAmerica Rally and Prayer Vigil" in cards[0]
    assert "Schedule: Rally at 12:00-6:00pm, Prayer Vigil at 6:00-7:00pm (MT)" in cards[0]
    assert "Registered by <@UADMIN>" in cards[0]
    assert all(event.message_ts for event in stored(database))


# --- the console script ----------------------------------------------------------


def run(slack, database, tmp_path, *args: str):
    return start(*args, env={**bot_env(slack, database.url), "LOG_LEVEL": "WARNING"}, cwd=tmp_path)


def ahead(days: int) -> date:
    return date.today() + timedelta(days=days)


def listings_file(tmp_path, *, bad: bool = False):
    first, second = ahead(30), ahead(31)
    text = (
        f"Tulsa: #WeAreAllAmerica Prayer Vigil\n"
        f"  • Date and Time: {first:%m/%d/%Y} at 6:00pm CT\n"
        f"  • Address: 1 Main St, Tulsa, OK 74103\n\n"
        f"Dayton: Town Hall with Rep. Turner\n"
        f"  • Date and Time: {second:%m/%d/%Y}{' at 25:00' if bad else ', 10:00am-noon ET'}\n"
    )
    path = tmp_path / "listings.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_dry_run_changes_nothing(slack, database, tmp_path):
    result = run(
        slack,
        database,
        tmp_path,
        "import",
        str(listings_file(tmp_path)),
        "--team",
        TEAM_ID,
        "--user",
        "U1",
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    assert "Read 2 entries: 2 ready, 0 imported before, 0 unreadable." in result.stdout
    assert f"Dry run: 2 events would be imported, {ahead(30):%a, %b} {ahead(30).day} – " in result.stdout
    assert "nothing was saved" in result.stdout
    assert stored(database) == [] and count(database, Submission) == 0
    assert slack.calls == []  # --team and --user given: Slack is not asked


def test_one_unreadable_entry_stops_the_import_unless_told_to_skip_it(slack, database, tmp_path):
    path = listings_file(tmp_path, bad=True)
    stopped = run(slack, database, tmp_path, "import", str(path), "--team", TEAM_ID, "--user", "U1")
    assert stopped.returncode == 1
    assert (
        "1 entry could not be read:\n  line 5: Dayton: Town Hall with Rep. Turner\n"
        f"      {reasons.unreadable_when('25:00')}\n"
    ) in stopped.stdout
    assert (
        "Nothing was imported: correct the entries above, or pass --skip-unreadable to import the 1 other."
        in stopped.stdout
    )
    assert stored(database) == []

    skipped = run(
        slack, database, tmp_path, "import", str(path), "--team", TEAM_ID, "--user", "U1", "--skip-unreadable"
    )
    assert skipped.returncode == 0, skipped.stderr
    assert "Imported 1 event, on" in skipped.stdout and "not announced" in skipped.stdout
    [vigil] = stored(database)
    assert (vigil.title, vigil.timezone, to_local(vigil.starts_at, vigil.timezone).hour) == (
        "Tulsa: #WeAreAllAmerica Prayer Vigil",
        "America/Chicago",
        18,
    )

    again = run(slack, database, tmp_path, "import", str(path), "--team", TEAM_ID, "--user", "U1", "--skip-unreadable")
    assert (
        "Read 2 entries: 0 ready, 1 imported before, 1 unreadable." in again.stdout
        and "Nothing new to import." in again.stdout
    )
    assert len(stored(database)) == 1


def test_the_report_names_the_events_it_could_not_place(slack, database, tmp_path):
    day = ahead(30)
    path = tmp_path / "places.txt"

    def listing(title: str, address: str = "") -> str:
        return (
            f"{title}\n  • Date and Time: {day:%m/%d/%Y} at 6:00pm\n"
            + (f"  • Address: {address}\n" if address else "")
            + "\n"
        )

    path.write_text(
        listing("Miami: Vigil") + listing("Springdale: Rally") + listing("Glendale: Town Hall"), encoding="utf-8"
    )
    result = run(slack, database, tmp_path, "import", str(path), "--team", TEAM_ID, "--user", "U1")
    assert result.returncode == 0, result.stderr
    assert (
        "2 events have no place: `/event near` and the map cannot find them. Give their listings a state or a ZIP code, "
        "or their events one with `/event edit`:\n  line 4: Springdale: Rally\n"
        "      “Springdale” is a city of more than one state: AR, MT, PA, UT, WA, MD, OH?\n"
        "  line 7: Glendale: Town Hall\n"
    ) in result.stdout
    assert "Imported 3 events" in result.stdout

    # Once the workspace has an event in Glendale, CA, a Glendale without its state is there.
    path.write_text(
        listing("Glendale: Conversation about the Refugee Program", "1500 N. Verdugo Road, Glendale, CA 91208")
        + listing("Glendale: Teach-in on asylum"),
        encoding="utf-8",
    )
    result = run(slack, database, tmp_path, "import", str(path), "--team", TEAM_ID, "--user", "U1")
    assert "no place" not in result.stdout
    states = {event.title: event.state for event in stored(database)}
    assert (states["Glendale: Teach-in on asylum"], states["Miami: Vigil"], states["Springdale: Rally"]) == (
        "CA",
        "FL",
        None,
    )


def test_the_bot_tokens_workspace_and_a_channel_by_default_from_slack(slack, database, tmp_path):
    result = run(slack, database, tmp_path, "import", str(listings_file(tmp_path)), "--channel", "C1")
    assert result.returncode == 0, result.stderr
    assert "the running bot posts their cards in channel C1" in result.stdout
    assert {(e.team_id, e.created_by, e.channel_id, e.is_public) for e in stored(database)} == {
        (TEAM_ID, BOT_USER_ID, "C1", True)
    }
    assert len(outbox_rows(database, "card")) == 2  # for the running bot's delivery worker
    assert [c for c in slack.calls_to("conversations.info")] and not slack.calls_to("chat.postMessage")


def test_a_private_channel_makes_the_imported_events_private(slack, database, tmp_path):
    slack.private_channels.add("G1")
    run(
        slack,
        database,
        tmp_path,
        "import",
        str(listings_file(tmp_path)),
        "--channel",
        "G1",
        "--team",
        TEAM_ID,
        "--user",
        "U1",
    )
    assert {(e.private_channel, e.is_public) for e in stored(database)} == {(True, False)}


def test_an_export_csv_is_imported_formula_cells_and_all(slack, database, tmp_path):
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(export.COLUMNS)
        row = {column: "" for column in export.COLUMNS} | {
            "id": "4",
            "status": "upcoming",
            "title": export.neutralise('=HYPERLINK("http://x")'),
            "event_type": "Rally or action",
            "start_date": ahead(20).isoformat(),
            "start_time": "17:30",
            "all_day": "no",
            "timezone": "America/Denver",
            "contact_email": "sara@example.org",
            "is_public": "no",
            "going": "12",
        }
        writer.writerow([row[column] for column in export.COLUMNS])
    result = run(slack, database, tmp_path, "import", str(path), "--team", TEAM_ID, "--user", "U1")
    assert result.returncode == 0, result.stderr
    [event] = stored(database)
    assert (event.title, event.event_type, event.is_public, event.contact_email) == (
        '=HYPERLINK("http://x")',
        "rally",
        False,
        "sara@example.org",
    )
    assert to_local(event.starts_at, "America/Denver").strftime("%H:%M") == "17:30"


def test_a_campaign_named_on_the_command_line_takes_every_event(slack, database, tmp_path):
    result = run(
        slack,
        database,
        tmp_path,
        "import",
        str(listings_file(tmp_path)),
        "--team",
        TEAM_ID,
        "--user",
        "U1",
        "--campaign",
        "#WhereRTheRefugees",
    )
    assert result.returncode == 0, result.stderr
    assert {e.campaign_slug for e in stored(database)} == {"where-r-the-refugees"}
    unknown = run(
        slack,
        database,
        tmp_path,
        "import",
        str(listings_file(tmp_path)),
        "--team",
        TEAM_ID,
        "--user",
        "U1",
        "--campaign",
        "Spring Break",
    )
    assert unknown.returncode == 2 and "--campaign: I don't know the campaign “Spring Break”" in unknown.stderr


def test_a_csv_rows_campaign_is_kept_and_an_unknown_one_is_a_reason(slack, database, tmp_path):
    path = tmp_path / "events.csv"
    rows = [{"title": "Vigil", "campaign": "where-r-the-refugees"}, {"title": "Rally", "campaign": "spring-break"}]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["title", "campaign", "start_date"])
        writer.writeheader()
        writer.writerows({**row, "start_date": ahead(9).isoformat()} for row in rows)
    result = run(slack, database, tmp_path, "import", str(path), "--team", TEAM_ID, "--user", "U1", "--skip-unreadable")
    assert f"line 3: Rally\n      {reasons.unknown_campaign('spring-break')}" in result.stdout
    [vigil] = stored(database)
    assert (vigil.title, vigil.campaign_slug, vigil.all_day) == ("Vigil", "where-r-the-refugees", True)


def test_files_it_cannot_import_are_named_in_one_line(slack, database, tmp_path):
    (tmp_path / "other.csv").write_text("name,date\nA,2027-01-01\n")
    result = run(slack, database, tmp_path, "import", str(tmp_path / "other.csv"), "--team", TEAM_ID, "--user", "U1")
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "cannot import " + str(tmp_path / "other.csv") + ": " + reasons.not_an_export(["title", "start_date"])
    )
    missing = run(slack, database, tmp_path, "import", str(tmp_path / "nope.txt"), "--team", TEAM_ID, "--user", "U1")
    assert missing.returncode == 2 and "No such file" in missing.stderr
    bad_channel = run(slack, database, tmp_path, "import", str(listings_file(tmp_path)), "--channel", "#general")
    assert bad_channel.returncode == 2 and "--channel takes a channel id" in bad_channel.stderr


# --- the demo --------------------------------------------------------------------


def test_the_demo_loads_upcoming_events_once_keeping_weekdays_and_times(slack, database, tmp_path):
    first = run(slack, database, tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    assert "Demo loaded: 25 events of the We Are All America Day of Action, Tue, " in first.stdout
    assert "12 listings without a date were left out." in first.stdout
    events = stored(database)
    assert len(events) == 25 and {(e.team_id, e.created_by, e.campaign_slug) for e in events} == {
        (TEAM_ID, BOT_USER_ID, "we-are-all-america")
    }
    now = datetime.now(UTC)
    assert all(e.starts_at > now for e in events) and min(e.starts_at for e in events) < now + timedelta(days=9)
    phoenix = next(e for e in events if e.title.startswith("Phoenix"))
    local = to_local(phoenix.starts_at, "America/Phoenix")
    assert (local.strftime("%A %H:%M"), (local.date() - date(2017, 2, 22)).days % 7) == ("Wednesday 12:00", 0)
    roskam = next(e for e in events if "Roskam" in e.title)
    days = (to_local(roskam.starts_at, roskam.timezone), to_local(roskam.ends_at, roskam.timezone))
    assert (days[0].strftime("%A"), days[1].strftime("%A"), roskam.all_day) == (
        "Wednesday",
        "Saturday",
        True,
    )  # Wed–Fri

    second = run(slack, database, tmp_path, "demo")
    assert second.returncode == 0 and "The demo is already loaded (25 events); nothing was added." in second.stdout
    assert len(stored(database)) == 25


# --- several workspaces installed ------------------------------------------------


def test_with_several_workspaces_the_team_is_named_and_its_own_token_used(deployment, slack, database, tmp_path):
    token = install(deployment, TEAM_B)
    env = {**install_env(slack, database.url), "LOG_LEVEL": "WARNING"}
    unnamed = start("import", str(listings_file(tmp_path)), env=env, cwd=tmp_path)
    assert unnamed.returncode == 2 and "--team is needed: the bot serves several workspaces" in unnamed.stderr
    result = start("import", str(listings_file(tmp_path)), "--team", TEAM_B, "--channel", "C9", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {(e.team_id, e.created_by, e.channel_id) for e in stored(database)} == {(TEAM_B, BOT_USER_ID, "C9")}
    assert tokens_used(slack, "auth.test") >= {token} and tokens_used(slack, "conversations.info", channel="C9") == {
        token
    }
