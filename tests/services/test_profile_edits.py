"""Profile edits and the profile overview on a real database (SQLite file, and PostgreSQL in CI): removing a
certification, cancelling a booking, the overview's renewal, retired state, days left, outline and retake rule,
and the parsing of form input (a day, a local time in a zone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from certprep.db.tables import BookingRow, CredentialRow
from certprep.domain.catalog import Catalog
from certprep.errors import InvalidInput, NotFound, UnknownReference
from certprep.services import profile as svc
from certprep.services.database import Database

L = "local"


def count(db: Database, table: type) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_remove_certification_by_exam_code(db: Database, catalog: Catalog, now: datetime) -> None:
    svc.record_certification(
        db, catalog=catalog, learner_id=L, ref="AZ-104", earned_on=date(2026, 3, 1), now=now
    )
    removed = svc.remove_certification(db, catalog=catalog, learner_id=L, ref="az-104")
    assert removed.certification == "azure-administrator-associate" and removed.earned_on == date(2026, 3, 1)
    assert count(db, CredentialRow) == 0
    with pytest.raises(NotFound) as exc:
        svc.remove_certification(db, catalog=catalog, learner_id=L, ref="AZ-104")
    assert "is not among your certifications" in exc.value.message
    with pytest.raises(UnknownReference):
        svc.remove_certification(db, catalog=catalog, learner_id=L, ref="XX-1")


def test_removal_is_per_learner(db: Database, catalog: Catalog, now: datetime) -> None:
    svc.record_certification(db, catalog=catalog, learner_id="ann", ref="AZ-104", earned_on=None, now=now)
    with pytest.raises(NotFound):
        svc.remove_certification(db, catalog=catalog, learner_id=L, ref="AZ-104")
    assert count(db, CredentialRow) == 1


def test_cancel_booking(db: Database, catalog: Catalog, now: datetime) -> None:
    at = now + timedelta(days=30)
    svc.book_exam(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        scheduled_at=at,
        timezone="UTC",
        language="en",
        now=now,
    )
    b = svc.cancel_booking(db, catalog=catalog, learner_id=L, exam="az-400")
    assert b.exam_code == "AZ-400" and b.scheduled_at == at
    assert count(db, BookingRow) == 0
    with pytest.raises(NotFound) as exc:
        svc.cancel_booking(db, catalog=catalog, learner_id=L, exam="AZ-400")
    assert "no booking of AZ-400" in exc.value.message


def test_overview_of_an_empty_profile(db: Database, catalog: Catalog, now: datetime) -> None:
    p = svc.profile_overview(db, catalog=catalog, learner_id=L, now=now)
    assert p.held == () and p.sittings == () and p.exams == ()


def test_overview_booking_retake_and_renewal(db: Database, catalog: Catalog, now: datetime) -> None:
    svc.record_certification(
        db, catalog=catalog, learner_id=L, ref="AZ-104", earned_on=date(2026, 3, 1), now=now
    )
    svc.record_sitting(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        taken_at=now - timedelta(hours=2),
        timezone="Europe/Paris",
        passed=False,
        score=640,
        now=now,
    )
    svc.book_exam(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        scheduled_at=now + timedelta(days=20),
        timezone="Europe/Paris",
        language="fr",
        now=now,
    )
    p = svc.profile_overview(db, catalog=catalog, learner_id=L, now=now)
    (held,) = p.held
    assert held.exam == "AZ-104" and held.expires_on == date(2027, 3, 1) and held.retired_on is None
    assert held.renewal.state == "open" and held.renewal.window_opens == date(2026, 9, 1)
    (exam,) = p.exams
    assert exam.exam == "AZ-400" and exam.days_left == 20 and exam.booking is not None
    assert (
        exam.outline == catalog.outline_for_sitting("AZ-400", "fr", exam.booking.scheduled_at.date()).version
    )
    assert not exam.retake.allowed and exam.retake.rule == "24-hours"
    assert exam.retake.earliest == now - timedelta(hours=2) + timedelta(hours=24)


def test_overview_shows_a_retired_certification(db: Database, catalog: Catalog, now: datetime) -> None:
    svc.record_certification(
        db, catalog=catalog, learner_id=L, ref="AZ-204", earned_on=date(2026, 5, 1), now=now
    )
    (held,) = svc.profile_overview(db, catalog=catalog, learner_id=L, now=now).held
    cert = catalog.certification("AZ-204")
    assert held.retired_on == cert.retired_on and held.renewal.state == "retired"
    assert held.successor == catalog.get(cert.successor).name  # type: ignore[arg-type]


def test_parse_day() -> None:
    assert svc.parse_day(" 2026-03-01 ", field="earned_on") == date(2026, 3, 1)
    assert svc.parse_day("", field="earned_on") is None
    with pytest.raises(InvalidInput) as exc:
        svc.parse_day("01/03/2026", field="earned_on")
    assert exc.value.data["field"] == "earned_on" and "'01/03/2026'" in exc.value.message


def test_local_to_utc() -> None:
    moment = svc.local_to_utc("2026-12-01T09:30", "Europe/Paris", field="scheduled_at")
    assert moment == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    assert svc.local_to_utc("2026-12-01T09:30+02:00", "UTC", field="x") == datetime(
        2026, 12, 1, 7, 30, tzinfo=UTC
    )
    for tz in ("Mars/Olympus", "", "../../etc/passwd", "America", "x" * 65, "Europe/Paris\x00"):
        with pytest.raises(InvalidInput) as exc:
            svc.local_to_utc("2026-12-01T09:30", tz, field="scheduled_at")
        assert exc.value.data["field"] == "timezone"
    for value in ("tomorrow", "", "0001-01-01T00:00+05:00", "9999-12-31T23:59"):
        with pytest.raises(InvalidInput) as exc:
            svc.local_to_utc(
                value, "Pacific/Kiritimati" if value.startswith("0001") else "America/New_York", field="at"
            )
        assert exc.value.data["field"] == "at"
