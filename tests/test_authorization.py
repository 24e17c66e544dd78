"""Every write checks permission at the moment of the write, from the stored event and a fresh
admin check, whatever the request carries: tampered metadata, button values and ids."""

from __future__ import annotations

import json

import pytest

from driver import visible_text
from schedhelp import announced, outbox_rows, wait_until
from services.permissions import ADMIN_VIEW_SECONDS
from services.slackapi import UserDirectory
from storage import events as queries
from test_events_e2e import FUTURE, register


def _event(database, event_id=1):
    with database.read() as session:
        return queries.get_event(session, "T0TEST", event_id)


def _edit_form_as(bot, user: str):
    """The creator's edit form, as an attacker would replay it under their own user id."""
    bot.command("/event", "edit 1", user="U1")
    return bot.opened_view()


def test_a_tampered_edit_submission_cannot_rewrite_someone_elses_event(bot, slack, database):
    register(bot, {**FUTURE, "Open to the public": "No, by invitation only"})
    announced(database)
    view = _edit_form_as(bot, "U2")
    reply = bot.submit(view, {"Title": "Hijacked", "Open to the public": "Yes, anyone can come"}, user="U2")
    assert reply.json["response_action"] == "errors"
    assert "Only the person who registered event #1" in json.dumps(reply.json["errors"])
    event = _event(database)
    assert event.title == FUTURE["Title"] and event.is_public is False
    assert slack.calls_to("chat.update") == [] and [r.kind for r in outbox_rows(database)] == ["card"]


def test_metadata_pointing_at_another_event_is_checked_against_that_event(bot, slack, database):
    register(bot)  # event 1, by U1
    register(bot, {**FUTURE, "Title": "Mine"}, user="U2")  # event 2, by U2
    bot.command("/event", "edit 2", user="U2")
    view = bot.opened_view()
    tampered = {**view, "private_metadata": json.dumps({"event_id": 1})}
    reply = bot.submit(tampered, {"Title": "Hijacked"}, user="U2")
    assert "Only the person who registered event #1" in json.dumps(reply.json["errors"])
    assert _event(database, 1).title == FUTURE["Title"]


def test_an_admin_demoted_while_the_modal_was_open_cannot_save(bot, slack, database):
    register(bot)
    bot.command("/event", "edit 1", user="UADMIN")
    view = bot.opened_view()
    slack.users["UADMIN"]["is_admin"] = False  # demoted in Slack meanwhile
    reply = bot.submit(view, {"Title": "Edited by a former admin"}, user="UADMIN")
    assert "Only the person who registered event #1" in json.dumps(reply.json["errors"])
    assert _event(database).title == FUTURE["Title"]


def test_cancel_button_and_command_by_others_are_refused(bot, slack, database):
    register(bot)
    [card] = bot.posted()
    bot.click({**card, "ts": "1"}, "event_cancel", user="U2")
    assert "Only the person who registered event #1" in bot.responded()[0]["text"]
    bot.command("/event", "cancel 1", user="U2")
    assert "Only the person" in bot.responded(2)[1]["text"]
    assert not _event(database).is_cancelled


def test_rsvp_to_a_cancelled_event_is_refused(bot, slack, database):
    register(bot)
    [card] = bot.posted()
    bot.command("/event", "cancel 1", user="U1")
    bot.responded()
    bot.click(card, "event_rsvp", user="U2")
    assert "That event was cancelled" in bot.responded(2)[1]["text"]
    from storage import rsvps

    with database.read() as session:
        assert rsvps.rsvp_users(session, 1) == []


@pytest.mark.parametrize(
    "value", ["²", "99999999999999999999", "-1", "1e3", "1; DROP TABLE events", " ", "0"]
)  # NUL: refused at the front door (test_http)
def test_tampered_button_values_get_a_clear_message(bot, slack, database, value):
    register(bot)
    [card] = bot.posted()
    for action in ("event_rsvp", "event_edit", "event_cancel"):
        reply = bot.click(card, action, user="U1", value=value)
        assert reply.status == 200
    texts = [r["text"] for r in bot.responded(3)]
    assert all("can't find that event" in t or "cancelled" in t for t in texts), texts
    assert not _event(database).is_cancelled


