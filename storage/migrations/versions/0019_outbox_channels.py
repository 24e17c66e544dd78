"""outbox_channels: each channel's pace, shared by every process; rows found per channel

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_channels",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("next_allowed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=36), nullable=True),
        sa.Column("claimed_until", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("team_id", "channel", name=op.f("pk_outbox_channels")),
    )
    op.create_index("ix_outbox_channels_next", "outbox_channels", ["next_allowed_at"], unique=False)
    op.create_index(
        "ix_outbox_channel_status_next", "outbox", ["team_id", "channel", "status", "next_attempt_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_channel_status_next", table_name="outbox")
    op.drop_index("ix_outbox_channels_next", table_name="outbox_channels")
    op.drop_table("outbox_channels")
