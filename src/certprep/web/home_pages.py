"""The learner's home page (`/`) and its JSON twin (`GET /api/v1/home`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from certprep.domain.plain import to_plain
from certprep.services.content import get_bank
from certprep.services.home import Home, learner_home
from certprep.web.access import OWN, RuledRoute
from certprep.web.attempts_api import learner
from certprep.web.schemas import ERRORS, HomeOut

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[OWN])
api = APIRouter(route_class=RuledRoute, tags=["home"], responses=ERRORS, dependencies=[OWN])


def _home(request: Request) -> Home:
    state = request.app.state
    return learner_home(
        state.db,
        catalog=state.catalog,
        learner_id=learner(request),
        now=state.now(),
        bank=get_bank(state.bank_root),
    )


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request) -> HTMLResponse:
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "home.html", {"home": _home(request), "catalog": request.app.state.catalog}
    )
    return response


@api.get("/home", response_model=HomeOut)
def home(request: Request) -> dict[str, Any]:
    """The learner's home: readiness, the booked exam and days left, recent attempts, alerts and next steps."""
    h = _home(request)
    result: dict[str, Any] = to_plain(h)
    if h.today is not None:
        t = h.today
        result["today"] = {
            "day": t.day.isoformat(),
            "blocks": [to_plain(b) for b in t.blocks],
            "done": sorted(t.done),
            "reviews_due": t.reviews_due,
            "streak": t.streak,
            "days_left": t.days_left,
        }
    return result
