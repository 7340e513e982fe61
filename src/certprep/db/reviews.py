"""Rows <-> the review queue: cards with their FSRS state, and review logs. Adds to the session; never commits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from certprep.db.inserts import insert_ignoring_duplicates
from certprep.db.tables import LearnerRow, ReviewCardRow, ReviewLogRow
from certprep.domain.srs import CardState
from certprep.errors import NotFound


def to_state(row: ReviewCardRow) -> CardState:
    return CardState(row.id, row.fsrs, row.due, row.reps, row.last_review)


def card_keys(session: Session, learner_id: str) -> set[str]:
    return set(session.scalars(select(ReviewCardRow.key).where(ReviewCardRow.learner_id == learner_id)))


def add_cards(
    session: Session, learner_id: str, due: Mapping[str, datetime], *, fsrs: dict[str, Any], now: datetime
) -> int:
    """New cards (key -> first due); a key already queued (by a concurrent request too) is kept as it is."""
    table = ReviewCardRow.__table__
    assert isinstance(table, Table)
    values = [
        {"learner_id": learner_id, "key": k, "fsrs": fsrs, "due": d, "reps": 0, "created_at": now}
        for k, d in due.items()
    ]
    return insert_ignoring_duplicates(session, table, values, unique=("learner_id", "key"))


def cards(session: Session, learner_id: str) -> list[ReviewCardRow]:
    return list(
        session.scalars(
            select(ReviewCardRow)
            .where(ReviewCardRow.learner_id == learner_id)
            .order_by(ReviewCardRow.due, ReviewCardRow.id)
        )
    )


def card_row(session: Session, learner_id: str, card_id: int, *, lock: bool = False) -> ReviewCardRow:
    query = select(ReviewCardRow).where(ReviewCardRow.id == card_id, ReviewCardRow.learner_id == learner_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"no review card {card_id} in your queue", card=card_id)
    return row


def next_due(session: Session, learner_id: str, now: datetime) -> ReviewCardRow | None:
    query = (
        select(ReviewCardRow)
        .where(ReviewCardRow.learner_id == learner_id, ReviewCardRow.due <= now)
        .order_by(ReviewCardRow.due, ReviewCardRow.id)
    )
    return session.scalars(query).first()


def due_count(session: Session, learner_id: str, now: datetime) -> int:
    query = select(func.count()).where(ReviewCardRow.learner_id == learner_id, ReviewCardRow.due <= now)
    return int(session.scalar(query) or 0)


def add_log(session: Session, card: ReviewCardRow, grade: int, now: datetime, log: dict[str, Any]) -> None:
    session.add(
        ReviewLogRow(card_id=card.id, learner_id=card.learner_id, grade=grade, reviewed_at=now, log=log)
    )


def review_days(session: Session, learner_id: str, since: date) -> set[date]:
    rows = session.scalars(select(ReviewLogRow.reviewed_at).where(ReviewLogRow.learner_id == learner_id))
    return {d.date() for d in rows if d.date() >= since}


def retention(session: Session, learner_id: str) -> float:
    value = session.scalar(select(LearnerRow.retention).where(LearnerRow.id == learner_id))
    return float(value) if value is not None else 0.9


def save_retention(session: Session, learner_id: str, value: float) -> None:
    row = session.get(LearnerRow, learner_id)
    assert row is not None, "ensure_learner first"
    row.retention = value
