"""The public pages and feeds end to end: events registered, edited and cancelled through Slack,
then read over HTTP from the running app as a visitor and a calendar app read them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from driver import visible_text
from messages.links import PublicLinks
from schedhelp import announced, wait_until
from storage import events as queries
from storage.models import Event
from test_events_e2e import FUTURE, register
from test_installs import deployment  # noqa: F401 - the multi-workspace deployment, as a fixture here too
from timemath import UTC
from visitor import visit

ROOT = Path(__file__).resolve().parent.parent

PRIVATE_TITLE = "Legal observers' briefing (invitation only)"
PRIVATE_EMAIL = "observers@example.org"
PRIVATE_CHANNEL_TITLE = "Strategy meeting in a private channel"
PRIVATE_CHANNEL_EMAIL = "strategy@example.org"


def site(bot) -> str:
    return bot.url.removesuffix("/slack/events")


def register_the_four(bot, slack):
    """#1 public, #2 not open to the public, #3 announced in a private channel, #4 public then cancelled."""
    register(bot)
    register(
        bot,
        {
            **FUTURE,
            "Title": PRIVATE_TITLE,
            "Lead contact email": PRIVATE_EMAIL,
            "Open to the public": "No, by invitation only",
        },
    )
    slack.private_channels.add("CPRIV")
    register(
        bot,
        {
            **FUTURE,
            "Title": PRIVATE_CHANNEL_TITLE,
            "Lead contact email": PRIVATE_CHANNEL_EMAIL,
            "Announce in channel": "CPRIV",
        },
    )
    register(bot, {**FUTURE, "Title": "Fresno vigil (called off)", "City": "Fresno"})
    bot.command("/event", "cancel 4", user="U1")
    bot.responded()


def test_a_visitor_sees_the_public_events_and_nothing_else(bot, slack):
    register_the_four(bot, slack)
    page = visit(site(bot) + "/events")
    assert page.status == 200 and page.headers.get_content_type() == "text/html"
    assert "Find an event near you" in page.text
    assert FUTURE["Title"] in page.text
    assert "Fri, Dec 4, 2026 at 1:00 PM PST – 3:30 PM PST" in page.text  # in the event's own zone
    assert "4701 Sisk Road, Modesto, CA 95356" in page.text and "Canvass" in page.text
    for absent in (PRIVATE_TITLE, PRIVATE_EMAIL, PRIVATE_CHANNEL_TITLE, PRIVATE_CHANNEL_EMAIL, "Fresno vigil"):
        assert absent not in page.html
    assert page.links[FUTURE["Title"]] == "/events/1"


def test_the_event_page_shows_it_as_its_card_does_with_calendar_links(bot, slack):
    register(bot)
    page = visit(site(bot) + "/events/1")
    assert page.status == 200
    for shown in (
        FUTURE["Title"],
        "Fri, Dec 4, 2026 at 1:00 PM PST – 3:30 PM PST",
        "4701 Sisk Road, Modesto, CA 95356",
        "SIREN, SEIU Local 521, Mi Familia Vota",
        "Contact: Jeremy Barousse (jeremy@siren-bayarea.org)",
        FUTURE["Details"],
    ):
        assert shown in page.text
    assert page.links["Calendar file (.ics)"] == "/events/1.ics"
    google = page.links["Google Calendar"]
    assert (
        google.startswith("https://calendar.google.com/calendar/render?")
        and "dates=20261204T210000Z%2F20261204T233000Z" in google
    )
    [card] = bot.posted(channel="C1")
    assert "jeremy@siren-bayarea.org" in visible_text(card)  # the card shows the same contact


def test_private_cancelled_and_unknown_events_have_no_page(bot, slack):
    register_the_four(bot, slack)
    for event_id in (2, 3, 4, 99):
        page = visit(site(bot) + f"/events/{event_id}")
        assert page.status == 404 and "There is no public event" in page.text
        assert PRIVATE_TITLE not in page.html and PRIVATE_CHANNEL_TITLE not in page.html
    for event_id in (2, 3, 99):
        assert visit(site(bot) + f"/events/{event_id}.ics").status == 404


def test_filters_by_type_and_state_and_says_what_it_could_not_use(bot):
    register(bot)
    register(
        bot,
        {
            **FUTURE,
            "Title": "Denver vigil",
            "Type": "Prayer vigil",
            "City": "Denver",
            "State": "CO",
            "ZIP code": "80202",
        },
    )
    assert _titles(visit(site(bot) + "/events?type=prayer_vigil")) == ["Denver vigil"]
    assert _titles(visit(site(bot) + "/events?state=ca")) == [FUTURE["Title"]]
    assert _titles(visit(site(bot) + "/events?state=CO&type=canvass")) == []
    assert "No upcoming public events match" in visit(site(bot) + "/events?state=CO&type=canvass").text
    confused = visit(site(bot) + "/events?type=parade&state=Colorado")
    assert "not a type of action we know" in confused.text and "two-letter code" in confused.text
    assert len(_titles(confused)) == 2


