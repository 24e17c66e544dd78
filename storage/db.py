"""Engine, sessions and migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
READONLY = "organizer_bot_readonly"


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets readers work while the one writer writes; the busy timeout makes a
    # second writer wait instead of failing at once with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # Transactions are begun by _begin_immediate below, not by the driver.
    dbapi_connection.isolation_level = None


def _begin(connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for the write lock:
    # SQLite fails it at once with "database is locked". Taking the lock up front makes
    # it wait (busy_timeout) instead, so concurrent listeners and the clock just queue.
    # Read-only work (Database.read) begins deferred and never takes the write lock.
    readonly = connection.get_execution_options().get(READONLY, False)
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class Database:
    """One per process. `session()` is a unit of work: commit on success, rollback on error."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # Objects stay readable after commit so they can be rendered outside the session.
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(**{READONLY: True}), expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads: on SQLite it does not wait for, or block, writers."""
        with self._readers.begin() as session:
            yield session

    def alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        # Passed as an attribute, not an option: ini interpolation would mangle '%' in passwords.
        config.attributes["engine"] = self.engine
        return config

    def upgrade(self, revision: str = "head") -> None:
        command.upgrade(self.alembic_config(), revision)

    def revision(self, message: str) -> None:
        """Autogenerate a migration from the difference between the models and this database."""
        command.revision(self.alembic_config(), message=message, autogenerate=True)

    def dispose(self) -> None:
        self.engine.dispose()
