"""Source freshness for authors: the page `/author/sources` and `GET /api/v1/packs/sources`, over the same service
as `certprep pack check --sources` (every cited page, its last check date, what cites it, what is too old)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from certprep.domain.freshness import DEFAULT_MAX_AGE_DAYS, MAX_AGE_LIMIT, FreshnessReport, cited_by
from certprep.services.pack import source_freshness
from certprep.web import render
from certprep.web.access import ITEMS, RuledRoute
from certprep.web.schemas import ERRORS

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[ITEMS])
api = APIRouter(route_class=RuledRoute, tags=["packs"], responses=ERRORS, dependencies=[ITEMS])
MaxAge = Annotated[
    int,
    Query(ge=0, le=MAX_AGE_LIMIT, description="a citation checked more than this many days ago is stale"),
]


class CitationOut(BaseModel):
    url: str
    kind: Literal["item", "flashcard", "study-link"]
    ref: str
    checked: date | None


class CitedPageOut(BaseModel):
    url: str
    last_checked: date | None
    oldest_checked: date | None
    age_days: int | None
    citations: list[CitationOut]
    stale: list[CitationOut]
    is_stale: bool


class SourcesOut(BaseModel):
    today: date
    max_age_days: int
    pages: list[CitedPageOut]
    citations: int
    stale_pages: int
    stale_citations: int
    ok: bool


def _report(request: Request, max_age: int) -> FreshnessReport:
    state = request.app.state
    return source_freshness(state.bank_root, today=state.now().date(), max_age_days=max_age)


@api.get("/packs/sources", response_model=SourcesOut)
def sources(request: Request, max_age: MaxAge = DEFAULT_MAX_AGE_DAYS) -> SourcesOut:
    """Every page the pack's bank cites, with its last check date, what cites it, and the stale citations."""
    r = _report(request, max_age)
    return SourcesOut(
        today=r.today,
        max_age_days=r.max_age_days,
        pages=[
            CitedPageOut(
                url=p.url,
                last_checked=p.last_checked,
                oldest_checked=p.oldest_checked,
                age_days=p.age_days,
                citations=[
                    CitationOut(url=c.url, kind=c.kind, ref=c.ref, checked=c.checked) for c in p.citations
                ],
                stale=[CitationOut(url=c.url, kind=c.kind, ref=c.ref, checked=c.checked) for c in p.stale],
                is_stale=p.is_stale,
            )
            for p in r.pages
        ],
        citations=r.citations,
        stale_pages=r.stale_pages,
        stale_citations=r.stale_citations,
        ok=r.ok,
    )


@router.get("/author/sources", response_class=HTMLResponse)
def sources_page(request: Request, max_age: MaxAge = DEFAULT_MAX_AGE_DAYS) -> HTMLResponse:
    return render.page(request, "sources.html", report=_report(request, max_age), cited_by=cited_by)
