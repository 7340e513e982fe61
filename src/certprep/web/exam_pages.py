"""Taking mock exams, practice sets and adaptive sessions in the browser: start, item pages, review, sections,
submit and discard.

Plain HTML forms that POST and redirect (303), so every step works without JavaScript and a reload shows the same
state; htmx (boosted forms) and `exam.js` add the timer, "not saved" when a request fails, and mouse dragging.
Web addresses number items from 1, as the page does; the JSON API keeps its 0-based `position`.
Each route parses the form, calls one service function for `learner(request)` and renders or redirects.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from certprep.domain.attempt import gives_feedback
from certprep.domain.items import ITEM_TYPES
from certprep.errors import CertprepError, InvalidInput
from certprep.services import attempts as svc
from certprep.services import forms
from certprep.services.adaptive import next_adaptive_item, start_adaptive
from certprep.services.content import get_bank
from certprep.web import render
from certprep.web.access import OWN, RuledRoute
from certprep.web.attempts_api import learner
from certprep.web.exam_forms import response_from_form

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[OWN])
AttemptId = Annotated[str, Path(min_length=1, max_length=64)]
Number = Annotated[int, Path(ge=1, le=1001, description="item number as shown, from 1")]
T = TypeVar("T")


async def _call(request: Request, fn: Callable[..., T], **kw: Any) -> T:
    """A service call for the asking learner, off the event loop."""
    state = request.app.state
    return await run_in_threadpool(
        fn, state.db, catalog=state.catalog, learner_id=learner(request), now=state.now(), **kw
    )


async def _form(request: Request) -> dict[str, list[str]]:
    data = await request.form()
    return {k: [v for v in data.getlist(k) if isinstance(v, str)] for k in data}


def _int(form: Mapping[str, Sequence[str]], name: str, default: int, low: int, high: int) -> int:
    raw = (form.get(name) or [""])[0].strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(
            f"{name.replace('_', ' ')} must be a whole number from {low} to {high}", field=name
        )
    return int(raw)


# --- start ---------------------------------------------------------------------------------------------------


def _start_context(request: Request) -> dict[str, Any]:
    state = request.app.state
    lines = svc.list_attempts(
        state.db,
        catalog=state.catalog,
        learner_id=learner(request),
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    return {
        "outline": state.catalog.outline("AZ-400"),
        "types": ITEM_TYPES,
        "open": [h for h in lines if h.status == "in-progress"],
    }


@router.get("/start", response_class=HTMLResponse)
def start_page(request: Request) -> HTMLResponse:
    return render.page(request, "start.html", form={}, error=None, **_start_context(request))


def _practice_filter(form: Mapping[str, Sequence[str]]) -> forms.PracticeFilter:
    return forms.PracticeFilter(
        groups=tuple(g for g in form.get("groups", []) if g),
        objectives=tuple(o for o in form.get("objectives", []) if o),
        types=tuple(t for t in form.get("types", []) if t),
        count=_int(form, "count", 10, 1, 50),
        only_missed="only_missed" in form,
        not_seen_in_last=_int(form, "not_seen_in_last", 0, 0, 365),
        exclude_case_studies="exclude_case_studies" in form,
    )


@router.post("/start", response_class=HTMLResponse)
async def start(request: Request) -> Response:
    form = await _form(request)
    mode = (form.get("mode") or ["exam"])[0]
    bank = get_bank(request.app.state.bank_root)
    try:
        if mode == "exam":
            language = (form.get("language") or [""])[0] or None
            view = await _call(request, forms.start_exam, language=language, bank=bank)
        elif mode == "practice":
            view = await _call(request, forms.start_practice, choice=_practice_filter(form), bank=bank)
        elif mode == "adaptive":
            max_items = _int(form, "max_items", 30, 5, 100)
            view = await _call(request, start_adaptive, max_items=max_items, bank=bank)
        else:
            raise InvalidInput(f"unknown mode {mode!r}: exam, practice or adaptive", field="mode")
    except CertprepError as e:
        error = {"mode": mode, "field": e.data.get("field"), "message": e.message}
        return render.page(request, "start.html", e.status, form=form, error=error, **_start_context(request))
    return render.go(f"/attempts/{view.attempt.id}/take")


# --- taking an attempt ---------------------------------------------------------------------------------------


@router.get("/attempts/{attempt_id}/take")
async def take(request: Request, attempt_id: AttemptId) -> Response:
    """Where to continue: the first unanswered item of the current section, else the review screen."""
    view = await _call(
        request, svc.view_attempt, attempt_id=attempt_id, bank=get_bank(request.app.state.bank_root)
    )
    if view.attempt.status != "in-progress":
        return render.go(f"/attempts/{attempt_id}/report")
    current = view.current
    pending = [e for e in current if not e.answered]
    if pending:
        return render.go(f"/attempts/{attempt_id}/item/{pending[0].position + 1}")
    if view.attempt.mode == "adaptive":
        return render.page(request, "adaptive_next.html", view=view)
    return render.go(f"/attempts/{attempt_id}/review")


def _neighbours(page: svc.ItemPage, position: int) -> tuple[int | None, int | None]:
    positions = [e.position for e in page.attempt.current]
    i = positions.index(position) if position in positions else -1
    before = positions[i - 1] if i > 0 else None
    after = positions[i + 1] if 0 <= i < len(positions) - 1 else None
    return before, after


async def _item_page(
    request: Request, attempt_id: str, number: int, *, status: int = 200, error: dict[str, Any] | None = None
) -> Response:
    page = await _call(
        request,
        svc.view_item_page,
        attempt_id=attempt_id,
        position=number - 1,
        bank=get_bank(request.app.state.bank_root),
    )
    if page.item is None:
        return render.go(f"/attempts/{attempt_id}/report")
    before, after = _neighbours(page, number - 1)
    sections = page.attempt.attempt.sections
    return render.page(
        request,
        "item.html",
        status,
        page=page,
        a=page.attempt.attempt,
        item=page.item,
        number=number,
        total=len(page.attempt.entries),
        before=before,
        after=after,
        last_section=page.attempt.attempt.current_section >= len(sections) - 1,
        request_id=secrets.token_hex(8),
        error=error,
    )


@router.get("/attempts/{attempt_id}/item/{number}", response_class=HTMLResponse)
async def item_page(request: Request, attempt_id: AttemptId, number: Number) -> Response:
    return await _item_page(request, attempt_id, number)


@router.post("/attempts/{attempt_id}/item/{number}", response_class=HTMLResponse)
async def answer(request: Request, attempt_id: AttemptId, number: Number) -> Response:
    """Save the answer (if one was given) and the review mark, then go where the learner asked."""
    form = await _form(request)
    position = number - 1
    bank = get_bank(request.app.state.bank_root)
    try:
        page = await _call(request, svc.view_item_page, attempt_id=attempt_id, position=position, bank=bank)
        if page.item is None:
            return render.go(f"/attempts/{attempt_id}/report")
        response = response_from_form(page.item.shown, form)
        recorded = response is not None and response != page.item.answer and not page.item.locked
        if recorded:
            request_id = (form.get("request_id") or [""])[0][:100] or None
            await _call(
                request,
                svc.answer_item,
                attempt_id=attempt_id,
                position=position,
                response=response,
                request_id=request_id,
                bank=bank,
            )
        marked = "marked" in form
        if marked != page.item.marked:
            await _call(
                request, svc.mark_item, attempt_id=attempt_id, position=position, marked=marked, bank=bank
            )
    except CertprepError as e:
        if e.status == 404:
            raise
        error = {"field": e.data.get("field"), "message": e.message}
        return await _item_page(request, attempt_id, number, status=e.status, error=error)
    go = (form.get("go") or ["next"])[0]
    mode = page.attempt.attempt.mode
    if recorded and gives_feedback(mode) and go in ("next", "stay"):
        return render.go(f"/attempts/{attempt_id}/item/{number}")  # the feedback first, on the same page
    if go == "finish":
        return await submit(request, attempt_id)
    if mode == "adaptive" and go == "next" and (recorded or page.item.answer is not None):
        return await adaptive_next(request, attempt_id)
    return render.go(_destination(page, attempt_id, number, go))


def _destination(page: svc.ItemPage, attempt_id: str, number: int, go: str) -> str:
    before, after = _neighbours(page, number - 1)
    if go == "stay":
        return f"/attempts/{attempt_id}/item/{number}"
    if go == "previous" and before is not None:
        return f"/attempts/{attempt_id}/item/{before + 1}"
    if go == "next" and after is not None:
        return f"/attempts/{attempt_id}/item/{after + 1}"
    if go.isdigit() and any(e.position == int(go) - 1 for e in page.attempt.current):
        return f"/attempts/{attempt_id}/item/{int(go)}"
    return (
        f"/attempts/{attempt_id}/take"
        if page.attempt.attempt.mode == "adaptive"
        else f"/attempts/{attempt_id}/review"
    )


@router.get("/attempts/{attempt_id}/review", response_class=HTMLResponse)
async def review(request: Request, attempt_id: AttemptId) -> Response:
    view = await _call(
        request, svc.view_attempt, attempt_id=attempt_id, bank=get_bank(request.app.state.bank_root)
    )
    if view.attempt.status != "in-progress":
        return render.go(f"/attempts/{attempt_id}/report")
    return _review_page(request, view)


def _review_page(
    request: Request, view: svc.AttemptView, status: int = 200, error: str | None = None
) -> Response:
    a = view.attempt
    return render.page(
        request,
        "review.html",
        status,
        view=view,
        a=a,
        unanswered=[e for e in view.current if not e.answered],
        marked=[e for e in view.current if e.marked],
        last_section=a.current_section >= len(a.sections) - 1,
        error=error,
    )


@router.post("/attempts/{attempt_id}/next-section", response_class=HTMLResponse)
async def next_section(request: Request, attempt_id: AttemptId) -> Response:
    form = await _form(request)
    bank = get_bank(request.app.state.bank_root)
    try:
        view = await _call(
            request, svc.leave_section, attempt_id=attempt_id, confirm="confirm" in form, bank=bank
        )
    except CertprepError as e:
        if e.status == 404:
            raise
        view = await _call(request, svc.view_attempt, attempt_id=attempt_id, bank=bank)
        return _review_page(request, view, e.status, e.message)
    return render.go(f"/attempts/{view.attempt.id}/take")


@router.post("/attempts/{attempt_id}/submit")
async def submit(request: Request, attempt_id: AttemptId) -> Response:
    await _call(
        request, svc.submit_attempt, attempt_id=attempt_id, bank=get_bank(request.app.state.bank_root)
    )
    return render.go(f"/attempts/{attempt_id}/report")


@router.post("/attempts/{attempt_id}/discard")
async def discard(request: Request, attempt_id: AttemptId) -> Response:
    state = request.app.state
    await run_in_threadpool(
        svc.discard_attempt, state.db, learner_id=learner(request), attempt_id=attempt_id, now=state.now()
    )
    return render.go("/start?discarded=1")


@router.post("/attempts/{attempt_id}/next")
async def adaptive_next(request: Request, attempt_id: AttemptId) -> Response:
    """Adaptive sessions: choose the next item, or end the session when a stopping rule says so."""
    step = await _call(
        request, next_adaptive_item, attempt_id=attempt_id, bank=get_bank(request.app.state.bank_root)
    )
    if step.position is None:
        return render.go(f"/attempts/{attempt_id}/report")
    return render.go(f"/attempts/{attempt_id}/item/{step.position + 1}")
