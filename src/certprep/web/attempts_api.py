"""JSON API for practice sets and mock exams: start, review screen, items, answers, marks, sections, reports.

Every route acts for the learner asking (`learner`); another learner's attempt is "not found". Until accounts
arrive the server binds to 127.0.0.1 and the asker is the one local learner.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from certprep.domain.plain import to_plain
from certprep.errors import InvalidInput, NotSignedIn
from certprep.services import attempts as svc
from certprep.services import forms
from certprep.services.adaptive import next_adaptive_item, start_adaptive
from certprep.services.calibration import item_statistics
from certprep.services.content import get_bank
from certprep.services.readiness import get_readiness
from certprep.services.reports import ScoreReport
from certprep.web.access import ITEMS, OWN, RuledRoute
from certprep.web.auth import who
from certprep.web.schemas import (
    ERRORS,
    AcknowledgementOut,
    AttemptOut,
    HistoryLineOut,
    HistoryOut,
    ItemOut,
    ItemStatsOut,
    MarkOut,
    NextStepOut,
    ReadinessOut,
)

router = APIRouter(route_class=RuledRoute, tags=["attempts"], responses=ERRORS, dependencies=[OWN])


def learner(request: Request) -> str:
    """Who is asking: the signed-in account (session or access token); 401 without either."""
    w = who(request)
    if w is None:
        raise NotSignedIn("sign in first")
    return w.account.id


Learner = Annotated[str, Depends(learner)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


SEED_MAX = 2**31 - 1
POSITION = Annotated[int, Path(ge=0, le=1000, description="position in the form, from 0")]
AttemptId = Annotated[str, Path(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class StartAttempt(_Body):
    mode: Literal["exam", "practice", "adaptive"] = "exam"
    exam: str = Field(default="AZ-400", min_length=1, max_length=20)
    seed: int | None = Field(default=None, strict=True, ge=0, le=SEED_MAX, description="reproducible form")
    items: int | None = Field(
        default=None, ge=1, le=100, description="exam: scored items (40-60); practice: count"
    )
    minutes: int | None = Field(
        default=None,
        gt=0,
        le=600,
        description="practice only: a time limit; a mock exam's time is the exam's, plus the accommodation "
        "in the learner's profile",
    )
    language: str | None = Field(
        default=None, max_length=20, description="default: the booked exam's language, else en"
    )
    groups: list[Name] = Field(default=[], max_length=20)
    objectives: list[Name] = Field(default=[], max_length=200)
    types: list[Literal["single", "multiple", "build-list", "drag-drop", "hot-area", "yes-no"]] = []
    only_missed: bool = False
    not_seen_in_last: int = Field(default=0, ge=0, le=1000, description="practice sets")
    exclude_case_studies: bool = False
    max_se: float = Field(default=0.3, ge=0.1, le=1.0, description="adaptive: stop at this standard error")


class Answer(_Body):
    response: Any = Field(
        description="labels as shown: 'B'; ['A','D']; ['C','A','B']; {'1':'B'}; {'b1':'A'}; 'yes'"
    )
    request_id: str | None = Field(default=None, max_length=100, description="retry-safe: applied once")


class Mark(_Body):
    marked: bool = True


class Leave(_Body):
    confirm: bool = False


def _attempt_json(view: svc.AttemptView) -> dict[str, Any]:
    a = view.attempt
    return {
        "id": a.id,
        "mode": a.mode,
        "exam": a.exam,
        "outline": a.outline.isoformat(),
        "status": a.status,
        "started_at": a.started_at.isoformat(),
        "deadline": a.deadline.isoformat() if a.deadline else None,
        "seconds_left": view.seconds_left,
        "current_section": a.current_section,
        "sections": to_plain(a.sections),
        "expired": a.expired,
        "items": [to_plain(e) for e in view.entries],
    }


@router.post("/attempts", status_code=201, response_model=AttemptOut)
def start(request: Request, body: StartAttempt, who: Learner) -> dict[str, Any]:
    """Start a mock exam (a stored form drawn to the blueprint) or a practice set."""
    state = request.app.state
    bank = get_bank(state.bank_root)
    if body.mode != "practice" and body.minutes is not None:
        raise InvalidInput(
            "minutes sets a practice set's time limit only: a mock exam's time comes from the exam's data, "
            "and extra time from the accommodation in your profile",
            field="minutes",
        )
    if body.mode == "exam":
        view = forms.start_exam(
            state.db,
            catalog=state.catalog,
            learner_id=who,
            now=state.now(),
            exam=body.exam,
            seed=body.seed,
            items=body.items,
            language=body.language,
            bank=bank,
        )
    elif body.mode == "adaptive":
        view = start_adaptive(
            state.db,
            catalog=state.catalog,
            learner_id=who,
            now=state.now(),
            max_items=body.items or 30,
            max_se=body.max_se,
            seed=body.seed,
            bank=bank,
        )
    else:
        choice = forms.PracticeFilter(
            tuple(body.groups),
            tuple(body.objectives),
            tuple(body.types),
            body.items or 10,
            body.only_missed,
            body.not_seen_in_last,
            body.exclude_case_studies,
            body.minutes,
        )
        view = forms.start_practice(
            state.db,
            catalog=state.catalog,
            learner_id=who,
            now=state.now(),
            choice=choice,
            exam=body.exam,
            seed=body.seed,
            bank=bank,
        )
    return _attempt_json(view)


@router.get("/attempts", response_model=HistoryOut)
def history(request: Request, who: Learner) -> dict[str, Any]:
    """Every attempt with its result, and the trend of mock-exam scores."""
    state = request.app.state
    lines = svc.list_attempts(
        state.db, catalog=state.catalog, learner_id=who, now=state.now(), bank=get_bank(state.bank_root)
    )
    return {"attempts": to_plain(lines), "trend": svc.exam_trend(lines)}


@router.get("/attempts/{attempt_id}", response_model=AttemptOut)
def review_screen(request: Request, attempt_id: AttemptId, who: Learner) -> dict[str, Any]:
    """The attempt with every position answered, unanswered, marked or locked, and the time left."""
    state = request.app.state
    return _attempt_json(
        svc.view_attempt(
            state.db,
            learner_id=who,
            attempt_id=attempt_id,
            now=state.now(),
            catalog=state.catalog,
            bank=get_bank(state.bank_root),
        )
    )


@router.get("/attempts/{attempt_id}/items/{position}", response_model=ItemOut)
def item(request: Request, attempt_id: AttemptId, position: POSITION, who: Learner) -> dict[str, Any]:
    """One item of the current section; the key and explanations only once allowed."""
    state = request.app.state
    view = svc.view_item(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        attempt_id=attempt_id,
        position=position,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    result: dict[str, Any] = to_plain(view)
    return result


@router.put("/attempts/{attempt_id}/items/{position}/response", response_model=AcknowledgementOut)
def answer(
    request: Request, attempt_id: AttemptId, position: POSITION, body: Answer, who: Learner
) -> dict[str, Any]:
    """Record an answer; acknowledged only after it is committed."""
    state = request.app.state
    ack = svc.answer_item(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        attempt_id=attempt_id,
        position=position,
        response=body.response,
        request_id=body.request_id,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    result: dict[str, Any] = to_plain(ack)
    return result


@router.put("/attempts/{attempt_id}/items/{position}/mark", response_model=MarkOut)
def mark(
    request: Request, attempt_id: AttemptId, position: POSITION, body: Mark, who: Learner
) -> dict[str, Any]:
    state = request.app.state
    svc.mark_item(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        attempt_id=attempt_id,
        position=position,
        marked=body.marked,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    return {"position": position, "marked": body.marked}


@router.post("/attempts/{attempt_id}/next-section", response_model=AttemptOut)
def leave(request: Request, attempt_id: AttemptId, body: Leave, who: Learner) -> dict[str, Any]:
    """Leave the current section for the next; it locks for good, so `confirm` must be true."""
    state = request.app.state
    return _attempt_json(
        svc.leave_section(
            state.db,
            catalog=state.catalog,
            learner_id=who,
            attempt_id=attempt_id,
            confirm=body.confirm,
            now=state.now(),
            bank=get_bank(state.bank_root),
        )
    )


@router.post("/attempts/{attempt_id}/submit", response_model=ScoreReport)
def submit(request: Request, attempt_id: AttemptId, who: Learner) -> ScoreReport:
    """End the attempt; returns the report snapshot."""
    state = request.app.state
    return svc.submit_attempt(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        attempt_id=attempt_id,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )


@router.delete("/attempts/{attempt_id}", response_model=HistoryLineOut)
def discard(request: Request, attempt_id: AttemptId, who: Learner) -> dict[str, Any]:
    """Discard an attempt still in progress: it leaves the history and its answers stop counting as evidence."""
    state = request.app.state
    line = svc.discard_attempt(state.db, learner_id=who, attempt_id=attempt_id, now=state.now())
    result: dict[str, Any] = to_plain(line)
    return result


@router.get("/attempts/{attempt_id}/report", response_model=ScoreReport)
def report(request: Request, attempt_id: AttemptId, who: Learner) -> ScoreReport:
    state = request.app.state
    return svc.get_report(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        attempt_id=attempt_id,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )


@router.post("/attempts/{attempt_id}/next", response_model=NextStepOut)
def adaptive_next(request: Request, attempt_id: AttemptId, who: Learner) -> dict[str, Any]:
    """Adaptive sessions: the position of the next item (null when a stopping rule ends the session)."""
    state = request.app.state
    step = next_adaptive_item(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        attempt_id=attempt_id,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    result: dict[str, Any] = to_plain(step)
    return result


@router.get("/readiness", tags=["readiness"], response_model=ReadinessOut)
def readiness(request: Request, who: Learner) -> dict[str, Any]:
    """The learner's dashboard data: predicted score, 80% interval, pass probability, per group, and the trend."""
    state = request.app.state
    return get_readiness(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        today=state.now().date(),
        bank=get_bank(state.bank_root),
    )


@router.get("/items/stats", tags=["items"], response_model=list[ItemStatsOut], dependencies=[ITEMS])
def items_stats(request: Request, who: Learner, flagged: bool = False) -> list[dict[str, Any]]:
    """Item analysis for authors and trainers."""
    state = request.app.state
    stats = item_statistics(state.db, bank=get_bank(state.bank_root))
    result: list[dict[str, Any]] = to_plain([s for s in stats if s.flags or not flagged])
    return result
