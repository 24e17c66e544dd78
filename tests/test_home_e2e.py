"""The App Home end to end: what opening it shows each person, the staff dashboard, its buttons,
menus and pages, the language menu, and how it is kept current through the outbox."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from driver import find_element, visible_text
from eventseed import seed_events
from fakeslack import TEAM_ID, Fault
from schedhelp import announced, outbox_rows, wait_until
from services import content
from storage import approvals, rsvps
from storage import reports as report_store
from storage.models import ApprovalState, Campaign, Event, OutboxMessage
from test_campaigns_e2e import create as create_campaign
from test_events_e2e import FUTURE, register


def publishes(slack, user: str) -> list[dict]:
    return [call for call in slack.calls_to("views.publish") if call.get("user_id") == user]


def open_home(bot, slack, user: str = "U1") -> dict:
    """Open the Home tab as `user` does: the Home published for them in answer."""
    before = len(publishes(slack, user))
    assert bot.event("app_home_opened", {"user": user, "channel": f"D{user}", "tab": "home"}).status == 200
    wait_until(lambda: len(publishes(slack, user)) > before)
    return slack.home(user)


def republished(slack, user: str, before: int) -> dict:
    """The Home `user` sees once it has been published again (more than `before` times)."""
    wait_until(lambda: len(publishes(slack, user)) > before)
    return slack.home(user)


def click(bot, slack, home: dict, action_id: str, *, user: str = "U1", option: str | None = None) -> dict:
    """A button or menu of the Home: the Home published again in answer."""
    before = len(publishes(slack, user))
    assert bot.click_in_view(home, action_id, user=user, option=option).status == 200
    return republished(slack, user, before)


def add(database, clock, *, going=(), report=None, **fields) -> int:
    """An event straight into storage: by U2, in three days, complete unless told otherwise."""
    now = clock()
    values = (
        dict(
            team_id=TEAM_ID,
            title="Vigil for families",
            event_type="prayer_vigil",
            all_day=False,
            starts_at=now + timedelta(days=3),
            timezone="America/Chicago",
            address="1 Main St",
            city="Springdale",
            state="AR",
            contact_name="Sara",
            contact_email="sara@example.org",
            is_public=True,
            channel_id="C1",
            created_by="U2",
            created_at=now,
            updated_at=now,
        )
        | fields
    )
    with database.session() as session:
        event = Event(**values)
        session.add(event)
        session.flush()
        for user in going:
            rsvps.set_rsvp(session, event, user, True, now)
        if report:
            report_store.save_report(
                session, event, event.created_by, now, official_said=None, photos_url=None, next_step=None, **report
            )
        return event.id


def text_of(view: dict) -> str:
    return visible_text(view)


# --- what opening it shows -------------------------------------------------------------------------------


def test_opening_the_home_publishes_the_persons_events_and_quick_buttons(bot, slack):
    register(bot, user="U1")  # event #1, U1's own
    register(
        bot,
        {**FUTURE, "Title": "Fresno vigil", "Type": "Prayer vigil", "City": "Fresno", "ZIP code": "93721"},
        user="U2",
    )
    [_, card] = bot.posted(2, channel="C1")
    bot.click(card, "event_rsvp", user="U1")  # U1 goes to U2's vigil
    home = open_home(bot, slack, "U1")
    text = text_of(home)
    assert home["type"] == "home" and "Your upcoming events" in text
    assert "Modesto: #WeAreAllAmerica Canvass and Rally" in text and "You registered it · 0 going" in text
    assert "Fresno vigil" in text and "You're going" in text
    assert [b["text"]["text"] for b in find_actions(home, "home_new_event")] == [
        "New event",
        "Find events near me",
        "Toolkits",
        "Sample posts",
    ]
    assert "Campaign dashboard" not in text  # not staff
    assert "I speak to you in English, the language of your Slack." in text
    assert slack.home_token("U1") == "xoxb-test-token"

    # The Messages tab is not the Home: nothing is drawn for it.
    assert bot.event("app_home_opened", {"user": "U2", "channel": "DU2", "tab": "messages"}).status == 200
    assert bot.command("/event", "help", user="U2").status == 200  # a request after it, answered: the event was handled
    assert publishes(slack, "U2") == []


def find_actions(view: dict, action_id: str) -> list[dict]:
    """The elements of the actions block holding `action_id`."""
    return next(
        b["elements"]
        for b in view["blocks"]
        if b["type"] == "actions" and any(e.get("action_id") == action_id for e in b["elements"])
    )


def test_events_waiting_for_review_are_marked_and_the_empty_home_says_what_to_do(bot, slack):
    bot.command("/event", "review on <#CREVIEW|events-review>", user="UADMIN")
    assert "Nothing coming up" in text_of(open_home(bot, slack, "U1"))
    register(bot, user="U1")
    wait_until(lambda: slack.history("CREVIEW"))
    text = text_of(open_home(bot, slack, "U1"))
    assert "Modesto: #WeAreAllAmerica Canvass and Rally" in text and "waiting for review" in text


# --- the staff dashboard -------------------------------------------------------------------------------------


@pytest.fixture
def history(database, clock):
    """Events of every kind the dashboard tells apart (see the counts in the test)."""
    now = clock()
    with database.session() as session:
        approvals.set_review(session, TEAM_ID, enabled=True, channel_id="CREVIEW", user_id="UADMIN", now=now)
    ids = {
        "complete": add(
            database, clock, title="Fresno rally", event_type="rally", city="Fresno", state="CA", going=("U1", "U2")
        ),
        "no contact": add(
            database,
            clock,
            title="Modesto vigil",
            city="Modesto",
            state="CA",
            contact_name=None,
            contact_email="",
            going=("U1",),
        ),
        "no address": add(
            database, clock, title="Houston town hall", event_type="town_hall", city="Houston", state="TX", address=None
        ),
        "online": add(
            database,
            clock,
            title="Call Congress",
            event_type="call_in_day",
            city=None,
            state=None,
            address=None,
            online_url="https://example.org/call",
            all_day=True,
        ),
        "no time": add(
            database, clock, title="Denver rally", event_type="rally", city="Denver", state="CO", all_day=True
        ),
        "past": add(
            database,
            clock,
            title="Denver march",
            event_type="rally",
            city="Denver",
            state="CO",
            contact_name=None,
            contact_email=None,
            starts_at=now - timedelta(days=10),
            report={"turnout": 120, "press_links": ["https://news.example.org/1", "https://news.example.org/2"]},
        ),
        "cancelled": add(database, clock, title="Cancelled vigil", state="CA", cancelled_at=now, cancelled_by="U2"),
        "pending": add(
            database,
            clock,
            title="El Paso rally",
            event_type="rally",
            city="El Paso",
            state="TX",
            approval=ApprovalState.PENDING.value,
        ),
        "rejected": add(
            database,
            clock,
            title="Rejected rally",
            event_type="rally",
            state="TX",
            approval=ApprovalState.REJECTED.value,
        ),
    }
    return ids


def test_an_admin_sees_the_dashboard_with_its_counts_and_gaps_and_others_do_not(bot, slack, history):
    text = text_of(open_home(bot, slack, "UADMIN"))
    assert "Campaign dashboard" in text and "*All events* of this workspace" in text  # no campaign is on or coming
    assert "*Events*\n7, 6 still to come" in text  # neither the cancelled nor the rejected one
    assert "*RSVPs*\n3" in text and "*Waiting for review*\n1" in text and "*Reports in*\n1 of 1" in text
    assert "*By state:* CA 2 · CO 2 · TX 2 · no state 1" in text
    assert (
        "*By type:* :mega: Rally or action 4 · :telephone_receiver: Call-in day 1 · :candle: Prayer vigil 1 · "
        ":classical_building: Town hall 1"
    ) in text
    assert "*1 event waits for review* (in every campaign)" in text and "<#CREVIEW>" in text and "El Paso rally" in text
    assert "*Reports in so far:* 1 of 1 event that took place · 120 people · 2 press hits" in text
    gaps = text.split("*Missing a contact:*")[1]
    assert (
        gaps.index("1 event to come has no lead contact")
        < gaps.index("Modesto vigil")
        < gaps.index("*Missing an address:*")
    )
    assert "Denver march" not in gaps  # over: its gap no longer matters
    assert "*Missing an address:* 1 event to come has no street address and no online link." in gaps
    assert gaps.index("Houston town hall") < gaps.index("*Missing a time:*") and "Call Congress" not in gaps
    assert (
        "*Missing a time:* 1 event to come is set as all day" in gaps
        and "Denver rally" in gaps.split("*Missing a time:*")[1]
    )

    assert "Campaign dashboard" not in text_of(open_home(bot, slack, "U1"))
    slack.add_user("UADMIN", real_name="Coalition Staff", is_admin=False)  # demoted
    assert "Campaign dashboard" not in text_of(open_home(bot, slack, "UADMIN"))


def test_the_dashboard_shows_the_campaign_running_now_and_any_other_chosen(
    bot, slack, database, clock, history, services
):
    content.ensure_team_content(services, TEAM_ID)  # the shipped campaigns, then the team's own
    today = clock().date()
    with database.session() as session:
        session.add(
            Campaign(
                team_id=TEAM_ID,
                slug="central-valley-week",
                name="Central Valley Week",
                starts_on=today - timedelta(days=1),
                ends_on=today + timedelta(days=5),
                hashtags=["#CentralValley"],
                created_at=clock(),
                updated_at=clock(),
            )
        )
    add(
        database,
        clock,
        title="Valley canvass",
        event_type="canvass",
        state="CA",
        campaign_slug="central-valley-week",
        going=("U2",),
    )
    add(
        database,
        clock,
        title="Refugee vigil",
        state="NM",
        campaign_slug="where-r-the-refugees",
        starts_at=clock() - timedelta(days=30),
    )
    home = open_home(bot, slack, "UADMIN")
    text = text_of(home)
    assert "*Central Valley Week*" in text and "On now" in text
    assert "*Events*\n1, 1 still to come" in text and "*RSVPs*\n1" in text and "*By state:* CA 1" in text

    home = click(bot, slack, home, "home_campaign", user="UADMIN", option="National Week of Action: #WhereRTheRefugees")
    text = text_of(home)
    assert "*National Week of Action: #WhereRTheRefugees*" in text and "Over" in text
    assert "*Events*\n1, 0 still to come" in text and "*By state:* NM 1" in text and "*Reports in*\n0 of 1" in text
    assert "*Waiting for review*\n1" in text  # review is the workspace's, whatever the campaign
    assert "*National Week of Action: #WhereRTheRefugees*" in text_of(open_home(bot, slack, "UADMIN"))  # kept

    text = text_of(click(bot, slack, home, "home_campaign", user="UADMIN", option="All events"))
    assert "*All events* of this workspace" in text and "*Events*\n9, 7 still to come" in text


def test_gaps_and_my_events_are_paged(bot, slack, database, clock):
    slack.add_user("U1", tz="America/Chicago", real_name="Sara Wohlleb", is_admin=True)
    for n in range(12):
        add(
            database,
            clock,
            title=f"Gap {n:02d}",
            contact_name=None,
            contact_email=None,
            created_by="U1",
            starts_at=clock() + timedelta(days=2, hours=n),
        )
    home = open_home(bot, slack, "U1")
    text = text_of(home)
    mine = text.split("Your upcoming events")[1].split("Campaign dashboard")[0]
    assert "Gap 09" in mine and "Gap 10" not in mine and "Events 1–10." in mine
    contacts = text.split("*Missing a contact:*")[1].split("*Missing an address:*")[0]
    assert "12 events to come have no lead contact" in contacts and "Gap 04" in contacts and "Gap 05" not in contacts
    assert "1–5 of 12" in contacts

    home = click(bot, slack, home, "home_page_contact_next")
    contacts = text_of(home).split("*Missing a contact:*")[1].split("*Missing an address:*")[0]
    assert "Gap 05" in contacts and "Gap 04" not in contacts and "6–10 of 12" in contacts
    home = click(bot, slack, home, "home_page_mine_next")
    text = text_of(home)
    mine = text.split("Your upcoming events")[1].split("Campaign dashboard")[0]
    assert "Gap 10" in mine and "Gap 11" in mine and "Gap 09" not in mine and "Events 11–12." in mine
    assert "6–10 of 12" in text  # each list keeps its own page
    with pytest.raises(AssertionError):
        find_element(home["blocks"], "home_page_mine_next")
    home = click(bot, slack, home, "home_page_mine_previous")
    assert "Events 1–10." in text_of(home)


def test_hundreds_of_events_stay_within_a_home_and_its_limits(bot, slack, database, clock):
    """U1 registered 600 events (half over, none with a contact or an address, a quarter all day) and goes to many more."""
    slack.add_user("U1", tz="America/Chicago", real_name="Sara Wohlleb", is_admin=True)
    seed_events(database, clock(), 600)
    with database.session() as session:
        for event in session.scalars(select(Event).where(Event.id % 3 == 0)):
            rsvps.set_rsvp(session, event, "U1", True, clock())
    home = open_home(bot, slack, "U1")
    assert len(home["blocks"]) <= 100  # and every text within its limit: the fixture checks each view as Slack would
    for action in ("home_page_mine_next", "home_page_contact_next", "home_page_address_next", "home_page_time_next"):
        home = click(bot, slack, home, action)
        assert len(home["blocks"]) <= 100
    text = text_of(home)
    assert "Events 11–20." in text and "6–10 of" in text
    with database.read() as session:
        counted = session.scalar(select(func.count()).select_from(Event).where(Event.cancelled_at.is_(None)))
    assert f"*Events*\n{counted:,}" in text


# --- buttons and modals ---------------------------------------------------------------------------------------


def test_new_event_opens_the_event_modal_with_the_clicks_trigger(bot, slack):
    home = open_home(bot, slack, "U1")
    assert bot.click_in_view(home, "home_new_event").status == 200
    view = bot.opened_view()
    assert view["title"]["text"] == "New event"
    assert slack.calls_to("views.open")[-1]["trigger_id"].startswith("trigger.")


def test_find_events_near_me_answers_in_the_modal_and_pages(bot, slack, database, clock):
    for n in range(12):
        add(
            database,
            clock,
            title=f"Modesto action {n:02d}",
            city="Modesto",
            state="CA",
            zip_code="95356",
            starts_at=clock() + timedelta(days=1, hours=n),
        )
    home = open_home(bot, slack, "U1")
    bot.click_in_view(home, "home_near")
    view = bot.opened_view()
    assert view["title"]["text"] == "Find events near me"
    unknown = bot.submit(view, {"ZIP code or city": "Atlantis, ZZ", "Within": "50 miles"})
    assert (
        unknown.json["response_action"] == "errors"
        and "I don't know “Atlantis, ZZ”" in unknown.json["errors"]["near_place"]
    )

    answer = bot.submit(view, {"ZIP code or city": "95356", "Within": "25 miles"})
    assert answer.json["response_action"] == "update"
    found = answer.json["view"]
    text = text_of(found)
    assert (
        "Upcoming events within 25 miles of" in text and "Modesto action 00" in text and "Modesto action 10" not in text
    )
    place = next(b for b in found["blocks"] if b.get("block_id") == "near_place")
    assert place["element"]["initial_value"] == "95356"  # searched again as typed

    assert bot.click_in_view({**found, "id": "V9", "hash": "h9"}, "home_near_page_next").status == 200
    [update] = slack.wait_for("views.update")
    assert update["view_id"] == "V9" and update["hash"] == "h9"
    assert "Modesto action 10" in text_of(update["view"]) and "Modesto action 00" not in text_of(update["view"])


def test_toolkits_and_sample_posts_open_modals_pointing_at_their_commands(bot, slack):
    home = open_home(bot, slack, "U1")
    bot.click_in_view(home, "home_toolkits")
    toolkits = bot.opened_view()
    assert toolkits["title"]["text"] == "Toolkits" and "/toolkit press-conference" in text_of(toolkits)
    button = next(
        b["accessory"] for b in toolkits["blocks"] if "`/toolkit press-conference`" in b.get("text", {}).get("text", "")
    )
    assert bot.click_in_view(toolkits, button["action_id"]).status == 200
    [pushed] = slack.wait_for("views.push")
    steps = text_of(pushed["view"])
    assert pushed["trigger_id"].startswith("trigger.") and "Steps to a successful press conference" in steps
    assert "type `/toolkit press-conference` in their channel" in steps and "Post in channel" not in steps

    bot.click_in_view(home, "home_posts")
    posts = bot.opened_view()
    text = text_of(posts)
    assert posts["title"]["text"] == "Sample posts"
    assert "`/posts tweets`" in text and "`/posts facebook`" in text and "*Sample tweets*" in text


# --- kept current through the outbox -----------------------------------------------------------------------------


def test_an_rsvp_or_an_edit_refreshes_the_homes_of_those_who_opened_theirs(bot, slack, database, clock):
    open_home(bot, slack, "U1")
    staff = len(publishes(slack, "UADMIN"))
    open_home(bot, slack, "UADMIN")
    register(bot, {**FUTURE, "Title": "Fresno vigil"}, user="U2")  # U2 never opened their Home
    [card] = bot.posted(channel="C1")
    text = text_of(republished(slack, "UADMIN", staff + 1))  # the dashboard counts the new event
    assert "*Events*\n1, 1 still to come" in text

    before = len(publishes(slack, "U1"))
    bot.click(card, "event_rsvp", user="U1")
    text = text_of(republished(slack, "U1", before))
    assert "Fresno vigil" in text and "You're going" in text
    assert slack.home_token("U1") == "xoxb-test-token"

    before = len(publishes(slack, "U1"))
    bot.command("/event", "edit 1", user="U2")
    bot.submit(bot.opened_view(), {"Title": "Fresno prayer vigil"}, user="U2")
    assert "Fresno prayer vigil" in text_of(republished(slack, "U1", before))

    bot.click(card, "event_rsvp", user="U2")
    wait_until(lambda: not [r for r in outbox_rows(database) if r.status in ("pending", "claimed")])
    assert publishes(slack, "U2") == []  # never opened: nothing drawn for U2, host and going as they are


def test_a_staff_dashboard_is_kept_current_for_a_day_after_it_was_opened(bot, slack, database, clock):
    open_home(bot, slack, "UADMIN")
    clock.advance(hours=25)
    register(bot, user="U2")
    announced(database)
    wait_until(lambda: not [r for r in outbox_rows(database) if r.status in ("pending", "claimed")])
    assert len(publishes(slack, "UADMIN")) == 1 and outbox_rows(database, "home") == []
    assert "*Events*\n1, 1" in text_of(open_home(bot, slack, "UADMIN"))  # opening it draws it afresh


def test_a_new_campaign_reaches_the_campaign_menu_of_an_open_dashboard(bot, slack):
    home = open_home(bot, slack, "UADMIN")
    assert "Central Valley Week of Action" not in json.dumps(home)
    before = len(publishes(slack, "UADMIN"))
    create_campaign(bot, user="U2")
    menu = find_element(republished(slack, "UADMIN", before)["blocks"], "home_campaign")
    assert "Central Valley Week of Action" in [option["text"]["text"] for option in menu["options"]]


def test_redraws_coalesce_per_person_and_a_failed_publish_is_retried(bot, slack, database, clock, deliverer):
    open_home(bot, slack, "U1")
    slack.inject("views.publish", Fault.error("internal_error", 500))
    register(bot, user="U1")
    wait_until(lambda: [r for r in outbox_rows(database, "home") if r.last_error == "internal_error"])
    [row] = outbox_rows(database, "home")
    assert row.status == "pending" and row.attempts == 1 and row.uncertain_since is None  # safe to repeat: no lookup
    clock.advance(minutes=2)
    deliverer.run_once()
    assert "Modesto: #WeAreAllAmerica Canvass and Rally" in text_of(slack.home("U1"))
    with database.read() as session:
        assert session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == row.id)) == "sent"


# --- languages -----------------------------------------------------------------------------------------------------


def test_the_language_menu_changes_the_home_and_later_replies_and_back(bot, slack):
    register(bot, user="U1")
    home = open_home(bot, slack, "U1")
    home = click(bot, slack, home, "home_language", option="Español")
    text = text_of(home)
    assert "Tus próximos eventos" in text and "Te hablo en español, como elegiste aquí." in text
    assert "Lo registraste tú" in text
    assert (
        "Te hablo en español, como elegiste en la pestaña *Inicio*"
        in bot.command("/event", "language", user="U1", channel="D1").text
    )
    assert "Your upcoming events" in text_of(open_home(bot, slack, "U2"))  # others stay in English

    home = click(bot, slack, home, "home_language", option="El idioma de mi Slack (English)")
    assert "Your upcoming events" in text_of(home) and "the language of your Slack" in text_of(home)
    assert "the language of your Slack" in bot.command("/event", "language", user="U1", channel="D1").text


def test_a_person_whose_slack_is_in_spanish_sees_the_home_in_spanish(bot, slack, history):
    slack.add_user("U3", locale="es-LA", is_admin=True)
    text = text_of(open_home(bot, slack, "U3"))
    assert "Tus próximos eventos" in text and "el idioma de tu Slack" in text and "Panel de la campaña" in text
    assert "*Eventos*\n7, 6 por venir" in text and "*Falta un contacto:*" in text
    assert "Campaign dashboard" in text_of(open_home(bot, slack, "UADMIN"))


def test_without_a_campaign_on_the_dashboard_shows_the_next_one_coming(bot, slack, database, clock):
    today = clock().date()
    with database.session() as session:
        session.add(
            Campaign(
                team_id=TEAM_ID,
                slug="spring-week",
                name="Spring Week",
                starts_on=today + timedelta(days=10),
                ends_on=today + timedelta(days=16),
                created_at=clock(),
                updated_at=clock(),
            )
        )
    text = text_of(open_home(bot, slack, "UADMIN"))
    assert "*Spring Week*" in text and "Starts in 10 days" in text and "*Events*\n0, 0 still to come" in text
