"""Starting the bot: the real console script against the fake Slack, as an operator meets it.

Every mistake an operator can make with the tokens, or a Slack that cannot be reached, stops
`run`, `web` and `clock` with exit code 2 and one line on stderr that names the fix.
"""

from __future__ import annotations

import http.server
import logging
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.app import Transport, create_app, make_services
from bot.logs import LOG_FORMAT, configure_logging
from bot.settings import load_settings
from bot.slackcheck import SlackAccessError, check_slack_access
from botprocess import BotProcess
from conftest import bot_env
from environment import process_env, scaled
from fakeslack import FakeSlack
from schedhelp import wait_until
from storage import Database

pytestmark = pytest.mark.processes  # real processes of the bot

CONSOLE_SCRIPT = Path(sys.executable).with_name("organizer-bot")


def start(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """`organizer-bot <args>` configured by `env` alone (and a .env in `cwd`, if any)."""
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args],
        env=process_env(**env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=scaled(60),
    )


def refused_with(result: subprocess.CompletedProcess) -> str:
    """The one line the bot stopped with."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("organizer-bot: "), result.stderr
    return lines[0]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", ["run", "web", "clock"])
def test_a_placeholder_token_is_named_without_asking_slack(slack, tmp_path, command):
    env = {**bot_env(slack, f"sqlite:///{tmp_path / 'bot.db'}"), "SLACK_BOT_TOKEN": "xoxb-your-bot-token"}
    line = refused_with(start(command, env=env, cwd=tmp_path))
    assert line == (
        "organizer-bot: SLACK_BOT_TOKEN is still a placeholder: paste the real token from "
        "https://api.slack.com/apps > your app > OAuth & Permissions > Bot User OAuth Token into .env"
    )
    assert slack.calls == []


@pytest.mark.parametrize(
    "error, expected",
    [
        (
            "token_revoked",
            "SLACK_BOT_TOKEN no longer works (token_revoked): reinstall the app (Install App > Reinstall to Workspace)",
        ),
        (
            "invalid_auth",
            "Slack does not accept SLACK_BOT_TOKEN (invalid_auth): copy it again, whole and without quotes",
        ),
        ("fatal_error", "Slack refused to check SLACK_BOT_TOKEN (fatal_error): try again in a minute"),
    ],
)
def test_a_token_slack_refuses_stops_the_start(slack, tmp_path, error, expected):
    slack.fail_next("auth.test", error)
    line = refused_with(start("web", env=bot_env(slack, f"sqlite:///{tmp_path / 'bot.db'}"), cwd=tmp_path))
    assert line.startswith(f"organizer-bot: {expected}")
    assert [c.method for c in slack.calls] == ["auth.test"]


def test_an_unreachable_slack_stops_the_listeners_start(slack, tmp_path):
    api_url = f"http://127.0.0.1:{_closed_port()}/api/"
    env = {**bot_env(slack, f"sqlite:///{tmp_path / 'bot.db'}"), "SLACK_API_URL": api_url}
    line = refused_with(start("web", env=env, cwd=tmp_path))
    assert line.startswith(f"organizer-bot: cannot reach Slack at {api_url} (")
    assert line.endswith("): check the network, any proxy, and SLACK_API_URL")


def test_a_clock_started_while_slack_is_unreachable_waits_for_it(slack, tmp_path):
    """A deploy during a Slack outage: the clock retries (each try logged, spaced 1, 2, 4 s...)
    and starts once Slack answers, instead of exiting with nothing to restart it."""
    port, url = _closed_port(), f"sqlite:///{tmp_path / 'bot.db'}"
    Database(url).upgrade()
    with BotProcess(slack, url, tmp_path, "clock", SLACK_API_URL=f"http://127.0.0.1:{port}/api/") as clock:
        clock.start(wait_http=False)
        wait_until(lambda: "try 2: cannot reach Slack" in clock.output(), timeout=15)
        assert clock.process.poll() is None and "clock started" not in clock.output()
        back = FakeSlack().start(port)  # Slack is back, where it was
        try:
            wait_until(lambda: "clock started" in clock.output(), timeout=15)
            assert [c.method for c in back.calls][:1] == ["auth.test"]
            assert clock.terminate()[0] == 0
        finally:
            back.stop()
    tries = [line for line in clock.output().splitlines() if "cannot reach Slack" in line]
    assert all(" WARNING " in line and "trying again in" in line for line in tries) and len(tries) >= 2


def test_an_api_url_that_is_not_slacks_is_named():
    """A web server that answers HTML (SLACK_API_URL pointing at the wrong host)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api_url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    try:
        with pytest.raises(SlackAccessError) as refusal:
            check_slack_access(
                load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": api_url}),
                socket_mode=False,
            )
    finally:
        server.shutdown()
        server.server_close()
    assert str(refusal.value) == f"{api_url} answered HTTP 501, not as Slack's API does: check SLACK_API_URL"


