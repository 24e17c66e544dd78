"""Fixtures: both databases, an injected clock, the fake Slack, and the app served over HTTP.

Storage and end-to-end tests run on SQLite always, and on PostgreSQL when
TEST_DATABASE_URL points at one (CI sets it). The PostgreSQL database is wiped.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import text

from bot.app import Transport, create_app, create_site, make_client, make_services
from bot.installs import TABLES as INSTALL_TABLES
from bot.server import SLACK_PATH, make_server, serve, stop
from bot.settings import WebCapacity, load_settings, normalize_database_url
from driver import SIGNING_SECRET, SlackDriver, SocketDriver, assert_valid_blocks, assert_valid_view
from environment import bot_variables, scaled
from fakeslack import TEAM_ID, FakeSlack
from services.delivery import Deliverer
from socketmode import SocketModeServer
from storage import Database
from storage.models import Base
from timemath import UTC

POSTGRES_ENV = "TEST_DATABASE_URL"
CALL_FAILED = pytest.StashKey[bool]()  # whether a test's own body failed, for fixtures that report on it


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="session", autouse=True)
def _none_of_the_developers_settings():
    """The bot's variables from the developer's shell (or a `.env` loaded into it) reach no test.
    Processes get an environment of their own (environment.process_env)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in bot_variables():
            patch.delenv(name, raising=False)
        yield


class FakeClock:
    """The time the app believes it is; tests move it instead of waiting."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, instant: datetime) -> None:
        self.current = instant


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(
            f"PostgreSQL not configured: set {POSTGRES_ENV}=postgresql://postgres@127.0.0.1:5432/test to run these tests on it"
        )
    return normalize_database_url(url)


@pytest.fixture(scope="session")
def postgres_database():
    url = _postgres_url()
    db = Database(url)
    try:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # noqa: BLE001 - any connection failure means "not reachable"
        if os.environ.get("REQUIRE_POSTGRES"):
            raise
        pytest.skip(
            f"PostgreSQL at {POSTGRES_ENV} is not reachable: {error.__class__.__name__}: {error}".splitlines()[0]
        )
    db.upgrade()
    yield db
    db.dispose()


def empty(db: Database) -> None:
    """Remove every row from the shared PostgreSQL database (a test's leftovers are another's surprise)."""
    tables = ", ".join([table.name for table in Base.metadata.sorted_tables] + list(INSTALL_TABLES))
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory) -> Path:
    """A SQLite file migrated once per session: copying it costs 3 ms, migrating 200 ms."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A migrated, empty database: a copy of a migrated SQLite file, or the shared PostgreSQL one truncated."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        return
    db = request.getfixturevalue("postgres_database")
    empty(db)
    yield db


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 21, 15, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def fake_slack_server():
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def slack(fake_slack_server):
    fake_slack_server.reset()
    fake_slack_server.add_user("U1", tz="America/Chicago", real_name="Sara Wohlleb", email="sara@example.org")
    fake_slack_server.add_user("U2", tz="America/Los_Angeles", real_name="Jeremy Barousse")
    fake_slack_server.add_user("UADMIN", tz="America/New_York", real_name="Coalition Staff", is_admin=True)
    yield fake_slack_server
    assert_everything_sent_is_valid_block_kit(fake_slack_server)


# TOKEN_ENCRYPTION_KEY of multi-workspace deployments (bot.installs); a fixed one, made by `organizer-bot keygen`.
TOKEN_KEY = "pWKdKxZo50T3SkJNWDVdOqAqQkGZ-l_sZ9z92daQhCE="


def bot_env(slack: FakeSlack, database_url: str) -> dict[str, str]:
    """The environment a deployment would set, pointed at the fake Slack."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
    }


# Production's 200 server threads, started and stopped for every test, would cost seconds.
TEST_CAPACITY = WebCapacity(threads=16)


@contextmanager
def serving(app, database: Database, site=None) -> Iterator[str]:
    """`app` (and the public `site`) behind the production server on a loopback port; yields the URL of /slack/events."""
    server = make_server(
        app,
        port=0,
        host="127.0.0.1",
        signing_secret=SIGNING_SECRET,
        health=database.health,
        web=site,
        capacity=TEST_CAPACITY,
        asyncore_loop_timeout=0.05,
    )
    thread = threading.Thread(target=serve, args=(server,), daemon=True)
    thread.start()
    # waitress counts its worker threads busy until each has started: a request sent before
    # then is logged as queued ("Task queue depth is 1"), which tests of the log would see.
    deadline = time.monotonic() + scaled(5)
    while server.task_dispatcher.active_count and time.monotonic() < deadline:
        time.sleep(0.001)
    try:
        yield f"http://127.0.0.1:{server.effective_port}{SLACK_PATH}"
    finally:
        # Listeners still at work after their ack would post into the next test's fake Slack.
        if app is not None:
            app.listener_runner.listener_executor.shutdown(wait=True)
        stop(server)
        thread.join(timeout=5)


@pytest.fixture
def extra_env() -> dict[str, str]:
    """Settings a test module adds to the environment `services` and `bot` are made from (override it)."""
    return {}


@pytest.fixture
def bot_settings(slack, database, extra_env):
    return load_settings({**bot_env(slack, database.url), **extra_env})


@pytest.fixture
def services(bot_settings, database, clock):
    """What one process of the bot shares, on the test's database and clock."""
    return make_services(bot_settings, database, now=clock)


