"""A bounded outbox: finished rows are pruned after OUTBOX_RETENTION, a batch per transaction;
what is still to be sent, and what later lookups need, stays."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from schedhelp import outbox_rows
from services import Services
from services.schedule import OUTBOX_RETENTION, prune_outbox
from storage import outbox
from storage.models import OutboxChannel, OutboxMessage


def _row(session, key, status, created_at, kind="reminder", channel="C1"):
    row = outbox.enqueue(session, team_id="T0TEST", kind=kind, key=key, channel=channel, now=created_at)
    row.status = status


def test_finished_rows_older_than_the_retention_are_pruned_in_batches(database, clock):
    old, recent = clock() - OUTBOX_RETENTION - timedelta(hours=1), clock() - OUTBOX_RETENTION + timedelta(hours=1)
    with database.session() as session:
        for n in range(7):
            _row(session, f"old-sent-{n}", "sent", old)
        for status in ("failed", "cancelled", "skipped"):
            _row(session, f"old-{status}", status, old)
        _row(session, "old-pending", "pending", old)  # still to be sent
        _row(session, "old-held", "held", old)  # waiting for a reinstall
        _row(session, "old-review", "sent", old, kind="review", channel="CREVIEW")  # its redraws find it
        _row(session, "recent-sent", "sent", recent)
    pruned = prune_outbox(Services(db=database, now=clock), batch=3)
    assert pruned == 10
    assert sorted(row.key for row in outbox_rows(database)) == ["old-held", "old-pending", "old-review", "recent-sent"]
    assert prune_outbox(Services(db=database, now=clock), batch=3) == 0


def test_idle_channels_pace_rows_are_forgotten_and_busy_ones_kept(database, clock):
    with database.session() as session:
        _row(session, "waiting", "pending", clock(), channel="CBUSY")
        pace = outbox.database_time(session) - timedelta(hours=2)
        session.add_all(
            [OutboxChannel(team_id="T0TEST", channel=channel, next_allowed_at=pace) for channel in ("CBUSY", "CIDLE")]
        )
    prune_outbox(Services(db=database, now=clock))
    with database.read() as session:
        assert list(session.scalars(select(OutboxChannel.channel))) == ["CBUSY"]
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
