"""content translations: a shipped toolkit's and sample post's fields in other languages

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows loaded before have no translations: `organizer-bot content load` brings them in.
    with op.batch_alter_table("content_topics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
    with op.batch_alter_table("content_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), server_default=sa.text("'{}'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("content_posts", schema=None) as batch_op:
        batch_op.drop_column("translations")
    with op.batch_alter_table("content_topics", schema=None) as batch_op:
        batch_op.drop_column("translations")
