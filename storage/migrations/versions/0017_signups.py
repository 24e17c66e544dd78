"""signups: members of the public going to an event, signed up on its public page

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("zip_code", sa.String(length=10), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("erased_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_signups_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signups")),
        sa.UniqueConstraint("event_id", "email", name="uq_signups_event_email"),
        sa.UniqueConstraint("token", name="uq_signups_token"),
    )
    op.create_index("ix_signups_event_status", "signups", ["event_id", "status"], unique=False)
    op.create_index("ix_signups_email_created", "signups", ["email", "created_at"], unique=False)
    op.create_index("ix_signups_erased_event", "signups", ["erased_at", "event_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_signups_erased_event", table_name="signups")
    op.drop_index("ix_signups_email_created", table_name="signups")
    op.drop_index("ix_signups_event_status", table_name="signups")
    op.drop_table("signups")
