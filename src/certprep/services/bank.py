"""Item revisions: every revision an item ever had stays loadable, so responses and reports pin to what was seen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from certprep.db.items import add_revisions, known_revisions, revision_content, revisions_of
from certprep.domain.items import Item
from certprep.errors import NotFound, PackInvalid
from certprep.packs.catalog import load_catalog
from certprep.packs.items import load_bank
from certprep.packs.revisions import item_from_json, item_to_json, revision_of
from certprep.services.database import Database


def sync_bank(db: Database, *, root: Path, now: datetime) -> int:
    """Record each item's current revision; returns how many were new. Old revisions are never touched."""
    catalog, problems = load_catalog(root)
    loaded = load_bank(root)
    errors = [p for p in [*problems, *loaded.problems] if p.severity == "error"]
    if catalog is None or errors:
        raise PackInvalid(f"{root}: fix the pack before syncing", [str(p) for p in errors])
    return record_revisions(db, items=loaded.bank.items, pack_id=catalog.pack_id, now=now)


def record_revisions(db: Database, *, items: Sequence[Item], pack_id: str, now: datetime) -> int:
    """Record the revisions of items already loaded; returns how many were new (safe under concurrent calls)."""
    with db.transaction() as session:
        return store_revisions(session, items=items, pack_id=pack_id, now=now)


def store_revisions(session: Session, *, items: Sequence[Item], pack_id: str, now: datetime) -> int:
    """Inside an open transaction: insert the revisions of items not stored yet; returns how many were new."""
    by_revision = {revision_of(item): item for item in items}
    known = known_revisions(session, set(by_revision))
    fresh: dict[str, dict[str, str]] = {}
    for revision, item in by_revision.items():
        if revision not in known:
            fresh[revision] = {
                "revision": revision,
                "item_id": item.meta.id,
                "pack_id": pack_id,
                "content": item_to_json(item),
            }
    return add_revisions(session, list(fresh.values()), now=now)


def load_item_revision(db: Database, *, revision: str) -> Item:
    """The item exactly as it was at a revision."""
    with db.transaction() as session:
        content = revision_content(session, revision)
    if content is None:
        raise NotFound(f"no item revision {revision!r}", revision=revision)
    return item_from_json(content)


def item_revisions(db: Database, *, item_id: str) -> list[tuple[str, datetime]]:
    """Every recorded revision of an item, oldest first."""
    with db.transaction() as session:
        return revisions_of(session, item_id)
