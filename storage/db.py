"""Engine, sessions, migrations and the health check.

Alembic (with mako) is imported only to migrate: `web`, `clock` and a `run` whose database is
already up to date never load it (see `Database.upgrade`).
"""

from __future__ import annotations

import ast
import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from timemath import as_utc

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# An execution option: connections of an engine given it run without a statement timeout.
UNBOUNDED_STATEMENTS = "organizer_bot_unbounded_statements"
# Execution options of the sessions below: read-only work, and work that may wait long for SQLite's lock.
READONLY = "organizer_bot_readonly"
PATIENT = "organizer_bot_patient"
UPGRADE_HINT = "run `organizer-bot db upgrade`"

log = logging.getLogger(__name__)

# Why a database cannot be used right now, as its driver words it: SQLite's messages, and
# PostgreSQL's SQLSTATE codes, then their classes (08: cannot connect; 53: out of resources;
# 57: shut down by an operator; 58: the server's own I/O).
UNREACHABLE, BUSY, READ_ONLY, FULL, CORRUPT = "unreachable", "busy", "read-only", "full", "corrupt"
SQLITE_REASONS = (
    ("readonly", READ_ONLY),
    ("disk is full", FULL),
    ("malformed", CORRUPT),
    ("not a database", CORRUPT),
    ("disk i/o error", CORRUPT),
    ("locked", BUSY),
    ("busy", BUSY),
    ("unable to open", UNREACHABLE),
)
POSTGRES_REASONS = {
    "53100": FULL,
    "25006": READ_ONLY,
    "XX001": CORRUPT,
    "XX002": CORRUPT,
    "57014": BUSY,
    "55P03": BUSY,
    "40P01": BUSY,
}
POSTGRES_CLASSES = {"08": UNREACHABLE, "53": BUSY, "57": UNREACHABLE, "58": CORRUPT}


def unavailable(error: BaseException) -> str | None:
    """Why the database cannot be used right now (UNREACHABLE, BUSY, READ_ONLY, FULL, CORRUPT),
    when `error` says so; None for any other failure (a bug in a statement, not an outage)."""
    if not isinstance(error, DBAPIError):
        return None
    code = getattr(error.orig, "sqlstate", None)
    if code:
        found = POSTGRES_REASONS.get(code) or POSTGRES_CLASSES.get(code[:2])
    else:
        message = str(error.orig).lower()
        found = next((reason for words, reason in SQLITE_REASONS if words in message), None)
    # Any other OperationalError is the database's, not the statement's (a dropped connection).
    return found or (UNREACHABLE if isinstance(error, OperationalError) else None)


def driver_message(error: BaseException) -> str:
    """The driver's own words for a failure, on one line: for the log (never a statement's values)."""
    return (str(getattr(error, "orig", None) or error).splitlines() or [""])[0]


