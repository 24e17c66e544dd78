"""Change notices end to end: a new time or place is DMed to everyone going, old and new, their
reminders move with it, and the card's thread says so; other edits tell nobody by DM."""

from __future__ import annotations

from datetime import datetime

from driver import visible_text
from schedhelp import add_event, announced, by_kind, dispatcher, outbox_rows, reminders, wait_until
from services import outbox
from storage import events as queries
from test_events_e2e import FUTURE, register
from timemath import UTC

# Fri Dec 4 2026, 13:00-15:30 Pacific (21:00-23:30 UTC); a reminder 1 hour before.
EVENT = {**FUTURE, "Reminders": ["1 hour before"]}
OLD_WHEN = (
    "<!date^1796418000^{date_short_pretty} at {time}|Fri, Dec 4, 2026 at 1:00 PM PST> – "
    "<!date^1796427000^{time}|Fri, Dec 4, 2026 at 3:30 PM PST>"
)
OLD_WHERE = "4701 Sisk Road, Modesto, CA 95356"


def _going(bot, slack, database, *people):
    """Register the event, announce it, and have `people` click "I'm going" on its card."""
    register(bot, EVENT)
    announced(database)
    card = slack.messages["C1"][0]
    for n, person in enumerate(people, start=1):
        bot.click(card, "event_rsvp", user=person)
        slack.wait_for("chat.update", n)
    bot.responded(len(people))


def _edit(bot, answers, *, user="U1"):
    bot.command("/event", "edit 1", user=user)
    view = bot.opened_view()
    reply = bot.submit(view, answers, user=user)
    assert reply.body == "", reply.body
    return view


def _thread_note(slack):
    """The bot's one reply under the card (after waiting for it)."""
    card_ts = slack.messages["C1"][0]["ts"]
    wait_until(lambda: slack.thread("C1", card_ts))
    [note] = slack.thread("C1", card_ts)
    return note


def _delivered(slack, database, clock):
    dispatcher(slack, database, clock).run_once()  # returns once nothing queued is left in flight


def test_a_new_time_is_dmed_with_old_and_new_and_the_reminders_follow(bot, slack, database, clock):
    _going(bot, slack, database, "U2", "UADMIN")
    _edit(bot, {"Start time": "15:00", "End time": "17:00"})

    note = _thread_note(slack)["text"]
    new_when = (
        "<!date^1796425200^{date_short_pretty} at {time}|Fri, Dec 4, 2026 at 3:00 PM PST> – "
        "<!date^1796432400^{time}|Fri, Dec 4, 2026 at 5:00 PM PST>"
    )
    assert note == (
        f":pencil2: <@U1> updated this event.\n*When:* {new_when} (was {OLD_WHEN})\nI've told the 2 people going by DM."
    )
    for person in ("U2", "UADMIN"):
        dm = bot.direct_message(person)["text"]
        assert dm == (
            ":arrows_counterclockwise: :clipboard: *Modesto: #WeAreAllAmerica Canvass and Rally* (Canvass, event #1), "
            "which you're going to, has changed (<@U1> updated it):\n"
            f"*When:* {new_when} (was {OLD_WHEN})\n"
            "Reminders still to come move with it."
        )
        buttons = bot.direct_message(person)["blocks"][1]["elements"]
        assert [(b["text"]["text"], b.get("value")) for b in buttons] == [
            ("Can't make it", "1"),
            ("Open the card", None),
            ("Map", None),
        ]
        assert buttons[1]["url"].startswith("https://test.slack.com/archives/C1/p")
    _delivered(slack, database, clock)
    assert len(slack.dm("U2")) == 1 and slack.dm("U1") == []  # the editor needs no DM about their own edit

    moved = by_kind(reminders(database, 1), "user")["1h"]
    assert moved.due_at == datetime(2026, 12, 4, 22, 0, tzinfo=UTC) and moved.status == "pending"
    clock.set(datetime(2026, 12, 4, 20, 0, tzinfo=UTC))  # when the reminder was due before the edit
    _delivered(slack, database, clock)
    assert len(slack.dm("U2")) == 1
    clock.set(datetime(2026, 12, 4, 22, 0, tzinfo=UTC))
    _delivered(slack, database, clock)
    reminder = visible_text(slack.dm("U2")[-1])
    assert "starts in about 1 hour" in reminder and "Fri, Dec 4, 2026 at 3:00 PM PST" in reminder


