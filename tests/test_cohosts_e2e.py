"""Co-hosts end to end: chosen in the modal by the creator, told by DM, allowed to edit and cancel
and to see the organizer's view; their rights checked at the moment of each click and save."""

from __future__ import annotations

from datetime import datetime

import pytest

from driver import labels, visible_text
from schedhelp import announced, dispatcher
from storage import events as queries
from storage import hosts
from test_events_e2e import FUTURE, register
from timemath import UTC

REFUSED = "Only the person who registered event #1 (<@U1>), its co-hosts or a workspace admin can"


@pytest.fixture(autouse=True)
def third_user(slack):
    slack.add_user("U3", tz="America/Denver", real_name="Maria Fernandez")


def _event(database, event_id=1):
    with database.read() as session:
        return queries.get_event(session, "T0TEST", event_id)


def _co_hosts(database, event_id=1):
    with database.read() as session:
        return hosts.co_hosts(session, event_id)


def _inputs(view) -> dict:
    return {b["label"]["text"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def _card(slack, event_id: int = 1) -> dict:
    return next(m for m in slack.messages["C1"] if f"event #{event_id}" in visible_text(m))


def test_the_creator_adds_a_co_host_who_is_told_edits_and_cancels(bot, slack, database):
    register(bot, {**FUTURE, "Co-hosts": ["U2"]})
    announced(database)
    told = bot.direct_message("U2")["text"]
    assert told.startswith(":handshake: <@U1> added you as a co-host of")
    assert "Modesto: #WeAreAllAmerica Canvass and Rally" in told and "`/event edit 1`" in told and "<#C1>" in told

    card = _card(slack)
    bot.click(card, "event_edit", user="U2")
    view = bot.opened_view()
    assert view["title"]["text"] == "Edit event" and "Co-hosts" not in labels(view)  # co-hosts don't choose co-hosts
    assert bot.submit(view, {"Title": "Modesto canvass, co-hosted"}, user="U2").body == ""
    [update] = slack.wait_for("chat.update")
    assert "Modesto canvass, co-hosted" in visible_text(update)
    assert _co_hosts(database) == ["U2"]  # the co-host's save left the list alone

    bot.command("/event", "show 1", user="U2")
    [shown] = bot.responded()
    organizer_view = visible_text(shown)
    assert "*Hosted by* <@U1> (registered it) with co-hosts <@U2>" in organizer_view
    assert "*Going:* nobody yet" in organizer_view and "*Reminders*" in organizer_view

    bot.click(card, "event_cancel", user="U2")
    assert "Cancelled event #1" in bot.responded(2)[1]["text"]
    cancelled = slack.wait_for("chat.update", 2)[1]
    assert "~CANCELLED~" in visible_text(cancelled) and "Cancelled by <@U2>" in visible_text(cancelled)


def test_others_do_not_get_the_organizers_view(bot, slack, database):
    register(bot, {**FUTURE, "Co-hosts": ["U2"]})
    bot.command("/event", "show 1", user="U3")
    [shown] = bot.responded()
    assert (
        "Modesto" in visible_text(shown)
        and "Hosted by" not in visible_text(shown)
        and "Going:" not in visible_text(shown)
    )


def test_a_co_host_removed_after_the_card_was_posted_is_refused_at_the_click(bot, slack, database):
    register(bot, {**FUTURE, "Co-hosts": ["U2"]})
    announced(database)
    card = _card(slack)
    bot.click(card, "event_edit", user="U2")
    u2_modal = bot.opened_view()  # still open while the creator removes them

    bot.command("/event", "edit 1", user="U1")
    view = bot.opened_view()
    assert _inputs(view)["Co-hosts"]["initial_users"] == ["U2"]
    assert bot.submit(view, {"Co-hosts": []}, user="U1").body == ""
    assert _co_hosts(database) == []

    bot.click(card, "event_cancel", user="U2")
    bot.click(card, "event_edit", user="U2")
    assert sorted(r["text"] for r in bot.responded(2)) == [f"{REFUSED} cancel it.", f"{REFUSED} edit it."]
    reply = bot.submit(u2_modal, {"Title": "Saved by a former co-host"}, user="U2")
    assert reply.json["errors"]["title"] == f"{REFUSED} edit it."
    event = _event(database)
    assert event.title == FUTURE["Title"] and not event.is_cancelled
    assert len(slack.calls_to("views.open")) == 3  # /event new, U2's edit while a co-host, U1's edit


def test_only_the_creator_or_an_admin_changes_the_co_hosts(bot, slack, database, clock):
    register(bot, {**FUTURE, "Co-hosts": ["U2"]})
    bot.command("/event", "edit 1", user="U1")
    creators_modal = bot.opened_view()
    # A co-host replaying a form that has the field (the creator's) to add someone:
    reply = bot.submit(creators_modal, {"Co-hosts": ["U2", "U3"]}, user="U2")
    assert reply.json["errors"] == {
        "co_hosts": "Only the person who registered event #1 (<@U1>) or a workspace admin can change its co-hosts."
    }
    assert _co_hosts(database) == ["U2"]

    bot.command("/event", "edit 1", user="UADMIN")
    admins_modal = bot.opened_view()
    assert _inputs(admins_modal)["Co-hosts"]["initial_users"] == ["U2"]
    assert bot.submit(admins_modal, {"Co-hosts": ["U2", "U3", "U1"]}, user="UADMIN").body == ""
    assert _co_hosts(database) == ["U2", "U3"]  # the creator hosts already: never a co-host row
    assert bot.direct_message("U3")["text"].startswith(":handshake: <@UADMIN> added you as a co-host")
    dispatcher(slack, database, clock).run_once()  # everything queued is delivered
    assert len(slack.dm("U2")) == 1 and len(slack.dm("U3")) == 1 and slack.dm("U1") == []  # each told once


def test_too_many_or_unknown_co_hosts_are_refused_under_the_field(bot, slack, database):
    reply = register(bot, {**FUTURE, "Co-hosts": [f"U{n:02d}" for n in range(11)]})
    assert reply.json["errors"] == {"co_hosts": "Choose at most 10 co-hosts."}
    bot.command("/event", "new")
    reply = bot.submit(bot.opened_view(), {**FUTURE, "Co-hosts": ["<!channel>"]})
    assert reply.json["errors"] == {"co_hosts": "Choose co-hosts from the people in this workspace."}
    assert "No upcoming events" in bot.command("/event", "list").text


def test_a_co_host_sees_a_private_channels_event_from_anywhere(bot, slack, database):
    slack.private_channels.add("CPRIV")
    register(bot, {**FUTURE, "Announce in channel": "CPRIV", "Co-hosts": ["U2"]})
    bot.command("/event", "show 1", user="U2", channel="C1")
    [shown] = bot.responded()
    assert "Hosted by* <@U1> (registered it) with co-hosts <@U2>" in visible_text(shown)
    assert "There is no event #1" in bot.command("/event", "show 1", user="U3", channel="C1").text


def test_event_mine_lists_what_one_registered_co_hosts_or_goes_to(bot, slack, database, clock):
    register(bot, {**FUTURE, "Title": "Registered by U2", "Start date": "2026-12-04"}, user="U2")
    register(bot, {**FUTURE, "Title": "Co-hosted by U2", "Start date": "2026-12-05", "Co-hosts": ["U2"]})
    register(bot, {**FUTURE, "Title": "U2 is going", "Start date": "2026-12-06"})
    register(bot, {**FUTURE, "Title": "Not U2's", "Start date": "2026-12-07"})
    register(bot, {**FUTURE, "Title": "Cancelled, co-hosted", "Start date": "2026-12-08", "Co-hosts": ["U2"]})
    register(bot, {**FUTURE, "Title": "Over, co-hosted", "Start date": "2026-11-22", "Co-hosts": ["U2"]})
    announced(database, 3)
    bot.click(_card(slack, 3), "event_rsvp", user="U2")
    bot.command("/event", "cancel 5", user="U1")
    assert any("Cancelled event #5" in r["text"] for r in bot.responded(2))  # and the RSVP's confirmation
    clock.set(datetime(2026, 11, 23, tzinfo=UTC))  # event 6 is over, the others are to come

    mine = bot.command("/event", "mine", user="U2").text
    assert "Your upcoming events" in mine
    lines = [line for line in mine.splitlines() if line.startswith(":")]
    assert [line.split("*")[1] for line in lines] == ["#1 Registered by U2", "#2 Co-hosted by U2", "#3 U2 is going"]
    assert "_You registered it_" in mine and "_You co-host it_" in mine and "_You're going_" in mine
    assert "Not U2's" not in mine and "Cancelled" not in mine and "Over" not in mine
    assert "You have no upcoming events" in bot.command("/event", "mine", user="U3").text
