"""Rows for item parameters, readiness estimates and the response data that calibration reads. Never commits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from certprep.db.tables import AttemptRow, ItemParameterRow, ReadinessRow, ResponseRow


@dataclass(frozen=True, slots=True)
class StoredParameters:
    a: float
    d: float
    c: float
    se_a: float
    se_d: float
    responses: int
    provenance: str
    calibrated_at: datetime


@dataclass(frozen=True, slots=True)
class ResponseFact:
    learner_id: str
    item_id: str
    revision: str
    fraction: float
    response: Any
    answered_at: datetime
    first_exposure: bool


def current_parameters(session: Session) -> dict[str, StoredParameters]:
    rows = session.scalars(select(ItemParameterRow).where(ItemParameterRow.current.is_(True)))
    return {
        r.item_id: StoredParameters(r.a, r.d, r.c, r.se_a, r.se_d, r.responses, r.provenance, r.calibrated_at)
        for r in rows
    }


def parameter_history(session: Session, item_id: str) -> list[StoredParameters]:
    rows = session.scalars(
        select(ItemParameterRow).where(ItemParameterRow.item_id == item_id).order_by(ItemParameterRow.id)
    )
    return [
        StoredParameters(r.a, r.d, r.c, r.se_a, r.se_d, r.responses, r.provenance, r.calibrated_at)
        for r in rows
    ]


def replace_parameters(session: Session, new: Mapping[str, StoredParameters], *, model: str) -> None:
    """Make the given parameters current; the previous rows stay, marked not current, with their timestamps."""
    if not new:
        return
    session.execute(
        update(ItemParameterRow).where(ItemParameterRow.item_id.in_(list(new))).values(current=False)
    )
    for item_id, p in new.items():
        session.add(
            ItemParameterRow(
                item_id=item_id,
                model=model,
                a=p.a,
                d=p.d,
                c=p.c,
                se_a=p.se_a,
                se_d=p.se_d,
                responses=p.responses,
                provenance=p.provenance,
                calibrated_at=p.calibrated_at,
                current=True,
            )
        )


def response_facts(session: Session, learner_id: str | None = None) -> list[ResponseFact]:
    """Scored responses (one per attempt and position), oldest first; first_exposure = never seen, key never shown.
    Answers in discarded attempts are left out: the learner threw them away."""
    r = ResponseRow
    query = (  # plain columns, not ORM objects: a long history is read on every submission
        select(
            r.learner_id,
            r.item_id,
            r.revision,
            r.points,
            r.max_points,
            r.response,
            r.answered_at,
            r.seen_before,
            r.key_shown_before,
        )
        .join(AttemptRow, AttemptRow.id == r.attempt_id)
        .where(AttemptRow.status != "discarded")
        .order_by(r.first_answered_at, r.id)
    )
    if learner_id is not None:
        query = query.where(r.learner_id == learner_id)
    return [
        ResponseFact(
            learner,
            item,
            revision,
            points / most if most else 0.0,
            response,
            answered_at,
            seen_before == 0 and not key_shown,
        )
        for learner, item, revision, points, most, response, answered_at, seen_before, key_shown in session.execute(
            query
        )
    ]


def first_scores(session: Session, learner_id: str) -> dict[str, float]:
    """Per item, the fraction of points the learner's first answer earned (discarded attempts left out).

    Readiness needs only these; the database picks them (a window function, in SQLite and PostgreSQL alike) so a
    history of tens of thousands of answers is not carried into Python on every submission."""
    r = ResponseRow
    ranked = (
        select(
            r.item_id,
            r.points,
            r.max_points,
            func.row_number().over(partition_by=r.item_id, order_by=(r.first_answered_at, r.id)).label("n"),
        )
        .join(AttemptRow, AttemptRow.id == r.attempt_id)
        .where(AttemptRow.status != "discarded", r.learner_id == learner_id)
        .subquery()
    )
    query = select(ranked.c.item_id, ranked.c.points, ranked.c.max_points).where(ranked.c.n == 1)
    return {item: points / most if most else 0.0 for item, points, most in session.execute(query)}


def add_readiness(
    session: Session, learner_id: str, attempt_id: str | None, content: dict[str, Any], now: datetime
) -> None:
    session.add(
        ReadinessRow(
            learner_id=learner_id,
            attempt_id=attempt_id,
            computed_at=now,
            theta=content["theta"],
            sd=content["sd"],
            predicted=content["predicted"],
            low=content["low"],
            high=content["high"],
            pass_probability=content["pass_probability"],
            responses=content["responses"],
            content=content,
        )
    )


def readiness_history(session: Session, learner_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(ReadinessRow)
        .where(ReadinessRow.learner_id == learner_id)
        .order_by(ReadinessRow.computed_at, ReadinessRow.id)
    )
    return [{**r.content, "computed_at": r.computed_at.isoformat(), "attempt_id": r.attempt_id} for r in rows]