@pytest.mark.parametrize(
    "metadata", ["not json", "[1]", '{"event_id": "1"}', '{"event_id": 1e400}', '{"event_id": 99999999999}']
)
def test_malformed_private_metadata_never_edits_an_event(bot, slack, database, metadata):
    register(bot)
    view = _edit_form_as(bot, "U1")
    reply = bot.submit({**view, "private_metadata": metadata}, {"Title": "Changed"}, user="U1")
    assert reply.status == 200
    assert _event(database).title == FUTURE["Title"]
    assert "Choose the channel" in visible_text(reply.json) or reply.json.get("response_action") == "errors"


# --- admin of this workspace ------------------------------------------------------------------

WEST, ORGANIZATION = "T0WEST", "E0GRID"  # TEAM_ID (the bot's workspace) is EAST, of the same Grid organization
SECRET = "Strategy meeting with legal observers"


def test_an_admin_of_another_workspace_of_the_organization_is_no_admin_here(bot, slack, database):
    """Slack's workspace admin role is per workspace: an admin of WEST who is a member of EAST
    acts in EAST as any member does."""
    slack.add_user("UWEST", team_id=WEST, is_admin=True, is_owner=True, enterprise_id=ORGANIZATION, teams=("T0TEST",))
    register(bot, {**FUTURE, "Open to the public": "No, by invitation only"})
    announced(database)

    bot.command("/event", "show 1", user="UWEST")
    [shown] = bot.responded()
    assert "Modesto" in visible_text(shown) and "jeremy@siren-bayarea.org" not in json.dumps(shown)
    bot.command("/event", "cancel 1", user="UWEST")
    assert "Only the person who registered event #1" in bot.responded(2)[1]["text"]
    bot.command("/event", "review on <#CREVIEW|events-review>", user="UWEST")
    assert "Only workspace admins can change who reviews events" in bot.responded(3)[2]["text"]
    assert not _event(database).is_cancelled


def test_an_admin_of_the_organization_is_an_admin_in_each_of_its_workspaces_they_belong_to(bot, slack, database):
    slack.add_user("UORG", team_id=WEST, enterprise_id=ORGANIZATION, teams=("T0TEST",), org_admin=True)
    slack.add_user("UELSEWHERE", team_id="T0OTHER", enterprise_id="E0OTHER", teams=("T0OTHER",), org_owner=True)
    register(bot)
    announced(database)
    bot.command("/event", "cancel 1", user="UELSEWHERE")  # an owner of another organization (Slack Connect)
    assert "Only the person who registered event #1" in bot.responded()[0]["text"]
    bot.command("/event", "cancel 1", user="UORG")
    bot.responded(2)
    assert _event(database).is_cancelled


def test_an_admin_demoted_in_slack_stops_seeing_every_private_channels_event_within_minutes(bot, slack, services):
    now = [0.0]
    services.users = UserDirectory(clock=lambda: now[0])
    slack.private_channels.add("CPRIV")
    register(bot, {**FUTURE, "Title": SECRET, "Announce in channel": "CPRIV"})
    bot.command("/event", "mine", user="UADMIN")  # as any request of theirs, it reads their profile (their language)
    wait_until(lambda: services.users.cached("T0TEST", "UADMIN") is not None)
    assert SECRET in bot.command("/event", "list", user="UADMIN", channel="C1").text  # an admin sees every event
    slack.users["UADMIN"]["is_admin"] = False  # demoted in Slack
    now[0] += ADMIN_VIEW_SECONDS - 1
    assert SECRET in bot.command("/event", "list", user="UADMIN", channel="C1").text  # the profile is that recent
    now[0] += 2
    assert ADMIN_VIEW_SECONDS <= 300 and SECRET not in bot.command("/event", "list", user="UADMIN", channel="C1").text


def test_an_admin_whose_profile_is_old_sees_everything_again_at_the_next_list(bot, slack, services):
    """A list never waits for Slack: with no recent profile an admin sees as anyone does, and the
    profile is fetched meanwhile, so that the next list shows every event again."""
    now = [0.0]
    services.users = UserDirectory(clock=lambda: now[0])
    slack.private_channels.add("CPRIV")
    register(bot, {**FUTURE, "Title": SECRET, "Announce in channel": "CPRIV"})
    now[0] += 3600  # no recent profile of UADMIN
    assert SECRET not in bot.command("/event", "list", user="UADMIN", channel="C1").text
    wait_until(lambda: services.users.cached("T0TEST", "UADMIN", max_age=ADMIN_VIEW_SECONDS) is not None)
    assert SECRET in bot.command("/event", "list", user="UADMIN", channel="C1").text