def database_time(session: Session) -> datetime:
    """The database's clock, now (not when the transaction began): Slack's pace, in real seconds,
    the same for every process whatever their own clocks say. On SQLite the database is the
    machine the processes share."""
    if session.get_bind().dialect.name == "postgresql":
        return as_utc(session.scalar(text("SELECT clock_timestamp()")))
    return as_utc(datetime.fromisoformat(session.scalar(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')"))))


@dataclass(frozen=True)
class Timeouts:
    """How long the database may keep a caller waiting, so that a stalled database fails a
    listener while it can still answer Slack (3 s) instead of hanging it."""

    connect: int = 5  # seconds to open a PostgreSQL connection, or to wait for a pooled one
    statement_ms: int = 2000  # one PostgreSQL statement, lock waits included
    # SQLite has one writer. A listener waits for it no longer than Slack waits for the ack,
    # so a stalled database is reported to the user, never saved behind their back...
    sqlite_busy_ms: int = 2000
    # ...while the clock and the delivery worker, whom nobody waits for, queue longer.
    sqlite_patient_busy_ms: int = 10_000


def _sqlite_tuner(timeouts: Timeouts):
    def tune(dbapi_connection, _record) -> None:
        # WAL lets readers work while the one writer writes; the busy timeout makes a
        # second writer wait instead of failing at once with "database is locked".
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # 512 KiB of page cache per pooled connection instead of 2 MiB: the indexed queries touch
        # few pages, and the OS caches the file anyway; five warm connections kept ~7 MB more.
        cursor.execute("PRAGMA cache_size=-512")
        cursor.close()
        # Transactions are begun by _sqlite_beginner below, not by the driver.
        dbapi_connection.isolation_level = None

    return tune


def _sqlite_beginner(timeouts: Timeouts):
    def begin(connection) -> None:
        options = connection.get_execution_options()
        busy = timeouts.sqlite_patient_busy_ms if options.get(PATIENT) else timeouts.sqlite_busy_ms
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(busy)}")
        # A deferred transaction that reads and then writes cannot wait for the write lock:
        # SQLite fails it at once with "database is locked". Taking the lock up front makes it
        # wait (busy_timeout) instead. Read-only work begins deferred and never takes it.
        connection.exec_driver_sql("BEGIN" if options.get(READONLY) else "BEGIN IMMEDIATE")

    return begin


def _refuse_writes(session: Session, _flush_context, _instances) -> None:
    raise RuntimeError("Database.read() is for reading; write in Database.session()")


def _lift_statement_timeout(connection) -> None:
    # Migrations may rewrite big tables: they run without the listeners' statement timeout.
    if connection.get_execution_options().get(UNBOUNDED_STATEMENTS):
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")


def _hide_row_data(context) -> None:
    """PostgreSQL quotes the failing row, or key, in an error's DETAIL ("Failing row contains
    (..., sara@example.org, ...)"): hide_parameters does not reach it, so it is blanked here,
    in the driver's exception and in SQLAlchemy's, before anything can log them."""
    detail = getattr(getattr(context.original_exception, "diag", None), "message_detail", None)
    if not detail:
        return
    for error in (context.original_exception, context.sqlalchemy_exception):
        if error is not None and error.args and isinstance(error.args[0], str):
            error.args = (error.args[0].replace(detail, "(hidden)"), *error.args[1:])


def make_engine(url: str, timeouts: Timeouts = Timeouts()) -> Engine:
    # hide_parameters: a failed statement's log line must not carry user data (contact emails).
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_tuner(timeouts))
        event.listen(engine, "begin", _sqlite_beginner(timeouts))
        return engine
    engine = create_engine(
        url,
        hide_parameters=True,
        connect_args={
            "connect_timeout": timeouts.connect,
            "options": f"-c statement_timeout={int(timeouts.statement_ms)}",
        },
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=timeouts.connect,
    )
    event.listen(engine, "begin", _lift_statement_timeout)
    event.listen(engine, "handle_error", _hide_row_data)
    return engine


@functools.cache
def head_revisions() -> frozenset[str]:
    """The newest migration (one, unless branches were left unmerged), read from the migration
    files: no Alembic import and nothing executed, so the health check stays cheap."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        constants = _module_constants(path)
        revisions.add(constants["revision"])
        down = constants.get("down_revision")
        parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents)


def _module_constants(path: Path) -> dict[str, object]:
    """Top-level `name = <literal>` and `name: type = <literal>` assignments of a Python file."""
    constants: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        elif isinstance(node, ast.Assign):
            targets = node.targets
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    constants[target.id] = ast.literal_eval(node.value)
                except ValueError:  # not a literal
                    pass
    return constants


class Database:
    """One per process. `session()` is a unit of work: commit on success, rollback on error."""

    def __init__(self, url: str, timeouts: Timeouts = Timeouts()) -> None:
        self.url = url
        self.engine = make_engine(url, timeouts)
        # Objects stay readable after commit so they can be rendered outside the session.
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._patient = sessionmaker(self.engine.execution_options(**{PATIENT: True}), expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(**{READONLY: True}), expire_on_commit=False)
        event.listen(self._readers, "before_flush", _refuse_writes)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, *, patient: bool = False) -> Iterator[Session]:
        """A unit of work that writes. `patient`: background work, which may queue longer for
        SQLite's one writer than a listener that must answer Slack within 3 s."""
        with (self._patient if patient else self._sessions).begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads: on SQLite it does not wait for, or block, writers."""
        with self._readers.begin() as session:
            yield session

    def current_revisions(self) -> frozenset[str]:
        """The migrations the database is at; empty before the first one."""
        try:
            with self.engine.connect() as connection:
                if not inspect(connection).has_table("alembic_version"):
                    return frozenset()
                return frozenset(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
        except SQLAlchemyError:
            return frozenset()

    def alembic_config(self) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        # Passed as an attribute, not an option: ini interpolation would mangle '%' in passwords.
        config.attributes["engine"] = self.engine.execution_options(**{UNBOUNDED_STATEMENTS: True})
        return config

    def upgrade(self, revision: str = "head") -> None:
        """Migrate to `revision`; already at the head, return without loading Alembic."""
        if revision == "head" and self.current_revisions() == head_revisions():
            return
        from alembic import command

        command.upgrade(self.alembic_config(), revision)

    def revision(self, message: str) -> None:
        """Autogenerate a migration from the difference between the models and this database."""
        from alembic import command

        command.revision(self.alembic_config(), message=message, autogenerate=True)

    def health(self) -> str | None:
        """None when the database answers, its schema is at the newest migration and it takes a
        write; else why not, in one line."""
        try:
            with self.engine.connect() as connection:
                if not inspect(connection).has_table("alembic_version"):
                    return f"database is not migrated: {UPGRADE_HINT}"
                current = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except SQLAlchemyError as error:
            # The reason stays in the log: /healthz is public.
            log.warning("health check: database %s: %s", unavailable(error) or UNREACHABLE, driver_message(error))
            return f"database {unavailable(error) or UNREACHABLE} ({error.__class__.__name__})"
        heads = head_revisions()
        if set(current) != heads:
            if not current:
                return f"database is not migrated: {UPGRADE_HINT}"
            return f"database schema is at {', '.join(sorted(current))}, this code expects {', '.join(sorted(heads))}: {UPGRADE_HINT}"
        return self._writable()

    def _writable(self) -> str | None:
        """A committed write of the row that is there anyway: a read-only file, a full disk or a
        database in recovery refuse it, where a read would still answer."""
        try:
            with self.engine.begin() as connection:
                connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
        except SQLAlchemyError as error:
            log.warning(
                "health check: database cannot be written, %s: %s",
                unavailable(error) or "failed",
                driver_message(error),
            )
            return f"database cannot be written: {unavailable(error) or 'failed'} ({error.__class__.__name__})"
        return None

    def dispose(self) -> None:
        self.engine.dispose()
