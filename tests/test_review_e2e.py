"""Review of new events end to end: `/event review`, `/event trust`, a pending event kept out of
sight, Approve and Reject clicked by admins and refused to others, and what the host is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from driver import find_element, visible_text
from schedhelp import announced, outbox_rows, wait_until
from storage.models import Event
from test_events_e2e import FUTURE, register
from visitor import visit

REVIEW = "CREVIEW"
TITLE = FUTURE["Title"]


@pytest.fixture
def reviewed(bot, slack):
    """A workspace whose admin has turned review on in #events-review (picked while typing, so escaped)."""
    slack.add_user("UADMIN2", real_name="Second Admin", is_admin=True)
    bot.command("/event", f"review on <#{REVIEW}|events-review>", user="UADMIN")
    assert "Review is on" in answer(bot, 1)
    return bot


def answer(bot, number: int) -> str:
    """The text of the `number`-th answer sent through a response URL (after an ack) in this test."""
    return visible_text(bot.responded(number)[number - 1])


def review_request(slack, count: int = 1) -> dict:
    """The `count`-th review request, once posted, as a person sees it in the review channel now."""
    wait_until(lambda: len(slack.history(REVIEW)) >= count)
    return slack.history(REVIEW)[count - 1]


def dms(slack, user: str) -> list[str]:
    return [visible_text(m) for m in slack.dm(user)]


def has_buttons(message: dict) -> bool:
    return any(b["type"] == "actions" for b in message.get("blocks", []))


# --- the setting ---------------------------------------------------------------------------------


def test_review_is_shown_to_anyone_and_changed_by_admins_only(bot, slack):
    assert "Review is off" in bot.command("/event", "review", user="U1").text
    bot.command("/event", f"review on <#{REVIEW}|events-review>", user="U1")
    assert "Only workspace admins can change who reviews events" in answer(bot, 1)
    assert "Review is off" in bot.command("/event", "review", user="U2").text

    bot.command("/event", f"review on <#{REVIEW}|events-review>", user="UADMIN")
    assert f"wait in <#{REVIEW}>" in answer(bot, 2)
    status = bot.command("/event", "review", user="U2").text
    assert (
        f"Review is on* in <#{REVIEW}>" in status
        and "by <@UADMIN>" in status
        and "Waiting for a decision: 0 events" in status
    )

    bot.command("/event", "review off", user="U2")
    assert "Only workspace admins" in answer(bot, 3)
    bot.command("/event", "review off", user="UADMIN")
    assert "Review is off: new events are announced as soon as they are saved." == answer(bot, 4)
    assert "Review is off* (turned off by <@UADMIN>)" in bot.command("/event", "review").text


def test_review_arguments_get_friendly_errors(bot):
    assert "Pick it as you type `#`" in bot.command("/event", "review on #events-review", user="UADMIN").text
    assert "I don't know `/event review sideways`" in bot.command("/event", "review sideways").text
    assert "Pick them as you type `@`" in bot.command("/event", "trust Sara", user="UADMIN").text
    help_text = bot.command("/event", "help").text
    assert "/event review" in help_text and "/event trust @someone" in help_text


def test_review_on_without_a_channel_reviews_in_the_current_one(bot):
    bot.command("/event", "review on", user="UADMIN", channel="CSTAFF")
    assert "wait in <#CSTAFF>" in answer(bot, 1)


# --- a pending event stays out of sight --------------------------------------------------------------


