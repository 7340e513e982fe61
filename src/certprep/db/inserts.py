"""Insert-or-ignore for rows many requests may create at once (learners, item revisions): INSERT ... ON CONFLICT DO
NOTHING on SQLite and PostgreSQL alike, so concurrent first uses never fail on a unique key. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_duplicates(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, unique: Sequence[str] | None = None
) -> int:
    """Insert the rows whose key is not there yet; returns how many were inserted. `unique`: the columns of the
    unique key that decides (default the primary key; give it when the primary key is generated)."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    key = list(table.primary_key.columns)
    # Rows in key order: two transactions inserting overlapping sets then wait for each other in one direction
    # only (in any other order PostgreSQL can deadlock on the unique index).
    names = list(unique) if unique is not None else [c.name for c in key]
    ordered = sorted(rows, key=lambda r: tuple(str(r[n]) for n in names))
    statement = insert(table).values(ordered).on_conflict_do_nothing().returning(*key)
    return len(session.execute(statement).all())  # rowcount is -1 for batched inserts on psycopg
