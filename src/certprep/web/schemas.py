"""Response models of the JSON API: every route declares what it returns, errors included, so the OpenAPI document
describes every response (and schemathesis can hold the server to it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    code: str
    message: str
    data: dict[str, Any]


class ErrorOut(BaseModel):
    """Every error: `{"error": {"code", "message", "data"}}`."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad input, named in the message"},
    401: {
        "model": ErrorOut,
        "description": "Not signed in (send a session cookie or `Authorization: Bearer`)",
    },
    403: {
        "model": ErrorOut,
        "description": "Refused: a session request without its CSRF token, or a right missing",
    },
    404: {"model": ErrorOut, "description": "Not found (another learner's attempt is not found either)"},
    409: {"model": ErrorOut, "description": "Not allowed now (a locked item, a submitted attempt, ...)"},
    413: {"model": ErrorOut, "description": "The request body is too large"},
    422: {"model": ErrorOut, "description": "The request does not match its schema"},
    429: {"model": ErrorOut, "description": "Too many failed sign-ins: wait and try again"},
    503: {"model": ErrorOut, "description": "The database cannot be reached"},
}


class SectionOut(BaseModel):
    index: int
    kind: str
    title: str
    case_study: str | None = None


class EntryOut(BaseModel):
    position: int
    section: int
    type: str
    answered: bool
    marked: bool
    locked: bool


class AttemptOut(BaseModel):
    """An attempt and the status of every position (the review screen)."""

    id: str
    mode: str
    exam: str
    outline: str
    status: str
    started_at: str
    deadline: str | None
    seconds_left: int | None
    current_section: int
    sections: list[SectionOut]
    expired: bool
    items: list[EntryOut]


class ItemOut(BaseModel):
    """One item as the learner may see it now; `feedback` (key, explanations) only once allowed."""

    attempt_id: str
    position: int
    section: int
    shown: dict[str, Any]
    answer: Any = None
    marked: bool
    locked: bool
    case_study: dict[str, Any] | None
    feedback: dict[str, Any] | None
    seconds_left: int | None


class AcknowledgementOut(BaseModel):
    attempt_id: str
    position: int
    recorded: bool
    changes: int
    feedback: dict[str, Any] | None


class MarkOut(BaseModel):
    position: int
    marked: bool


class HistoryLineOut(BaseModel):
    attempt_id: str
    mode: str
    started_at: str
    status: str
    items: int
    answered: int
    expired: bool
    scaled: int | None
    passed: bool | None
    points: int | None
    max_points: int | None
    in_trend: bool


class HistoryOut(BaseModel):
    attempts: list[HistoryLineOut]
    trend: list[tuple[str, int]]


class NextStepOut(BaseModel):
    position: int | None
    decision: str
    theta: float
    sd: float
    given: int


class ReadinessOut(BaseModel):
    """`current` (null before any answer): see docs/scoring.md; `trend`: every stored estimate."""

    current: dict[str, Any] | None
    trend: list[dict[str, Any]]


class ItemStatsOut(BaseModel):
    item_id: str
    responses: int
    facility: float
    discrimination: float | None
    distractors: dict[str, float]
    strong_distractors: dict[str, float]
    a: float
    b: float
    se_a: float | None
    se_b: float | None
    provenance: str
    flags: list[str]


class RoadmapOut(BaseModel):
    """`certprep roadmap --json`: the goal, eligibility, the ordered missing steps with reasons, costs and notes."""

    model_config = ConfigDict(extra="allow")
    goal: dict[str, Any]
    eligible: bool
    steps: list[dict[str, Any]]
    total_cost: Any = None
    unknown_costs: list[Any] = []
    total_study_hours: int = 0


# Profile (certifications held, sittings, bookings, retake and renewal dates) and flashcards ---------------------


class _FromValues(BaseModel):
    """Built from the services' frozen dataclasses by attribute (`model_validate(value)`)."""

    model_config = ConfigDict(from_attributes=True)


class RenewalOut(_FromValues):
    """`state`: never-expires, unknown, not-yet-open, open, expired or retired."""

    state: str
    expires_on: date | None
    window_opens: date | None
    reason: str
    source: str