@pytest.mark.parametrize(
    "error, expected",
    [
        ("invalid_auth", "Slack does not accept SLACK_APP_TOKEN (invalid_auth)"),
        (
            "missing_scope",
            "SLACK_APP_TOKEN lacks a scope it needs (missing_scope): generate a new app-level token with the connections:write scope",
        ),
    ],
)
def test_socket_mode_checks_the_app_token_too(slack, tmp_path, error, expected):
    slack.fail_next("apps.connections.open", error)
    env = {**bot_env(slack, f"sqlite:///{tmp_path / 'bot.db'}"), "SLACK_APP_TOKEN": "xapp-1-A0TEST-1-abc"}
    line = refused_with(start("run", env=env, cwd=tmp_path))
    assert line.startswith(f"organizer-bot: {expected}")
    assert [c.method for c in slack.calls] == ["auth.test", "apps.connections.open"]


@pytest.mark.parametrize("level, shown", [("warning", False), ("Info", True)])
def test_log_level_is_read_from_dotenv_in_any_case(slack, tmp_path, level, shown):
    dotenv = {**bot_env(slack, f"sqlite:///{tmp_path / 'bot.db'}"), "LOG_LEVEL": level}
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in dotenv.items()))
    result = start("db", "upgrade", env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("INFO organizer-bot: database is up to date" in result.stderr) is shown
    assert "setup plugin" not in result.stderr  # Alembic's INFO chatter stays out


def test_a_bad_log_level_is_one_line(tmp_path, slack):
    env = {**bot_env(slack, f"sqlite:///{tmp_path / 'bot.db'}"), "LOG_LEVEL": "verbose"}
    line = refused_with(start("run", env=env, cwd=tmp_path))
    assert line == "organizer-bot: LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR (any case), got 'verbose'"


def test_library_chatter_is_quiet_at_info_and_back_at_debug():
    scheduler_runs = logging.getLogger(
        "apscheduler.executors.default"
    )  # "Running job ...", "... executed successfully"
    configure_logging(logging.INFO)
    assert not scheduler_runs.isEnabledFor(logging.INFO) and scheduler_runs.isEnabledFor(logging.WARNING)
    configure_logging(logging.DEBUG)
    assert scheduler_runs.isEnabledFor(logging.DEBUG)
    configure_logging(logging.INFO)


def test_a_logged_value_cannot_forge_a_second_log_entry():
    record = logging.LogRecord(
        "handlers.common", logging.INFO, __file__, 1, "loaded content for team %s", ("T1\nERROR forged",), None
    )
    assert LOG_FORMAT.format(record).endswith("INFO handlers.common: loaded content for team T1\\nERROR forged")


def test_creating_the_app_warns_about_nothing(slack, database, monkeypatch, caplog):
    """Bolt reads SLACK_BOT_TOKEN from the environment and used to warn, at every start, that it is unused."""
    env = bot_env(slack, database.url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(env)
    create_app(settings, make_services(settings, database), transport=Transport.HTTP)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
