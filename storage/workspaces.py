"""Workspaces: which install serves each team, whether its work is held, and deleting a team's data.

A team without a row is active. Work of an inactive team (a revoked token, an uninstall) is
not queued (reminders, digests) and its outbox rows are held until it is active again.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from storage import outbox
from storage.models import INACTIVE, Base, OutboxMessage, OutboxStatus, Workspace, WorkspaceStatus


def get(session: Session, team_id: str) -> Workspace | None:
    return session.get(Workspace, team_id)


def is_served(team_id: ColumnElement[str]) -> ColumnElement[bool]:
    """A condition on a query's team column: the team's work may go ahead (it is not held)."""
    return team_id.not_in(select(Workspace.team_id).where(Workspace.status.in_(INACTIVE)))


def _locked(session: Session, team_id: str, now: datetime) -> Workspace:
    """The team's row, created (active) if it has none, locked until the transaction ends: events
    about one workspace (app_uninstalled and tokens_revoked come together) are applied one
    after the other. SQLite runs write transactions one at a time anyway."""
    values = {"team_id": team_id, "org_install": False, "status": WorkspaceStatus.ACTIVE.value, "changed_at": now}
    # The dialect's own INSERT (both have ON CONFLICT), imported by name: a SQLite process never
    # loads the PostgreSQL dialect (+2.5 MB).
    insert = importlib.import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}").insert
    session.execute(insert(Workspace).values(**values).on_conflict_do_nothing(index_elements=["team_id"]))
    return session.get(Workspace, team_id, with_for_update=True, populate_existing=True)


def record(session: Session, team_id: str, enterprise_id: str | None, org_install: bool, now: datetime) -> Workspace:
    """Note which install serves `team_id` (a row for it if it has none; its status is untouched)."""
    workspace = _locked(session, team_id, now)
    workspace.enterprise_id, workspace.org_install = enterprise_id, org_install
    session.flush()
    return workspace


def of_org(session: Session, enterprise_id: str) -> list[str]:
    """The workspaces an organization's org-wide install serves (those the bot has heard from)."""
    query = select(Workspace.team_id).where(Workspace.enterprise_id == enterprise_id, Workspace.org_install.is_(True))
    return list(session.scalars(query.order_by(Workspace.team_id)))


def activate(session: Session, team_ids: Iterable[str], now: datetime) -> int:
    """Active again (reinstalled, or a working token): its held posts become due. Returns how many were held."""
    team_ids = list(team_ids)
    for workspace in session.scalars(select(Workspace).where(Workspace.team_id.in_(team_ids)).with_for_update()):
        if workspace.status != WorkspaceStatus.ACTIVE.value:
            workspace.status, workspace.problem, workspace.purge_after, workspace.changed_at = (
                WorkspaceStatus.ACTIVE.value,
                None,
                None,
                now,
            )
    return outbox.release_held(session, team_ids, now)


def deactivate(
    session: Session,
    team_ids: Iterable[str],
    status: WorkspaceStatus,
    problem: str,
    now: datetime,
    *,
    purge_after: datetime | None = None,
) -> list[str]:
    """Hold the teams' work; returns the teams whose status changed (repeats change nothing).

    An uninstall outranks a revoked token: a revocation reported after it does not undo its
    grace period. The first uninstall sets when the data goes; a repeated one keeps it.
    """
    changed = []
    for team_id in team_ids:
        workspace = _locked(session, team_id, now)
        if workspace.status == status.value or workspace.status == WorkspaceStatus.UNINSTALLED.value:
            continue
        workspace.status, workspace.problem, workspace.changed_at = status.value, problem[:200], now
        workspace.purge_after = purge_after
        changed.append(team_id)
    session.flush()
    outbox.hold(session, changed)
    return changed


def due_for_purge(session: Session, now: datetime) -> list[str]:
    query = select(Workspace.team_id).where(
        Workspace.status == WorkspaceStatus.UNINSTALLED.value, Workspace.purge_after <= now
    )
    return list(session.scalars(query.order_by(Workspace.team_id)))


def purge(session: Session, team_id: str) -> dict[str, int]:
    """Delete every row of the team, in every table (children first). Returns rows deleted per table."""
    deleted = {}
    for table in reversed(Base.metadata.sorted_tables):
        count = session.execute(delete(table).where(table.c.team_id == team_id)).rowcount
        if count:
            deleted[table.name] = count
    return deleted


@dataclass(frozen=True)
class Standing:
    """A workspace as the operator's report shows it."""

    workspace: Workspace
    held: int  # outbox rows waiting for it to be active again


def report(session: Session) -> list[Standing]:
    held = dict(
        session.execute(
            select(OutboxMessage.team_id, func.count())
            .where(OutboxMessage.status == OutboxStatus.HELD.value)
            .group_by(OutboxMessage.team_id)
        ).all()
    )
    return [Standing(w, held.get(w.team_id, 0)) for w in session.scalars(select(Workspace).order_by(Workspace.team_id))]
