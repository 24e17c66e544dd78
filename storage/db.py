"""Engine, sessions and migrations.

Alembic (with mako) is imported only to migrate: `web`, `clock` and a `run` whose database is
already up to date never load it (see `Database.upgrade`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Execution option of the connections `Database.read()` hands out.
READ_ONLY = "organizer_bot_read_only"


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets readers work while the one writer writes; the busy timeout makes a
    # second writer wait instead of failing at once with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # 512 KiB of page cache per pooled connection instead of 2 MiB: the indexed queries touch
    # few pages, and the OS caches the file anyway; five warm connections kept ~7 MB more.
    cursor.execute("PRAGMA cache_size=-512")
    cursor.close()
    # Transactions are begun by _begin below, not by the driver.
    dbapi_connection.isolation_level = None


def _begin(connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for the write lock:
    # SQLite fails it at once with "database is locked". Taking the lock up front makes
    # it wait (busy_timeout) instead, so concurrent listeners and the clock just queue.
    # A transaction that only reads needs no lock: deferred, it reads its WAL snapshot
    # while a writer writes.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _refuse_writes(session: Session, _flush_context, _instances) -> None:
    raise RuntimeError("Database.read() is for reading; write in Database.session()")


def head_revision() -> str | None:
    """The newest migration, read from the migration files without Alembic: the revision no
    other one revises (None unless there is exactly one, e.g. after a branch: Alembic decides)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(re.findall(r"^revision\b[^=]*=\s*['\"](\w+)['\"]", source, re.M))
        revised.update(re.findall(r"^down_revision\b[^=]*=\s*['\"](\w+)['\"]", source, re.M))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


class Database:
    """One per process. `session()` is a unit of work: commit on success, rollback on error;
    `read()` one that only reads."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # Objects stay readable after commit so they can be rendered outside the session.
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reads = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
        event.listen(self._reads, "before_flush", _refuse_writes)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads (a flush raises). On SQLite it takes no lock: reads go
        on while a writer holds the write lock, and never queue behind one."""
        with self._reads.begin() as session:
            yield session

    def current_revision(self) -> str | None:
        """The migration the database is at; None before the first one."""
        try:
            with self.engine.connect() as connection:
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # no alembic_version table yet
            return None

    def alembic_config(self) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        # Passed as an attribute, not an option: ini interpolation would mangle '%' in passwords.
        config.attributes["engine"] = self.engine
        return config

    def upgrade(self, revision: str = "head") -> None:
        """Migrate to `revision`; already at the head, return without loading Alembic."""
        if revision == "head":
            head = head_revision()
            if head is not None and self.current_revision() == head:
                return
        from alembic import command

        command.upgrade(self.alembic_config(), revision)

    def revision(self, message: str) -> None:
        """Autogenerate a migration from the difference between the models and this database."""
        from alembic import command

        command.revision(self.alembic_config(), message=message, autogenerate=True)

    def dispose(self) -> None:
        self.engine.dispose()
