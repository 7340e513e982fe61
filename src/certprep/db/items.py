"""Rows of item revisions: insert-only, keyed by content hash. Never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from certprep.db.tables import ItemRevisionRow


def known_revisions(session: Session, pack_id: str) -> set[str]:
    return set(session.scalars(select(ItemRevisionRow.revision).where(ItemRevisionRow.pack_id == pack_id)))


def add_revision(
    session: Session, *, revision: str, item_id: str, pack_id: str, content: str, now: datetime
) -> None:
    session.add(
        ItemRevisionRow(
            revision=revision, item_id=item_id, pack_id=pack_id, content=content, first_seen_at=now
        )
    )


def revision_content(session: Session, revision: str) -> str | None:
    row = session.get(ItemRevisionRow, revision)
    return row.content if row else None


def revisions_of(session: Session, item_id: str) -> list[tuple[str, datetime]]:
    rows = session.scalars(
        select(ItemRevisionRow)
        .where(ItemRevisionRow.item_id == item_id)
        .order_by(ItemRevisionRow.first_seen_at)
    )
    return [(r.revision, r.first_seen_at) for r in rows]
