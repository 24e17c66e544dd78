"""`/event` end to end: signed requests in, fake Slack calls out, checked as a user sees them."""

from __future__ import annotations

import json

import pytest

from driver import labels, visible_text
from schedhelp import announced, outbox_rows, wait_until

FUTURE = {
    "Title": "Modesto: #WeAreAllAmerica Canvass and Rally",
    "Type": "Canvass",
    "Start date": "2026-12-04",
    "Start time": "13:00",
    "End time": "15:30",
    "Time zone": "America/Los_Angeles",
    "Address": "4701 Sisk Road",
    "City": "Modesto",
    "State": "CA",
    "ZIP code": "95356",
    "Lead organizations": "SIREN, SEIU Local 521, Mi Familia Vota",
    "Lead contact name": "Jeremy Barousse",
    "Lead contact email": "jeremy@siren-bayarea.org",
    "Details": "Canvass the neighborhood, sign pledge cards, call Rep. Denham's office.",
}


def register(bot, answers=FUTURE, *, user="U1", channel="C1"):
    """Type /event new, fill in the modal, submit; return the submission reply."""
    assert bot.command("/event", "new", user=user, channel=channel).status == 200
    view = bot.opened_view()
    return bot.submit(view, answers, user=user)


def test_event_new_opens_modal_with_user_defaults(bot):
    reply = bot.command("/event", "new", user="U1", channel="C42")
    assert reply.status == 200 and reply.body == ""
    view = bot.opened_view()
    assert view["title"]["text"] == "New event"
    assert labels(view)[:3] == ["Title", "Type", "Start date"]
    assert {"Time zone", "Lead contact email", "Open to the public", "Announce in channel"} <= set(labels(view))
    by_label = {b["label"]["text"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert by_label["Time zone"]["initial_option"]["value"] == "America/Chicago"  # U1's Slack time zone
    assert by_label["Announce in channel"]["initial_conversation"] == "C42"
    assert by_label["Lead contact name"]["initial_value"] == "Sara Wohlleb"
    assert by_label["Lead contact email"]["initial_value"] == "sara@example.org"


def test_submitting_the_modal_stores_and_announces_the_card(bot, slack):
    reply = register(bot)
    assert reply.status == 200 and reply.body == ""  # the modal closes
    [post] = bot.posted(channel="C1")
    card = visible_text(post)
    assert "Modesto: #WeAreAllAmerica Canvass and Rally" in card
    assert "Canvass" in card and "event #1" in card
    assert "4701 Sisk Road, Modesto, CA 95356" in card
    assert "SIREN, SEIU Local 521, Mi Familia Vota" in card
    assert "jeremy@siren-bayarea.org" in card  # public event: contact shown
    # 13:00 Pacific on Dec 4 2026 = 21:00 UTC; every reader sees it in their own zone.
    assert "<!date^1796418000^{date_short_pretty} at {time}|Fri, Dec 4, 2026 at 1:00 PM PST>" in card
    calendar = next(
        e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "event_calendar"
    )
    assert "dates=20261204T210000Z%2F20261204T233000Z" in calendar["url"]
    assert "Edit" in card and "Cancel event" in card

    listing = bot.command("/event", "list")
    assert "#1 Modesto: #WeAreAllAmerica Canvass and Rally" in listing.text


def test_private_event_card_hides_contact_email(bot):
    register(bot, {**FUTURE, "Open to the public": "No, by invitation only"})
    [post] = bot.posted()
    assert "jeremy@siren-bayarea.org" not in json.dumps(post)
    assert "Not open to the public" in visible_text(post)
    shown_to_creator = bot.command("/event", "show 1", user="U1")
    assert "jeremy@siren-bayarea.org" in shown_to_creator.text
    bot.command("/event", "show 1", user="U2")
    [shown_to_other] = bot.responded()
    assert "Modesto" in visible_text(shown_to_other) and "jeremy@siren-bayarea.org" not in json.dumps(shown_to_other)
    bot.command("/event", "show 1", user="UADMIN")
    shown_to_admin = bot.responded(2)[1]
    assert "jeremy@siren-bayarea.org" in visible_text(shown_to_admin)


def test_title_cannot_ping_channel_or_disguise_a_link(bot, slack):
    hostile = "<!channel> Rally & <https://evil.example|vote>"
    register(bot, {**FUTURE, "Title": hostile, "Details": "<@U999> <!here>", "Lead organizations": "A & B <!everyone>"})
    [post] = bot.posted()
    everything = json.dumps(post)
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U999>", "<https://evil.example"):
        assert raw not in everything
    assert "&lt;!channel&gt; Rally &amp; &lt;https://evil.example|vote&gt;" in post["text"]
    assert "*&lt;!channel&gt; Rally &amp; &lt;https://evil.example|vote&gt;*" in visible_text(post)
    assert "&lt;!channel&gt;" in bot.command("/event", "list").text


@pytest.mark.parametrize(
    "answers, field, message",
    [
        ({"Title": ""}, "title", "Give the event a title"),
        ({"End time": "12:00"}, "end_time", "The end must be after the start"),
        ({"Start date": "2026-11-20"}, "start_date", "in the past"),
        ({"Lead contact email": "not-an-email"}, "contact_email", "does not look like an email"),
        ({"Title": "x" * 151}, "title", "under 150 characters"),
        ({"ZIP code": "9535"}, "zip_code", "5-digit ZIP"),
        ({"Online link": "zoom.us/j/1"}, "online_url", "https://"),
        (
            {"Start date": "2027-03-14", "Start time": "02:30", "End time": "", "Time zone": "America/New_York"},
            "start_time",
            "does not exist",
        ),
    ],
)
def test_invalid_input_keeps_the_modal_open_with_the_error_under_the_field(bot, slack, answers, field, message):
    reply = register(bot, {**FUTURE, **answers})
    assert reply.status == 200
    assert reply.json["response_action"] == "errors"
    assert message in reply.json["errors"][field]
    assert slack.calls_to("chat.postMessage") == []
    assert "No upcoming events" in bot.command("/event", "list").text


def test_all_day_multi_day_event_from_the_seeds(bot):
    register(
        bot,
        {
            **FUTURE,
            "Title": "#WeAreAllAmerica: Legislative Visit with Rep. Roskam",
            "Type": "Legislative visit",
            "Start date": "2026-12-22",
            "Start time": None,
            "End time": None,
            "End date": "2026-12-24",
            "All day": ["All day (no start or end time)"],
            "Time zone": "America/Chicago",
        },
    )
    [post] = bot.posted()
    assert "Tue, Dec 22 – Thu, Dec 24, 2026 (all day)" in visible_text(post)
    assert "<!date^" not in visible_text(post)  # calendar days must not shift into the reader's zone


def test_global_shortcut_opens_the_same_modal(bot):
    assert bot.shortcut("new_event", user="U2").status == 200
    view = bot.opened_view()
    assert view["callback_id"] == "event_form"
    by_label = {b["label"]["text"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert by_label["Time zone"]["initial_option"]["value"] == "America/Los_Angeles"
    assert "initial_conversation" not in by_label["Announce in channel"]


def test_list_paginates_within_block_kit_limits(bot, database, clock):
    for n in range(23):
        register(bot, {**FUTURE, "Title": f"Vigil {n:02d}", "Start date": f"2026-12-{n + 1:02d}"})
    first = bot.command("/event", "list")
    assert "*Upcoming events* 1–10" in first.text and "Vigil 00" in first.text and "Vigil 10" not in first.text
    bot.click({"blocks": first.json["blocks"]}, "event_list_page_next")
    [second] = bot.responded()
    assert "*Upcoming events* 11–20" in visible_text(second) and "Vigil 10" in visible_text(second)
    assert second["replace_original"] is True


def test_list_filters_by_type_and_state(bot):
    register(bot, FUTURE)
    register(bot, {**FUTURE, "Title": "Denver vigil", "Type": "Prayer vigil", "State": "CO", "City": "Denver"})
    assert "Denver vigil" in bot.command("/event", "list prayer vigil").text
    assert "Modesto" not in bot.command("/event", "list prayer vigil").text
    assert "Modesto" in bot.command("/event", "list CA").text
    assert "Denver vigil" in bot.command("/event", "list city Denver").text
    assert "No upcoming events matching" in bot.command("/event", "list TX").text


def test_edit_by_creator_updates_card_and_tells_the_thread(bot, slack, database):
    register(bot)
    bot.posted()
    announced(database)  # the card's ts is stored just after chat.postMessage returns
    bot.command("/event", "edit 1", user="U1")
    view = bot.opened_view()
    assert view["title"]["text"] == "Edit event"
    by_label = {b["label"]["text"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert by_label["Title"]["initial_value"] == FUTURE["Title"]
    assert by_label["Start time"]["initial_time"] == "13:00"
    reply = bot.submit(view, {"Start time": "14:00", "End time": "16:00", "Title": "Modesto canvass (moved)"})
    assert reply.body == ""
    [update] = slack.wait_for("chat.update")
    assert update["ts"] == slack.messages["C1"][0]["ts"]
    assert "Modesto canvass (moved)" in visible_text(update)
    thread = bot.posted(2)[1]
    assert thread["thread_ts"] == slack.messages["C1"][0]["ts"]
    assert "*When:* <!date^1796421600^{date_short_pretty} at {time}|Fri, Dec 4, 2026 at 2:00 PM PST>" in thread["text"]
    assert "(was <!date^1796418000^{date_short_pretty} at {time}|Fri, Dec 4, 2026 at 1:00 PM PST>" in thread["text"]


def test_others_cannot_edit_or_cancel_but_admins_can(bot, slack):
    register(bot)
    bot.command("/event", "cancel 1", user="U2")
    [refusal] = bot.responded()
    assert "Only the person who registered event #1" in refusal["text"]
    bot.command("/event", "edit 1", user="U2")
    assert "Only the person" in bot.responded(2)[1]["text"]
    assert len(slack.calls_to("views.open")) == 1  # only the /event new modal
    bot.command("/event", "cancel 1", user="UADMIN")
    assert "Cancelled event #1" in bot.responded(3)[2]["text"]


def test_cancel_updates_card_and_says_so_in_its_thread(bot, slack, database):
    register(bot)
    bot.posted()
    announced(database)
    ts = slack.messages["C1"][0]["ts"]
    card = {**slack.messages["C1"][0]}
    bot.click(card, "event_cancel", user="U1")
    [update] = slack.wait_for("chat.update")
    assert update["ts"] == ts and "~CANCELLED~ *Modesto" in visible_text(update)
    assert not any(b["type"] == "actions" for b in update["blocks"])  # no more buttons on a cancelled card
    thread = bot.posted(2)[1]
    assert thread["thread_ts"] == ts and "cancelled by <@U1>" in thread["text"]
    assert "No upcoming events" in bot.command("/event", "list").text
    bot.command("/event", "cancel 1", user="U1")
    assert "already cancelled" in bot.responded(2)[1]["text"]


def test_show_unknown_and_malformed_ids_get_friendly_errors(bot):
    assert "There is no event #99" in bot.command("/event", "show 99").text
    assert "Which event? Give its number" in bot.command("/event", "show abc").text
    assert "Which event?" in bot.command("/event", "edit").text


def test_help_and_unknown_subcommands(bot):
    help_reply = bot.command("/event", "help")
    for usage in ("/event new", "/event list", "/event show 12", "/event edit 12", "/event cancel 12"):
        assert usage in help_reply.text
    assert bot.command("/event", "").text == help_reply.text
    unknown = bot.command("/event", "frobnicate <!channel>")
    assert "I don't know `/event frobnicate`" in unknown.text and "/event new" in unknown.text


def test_card_posting_failure_tells_the_organizer_and_keeps_the_event(bot, slack):
    register(bot, {**FUTURE}, channel="C_ARCHIVED")
    # the modal defaults to the channel the command came from
    [dm] = slack.wait_for("chat.postMessage", 2)[1:]
    assert (
        dm["channel"] == "U1"
        and "is saved, but its card could not be posted" in dm["text"]
        and "is_archived" in dm["text"]
    )
    assert "#1 Modesto" in bot.command("/event", "list").text


def test_calendar_link_button_is_acknowledged(bot, slack):
    register(bot)
    bot.posted()
    card = slack.messages["C1"][0]
    reply = bot.click(card, "event_calendar")
    assert reply.status == 200 and reply.body == ""


def test_teams_do_not_see_each_others_events(bot, slack):
    register(bot)
    fields = {
        "team_id": "T0OTHER",
        "command": "/event",
        "text": "show 1",
        "user_id": "U9",
        "channel_id": "C9",
        "response_url": slack.response_url(),
        "trigger_id": "t",
    }
    assert "There is no event #1" in visible_text(bot.send_form(fields).json)


def test_the_digest_links_to_the_announced_card(bot, slack, database):
    register(bot, {**FUTURE, "Start date": "2026-11-25"})  # within the digest's 7 days
    announced(database)
    card = slack.messages["C1"][0]
    bot.command("/digest", "now", channel="C7")
    digest = bot.posted(2, channel="C7")[0]
    permalink = f"https://test.slack.com/archives/C1/p{card['ts'].replace('.', '')}"
    # Under its campaign's heading, on a line that names Modesto: its title does not say either again.
    assert f"<{permalink}|Canvass and Rally> · Modesto, CA" in visible_text(digest)


def test_a_cancel_while_the_card_is_being_posted_still_reaches_the_card(bot, slack, database):
    slack.latency = 0.3  # the card is still on its way to Slack when the organizer cancels
    try:
        register(bot)
        wait_until(lambda: [r.status for r in outbox_rows(database, "card")] == ["claimed"])  # in flight
        bot.command("/event", "cancel 1", user="U1")
        [update] = slack.wait_for("chat.update")
    finally:
        slack.latency = 0.0
    assert update["ts"] == slack.messages["C1"][0]["ts"]
    assert "~CANCELLED~" in visible_text(update)
