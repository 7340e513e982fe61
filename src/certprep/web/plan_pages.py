"""The study plan page (agenda, month grid, make / re-plan / retake forms, blocks marked done), the review page
(card, reveal, four grade buttons with the keys 1-4) and the calendar feed. Plain forms that POST and redirect."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from certprep.domain.plan_values import PRESETS
from certprep.errors import CertprepError, InvalidInput
from certprep.services import planning, reviews
from certprep.services.content import get_bank
from certprep.web import render
from certprep.web.access import OWN, SECRET_LINK, RuledRoute
from certprep.web.attempts_api import learner

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[OWN])
# The calendar feed: apps that subscribe send no session or token, only the secret in the address.
feed = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[SECRET_LINK])
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
Token = Annotated[str, Path(min_length=1, max_length=80)]


def months(view: planning.PlanView | None) -> list[dict[str, Any]]:
    """The plan as month grids: weeks of (day, hours planned, done?) from the plan's first to its exam month."""
    if view is None:
        return []
    hours: dict[date, float] = {}
    for b in view.plan.blocks:
        hours[b.day] = hours.get(b.day, 0.0) + b.hours
    out = []
    year, month = view.plan.start.year, view.plan.start.month
    while (year, month) <= (view.plan.exam_day.year, view.plan.exam_day.month):
        weeks = calendar.Calendar().monthdatescalendar(year, month)
        out.append(
            {"title": date(year, month, 1).strftime("%B %Y"), "month": month, "weeks": weeks, "hours": hours}
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _plan_page(
    request: Request,
    status: int = 200,
    form: Mapping[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> HTMLResponse:
    state = request.app.state
    view = planning.current_plan(
        state.db, catalog=state.catalog, learner_id=learner(request), bank=get_bank(state.bank_root)
    )
    days: dict[date, list[Any]] = {}
    if view is not None:
        for b in view.plan.blocks:
            days.setdefault(b.day, []).append(b)
    return render.page(
        request,
        "plan.html",
        status,
        view=view,
        days=days,
        months=months(view),
        presets=PRESETS,
        weekdays=WEEKDAYS,
        today=state.now().date(),
        outline=state.catalog.outline("AZ-400"),
        form=form or {},
        error=error,
    )


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request) -> HTMLResponse:
    return _plan_page(request)


def _hours(form: Mapping[str, str]) -> list[float]:
    out = []
    for n, day in enumerate(WEEKDAYS):
        raw = form.get(f"hours-{n}", "").strip() or "0"
        try:
            out.append(float(raw))
        except ValueError:
            raise InvalidInput(f"{day}: {raw!r} is not a number of hours", field="weekday_hours") from None
    return out


def _day(raw: str, field: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{raw!r} is not a date (YYYY-MM-DD)", field=field) from None


@router.post("/plan", response_class=HTMLResponse)
async def make_plan(request: Request) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    state = request.app.state
    try:
        days_off = [
            d for d in (_day(x, "days_off") for x in form.get("days_off", "").replace(",", " ").split()) if d
        ]
        preset = form.get("preset") or None
        planning.make_plan(
            state.db,
            catalog=state.catalog,
            learner_id=learner(request),
            now=state.now(),
            preset=preset,
            exam_day=_day(form.get("exam_day", ""), "exam_day"),
            weekday_hours=_hours(form),
            days_off=days_off,
            bank=get_bank(state.bank_root),
            pack_dir=state.bank_root,
        )
    except CertprepError as e:
        return _plan_page(
            request,
            400 if e.status < 500 else e.status,
            form,
            {"field": e.data.get("field"), "message": e.message, "form": "make"},
        )
    return render.go("/plan")


@router.post("/plan/replan", response_class=HTMLResponse)
def replan(request: Request) -> Response:
    state = request.app.state
    try:
        planning.replan_plan(
            state.db,
            catalog=state.catalog,
            learner_id=learner(request),
            now=state.now(),
            bank=get_bank(state.bank_root),
            pack_dir=state.bank_root,
        )
    except CertprepError as e:
        return _plan_page(request, e.status, None, {"field": "plan", "message": e.message, "form": "replan"})
    return render.go("/plan")


@router.post("/plan/retake", response_class=HTMLResponse)
async def retake(request: Request) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    state = request.app.state
    try:
        scores = {}
        for g in state.catalog.outline("AZ-400").groups:
            raw = form.get(f"bar-{g.id}", "").strip()
            try:
                scores[g.id] = float(raw)
            except ValueError:
                raise InvalidInput(f"{g.title}: {raw!r} is not a percentage", field="group_scores") from None
        planning.retake_plan(
            state.db,
            catalog=state.catalog,
            learner_id=learner(request),
            now=state.now(),
            group_scores=scores,
            weekday_hours=_hours(form),
            bank=get_bank(state.bank_root),
            pack_dir=state.bank_root,
        )
    except CertprepError as e:
        return _plan_page(
            request,
            400 if e.status < 500 else e.status,
            form,
            {"field": e.data.get("field"), "message": e.message, "form": "retake"},
        )
    return render.go("/plan")


@router.post("/plan/blocks/{block_id}", response_class=HTMLResponse)
async def mark_block(
    request: Request, block_id: Annotated[str, Path(min_length=1, max_length=40)]
) -> Response:
    form = await request.form()
    state = request.app.state
    try:
        planning.mark_block(
            state.db,
            catalog=state.catalog,
            learner_id=learner(request),
            block_id=block_id,
            done=form.get("done") == "1",
            now=state.now(),
            bank=get_bank(state.bank_root),
        )
    except CertprepError as e:
        if e.status == 404:
            raise
        return _plan_page(request, e.status, None, {"field": "block", "message": e.message, "form": "block"})
    back = str(form.get("back", "/plan"))
    return render.go(back if back in ("/plan", "/") else "/plan")


@router.get("/plan.ics")
def plan_ics(request: Request) -> Response:
    state = request.app.state
    body = planning.plan_calendar(
        state.db,
        catalog=state.catalog,
        learner_id=learner(request),
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="certprep-plan.ics"'},
    )


@feed.get("/calendar/{token}.ics")
def calendar_feed(request: Request, token: Token) -> Response:
    """The feed calendar apps subscribe to: the unguessable token in the address is the only key."""
    state = request.app.state
    body = planning.calendar_feed(
        state.db, catalog=state.catalog, token=token, now=state.now(), bank=get_bank(state.bank_root)
    )
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request) -> HTMLResponse:
    state = request.app.state
    prompt = reviews.next_review(
        state.db, learner_id=learner(request), now=state.now(), bank=get_bank(state.bank_root)
    )
    return render.page(request, "review_queue.html", prompt=prompt, last=request.query_params.get("graded"))


@router.post("/review/{card_id}", response_class=HTMLResponse)
async def grade(request: Request, card_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    form = await request.form()
    state = request.app.state
    raw = str(form.get("grade", ""))
    try:
        reviews.grade_review(
            state.db,
            learner_id=learner(request),
            card_id=card_id,
            grade=int(raw) if raw.isdigit() else raw,
            now=state.now(),
            bank=get_bank(state.bank_root),
        )
    except CertprepError as e:
        if e.status == 404:
            raise
        prompt = reviews.next_review(
            state.db, learner_id=learner(request), now=state.now(), bank=get_bank(state.bank_root)
        )
        return render.page(request, "review_queue.html", 400, prompt=prompt, last=None, error=e.message)
    return render.go(f"/review?graded={raw}")
