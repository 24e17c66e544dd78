"""token encryption: room in the installation store's token columns for their Fernet encryption

slack_sdk's token columns hold 200 characters; bot.installs stores each token encrypted
(Fernet), which makes a token of 200 characters 356. The rows themselves are encrypted by the
bot as it starts (bot.installs.installation_store), which has TOKEN_ENCRYPTION_KEY.

A downgrade narrows the columns again, but leaves the tokens encrypted: the code before this
revision cannot read them, so every workspace has to install again.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKEN_COLUMNS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}
PLAIN, ENCRYPTED = 200, 400  # bot.installs.ENCRYPTED_TOKEN_LENGTH


def _resize(before: int, after: int) -> None:
    for table, columns in TOKEN_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column,
                    existing_type=sa.String(length=before),
                    type_=sa.String(length=after),
                    existing_nullable=True,
                )


def upgrade() -> None:
    _resize(PLAIN, ENCRYPTED)


def downgrade() -> None:
    _resize(ENCRYPTED, PLAIN)
