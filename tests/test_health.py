"""The health check and the database's guard rails: timeouts, and no user data in error messages."""

from __future__ import annotations

import sqlite3
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from storage import Database
from storage.db import Timeouts, head_revisions, unavailable
from storage.models import Event

UPGRADE = "run `organizer-bot db upgrade`"


def healthz(events_url: str) -> tuple[int, str]:
    url = events_url.replace("/slack/events", "/healthz")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_head_revision_is_read_from_the_migration_files_as_alembic_reads_them(database):
    script = ScriptDirectory.from_config(database.alembic_config())
    assert head_revisions() == frozenset(script.get_heads())


def test_a_migrated_database_is_healthy(bot, database):
    assert database.health() is None
    assert healthz(bot.url) == (200, "ok\n")


def test_an_empty_database_is_unhealthy_until_migrated(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    assert db.health() == f"database is not migrated: {UPGRADE}"
    db.upgrade("0003")
    assert (
        db.health() == f"database schema is at 0003, this code expects {', '.join(sorted(head_revisions()))}: {UPGRADE}"
    )
    db.upgrade()
    assert db.health() is None
    db.dispose()


def test_healthz_says_why_with_503(bot, database):
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
    try:
        assert healthz(bot.url) == (503, f"database is not migrated: {UPGRADE}\n")
    finally:  # the PostgreSQL database is shared by the tests that follow
        with database.engine.begin() as connection:
            for head in head_revisions():
                connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})


def test_an_unreachable_database_is_unhealthy_without_saying_where_it_is(caplog):
    db = Database("postgresql+psycopg://bot:secret-password@127.0.0.1:1/nowhere", Timeouts(connect=2))
    assert db.health() == "database unreachable (OperationalError)"
    [warning] = [r for r in caplog.records if r.name == "storage.db"]
    assert "secret-password" not in warning.getMessage() and "\n" not in warning.getMessage()
    db.dispose()


def test_a_failed_statement_keeps_its_parameters_out_of_the_error(database):
    """An operator reads which statement failed and why, never the contact email it carried."""
    with pytest.raises(IntegrityError) as failure:
        with database.session() as session:
            session.add(
                Event(team_id="T0TEST", title=None, contact_email="private@example.org", is_public=False)
            )  # no title
    message = str(failure.value)
    assert "private@example.org" not in message and "parameters hidden" in message
    assert "title" in message  # what failed stays readable (PostgreSQL quotes the row; it is hidden too)


def test_a_stalled_postgresql_statement_fails_within_the_timeout(postgres_database):
    db = Database(postgres_database.url, Timeouts(statement_ms=300))
    started = time.monotonic()
    with pytest.raises(OperationalError, match="statement timeout"):
        with db.engine.connect() as connection:
            connection.execute(text("SELECT pg_sleep(5)"))
    assert time.monotonic() - started < 4
    db.dispose()


def test_migrations_run_without_the_statement_timeout(postgres_database):
    db = Database(postgres_database.url, Timeouts(statement_ms=300))
    with db.alembic_config().attributes["engine"].begin() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "0"
    with db.engine.begin() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "300ms"
    db.dispose()


def test_sqlite_waits_for_the_write_lock_as_long_as_configured(tmp_path):
    """Listeners wait no longer than Slack waits for them; background work queues longer."""
    db = Database(f"sqlite:///{tmp_path / 'busy.db'}", Timeouts(sqlite_busy_ms=1234, sqlite_patient_busy_ms=4321))
    with db.session() as session:
        assert session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    with db.session(patient=True) as session:
        assert session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
    db.dispose()


@pytest.mark.parametrize(
    "orig, reason",
    [
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.OperationalError("database or disk is full"), "full"),
        (sqlite3.DatabaseError("database disk image is malformed"), "corrupt"),
        (sqlite3.DatabaseError("file is not a database"), "corrupt"),
        (sqlite3.OperationalError("database is locked"), "busy"),
        (psycopg.errors.DiskFull("could not extend file"), "full"),
        (psycopg.errors.ReadOnlySqlTransaction("cannot execute UPDATE in a read-only transaction"), "read-only"),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), "busy"),
        (psycopg.errors.TooManyConnections("sorry, too many clients already"), "busy"),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), "unreachable"),
        (psycopg.errors.DataCorrupted("invalid page in block 0"), "corrupt"),
        (psycopg.OperationalError("connection failed: Connection refused"), "unreachable"),
        (sqlite3.IntegrityError("NOT NULL constraint failed: events.title"), None),  # a bug, not an outage
        (psycopg.errors.UndefinedColumn('column "x" does not exist'), None),
    ],
)
def test_why_a_database_cannot_be_used_is_read_from_the_drivers_words(orig, reason):
    wrapped = DBAPIError.instance("UPDATE events SET x = 1", {}, orig, type(orig))
    assert unavailable(wrapped) == reason
