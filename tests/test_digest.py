"""`/digest`: subscription, daily timing across DST, content, splitting, quiet weeks; and the time math under it."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from driver import assert_valid_blocks, visible_text
from schedhelp import add_event, dispatcher
from services import imports
from storage import digests
from storage.models import Event
from timemath import UTC, first_valid_instant, next_local_run, to_local


def test_first_valid_instant_moves_spring_forward_gap_to_the_change():
    moved = first_valid_instant(date(2027, 3, 14), time(2, 30), "America/Chicago")
    assert moved == datetime(2027, 3, 14, 8, 0, tzinfo=UTC)  # 03:00 CDT, the first instant that exists
    # The repeated hour when clocks fall back: the first occurrence (still CDT).
    assert first_valid_instant(date(2026, 11, 1), time(1, 30), "America/Chicago") == datetime(
        2026, 11, 1, 6, 30, tzinfo=UTC
    )


def test_next_local_run_is_one_per_local_day_across_both_changes():
    for start in (datetime(2026, 10, 30, tzinfo=UTC), datetime(2027, 3, 12, tzinfo=UTC)):
        runs, at = [], start
        for _ in range(5):
            at = next_local_run(time(2, 30), "America/Chicago", at)
            runs.append(to_local(at, "America/Chicago"))
        assert [r.date() for r in runs] == [runs[0].date() + timedelta(days=n) for n in range(5)]
        assert all((r.hour, r.minute) in ((2, 30), (3, 0)) for r in runs)


def test_subscribe_help_and_friendly_errors(bot, database, clock):
    assert "/digest subscribe 08:00 quiet" in bot.command("/digest", "help").text
    assert "isn't a time of day" in bot.command("/digest", "subscribe 25:00").text
    assert "HH:MM" in bot.command("/digest", "subscribe noonish").text
    assert "don't know `/digest frobnicate`" in bot.command("/digest", "frobnicate").text
    assert "has no daily digest" in bot.command("/digest", "unsubscribe", channel="C7").text


def test_subscribe_uses_the_subscribers_time_zone_and_default_time(bot, database, clock):
    bot.command("/digest", "subscribe", user="U1", channel="C7")  # U1 is in America/Chicago
    [reply] = bot.responded()
    assert "every day at *08:00* (America/Chicago)" in reply["text"]
    with database.session() as session:
        sub = digests.get_digest(session, "T0TEST", "C7")
    # Clock: Sat Nov 21 2026 15:00 UTC = 09:00 CST, so the next one is Sunday 08:00 CST.
    assert sub.next_run_at == datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
    assert (sub.local_time, sub.timezone, sub.quiet) == ("08:00", "America/Chicago", False)
    assert "Done: no more daily digest" in bot.command("/digest", "unsubscribe", channel="C7").text


@pytest.mark.parametrize(
    "start",
    [datetime(2026, 10, 29, 12, tzinfo=UTC), datetime(2027, 3, 11, 12, tzinfo=UTC)],
    ids=["fall-back", "spring-forward"],
)
def test_exactly_one_digest_per_local_day_at_8_across_dst(bot, database, clock, slack, start):
    clock.set(start)
    bot.command("/digest", "subscribe 08:00", user="U1", channel="C7")
    bot.responded()
    add_event(database, clock(), start + timedelta(days=3), channel="C1", title="Town hall on detention", kinds=())
    run = dispatcher(slack, database, clock)
    posted_at = []
    digests_posted = lambda: len([p for p in slack.calls_to("chat.postMessage") if p["channel"] == "C7"])  # noqa: E731
    for _ in range(6 * 24 * 2):  # six days, every half hour
        before = digests_posted()
        run.run_once()
        if digests_posted() > before:
            posted_at.append(to_local(clock(), "America/Chicago"))
        clock.advance(minutes=30)
    assert [(p.hour, p.minute) for p in posted_at] == [(8, 0)] * 6
    assert len({p.date() for p in posted_at}) == 6
    assert {p.utcoffset() for p in posted_at} == {timedelta(hours=-5), timedelta(hours=-6)}  # it did cross a change
    first = slack.calls_to("chat.postMessage")[0]
    assert first["channel"] == "C7" and "Town hall on detention" in visible_text(first)


def test_digest_content_grouped_by_day_with_links(bot, database, clock, slack):
    now = clock()  # Sat Nov 21 2026 15:00 UTC
    add_event(
        database,
        now,
        datetime(2026, 11, 23, 18, tzinfo=UTC),
        title="Rally <at> City Hall",
        event_type="rally",
        tz="America/Chicago",
        message_ts="1700000000.000100",
        permalink="https://test.slack.com/archives/C1/p1700000000000100",
    )
    add_event(database, now, datetime(2026, 11, 23, 23, tzinfo=UTC), title="Vigil", message_ts=None)
    add_event(database, now, datetime(2026, 11, 29, 18, tzinfo=UTC), title="Beyond the week")
    bot.command("/digest", "now", user="U1", channel="C7")
    [post] = slack.wait_for("chat.postMessage")
    text = visible_text(post)
    assert post["channel"] == "C7"
    assert "Coming up in the next 7 days* (2 actions)" in text
    assert "*Monday, Nov 23*" in text  # both on Monday in U1's Chicago time
    assert "<https://test.slack.com/archives/C1/p1700000000000100|Rally &lt;at&gt; City Hall>" in text
    assert "*Vigil* (`/event show 2`) · Springdale, AR" in text
    assert "• 12:00 PM CST <https://test.slack.com" in text  # under its day's heading: the time alone, where it happens
    assert "Beyond the week" not in text


def _crowded_week(database, now) -> None:
    from sqlalchemy import insert

    from storage.models import Event

    with database.session() as session:  # one every 20 minutes for 166 hours, no cards (no permalinks)
        session.execute(
            insert(Event),
            [
                dict(
                    team_id="T0TEST",
                    title=f"Action number {n:03d} " + "x" * 120,
                    event_type="rally",
                    all_day=False,
                    starts_at=now + timedelta(minutes=60 + 20 * n),
                    timezone="America/Chicago",
                    city="Springdale",
                    is_public=True,
                    channel_id=f"C{n}",
                    created_by="U1",
                    created_at=now,
                    updated_at=now,
                )
                for n in range(500)
            ],
        )


def _posted_text(post: dict) -> str:
    """The text of a post's blocks, as sent (links and date tokens count)."""
    return "\n".join(visible_text(post["blocks"]).split("\n"))


