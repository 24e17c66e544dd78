"""The post-event report end to end: the DM once the event is over (injected clock), the form,
the note in the card's thread, editing it, and who may; plus how the totals read."""

from __future__ import annotations

from datetime import datetime, timedelta

from driver import labels, visible_text
from messages.reports import totals_line, totals_text
from schedhelp import announced, dispatcher, outbox_rows, wait_until
from storage.reports import Totals
from test_events_e2e import FUTURE, register
from timemath import UTC

# FUTURE runs Dec 4 2026, 13:00-15:30 Pacific.
ENDS = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
REPORT = {
    "Turnout": 45,
    "Press coverage links": "https://news.example/modesto-canvass\n  https://tv.example/clip?id=7  \n",
    "What the official said": "Rep. Denham's staff <!channel> promised a meeting & a reply",
    "Photos link": "https://photos.example/album/1",
    "Next step": "Town hall in March",
}


def asks(slack, user: str = "U1") -> list[dict]:
    """The "How did it go?" DMs `user` got."""
    return [m for m in slack.dm(user) if "How did it go?" in visible_text(m)]


def over(bot, slack, database, clock) -> dict:
    """Register the event, let it end, tick the clock: the DM its host gets."""
    register(bot)
    announced(database)
    clock.set(ENDS)
    dispatcher(slack, database, clock).run_once()
    wait_until(lambda: asks(slack))
    return asks(slack)[0]


def test_the_host_is_asked_once_when_the_event_is_over(bot, slack, database, clock):
    register(bot)
    announced(database)
    tick = dispatcher(slack, database, clock)
    clock.set(ENDS - timedelta(minutes=1))
    tick.run_once()
    assert asks(slack) == []  # not over yet
    clock.set(ENDS)
    tick.run_once()
    wait_until(lambda: asks(slack))
    [ask] = asks(slack)
    text = visible_text(ask)
    assert "How did it go?" in text and FUTURE["Title"] in text and "event #1" in text and "Tell us how it went" in text
    for _ in range(3):
        clock.advance(minutes=30)
        tick.run_once()
    assert len(asks(slack)) == 1 and len(outbox_rows(database, "report_ask")) == 1
    assert asks(slack, "U2") == []


def test_the_form_posts_the_report_in_the_cards_thread(bot, slack, database, clock):
    ask = over(bot, slack, database, clock)
    bot.click(ask, "report_open", user="U1", channel="DU1")
    form = bot.opened_view()
    assert form["title"]["text"] == "How did it go?"
    assert labels(form) == ["Turnout", "Press coverage links", "What the official said", "Photos link", "Next step"]
    assert bot.submit(form, REPORT, user="U1").body == ""  # the form closes
    card = slack.history("C1")[0]
    wait_until(lambda: slack.thread("C1", card["ts"]))
    [note] = slack.thread("C1", card["ts"])
    text = note["text"]
    assert "<@U1> reported how it went" in text and "*Turnout:* 45 people" in text
    assert "2 press hits: <https://news.example/modesto-canvass|link 1>, <https://tv.example/clip?id=7|link 2>" in text
    assert "Rep. Denham's staff &lt;!channel&gt; promised a meeting &amp; a reply" in text and "<!channel>" not in text
    assert "<https://photos.example/album/1|photos>" in text and "*Next step:* Town hall in March" in text

    # Hosts may come back to it: the form shows what was said, the thread the new version.
    bot.click(ask, "report_open", user="U1", channel="DU1")
    again = bot.opened_view()
    turnout = next(b["element"] for b in again["blocks"] if b.get("label", {}).get("text") == "Turnout")
    assert turnout["initial_value"] == "45"
    assert bot.submit(again, {"Turnout": 1, "Press coverage links": ""}, user="U1").body == ""
    wait_until(lambda: len(slack.thread("C1", card["ts"])) == 2)
    updated = slack.thread("C1", card["ts"])[1]["text"]
    assert "updated how it went" in updated and "*Turnout:* 1 person" in updated and "press" not in updated


def test_co_hosts_are_asked_too_and_may_report(bot, slack, database, clock):
    register(bot, {**FUTURE, "Co-hosts": ["U2"]})
    announced(database)
    clock.set(ENDS)
    dispatcher(slack, database, clock).run_once()
    wait_until(lambda: asks(slack, "U1") and asks(slack, "U2"))
    bot.click(asks(slack, "U2")[0], "report_open", user="U2", channel="DU2")
    assert bot.submit(bot.opened_view(), {"Turnout": 12}, user="U2").body == ""
    card = slack.history("C1")[0]
    wait_until(lambda: slack.thread("C1", card["ts"]))
    assert "<@U2> reported how it went" in slack.thread("C1", card["ts"])[0]["text"]


def test_the_form_refuses_what_is_not_a_number_or_a_link(bot, slack, database, clock):
    bot.click(over(bot, slack, database, clock), "report_open", user="U1", channel="DU1")
    form = bot.opened_view()
    reply = bot.submit(
        form,
        {"Turnout": "-3", "Press coverage links": "https://ok.example\nsee the Bee", "Photos link": "ftp://x"},
        user="U1",
    )
    errors = reply.json["errors"]
    assert reply.json["response_action"] == "errors"
    assert "number of people" in errors["turnout"] and "“see the Bee” isn't a link" in errors["press_links"]
    assert "https://" in errors["photos_url"]
    assert outbox_rows(database, "thread_note") == []


