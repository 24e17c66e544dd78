"""No user input can ping a channel or disguise a link, whatever command it goes through."""

from __future__ import annotations

import json
import time

import pytest

HOSTILE = "<!channel> & <https://evil.example|vote> <@U999>"
RAW_MARKUP = ("<!channel>", "<https://evil.example", "<@U999>")

COMMANDS = [
    ("/event", HOSTILE),
    ("/event", f"list {HOSTILE}"),
    ("/event", f"show {HOSTILE}"),
    ("/event", f"cancel {HOSTILE}"),
    ("/toolkit", HOSTILE),
    ("/toolkit", f"add {HOSTILE}"),
    ("/posts", HOSTILE),
    ("/posts", f"tweets {HOSTILE}"),
    ("/posts", f"facebook @{HOSTILE}"),
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
