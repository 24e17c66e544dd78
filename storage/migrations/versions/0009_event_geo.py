"""event coordinates and the distance search's grid

Each event gets the coordinates of its ZIP code, else of its city and state (storage.places),
and the 2° grid cell they fall in, or the online cell for an event only online. An index of
(team, cell, effective end), holding too the coordinates, the id and what says whether an
event is on and who may see it, lets a distance search read only the upcoming events of the
cells around a place, from the index alone.
Existing rows are backfilled with the function the model uses on every write.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import location_keys

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000
INDEX = "ix_events_team_cell_end"
events = sa.table(
    "events",
    sa.column("id", sa.Integer()),
    sa.column("zip_code", sa.String()),
    sa.column("city", sa.String()),
    sa.column("state", sa.String()),
    sa.column("online_url", sa.String()),
    sa.column("latitude", sa.Float()),
    sa.column("longitude", sa.Float()),
    sa.column("geo_cell", sa.Integer()),
)


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("geo_cell", sa.Integer(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            INDEX,
            [
                "team_id",
                "geo_cell",
                "effective_end",
                "latitude",
                "longitude",
                "id",
                "cancelled_at",
                "private_channel",
                "is_public",
                "channel_id",
                "created_by",
            ],
            unique=False,
        )


def _backfill(connection) -> None:
    """In batches by id, only the rows that are somewhere or online: memory stays flat."""
    update = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("row_id"))
        .values(
            latitude=sa.bindparam("new_latitude"),
            longitude=sa.bindparam("new_longitude"),
            geo_cell=sa.bindparam("new_cell"),
        )
    )
    placed = sa.or_(events.c.zip_code.is_not(None), events.c.city.is_not(None), events.c.online_url.is_not(None))
    source = (
        sa.select(events.c.id, events.c.zip_code, events.c.city, events.c.state, events.c.online_url)
        .where(placed)
        .order_by(events.c.id)
        .limit(BATCH)
    )
    last_id = 0
    while rows := connection.execute(source.where(events.c.id > last_id)).all():
        located = [(row.id, location_keys(row.zip_code, row.city, row.state, row.online_url)) for row in rows]
        changes = [
            dict(row_id=row_id, new_latitude=lat, new_longitude=lon, new_cell=cell)
            for row_id, (lat, lon, cell) in located
            if cell is not None
        ]
        if changes:
            connection.execute(update, changes)
        last_id = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
        batch_op.drop_column("geo_cell")
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