def test_a_big_week_is_one_post_that_says_how_many_more(bot, database, clock, slack):
    _crowded_week(database, clock())
    bot.command("/digest", "now", user="U1", channel="C7")
    [post] = slack.wait_for("chat.postMessage")
    assert_valid_blocks(post["blocks"])
    text = _posted_text(post)
    assert len(text) < 4000
    shown = sum(f"Action number {n:03d}" in text for n in range(500))
    assert 10 < shown < 500 and all(f"Action number {n:03d}" in text for n in range(shown))  # the soonest ones
    assert text.endswith(f"…and {500 - shown} more: `/event list` shows them all")
    assert "(500 actions)" in text
    clock.advance(seconds=2)
    assert slack.calls_to("chat.postMessage") == [post]  # one post, no parts


@pytest.mark.parametrize("extra_env", [{"PUBLIC_BASE_URL": "https://actions.example.org"}])
def test_and_n_more_links_to_the_public_list_where_there_is_one(bot, database, clock, slack, extra_env):
    _crowded_week(database, clock())
    bot.command("/digest", "now", user="U1", channel="C7")
    [post] = slack.wait_for("chat.postMessage")
    assert re.search(r"…and \d+ more: <https://actions\.example\.org/events\|see them all>$", _posted_text(post))


def test_the_demos_week_of_action_reads_in_one_post_its_campaign_said_once(bot, database, clock, slack, services):
    """Issue 25: 25 events were one post of 9,919 characters, each line repeating the campaign and its five hashtags."""
    report = imports.load_demo(services, "T0TEST", "U1")
    assert len(report.saved) == 25
    with database.session() as session:  # as the delivery worker leaves them once their cards are posted
        for event in session.scalars(select(Event)):
            event.permalink = f"https://coalition.slack.com/archives/C0ACTIONS01/p{1795000000000000 + event.id * 100}"
    bot.command("/digest", "now", user="U1", channel="C7")
    [post] = slack.wait_for("chat.postMessage")
    text = _posted_text(post)
    assert len(text) < 4000 and "more" not in text
    assert all(
        f"/p{1795000000000000 + event_id * 100}|" in text for event_id in report.saved
    )  # all 25, each a link to its card
    assert text.count("We Are All America Day of Congressional Action") == 1 and text.count("#NoBanNoWallNoRaids") == 1
    assert "|Rally and Prayer Vigil> · Phoenix, AZ" in text  # "Phoenix: #WeAreAllAmerica Rally and Prayer Vigil"
    lines = text.split("\n")
    days = [line for line in lines if re.fullmatch(r"\*\w+, Nov \d+\*", line)]
    assert len(days) == len(set(days)) >= 3  # each day said once


