"""The HTTP surface as Slack and load balancers use it, including the real command line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import bot_env
from driver import post, sign

ROOT = Path(__file__).resolve().parent.parent


def test_bad_or_stale_signatures_are_rejected(bot):
    body = "command=/event&text=list&team_id=T0TEST&user_id=U1"
    assert post(bot.url, body, {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"}).status == 401
    assert post(bot.url, body, sign(body, int(time.time()) - 600)).status == 401
    assert post(bot.url, body, sign(body, secret="someone-else")).status == 401
    assert post(bot.url, body, {}).status == 401


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("payload=notjson", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ("command=/event&text=list", "application/x-www-form-urlencoded"),  # no team, no user
        ('payload={"type":"view_submission","view":{}}', "application/x-www-form-urlencoded"),
        ("", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_bodies_get_a_4xx_never_a_5xx(bot, body, content_type):
    reply = post(bot.url, body, sign(body), content_type)
    assert 400 <= reply.status < 500, (reply.status, reply.body)


def test_non_numeric_button_value_is_acked_without_error(bot, slack):
    reply = bot.click({"blocks": [{"type": "actions", "elements": [{"type": "button", "action_id": "event_edit", "value": "abc"}]}]}, "event_edit")
    assert reply.status == 200
    assert "can't find that event" in bot.responded()[0]["text"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", [["web"], []], ids=["web", "run"])
def test_the_real_process_serves_healthz_and_commands(slack, tmp_path, command):
    """The real entry point in a real process, configured only through the environment.

    `organizer-bot` (run) migrates by itself and hosts the scheduler; `web` relies on `db upgrade`.
    """
    port = _free_port()
    env = {**os.environ, **bot_env(slack, f"sqlite:///{tmp_path / 'bot.db'}"), "PORT": str(port)}
    if command == ["web"]:
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, cwd=tmp_path, check=True, timeout=60)
    process = subprocess.Popen([sys.executable, "-m", "bot", *command], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    assert response.read() == b"ok\n"
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                assert time.monotonic() < deadline, "the web process did not start listening"
                time.sleep(0.05)
        body = "command=%2Fevent&text=list&team_id=T0TEST&user_id=U1&channel_id=C1&trigger_id=t&response_url=" + slack.response_url()
        reply = post(f"http://127.0.0.1:{port}/slack/events", body, sign(body))
        assert reply.status == 200 and "No upcoming events" in reply.text
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_starting_without_a_token_says_what_is_missing(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run([sys.executable, "-m", "bot"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr and "https://api.slack.com/apps" in result.stderr
    assert "Traceback" not in result.stderr


def test_manifest_command_prints_json(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot", "manifest", "--url", "https://x.example"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and '"request_url": "https://x.example/slack/events"' in result.stdout