def test_a_new_place_is_dmed_with_old_and_new_and_user_text_is_escaped(bot, slack, database, clock):
    _going(bot, slack, database, "U2")
    _edit(bot, {"Address": "<!channel> Hall & Annex", "Online link": "https://meet.example.org/modesto"})
    new_where = (
        "&lt;!channel&gt; Hall &amp; Annex, Modesto, CA 95356 · "
        "online at <https://meet.example.org/modesto|https://meet.example.org/modesto>"
    )
    dm = bot.direct_message("U2")["text"]
    assert f"*Where:* {new_where} (was {OLD_WHERE})" in dm
    assert "*When:*" not in dm and "Reminders" not in dm and "<!channel>" not in dm
    note = _thread_note(slack)["text"]
    assert f"*Where:* {new_where} (was {OLD_WHERE})" in note and "I've told the 1 person going by DM." in note
    assert by_kind(reminders(database, 1), "user")["1h"].due_at == datetime(2026, 12, 4, 20, 0, tzinfo=UTC)  # unmoved


def test_all_day_and_time_zone_changes_are_times_too(bot, slack, database):
    _going(bot, slack, database, "U2")
    _edit(
        bot,
        {
            "Start date": "2026-12-05",
            "Start time": None,
            "End time": None,
            "All day": ["All day (no start or end time)"],
            "Time zone": "America/Denver",
        },
    )
    dm = bot.direct_message("U2")["text"]
    assert f"*When:* Sat, Dec 5, 2026 (all day) (was {OLD_WHEN})" in dm


def test_an_edit_of_neither_time_nor_place_dms_nobody(bot, slack, database, clock):
    _going(bot, slack, database, "U2")
    _edit(bot, {"Title": "Modesto canvass", "Details": "Bring water."})
    assert _thread_note(slack)["text"] == ":pencil2: <@U1> updated this event."
    _delivered(slack, database, clock)
    assert slack.dm("U2") == []
    assert [r.args["notice"] for r in outbox_rows(database, outbox.NOTICE)] == []


def test_a_replayed_submission_sends_nothing_twice(bot, slack, database, clock):
    _going(bot, slack, database, "U2")
    view = _edit(bot, {"City": "Turlock", "ZIP code": "95380"})
    assert bot.submit(view, {"City": "Turlock", "ZIP code": "95380"}).body == ""  # Slack delivering it again
    _delivered(slack, database, clock)
    [dm] = slack.dm("U2")
    assert "*Where:* 4701 Sisk Road, Turlock, CA 95380 (was 4701 Sisk Road, Modesto, CA 95356)" in dm["text"]
    assert len([p for p in slack.calls_to("chat.postMessage") if p.get("thread_ts")]) == 1  # one thread note


def test_a_co_hosts_edit_tells_those_going_who_changed_it(bot, slack, database):
    slack.add_user("U3")
    register(bot, {**EVENT, "Co-hosts": ["U2"]})
    announced(database)
    bot.click(slack.messages["C1"][0], "event_rsvp", user="U3")
    bot.responded()
    _edit(bot, {"Start date": "2026-12-11"}, user="U2")
    assert "has changed (<@U2> updated it)" in bot.direct_message("U3")["text"]


def test_a_change_notice_is_not_sent_once_the_event_is_cancelled(database, slack, clock):
    """Queued, then the event is cancelled before the worker gets to it: no "it changed" DM."""
    event_id = add_event(database, clock(), datetime(2026, 12, 4, 21, 0, tzinfo=UTC), going=["U2"])
    with database.session() as session:
        event = queries.get_event(session, "T0TEST", event_id)
        outbox.notice(
            session, "T0TEST", "U2", "event_changed", clock(), event_id=event_id, user="U1", before={}, after={}
        )
        event.cancelled_at, event.cancelled_by = clock(), "U1"
    _delivered(slack, database, clock)
    assert slack.dm("U2") == []
    assert [r.status for r in outbox_rows(database, outbox.NOTICE)] == ["cancelled"]
