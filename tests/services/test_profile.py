"""Profile use cases on a real database (SQLite file, and PostgreSQL in CI)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from certprep.config import Settings
from certprep.db.tables import CredentialRow, SittingRow
from certprep.domain.catalog import Catalog
from certprep.domain.roadmap import goal_for_certification
from certprep.errors import DatabaseUnavailable, InvalidInput, UnknownReference
from certprep.services import profile as svc
from certprep.services.database import Database, open_database
from certprep.services.roadmap import build_roadmap

L = "local"


def count(db: Database, table: type) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_recorded_certification_feeds_the_roadmap(db: Database, catalog: Catalog, now: datetime) -> None:
    svc.record_certification(
        db, catalog=catalog, learner_id=L, ref="az-104", earned_on=date(2026, 3, 1), now=now
    )
    r = build_roadmap(
        db, catalog=catalog, goal=goal_for_certification(catalog, "AZ-400"), learner_id=L, today=now.date()
    )
    assert r.eligible and [s.exam for s in r.steps] == ["AZ-400"]


def test_passing_az400_with_associate_grants_the_expert(
    db: Database, catalog: Catalog, now: datetime
) -> None:
    svc.record_certification(
        db, catalog=catalog, learner_id=L, ref="AZ-104", earned_on=date(2026, 3, 1), now=now
    )
    svc.record_sitting(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        taken_at=now - timedelta(days=2),
        timezone="Europe/Paris",
        passed=True,
        score=812,
        now=now,
    )
    p = svc.show_profile(db, catalog=catalog, learner_id=L, today=now.date())
    expert = next(h for h in p.held if h.certification == "devops-engineer-expert")
    assert expert.expires_on == date(2027, 11, 24)
    assert p.sittings[0].taken_at.tzinfo is not None and p.sittings[0].taken_at == now - timedelta(days=2)


def test_passing_az400_without_associate_records_no_expert(
    db: Database, catalog: Catalog, now: datetime
) -> None:
    svc.record_sitting(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        taken_at=now - timedelta(days=2),
        timezone="UTC",
        passed=True,
        score=760,
        now=now,
    )
    p = svc.show_profile(db, catalog=catalog, learner_id=L, today=now.date())
    assert p.held == ()
    r = build_roadmap(
        db, catalog=catalog, goal=goal_for_certification(catalog, "AZ-400"), learner_id=L, today=now.date()
    )
    assert any("You passed AZ-400" in w for w in r.warnings)


def test_retake_after_failure_waits_24_hours(db: Database, catalog: Catalog, now: datetime) -> None:
    svc.record_sitting(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        taken_at=now - timedelta(hours=5),
        timezone="UTC",
        passed=False,
        score=640,
        now=now,
    )
    d = svc.check_retake(db, catalog=catalog, learner_id=L, exam="az-400", now=now)
    assert not d.allowed and d.earliest == now + timedelta(hours=19)


def test_booking_is_stored_in_utc_and_replaced(db: Database, catalog: Catalog, now: datetime) -> None:
    at = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
    svc.book_exam(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        scheduled_at=at,
        timezone="Europe/Paris",
        language="ja",
        now=now,
    )
    svc.book_exam(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        scheduled_at=at + timedelta(days=7),
        timezone="Europe/Paris",
        language="en",
        now=now,
    )
    p = svc.show_profile(db, catalog=catalog, learner_id=L, today=now.date())
    assert len(p.bookings) == 1 and p.bookings[0].scheduled_at == at + timedelta(days=7)


def test_bad_inputs_write_nothing(db: Database, catalog: Catalog, now: datetime) -> None:
    with pytest.raises(UnknownReference, match="'AZ-999'"):
        svc.record_certification(db, catalog=catalog, learner_id=L, ref="AZ-999", earned_on=None, now=now)
    with pytest.raises(InvalidInput, match="retired on 2026-07-31"):
        svc.record_certification(
            db, catalog=catalog, learner_id=L, ref="AZ-204", earned_on=date(2026, 9, 1), now=now
        )
    with pytest.raises(InvalidInput, match="a score of 650 is a fail"):
        svc.record_sitting(
            db,
            catalog=catalog,
            learner_id=L,
            exam="AZ-400",
            taken_at=now - timedelta(days=1),
            timezone="UTC",
            passed=True,
            score=650,
            now=now,
        )
    with pytest.raises(InvalidInput, match="retired"):
        svc.book_exam(
            db,
            catalog=catalog,
            learner_id=L,
            exam="AZ-500",
            scheduled_at=now + timedelta(days=9),
            timezone="UTC",
            language="en",
            now=now,
        )
    assert count(db, CredentialRow) == 0 and count(db, SittingRow) == 0


def test_unreachable_database_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing"
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(Settings(database_url=url, data_dir=tmp_path), migrate=True)
    assert (
        "cannot reach the database at postgresql+psycopg://nobody:***@127.0.0.1:1/nothing"
        in info.value.message
    )
    assert "secret" not in info.value.message
