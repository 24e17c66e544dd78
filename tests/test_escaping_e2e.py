"""No user input can ping a channel or disguise a link, whatever command it goes through."""

from __future__ import annotations

import json
import time

import pytest

from driver import visible_text
from test_campaigns_e2e import create
from test_events_e2e import FUTURE, register

HOSTILE = "<!channel> & <https://evil.example|vote> <@U999>"
RAW_MARKUP = ("<!channel>", "<https://evil.example", "<@U999>")

COMMANDS = [
    ("/event", HOSTILE),
    ("/event", f"list {HOSTILE}"),
    ("/event", f"show {HOSTILE}"),
    ("/event", f"cancel {HOSTILE}"),
    ("/event", f"list campaign {HOSTILE}"),
    ("/campaign", HOSTILE),
    ("/campaign", f"show {HOSTILE}"),
    ("/campaign", f"edit {HOSTILE}"),
    ("/toolkit", HOSTILE),
    ("/toolkit", f"add {HOSTILE}"),
    ("/posts", HOSTILE),
    ("/posts", f"tweets {HOSTILE}"),
    ("/posts", f"facebook @{HOSTILE}"),
    ("/congress", HOSTILE),
    ("/digest", HOSTILE),
    ("/digest", f"subscribe {HOSTILE}"),
]


@pytest.mark.parametrize("command, text", COMMANDS, ids=[f"{c} {t.split()[0]}" for c, t in COMMANDS])
def test_hostile_command_text_is_never_sent_raw(bot, slack, command, text):
    reply = bot.command(command, text)
    assert reply.status == 200
    if not reply.body:  # the answer comes after the ack
        _wait_for_an_answer(slack)
    time.sleep(0.1)  # anything else the listener does after its answer
    sent = [reply.body] + [json.dumps(call.args) for call in slack.calls]
    for markup in RAW_MARKUP:
        assert not any(markup in payload for payload in sent), (markup, [p for p in sent if markup in p])


def _wait_for_an_answer(slack, timeout: float = 5.0) -> None:
    answers = {"response_url", "chat.postMessage", "chat.postEphemeral", "views.open"}
    deadline = time.monotonic() + timeout
    while not any(call.method in answers for call in slack.calls):
        assert time.monotonic() < deadline, "the command never answered the user"
        time.sleep(0.01)


def test_a_hostile_campaign_is_shown_literally_wherever_it_appears(bot, slack):
    create(
        bot,
        {
            "Name": HOSTILE,
            "Description": HOSTILE,
            "Call to action": HOSTILE,
            "First day": "2026-12-01",
            "Last day": "2026-12-31",
        },
    )
    register(bot, {**FUTURE, "Campaign": HOSTILE})
    bot.posted()
    answers = [
        bot.command("/campaign", "list").body,
        bot.command("/campaign", "show channel evil example vote").body,
        bot.command("/event", "list campaign channel evil").body,
        bot.command("/event", "show 1").body,
    ]
    # Modals show the name as plain text (the event form's Campaign options): literal already.
    sent = answers + [json.dumps(call.args) for call in slack.calls if call.method != "views.open"]
    for markup in RAW_MARKUP:
        assert not any(markup in payload for payload in sent), markup
    options = [
        o
        for call in slack.calls_to("views.open")
        for b in call["view"]["blocks"]
        if b.get("block_id") == "campaign"
        for o in b["element"]["options"]
    ]
    assert {"type": "plain_text", "text": HOSTILE} in [o["text"] for o in options]
    assert "&lt;!channel&gt; &amp; &lt;https://evil.example|vote&gt;" in visible_text(
        slack.calls_to("chat.postMessage")[0]
    )
    assert "*&lt;!channel&gt; &amp;" in visible_text(json.loads(answers[1]))
