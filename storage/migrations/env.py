"""Alembic environment: runs against the engine handed over by storage.db.Database."""

from alembic import context

from storage.models import Base

# Tables of slack_sdk's installation and state stores (migration 0010), not of our models:
# autogenerate must not offer to drop them.
STORE_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    return not (type_ == "table" and name in STORE_TABLES)


config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        include_name=include_name,
    )
    context.run_migrations()
