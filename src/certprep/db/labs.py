"""Rows <-> lab reports. Adds to the session; never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from certprep.db.tables import LabResultRow
from certprep.domain.labs import CheckResult, LabReport


def add_report(
    session: Session, *, report_id: str, learner_id: str, report: LabReport, source: str, now: datetime
) -> None:
    session.add(
        LabResultRow(
            id=report_id,
            learner_id=learner_id,
            lab_id=report.lab_id,
            score=report.score,
            complete=report.complete,
            checks=[{"id": r.check_id, "passed": r.passed, "message": r.message} for r in report.results],
            source=source,
            recorded_at=now,
        )
    )


def reports_of(
    session: Session, learner_id: str, lab_id: str | None = None, limit: int = 200
) -> list[LabResultRow]:
    """A learner's reports, newest first (of one lab when given)."""
    query = select(LabResultRow).where(LabResultRow.learner_id == learner_id)
    if lab_id is not None:
        query = query.where(LabResultRow.lab_id == lab_id)
    return list(
        session.scalars(query.order_by(LabResultRow.recorded_at.desc(), LabResultRow.id).limit(limit))
    )


def to_report(row: LabResultRow) -> LabReport:
    results = tuple(CheckResult(str(c["id"]), bool(c["passed"]), str(c["message"])) for c in row.checks)
    return LabReport(row.lab_id, results, row.score, row.complete, row.recorded_at, row.id)