def _titles(page) -> list[str]:
    return [
        title for title, href in page.links.items() if href.startswith("/events/") and href[8:].split("?")[0].isdigit()
    ]


def test_pages_of_twenty_keep_the_filters(bot, database, clock):
    with database.session() as session:
        for n in range(45):
            starts = clock() + timedelta(days=1, hours=n)
            queries.add_event(
                session,
                Event(
                    team_id="T0TEST",
                    title=f"Teach-in {n:02d}",
                    event_type="panel_discussion",
                    starts_at=starts,
                    timezone="America/Chicago",
                    state="IL",
                    city="Chicago",
                    created_by="U1",
                    created_at=clock(),
                    updated_at=clock(),
                ),
            )
    first = visit(site(bot) + "/events?state=IL")
    assert _titles(first)[:2] == ["Teach-in 00", "Teach-in 01"] and len(_titles(first)) == 20
    assert "Showing events 1–20" in first.text and "Previous page" not in first.links
    third = visit(site(bot) + first.links["Next page"].replace("page=2", "page=3"))
    assert _titles(third) == [f"Teach-in {n}" for n in range(40, 45)] and "Next page" not in third.links
    assert "state=IL" in third.links["Previous page"] and "page=2" in third.links["Previous page"]


def test_the_feed_holds_public_events_and_follows_an_edit_and_a_cancel(bot, slack, database):
    register_the_four(bot, slack)
    feed = visit(site(bot) + "/calendar.ics")
    assert feed.status == 200
    events = {str(e["SUMMARY"]): e for e in feed.calendar.walk("VEVENT")}
    assert set(events) == {FUTURE["Title"], "Fresno vigil (called off)"}  # the cancelled one stays, marked so
    canvass = events[FUTURE["Title"]]
    assert canvass.decoded("DTSTART") == datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
    assert canvass.decoded("DTEND") == datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    assert (str(canvass["STATUS"]), canvass.decoded("SEQUENCE")) == ("CONFIRMED", 0)
    assert str(canvass["URL"]).endswith("/events/1") and "jeremy@siren-bayarea.org" in str(canvass["DESCRIPTION"])
    uid = str(canvass["UID"])
    assert str(events["Fresno vigil (called off)"]["STATUS"]) == "CANCELLED"
    assert PRIVATE_EMAIL not in feed.body.decode() and PRIVATE_CHANNEL_EMAIL not in feed.body.decode()

    announced(database)
    bot.command("/event", "edit 1", user="U1")
    bot.submit(bot.opened_view(), {"Start time": "14:00", "End time": "16:00", "Title": "Modesto canvass (moved)"})
    [edited] = [e for e in visit(site(bot) + "/calendar.ics").calendar.walk("VEVENT") if str(e["UID"]) == uid]
    assert (str(edited["SUMMARY"]), edited.decoded("SEQUENCE")) == ("Modesto canvass (moved)", 1)
    assert edited.decoded("DTSTART") == datetime(2026, 12, 4, 22, 0, tzinfo=UTC)

    bot.command("/event", "cancel 1", user="U1")
    assert "Cancelled event #1" in bot.responded(2)[1]["text"]  # answered after the ack, once cancelled
    feed = visit(site(bot) + "/calendar.ics").calendar
    [cancelled] = [e for e in feed.walk("VEVENT") if str(e["UID"]) == uid]
    assert (str(cancelled["STATUS"]), cancelled.decoded("SEQUENCE")) == ("CANCELLED", 2)
    assert "Modesto canvass" not in visit(site(bot) + "/events").text
    alone = visit(site(bot) + "/events/1.ics")
    [same] = alone.calendar.walk("VEVENT")
    assert (str(same["UID"]), str(same["STATUS"]), same.decoded("SEQUENCE")) == (uid, "CANCELLED", 2)
    assert 'filename="event-1.ics"' in alone.headers["Content-Disposition"]


def test_the_feed_is_valid_rfc_5545_with_all_day_dates(bot):
    register(
        bot,
        {
            **FUTURE,
            "Title": "Week of action",
            "Start date": "2026-12-07",
            "End date": "2026-12-09",
            "Start time": None,
            "End time": None,
            "All day": ["All day (no start or end time)"],
        },
    )
    feed = visit(site(bot) + "/calendar.ics")
    raw = feed.body.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))  # folded as RFC 5545 requires
    assert "VERSION:2.0" in raw and "PRODID:" in raw
    [week] = feed.calendar.walk("VEVENT")
    assert "DTSTART;VALUE=DATE:20261207" in raw and "DTEND;VALUE=DATE:20261210" in raw  # the end is exclusive
    assert week.decoded("DTSTART") == date(2026, 12, 7)
    for required in ("UID", "DTSTAMP", "SEQUENCE", "STATUS"):
        assert required in week


