"""The HTTP surface as Slack and load balancers use it, including the real command line."""

from __future__ import annotations

import http.client
import json
import logging
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from slack_bolt.request import BoltRequest

from bot.app import Transport, create_app, make_services
from bot.server import MAX_BODY_BYTES, SLACK_PATH, Throttle, make_server
from bot.settings import WebCapacity, load_settings
from conftest import bot_env, serving
from driver import SlackDriver, post, sign
from environment import process_env
from fakeslack import TEAM_ID
from messages.errors import something_went_wrong

ROOT = Path(__file__).resolve().parent.parent


def test_bad_or_stale_signatures_are_rejected(bot):
    body = "command=/event&text=list&team_id=T0TEST&user_id=U1"
    assert (
        post(bot.url, body, {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"}).status
        == 401
    )
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
    reply = bot.click(
        {"blocks": [{"type": "actions", "elements": [{"type": "button", "action_id": "event_edit", "value": "abc"}]}]},
        "event_edit",
    )
    assert reply.status == 200
    assert "can't find that event" in bot.responded()[0]["text"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.processes
@pytest.mark.parametrize("command", [["web"], []], ids=["web", "run"])
def test_the_real_process_serves_healthz_and_commands(slack, tmp_path, command):
    """The real entry point in a real process, configured only through the environment.

    `organizer-bot` (run) migrates by itself and hosts the scheduler; `web` relies on `db upgrade`.
    """
    port = _free_port()
    env = process_env(**bot_env(slack, f"sqlite:///{tmp_path / 'bot.db'}"), PORT=str(port))
    if command == ["web"]:
        env["SLACK_APP_TOKEN"] = "xapp-1-A0TEST-1-abc"  # `web` serves HTTP, and checks signatures, all the same
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, cwd=tmp_path, check=True, timeout=60)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *command], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
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
        body = (
            "command=%2Fevent&text=list&team_id=T0TEST&user_id=U1&channel_id=C1&trigger_id=t&response_url="
            + slack.response_url()
        )
        reply = post(f"http://127.0.0.1:{port}/slack/events", body, sign(body))
        assert reply.status == 200 and "No upcoming events" in reply.text
        assert post(f"http://127.0.0.1:{port}/slack/events", body, {}).status == 401
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/events", timeout=5) as page:  # the public site, same port
            assert page.status == 200 and b"Find an event near you" in page.read()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


@pytest.mark.processes
def test_starting_without_a_token_says_what_is_missing(tmp_path):
    env = process_env()
    result = subprocess.run(
        [sys.executable, "-m", "bot"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr and "https://api.slack.com/apps" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.processes
def test_manifest_command_prints_json(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "manifest", "--url", "https://x.example"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and '"request_url": "https://x.example/slack/events"' in result.stdout


# --- the front door ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, headers",
    [
        ("payload=%5B1%5D", {}),  # Bolt's parser raised on this before any signature check
        ("payload=%5B1%5D", {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}),
        ("command=/event", {"X-Slack-Request-Timestamp": "²", "X-Slack-Signature": "v0=00"}),
        ('{"a":' * 50_000 + "1" + "}" * 50_000, {}),
    ],
    ids=["unsigned", "timestamp abc", "timestamp ²", "deep nesting"],
)
def test_unsigned_junk_is_refused_before_anything_parses_it(bot, caplog, body, headers):
    assert post(bot.url, body, headers).status == 401
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) <= 1 and all(r.exc_info is None and "401" in r.getMessage() for r in warnings)


def test_signed_json_that_is_not_slacks_is_a_400(bot):
    for body in (
        "payload=[1]",
        'payload={"type":"block_actions","user":{"id":"U1"},"actions":"x"}',
        "[" * 5000 + "]" * 5000,
    ):
        reply = post(bot.url, body, sign(body))
        assert reply.status == 400, (body[:40], reply)


def _raw(
    url: str, method: str, path: str, headers: dict[str, str], chunks: list[bytes] = ()
) -> http.client.HTTPResponse:
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request(
        method, path, body=iter(chunks) if chunks else None, headers=headers, encode_chunked=bool(chunks)
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_an_oversize_body_is_refused_without_being_read(bot):
    """Declared too big: 413 from the headers alone. Chunked: 413 once past the limit."""
    declared = _raw(bot.url, "POST", SLACK_PATH, {"Content-Length": str(10 * MAX_BODY_BYTES)})  # the body never comes
    assert declared.status == 413
    chunked = _raw(
        bot.url, "POST", SLACK_PATH, {"Transfer-Encoding": "chunked"}, [b"x" * 65536] * (MAX_BODY_BYTES // 65536 + 1)
    )
    assert chunked.status == 413


def test_other_paths_are_404_and_other_methods_405(bot):
    assert _raw(bot.url, "GET", "/nothing-here", {}).status == 404
    assert _raw(bot.url, "POST", "/slack/events/x", {}).status == 404
    home = _raw(bot.url, "GET", "/", {})
    assert home.status == 302 and home.getheader("Location") == "/events"  # the public site's front page
    wrong = _raw(bot.url, "GET", SLACK_PATH, {})
    assert wrong.status == 405 and wrong.getheader("Allow") == "POST"
    wrong = _raw(bot.url, "POST", "/healthz", {"Content-Length": "0"})
    assert wrong.status == 405 and wrong.getheader("Allow") == "GET, HEAD"


@pytest.mark.parametrize("transport, status", [(Transport.HTTP, 401), (Transport.SOCKET_MODE, 200)])
def test_the_transport_alone_decides_whether_bolt_checks_signatures(slack, database, transport, status):
    """An app token in the environment must not turn signature checks off over HTTP."""
    settings = load_settings({**bot_env(slack, database.url), "SLACK_APP_TOKEN": "xapp-1-A0TEST-1-abc"})
    app = create_app(settings, make_services(settings, database), transport=transport)
    body = f"command=%2Fevent&text=help&team_id={TEAM_ID}&user_id=U1&channel_id=C1"
    unsigned = BoltRequest(
        body=body, headers={"x-slack-request-timestamp": str(int(time.time())), "x-slack-signature": "v0=00"}
    )
    assert app.dispatch(unsigned).status == status


# --- the global error handler ----------------------------------------------------------------

SECRET_TEXT = "sara@example.org"  # user text a listener fails on: it must not reach the log


@pytest.fixture
def failing_bot(slack, database, clock):
    """The real app plus listeners that fail, the way a listener bug would."""
    settings = load_settings(bot_env(slack, database.url))
    app = create_app(settings, make_services(settings, database, now=clock), transport=Transport.HTTP)

    @app.command("/explode")
    def explode_before_ack(command):
        raise ValueError(command["text"])

    @app.action("explode_after_ack")
    def explode_after_ack(ack, action):
        ack()
        raise ValueError(action["value"])

    @app.view("explode_form")
    def explode_on_submit(view):
        raise KeyError(view["private_metadata"])

    with serving(app, database) as url:
        yield SlackDriver(url, slack)


def _one_warning(caplog) -> str:
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert warnings[0].exc_info is None
    message = warnings[0].getMessage()
    assert SECRET_TEXT not in message and "\n" not in message
    return message


def test_a_command_that_fails_gets_an_apology_and_one_log_line(failing_bot, caplog):
    reply = failing_bot.command("/explode", SECRET_TEXT)
    assert reply.status == 200 and reply.text == something_went_wrong()
    assert _one_warning(caplog) == (
        "listener failed: ValueError at tests/test_http.py:"
        f"{explode_line('explode_before_ack')} in explode_before_ack on '/explode' None team='T0TEST' user='U1'"
    )


def test_a_button_whose_listener_fails_after_its_ack_is_still_acked(failing_bot, caplog):
    button = {
        "type": "actions",
        "elements": [{"type": "button", "action_id": "explode_after_ack", "value": SECRET_TEXT}],
    }
    reply = failing_bot.click({"blocks": [button]}, "explode_after_ack")
    assert reply.status == 200  # Bolt alone answers 404, 3 s late: its runner unsets the ack on failure
    assert failing_bot.responded()[0]["text"] == something_went_wrong()
    assert _one_warning(caplog).startswith("listener failed: ValueError at tests/test_http.py:")


def test_a_form_whose_listener_fails_stays_open_with_the_apology(failing_bot, caplog):
    view = {
        "type": "modal",
        "callback_id": "explode_form",
        "private_metadata": SECRET_TEXT,
        "title": {"type": "plain_text", "text": "x"},
        "blocks": [
            {
                "type": "input",
                "block_id": "title",
                "label": {"type": "plain_text", "text": "Title"},
                "element": {"type": "plain_text_input", "action_id": "title"},
            }
        ],
    }
    reply = failing_bot.submit(view, {"Title": "Rally"})
    assert reply.status == 200 and reply.json == {
        "response_action": "errors",
        "errors": {"title": something_went_wrong()},
    }
    assert _one_warning(caplog).startswith("listener failed: KeyError at tests/test_http.py:")


def test_a_request_no_listener_takes_is_one_log_line(bot, caplog):
    button = {"type": "actions", "elements": [{"type": "button", "action_id": "nobody_listens", "value": "1"}]}
    assert bot.click({"blocks": [button]}, "nobody_listens").status == 404
    assert _one_warning(caplog) == "no listener for 'block_actions' 'nobody_listens' team='T0TEST' user='U1'"


def explode_line(name: str) -> int:
    source = Path(__file__).read_text().splitlines()
    start = next(i for i, line in enumerate(source) if line.strip().startswith(f"def {name}("))
    return start + 2  # the raise is the function's first line


# --- logs and capacity -------------------------------------------------------------------------


def test_a_repeated_warning_is_throttled_and_counted():
    now = [0.0]
    throttle = Throttle(interval=60, clock=lambda: now[0])

    def record() -> logging.LogRecord:
        return logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1, "Task queue depth is %d", (3,), None)

    passed = []
    for second in range(0, 130, 1):
        now[0] = float(second)
        entry = record()
        if throttle.filter(entry):
            passed.append(entry.getMessage())
    assert passed == [
        "Task queue depth is 3",
        "Task queue depth is 3 (and 59 more like it in the last 60 s)",
        "Task queue depth is 3 (and 59 more like it in the last 60 s)",
    ]


def test_the_server_is_sized_from_the_settings(database):
    capacity = WebCapacity(threads=7, connection_limit=300, backlog=99)
    server = make_server(object(), 0, "127.0.0.1", signing_secret="s", capacity=capacity)
    try:
        assert (server.adj.threads, server.adj.connection_limit, server.adj.backlog) == (7, 300, 99)
        assert server.adj.max_request_body_size == MAX_BODY_BYTES + 1
    finally:
        server.close()


def test_a_nul_typed_into_a_command_is_refused_with_400(bot, database):
    fields = {
        "command": "/toolkit",
        "text": "bring\x00water",
        "team_id": "T0TEST",
        "user_id": "U1",
        "channel_id": "C1",
        "trigger_id": "t",
        "response_url": bot.slack.response_url(),
    }
    body = urllib.parse.urlencode(fields)
    assert post(bot.url, body, sign(body)).status == 400


@pytest.mark.parametrize("text", ["bring\x00water", "half a pair \ud800"])
def test_text_slack_could_never_send_is_refused_with_400(bot, database, text):
    """A NUL or a lone surrogate (JSON can spell one: \\ud800) was not typed in Slack, and
    neither PostgreSQL nor Slack would store it."""
    payload = json.dumps(
        {
            "type": "block_actions",
            "team": {"id": "T0TEST"},
            "user": {"id": "U1"},
            "actions": [{"action_id": "toolkit_open_0", "value": text, "type": "button"}],
        }
    )
    body = urllib.parse.urlencode({"payload": payload})
    assert post(bot.url, body, sign(body)).status == 400