def acquainted(services, slack: FakeSlack, *users: str) -> None:
    """The bot has met `users` before: it keeps their Slack profiles, as after their first request,
    so that even what it answers before an ack is in their language (services.languages)."""
    client = make_client(load_settings(bot_env(slack, services.db.url)))
    for user in users:
        services.users.profile(client, TEAM_ID, user)


def make_deliverer(slack, services, **options) -> Deliverer:
    """The outbox worker on the fake Slack; posts are not spaced unless a test asks for it."""
    settings = load_settings(bot_env(slack, services.db.url))
    options.setdefault("channel_interval", 0.0)
    return Deliverer(services, make_client(settings), **options)


@pytest.fixture
def deliverer(slack, services):
    """The delivery worker running in the background, as in `organizer-bot run`: woken by the
    listeners' doorbell. It does not poll on its own during a test (tests that move the clock
    tick it themselves), so it never races a test's own clock tick."""
    worker = make_deliverer(slack, services)
    worker.start(poll_seconds=3600)
    yield worker
    worker.stop()


@pytest.fixture
def bot(slack, services, deliverer, bot_settings):
    """The app and the public site from the factories, served by the production server on a
    loopback port, as `organizer-bot run` serves them for the bot token's team."""
    app = create_app(bot_settings, services, transport=Transport.HTTP)
    with serving(app, services.db, create_site(bot_settings, services, {"team_id": TEAM_ID})) as url:
        yield SlackDriver(url, slack)


APP_TOKEN = "xapp-1-A0TEST-1-test"
# slack_sdk's client notices a connection that died without a goodbye at its next ping (or
# after 5 failed ones); Bolt's default of 10 s would make a test wait up to a minute for it.
SOCKET_PING_INTERVAL = 0.5


@pytest.fixture
def socket_mode_server(fake_slack_server):
    """Slack's Socket Mode endpoint, handed out by the fake's apps.connections.open."""
    with SocketModeServer(fake_slack_server) as server:
        yield server


@pytest.fixture
def socket_bot(slack, services, deliverer, socket_mode_server):
    """The app from the factory in Socket Mode, connected as `organizer-bot run` connects it."""
    settings = load_settings({**bot_env(slack, services.db.url), "SLACK_APP_TOKEN": APP_TOKEN})
    app = create_app(settings, services, transport=Transport.SOCKET_MODE)
    handler = SocketModeHandler(app, settings.app_token, ping_interval=SOCKET_PING_INTERVAL)
    handler.connect()
    socket_mode_server.wait_connected()
    yield SocketDriver(socket_mode_server, slack)
    # Say goodbye from Slack's side first: the client's own close waits up to 3 s on a blocked
    # read, and its message loop up to 1 s more, so it finishes in the background.
    handler.client.auto_reconnect_enabled = False
    socket_mode_server.stop()
    deadline = time.monotonic() + scaled(2)
    while handler.client.is_connected() and time.monotonic() < deadline:
        time.sleep(0.01)  # closing both ends at once races inside slack_sdk (sock set to None twice)
    threading.Thread(target=handler.close, name="socket-mode-close", daemon=True).start()


@pytest.fixture(params=["http", "socket"])
def any_bot(request, database):  # database named here so that its own parameters apply
    """The app over HTTP, then over Socket Mode: for behaviour that must not depend on the transport."""
    return request.getfixturevalue("bot" if request.param == "http" else "socket_bot")


def assert_everything_sent_is_valid_block_kit(slack: FakeSlack) -> None:
    """Every message and view the app sent during the test, whether or not the test looked at it."""
    for call in slack.calls:
        if isinstance(call.args.get("blocks"), list):
            assert_valid_blocks(call.args["blocks"])
        if isinstance(call.args.get("view"), dict):
            assert_valid_view(call.args["view"])
