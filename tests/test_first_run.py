"""The first run, as a newcomer makes it: `.env.example` copied to `.env` and filled in as the
README's Quick start says, nothing else configured, and the real `organizer-bot` started in that
folder. No SLACK_* variable is in the process's environment: everything comes from `.env`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.app import Transport, create_app, make_services
from bot.settings import SettingsError, load_settings
from botprocess import free_port
from conftest import APP_TOKEN
from driver import SIGNING_SECRET, SlackDriver, SocketDriver, post, sign
from environment import ROOT, process_env, scaled
from visitor import visit

pytestmark = pytest.mark.processes
BOT_TOKEN = "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"  # shaped as Slack issues them
INSTALLS = {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "c"}
KEY = Fernet.generate_key().decode()


def dotenv_from_example(folder: Path, **filled_in: str) -> Path:
    """`.env.example` copied to `folder/.env`, with `filled_in` values put on their lines."""
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(
            f"{name}={filled_in.pop(name)}" if "=" in line and not line.startswith("#") and name in filled_in else line
        )
    assert not filled_in, f".env.example has no line for {sorted(filled_in)}"
    (folder / ".env").write_text("\n".join(lines) + "\n")
    return folder / ".env"


class Started:
    """`organizer-bot <args>` in `folder`, its output kept in a file."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.log = folder / "bot.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", *args],
                env=process_env(),
                cwd=folder,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text()

    def wait_for_line(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + scaled(timeout)
        while text not in self.output():
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.output()}"
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        assert self.process.wait(scaled(25)) == 0, self.output()


@pytest.fixture
def started():
    processes: list[Started] = []

    def start(folder: Path, *args: str) -> Started:
        processes.append(Started(folder, *args))
        return processes[-1]

    yield start
    for process in processes:
        if process.process.poll() is None:
            process.process.kill()
            process.process.wait()


def test_socket_mode_from_the_quick_start(slack, socket_mode_server, tmp_path, started):
    dotenv_from_example(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_API_URL=slack.api_url,
        PORT=str(free_port()),
    )
    bot = started(tmp_path)  # `organizer-bot`, as the Quick start runs it
    socket_mode_server.wait_connected(timeout=20)
    bot.wait_for_line("serving one workspace, Socket Mode: SLACK_APP_TOKEN is set")
    driver = SocketDriver(socket_mode_server, slack)
    assert "No upcoming events" in driver.command("/event", "list").text
    driver.command("/event", "new")
    [opened] = slack.wait_for("views.open")
    assert opened["view"]["callback_id"] == "event_form"
    assert "not installed" not in bot.output() and "MultiTeamsAuthorization" not in bot.output()
    bot.stop()


def test_http_from_the_quick_start(slack, tmp_path, started):
    port = free_port()
    dotenv_from_example(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        PORT=str(port),
        HOST="127.0.0.1",
    )
    bot = started(tmp_path)
    bot.wait_for_line("listening on http://127.0.0.1:")
    assert "serving one workspace, HTTP on /slack/events: SLACK_APP_TOKEN is not set" in bot.output()
    driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", slack)
    assert "No upcoming events" in driver.command("/event", "list").text
    driver.command("/event", "new")
    [opened] = slack.wait_for("views.open")
    assert opened["view"]["callback_id"] == "event_form"
    bot.stop()


def test_the_public_site_and_the_demo_without_slack(tmp_path, started):
    """README, Trying it out: `organizer-bot demo`, then `organizer-bot web`, with `.env.example`
    copied unchanged (only the port moved off 3000, which other tests may hold)."""
    port = free_port()
    dotenv_from_example(tmp_path, PORT=str(port))
    demo = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        env=process_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=scaled(120),
    )
    assert demo.returncode == 0, demo.stderr
    assert "Demo loaded: 25 events of the We Are All America Day of Action" in demo.stdout
    assert "Running upgrade" not in demo.stderr  # Alembic's line per migration belongs to `db upgrade`
    web = started(tmp_path, "web")
    web.wait_for_line("Slack is not configured")
    assert "serving no Slack: SLACK_BOT_TOKEN is not set" in web.output()
    page = visit(f"http://127.0.0.1:{port}/events")
    assert page.status == 200 and "Phoenix" in page.text
    body = "command=%2Fevent&text=list&team_id=T1&user_id=U1&channel_id=C1"
    refused = post(f"http://127.0.0.1:{port}/slack/events", body, sign(body))
    assert refused.status == 503 and "Slack is not configured" in refused.text
    web.stop()


