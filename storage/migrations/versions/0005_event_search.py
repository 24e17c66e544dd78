"""event search columns and indexes

Lists and filters read indexes whose size is what they return, not the team's history:
an effective end and a duration class find the events on now, normalised state and city
columns make the filters comparable, and each hot query has its composite index.
Existing rows are backfilled with the same functions the model uses on every write.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import duration_class, normalize_city, normalize_state
from storage.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000
INDEXES = {
    "ix_events_team_type_starts": ["team_id", "event_type", "starts_at"],
    "ix_events_team_state_starts": ["team_id", "state_key", "starts_at"],
    "ix_events_team_city_starts": ["team_id", "city_key", "starts_at"],
    "ix_events_team_duration_end": ["team_id", "duration_class", "effective_end"],
}
events = sa.table(
    "events",
    sa.column("id", sa.Integer()),
    sa.column("starts_at", UTCDateTime()),
    sa.column("ends_at", UTCDateTime()),
    sa.column("state", sa.String()),
    sa.column("city", sa.String()),
    sa.column("effective_end", UTCDateTime()),
    sa.column("duration_class", sa.SmallInteger()),
    sa.column("state_key", sa.String()),
    sa.column("city_key", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effective_end", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("duration_class", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("state_key", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("city_key", sa.String(length=100), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("effective_end", existing_type=UTCDateTime(timezone=True), nullable=False)
        batch_op.alter_column("duration_class", existing_type=sa.SmallInteger(), nullable=False)
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def _backfill(connection) -> None:
    """In batches by id: memory stays flat however many events there are."""
    update = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("row_id"))
        .values(
            effective_end=sa.bindparam("new_end"),
            duration_class=sa.bindparam("new_class"),
            state_key=sa.bindparam("new_state"),
            city_key=sa.bindparam("new_city"),
        )
    )
    source = (
        sa.select(events.c.id, events.c.starts_at, events.c.ends_at, events.c.state, events.c.city)
        .order_by(events.c.id)
        .limit(BATCH)
    )
    last_id = 0
    while rows := connection.execute(source.where(events.c.id > last_id)).all():
        connection.execute(
            update,
            [
                dict(
                    row_id=row.id,
                    new_end=row.ends_at or row.starts_at,
                    new_class=duration_class(row.starts_at, row.ends_at),
                    new_state=normalize_state(row.state),
                    new_city=normalize_city(row.city),
                )
                for row in rows
            ],
        )
        last_id = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_column("city_key")
        batch_op.drop_column("state_key")
        batch_op.drop_column("duration_class")
        batch_op.drop_column("effective_end")
