"""Spaced repetition anchored on the exam date: the FSRS scheduler plus two exam-date rules.

Scheduling is the FSRS algorithm through its reference Python implementation, the `fsrs` library
(open-spaced-repetition/py-fsrs, https://github.com/open-spaced-repetition/py-fsrs); certprep never computes an
interval itself. After fsrs has chosen a due date, `exam_due` applies the exam-date rules (see its docstring and
docs/architecture.md, "Review queue and the exam date").

Guarantees of `review(state, grade, now, exam_at=E)` with `now < E` (tested with hypothesis):
- `now <= due` (a card is never due in the past right after a review);
- `due <= eve` when `now < eve`, where `eve` is the start (00:00 in `tz`) of the day before the exam's day;
  otherwise (`now` on the eve or the exam morning) `due <= E`;
- a card reviewed before the final week that fsrs would next show after the eve is moved to the start of one day
  of the final week (the 7 days before the exam's day), the day chosen by `card_id`;
- `state.fsrs` is exactly what fsrs returned: the rules move `CardState.due` only, so `reschedule` can undo them
  when the exam date changes or passes.
With no exam, or `E <= now`, the result is plain fsrs.

Fuzzing is off (`enable_fuzzing=False`): fsrs fuzzes with the global `random` module, which would make this
module impure and its results unrepeatable; the final-week spread already separates cards that fsrs would show
together where it matters most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any, Literal

import fsrs

from certprep.errors import InvalidInput

Grade = Literal[1, 2, 3, 4]  # Again, Hard, Good, Easy (fsrs.Rating)
GRADES: tuple[Grade, ...] = (1, 2, 3, 4)
DEFAULT_RETENTION = 0.9
MIN_RETENTION = 0.7
MAX_RETENTION = 0.97
FINAL_WEEK_DAYS = 7
CLAMP_EXAM = "exam"
CLAMP_FINAL_WEEK = "final-week"


@dataclass(frozen=True, slots=True)
class CardState:
    """One card's schedule: fsrs's own state plus the due date after the exam-date rules."""

    card_id: int  # stable integer id (from the database row id)
    fsrs: dict[str, Any]  # fsrs.Card.to_dict(): fsrs's due, before the exam-date rules
    due: datetime  # UTC-aware; what the queue sorts by (after the exam-date rules)
    reps: int = 0
    last_review: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes as ISO 8601 strings)."""
        return {
            "card_id": self.card_id,
            "fsrs": dict(self.fsrs),
            "due": self.due.isoformat(),
            "reps": self.reps,
            "last_review": self.last_review.isoformat() if self.last_review else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardState:
        """The inverse of `to_dict`."""
        last = data.get("last_review")
        return cls(
            card_id=int(data["card_id"]),
            fsrs=dict(data["fsrs"]),
            due=_utc(datetime.fromisoformat(data["due"])),
            reps=int(data.get("reps", 0)),
            last_review=_utc(datetime.fromisoformat(last)) if last else None,
        )


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    state: CardState
    log: dict[str, Any]  # fsrs.ReviewLog.to_dict()
    clamped: str  # "" or why the due date was moved ("exam", "final-week")


def check_retention(value: float) -> float:
    """The desired retention, refused outside 0.7..0.97 (fsrs intervals explode or collapse beyond)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not MIN_RETENTION <= value <= MAX_RETENTION
    ):
        raise InvalidInput(
            f"retention must be a number from {MIN_RETENTION} to {MAX_RETENTION}, got {value!r}",
            field="retention",
        )
    return float(value)


def check_grade(value: object) -> Grade:
    """A grade 1..4 (Again, Hard, Good, Easy), else InvalidInput naming the field "grade"."""
    for grade in GRADES:
        if value == grade and type(value) is int:
            return grade
    raise InvalidInput(
        f"grade must be 1 (again), 2 (hard), 3 (good) or 4 (easy), got {value!r}", field="grade"
    )


@lru_cache(maxsize=16)
def scheduler(retention: float = DEFAULT_RETENTION) -> fsrs.Scheduler:
    """One fsrs Scheduler per retention value (building one validates 21 parameters; reviews reuse it)."""
    return fsrs.Scheduler(desired_retention=retention, enable_fuzzing=False)


def new_card(card_id: int, now: datetime, *, exam_at: datetime | None = None, tz: tzinfo = UTC) -> CardState:
    """A card never reviewed, due now (an explicit card_id: fsrs sleeps 1 ms to invent one otherwise)."""
    now = _utc(now)
    card = fsrs.Card(card_id=card_id, due=now)
    due, _ = exam_due(now, now=now, card_id=card_id, last_review=None, exam_at=exam_at, tz=tz)
    return CardState(card_id=card_id, fsrs=dict(card.to_dict()), due=due)


def review(
    state: CardState,
    grade: Grade,
    now: datetime,
    *,
    exam_at: datetime | None,
    retention: float = DEFAULT_RETENTION,
    tz: tzinfo = UTC,
) -> ReviewOutcome:
    """Grade a card at `now`: fsrs's next review, then the exam-date rules (module docstring)."""
    rating = fsrs.Rating(check_grade(grade))
    sched = scheduler(check_retention(retention))
    now = _utc(now)
    # state.fsrs is fsrs's own to_dict() read back from JSON: the CardDict shape, typed loosely for storage
    card, log = sched.review_card(fsrs.Card.from_dict(state.fsrs), rating, now)  # type: ignore[arg-type]
    due, why = exam_due(
        _utc(card.due), now=now, card_id=state.card_id, last_review=now, exam_at=exam_at, tz=tz
    )
    new = CardState(
        card_id=state.card_id, fsrs=dict(card.to_dict()), due=due, reps=state.reps + 1, last_review=now
    )
    return ReviewOutcome(state=new, log=dict(log.to_dict()), clamped=why)


def reschedule(
    state: CardState, *, now: datetime, exam_at: datetime | None, tz: tzinfo = UTC
) -> tuple[CardState, str]:
    """The card's due for a new (or no, or past) exam date, recomputed from fsrs's own due."""
    natural = _utc(datetime.fromisoformat(state.fsrs["due"]))
    due, why = exam_due(
        natural, now=_utc(now), card_id=state.card_id, last_review=state.last_review, exam_at=exam_at, tz=tz
    )
    return replace(state, due=due), why


def exam_due(
    due: datetime,
    *,
    now: datetime,
    card_id: int,
    last_review: datetime | None,
    exam_at: datetime | None,
    tz: tzinfo = UTC,
) -> tuple[datetime, str]:
    """The exam-date rules, in one place; returns (due, "" | "exam" | "final-week").

    Days are calendar days in `tz` (the learner's zone; UTC by default). With exam day X:
    `eve` = 00:00 of X-1; the final week = the 7 days X-7 .. X-1; `cap` = `eve` for a card not yet seen in the final
    week (while `now < eve`), else the exam time itself (the card was seen in the final week, or it is the eve:
    due == exam means "not shown again before the exam"; `reschedule` gives it back its fsrs due afterwards).
    0. No exam, the exam is over, or `due <= cap` (overdue cards included): `due` unchanged, "".
    1. Final week: a card never reviewed or last reviewed before X-7, with `due > cap`, and a final-week day still
       to come: moved to 00:00 of one of the remaining final-week days (from today, or X-7 if later, to X-1),
       chosen by Fibonacci hashing of `card_id` so cards spread evenly; never before `now`. "final-week".
    2. Exam cap: otherwise a `due > cap` becomes `cap`. "exam".
    """
    if exam_at is None:
        return due, ""
    exam_at, now, due = _utc(exam_at), _utc(now), _utc(due)
    if now >= exam_at:
        return due, ""
    exam_day, eve, final_start = _exam_days(exam_at, tz)
    # A card reviewed before the final week may wait until the eve at most; one reviewed inside the final week has
    # been seen there already, so fsrs's due past the exam means "not shown again before the exam" (the exam time),
    # not a second pass on the eve: that would pile the whole queue onto the day that must stay light.
    unseen_in_final_week = last_review is None or _utc(last_review) < final_start
    cap = eve if unseen_in_final_week and now < eve else exam_at
    if due <= cap:
        return due, ""
    today = now.astimezone(tz).date()
    last_day = exam_day - timedelta(days=1)
    if unseen_in_final_week and today <= last_day:
        first_day = max(today, exam_day - timedelta(days=FINAL_WEEK_DAYS))
        slot = _spread(card_id, (last_day - first_day).days + 1)
        return max(_start_of(first_day + timedelta(days=slot), tz), now), CLAMP_FINAL_WEEK
    return cap, CLAMP_EXAM


def due_now(cards: Sequence[CardState], now: datetime) -> list[CardState]:
    """Cards due at `now` (due <= now), oldest due first, ties by card_id."""
    now = _utc(now)
    return sorted((c for c in cards if c.due <= now), key=lambda c: (c.due, c.card_id))


def forecast(
    cards: Sequence[CardState],
    start: date,
    days: int,
    *,
    minutes_per_review: float = 0.5,
    tz: tzinfo = UTC,
) -> dict[date, float]:
    """Hours of reviews per day over `days` days from `start` (overdue cards count on `start`), for the planner.

    Counts each card's next review only (what is scheduled now): reviews those reviews will cause are not
    predicted, so later days are a lower bound.
    """
    hours = {start + timedelta(days=i): 0.0 for i in range(max(days, 0))}
    per_review = minutes_per_review / 60
    for card in cards:
        day = max(card.due.astimezone(tz).date(), start)
        if day in hours:
            hours[day] += per_review
    return hours


@lru_cache(maxsize=64)
def _exam_days(exam_at: datetime, tz: tzinfo) -> tuple[date, datetime, datetime]:
    """(the exam's day in tz, 00:00 of its eve, 00:00 of the first final-week day), cached per exam."""
    exam_day = exam_at.astimezone(tz).date()
    eve = _start_of(exam_day - timedelta(days=1), tz)
    return exam_day, eve, _start_of(exam_day - timedelta(days=FINAL_WEEK_DAYS), tz)


def _start_of(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


_GOLDEN = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: consecutive ids land far apart (Knuth's multiplicative hashing)


def _spread(card_id: int, slots: int) -> int:
    """A slot in 0..slots-1 for card_id; consecutive ids fill the slots evenly."""
    return (((card_id * _GOLDEN) & 0xFFFFFFFFFFFFFFFF) * slots) >> 64


def _utc(moment: datetime) -> datetime:
    """The same instant in datetime.UTC; fsrs refuses any other tzinfo object, even an equivalent one."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: certprep works in aware UTC datetimes")
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)