def test_a_dotenv_never_changes_the_process_environment(tmp_path, monkeypatch):
    """`load_settings()` reads `.env` beside the process without putting it into os.environ, so a
    command run in-process leaves nothing behind for what runs next."""
    import os

    dotenv_from_example(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, LOG_LEVEL="DEBUG")
    monkeypatch.chdir(tmp_path)
    before = dict(os.environ)
    settings = load_settings()
    assert (settings.bot_token, settings.app_token, settings.install) == (BOT_TOKEN, APP_TOKEN, None)
    assert dict(os.environ) == before


def test_bolt_stays_in_one_workspace_when_oauth_variables_are_present_but_empty(slack, database, monkeypatch):
    """Bolt turns to OAuth when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET merely exist in os.environ."""
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.setenv(name, "")
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database.url,
            "SLACK_CLIENT_ID": "",
            "SLACK_CLIENT_SECRET": "",
        }
    )
    app = create_app(settings, make_services(settings, database), transport=Transport.HTTP)
    assert app.oauth_flow is None and app.installation_store is None


@pytest.mark.parametrize(
    "env, fix",
    [
        (
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_CLIENT_ID": "1111.2222",
                "SLACK_CLIENT_SECRET": "c",
                "SLACK_SIGNING_SECRET": "s",
            },
            "empty the one you do not use in .env",
        ),
        ({**INSTALLS, "TOKEN_ENCRYPTION_KEY": KEY}, "installs from /slack/install need it"),
        (
            {**INSTALLS, "TOKEN_ENCRYPTION_KEY": KEY, "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": APP_TOKEN},
            "unset SLACK_APP_TOKEN",
        ),
        ({**INSTALLS, "SLACK_SIGNING_SECRET": "s"}, "make one with `organizer-bot keygen`"),
    ],
)
def test_contradictory_settings_name_the_fix(env, fix):
    with pytest.raises(SettingsError, match=fix):
        load_settings(env)


def test_the_mode_is_said_in_one_line():
    one = load_settings({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN})
    assert one.mode() == "one workspace, Socket Mode: SLACK_APP_TOKEN is set"
    assert one.mode(http_only=True).startswith("one workspace, HTTP on /slack/events")
    many = load_settings({**INSTALLS, "SLACK_SIGNING_SECRET": "s", "TOKEN_ENCRYPTION_KEY": KEY})
    assert many.mode().startswith("many workspaces over HTTP: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set")
    assert load_settings({}, require_slack=False).mode().startswith("no Slack: SLACK_BOT_TOKEN is not set")


def test_host_is_a_setting():
    assert load_settings({}, require_slack=False).host == "0.0.0.0"
    assert load_settings({"HOST": "127.0.0.1"}, require_slack=False).host == "127.0.0.1"
    with pytest.raises(SettingsError, match="HOST is the address to listen on"):
        load_settings({"HOST": "http://example.org"}, require_slack=False)


def test_collection_needs_nothing_outside_the_repository(tmp_path):
    """A clone with nothing beside it collects every test (CI also runs this on a copy of its clone)."""
    clone = tmp_path / "alone" / "organizer-bot"
    subprocess.run(
        ["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)],
        check=True,
        timeout=scaled(60),
        capture_output=True,
    )
    git = partial(subprocess.run, cwd=ROOT, capture_output=True, text=True, check=True)
    changed = (
        git(["git", "diff", "--name-only", "HEAD"]).stdout.split()
        + git(["git", "ls-files", "-o", "--exclude-standard"]).stdout.split()
    )
    for name in changed:  # what is not committed yet is part of what is tested
        target = clone / name
        if (ROOT / name).exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((ROOT / name).read_bytes())
        else:
            target.unlink(missing_ok=True)
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        env=process_env(PYTHONPATH=str(clone)),
        capture_output=True,
        text=True,
        timeout=scaled(120),
    )
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert "error" not in collected.stdout.splitlines()[-1]
    assert not (clone.parent / "shared").exists()
