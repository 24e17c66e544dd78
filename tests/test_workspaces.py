"""The workspaces the bot serves, beside the OAuth flow (tests/test_installs.py): the install
tables as the stores expect them, deleting a team's data, a single workspace's uninstall and
new token, and the operator's commands."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, select

from bot.app import make_services
from bot.installs import installation_store, state_store
from bot.settings import load_settings
from botprocess import BotProcess
from conftest import TOKEN_KEY, bot_env
from fakeslack import CLIENT_ID, CLIENT_SECRET, TEAM_ID
from schedhelp import add_event, dispatcher, outbox_rows, reminders, wait_until
from services import outbox, workspaces
from storage.models import Base, Event, OutboxStatus, Workspace
from storage.outbox import hold
from test_startup import start
from timemath import UTC

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


def install_settings(slack, database):
    env = {k: v for k, v in bot_env(slack, database.url).items() if k != "SLACK_BOT_TOKEN"}
    return load_settings(
        {**env, "SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET, "TOKEN_ENCRYPTION_KEY": TOKEN_KEY}
    )


# --- the schema ------------------------------------------------------------------------------


def _differences(database, metadata) -> list:
    """What Alembic would change to make the migrated database match `metadata` (its tables only)."""

    def ours(obj, name, type_, reflected, compare_to) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name in metadata.tables

    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        return compare_metadata(context, metadata)


def test_the_migrations_create_what_the_models_and_the_install_stores_expect(slack, database):
    settings = install_settings(slack, database)
    assert _differences(database, Base.metadata) == []
    assert _differences(database, installation_store(settings, database).metadata) == []
    assert _differences(database, state_store(database).metadata) == []


def test_the_install_stores_work_on_the_migrated_tables(slack, database):
    store, states = installation_store(install_settings(slack, database), database), state_store(database)
    store.save(
        Installation(
            app_id="A0TEST",
            enterprise_id="E1",
            team_id=None,
            user_id="U1",
            bot_token="xoxb-org",
            bot_id="B1",
            bot_user_id="UBOT",
            is_enterprise_install=True,
        )
    )
    assert store.find_installation(enterprise_id="E1", team_id="T9", is_enterprise_install=True).bot_token == "xoxb-org"
    assert store.find_bot(enterprise_id="E1", team_id=None, is_enterprise_install=True).bot_token == "xoxb-org"
    state = states.issue()
    assert states.consume(state) and not states.consume(state)


def test_every_table_belongs_to_a_team_so_that_a_purge_reaches_it():
    assert [t.name for t in Base.metadata.sorted_tables if "team_id" not in t.c] == []


def test_a_single_workspace_process_does_not_load_the_install_stores(slack, database):
    probe = (
        "import sys; from bot.app import Transport, create_app, make_services; from bot.settings import load_settings; from storage import Database\n"
        f"settings = load_settings({bot_env(slack, database.url)!r}); db = Database(settings.database_url)\n"
        "create_app(settings, make_services(settings, db), transport=Transport.HTTP)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('greenlet', 'sqlalchemy.ext.asyncio', 'bot.installs'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- deleting a team's data -----------------------------------------------------------------


def _seed(database, team_id: str) -> int:
    event_id = add_event(database, NOW, NOW + timedelta(days=2), kinds=("1d", "1h"), team_id=team_id, going=("U2",))
    with database.session() as session:
        outbox.share(session, team_id, "C1", [{"text": "hello"}], "U1", NOW)
        session.add(Workspace(team_id=team_id, enterprise_id=None, org_install=False, status="active", changed_at=NOW))
    return event_id


def test_purge_team_deletes_every_row_of_that_team_and_its_installation_only(slack, database, clock):
    services = make_services(install_settings(slack, database), database, now=clock)
    for team in ("T0GONE", "T0STAYS"):
        _seed(database, team)
        services.installations.save(Installation(app_id="A0TEST", team_id=team, user_id="U1", bot_token=f"xoxb-{team}"))

    deleted = workspaces.purge_team(services, "T0GONE")

    assert deleted == {"events": 1, "outbox": 1, "reminders": 4, "rsvps": 1, "workspaces": 1}
    with database.read() as session:
        assert {row for row in session.scalars(select(Event.team_id))} == {"T0STAYS"}
        assert session.scalar(select(func.count()).select_from(Workspace)) == 1
    assert len(reminders(database)) == 4 and {r.team_id for r in outbox_rows(database)} == {"T0STAYS"}
    assert services.installations.find_installation(enterprise_id=None, team_id="T0GONE") is None
    assert services.installations.find_installation(enterprise_id=None, team_id="T0STAYS").bot_token == "xoxb-T0STAYS"
    assert workspaces.purge_team(services, "T0GONE") == {}  # again: nothing left, no error


# --- one workspace (SLACK_BOT_TOKEN) ---------------------------------------------------------


def test_a_single_workspace_uninstall_stops_its_work_and_its_data_goes_after_the_grace_period(
    bot, slack, database, clock, services
):
    event_id = add_event(database, clock(), clock() + timedelta(hours=3), kinds=("1h",), going=("U2",))
    bot.command("/digest", "subscribe 10:00", channel="C1")  # 10:00 in U1's Chicago: 16:00 UTC
    assert bot.event("app_uninstalled", {}).status == 200
    wait_until(lambda: [s.workspace.status for s in workspaces.report(services)] == ["uninstalled"])

    clock.advance(hours=2, minutes=1)  # the 1-hour reminders and the digest are due
    report = dispatcher(slack, database, clock).run_once()
    assert report.posts == [] and slack.calls_to("chat.postMessage") == []
    assert {r.status for r in reminders(database, event_id)} == {"pending"}  # not queued: kept for a reinstall

    clock.advance(days=30)
    assert workspaces.purge_expired(services) == [TEAM_ID]
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0
    assert reminders(database) == [] and workspaces.report(services) == []


@pytest.mark.processes
def test_a_working_token_at_start_sends_what_was_held(slack, database, tmp_path):
    """SLACK_BOT_TOKEN was revoked (posts held); the operator puts a new one in and restarts."""
    with database.session() as session:
        session.add(
            Workspace(team_id=TEAM_ID, org_install=False, status="revoked", problem="token_revoked", changed_at=NOW)
        )
        outbox.share(session, TEAM_ID, "C1", [{"text": "Held for the new token"}], "U1", NOW)
        outbox.share(session, "T0OTHER", "C9", [{"text": "Another workspace's"}], "U1", NOW)
        hold(session, [TEAM_ID, "T0OTHER"])
    with BotProcess(slack, database.url, tmp_path, "clock") as process:
        process.start(wait_http=False)
        [post] = slack.wait_for("chat.postMessage", timeout=20)
        assert post["text"] == "Held for the new token" and post["channel"] == "C1"
        assert process.terminate()[0] == 0
    services = make_services(load_settings(bot_env(slack, database.url)), database)
    assert [(s.workspace.team_id, s.workspace.status, s.held) for s in workspaces.report(services)] == [
        (TEAM_ID, "active", 0)
    ]
    assert {r.team_id: r.status for r in outbox_rows(database)} == {TEAM_ID: "sent", "T0OTHER": OutboxStatus.HELD.value}


# --- the operator's commands -----------------------------------------------------------------


def test_teams_reports_each_workspace_and_purge_team_deletes_one(slack, database, clock, tmp_path):
    services = make_services(load_settings(bot_env(slack, database.url)), database, now=clock)
    _seed(database, "T0GONE")
    _seed(database, "T0STAYS")
    workspaces.uninstalled(services, team_id="T0GONE", enterprise_id=None, org_install=False)
    with database.session() as session:
        workspaces.token_stopped_working("T0STAYS", "account_inactive", clock())(session)

    listed = start("teams", env=bot_env(slack, database.url), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "T0GONE: uninstalled (app_uninstalled) since 2026-11-21 15:00 UTC; 1 posts held until it is reinstalled; "
        "its data is deleted after 2026-12-21 15:00 UTC (now: organizer-bot purge-team T0GONE)",
        "T0STAYS: revoked (account_inactive) since 2026-11-21 15:00 UTC; 1 posts held until it is reinstalled",
    ]

    purged = start("purge-team", "T0GONE", env=bot_env(slack, database.url), cwd=tmp_path)
    assert purged.returncode == 0, purged.stderr
    assert (
        "workspace T0GONE: deleted its data (events 1, outbox 1, reminders 4, rsvps 1, workspaces 1)" in purged.stderr
    )
    with database.read() as session:
        assert set(session.scalars(select(Event.team_id))) == {"T0STAYS"}
    assert slack.calls == []  # neither command talks to Slack

    typo = start("purge-team", "not a team", env=bot_env(slack, database.url), cwd=tmp_path)
    assert typo.returncode == 2 and "is not a Slack workspace id (like T0123ABCD)" in typo.stderr
