"""Claiming rows for one worker, and writing back what it did: the one concurrency-sensitive
step of all background work.

Two processes may look for due work at once; each row must go to exactly one of them.
A claim is one statement on both databases:

    UPDATE t SET <claimed, token, until> WHERE id IN (SELECT id ... ORDER BY ... LIMIT n) RETURNING id

- PostgreSQL: the subquery takes `FOR UPDATE SKIP LOCKED`, so concurrent claimers pick
  disjoint rows instead of waiting for each other.
- SQLite ignores FOR UPDATE, but allows one writer at a time and write transactions begin
  IMMEDIATE (storage.db), so the whole statement runs alone.

A claim is a lease (`claimed_until`) naming its holder (`claim_token`); results are recorded
only by the holder of the token, and a lease that runs out makes the row claimable again.
Results are written in bulk (`update_each`): one statement per set of columns, not per row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, bindparam, update
from sqlalchemy.orm import Session


def new_token() -> str:
    return str(uuid.uuid4())


def claim(
    session: Session, model, claimable: ColumnElement[bool], order_by: Sequence, limit: int, mark: dict
) -> list[int]:
    """Mark up to `limit` rows of `model` matching `claimable` with `mark`; return their ids (unordered)."""
    candidates = model.__table__.select().with_only_columns(model.id).where(claimable).order_by(*order_by).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    statement = update(model).where(model.id.in_(candidates)).values(**mark).returning(model.id)
    return list(session.scalars(statement.execution_options(synchronize_session=False)))


def update_each(session: Session, model, rows: Iterable[dict], *conditions: ColumnElement[bool]) -> None:
    """Set each row's own values (dicts of `id` and columns), where `conditions` also hold.

    One executemany per distinct set of columns (results recorded together mostly share one), on the
    table, so no ORM object is loaded or synchronised per row.
    """
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        values = {key: value for key, value in row.items() if key != "id"}
        by_columns.setdefault(tuple(sorted(values)), []).append({"row_id": row["id"], **values})
    table = model.__table__
    for params in by_columns.values():
        # Without .values(), the SET clause is the params' columns (the usual Core executemany).
        session.execute(table.update().where(table.c.id == bindparam("row_id"), *conditions), params)
