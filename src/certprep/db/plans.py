"""Rows <-> study plans and their blocks. Adds to the session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from certprep.db.tables import PlanBlockRow, PlanRow
from certprep.domain.planner import Block, Plan
from certprep.errors import NotFound


def active_plan(session: Session, learner_id: str, *, lock: bool = False) -> PlanRow | None:
    query = select(PlanRow).where(PlanRow.learner_id == learner_id, PlanRow.active.is_(True))
    if lock:
        query = query.with_for_update()
    return session.scalars(query.order_by(PlanRow.created_at.desc())).first()


def plan_by_token(session: Session, token: str) -> PlanRow | None:
    return session.scalars(select(PlanRow).where(PlanRow.feed_token == token)).first()


def blocks_of(session: Session, plan_id: str) -> list[PlanBlockRow]:
    return list(
        session.scalars(
            select(PlanBlockRow)
            .where(PlanBlockRow.plan_id == plan_id)
            .order_by(PlanBlockRow.day, PlanBlockRow.block_id)
        )
    )


def to_plan(row: PlanRow, blocks: Sequence[PlanBlockRow]) -> Plan:
    return Plan(
        start=row.start,
        exam_day=row.exam_day,
        blocks=tuple(Block(b.block_id, b.day, b.activity, b.objective, b.hours) for b in blocks),  # type: ignore[arg-type]
        hours_needed=row.hours_needed,
        hours_available=row.hours_available,
        realistic=row.realistic,
        advice=row.advice,
    )


def retire_plans(session: Session, learner_id: str) -> None:
    session.execute(
        update(PlanRow).where(PlanRow.learner_id == learner_id, PlanRow.active.is_(True)).values(active=False)
    )


def add_plan(
    session: Session,
    *,
    plan_id: str,
    learner_id: str,
    kind: str,
    goal: str,
    preset: str | None,
    plan: Plan,
    inputs: dict[str, Any],
    feed_token: str,
    done: dict[str, datetime],
    now: datetime,
) -> PlanRow:
    """Store a plan as the learner's active one; `done` keeps when each carried-over block was done."""
    row = PlanRow(
        id=plan_id,
        learner_id=learner_id,
        kind=kind,
        goal=goal,
        preset=preset,
        start=plan.start,
        exam_day=plan.exam_day,
        inputs=inputs,
        hours_needed=plan.hours_needed,
        hours_available=plan.hours_available,
        realistic=plan.realistic,
        advice=plan.advice,
        active=True,
        feed_token=feed_token,
        created_at=now,
    )
    session.add(row)
    session.flush()
    session.add_all(
        PlanBlockRow(
            plan_id=plan_id,
            block_id=b.id,
            learner_id=learner_id,
            day=b.day,
            activity=b.activity,
            objective=b.objective,
            hours=b.hours,
            done_at=done.get(b.id),
        )
        for b in plan.blocks
    )
    return row


def block_row(session: Session, plan_id: str, block_id: str) -> PlanBlockRow:
    row = session.get(PlanBlockRow, (plan_id, block_id))
    if row is None:
        raise NotFound(f"no block {block_id!r} in the current plan", block=block_id)
    return row


def done_days(session: Session, learner_id: str, since: date) -> set[date]:
    """Days on which the learner finished a study block (for the streak)."""
    rows = session.scalars(
        select(PlanBlockRow.done_at).where(
            PlanBlockRow.learner_id == learner_id, PlanBlockRow.done_at.is_not(None)
        )
    )
    return {d.date() for d in rows if d is not None and d.date() >= since}