def test_a_pending_event_is_not_announced_listed_or_digested_but_its_host_sees_it(reviewed, slack, database, clock):
    bot = reviewed
    assert register(bot, {**FUTURE, "Start date": "2026-11-25"}, user="U1").body == ""  # the modal closes
    request = review_request(slack)
    text = visible_text(request)
    assert "Waiting for review" in text and TITLE in text and "Registered by <@U1> for <#C1>" in text
    assert [
        find_element(request["blocks"], action)["text"]["text"] for action in ("review_approve", "review_reject")
    ] == ["Approve", "Reject"]
    wait_until(lambda: dms(slack, "U1"))
    assert "waiting for review by the coalition's admins" in dms(slack, "U1")[0]
    assert slack.history("C1") == [] and outbox_rows(database, "card") == []  # no card

    assert "No upcoming events" in bot.command("/event", "list", user="U2").text
    assert "#1" in bot.command("/event", "list", user="U1").text  # its host sees it, marked
    assert "waiting for review" in bot.command("/event", "list", user="U1").text
    mine = bot.command("/event", "mine", user="U1").text
    assert TITLE in mine and "waiting for review" in mine
    assert TITLE not in bot.command("/event", "mine", user="U2").text
    assert TITLE not in bot.command("/event", "near 95356", user="U2").text
    near = bot.command("/event", "near 95356", user="U1").text
    assert TITLE in near and "waiting for review" in near
    assert "There is no event #1" in bot.command("/event", "show 1", user="U2").text
    shown = bot.command("/event", "show 1", user="U1").text
    assert TITLE in shown and "Waiting for review" in shown
    assert "There is no event #1" not in bot.command("/event", "show 1", user="UADMIN").text
    bot.command("/digest", "now", user="U2", channel="C1")
    digest = bot.posted(3, channel="C1")[0]  # review request, DM, digest
    assert "No actions in the next 7 days" in visible_text(digest)
    assert "Waiting for a decision: 1 event." in bot.command("/event", "review").text


def test_its_host_sees_the_card_in_show_but_rsvps_wait_for_approval(reviewed, slack):
    register(reviewed, user="U1")
    review_request(slack)
    shown = reviewed.command("/event", "show 1", user="U1")
    assert reviewed.click({"blocks": shown.json["blocks"]}, "event_rsvp", user="U1").status == 200
    assert "waiting for review: RSVPs open once it is approved" in answer(reviewed, 2)


def test_a_pending_event_is_on_no_public_page_or_feed_until_approved(reviewed, slack):
    bot = reviewed
    register(bot, user="U1")
    request = review_request(slack)
    site = bot.url.removesuffix("/slack/events")
    assert TITLE not in visit(site + "/events").text
    assert visit(site + "/events/1").status == 404 and visit(site + "/events/1.ics").status == 404
    assert TITLE not in visit(site + "/calendar.ics").text
    bot.click(request, "review_approve", user="UADMIN", channel=REVIEW)
    answer(bot, 2)
    assert TITLE in visit(site + "/events").text and visit(site + "/events/1").status == 200
    assert TITLE in visit(site + "/calendar.ics").text


# --- deciding ------------------------------------------------------------------------------------------


def test_approve_is_refused_to_members_and_announces_when_an_admin_clicks(reviewed, slack, database):
    bot = reviewed
    register(bot, user="U1")
    request = review_request(slack)

    bot.click(request, "review_approve", user="U2", channel=REVIEW)
    assert "Only workspace admins can approve or reject events." in answer(bot, 2)
    assert outbox_rows(database, "card") == [] and "No upcoming events" in bot.command("/event", "list", user="U2").text

    bot.click(request, "review_approve", user="UADMIN", channel=REVIEW)
    assert "Approved event #1" in answer(bot, 3)
    announced(database)
    [card] = slack.history("C1")
    assert TITLE in visible_text(card) and "I'm going" in visible_text(card)
    wait_until(lambda: len(dms(slack, "U1")) == 2)
    assert "was approved by <@UADMIN> and is announced in <#C1>" in dms(slack, "U1")[1]
    wait_until(lambda: not has_buttons(slack.history(REVIEW)[0]))
    decided = visible_text(slack.history(REVIEW)[0])
    assert "Approved by <@UADMIN>" in decided and TITLE in decided
    assert TITLE in bot.command("/event", "list", user="U2").text

    # A second click, on the buttons still showing in someone's Slack: who decided, and nothing else.
    bot.click(request, "review_approve", user="UADMIN2", channel=REVIEW)
    assert "already decided" in answer(bot, 4) and "Approved by <@UADMIN>" in answer(bot, 4)
    bot.click(request, "review_reject", user="UADMIN2", channel=REVIEW)
    assert "Approved by <@UADMIN>" in answer(bot, 5)
    assert len(slack.history("C1")) == 1 and len(slack.calls_to("views.open")) == 1  # only /event new's modal


