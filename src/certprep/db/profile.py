"""Rows <-> profile values (credentials, sittings, bookings). Adds to the session; never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from certprep.db.inserts import insert_ignoring_duplicates
from certprep.db.tables import BookingRow, CredentialRow, LearnerRow, SittingRow
from certprep.domain.catalog import CertificationId
from certprep.domain.profile import Booking, HeldCertification, Sitting

LOCAL_LEARNER = "local"


def ensure_learner(session: Session, learner_id: str, *, now: datetime) -> None:
    """The learner's row exists afterwards, even when another request creates it at the same moment."""
    if session.get(LearnerRow, learner_id) is None:
        table = LearnerRow.__table__
        assert isinstance(table, Table)
        insert_ignoring_duplicates(
            session, table, [{"id": learner_id, "display_name": learner_id, "created_at": now}]
        )


def extra_minutes(session: Session, learner_id: str) -> int:
    """The learner's accommodation in extra minutes per mock exam (0 for a learner not yet stored)."""
    minutes = session.scalar(select(LearnerRow.extra_minutes).where(LearnerRow.id == learner_id))
    return int(minutes or 0)


def save_extra_minutes(session: Session, learner_id: str, minutes: int) -> None:
    row = session.get(LearnerRow, learner_id)
    assert row is not None, "ensure_learner first"
    row.extra_minutes = minutes


def load_credentials(session: Session, learner_id: str) -> list[HeldCertification]:
    rows = session.scalars(
        select(CredentialRow).where(CredentialRow.learner_id == learner_id).order_by(CredentialRow.id)
    )
    return [HeldCertification(CertificationId(r.certification_id), r.earned_on, r.expires_on) for r in rows]


def save_credential(session: Session, learner_id: str, held: HeldCertification, *, now: datetime) -> None:
    """Insert or replace the learner's record of one certification."""
    existing = session.scalars(
        select(CredentialRow).where(
            CredentialRow.learner_id == learner_id, CredentialRow.certification_id == held.certification
        )
    ).first()
    if existing is None:
        existing = CredentialRow(learner_id=learner_id, certification_id=held.certification)
        session.add(existing)
    existing.earned_on = held.earned_on
    existing.expires_on = held.expires_on
    existing.recorded_at = now


def load_sittings(session: Session, learner_id: str, exam_code: str | None = None) -> list[Sitting]:
    query = select(SittingRow).where(SittingRow.learner_id == learner_id)
    if exam_code is not None:
        query = query.where(SittingRow.exam_code == exam_code)
    rows = session.scalars(query.order_by(SittingRow.taken_at))
    return [Sitting(r.exam_code, r.taken_at, r.timezone, r.passed, r.score) for r in rows]


def save_sitting(session: Session, learner_id: str, sitting: Sitting, *, now: datetime) -> None:
    session.add(
        SittingRow(
            learner_id=learner_id,
            exam_code=sitting.exam_code,
            taken_at=sitting.taken_at,
            timezone=sitting.timezone,
            passed=sitting.passed,
            score=sitting.score,
            recorded_at=now,
        )
    )


def load_bookings(session: Session, learner_id: str) -> list[Booking]:
    rows = session.scalars(
        select(BookingRow).where(BookingRow.learner_id == learner_id).order_by(BookingRow.scheduled_at)
    )
    return [Booking(r.exam_code, r.scheduled_at, r.timezone, r.language) for r in rows]


def save_booking(session: Session, learner_id: str, booking: Booking, *, now: datetime) -> None:
    """One booking per learner and exam: a new one replaces the old."""
    existing = session.scalars(
        select(BookingRow).where(
            BookingRow.learner_id == learner_id, BookingRow.exam_code == booking.exam_code
        )
    ).first()
    if existing is None:
        existing = BookingRow(learner_id=learner_id, exam_code=booking.exam_code)
        session.add(existing)
    existing.scheduled_at = booking.scheduled_at
    existing.timezone = booking.timezone
    existing.language = booking.language
    existing.recorded_at = now


def delete_credential(session: Session, learner_id: str, certification: str) -> HeldCertification | None:
    """Remove the learner's record of one certification; the removed value, or None when there was none."""
    row = session.scalars(
        select(CredentialRow).where(
            CredentialRow.learner_id == learner_id, CredentialRow.certification_id == certification
        )
    ).first()
    if row is None:
        return None
    session.delete(row)
    return HeldCertification(CertificationId(row.certification_id), row.earned_on, row.expires_on)


def delete_booking(session: Session, learner_id: str, exam_code: str) -> Booking | None:
    """Remove the learner's booking of one exam; the removed value, or None when there was none."""
    row = session.scalars(
        select(BookingRow).where(BookingRow.learner_id == learner_id, BookingRow.exam_code == exam_code)
    ).first()
    if row is None:
        return None
    session.delete(row)
    return Booking(row.exam_code, row.scheduled_at, row.timezone, row.language)
