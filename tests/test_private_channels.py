"""An event announced in a private channel stays there: listed, shown and digested only in that
channel and to its creator and admins, and never public."""

from __future__ import annotations

from driver import visible_text
from schedhelp import announced
from storage import events as queries
from test_events_e2e import FUTURE, register

PRIVATE = "CPRIV"
SECRET = "Strategy meeting with legal observers"


def _register_private(bot, slack):
    slack.private_channels.add(PRIVATE)
    register(bot, {**FUTURE, "Title": SECRET, "Announce in channel": PRIVATE, "Start date": "2026-11-25"})


def test_a_private_channels_event_is_not_public_and_hides_the_contact(bot, slack, database):
    _register_private(bot, slack)
    [card] = bot.posted(channel=PRIVATE)
    assert SECRET in visible_text(card) and "jeremy@siren-bayarea.org" not in visible_text(card)
    with database.read() as session:
        event = queries.get_event(session, "T0TEST", 1)
    assert event.private_channel and not event.is_public


def test_lists_show_it_only_in_its_channel_and_to_its_creator(bot, slack, database):
    _register_private(bot, slack)
    assert SECRET not in bot.command("/event", "list", user="U2", channel="C1").text
    assert SECRET in bot.command("/event", "list", user="U2", channel=PRIVATE).text
    assert SECRET in bot.command("/event", "list", user="U1", channel="C1").text


def test_show_does_not_admit_it_exists_elsewhere(bot, slack, database):
    _register_private(bot, slack)
    assert "There is no event #1" in bot.command("/event", "show 1", user="U2", channel="C1").text
    bot.command("/event", "show 1", user="U2", channel=PRIVATE)
    assert SECRET in visible_text(bot.responded()[0])


def test_digests_carry_it_only_in_its_own_channel(bot, slack, database):
    _register_private(bot, slack)
    announced(database)
    register(bot, {**FUTURE, "Title": "Public rally", "Start date": "2026-11-26"})
    bot.command("/digest", "now", channel="C7")
    bot.command("/digest", "now", channel=PRIVATE)
    bot.posted(4)
    elsewhere = visible_text(slack.history("C7")[-1])
    assert "Public rally" in elsewhere and SECRET not in elsewhere
    assert SECRET in visible_text(slack.history(PRIVATE)[-1])


def test_when_slack_is_too_slow_to_say_the_event_is_saved_as_private_within_3_s(bot, slack, database):
    """The privacy check runs before the ack: it gives up in time and takes the safe side."""
    import time

    slack.set_latency("conversations.info", 5)
    started = time.monotonic()
    reply = register(bot, {**FUTURE, "Title": SECRET})
    assert reply.body == "" and time.monotonic() - started < 3
    with database.read() as session:
        event = queries.get_event(session, "T0TEST", 1)
    assert event.private_channel and not event.is_public


def test_a_campaigns_page_shows_and_counts_it_only_in_its_channel_and_to_its_creator(bot, slack, database):
    slack.private_channels.add(PRIVATE)
    register(
        bot,
        {
            **FUTURE,
            "Title": SECRET,
            "Announce in channel": PRIVATE,
            "Campaign": "NNIRR: We Rise Up for Immigrant and Refugee Justice",
        },
    )
    elsewhere = bot.command("/campaign", "show nnirr", user="U2", channel="C1").text
    assert SECRET not in elsewhere and "*Events*\n0" in elsewhere
    for user, channel in (("U2", PRIVATE), ("U1", "C1")):
        shown = bot.command("/campaign", "show nnirr", user=user, channel=channel).text
        assert SECRET in shown and "*Events*\n1" in shown