def test_reject_asks_an_admin_why_and_tells_the_host(reviewed, slack, database):
    bot = reviewed
    register(bot, user="U1")
    request = review_request(slack)

    bot.click(request, "review_reject", user="U2", channel=REVIEW)
    assert "Only workspace admins" in answer(bot, 2)
    assert len(slack.calls_to("views.open")) == 1  # no form for a member

    bot.click(request, "review_reject", user="UADMIN", channel=REVIEW)
    form = bot.opened_view()
    assert form["title"]["text"] == "Reject event" and TITLE in visible_text(form)
    empty = bot.submit(form, {"Reason": "  "}, user="UADMIN")
    assert empty.json["response_action"] == "errors" and "Say why" in empty.json["errors"]["reason"]
    # Demoted while the form was open (or someone else's click): refused at the moment of the write.
    refused = bot.submit(form, {"Reason": "No address"}, user="U2")
    assert "Only workspace admins" in refused.json["errors"]["reason"]

    assert bot.submit(form, {"Reason": "No address yet <!channel> & no contact"}, user="UADMIN").body == ""
    wait_until(lambda: len(dms(slack, "U1")) == 2)
    told = dms(slack, "U1")[1]
    assert "was not approved by <@UADMIN>" in told and "No address yet &lt;!channel&gt; &amp; no contact" in told
    wait_until(lambda: not has_buttons(slack.history(REVIEW)[0]))
    assert "Not approved by <@UADMIN>" in visible_text(slack.history(REVIEW)[0])
    assert slack.history("C1") == [] and outbox_rows(database, "card") == []

    assert "Not approved by <@UADMIN>" in bot.command("/event", "show 1", user="U1").text
    assert TITLE not in bot.command("/event", "mine", user="U1").text  # over, as a cancelled one is
    assert "No upcoming events" in bot.command("/event", "list", user="UADMIN").text
    bot.command("/event", "edit 1", user="U1")
    assert "was not approved, so it can't be changed" in answer(bot, 3)
    again = bot.submit(form, {"Reason": "Twice"}, user="UADMIN2")  # the form submitted again, by another admin
    assert "already decided" in again.json["errors"]["reason"]

    bot.click(request, "review_approve", user="UADMIN2", channel=REVIEW)
    assert "Not approved by <@UADMIN>" in answer(bot, 4)
    assert outbox_rows(database, "card") == []


def test_co_hosts_see_the_pending_event_and_are_told_the_decision(reviewed, slack, database):
    bot = reviewed
    register(bot, {**FUTURE, "Co-hosts": ["U2"]}, user="U1")
    request = review_request(slack)
    mine = bot.command("/event", "mine", user="U2").text
    assert TITLE in mine and "You co-host it" in mine and "waiting for review" in mine
    bot.command("/event", "show 1", user="U2")
    assert "Waiting for review" in answer(bot, 2)
    bot.click(request, "review_approve", user="UADMIN", channel=REVIEW)
    assert "Approved event #1" in answer(bot, 3)
    # Two DMs, two channels: the worker may send them in either order.
    wait_until(
        lambda: all(any("was approved by <@UADMIN>" in text for text in dms(slack, host)) for host in ("U1", "U2"))
    )


# --- edits and cancellations while pending ---------------------------------------------------------------


def test_editing_a_pending_event_keeps_it_pending_and_redraws_the_request(reviewed, slack, database):
    bot = reviewed
    register(bot, user="U1")
    review_request(slack)
    bot.command("/event", "edit 1", user="U1")
    form = bot.opened_view()
    assert bot.submit(form, {"Title": "Modesto canvass (new address)"}, user="U1").body == ""
    [update] = slack.wait_for("chat.update")
    assert (
        update["channel"] == REVIEW and "Modesto canvass (new address)" in visible_text(update) and has_buttons(update)
    )
    assert outbox_rows(database, "card") == [] and outbox_rows(database, "thread_note") == []
    assert "waiting for review" in bot.command("/event", "list", user="U1").text


def test_editing_an_approved_event_does_not_send_it_back_to_review(reviewed, slack, database):
    bot = reviewed
    register(bot, user="U1")
    bot.click(review_request(slack), "review_approve", user="UADMIN", channel=REVIEW)
    answer(bot, 2)
    announced(database)
    bot.command("/event", "edit 1", user="U1")
    form = bot.opened_view()
    assert bot.submit(form, {"Title": "Modesto canvass, moved"}, user="U1").body == ""
    wait_until(lambda: "Modesto canvass, moved" in visible_text(slack.history("C1")[0]))
    assert (
        len(outbox_rows(database, "review")) == 1
        and "Modesto canvass, moved" in bot.command("/event", "list", user="U2").text
    )


