"""The study plan, the review queue and the calendar over a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from certprep.db.tables import PlanBlockRow, PlanRow, ReviewCardRow
from certprep.domain.catalog import Catalog
from certprep.errors import InvalidInput, NotFound, PolicyViolation
from certprep.services import planning, reviews
from certprep.services.content import get_bank
from certprep.services.database import Database
from certprep.services.profile import book_exam, record_certification, record_sitting

L = "learner-1"


def test_a_balanced_plan_fills_the_days_to_the_exam_and_replaces_the_last(
    db: Database, catalog: Catalog, now: datetime
) -> None:
    view = planning.make_plan(db, catalog=catalog, learner_id=L, now=now, preset="balanced")
    p = view.plan
    assert p.exam_day == now.date() + timedelta(days=30)
    assert all(now.date() <= b.day < p.exam_day for b in p.blocks)
    assert sum(1 for b in p.blocks if b.activity == "mock-exam") >= 3
    per_day: dict[date, float] = {}
    for b in p.blocks:
        per_day[b.day] = per_day.get(b.day, 0) + b.hours
    hours = (2.0,) * 7
    assert all(h <= max(hours) + 1e-9 or h <= 4 for h in per_day.values())
    again = planning.make_plan(
        db, catalog=catalog, learner_id=L, now=now, exam_day=p.exam_day, weekday_hours=(1,) * 7
    )
    with db.transaction() as s:
        active = s.scalars(select(PlanRow).where(PlanRow.learner_id == L, PlanRow.active.is_(True))).all()
    assert [r.id for r in active] == [again.plan_id]
    assert again.feed_token == view.feed_token  # the calendar subscription follows the new plan


def test_bad_inputs_are_refused_and_nothing_is_stored(db: Database, catalog: Catalog, now: datetime) -> None:
    with pytest.raises(InvalidInput, match="unknown preset 'lazy'"):
        planning.make_plan(db, catalog=catalog, learner_id=L, now=now, preset="lazy")
    with pytest.raises(InvalidInput, match="give an exam date or a preset"):
        planning.make_plan(db, catalog=catalog, learner_id=L, now=now)
    with pytest.raises(InvalidInput, match="is not after today"):
        planning.make_plan(db, catalog=catalog, learner_id=L, now=now, exam_day=now.date())
    with pytest.raises(InvalidInput, match="Sunday: hours must be between 0 and 16, not 20"):
        planning.make_plan(
            db, catalog=catalog, learner_id=L, now=now, preset="balanced", weekday_hours=(2,) * 6 + (20,)
        )
    with pytest.raises(InvalidInput, match="7 weekdays"):
        planning.make_plan(
            db, catalog=catalog, learner_id=L, now=now, preset="balanced", weekday_hours=(2, 2)
        )
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(PlanRow)) == 0


def test_the_booked_exam_anchors_the_plan(db: Database, catalog: Catalog, now: datetime) -> None:
    at = now + timedelta(days=20, hours=3)
    book_exam(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        scheduled_at=at,
        timezone="UTC",
        language="en",
        now=now,
    )
    view = planning.make_plan(db, catalog=catalog, learner_id=L, now=now, weekday_hours=(2,) * 7)
    assert view.plan.exam_day == at.date()


def test_marking_done_and_replanning_keeps_the_work_done(
    db: Database, catalog: Catalog, now: datetime
) -> None:
    view = planning.make_plan(db, catalog=catalog, learner_id=L, now=now, preset="balanced")
    first = view.blocks_on(now.date())[0]
    with pytest.raises(PolicyViolation, match="not done yet"):
        later = next(b for b in view.plan.blocks if b.day > now.date())
        planning.mark_block(db, catalog=catalog, learner_id=L, block_id=later.id, done=True, now=now)
    marked = planning.mark_block(db, catalog=catalog, learner_id=L, block_id=first.id, done=True, now=now)
    assert first.id in marked.done
    with pytest.raises(NotFound):
        planning.mark_block(db, catalog=catalog, learner_id=L, block_id="nope", done=True, now=now)
    three_days_on = now + timedelta(days=3)  # the learner fell behind: two days of blocks never done
    replanned = planning.replan_plan(db, catalog=catalog, learner_id=L, now=three_days_on)
    assert first in replanned.plan.blocks and first.id in replanned.done
    undone_past = [
        b for b in replanned.plan.blocks if b.day < three_days_on.date() and b.id not in replanned.done
    ]
    assert undone_past == []
    today = planning.today_view(db, catalog=catalog, learner_id=L, now=now)
    assert today.streak == 1 and today.days_left == 30


def test_the_retake_coach_plans_to_the_earliest_retake_weighted_by_the_weak_groups(
    db: Database, catalog: Catalog, now: datetime
) -> None:
    groups = [g.id for g in catalog.outline("AZ-400").groups]
    bars = {g: 90.0 for g in groups} | {groups[0]: 20.0}
    with pytest.raises(PolicyViolation, match="needs a failed AZ-400 sitting"):
        planning.retake_plan(db, catalog=catalog, learner_id=L, now=now, group_scores=bars)
    record_sitting(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        taken_at=now - timedelta(days=1),
        timezone="UTC",
        passed=False,
        score=610,
        now=now,
    )
    with pytest.raises(InvalidInput, match="missing"):
        planning.retake_plan(db, catalog=catalog, learner_id=L, now=now, group_scores={groups[0]: 50.0})
    view = planning.retake_plan(db, catalog=catalog, learner_id=L, now=now, group_scores=bars)
    assert view.kind == "retake" and view.plan.exam_day == now.date() + timedelta(
        days=1
    )  # 24 h after a first fail
    record_sitting(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        taken_at=now - timedelta(hours=2),
        timezone="UTC",
        passed=False,
        score=650,
        now=now,
    )
    view = planning.retake_plan(
        db, catalog=catalog, learner_id=L, now=now, group_scores=bars, weekday_hours=(3,) * 7
    )
    assert (
        view.plan.exam_day == (now - timedelta(hours=2) + timedelta(days=14)).date()
    )  # 14 days after a second
    weak = {o.id for o in catalog.outline("AZ-400").groups[0].objectives}
    hours: dict[bool, float] = {True: 0.0, False: 0.0}
    for b in view.plan.blocks:
        if b.objective:
            hours[b.objective in weak] += b.hours
    n_weak = len(weak)
    n_other = sum(len(g.objectives) for g in catalog.outline("AZ-400").groups[1:])
    assert hours[True] / n_weak > hours[False] / n_other


def test_the_review_queue_holds_every_flashcard_and_missed_items(
    db: Database, catalog: Catalog, now: datetime
) -> None:
    bank = get_bank()
    first = reviews.next_review(db, learner_id=L, now=now, bank=bank)
    assert (
        first is not None and first.due_count == reviews.NEW_CARDS_PER_DAY
    )  # new cards enter a day's worth at a time
    with pytest.raises(InvalidInput, match="grade"):
        reviews.grade_review(db, learner_id=L, card_id=first.card_id, grade=5, now=now)
    result = reviews.grade_review(db, learner_id=L, card_id=first.card_id, grade=3, now=now)
    assert result.next_due > now and result.due_count == reviews.NEW_CARDS_PER_DAY - 1
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ReviewCardRow)) == len(bank.flashcards)
    with pytest.raises(NotFound):
        reviews.grade_review(db, learner_id="someone-else", card_id=first.card_id, grade=3, now=now)
    with pytest.raises(InvalidInput, match="retention"):
        reviews.set_retention(db, learner_id=L, retention=0.5, now=now)


def test_reviews_respect_the_exam_date(db: Database, catalog: Catalog, now: datetime) -> None:
    exam = now + timedelta(days=10)
    book_exam(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        scheduled_at=exam,
        timezone="UTC",
        language="en",
        now=now,
    )
    prompt = reviews.next_review(db, learner_id=L, now=now)
    assert prompt is not None
    result = reviews.grade_review(db, learner_id=L, card_id=prompt.card_id, grade=4, now=now)
    eve = datetime.combine(exam.date() - timedelta(days=1), datetime.min.time(), tzinfo=exam.tzinfo)
    final_week = eve - timedelta(days=6)
    assert final_week <= result.next_due <= eve  # seen again in the final week, never after the exam


def test_the_calendar_and_its_feed(db: Database, catalog: Catalog, now: datetime) -> None:
    record_certification(
        db, catalog=catalog, learner_id=L, ref="AZ-104", earned_on=now.date() - timedelta(days=300), now=now
    )
    at = now + timedelta(days=20)
    book_exam(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        scheduled_at=at,
        timezone="UTC",
        language="en",
        now=now,
    )
    view = planning.make_plan(db, catalog=catalog, learner_id=L, now=now, weekday_hours=(2,) * 7)
    cal = Calendar.from_ical(planning.calendar_feed(db, catalog=catalog, token=view.feed_token, now=now))
    events = list(cal.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Exam AZ-400" in summaries
    assert any(s.startswith("Earliest retake of AZ-400") for s in summaries)
    assert any(s.startswith("Renewal opens: ") for s in summaries) and any(
        s.startswith("Expires: ") for s in summaries
    )
    assert sum(
        1 for e in events if "study" in str(e.get("CATEGORIES").cats if e.get("CATEGORIES") else "")
    ) == len(view.plan.blocks)
    with pytest.raises(NotFound):
        planning.calendar_feed(db, catalog=catalog, token="x" * 32, now=now)


def test_anki_export_is_a_valid_package(
    db: Database, catalog: Catalog, now: datetime, tmp_path: Path
) -> None:
    path = tmp_path / "deck.apkg"
    n = reviews.export_anki(db, learner_id=L, path=path, now=now)
    assert n == len(get_bank().flashcards)
    with zipfile.ZipFile(path) as z:
        assert "collection.anki2" in z.namelist()
    with pytest.raises(InvalidInput, match=r"\.apkg"):
        reviews.export_anki(db, learner_id=L, path=tmp_path / "deck.zip", now=now)


def test_plan_blocks_belong_to_their_learner(db: Database, catalog: Catalog, now: datetime) -> None:
    view = planning.make_plan(db, catalog=catalog, learner_id=L, now=now, preset="intensive")
    with pytest.raises(NotFound):
        planning.mark_block(
            db, catalog=catalog, learner_id="other", block_id=view.plan.blocks[0].id, done=True, now=now
        )
    with db.transaction() as s:
        assert (
            s.scalar(select(func.count()).select_from(PlanBlockRow).where(PlanBlockRow.done_at.is_not(None)))
            == 0
        )
        assert s.scalar(select(func.count()).select_from(ReviewCardRow)) > 0