def test_only_hosts_and_admins_report(bot, slack, database, clock):
    ask = over(bot, slack, database, clock)
    bot.click(ask, "report_open", user="U2", channel="DU2")  # a forwarded DM, or a guessed button
    assert "Only the hosts of event #1 or a workspace admin" in visible_text(bot.responded()[0])
    assert len(slack.calls_to("views.open")) == 1  # only /event new's modal
    form_for_u1 = (bot.click(ask, "report_open", user="U1", channel="DU1"), bot.opened_view())[1]
    refused = bot.submit(form_for_u1, REPORT, user="U2")
    assert "Only the hosts of event #1" in refused.json["errors"]["turnout"]
    bot.command("/event", "report 1", user="UADMIN")
    assert bot.opened_view()["title"]["text"] == "How did it go?"


def test_report_command_before_the_event_is_refused(bot, slack, database, clock):
    register(bot)
    bot.command("/event", "report 1", user="U1")
    assert "hasn't started yet" in visible_text(bot.responded()[0])
    assert "Which event?" in bot.command("/event", "report", user="U1").text


def test_cancelled_events_get_no_report_dm(bot, slack, database, clock):
    register(bot)
    register(bot, {**FUTURE, "Title": "Cancelled canvass"})
    announced(database, 2)
    bot.command("/event", "cancel 2", user="U1")
    bot.responded()
    clock.set(ENDS + timedelta(hours=1))
    dispatcher(slack, database, clock).run_once()
    wait_until(lambda: asks(slack))
    assert [visible_text(a).count("Cancelled canvass") for a in asks(slack)] == [0]
    assert {r.event_id for r in outbox_rows(database, "report_ask")} == {1}


WEEK = "National Week of Action: #WhereRTheRefugees"


def test_campaign_report_posts_what_the_reports_add_up_to(bot, slack, database, clock):
    """Three events of the week in two states, two reports: posted in the channel it is asked in."""
    register(bot, {**FUTURE, "Campaign": WEEK})  # Modesto, CA
    register(bot, {**FUTURE, "Title": "Fresno vigil", "City": "Fresno", "Campaign": WEEK})
    register(bot, {**FUTURE, "Title": "Denver rally", "City": "Denver", "State": "CO", "Campaign": WEEK})
    register(bot, {**FUTURE, "Title": "Not in the week", "State": "TX", "Campaign": "No campaign"})
    for event_id in (1, 2, 3, 4):
        announced(database, event_id)
    clock.set(ENDS)
    dispatcher(slack, database, clock).run_once()
    wait_until(lambda: len(asks(slack)) == 4)
    for ask, answers in zip(
        asks(slack),
        (
            {"Turnout": 1200, "Press coverage links": "\n".join(f"https://news.example/{n}" for n in range(9))},
            {
                "Turnout": 150,
                "Press coverage links": "https://news.example/fresno\nhttps://tv.example/fresno\nhttps://radio.example/f",
            },
        ),
        strict=False,
    ):  # only the first two hosts report
        bot.click(ask, "report_open", user="U1", channel="DU1")
        assert bot.submit(bot.opened_view(), answers, user="U1").body == ""

    reply = bot.command("/campaign", "report where r the refugees", user="U2", channel="C9")
    assert reply.status == 200 and reply.body == ""  # nothing but the post in the channel
    wait_until(lambda: slack.history("C9"))
    [post] = slack.history("C9")
    summary = (
        ":bar_chart: *National Week of Action: #WhereRTheRefugees*: "
        "3 events in 2 states, 1,350 people, 12 press hits.\n_From the reports of 2 of 3 events._"
    )
    assert post["text"] == summary and [b["text"]["text"] for b in post["blocks"]] == [summary]
    in_a_dm = bot.command("/campaign", "report #WhereRTheRefugees", user="U2", channel="DU2").text
    assert "3 events in 2 states, 1,350 people, 12 press hits" in in_a_dm
    assert "Which campaign?" in bot.command("/campaign", "report").text
    assert "I don't know the campaign “nothing like it”" in bot.command("/campaign", "report nothing like it").text


def test_totals_read_as_the_coalition_says_them():
    assert (
        totals_line(Totals(events=42, states=19, reports=30, people=1350, press_hits=12))
        == "42 events in 19 states, 1,350 people, 12 press hits"
    )
    assert (
        totals_line(Totals(events=1, states=1, reports=1, people=1, press_hits=1))
        == "1 event in 1 state, 1 person, 1 press hit"
    )
    assert (
        totals_line(Totals(events=3, states=0, reports=0, people=0, press_hits=0)) == "3 events, 0 people, 0 press hits"
    )
    assert totals_text("Week of Action <!here>", Totals(events=2, states=1, reports=1, people=20, press_hits=0)) == (
        ":bar_chart: *Week of Action &lt;!here&gt;*: 2 events in 1 state, 20 people, 0 press hits.\n"
        "_From the reports of 1 of 2 events._"
    )
