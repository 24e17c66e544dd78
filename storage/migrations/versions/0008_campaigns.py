"""campaigns, and the campaign each event belongs to

Campaigns are rows per team; the shipped ones are loaded from the content files on a team's
first use (services.content), so nothing is copied here. `events.campaign_slug` starts empty,
and `/event list <campaign>` reads its own index, like the other list filters.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DURATION_INDEX = "ix_events_team_duration_end"
DURATION_COLUMNS = ["team_id", "duration_class", "effective_end"]


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("dates_text", sa.String(length=200), nullable=True),
        sa.Column("hashtags", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("call_to_action", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("team_id", "slug", name="uq_campaigns_team_slug"),
    )
    # Plain ALTER TABLE and CREATE INDEX, not batch mode: copying `events` would recreate its
    # indexes in an arbitrary order, and SQLite's planner breaks ties between equal indexes by
    # it, preferring the newest. Without statistics, "(team, campaign, start) before now" and
    # "(team, duration class, end) from now" tie for the events on now: the duration index is
    # rebuilt after the new one so that it stays the newest and wins, as for the other filters.
    op.add_column("events", sa.Column("campaign_slug", sa.String(length=64), nullable=True))
    op.drop_index(DURATION_INDEX, table_name="events")
    op.create_index("ix_events_team_campaign_starts", "events", ["team_id", "campaign_slug", "starts_at"], unique=False)
    op.create_index(DURATION_INDEX, "events", DURATION_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_team_campaign_starts", table_name="events")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("campaign_slug")
    op.drop_table("campaigns")
