"""JSON API of the study plan, today's agenda, the review queue and the calendar; the same services as the plan
and review pages and `certprep plan | today | review`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from certprep.domain.plan_values import Block
from certprep.errors import NotFound
from certprep.services import planning, reviews
from certprep.services.content import get_bank
from certprep.web.access import OWN, RuledRoute
from certprep.web.attempts_api import Learner
from certprep.web.schemas import ERRORS, BlockOut, PlanOut, ReviewPromptOut, ReviewResultOut, TodayOut

router = APIRouter(route_class=RuledRoute, tags=["plan"], responses=ERRORS, dependencies=[OWN])
Hours = Annotated[float, Field(ge=0, le=16)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewPlan(_Body):
    preset: Literal["intensive", "balanced", "comprehensive"] | None = None
    exam_day: date | None = Field(
        default=None, description="default: the booked exam's day, else the preset's length"
    )
    weekday_hours: list[Hours] | None = Field(
        default=None, min_length=7, max_length=7, description="Monday first"
    )
    days_off: list[date] = Field(default=[], max_length=366)


class RetakePlan(_Body):
    group_scores: dict[Annotated[str, Field(max_length=100)], Annotated[float, Field(ge=0, le=100)]] = Field(
        description="the score report's bar per functional group, in percent", max_length=20
    )
    weekday_hours: list[Hours] | None = Field(default=None, min_length=7, max_length=7)


class BlockDone(_Body):
    done: bool = True


class Grade(_Body):
    grade: Literal[1, 2, 3, 4] = Field(description="1 again, 2 hard, 3 good, 4 easy")


class Retention(_Body):
    retention: float = Field(ge=0.7, le=0.97, description="desired retention of reviews")


def blocks_out(view: planning.PlanView, blocks: tuple[Block, ...] | None = None) -> list[BlockOut]:
    return [
        BlockOut(
            id=b.id,
            day=b.day,
            activity=b.activity,
            objective=b.objective,
            objective_code=view.objectives.get(b.objective or "", (None, ""))[0],
            hours=b.hours,
            done=b.id in view.done,
            links=list(view.links.get(b.objective or "", ())),
            labs=[i for i, _ in view.labs.get(b.objective or "", ())] if b.activity == "lab" else [],
        )
        for b in (view.plan.blocks if blocks is None else blocks)
    ]


def plan_out(view: planning.PlanView) -> PlanOut:
    p = view.plan
    return PlanOut(
        plan_id=view.plan_id,
        kind=view.kind,
        goal=view.goal,
        preset=view.preset,
        start=p.start,
        exam_day=p.exam_day,
        hours_needed=p.hours_needed,
        hours_available=p.hours_available,
        realistic=p.realistic,
        advice=p.advice,
        feed_path=f"/calendar/{view.feed_token}.ics",
        blocks=blocks_out(view),
    )


@router.get("/plan", response_model=PlanOut)
def get_plan(request: Request, who: Learner) -> PlanOut:
    """The active plan (404 before the first one)."""
    state = request.app.state
    view = planning.current_plan(
        state.db, catalog=state.catalog, learner_id=who, bank=get_bank(state.bank_root)
    )
    if view is None:
        raise NotFound("no study plan yet: POST /api/v1/plan makes one", field="plan")
    return plan_out(view)


@router.post("/plan", status_code=201, response_model=PlanOut)
def make_plan(request: Request, body: NewPlan, who: Learner) -> PlanOut:
    """A new plan to the exam date; it replaces the active one."""
    state = request.app.state
    view = planning.make_plan(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        now=state.now(),
        preset=body.preset,
        exam_day=body.exam_day,
        weekday_hours=body.weekday_hours,
        days_off=body.days_off,
        bank=get_bank(state.bank_root),
        pack_dir=state.bank_root,
    )
    return plan_out(view)


@router.post("/plan/replan", response_model=PlanOut)
def replan(request: Request, who: Learner) -> PlanOut:
    """Keep what was done, spread what is left over the days that remain."""
    state = request.app.state
    view = planning.replan_plan(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        now=state.now(),
        bank=get_bank(state.bank_root),
        pack_dir=state.bank_root,
    )
    return plan_out(view)


@router.post("/plan/retake", status_code=201, response_model=PlanOut)
def retake(request: Request, body: RetakePlan, who: Learner) -> PlanOut:
    """After a failed exam: a plan to the earliest retake date, weighted by the weak groups of the score report."""
    state = request.app.state
    view = planning.retake_plan(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        now=state.now(),
        group_scores=body.group_scores,
        weekday_hours=body.weekday_hours,
        bank=get_bank(state.bank_root),
        pack_dir=state.bank_root,
    )
    return plan_out(view)


@router.put("/plan/blocks/{block_id}", response_model=PlanOut)
def mark_block(
    request: Request,
    block_id: Annotated[str, Path(min_length=1, max_length=40)],
    body: BlockDone,
    who: Learner,
) -> PlanOut:
    state = request.app.state
    view = planning.mark_block(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        block_id=block_id,
        done=body.done,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    return plan_out(view)


@router.get("/today", response_model=TodayOut)
def today(request: Request, who: Learner) -> TodayOut:
    """Today's blocks, the reviews due, the streak and the days left to the exam."""
    state = request.app.state
    t = planning.today_view(
        state.db, catalog=state.catalog, learner_id=who, now=state.now(), bank=get_bank(state.bank_root)
    )
    return TodayOut(
        day=t.day,
        blocks=blocks_out(t.plan, t.blocks) if t.plan else [],
        reviews_due=t.reviews_due,
        streak=t.streak,
        days_left=t.days_left,
    )


@router.get("/plan.ics", response_class=Response, responses={200: {"content": {"text/calendar": {}}}})
def plan_ics(request: Request, who: Learner) -> Response:
    """The calendar: study blocks, the exam, the earliest retake if it fails, renewal windows and expiries."""
    state = request.app.state
    body = planning.plan_calendar(
        state.db, catalog=state.catalog, learner_id=who, now=state.now(), bank=get_bank(state.bank_root)
    )
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/reviews/next", response_model=ReviewPromptOut | None)
def next_review(request: Request, who: Learner) -> ReviewPromptOut | None:
    """The card due first, or null when nothing is due."""
    state = request.app.state
    p = reviews.next_review(state.db, learner_id=who, now=state.now(), bank=get_bank(state.bank_root))
    if p is None:
        return None
    return ReviewPromptOut(
        card_id=p.card_id,
        kind=p.kind,
        front_html=p.front_html,
        back_html=p.back_html,
        due=p.due,
        due_count=p.due_count,
    )


@router.post("/reviews/{card_id}/grade", response_model=ReviewResultOut)
def grade(
    request: Request, card_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: Grade, who: Learner
) -> ReviewResultOut:
    state = request.app.state
    r = reviews.grade_review(
        state.db,
        learner_id=who,
        card_id=card_id,
        grade=body.grade,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    return ReviewResultOut(
        card_id=r.card_id, grade=r.grade, next_due=r.next_due, clamped=r.clamped, due_count=r.due_count
    )


@router.put("/reviews/retention", response_model=Retention)
def retention(request: Request, body: Retention, who: Learner) -> Retention:
    state = request.app.state
    value = reviews.set_retention(state.db, learner_id=who, retention=body.retention, now=state.now())
    return Retention(retention=value)
