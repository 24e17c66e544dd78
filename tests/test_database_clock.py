"""One clock, the database's: what every process calls `now` follows the database's time, not the
machine's, and a machine clock that is off is logged at start and every hour."""

from __future__ import annotations

import logging
from datetime import timedelta

from services.runtime import DatabaseClock
from storage.db import database_time
from timemath import utcnow


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def _database_now(database):
    with database.read() as session:
        return database_time(session)


def test_now_is_the_databases_whatever_the_machine_says_and_a_jump_moves_nothing(database):
    machine = {"off": timedelta(hours=2)}
    ticks = Ticks()
    clock = DatabaseClock(database, process_clock=lambda: utcnow() + machine["off"], monotonic=ticks)
    assert abs(clock() - _database_now(database)) < timedelta(seconds=5)
    machine["off"] = timedelta(hours=-1)  # the machine's clock jumps back three hours mid-run
    ticks.seconds += 10
    assert abs(clock() - _database_now(database) - timedelta(seconds=10)) < timedelta(
        seconds=5
    )  # carried by the monotonic clock


def test_a_clock_more_than_a_minute_off_is_logged_at_start_and_every_hour(database, caplog):
    ticks = Ticks()
    clock = DatabaseClock(database, process_clock=lambda: utcnow() + timedelta(minutes=5), monotonic=ticks)
    with caplog.at_level(logging.WARNING, logger="services.runtime"):
        clock()
        for _ in range(59):  # read again every minute for an hour: said once
            ticks.seconds += 60
            clock()
        assert len([r for r in caplog.records if "off the database's" in r.getMessage()]) == 1
        ticks.seconds += 61
        clock()
    warnings = [r.getMessage() for r in caplog.records if "off the database's" in r.getMessage()]
    assert len(warnings) == 2 and "+300 s" in warnings[0]


def test_a_clock_within_a_minute_is_not_logged(database, caplog):
    clock = DatabaseClock(database, process_clock=lambda: utcnow() + timedelta(seconds=30))
    with caplog.at_level(logging.WARNING, logger="services.runtime"):
        clock()
    assert not [r for r in caplog.records if "off the database's" in r.getMessage()]
