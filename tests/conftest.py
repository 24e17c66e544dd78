"""Fixtures: both databases, an injected clock, the fake Slack, and the app served over HTTP.

Storage and end-to-end tests run on SQLite always, and on PostgreSQL when
TEST_DATABASE_URL points at one (CI sets it). The PostgreSQL database is wiped.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from bot.app import Transport, create_app
from bot.server import SLACK_PATH, make_server, serve
from bot.settings import WebCapacity, load_settings, normalize_database_url
from driver import SIGNING_SECRET, SlackDriver, assert_valid_blocks, assert_valid_view
from fakeslack import FakeSlack
from storage import Database
from storage.models import Base
from storage.timemath import UTC

POSTGRES_ENV = "TEST_DATABASE_URL"


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
        pytest.skip(f"PostgreSQL not configured: set {POSTGRES_ENV}=postgresql://postgres@127.0.0.1:5432/test to run these tests on it")
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
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is not reachable: {error.__class__.__name__}: {error}".splitlines()[0])
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A migrated, empty database: a fresh SQLite file, or the shared PostgreSQL one truncated."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'test.db'}")
        db.upgrade()
        yield db
        db.dispose()
        return
    db = request.getfixturevalue("postgres_database")
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
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
def serving(app, database: Database) -> Iterator[str]:
    """`app` behind the production server on a loopback port; yields the URL of /slack/events."""
    server = make_server(app, port=0, host="127.0.0.1", signing_secret=SIGNING_SECRET, health=database.health, capacity=TEST_CAPACITY, asyncore_loop_timeout=0.05)
    thread = threading.Thread(target=serve, args=(server,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}{SLACK_PATH}"
    finally:
        # Listeners still at work after their ack would post into the next test's fake Slack.
        app.listener_runner.listener_executor.shutdown(wait=True)
        server.close()
        thread.join(timeout=5)


@pytest.fixture
def bot(slack, database, clock):
    """The app from the factory, served by the production server on a loopback port."""
    settings = load_settings(bot_env(slack, database.url))
    with serving(create_app(settings, database, transport=Transport.HTTP, now=clock), database) as url:
        yield SlackDriver(url, slack)


def assert_everything_sent_is_valid_block_kit(slack: FakeSlack) -> None:
    """Every message and view the app sent during the test, whether or not the test looked at it."""
    for call in slack.calls:
        if isinstance(call.args.get("blocks"), list):
            assert_valid_blocks(call.args["blocks"])
        if isinstance(call.args.get("view"), dict):
            assert_valid_view(call.args["view"])
