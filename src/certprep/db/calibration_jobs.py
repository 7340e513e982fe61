"""Rows <-> calibration jobs. Adds to the session; never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from certprep.db.tables import CalibrationJobRow
from certprep.domain.calibration_jobs import CalibrationJob


def open_job(session: Session) -> CalibrationJobRow | None:
    """The job holding the one open slot, if any (running, or abandoned by a process that died)."""
    return session.scalar(select(CalibrationJobRow).where(CalibrationJobRow.slot == 1))


def add_job(session: Session, *, started_by: str | None, now: datetime) -> CalibrationJobRow:
    """A new open job; flushing it fails with an IntegrityError while another job holds the slot."""
    row = CalibrationJobRow(slot=1, started_at=now, started_by=started_by, heartbeat_at=now, iteration=0)
    session.add(row)
    session.flush()
    return row


def record_progress(
    session: Session, job_id: int, *, iteration: int, log_likelihood: float, now: datetime
) -> None:
    session.execute(
        update(CalibrationJobRow)
        .where(CalibrationJobRow.id == job_id, CalibrationJobRow.slot == 1)
        .values(iteration=iteration, log_likelihood=log_likelihood, heartbeat_at=now)
    )


def close_job(session: Session, job_id: int, *, now: datetime, **outcome: object) -> None:
    """End a job (free its slot) with its outcome: persons, items_updated, converged, held or error."""
    session.execute(
        update(CalibrationJobRow)
        .where(CalibrationJobRow.id == job_id)
        .values(slot=None, finished_at=now, heartbeat_at=now, **outcome)
    )


def latest_job(session: Session) -> CalibrationJobRow | None:
    return session.scalar(
        select(CalibrationJobRow).order_by(CalibrationJobRow.started_at.desc(), CalibrationJobRow.id.desc())
    )


def to_job(row: CalibrationJobRow) -> CalibrationJob:
    return CalibrationJob(
        id=row.id,
        started_at=row.started_at,
        started_by=row.started_by,
        heartbeat_at=row.heartbeat_at,
        finished_at=row.finished_at,
        iteration=row.iteration,
        log_likelihood=row.log_likelihood,
        error=row.error,
        persons=row.persons,
        items_updated=row.items_updated,
        converged=row.converged,
        held=row.held,
    )
