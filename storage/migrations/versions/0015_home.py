"""home: who opened their App Home, when, and what it shows them

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "home_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("staff", sa.Boolean(), nullable=False),
        sa.Column("campaign", sa.String(length=64), nullable=True),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_home_views")),
        sa.UniqueConstraint("team_id", "user_id", name="uq_home_views_team_user"),
    )


def downgrade() -> None:
    op.drop_table("home_views")
