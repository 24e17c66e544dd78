"""The migrations build exactly what the models say, on both databases, and step down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.models import Base


def ours(obj, name, kind, reflected, compare_to) -> bool:
    """Our models' tables: slack_sdk's installation tables are checked against slack_sdk (test_installs)."""
    table = obj if kind == "table" else getattr(obj, "table", None)
    return table is None or not reflected or table.name in Base.metadata.tables


def differences(database) -> list:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        return compare_metadata(context, Base.metadata)


def test_the_migrated_schema_is_the_models(database):
    assert differences(database) == []


def _down_and_up_again(database, before: str) -> set[str]:
    """Step down to the revision `before` a migration and up again: the tables the step took away."""
    config = database.alembic_config()
    command.downgrade(config, before)
    try:
        return {d[1].name for d in differences(database) if d[0] == "add_table"}
    finally:
        command.upgrade(config, "head")
        assert differences(database) == []


def test_review_and_reports_migrate_down_and_up_again(database):
    assert "event_reports" in _down_and_up_again(database, "0011")


def test_languages_migrate_down_and_up_again(database):
    assert {"person_settings", "channel_settings"} <= _down_and_up_again(database, "0012")  # later ones come down too


def test_home_views_migrate_down_and_up_again(database):
    assert "home_views" in _down_and_up_again(database, "0014")  # later ones come down too


def test_signups_migrate_down_and_up_again(database):
    assert "signups" in _down_and_up_again(database, "0016")  # later ones come down too


def test_events_congress_members_migrate_down_and_up_again(database):
    config = database.alembic_config()
    command.downgrade(config, "0017")
    try:
        missing = [(d[2], d[3].name) for d in differences(database) if d[0] == "add_column"]
    finally:
        command.upgrade(config, "head")
    assert missing == [("events", "congress_members")] and differences(database) == []


def test_outbox_channels_migrate_down_and_up_again(database):
    assert _down_and_up_again(database, "0018") == {"outbox_channels"}