class HeldOut(_FromValues):
    """A held certification with its renewal window; `retired_on` only for a retired certification."""

    certification: str
    name: str
    exam: str
    earned_on: date | None
    expires_on: date | None
    retired_on: date | None
    successor: str | None
    renewal: RenewalOut


class CredentialOut(_FromValues):
    """A certification recorded (or removed): its id, the day earned (null: not given) and the expiry."""

    certification: str
    earned_on: date | None
    expires_on: date | None


class SittingOut(_FromValues):
    """A real exam sitting; `taken_at` in UTC, `timezone` where it was sat."""

    exam_code: str
    taken_at: datetime
    timezone: str
    passed: bool
    score: int | None


class BookingOut(_FromValues):
    """A booked exam; `scheduled_at` in UTC, `timezone` the learner's."""

    exam_code: str
    scheduled_at: datetime
    timezone: str
    language: str


class RetakeOut(_FromValues):
    allowed: bool
    earliest: datetime | None
    rule: str
    reason: str
    source: str


class ExamStatusOut(_FromValues):
    """An exam sat or booked: the booking, days left, the outline version it follows, and the retake rule."""

    exam: str
    booking: BookingOut | None
    days_left: int | None
    outline: date | None
    retake: RetakeOut


class ProfileOut(_FromValues):
    learner_id: str
    held: list[HeldOut]
    sittings: list[SittingOut]
    exams: list[ExamStatusOut]
    extra_minutes: int = Field(description="accommodation: extra minutes on every mock exam")


class SourceOut(_FromValues):
    url: str
    checked: date


class CardOut(_FromValues):
    """A flashcard; `front` and `back` are Markdown from the pack."""

    id: str
    group: str
    group_title: str
    objective: str
    objective_code: str
    objective_text: str
    front: str
    back: str
    sources: list[SourceOut]


class CardObjectiveOut(_FromValues):
    id: str
    code: str
    text: str
    cards: int


class CardGroupOut(_FromValues):
    id: str
    code: str
    title: str
    cards: int
    objectives: list[CardObjectiveOut]


class CardsOut(_FromValues):
    """The cards chosen, in outline order, the filters applied, and every group and objective to choose from."""

    exam: str
    outline: date
    group: str | None
    objective: str | None
    groups: list[CardGroupOut]
    cards: list[CardOut]


class AlertOut(BaseModel):
    kind: str
    message: str
    source: str


class HomeStepOut(BaseModel):
    """What to do next: `action` is resume, mock-exam, practise-group, flashcards or book-exam; `target` the attempt
    to resume or the functional group to practise."""

    action: str
    label: str
    target: str


class HomeOut(BaseModel):
    """The learner's home: `readiness` as in /readiness (`current`), null before any answer."""

    readiness: dict[str, Any] | None
    booking: BookingOut | None
    days_left: int | None
    recent: list[HistoryLineOut]
    in_progress: list[HistoryLineOut]
    alerts: list[AlertOut]
    steps: list[HomeStepOut]
    today: dict[str, Any] | None = Field(
        default=None, description="as GET /api/v1/today, with the plan left out"
    )


class BlockOut(BaseModel):
    id: str
    day: date
    activity: str
    objective: str | None
    objective_code: str | None
    hours: float
    done: bool
    links: list[str]
    labs: list[str] = Field(
        default=[], description="for a lab block: ids of the hands-on labs of its objective"
    )


class PlanOut(BaseModel):
    """The active study plan; `feed_path` is the calendar feed's address (keep it private: it needs no login)."""

    plan_id: str
    kind: str
    goal: str
    preset: str | None
    start: date
    exam_day: date
    hours_needed: float
    hours_available: float
    realistic: bool
    advice: str
    feed_path: str
    blocks: list[BlockOut]


class TodayOut(BaseModel):
    day: date
    blocks: list[BlockOut]
    reviews_due: int
    streak: int
    days_left: int | None


class ReviewPromptOut(BaseModel):
    """A card due for review: `front_html`/`back_html` are sanitised HTML."""

    card_id: int
    kind: str
    front_html: str
    back_html: str
    due: datetime
    due_count: int


class ReviewResultOut(BaseModel):
    card_id: int
    grade: int
    next_due: datetime
    clamped: str
    due_count: int
