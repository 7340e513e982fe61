"""Rows of item revisions: insert-only, keyed by content hash. Never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from certprep.db.inserts import insert_ignoring_duplicates
from certprep.db.tables import ItemRevisionRow


def known_revisions(session: Session, revisions: set[str]) -> set[str]:
    """Which of these revisions are stored already (one query over just them, not the whole pack)."""
    if not revisions:
        return set()
    return set(
        session.scalars(select(ItemRevisionRow.revision).where(ItemRevisionRow.revision.in_(revisions)))
    )


def add_revisions(session: Session, revisions: list[dict[str, Any]], *, now: datetime) -> int:
    """Insert revisions ({revision, item_id, pack_id, content}) not stored yet; a revision another request stored
    a moment ago is simply kept. Returns how many were new."""
    table = ItemRevisionRow.__table__
    assert isinstance(table, Table)
    return insert_ignoring_duplicates(session, table, [{**r, "first_seen_at": now} for r in revisions])


def revision_content(session: Session, revision: str) -> str | None:
    row = session.get(ItemRevisionRow, revision)
    return row.content if row else None


def revision_contents(session: Session, revisions: set[str]) -> dict[str, str]:
    """The stored content of several revisions in one query."""
    if not revisions:
        return {}
    rows = session.execute(
        select(ItemRevisionRow.revision, ItemRevisionRow.content).where(
            ItemRevisionRow.revision.in_(revisions)
        )
    ).all()
    return {r: c for r, c in rows}


def revisions_of(session: Session, item_id: str) -> list[tuple[str, datetime]]:
    rows = session.scalars(
        select(ItemRevisionRow)
        .where(ItemRevisionRow.item_id == item_id)
        .order_by(ItemRevisionRow.first_seen_at)
    )
    return [(r.revision, r.first_seen_at) for r in rows]
