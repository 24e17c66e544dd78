"""The app over Socket Mode, end to end: Bolt's SocketModeHandler against a loopback Slack.

Commands, modals and events travel as envelopes over a real WebSocket and the app's acks come
back on it; the app's Web API calls go to the fake Slack. Checked as a user sees them.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from driver import event_callback, visible_text
from test_events_e2e import FUTURE, register

USAGES = ("/event new", "/event list", "/event show 12", "/event edit 12", "/event cancel 12")


def test_event_help_is_acked_with_the_usage(socket_bot):
    reply = socket_bot.command("/event", "help")
    for usage in USAGES:
        assert usage in reply.text


def test_help_reads_the_same_over_http_and_socket_mode(any_bot):
    reply = any_bot.command("/event", "help")
    assert reply.status == 200 and all(usage in reply.text for usage in USAGES)
    assert "I don't know `/event frobnicate`" in any_bot.command("/event", "frobnicate").text


def test_a_modal_submitted_over_the_socket_announces_the_card(socket_bot):
    reply = register(socket_bot)
    assert reply.status == 200 and reply.body == ""  # the ack closes the modal
    [post] = socket_bot.posted(channel="C1")
    card = visible_text(post)
    assert "Modesto: #WeAreAllAmerica Canvass and Rally" in card and "4701 Sisk Road, Modesto, CA 95356" in card
    listing = socket_bot.command("/event", "list")
    assert "#1 Modesto: #WeAreAllAmerica Canvass and Rally" in listing.text


def test_invalid_input_comes_back_in_the_ack_as_errors_under_the_field(socket_bot):
    reply = register(socket_bot, {**FUTURE, "Start date": "2026-11-20"})
    assert reply.json["response_action"] == "errors"
    assert "in the past" in reply.json["errors"]["start_date"]
    assert socket_bot.slack.history("C1") == []


def test_a_burst_of_50_commands_is_acked_within_slacks_3_seconds(socket_bot):
    def list_events(n: int) -> tuple[float, str]:
        started = time.monotonic()
        reply = socket_bot.command("/event", "list", user=f"U{n}")
        return time.monotonic() - started, reply.text

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(list_events, range(50)))
    slowest = max(seconds for seconds, _ in answers)
    assert slowest < 3.0, f"slowest ack took {slowest:.2f}s"
    assert all("No upcoming events" in text for _, text in answers)


def test_after_slack_asks_for_a_refresh_the_client_reconnects_by_itself(socket_bot, socket_mode_server, slack):
    socket_mode_server.disconnect("refresh_requested")
    reply = socket_bot.command("/event", "help")  # delivered on the new connection
    assert all(usage in reply.text for usage in USAGES)
    assert socket_mode_server.connections_opened == 2
    assert len(slack.calls_to("apps.connections.open")) == 2  # a new URL: tickets are single-use


def test_after_a_dropped_connection_the_client_reconnects_by_itself(socket_bot, socket_mode_server, slack):
    socket_mode_server.drop()
    socket_mode_server.wait_connected(opened=2, timeout=10)  # within a few of the client's pings
    reply = socket_bot.command("/event", "help")
    assert all(usage in reply.text for usage in USAGES)
    assert len(slack.calls_to("apps.connections.open")) == 2


@pytest.mark.parametrize(
    "garbage",
    [
        "not json at all",
        "{broken",
        json.dumps({"type": "slash_commands"}),  # no envelope id, no payload
        json.dumps({"type": "slash_commands", "envelope_id": "e1", "payload": {"command": "/event"}}),  # nobody sent it
        json.dumps({"type": "interactive", "envelope_id": "e2", "payload": {"type": "block_actions"}}),
    ],
)
def test_garbage_envelopes_do_not_crash_the_client(socket_bot, socket_mode_server, garbage):
    socket_mode_server.send_raw(garbage)
    reply = socket_bot.command("/event", "help")
    assert all(usage in reply.text for usage in USAGES)
    # Nothing was acked for the garbage: the app answers only what Slack really sent.
    assert [ack["envelope_id"] for ack in socket_mode_server.received if ack.get("envelope_id") in ("e1", "e2")] == []
    assert socket_mode_server.connections_opened == 1


def test_events_the_bot_does_not_act_on_are_acknowledged_so_slack_does_not_retry(bot, socket_mode_server, socket_bot):
    for event_type in ("app_mention", "app_home_opened", "app_uninstalled", "tokens_revoked"):
        event = {"user": "U1", "channel": "C1", "text": "<@UBOT> hi", "ts": "1.000001"}
        assert bot.event(event_type, event).status == 200  # over HTTP
        ack = socket_mode_server.send(
            "events_api", event_callback(event_type, event), retry_attempt=1, retry_reason="timeout", timeout=2
        )
        assert ack.seconds < 2