def test_a_pending_event_cancelled_by_its_host_says_so_in_the_review_channel(reviewed, slack, database):
    bot = reviewed
    register(bot, user="U1")
    request = review_request(slack)
    bot.command("/event", "cancel 1", user="U1")
    assert "Cancelled event #1" in answer(bot, 2)
    wait_until(lambda: not has_buttons(slack.history(REVIEW)[0]))
    assert "Cancelled by <@U1> before it was announced" in visible_text(slack.history(REVIEW)[0])
    bot.click(request, "review_approve", user="UADMIN", channel=REVIEW)
    assert "was cancelled by <@U1> before anyone decided" in answer(bot, 3)
    assert outbox_rows(database, "card") == [] and outbox_rows(database, "thread_note") == []


# --- who skips review ----------------------------------------------------------------------------------------


def test_trusted_hosts_and_admins_skip_review(reviewed, slack, database):
    bot = reviewed
    bot.command("/event", "trust <@U1|sara>", user="U2")
    assert "Only workspace admins" in answer(bot, 2)
    bot.command("/event", "trust <@U1|sara>", user="UADMIN")
    assert "<@U1> is trusted" in answer(bot, 3)
    assert "Trusted hosts (their events skip review): <@U1>" in bot.command("/event", "review").text

    register(bot, {**FUTURE, "Title": "Trusted vigil"}, user="U1")
    register(bot, {**FUTURE, "Title": "Staff press conference"}, user="UADMIN")
    wait_until(lambda: len(slack.history("C1")) == 2)
    assert [e.title for e in _events(database)] == ["Trusted vigil", "Staff press conference"]
    assert {e.approval for e in _events(database)} == {"approved"}
    assert slack.history(REVIEW) == []

    bot.command("/event", "untrust <@U1>", user="UADMIN")
    assert "no longer trusted" in answer(bot, 4)
    register(bot, {**FUTURE, "Title": "Back to review"}, user="U1")
    assert "Back to review" in visible_text(review_request(slack))


def test_events_of_private_channels_are_not_reviewed(reviewed, slack, database):
    slack.private_channels.add("CPRIV")
    register(reviewed, {**FUTURE, "Announce in channel": "CPRIV"}, user="U1")
    [card] = reviewed.posted(channel="CPRIV")
    assert TITLE in visible_text(card) and slack.history(REVIEW) == []


def test_review_off_announces_new_events_and_leaves_pending_ones_to_decide(reviewed, slack, database):
    bot = reviewed
    register(bot, {**FUTURE, "Title": "Registered during review"}, user="U1")
    request = review_request(slack)
    bot.command("/event", "review off", user="UADMIN")
    assert "1 event is still waiting" in answer(bot, 2)
    register(bot, {**FUTURE, "Title": "Registered after review"}, user="U1")
    wait_until(lambda: len(slack.history("C1")) == 1)
    assert "Registered after review" in visible_text(slack.history("C1")[0])
    assert "Registered during review" not in bot.command("/event", "list", user="U2").text
    bot.click(request, "review_approve", user="UADMIN", channel=REVIEW)
    assert "Approved event #1" in answer(bot, 3)
    wait_until(lambda: len(slack.history("C1")) == 2)


def test_a_private_review_channel_the_bot_is_not_in_is_reported_to_the_admin(bot, slack, database):
    slack.private_channels.add("CSTAFF")
    slack.not_member.add("CSTAFF")
    bot.command("/event", "review on <#CSTAFF|staff>", user="UADMIN")
    assert "If the channel is private, `/invite` me there" in answer(bot, 1)
    register(bot, user="U1")
    wait_until(lambda: dms(slack, "UADMIN"))
    assert (
        "I couldn't post in <#CSTAFF> (not_in_channel). Invite me with `/invite @Organizer Bot`"
        in dms(slack, "UADMIN")[0]
    )


def _events(database) -> list[Event]:
    with database.read() as session:
        return list(session.scalars(select(Event).order_by(Event.id)))
