"""Response models of the JSON API: every route declares what it returns, errors included, so the OpenAPI document
describes every response (and schemathesis can hold the server to it)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ErrorDetail(BaseModel):
    code: str
    message: str
    data: dict[str, Any]


class ErrorOut(BaseModel):
    """Every error: `{"error": {"code", "message", "data"}}`."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad input, named in the message"},
    404: {"model": ErrorOut, "description": "Not found (another learner's attempt is not found either)"},
    409: {"model": ErrorOut, "description": "Not allowed now (a locked item, a submitted attempt, ...)"},
    413: {"model": ErrorOut, "description": "The request body is too large"},
    422: {"model": ErrorOut, "description": "The request does not match its schema"},
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


class ReportOut(BaseModel):
    """A stored score report snapshot; `scaled`, `passed` and `cut` only for mock exams."""

    model_config = ConfigDict(extra="allow")
    attempt_id: str
    mode: str
    method_version: str
    outline: str
    submitted_at: str
    expired: bool
    raw: int
    max_raw: int
    cut: float | None = None
    scaled: int | None = None
    passed: bool | None = None
    groups: list[dict[str, Any]]
    revisit: list[dict[str, Any]]
    items: list[dict[str, Any]]
    readiness: dict[str, Any] | None = None


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
