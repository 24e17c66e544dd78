"""co-hosts of events; indexes for `/event mine` (events one registered, co-hosts or goes to)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_hosts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_hosts_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_hosts")),
        sa.UniqueConstraint("event_id", "user_id", name="uq_event_hosts_event_user"),
    )
    op.create_index("ix_event_hosts_team_user", "event_hosts", ["team_id", "user_id"], unique=False)
    op.create_index("ix_rsvps_team_user", "rsvps", ["team_id", "user_id"], unique=False)
    # Plain CREATE INDEX, not batch mode: copying `events` would recreate its indexes in an
    # arbitrary order, and SQLite's planner breaks ties between equal indexes by that order.
    op.create_index("ix_events_team_creator_starts", "events", ["team_id", "created_by", "starts_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_team_creator_starts", table_name="events")
    op.drop_index("ix_rsvps_team_user", table_name="rsvps")
    op.drop_index("ix_event_hosts_team_user", table_name="event_hosts")
    op.drop_table("event_hosts")