def test_pages_and_feeds_answer_conditional_requests(bot, slack, database):
    register(bot)
    for path in ("/events", "/events/1", "/calendar.ics", "/events/1.ics"):
        first = visit(site(bot) + path)
        assert (
            first.status == 200
            and "public" in first.headers["Cache-Control"]
            and "max-age" in first.headers["Cache-Control"]
        )
        etag = first.headers["ETag"]
        again = visit(site(bot) + path, {"If-None-Match": etag})
        assert again.status == 304 and again.body == b"", path
    feed_tag = visit(site(bot) + "/calendar.ics").headers["ETag"]
    announced(database)
    bot.command("/event", "edit 1", user="U1")
    bot.submit(bot.opened_view(), {"Title": "Modesto canvass (renamed)"})
    changed = visit(site(bot) + "/calendar.ics", {"If-None-Match": feed_tag})
    assert changed.status == 200 and "Modesto canvass (renamed)" in changed.body.decode()


def test_calendar_apps_that_take_gzip_get_it(bot):
    register(bot)
    compressed = visit(site(bot) + "/calendar.ics", {"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed.headers["Vary"]
    assert compressed.body == visit(site(bot) + "/calendar.ics").body  # the visitor helper unpacks it


def test_the_workspace_prefix_serves_the_same_team_and_no_other(bot):
    register(bot)
    page = visit(site(bot) + "/w/T0TEST/events")
    assert page.status == 200 and page.links[FUTURE["Title"]] == "/w/T0TEST/events/1"
    assert visit(site(bot) + "/w/T0TEST/calendar.ics").status == 200
    assert visit(site(bot) + "/w/T0OTHER/events").status == 404
    assert visit(site(bot) + "/w/T0OTHER/events/1").status == 404


def test_pages_only_run_the_sites_own_scripts(bot):
    page = visit(site(bot) + "/events")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "https://tile.openstreetmap.org" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("extra_env", [{"PUBLIC_BASE_URL": "https://events.example.org/"}])
def test_with_a_public_base_url_cards_and_lists_link_to_the_pages(bot, slack):
    register(bot)
    register(bot, {**FUTURE, "Title": PRIVATE_TITLE, "Open to the public": "No, by invitation only"})
    public_card, private_card = bot.posted(2, channel="C1")
    text = visible_text(public_card) + str(public_card["blocks"])
    assert "<https://events.example.org/events/1|Event page>" in text
    assert "<https://events.example.org/events/1.ics|Add to calendar (.ics)>" in text
    assert "events.example.org" not in str(private_card["blocks"])
    listing = bot.command("/event", "list").text
    assert "<https://events.example.org/events/1|#1 Modesto: #WeAreAllAmerica Canvass and Rally>" in listing
    assert "events.example.org/events/2" not in listing
    # The links' paths are the site's own: they lead to the page and the file.
    assert visit(site(bot) + "/events/1").status == 200 and visit(site(bot) + "/events/1.ics").status == 200
    feed = visit(site(bot) + "/calendar.ics").calendar
    assert str(feed.walk("VEVENT")[0]["URL"]) == "https://events.example.org/events/1"


@pytest.mark.processes
def test_in_socket_mode_the_port_serves_the_pages_and_health_but_not_slack(tmp_path):
    """`organizer-bot run` with an app token: Slack's requests come over the socket, and $PORT
    still serves the public site and /healthz."""
    from botprocess import BotProcess
    from conftest import APP_TOKEN
    from fakeslack import FakeSlack
    from socketmode import SocketModeServer
    from storage import Database

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    db = Database(url)
    db.upgrade()
    with db.session() as session:
        queries.add_event(
            session,
            Event(
                team_id="T0TEST",
                title="Tulsa town hall",
                event_type="town_hall",
                timezone="America/Chicago",
                starts_at=datetime.now(UTC) + timedelta(days=3),
                created_by="U1",
                created_at=datetime.now(UTC),
                updated_at=datetime.now(UTC),
            ),
        )
    db.dispose()
    with (
        FakeSlack() as slack,
        SocketModeServer(slack) as server,
        BotProcess(slack, url, tmp_path, SLACK_APP_TOKEN=APP_TOKEN) as bot,
    ):
        bot.start()
        server.wait_connected(timeout=20)
        base = f"http://127.0.0.1:{bot.port}"
        assert "Tulsa town hall" in visit(base + "/events").text
        assert visit(base + "/healthz").body == b"ok\n"
        assert visit(base + "/slack/events").status == 404
        assert bot.terminate()[0] == 0


SITE_ON_DEMAND = """
import sys
from functools import partial
from bot.app import create_site, make_services
from bot.server import BuiltOnFirstRequest
from bot.settings import load_settings
from storage import Database
db = Database(sys.argv[1])
db.upgrade()
settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-test", "DATABASE_URL": sys.argv[1]}, require_signing_secret=False)
site = BuiltOnFirstRequest(partial(create_site, settings, make_services(settings, db), {"team_id": "T0TEST"}))
print("flask" in sys.modules)
from werkzeug.test import EnvironBuilder
answers = []
body = b"".join(site(EnvironBuilder(path="/events").get_environ(), lambda status, headers: answers.append(status)))
print(answers[0], "flask" in sys.modules, b"No upcoming public events" in body)
"""


def test_the_site_is_built_by_its_first_page_not_at_start(tmp_path):
    """Flask and the templates are loaded when a public page is first asked for: a process
    that only answers Slack and /healthz does without them (~6 MB, a fifth of a second)."""
    result = subprocess.run(
        [sys.executable, "-c", SITE_ON_DEMAND, f"sqlite:///{tmp_path / 'site.db'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["False", "200 OK True True"]


# --- campaigns and distance --------------------------------------------------------------------

AMERICA = "We Are All America Day of Congressional Action"
AMERICA_CALL = "Visit your Members of Congress in-district"
DENVER = {
    **FUTURE,
    "Title": "Denver vigil",
    "Type": "Prayer vigil",
    "City": "Denver",
    "State": "CO",
    "ZIP code": "80202",
    "Address": "1437 Bannock St",
}


def test_an_events_page_carries_its_campaigns_call_to_action(bot):
    register(bot, {**FUTURE, "Campaign": AMERICA})
    page = visit(site(bot) + "/events/1")
    assert f"Part of {AMERICA}" in page.text and AMERICA_CALL in page.text
    assert page.links["About the campaign, its events and sample posts"] == "/campaigns/we-are-all-america"


def test_the_campaign_page_has_its_call_events_and_sample_posts_to_share(bot):
    register(bot, {**FUTURE, "Campaign": AMERICA})
    register(bot, DENVER)  # no campaign
    register(
        bot, {**FUTURE, "Title": PRIVATE_TITLE, "Campaign": AMERICA, "Open to the public": "No, by invitation only"}
    )
    page = visit(site(bot) + "/campaigns/we-are-all-america")
    assert page.status == 200 and AMERICA in page.text and "What to do" in page.text and AMERICA_CALL in page.text
    assert _titles(page) == [FUTURE["Title"]]
    assert PRIVATE_TITLE not in page.html
    shares = [href for text, href in page.links.items() if text.startswith(("Tweet this", "Share on Facebook"))]
    assert any(href.startswith("https://twitter.com/intent/tweet?text=") for href in shares)
    assert any(href.startswith("https://www.facebook.com/sharer/sharer.php?") for href in shares)
    assert "#WeAreAllAmerica" in page.text
    assert page.links["http://127.0.0.1:" + site(bot).rsplit(":", 1)[1] + "/campaigns/we-are-all-america/calendar.ics"]
    assert visit(site(bot) + "/campaigns/no-such-campaign").status == 404


def test_the_campaign_feed_holds_its_public_events_and_is_named_after_it(bot):
    register(bot, {**FUTURE, "Campaign": AMERICA})
    register(bot, DENVER)
    feed = visit(site(bot) + "/campaigns/we-are-all-america/calendar.ics")
    assert str(feed.calendar["X-WR-CALNAME"]) == AMERICA
    assert [str(e["SUMMARY"]) for e in feed.calendar.walk("VEVENT")] == [FUTURE["Title"]]
    again = visit(site(bot) + "/campaigns/we-are-all-america/calendar.ics", {"If-None-Match": feed.headers["ETag"]})
    assert again.status == 304
    assert visit(site(bot) + "/campaigns/no-such-campaign/calendar.ics").status == 404


def test_the_list_filters_by_campaign(bot):
    register(bot, {**FUTURE, "Campaign": AMERICA})
    register(bot, DENVER)
    page = visit(site(bot) + "/events?campaign=we-are-all-america")
    assert _titles(page) == [FUTURE["Title"]] and AMERICA in page.text
    confused = visit(site(bot) + "/events?campaign=nope")
    assert "There is no such campaign" in confused.text and len(_titles(confused)) == 2


def test_a_search_by_zip_lists_the_events_near_by_distance_with_their_places(bot):
    register(bot)  # Modesto, 95356
    register(bot, DENVER)
    page = visit(site(bot) + "/events?near=95354&radius=25")
    assert "Events within 25 miles of 95354" in page.text
    assert _titles(page) == [FUTURE["Title"]] and "mi away" in page.text
    [item] = [line for line in page.html.splitlines() if "data-lat=" in line]
    assert 'data-href="/events/1"' in item and 'data-lat="37.' in item  # what the map places
    wide = visit(site(bot) + "/events?near=Denver,+CO&radius=250")
    assert _titles(wide) == ["Denver vigil"]
    unknown = visit(site(bot) + "/events?near=Atlantis")
    assert "We don't know that place" in unknown.text and len(_titles(unknown)) == 2


def test_a_search_by_place_never_shows_what_is_not_public(bot, slack):
    register_the_four(bot, slack)
    page = visit(site(bot) + "/events?near=95356&radius=50")
    assert _titles(page) == [FUTURE["Title"]]
    for absent in (PRIVATE_TITLE, PRIVATE_CHANNEL_TITLE, "Fresno vigil"):
        assert absent not in page.html


@pytest.mark.parametrize("extra_env", [{"PUBLIC_BASE_URL": "https://events.example.org"}])
def test_with_a_public_base_url_campaign_show_links_to_its_page(bot):
    register(bot, {**FUTURE, "Campaign": AMERICA})
    shown = bot.command("/campaign", "show we are all america").text
    assert "<https://events.example.org/campaigns/we-are-all-america|Public page>" in shown
    assert "<https://events.example.org/events/1|#1 Modesto: #WeAreAllAmerica Canvass and Rally>" in shown
    assert visit(site(bot) + "/campaigns/we-are-all-america").status == 200


# --- several workspaces ---------------------------------------------------------------------


def test_with_installs_each_workspace_has_its_own_pages_and_none_is_the_default(deployment, slack):
    from test_installs import TEAM_A, TEAM_B, install, statuses

    install(deployment, TEAM_A), install(deployment, TEAM_B)
    register(deployment.workspace(TEAM_A), {**FUTURE, "Title": "Modesto canvass"}, channel="CA1")
    register(deployment.workspace(TEAM_B), {**FUTURE, "Title": "Denver vigil"}, channel="CB1")
    base = deployment.base_url
    page_a = visit(f"{base}/w/{TEAM_A}/events")
    assert page_a.links["Modesto canvass"] == f"/w/{TEAM_A}/events/1"
    assert "Denver vigil" not in page_a.html
    assert "Denver vigil" in visit(f"{base}/w/{TEAM_B}/events").text
    assert visit(f"{base}/w/{TEAM_B}/events/1").status == 404  # A's event is not B's
    assert "Modesto canvass" in visit(f"{base}/w/{TEAM_A}/calendar.ics").body.decode()
    for nowhere in ("/events", "/calendar.ics", "/w/T0NEVERINSTALLED/events"):
        assert visit(base + nowhere).status == 404, nowhere

    assert deployment.workspace(TEAM_A).event("app_uninstalled", {}).status == 200
    wait_until(lambda: statuses(deployment)[TEAM_A] == "uninstalled")
    assert visit(f"{base}/w/{TEAM_A}/events").status == 404  # gone at once; its data after the grace period
    assert visit(f"{base}/w/{TEAM_B}/events").status == 200


def test_links_from_slack_carry_the_workspace_with_installs():
    event = Event(id=5, team_id="T0AAAAAAA", is_public=True, private_channel=False, approval="approved")
    assert (
        PublicLinks("https://events.example.org", per_workspace=True).event_page(event)
        == "https://events.example.org/w/T0AAAAAAA/events/5"
    )
    assert PublicLinks("https://events.example.org").event_calendar(event) == "https://events.example.org/events/5.ics"
    assert (
        PublicLinks("https://events.example.org").event_page(
            Event(id=6, team_id="T1", is_public=False, private_channel=False)
        )
        is None
    )


# --- in Spanish -------------------------------------------------------------------------------

SPANISH_BROWSER = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.8"}
SPANISH_WHEN = "vie, 4 dic 2026, 13:00 PST – 15:30 PST"  # messages.dates, in Spanish


def test_a_spanish_browser_gets_the_list_in_spanish_and_caches_keep_the_languages_apart(bot):
    register(bot)
    page = visit(site(bot) + "/events", SPANISH_BROWSER)
    assert page.status == 200 and '<html lang="es">' in page.html and page.headers["Content-Language"] == "es"
    for shown in (
        "Encuentra un evento cerca de ti",
        "Buscar y filtrar",
        "Cerca de (código postal o Ciudad, ST)",
        "Mostrar eventos",
        "Mostrando eventos 1–1",
        SPANISH_WHEN,
        "4701 Sisk Road, Modesto, CA 95356",
        "Suscríbete al calendario",
    ):
        assert shown in page.text, shown
    assert page.links[FUTURE["Title"]] == "/events/1"  # the browser keeps choosing: links need no ?lang=
    assert "Accept-Language" in page.headers["Vary"]

    english = visit(site(bot) + "/events")
    assert (
        '<html lang="en">' in english.html
        and "Find an event near you" in english.text
        and "Encuentra" not in english.text
    )
    assert (
        "Fri, Dec 4, 2026 at 1:00 PM PST – 3:30 PM PST" in english.text and "Accept-Language" in english.headers["Vary"]
    )
    assert page.headers["ETag"] != english.headers["ETag"]
    # Each language's copy is revalidated as itself; the other's ETag gets the whole page.
    assert visit(site(bot) + "/events", {**SPANISH_BROWSER, "If-None-Match": page.headers["ETag"]}).status == 304
    assert visit(site(bot) + "/events", {"If-None-Match": english.headers["ETag"]}).status == 304
    other = visit(site(bot) + "/events", {**SPANISH_BROWSER, "If-None-Match": english.headers["ETag"]})
    assert other.status == 200 and "Encuentra un evento" in other.text
    # A language the site does not speak, or a Spanish one ranked under English, is English.
    assert "Find an event near you" in visit(site(bot) + "/events", {"Accept-Language": "fr-FR, de;q=0.5"}).text
    assert "Find an event near you" in visit(site(bot) + "/events", {"Accept-Language": "en-US,en;q=0.9,es;q=0.8"}).text
    assert "Encuentra un evento" in visit(site(bot) + "/events", {"Accept-Language": "es-ES, en;q=0.3"}).text


def test_the_language_links_switch_and_the_sites_links_keep_the_choice(bot, database, clock):
    with database.session() as session:
        for n in range(25):
            queries.add_event(
                session,
                Event(
                    team_id="T0TEST",
                    title=f"Teach-in {n:02d}",
                    event_type="panel_discussion",
                    starts_at=clock() + timedelta(days=1, hours=n),
                    timezone="America/Chicago",
                    state="IL",
                    city="Chicago",
                    created_by="U1",
                    created_at=clock(),
                    updated_at=clock(),
                ),
            )
    english = visit(site(bot) + "/events?state=IL")
    assert (
        english.links["Español"] == "/events?state=IL&lang=es"
        and english.links["English"] == "/events?state=IL&lang=en"
    )
    assert 'lang="es" hreflang="es"' in english.html and 'aria-current="true">English' in english.html

    # Chosen in the address, the language beats the browser's, and every link of the site keeps it.
    spanish = visit(site(bot) + english.links["Español"], {"Accept-Language": "en-US"})
    assert '<html lang="es">' in spanish.html and "Encuentra un evento cerca de ti" in spanish.text
    assert "Vary" not in spanish.headers or "Accept-Language" not in spanish.headers["Vary"]  # the address says it all
    assert spanish.links["Teach-in 00"] == "/events/1?lang=es"
    assert spanish.links["Página siguiente"] == "/events?page=2&state=IL&lang=es"
    assert (
        spanish.links["Borrar filtros"] == "/events?lang=es" and spanish.links["Busca un evento"] == "/events?lang=es"
    )
    assert '<input type="hidden" name="lang" value="es">' in spanish.html  # the search form keeps it too
    assert spanish.links["English"] == "/events?state=IL&lang=en"
    second = visit(site(bot) + spanish.links["Página siguiente"])
    assert "Página 2" in second.text and second.links["Página anterior"] == "/events?page=1&state=IL&lang=es"
    assert second.links["English"] == "/events?page=2&state=IL&lang=en"

    back = visit(site(bot) + spanish.links["English"], SPANISH_BROWSER)
    assert '<html lang="en">' in back.html and back.links["Teach-in 00"] == "/events/1?lang=en"
    assert visit(site(bot) + "/?lang=es").headers["Location"] == "/events?lang=es"
    prefixed = visit(site(bot) + "/w/T0TEST/events?lang=es")
    assert (
        prefixed.links["Teach-in 00"] == "/w/T0TEST/events/1?lang=es"
        and prefixed.links["English"] == "/w/T0TEST/events?lang=en"
    )
    assert "Eventos de la coalición" in visit(site(bot) + "/events?lang=ES").text  # as people type it


def test_the_event_page_in_spanish(bot):
    register(bot, {**FUTURE, "Campaign": AMERICA})
    page = visit(site(bot) + "/events/1?lang=es")
    assert page.status == 200 and '<html lang="es">' in page.html
    for shown in (
        "Cuándo",
        SPANISH_WHEN,
        "Dónde",
        "Quiénes",
        "SIREN, SEIU Local 521, Mi Familia Vota",
        "Contacto: Jeremy Barousse (jeremy@siren-bayarea.org)",
        "Sobre esta acción",
        FUTURE["Details"],
        f"Parte de {AMERICA}",
        "Agrégalo a tu calendario",
    ):
        assert shown in page.text, shown
    assert page.links["Archivo de calendario (.ics)"] == "/events/1.ics?lang=es"  # the file in the page's language
    assert (
        page.links["Sobre la campaña, sus eventos y publicaciones de ejemplo"]
        == "/campaigns/we-are-all-america?lang=es"
    )
    assert page.links["Todos los eventos"] == "/events?lang=es"
    for words in ('data-zoom-in="Acercar"', 'data-zoom-out="Alejar"', 'data-close-popup="Cerrar ventana emergente"'):
        assert words in page.html  # what the map (static/map.js) shows, from the page

    by_browser = visit(site(bot) + "/events/1", SPANISH_BROWSER)
    assert "Cuándo" in by_browser.text and by_browser.links["Archivo de calendario (.ics)"] == "/events/1.ics?lang=es"
    english = visit(site(bot) + "/events/1")
    assert "When" in english.text and english.links["Calendar file (.ics)"] == "/events/1.ics"
    missing = visit(site(bot) + "/events/99", SPANISH_BROWSER)
    assert (
        missing.status == 404
        and "Página no encontrada" in missing.text
        and "No hay ningún evento público" in missing.text
    )


def test_what_people_typed_is_escaped_inside_a_translated_sentence(bot):
    register(bot, {**FUTURE, "Lead contact name": "<b>Jeremy</b> & co"})
    for page in (visit(site(bot) + "/events/1?lang=es"), visit(site(bot) + "/events/1")):
        assert "<b>Jeremy</b>" not in page.html and "&lt;b&gt;Jeremy&lt;/b&gt; &amp; co" in page.html
    near = visit(site(bot) + "/events?near=%3Cscript%3Ex&lang=es")
    assert "<script>x" not in near.html and "No conocemos ese lugar" in near.text


def test_the_campaign_page_in_spanish(bot):
    register(bot, {**FUTURE, "Campaign": AMERICA})
    page = visit(site(bot) + "/campaigns/we-are-all-america", SPANISH_BROWSER)
    assert page.status == 200 and '<html lang="es">' in page.html
    for shown in (
        "Campaña",
        AMERICA,
        "Qué hacer",
        AMERICA_CALL,
        "Próximos eventos",
        "Mostrando eventos 1–1",
        "Publicaciones de ejemplo",
        "Compártelas tal como están",
        "Los eventos de esta campaña en tu calendario:",
    ):
        assert shown in page.text, shown
    assert _titles(page) == [FUTURE["Title"]]
    feed = site(bot) + "/campaigns/we-are-all-america/calendar.ics?lang=es"
    assert page.links["http://127.0.0.1:" + feed.rsplit(":", 1)[1]] and "webcal://" in page.html
    english = visit(site(bot) + "/campaigns/we-are-all-america")
    assert "What to do" in english.text and page.headers["ETag"] != english.headers["ETag"]


def test_the_search_form_in_spanish_says_what_it_could_not_use(bot):
    register(bot)  # Modesto, 95356
    register(bot, DENVER)
    page = visit(site(bot) + "/events?lang=es")
    assert ["Hasta 10 millas", "Hasta 25 millas", "Hasta 50 millas", "Hasta 100 millas", "Hasta 250 millas"] == [
        option for option in _options(page.html, "radius")
    ]
    states = _options(page.html, "state")
    assert states[0] == "Cualquier estado" and states.index("Carolina del Norte") < states.index(
        "Colorado"
    ) < states.index("Misisipi")
    assert states[-5:] == [
        "Guam",
        "Islas Marianas del Norte",
        "Islas Vírgenes de los Estados Unidos",
        "Puerto Rico",
        "Samoa Estadounidense",
    ]  # the territories after the states, as in English
    english_states = _options(visit(site(bot) + "/events").html, "state")
    assert english_states[1:4] == ["Alabama", "Alaska", "Arizona"] and english_states[-1] == "U.S. Virgin Islands"

    near = visit(site(bot) + "/events?near=95354&radius=25&lang=es")
    assert "Eventos a menos de 25 millas de 95354" in near.text and _titles(near) == [FUTURE["Title"]]
    assert re.search(r"\ba [0-9]+[.,][0-9] mi\b", near.text)  # "a 5.0 mi": how far, in Spanish
    confused = visit(site(bot) + "/events?type=parade&state=Colorado&campaign=nope&near=Atlantis", SPANISH_BROWSER)
    for said in (
        "No conocemos ese tipo de acción",
        "Usa el código de dos letras del estado",
        "No existe esa campaña",
        "No conocemos ese lugar",
    ):
        assert said in confused.text, said
    assert (
        "No hay próximos eventos públicos a esa distancia"
        in visit(site(bot) + "/events?near=10001&radius=10&lang=es").text
    )


def _options(html: str, select: str) -> list[str]:
    """The texts of a drop-down's options, in their order."""
    body = html.split(f'<select id="{select}"', 1)[1].split("</select>", 1)[0]
    return [" ".join(text.split()) for text in re.findall(r"<option[^>]*>([^<]*)</option>", body)]


def test_the_feed_speaks_the_language_of_its_address_with_the_same_uids(bot, slack):
    register_the_four(bot, slack)
    english = visit(site(bot) + "/calendar.ics", SPANISH_BROWSER)  # a calendar app's language is its address's
    spanish = visit(site(bot) + "/calendar.ics?lang=es")
    assert str(english.calendar["X-WR-CALNAME"]) == "Coalition events"
    assert str(spanish.calendar["X-WR-CALNAME"]) == "Eventos de la coalición"
    assert "Las acciones públicas de la coalición" in str(spanish.calendar["X-WR-CALDESC"])
    assert "Vary" not in english.headers or "Accept-Language" not in english.headers["Vary"]
    by_uid = {str(e["UID"]): e for e in english.calendar.walk("VEVENT")}
    es_by_uid = {str(e["UID"]): e for e in spanish.calendar.walk("VEVENT")}
    assert by_uid.keys() == es_by_uid.keys() and len(by_uid) == 2
    for uid, event in by_uid.items():
        assert es_by_uid[uid].decoded("SEQUENCE") == event.decoded("SEQUENCE") and str(es_by_uid[uid]["STATUS"]) == str(
            event["STATUS"]
        )
    [canvass] = [e for e in spanish.calendar.walk("VEVENT") if str(e["SUMMARY"]) == FUTURE["Title"]]
    description = str(canvass["DESCRIPTION"])
    assert "Convocan: SIREN, SEIU Local 521, Mi Familia Vota" in description
    assert "Contacto: Jeremy Barousse (jeremy@siren-bayarea.org)" in description and description.endswith(
        "/events/1?lang=es"
    )
    assert str(canvass["URL"]).endswith("/events/1?lang=es")
    [english_canvass] = [e for e in english.calendar.walk("VEVENT") if str(e["SUMMARY"]) == FUTURE["Title"]]
    assert "Who: SIREN" in str(english_canvass["DESCRIPTION"]) and str(english_canvass["URL"]).endswith("/events/1")

    # One ETag per language; each answers 304 to its own, and served again from the cache, the same.
    assert spanish.headers["ETag"] != english.headers["ETag"]
    assert visit(site(bot) + "/calendar.ics?lang=es", {"If-None-Match": spanish.headers["ETag"]}).status == 304
    assert visit(site(bot) + "/calendar.ics", {"If-None-Match": english.headers["ETag"]}).status == 304
    assert visit(site(bot) + "/calendar.ics?lang=es", {"If-None-Match": english.headers["ETag"]}).status == 200
    assert visit(site(bot) + "/calendar.ics?lang=es").body == spanish.body
    assert visit(site(bot) + "/calendar.ics").body == english.body

    alone = visit(site(bot) + "/events/1.ics?lang=es")
    [same] = alone.calendar.walk("VEVENT")
    assert str(same["UID"]) in by_uid and "Contacto: Jeremy Barousse" in str(same["DESCRIPTION"])
    assert alone.headers["ETag"] != visit(site(bot) + "/events/1.ics").headers["ETag"]


def test_a_campaign_feed_in_spanish_keeps_its_name(bot):
    register(bot, {**FUTURE, "Campaign": AMERICA})
    feed = visit(site(bot) + "/campaigns/we-are-all-america/calendar.ics?lang=es")
    assert str(feed.calendar["X-WR-CALNAME"]) == AMERICA  # the campaign's own name
    [event] = feed.calendar.walk("VEVENT")
    assert "Convocan:" in str(event["DESCRIPTION"])
    assert (
        visit(
            site(bot) + "/campaigns/we-are-all-america/calendar.ics?lang=es", {"If-None-Match": feed.headers["ETag"]}
        ).status
        == 304
    )
    assert (
        visit(site(bot) + "/campaigns/we-are-all-america/calendar.ics", {"If-None-Match": feed.headers["ETag"]}).status
        == 200
    )
