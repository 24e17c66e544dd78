"""A database that is down, read-only or corrupt: every command and submission is answered with
an apology saying the bot cannot save now (never a bare 500, never a silent ack), one WARNING
line says why, and /healthz answers 503 with the reason, having tried a write.

The process is the production one (the app from its factory, behind the production server), on
a database broken as an operator would find it: PostgreSQL not listening, a SQLite file opened
read-only, a SQLite file with 8 KB of garbage written over its start."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Transport, create_app, make_services
from bot.settings import load_settings
from conftest import bot_env, serving
from driver import SlackDriver, Workspace
from messages.errors import cannot_save_now, not_installed
from storage import Database
from storage.db import Timeouts
from test_events_e2e import FUTURE
from test_health import healthz
from test_installs import TEAM_A, install_env

CORRUPT, READ_ONLY, DOWN = "corrupt", "read-only", "down"


def _migrated(path: Path) -> None:
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()


def broken_database(fault: str, tmp_path: Path) -> Database:
    path = tmp_path / "broken.db"
    if fault == DOWN:  # nothing listens there: as PostgreSQL stopped
        return Database("postgresql+psycopg://postgres@127.0.0.1:1/organizer", Timeouts(connect=2))
    _migrated(path)
    if fault == READ_ONLY:  # as a file the process may not write (root may write any file: SQLite is told)
        return Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    with path.open("r+b") as file:
        file.write(b"\xa5" * 8192)
    return Database(f"sqlite:///{path}")


@pytest.fixture
def healthy_form(bot) -> dict:
    """The event form, as a person had it open when the database broke."""
    bot.command("/event", "new")
    return bot.opened_view()


@pytest.fixture(params=[DOWN, READ_ONLY, CORRUPT])
def broken(request, slack, clock, tmp_path) -> Iterator[SlackDriver]:
    database = broken_database(request.param, tmp_path)
    settings = load_settings(bot_env(slack, database.url))
    services = make_services(settings, database, now=clock)
    with serving(create_app(settings, services, transport=Transport.HTTP), database) as url:
        yield SlackDriver(url, slack)
    database.dispose()


REASONS = {
    DOWN: "database unreachable (OperationalError)",
    READ_ONLY: "database cannot be written: read-only (OperationalError)",
    CORRUPT: "database corrupt (DatabaseError)",
}


def test_every_command_and_submission_is_told_the_bot_cannot_save(broken, healthy_form, caplog, request):
    caplog.set_level(logging.WARNING)
    fault = request.node.callspec.params["broken"]
    listed = broken.command("/event", "list")
    if fault == READ_ONLY:  # what only reads still works
        assert listed.status == 200 and "No upcoming events" in listed.text
    else:
        assert listed.status == 200 and listed.text == cannot_save_now()
        assert broken.command("/event", "new").status == 200
        assert broken.responded()[0]["text"] == cannot_save_now()  # acked, then told
    submitted = broken.submit(healthy_form, FUTURE)
    assert submitted.status == 200 and cannot_save_now() in submitted.json["errors"].values()
    said = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.getMessage().startswith("database ")
    ]
    reason = {DOWN: "unreachable", READ_ONLY: "read-only", CORRUPT: "corrupt"}[fault]
    assert said and all(line.startswith(f"database {reason} (") and "\n" not in line for line in said), said


def test_healthz_answers_503_with_the_reason(broken, request):
    assert healthz(broken.url) == (503, REASONS[request.node.callspec.params["broken"]] + "\n")


def test_with_installs_a_database_down_is_not_mistaken_for_an_uninstall(slack, caplog):
    """Bolt's authorization swallows the store's errors and says "not installed": the outage is said instead."""
    database = broken_database(DOWN, Path())
    settings = load_settings(install_env(slack, database.url))
    with serving(create_app(settings, make_services(settings, database), transport=Transport.HTTP), database) as url:
        listed = SlackDriver(url, slack, Workspace(TEAM_A)).command("/event", "list")
    assert listed.status == 200 and listed.text == cannot_save_now()
    assert not_installed() not in caplog.text and any(
        r.getMessage().startswith("database unreachable (") for r in caplog.records
    )
    database.dispose()
