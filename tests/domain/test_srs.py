"""Exam-date-aware spaced repetition: fsrs untouched when no rule applies, the exam cap, the final-week spread,
with an injected clock and property tests of the guarantees stated in certprep.domain.srs."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.domain import srs
from certprep.domain.srs import CardState, due_now, exam_due, forecast, new_card, reschedule, review
from certprep.errors import InvalidInput

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
EXAM = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)  # exam day 8 Dec: eve 7 Dec 00:00, final week 1-7 Dec
EVE = datetime(2026, 12, 7, tzinfo=UTC)
FINAL_START = datetime(2026, 12, 1, tzinfo=UTC)
EXAM_DAY = datetime(2026, 12, 8, tzinfo=UTC)


def bare(card: fsrs.Card, grade: int, now: datetime, retention: float = 0.9) -> fsrs.Card:
    """The closed reference: fsrs called directly, as the wrapper documents it is configured."""
    scheduler = fsrs.Scheduler(desired_retention=retention, enable_fuzzing=False)
    return scheduler.review_card(card, fsrs.Rating(grade), now)[0]


def review_card(card_id: int, *, stability: float, last: datetime, now: datetime) -> CardState:
    """A card in the Review state whose last interval was about `stability` days (interval = S at R = 0.9)."""
    card = fsrs.Card(
        card_id=card_id,
        state=fsrs.State.Review,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=now,
        last_review=last,
    )
    return CardState(card_id=card_id, fsrs=dict(card.to_dict()), due=now, reps=3, last_review=last)


def test_new_card_is_due_now_with_its_id() -> None:
    card = new_card(7, T0, exam_at=EXAM)
    assert card.due == T0
    assert card.fsrs["card_id"] == 7
    assert due_now([card], T0) == [card]


def test_wrapper_equals_bare_fsrs_when_no_rule_applies() -> None:
    reference = fsrs.Card(card_id=1, due=T0)
    state = new_card(1, T0)
    now = T0
    for grade in (3, 3, 2, 3, 1, 3, 4, 3):
        far_exam = now + timedelta(days=3650)
        for exam_at in (None, far_exam):
            outcome = review(state, grade, now, exam_at=exam_at)
            assert outcome.clamped == ""
        reference = bare(reference, grade, now)
        assert outcome.state.fsrs == reference.to_dict()
        assert outcome.state.due == reference.due
        state, now = outcome.state, reference.due


def test_retention_is_passed_to_fsrs() -> None:
    state = new_card(1, T0)
    reference = fsrs.Card(card_id=1, due=T0)
    for _ in range(4):
        state = review(state, 3, state.due, exam_at=None, retention=0.8).state
        reference = bare(reference, 3, reference.due, retention=0.8)
    assert state.due == reference.due
    assert srs.scheduler(0.8) is srs.scheduler(0.8)


def test_good_reviews_never_carry_a_card_past_the_exam() -> None:
    state, now = new_card(1, T0), T0
    for _ in range(30):
        outcome = review(state, 3, now, exam_at=EXAM)
        state = outcome.state
        assert now <= state.due <= EXAM
        if now >= FINAL_START and outcome.clamped:
            assert state.due == EXAM and outcome.clamped == "exam"
            break
        now = max(state.due, now + timedelta(hours=1))
    else:
        pytest.fail("the reviews never reached the eve")


def test_card_reviewed_in_the_final_week_is_not_shown_again_before_the_exam() -> None:
    """Seen in the final week already: no second pass on the eve, which must stay light."""
    now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    state = review_card(1, stability=30, last=now - timedelta(days=30), now=now)
    outcome = review(state, 3, now, exam_at=EXAM)
    assert outcome.clamped == "exam"
    assert outcome.state.due == EXAM
    # fsrs's own due is kept, unclamped, for reschedule
    assert datetime.fromisoformat(outcome.state.fsrs["due"]) > EXAM


def test_card_with_40_day_interval_reviewed_20_days_before_is_moved_into_the_final_week() -> None:
    last = EXAM - timedelta(days=20)
    due, why = exam_due(last + timedelta(days=40), now=last, card_id=5, last_review=last, exam_at=EXAM)
    assert why == "final-week"
    assert FINAL_START <= due <= EVE
    assert due.time() == datetime.min.time()  # the start of a day: shown whenever the learner opens the app

    state = review_card(5, stability=40, last=last - timedelta(days=40), now=last)
    outcome = review(state, 3, last, exam_at=EXAM)
    assert datetime.fromisoformat(outcome.state.fsrs["due"]) > EXAM  # fsrs alone would skip the exam
    assert outcome.clamped == "final-week"
    assert FINAL_START <= outcome.state.due <= EVE


def test_300_cards_spread_over_the_final_week() -> None:
    now = EXAM - timedelta(days=20)
    dues = []
    for card_id in range(1, 301):
        state = review_card(card_id, stability=40, last=now - timedelta(days=40), now=now)
        outcome = review(state, 3, now, exam_at=EXAM)
        assert outcome.clamped == "final-week"
        dues.append(outcome.state.due.date())
    per_day = Counter(dues)
    assert set(per_day) == {date(2026, 12, d) for d in range(1, 8)}
    assert max(per_day.values()) <= 2 * 300 / 7


def test_spread_is_even_for_ids_with_a_stride_too() -> None:
    counts = Counter(srs._spread(card_id, 7) for card_id in range(7, 7 * 301, 7))
    assert len(counts) == 7 and max(counts.values()) <= 2 * 300 / 7


def test_final_week_spread_starts_today_when_the_final_week_has_begun() -> None:
    now = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
    last = EXAM - timedelta(days=20)
    seen = set()
    for card_id in range(1, 50):
        due, why = exam_due(
            EXAM + timedelta(days=9), now=now, card_id=card_id, last_review=last, exam_at=EXAM
        )
        assert why == "final-week" and now <= due <= EVE
        seen.add(due)
    assert seen == {now, datetime(2026, 12, 6, tzinfo=UTC), EVE}


def test_on_the_eve_a_card_is_not_shown_again_before_the_exam() -> None:
    now = EVE + timedelta(hours=18)
    state = review_card(1, stability=30, last=now - timedelta(days=3), now=now)
    outcome = review(state, 3, now, exam_at=EXAM)
    assert outcome.state.due == EXAM and outcome.clamped == "exam"
    assert due_now([outcome.state], EXAM - timedelta(seconds=1)) == []
    # a lapse on the eve keeps fsrs's 10-minute relearning step: it is before the exam
    lapse = review(state, 1, now, exam_at=EXAM)
    assert lapse.clamped == "" and lapse.state.due == now + timedelta(minutes=10)


def test_the_eve_is_a_day_in_the_learners_zone() -> None:
    paris = ZoneInfo("Europe/Paris")
    exam = datetime(2026, 12, 8, 9, 0, tzinfo=paris)
    now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    last = now - timedelta(days=12)  # not seen in the final week yet: moved to the start of a Paris day of it
    due, why = exam_due(
        now + timedelta(days=30), now=now, card_id=1, last_review=last, exam_at=exam, tz=paris
    )
    assert why == "final-week"
    local = due.astimezone(paris)
    assert local.time() == datetime.min.time() and date(2026, 12, 3) <= local.date() <= date(2026, 12, 7)
    assert due.tzinfo is UTC


def test_after_the_exam_the_rules_no_longer_apply() -> None:
    now = EXAM + timedelta(days=2)
    state = review_card(1, stability=30, last=now - timedelta(days=30), now=now)
    outcome = review(state, 3, now, exam_at=EXAM)
    reference = bare(fsrs.Card.from_dict(state.fsrs), 3, now)  # type: ignore[arg-type]
    assert outcome.clamped == "" and outcome.state.due == reference.due


def test_reschedule_gives_back_fsrs_due_when_the_exam_moves_or_passes() -> None:
    now = EXAM - timedelta(days=20)
    state = review_card(1, stability=40, last=now - timedelta(days=40), now=now)
    clamped = review(state, 3, now, exam_at=EXAM).state
    natural = datetime.fromisoformat(clamped.fsrs["due"])
    assert clamped.due < natural
    after, why = reschedule(clamped, now=EXAM + timedelta(hours=3), exam_at=EXAM)
    assert after.due == natural and why == ""
    later, why = reschedule(clamped, now=now, exam_at=natural + timedelta(days=60))
    assert later.due == natural and why == ""


@pytest.mark.parametrize("grade", [1, 2, 3, 4])
def test_each_grade_is_accepted(grade: int) -> None:
    outcome = review(new_card(1, T0), grade, T0, exam_at=EXAM)  # type: ignore[arg-type]
    assert outcome.log["rating"] == grade
    assert outcome.state.reps == 1 and outcome.state.last_review == T0


@pytest.mark.parametrize("grade", [0, 5, -1, True, 3.0, "3", None])
def test_other_grades_are_refused_naming_the_field(grade: object) -> None:
    with pytest.raises(InvalidInput, match=r"grade must be 1 \(again\), 2 \(hard\), 3 \(good\) or 4") as err:
        review(new_card(1, T0), grade, T0, exam_at=EXAM)  # type: ignore[arg-type]
    assert err.value.data == {"field": "grade"}


@pytest.mark.parametrize("value", [0.69, 0.98, 1.0, 0, True, float("nan")])
def test_retention_outside_the_range_is_refused(value: float) -> None:
    with pytest.raises(InvalidInput, match=r"retention must be a number from 0\.7 to 0\.97") as err:
        srs.check_retention(value)
    assert err.value.data == {"field": "retention"}
    with pytest.raises(InvalidInput):
        review(new_card(1, T0), 3, T0, exam_at=None, retention=value)


@pytest.mark.parametrize("value", [0.7, 0.85, 0.97])
def test_retention_in_the_range_is_kept(value: float) -> None:
    assert srs.check_retention(value) == value


def test_naive_datetimes_are_a_bug() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        review(new_card(1, T0), 3, datetime(2026, 11, 1), exam_at=None)


def test_non_utc_zone_objects_are_converted_for_fsrs() -> None:
    now = datetime(2026, 11, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    outcome = review(new_card(1, T0), 3, now, exam_at=None)
    assert outcome.state.last_review == T0 and outcome.state.last_review.tzinfo is UTC


def test_card_state_round_trips_through_json_with_the_same_next_review() -> None:
    state = new_card(11, T0, exam_at=EXAM)
    now = T0
    for grade in (3, 1, 3, 3):
        state = review(state, grade, now, exam_at=EXAM).state
        now = state.due
    copy = CardState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert copy == state
    assert review(copy, 3, now, exam_at=EXAM) == review(state, 3, now, exam_at=EXAM)


def test_due_now_sorts_oldest_first_then_by_id() -> None:
    cards = [
        new_card(3, T0 + timedelta(hours=1)),
        new_card(2, T0),
        new_card(1, T0),
        new_card(4, T0 + timedelta(days=1)),
    ]
    assert [c.card_id for c in due_now(cards, T0 + timedelta(hours=2))] == [1, 2, 3]


def test_forecast_counts_overdue_on_the_first_day_and_ignores_beyond_the_horizon() -> None:
    start = date(2026, 12, 1)
    cards = [
        new_card(1, datetime(2026, 11, 20, tzinfo=UTC)),  # overdue
        new_card(2, datetime(2026, 12, 1, 23, 0, tzinfo=UTC)),
        new_card(3, datetime(2026, 12, 3, 1, 0, tzinfo=UTC)),
        new_card(4, datetime(2026, 12, 30, tzinfo=UTC)),  # beyond 7 days
    ]
    hours = forecast(cards, start, 7, minutes_per_review=6)
    assert list(hours) == [start + timedelta(days=i) for i in range(7)]
    assert hours[start] == pytest.approx(0.2)
    assert hours[date(2026, 12, 3)] == pytest.approx(0.1)
    assert sum(hours.values()) == pytest.approx(0.3)


grades = st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=25)
gaps = st.lists(st.floats(min_value=0.0, max_value=1.5), min_size=25, max_size=25)


@given(
    grades=grades,
    gaps=gaps,
    exam_in_days=st.floats(min_value=0.01, max_value=120),
    start_hour=st.integers(0, 23),
    zone=st.sampled_from(["UTC", "Europe/Paris", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati"]),
)
def test_guarantees_for_any_review_sequence(
    grades: list[int], gaps: list[float], exam_in_days: float, start_hour: int, zone: str
) -> None:
    """now <= due; due <= eve before the eve, due <= exam after; final-week moves land on a final-week day."""
    tz = ZoneInfo(zone)
    start = T0.replace(hour=start_hour)
    exam = start + timedelta(days=exam_in_days)
    exam_day = exam.astimezone(tz).date()
    eve = datetime.combine(exam_day - timedelta(days=1), datetime.min.time(), tzinfo=tz)
    final_start = datetime.combine(exam_day - timedelta(days=7), datetime.min.time(), tzinfo=tz)
    state, now = new_card(1, start, exam_at=exam, tz=tz), start
    for grade, gap in zip(grades, gaps, strict=False):
        if now >= exam:
            break
        outcome = review(state, grade, now, exam_at=exam, tz=tz)  # type: ignore[arg-type]
        state = outcome.state
        assert now <= state.due
        seen_in_final_week = now >= final_start  # this very review
        assert state.due <= (exam if seen_in_final_week or now >= eve else eve)
        if outcome.clamped == "final-week":
            assert now < final_start and final_start <= state.due <= eve
        # the learner reviews when the card is due, or up to `gap` days later
        now = state.due + timedelta(days=gap)


@given(
    grades=st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=40),
    exam_in_days=st.floats(min_value=7.5, max_value=200),
)
def test_a_learner_who_reviews_when_due_sees_every_card_in_the_final_week(
    grades: list[int], exam_in_days: float
) -> None:
    exam = T0 + timedelta(days=exam_in_days)
    final_start = datetime.combine(exam.date() - timedelta(days=7), datetime.min.time(), tzinfo=UTC)
    state, now, seen = new_card(1, T0, exam_at=exam), T0, []
    for i in range(500):
        if now >= exam:
            break
        seen.append(now)
        grade = grades[i] if i < len(grades) else 3  # whatever the lapses, the card is learnt in the end
        state = review(state, grade, now, exam_at=exam).state  # type: ignore[arg-type]
        now = state.due
    assert any(final_start <= t < exam for t in seen)


@given(
    due_in_days=st.floats(min_value=-30, max_value=400),
    now_before_exam_days=st.floats(min_value=0.001, max_value=60),
    reviewed_days_ago=st.none() | st.floats(min_value=0, max_value=60),
    card_id=st.integers(min_value=0, max_value=2**63),
)
def test_exam_due_on_any_stored_card(
    due_in_days: float, now_before_exam_days: float, reviewed_days_ago: float | None, card_id: int
) -> None:
    """What reschedule relies on: overdue stays overdue; otherwise now <= due <= cap; moves land in the week."""
    now = EXAM - timedelta(days=now_before_exam_days)
    due = now + timedelta(days=due_in_days)
    last = None if reviewed_days_ago is None else now - timedelta(days=reviewed_days_ago)
    moved, why = exam_due(due, now=now, card_id=card_id, last_review=last, exam_at=EXAM)
    if due <= now:
        assert (moved, why) == (due, "")
        return
    unseen = last is None or last < FINAL_START
    assert now <= moved <= (EVE if unseen and now < EVE else EXAM)
    assert moved == due or why in ("exam", "final-week")
    if why == "final-week":
        # a day of the final week: its start, or now when that day is today (the eve included)
        assert FINAL_START <= moved < EXAM_DAY and (last is None or last < FINAL_START)
        assert moved == now or moved.time() == datetime.min.time()
