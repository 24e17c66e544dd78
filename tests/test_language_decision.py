"""How the language of a request is decided, end to end: from the person's Slack locale or their
own choice, and never by waiting for Slack before the ack: someone the bot has not seen yet is
answered in English while their profile is fetched, then in their language."""

from __future__ import annotations

import time

from environment import scaled
from services import languages


def known(bot, slack, services, user: str) -> None:
    """`user` makes a first request, and the bot learns their Slack profile meanwhile."""
    bot.command("/event", "language", user=user)
    deadline = time.monotonic() + scaled(5)
    while not any(call.get("user") == user for call in slack.calls_to("users.info")):
        assert time.monotonic() < deadline, f"users.info was never asked about {user}"
        time.sleep(0.01)
    while services.users.last_known("T0TEST", user) is None:
        assert time.monotonic() < deadline, f"the profile of {user} was never kept"
        time.sleep(0.01)


def test_a_person_is_answered_in_the_language_of_their_slack(bot, slack, services):
    slack.add_user("U7", locale="es-LA")
    known(bot, slack, services, "U7")
    assert "Te hablo en español, el idioma de tu Slack" in bot.command("/event", "language", user="U7").text
    known(bot, slack, services, "U1")
    assert "I speak to you in English, the language of your Slack" in bot.command("/event", "language", user="U1").text


def test_the_first_answer_never_waits_for_slack(bot, slack):
    slack.add_user("U7", locale="es-LA")
    slack.set_latency("users.info", 2.0)  # a slow Slack must cost nobody an ack
    started = time.monotonic()
    reply = bot.command("/event", "language", user="U7")
    assert time.monotonic() - started < 1.0
    assert reply.status == 200 and "I speak to you in English" in reply.text


def test_their_own_choice_wins_over_slack_and_can_be_undone(bot, slack, services):
    slack.add_user("U7", locale="en-US")
    languages.choose_for_person(services, "T0TEST", "U7", "es")
    assert "como elegiste" in bot.command("/event", "language", user="U7").text
    languages.choose_for_person(services, "T0TEST", "U7", None)
    assert "the language of your Slack" in bot.command("/event", "language", user="U7").text


def test_the_locale_is_asked_of_slack_once_and_remembered(bot, slack, services):
    slack.add_user("U7", locale="es-ES")
    known(bot, slack, services, "U7")
    for _ in range(3):
        assert "Te hablo en español" in bot.command("/event", "language", user="U7").text
    asked = [call for call in slack.calls_to("users.info") if call.get("user") == "U7"]
    assert len(asked) == 1 and asked[0].get("include_locale") in (True, "true", "1")


def test_when_slack_is_too_slow_to_say_the_answer_comes_in_english_in_time(bot, slack):
    slack.add_user("U7", locale="es-LA")
    slack.set_latency("users.info", 5.0)
    started = time.monotonic()
    reply = bot.command("/event", "language", user="U7")
    assert time.monotonic() - started < 3.0
    assert reply.status == 200 and "I speak to you in English" in reply.text


def test_a_request_without_a_person_needs_no_language(bot, slack):
    reply = bot.event("app_uninstalled", {"type": "app_uninstalled"})
    assert reply.status == 200
    assert slack.calls_to("users.info") == []