def test_an_empty_week_says_when_the_next_action_is(bot, database, clock, slack):
    add_event(database, clock(), datetime(2026, 12, 3, 18, tzinfo=UTC), title="Town hall after the week")
    bot.command("/digest", "now", user="U1", channel="C7")
    [post] = slack.wait_for("chat.postMessage")
    text = visible_text(post["blocks"])
    assert post["text"] == "Nothing in the next 7 days; the next action is on Thu, Dec 3, 2026"
    assert "*Nothing in the next 7 days.* The next action is on Thu, Dec 3, 2026:" in text
    assert "*Town hall after the week* (`/event show 1`) · Springdale, AR" in text and "`/event new`" in text


def test_an_empty_week_with_nothing_after_it_asks_for_an_action(bot, database, clock, slack):
    bot.command("/digest", "now", user="U1", channel="C7")
    [post] = slack.wait_for("chat.postMessage")
    assert "*Nothing planned yet after today.* Register an action with `/event new`." in visible_text(post["blocks"])


def test_the_week_holds_its_last_days_whole_and_what_is_on_now(bot, database, clock, slack):
    """At 09:00 on Saturday: an event next Saturday evening (7.5 days out) is in; so is a
    three-day event that began yesterday; the Sunday after is not."""
    now = clock()  # Sat Nov 21 2026 15:00 UTC, 09:00 in Chicago
    add_event(
        database, now, datetime(2026, 11, 29, 3, tzinfo=UTC), title="Saturday night vigil"
    )  # Nov 28, 21:00 Chicago
    add_event(database, now, datetime(2026, 11, 29, 15, tzinfo=UTC), title="Sunday after")
    on_now = add_event(database, now, now - timedelta(days=1), title="Three days of calls")
    with database.session() as session:
        session.get(Event, on_now).ends_at = now + timedelta(days=1)
    bot.command("/digest", "now", user="U1", channel="C7")
    [post] = slack.wait_for("chat.postMessage")
    text = visible_text(post["blocks"])
    assert "(2 actions)" in text and "Sunday after" not in text
    assert text.index("*Today, Nov 21*") < text.index("Three days of calls") < text.index("*Saturday, Nov 28*")
    assert text.index("*Saturday, Nov 28*") < text.index("Saturday night vigil")


def test_quiet_subscription_stays_silent_on_an_empty_week(bot, database, clock, slack):
    bot.command("/digest", "subscribe 08:00 quiet", user="U1", channel="C7")
    bot.command("/digest", "subscribe 9am", user="U1", channel="C8")
    bot.responded(2)
    clock.set(datetime(2026, 11, 22, 15, 1, tzinfo=UTC))  # after both 08:00 and 09:00 Chicago
    dispatcher(slack, database, clock).run_once()
    [post] = slack.calls_to("chat.postMessage")
    assert post["channel"] == "C8" and "No actions in the next 7 days" in visible_text(post)
    with database.session() as session:  # the quiet one still moved on to the next day
        assert digests.get_digest(session, "T0TEST", "C7").next_run_at == datetime(2026, 11, 23, 14, tzinfo=UTC)


def test_a_digest_long_overdue_is_dropped_not_doubled(bot, database, clock, slack):
    bot.command("/digest", "subscribe 08:00", user="U1", channel="C7")
    bot.responded()
    clock.set(datetime(2026, 11, 23, 13, 0, tzinfo=UTC))  # down for a day: Sunday's is 23 h late, Monday's due in 1 h
    run = dispatcher(slack, database, clock)
    run.run_once()
    assert slack.calls_to("chat.postMessage") == []
    clock.advance(hours=1)
    run.run_once()
    assert len(slack.calls_to("chat.postMessage")) == 1
