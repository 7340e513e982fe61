"""Attempts on a real database: stored forms, sections, locks, the stored deadline, idempotent answers, reports."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from certprep.db.tables import FormEntryRow, ResponseRow
from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank, Item, SingleChoice
from certprep.errors import Forbidden, InvalidInput, NotFound, PolicyViolation
from certprep.services import attempts as svc
from certprep.services import forms
from certprep.services.bank import record_revisions
from certprep.services.database import Database
from certprep.services.profile import set_accommodation, show_profile
from tests.factories import generated_bank, key_answer

L = "local"


@pytest.fixture
def bank(catalog: Catalog) -> Bank:
    return generated_bank(catalog.outline("AZ-400"))


def start(db: Database, catalog: Catalog, bank: Bank, now: datetime, **kw: object) -> svc.AttemptView:
    return forms.start_exam(db, catalog=catalog, learner_id=L, now=now, seed=11, bank=bank, **kw)  # type: ignore[arg-type]


def item_of(bank: Bank, db: Database, attempt_id: str, position: int) -> Item:
    with db.transaction() as s:
        row = s.get(FormEntryRow, (attempt_id, position))
        assert row is not None
        item = bank.item(row.item_id)
    assert item is not None
    return item


def answer_key(
    db: Database, catalog: Catalog, bank: Bank, aid: str, pos: int, now: datetime, rid: str | None = None
) -> svc.Acknowledgement:
    view = svc.view_item(db, catalog=catalog, learner_id=L, attempt_id=aid, position=pos, now=now, bank=bank)
    return svc.answer_item(
        db,
        catalog=catalog,
        learner_id=L,
        attempt_id=aid,
        position=pos,
        response=key_answer(item_of(bank, db, aid, pos), view.shown),
        request_id=rid,
        now=now,
        bank=bank,
    )


def test_form_is_stored_and_never_regenerated(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    assert len(v.entries) == 50 and v.seconds_left == 100 * 60
    again = svc.view_attempt(db, learner_id=L, attempt_id=v.attempt.id, now=now + timedelta(minutes=1))
    assert [(e.position, e.section, e.type) for e in again.entries] == [
        (e.position, e.section, e.type) for e in v.entries
    ]
    assert again.seconds_left == 99 * 60
    with db.transaction() as s:
        revisions = s.scalars(
            select(FormEntryRow.revision).where(FormEntryRow.attempt_id == v.attempt.id)
        ).all()
    assert len(revisions) == 50 and all(len(r) == 16 for r in revisions)


def test_key_and_explanations_stay_on_the_server_until_submission(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    view = svc.view_item(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, position=0, now=now, bank=bank
    )
    text = json.dumps(svc.to_plain(view))
    assert view.feedback is None and "why " not in text and '"key"' not in text and "o0" not in text
    answer_key(db, catalog, bank, v.attempt.id, 0, now)
    after = svc.view_item(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, position=0, now=now, bank=bank
    )
    assert after.feedback is None and after.answer is not None


def test_answer_retried_with_same_request_id_is_recorded_once(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    pos = next(e.position for e in v.entries if e.type == "single")
    first = answer_key(db, catalog, bank, v.attempt.id, pos, now, rid="req-1")
    again = answer_key(db, catalog, bank, v.attempt.id, pos, now, rid="req-1")
    assert first == again and first.changes == 0
    with db.transaction() as s:
        assert len(s.scalars(select(ResponseRow).where(ResponseRow.attempt_id == v.attempt.id)).all()) == 1
    with pytest.raises(InvalidInput, match="already used for another item"):
        answer_key(db, catalog, bank, v.attempt.id, pos + 1, now, rid="req-1")


def test_changed_answers_are_counted_and_exposure_recorded(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    pos = next(e.position for e in v.entries if e.type == "single")
    svc.view_item(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, position=pos, now=now, bank=bank
    )
    for n, label in enumerate(["A", "B", "B", "C"]):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=pos,
            response=label,
            request_id=None,
            now=now + timedelta(seconds=30 + n),
        )
    with db.transaction() as s:
        r = s.scalars(select(ResponseRow).where(ResponseRow.attempt_id == v.attempt.id)).one()
        assert (r.changes, r.mode, r.time_on_item_ms, r.seen_before, r.key_shown_before) == (
            2,
            "exam",
            30000,
            0,
            False,
        )


def test_bad_responses_are_4xx_and_change_nothing(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    pos = next(e.position for e in v.entries if e.type == "multiple")
    with pytest.raises(InvalidInput, match="not a choice label"):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=pos,
            response=["Z"],
            request_id=None,
            now=now,
        )
    with pytest.raises(InvalidInput, match="choose at most 2"):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=pos,
            response=["A", "B", "C"],
            request_id=None,
            now=now,
        )
    with pytest.raises(NotFound):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=999,
            response="A",
            request_id=None,
            now=now,
        )
    with pytest.raises(NotFound):
        svc.view_attempt(db, learner_id="someone-else", attempt_id=v.attempt.id, now=now)
    with db.transaction() as s:
        assert s.scalars(select(ResponseRow)).all() == []


def test_sections_lock_once_left(db: Database, catalog: Catalog, bank: Bank, now: datetime) -> None:
    v = start(db, catalog, bank, now)
    first = v.entries[0].position
    case_pos = next(e.position for e in v.entries if e.section == 1)
    with pytest.raises(PolicyViolation, match="finish section 1 first"):
        svc.view_item(
            db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, position=case_pos, now=now, bank=bank
        )
    with pytest.raises(InvalidInput, match="confirm to continue"):
        svc.leave_section(db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, confirm=False, now=now)
    after = svc.leave_section(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, confirm=True, now=now
    )
    assert after.attempt.current_section == 1 and all(e.locked for e in after.entries if e.section == 0)
    with pytest.raises(PolicyViolation, match="locked: you left it"):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=first,
            response="A",
            request_id=None,
            now=now,
        )
    with pytest.raises(PolicyViolation, match="last section"):
        svc.leave_section(db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, confirm=True, now=now)


def test_yes_no_statement_locks_once_answered(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    pos = next(e.position for e in v.entries if e.type == "yes-no")
    svc.answer_item(
        db,
        catalog=catalog,
        learner_id=L,
        attempt_id=v.attempt.id,
        position=pos,
        response="yes",
        request_id=None,
        now=now,
    )
    with pytest.raises(PolicyViolation, match="locked once answered"):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=pos,
            response="no",
            request_id=None,
            now=now,
        )


def test_timer_expiry_submits_what_was_answered(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    set_accommodation(db, learner_id=L, minutes=10, now=now, actor_role="admin")
    v = start(db, catalog, bank, now)
    sim = catalog.certification("AZ-400").exam.simulation
    assert sim is not None
    total = sim.minutes + 10  # the exam's own time plus the profile's accommodation
    assert v.attempt.deadline == now + timedelta(minutes=total)
    answer_key(db, catalog, bank, v.attempt.id, v.entries[0].position, now + timedelta(minutes=total - 1))
    late = now + timedelta(minutes=total)
    with pytest.raises(PolicyViolation, match="submitted when its time ran out"):
        answer_key(db, catalog, bank, v.attempt.id, v.entries[1].position, late)
    report = svc.get_report(db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=late, bank=bank)
    assert report.expired is True and report.submitted_at == late.isoformat()
    assert report.raw == report.items[0].max_points


def test_accommodation_is_bounded_and_kept_in_the_profile(
    db: Database, catalog: Catalog, now: datetime
) -> None:
    with pytest.raises(InvalidInput, match="between 0 and 240, not 600"):
        set_accommodation(db, learner_id=L, minutes=600, now=now, actor_role="admin")
    assert show_profile(db, catalog=catalog, learner_id=L, today=now.date()).extra_minutes == 0
    with pytest.raises(Forbidden, match="team manager, not by the learner"):
        set_accommodation(db, learner_id=L, minutes=30, now=now, actor_role="learner")
    assert show_profile(db, catalog=catalog, learner_id=L, today=now.date()).extra_minutes == 0
    set_accommodation(db, learner_id=L, minutes=30, now=now, actor_role="admin")
    assert show_profile(db, catalog=catalog, learner_id=L, today=now.date()).extra_minutes == 30


def test_full_marks_pass_and_report_shape(db: Database, catalog: Catalog, bank: Bank, now: datetime) -> None:
    v = start(db, catalog, bank, now)
    for section in range(len(v.attempt.sections)):
        for e in [e for e in v.entries if e.section == section]:
            answer_key(db, catalog, bank, v.attempt.id, e.position, now)
        if section + 1 < len(v.attempt.sections):
            svc.leave_section(
                db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, confirm=True, now=now
            )
    r = svc.submit_attempt(db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank)
    assert r.passed and r.scaled == 1000 and r.raw == r.max_raw
    assert r.method_version == "certprep-scaled-v1" and r.revisit == []
    assert {g.group for g in r.groups} == {g.id for g in catalog.outline("AZ-400").groups}
    one = r.items[0]
    assert one.revision and one.shown and one.revealed["key"] == one.answer


def test_nothing_answered_fails_with_revisit_links(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    r = svc.submit_attempt(db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank)
    assert not r.passed and r.scaled == 1 and len(r.revisit) == 5
    assert all(x.links for x in r.revisit)
    with pytest.raises(PolicyViolation, match=r"already submitted|was submitted"):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=0,
            response="A",
            request_id=None,
            now=now,
        )


def test_report_snapshot_survives_a_change_to_an_item(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    pos = next(e.position for e in v.entries if e.type == "single")
    answer_key(db, catalog, bank, v.attempt.id, pos, now)
    before = svc.submit_attempt(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank
    )
    item = item_of(bank, db, v.attempt.id, pos)
    assert isinstance(item, SingleChoice)
    fixed = replace(item, key="o1")
    assert record_revisions(db, items=[fixed], pack_id="az-400", now=now) == 1
    after = svc.get_report(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now + timedelta(days=1), bank=bank
    )
    assert after == before


def test_practice_gives_feedback_and_locks_the_item(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    choice = forms.PracticeFilter(groups=("security",), types=("single",), count=3)
    v = forms.start_practice(db, catalog=catalog, learner_id=L, now=now, choice=choice, seed=2, bank=bank)
    assert len(v.entries) == 3 and v.seconds_left is None and {e.type for e in v.entries} == {"single"}
    ack = svc.answer_item(
        db,
        catalog=catalog,
        learner_id=L,
        attempt_id=v.attempt.id,
        position=0,
        response="A",
        request_id=None,
        now=now,
    )
    assert ack.feedback is not None and {"key", "choices", "sources", "points"} <= set(ack.feedback)
    with pytest.raises(PolicyViolation, match="feedback shown"):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=0,
            response="B",
            request_id=None,
            now=now,
        )


def test_practice_filters(db: Database, catalog: Catalog, bank: Bank, now: datetime) -> None:
    first = forms.start_practice(
        db,
        catalog=catalog,
        learner_id=L,
        now=now,
        choice=forms.PracticeFilter(objectives=("kql-queries",), count=4),
        seed=1,
        bank=bank,
    )
    for e in first.entries:
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=first.attempt.id,
            position=e.position,
            response={"single": "A", "multiple": ["A"], "build-list": ["A"], "drag-drop": {}, "hot-area": {}}[
                e.type
            ],
            request_id=None,
            now=now,
        )
    missed = forms.start_practice(
        db,
        catalog=catalog,
        learner_id=L,
        now=now,
        choice=forms.PracticeFilter(only_missed=True, count=50),
        seed=1,
        bank=bank,
    )
    assert 1 <= len(missed.entries) <= 4
    with pytest.raises(InvalidInput, match="no item matches"):
        forms.start_practice(
            db,
            catalog=catalog,
            learner_id=L,
            now=now,
            choice=forms.PracticeFilter(objectives=("kql-queries",), not_seen_in_last=2),
            seed=1,
            bank=bank,
        )
    with pytest.raises(InvalidInput, match="unknown functional group 'ops'"):
        forms.start_practice(
            db,
            catalog=catalog,
            learner_id=L,
            now=now,
            choice=forms.PracticeFilter(groups=("ops",)),
            bank=bank,
        )


def test_second_attempt_records_prior_exposure(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    """Seen before counts every view; the key counts as shown only where it was (`domain.attempt.key_shown`): a
    practice item answered (feedback shown), not one only looked at."""
    choice = forms.PracticeFilter(objectives=("kql-queries",), count=4)
    a = forms.start_practice(db, catalog=catalog, learner_id=L, now=now, choice=choice, seed=1, bank=bank)
    answered = set()
    for e in a.entries:
        svc.view_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=a.attempt.id,
            position=e.position,
            now=now,
            bank=bank,
        )
        if e.position % 2 == 0:
            answer_key(db, catalog, bank, a.attempt.id, e.position, now)
            answered.add(item_of(bank, db, a.attempt.id, e.position).meta.id)
    b = forms.start_practice(
        db, catalog=catalog, learner_id=L, now=now + timedelta(hours=1), choice=choice, seed=1, bank=bank
    )
    with db.transaction() as s:
        rows = s.scalars(select(FormEntryRow).where(FormEntryRow.attempt_id == b.attempt.id)).all()
    assert all(r.seen_before == 1 for r in rows)
    assert {r.item_id for r in rows if r.key_shown_before} == answered and len(answered) == 2


def test_history_and_trend(db: Database, catalog: Catalog, bank: Bank, now: datetime) -> None:
    """An exam with answers joins the trend; one submitted or timed out with nothing answered stays in the history,
    marked, but out of the trend; a practice set has points and percentages, never a scaled score."""
    answered = start(db, catalog, bank, now)
    answer_key(db, catalog, bank, answered.attempt.id, 0, now)
    svc.submit_attempt(db, catalog=catalog, learner_id=L, attempt_id=answered.attempt.id, now=now, bank=bank)
    empty = start(db, catalog, bank, now + timedelta(days=1))
    svc.submit_attempt(
        db, catalog=catalog, learner_id=L, attempt_id=empty.attempt.id, now=now + timedelta(days=1), bank=bank
    )
    start(db, catalog, bank, now + timedelta(days=2))  # abandoned: times out with nothing answered
    practice = forms.start_practice(
        db,
        catalog=catalog,
        learner_id=L,
        now=now + timedelta(days=2),
        seed=3,
        bank=bank,
        choice=forms.PracticeFilter(types=("single",), count=3),
    )
    for pos in range(3):
        answer_key(db, catalog, bank, practice.attempt.id, pos, now + timedelta(days=2))
    done = svc.submit_attempt(
        db,
        catalog=catalog,
        learner_id=L,
        attempt_id=practice.attempt.id,
        now=now + timedelta(days=2),
        bank=bank,
    )
    assert done.scaled is None and done.passed is None and done.cut is None
    assert (done.raw, done.max_raw) == (3, 3)
    lines = svc.list_attempts(db, catalog=catalog, learner_id=L, now=now + timedelta(days=3), bank=bank)
    assert [(h.mode, h.status, h.answered, h.expired, h.in_trend) for h in lines] == [
        ("exam", "submitted", 1, False, True),
        ("exam", "submitted", 0, False, False),
        ("exam", "submitted", 0, True, False),
        ("practice", "submitted", 3, False, False),
    ]
    assert (
        lines[3].scaled is None
        and lines[3].passed is None
        and (lines[3].points, lines[3].max_points) == (3, 3)
    )
    assert [s for _, s in svc.exam_trend(lines)] == [lines[0].scaled] and lines[0].scaled > 1


def test_discard_an_attempt_in_progress_only(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start(db, catalog, bank, now)
    answer_key(db, catalog, bank, v.attempt.id, 0, now)
    line = svc.discard_attempt(db, learner_id=L, attempt_id=v.attempt.id, now=now)
    assert (line.status, line.answered) == ("discarded", 1)
    assert svc.list_attempts(db, catalog=catalog, learner_id=L, now=now, bank=bank) == []
    from certprep.services.readiness import get_readiness

    assert (
        get_readiness(db, catalog=catalog, learner_id=L, today=now.date(), bank=bank)["current"] is None
    )  # its answers are gone
    with pytest.raises(PolicyViolation, match="already discarded"):
        svc.discard_attempt(db, learner_id=L, attempt_id=v.attempt.id, now=now)
    with pytest.raises(PolicyViolation, match="was discarded; the answer was not recorded"):
        answer_key(db, catalog, bank, v.attempt.id, 1, now)
    done = start(db, catalog, bank, now)
    svc.submit_attempt(db, catalog=catalog, learner_id=L, attempt_id=done.attempt.id, now=now, bank=bank)
    with pytest.raises(PolicyViolation, match="its report is kept"):
        svc.discard_attempt(db, learner_id=L, attempt_id=done.attempt.id, now=now)
    late = start(db, catalog, bank, now)
    with pytest.raises(PolicyViolation, match="time ran out"):
        svc.discard_attempt(db, learner_id=L, attempt_id=late.attempt.id, now=now + timedelta(hours=3))
    with pytest.raises(NotFound):
        svc.discard_attempt(db, learner_id="someone-else", attempt_id=late.attempt.id, now=now)


def test_booked_language_decides_the_outline(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    from certprep.services.profile import book_exam

    day = datetime(2026, 8, 20, 9, 0, tzinfo=now.tzinfo)
    book_exam(
        db,
        catalog=catalog,
        learner_id=L,
        exam="AZ-400",
        scheduled_at=day + timedelta(days=3),
        timezone="Asia/Tokyo",
        language="ja",
        now=day,
    )
    older = forms.start_exam(db, catalog=catalog, learner_id=L, now=day, seed=1, bank=bank)
    assert older.attempt.outline.isoformat() == "2026-04-24"
    english = forms.start_exam(db, catalog=catalog, learner_id=L, now=day, seed=1, bank=bank, language="en")
    assert english.attempt.outline.isoformat() == "2026-07-27"


def test_pilot_items_are_never_counted(db: Database, catalog: Catalog, now: datetime) -> None:
    from dataclasses import replace as dc_replace

    from certprep.domain.catalog import Simulation

    outline = catalog.outline("AZ-400")
    base = generated_bank(outline)
    pilots = tuple(
        dc_replace(i, meta=dc_replace(i.meta, pilot=True, id=i.meta.id + "-pilot"))
        for i in base.items[:5]
        if i.meta.container is None
    )
    bank = Bank(base.items + pilots, base.series, base.case_studies)
    cert = catalog.certification("AZ-400")
    assert cert.exam.simulation is not None
    sim: Simulation = dc_replace(cert.exam.simulation, pilot_items=3)
    with_pilots = dc_replace(
        catalog,
        certifications=tuple(
            dc_replace(c, exam=dc_replace(c.exam, simulation=sim)) if c.id == cert.id else c
            for c in catalog.certifications
        ),
    )
    v = forms.start_exam(db, catalog=with_pilots, learner_id=L, now=now, seed=3, bank=bank)
    assert len(v.entries) == 53
    for e in v.entries:
        answer_key(db, with_pilots, bank, v.attempt.id, e.position, now) if e.section == 0 else None
    r = svc.submit_attempt(db, catalog=with_pilots, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank)
    pilot_rows = [i for i in r.items if not i.scored]
    assert len(pilot_rows) == 3 and all(i.item_id.endswith("-pilot") for i in pilot_rows)
    assert r.max_raw == sum(i.max_points for i in r.items if i.scored)


def test_the_review_screen_reads_a_50_item_form_in_a_few_statements(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    """One query per kind of row, not one per item (the review found 53 statements for 50 items)."""
    from sqlalchemy import event

    v = start(db, catalog, bank, now)
    svc._REVISIONS.clear()  # cold: the revisions are read too
    count = [0]

    def counted(*_args: object) -> None:
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    svc.view_attempt(db, learner_id=L, attempt_id=v.attempt.id, now=now, catalog=catalog, bank=bank)
    event.remove(db.engine, "before_cursor_execute", counted)
    assert count[0] <= 8, count[0]
