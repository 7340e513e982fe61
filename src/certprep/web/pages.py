"""HTML pages: one per catalog object, and the roadmap with its picture."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from certprep.domain.catalog import describe_requirement
from certprep.domain.report import is_scaled
from certprep.errors import InvalidInput
from certprep.services.attempts import exam_trend, get_report, list_attempts
from certprep.services.content import get_bank
from certprep.services.pack import bank_quality
from certprep.services.readiness import get_readiness
from certprep.services.roadmap import profile_summary, uses_profile
from certprep.web import render
from certprep.web.access import OWN, RuledRoute
from certprep.web.api import Have, UseProfile, roadmap_for
from certprep.web.attempts_api import learner

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[OWN])


@router.get("/certifications", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return render.page(request, "index.html")


@router.get("/certifications/{ref}", response_class=HTMLResponse)
def certification(request: Request, ref: str) -> HTMLResponse:
    catalog = request.app.state.catalog
    c = catalog.certification(ref)
    return render.page(
        request,
        "certification.html",
        c=c,
        successor=catalog.get(c.successor) if c.successor else None,
        requires=describe_requirement(c.requires, catalog.names()) if c.requires else None,
    )


def _entry(x: Any, certs: Any) -> dict[str, Any]:
    return {
        "id": x.id,
        "name": x.name,
        "covers": getattr(x, "covers", ""),
        "certs": certs,
        "notes": x.notes,
        "as_of": x.provenance.as_of,
        "source": x.provenance.source,
    }


@router.get("/paths", response_class=HTMLResponse)
def paths(request: Request) -> HTMLResponse:
    catalog = request.app.state.catalog
    entries = [_entry(p, p.certifications) for p in catalog.paths]
    return render.page(
        request, "listing.html", title="Learning paths", kind="paths", entries=entries, names=catalog.names()
    )


@router.get("/paths/{ref}", response_class=HTMLResponse)
def path(request: Request, ref: str) -> HTMLResponse:
    catalog = request.app.state.catalog
    p = catalog.path(ref)
    providers = [x for x in catalog.providers if p.id in x.paths]
    return render.page(
        request,
        "detail.html",
        x=_entry(p, p.certifications),
        kind_label="learning path",
        names=catalog.names(),
        providers=providers,
        query=urlencode({"path": p.id}),
    )


@router.get("/roles", response_class=HTMLResponse)
def roles(request: Request) -> HTMLResponse:
    catalog = request.app.state.catalog
    entries = [_entry(r, r.recommended) for r in catalog.roles]
    return render.page(
        request, "listing.html", title="Roles", kind="roles", entries=entries, names=catalog.names()
    )


@router.get("/roles/{ref}", response_class=HTMLResponse)
def role(request: Request, ref: str) -> HTMLResponse:
    catalog = request.app.state.catalog
    r = catalog.role(ref)
    return render.page(
        request,
        "detail.html",
        x=_entry(r, r.recommended),
        kind_label="role",
        names=catalog.names(),
        providers=[],
        query=urlencode({"role": r.id}),
    )


@router.get("/corrections", response_class=HTMLResponse)
def corrections(request: Request) -> HTMLResponse:
    return render.page(request, "corrections.html", corrections=request.app.state.catalog.corrections)


@router.get("/roadmap", response_class=HTMLResponse)
def roadmap(
    request: Request,
    goal: str | None = None,
    role: str | None = None,
    path: str | None = None,
    have: Have = None,
    profile: UseProfile = None,
) -> HTMLResponse:
    """The roadmap form and result; a bad value re-renders the form with the error beside its field."""
    goal, role, path = goal or None, role or None, path or None
    form: dict[str, Any] = {  # template values only (the keys never name `status`)
        "goal_value": goal or "",
        "role_value": role or "",
        "path_value": path or "",
        "have_value": ", ".join(have or []),
    }
    try:
        result, svg = roadmap_for(request, goal, role, path, have, profile)
    except InvalidInput as e:
        field = e.data.get("field")
        response = render.page(
            request,
            "roadmap.html",
            r=None,
            error=e.message,
            error_field=field if field in ("goal", "role", "path", "have") else "goal",
            use_profile=uses_profile(have, profile),
            **form,
        )
        response.status_code = e.status
        return response
    query = urlencode(
        [(k, v) for k, v in (("goal", goal), ("role", role), ("path", path)) if v]
        + [("have", h) for h in have or []]
        + ([("profile", str(profile).lower())] if profile is not None else [])
    )
    return render.page(
        request,
        "roadmap.html",
        r=result.roadmap,
        svg=svg,
        query=query,
        use_profile=result.profile is not None,
        profile_summary=(
            profile_summary(request.app.state.catalog, result.profile) if result.profile is not None else None
        ),
        **form,
    )


@router.get("/roadmap.svg")
def roadmap_svg(
    request: Request,
    goal: str | None = None,
    role: str | None = None,
    path: str | None = None,
    have: Have = None,
    profile: UseProfile = None,
) -> Response:
    _, svg = roadmap_for(request, goal or None, role or None, path or None, have, profile)
    return Response(svg, media_type="image/svg+xml")


@router.get("/attempts", response_class=HTMLResponse)
def attempts(request: Request) -> HTMLResponse:
    state = request.app.state
    lines = list_attempts(
        state.db,
        catalog=state.catalog,
        learner_id=learner(request),
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    return render.page(request, "attempts.html", lines=lines, trend=exam_trend(lines))


@router.get("/attempts/{attempt_id}/report", response_class=HTMLResponse)
def report(request: Request, attempt_id: str) -> HTMLResponse:
    state = request.app.state
    content = get_report(
        state.db,
        catalog=state.catalog,
        learner_id=learner(request),
        attempt_id=attempt_id,
        now=state.now(),
        bank=get_bank(state.bank_root),
    )
    trend = []
    if is_scaled(content.mode):
        lines = list_attempts(
            state.db,
            catalog=state.catalog,
            learner_id=learner(request),
            now=state.now(),
            bank=get_bank(state.bank_root),
        )
        trend = exam_trend(lines)
    return render.page(request, "report.html", r=content, trend=trend)


@router.get("/bank", response_class=HTMLResponse)
def bank(request: Request) -> HTMLResponse:
    return render.page(request, "bank.html", q=bank_quality(request.app.state.bank_root))


@router.get("/readiness", response_class=HTMLResponse)
def readiness(request: Request) -> HTMLResponse:
    state = request.app.state
    data = get_readiness(
        state.db,
        catalog=state.catalog,
        learner_id=learner(request),
        today=state.now().date(),
        bank=get_bank(state.bank_root),
    )
    return render.page(request, "readiness.html", current=data["current"], trend=data["trend"])
