"""The delivery worker in bulk: posts that finish together are recorded together, in a few
statements whatever their number, and what later rows need is recorded before they go.

Each test asserts what people see in Slack (the fake's channels, threads and DMs).
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, text

from driver import visible_text
from schedhelp import add_event, client_for, dispatcher, outbox_rows, reminders, seed_due_reminders, wait_until
from services import Services
from services import outbox as kinds
from services.delivery import Deliverer
from services.runtime import Doorbell
from services.schedule import queue_due_work
from storage import Database
from storage.db import Timeouts
from storage.models import Event


@pytest.mark.parametrize("batch", [1, 200])
def test_a_card_posted_in_a_run_has_its_thread_note_and_reminder_in_its_thread(database, clock, slack, batch):
    """The card, a note about an edit and the reminder go out in one run (in one batch, or one
    batch each): the note and the reminder find the card's thread without waiting for a retry."""
    event_id = add_event(database, clock(), clock() + timedelta(hours=2), kinds=("1h",), message_ts=None)
    with database.session() as session:
        stored = session.get(Event, event_id)
        kinds.announce(session, stored, clock())
        kinds.thread_note(session, stored, "updated", clock(), user="U1")
    clock.advance(hours=1)
    dispatcher(slack, database, clock, batch=batch).run_once()
    [card] = slack.history("C1")
    replies = [visible_text(m) for m in slack.thread("C1", card["ts"])]
    assert len(replies) == 2  # in either order: neither waits for the other
    assert any("<@U1> updated this event" in reply for reply in replies)
    assert any("Reminder: Vigil for families" in reply for reply in replies)
    assert {r.status for r in reminders(database, event_id)} == {"sent"}


def _statements(db: Database, run) -> int:
    """How many statements (an executemany counts once) `run` sends to the database."""
    sent = []
    listener = lambda *_args: sent.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(sent)


def test_ten_times_the_reminders_take_hardly_more_statements_to_claim_post_and_record(database, clock, slack):
    """Rows are claimed fifty channels at a time and results are recorded as posts finish (so no
    post waits for a slow channel's), those that finish together in one transaction: ten times
    the rows take a few more transactions, far from ten times the statements."""
    seed_due_reminders(database, clock(), 10, 10, cards=False)
    few = _statements(database, lambda: dispatcher(slack, database, clock, settle=False).run_once())
    seed_due_reminders(database, clock(), 100, 100, cards=False, first_id=11)
    many = _statements(database, lambda: dispatcher(slack, database, clock, settle=False).run_once())
    assert many < few * 3
    seen = [re.search(r"event #(\d+)", visible_text(m)).group(1) for n in range(100) for m in slack.history(f"C{n}")]
    assert sorted(map(int, seen)) == list(range(1, 111))  # each reminder once
    assert {r.status for r in reminders(database)} == {"sent"}


def _hold_writes(database: Database, seconds: float) -> threading.Thread:
    """Another connection keeps the outbox from being written (SQLite: the one write lock)."""
    started = threading.Event()

    def hold() -> None:
        with database.session() as session:
            session.connection()
            if not database.is_sqlite:
                session.execute(text("LOCK TABLE outbox IN EXCLUSIVE MODE"))
            started.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert started.wait(5)
    return thread


def test_posts_whose_recording_failed_are_found_not_posted_again(database, clock, slack):
    """The database refuses the round's results after Slack took the posts: the run stops,
    the rows stay claimed, and once their lease runs out the next run finds each post."""
    for n in range(3):
        add_event(database, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel=f"C{n}", message_ts=None)
    clock.advance(hours=1)
    impatient = Database(database.url, Timeouts(statement_ms=300, sqlite_patient_busy_ms=300))
    try:
        services = Services(db=impatient, now=clock)
        worker = Deliverer(services, client_for(slack), channel_interval=0.0)
        queue_due_work(services)
        slack.set_latency("chat.postMessage", 0.3)
        run = threading.Thread(target=worker.run_once)
        run.start()
        wait_until(lambda: [r.status for r in outbox_rows(database)] == ["claimed"] * 3)
        holder = _hold_writes(database, 1.5)
        run.join(10)
        holder.join(10)
        assert [len(slack.history(f"C{n}")) for n in range(3)] == [1, 1, 1]  # Slack has them; the app does not know
        assert [r.status for r in outbox_rows(database)] == ["claimed"] * 3
        clock.advance(seconds=31)  # the lease runs out
        slack.set_latency("chat.postMessage", 0)
        worker.run_once()
    finally:
        impatient.dispose()
    assert [len(slack.history(f"C{n}")) for n in range(3)] == [1, 1, 1]
    assert len(slack.calls_to("conversations.history")) == 3
    assert {r.status for r in reminders(database)} == {"sent"}


def test_the_clock_rings_the_worker_as_each_batch_of_due_reminders_is_committed(database, clock):
    """2,500 due reminders are queued 1,000 at a time: the worker can send the first thousand
    while the rest are still being queued, not only once the whole tick is over."""
    seed_due_reminders(database, clock(), 2500, 100, cards=False)

    class CountingDoorbell(Doorbell):
        def __init__(self) -> None:
            super().__init__()
            self.queued_at_each_ring: list[int] = []

        def ring(self) -> None:
            self.queued_at_each_ring.append(len(outbox_rows(database)))  # what the worker would find now
            super().ring()

    doorbell = CountingDoorbell()
    assert queue_due_work(Services(db=database, now=clock, doorbell=doorbell)) == 2500
    assert doorbell.queued_at_each_ring == [1000, 2000, 2500]
