"""The JSON API under /api/v1: the same services as the pages and the command line."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from certprep.domain.catalog import Certification, Correction, LearningPath, Outline, Role
from certprep.domain.plain import to_plain
from certprep.domain.roadmap_svg import render_svg
from certprep.errors import InvalidInput
from certprep.services.pack import BankQuality, bank_quality
from certprep.services.roadmap import LearnerRoadmap, roadmap_for_learner
from certprep.web.access import OWN, RuledRoute
from certprep.web.attempts_api import learner
from certprep.web.schemas import ERRORS, RoadmapOut

router = APIRouter(route_class=RuledRoute, tags=["catalog"], responses=ERRORS, dependencies=[OWN])


@router.get("/certifications", response_model=list[Certification])
def list_certifications(request: Request) -> list[dict[str, Any]]:
    """Every certification in the catalog."""
    result: list[dict[str, Any]] = to_plain(request.app.state.catalog.certifications)
    return result


@router.get("/certifications/{ref}", response_model=Certification)
def get_certification(request: Request, ref: str) -> dict[str, Any]:
    """One certification, by id or exam code."""
    result: dict[str, Any] = to_plain(request.app.state.catalog.certification(ref))
    return result


@router.get("/paths", response_model=list[LearningPath])
def list_paths(request: Request) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = to_plain(request.app.state.catalog.paths)
    return result


@router.get("/paths/{ref}", response_model=LearningPath)
def get_path(request: Request, ref: str) -> dict[str, Any]:
    result: dict[str, Any] = to_plain(request.app.state.catalog.path(ref))
    return result


@router.get("/roles", response_model=list[Role])
def list_roles(request: Request) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = to_plain(request.app.state.catalog.roles)
    return result


@router.get("/roles/{ref}", response_model=Role)
def get_role(request: Request, ref: str) -> dict[str, Any]:
    result: dict[str, Any] = to_plain(request.app.state.catalog.role(ref))
    return result


@router.get("/corrections", response_model=list[Correction])
def list_corrections(request: Request) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = to_plain(request.app.state.catalog.corrections)
    return result


@router.get("/outlines/{exam}", response_model=list[Outline])
def list_outlines(request: Request, exam: str) -> list[dict[str, Any]]:
    """Every version of an exam's skills outline, oldest first."""
    result: list[dict[str, Any]] = to_plain(request.app.state.catalog.outline_versions(exam))
    if not result:
        raise InvalidInput(f"no skills outline for exam {exam!r}", field="exam")
    return result


Have = Annotated[
    list[str] | None,
    Query(
        description="CODE or CODE:YYYY-MM-DD; repeat or separate by commas. "
        "When given (even empty), the stored profile is ignored unless profile=true"
    ),
]
UseProfile = Annotated[
    bool | None,
    Query(description="Use the certifications in your stored profile; default: yes unless `have` is given"),
]


def roadmap_for(
    request: Request,
    goal: str | None,
    role: str | None,
    path: str | None,
    have: list[str] | None,
    profile: bool | None = None,
) -> tuple[LearnerRoadmap, str]:
    """The learner's roadmap and its picture, from the query of the page or the API."""
    chosen = [(k, v) for k, v in (("certification", goal), ("role", role), ("path", path)) if v]
    if len(chosen) > 1:
        raise InvalidInput("give one of goal, role or path, not several", field="goal")
    kind, ref = chosen[0] if chosen else ("certification", "devops-engineer-expert")
    state = request.app.state
    today = state.now().date()
    values = None if have is None else [v.strip() for h in have for v in h.split(",") if v.strip()]
    result = roadmap_for_learner(
        state.db,
        catalog=state.catalog,
        kind=kind,  # type: ignore[arg-type]
        ref=ref,
        have=values,
        use_profile=profile,
        learner_id=learner(request),
        today=today,
    )
    targets = frozenset(result.roadmap.goal.targets)
    return result, render_svg(state.catalog, result.held, today=today, highlight=targets)


@router.get("/roadmap", tags=["roadmap"], response_model=RoadmapOut)
def get_roadmap(
    request: Request,
    goal: str | None = None,
    role: str | None = None,
    path: str | None = None,
    have: Have = None,
    profile: UseProfile = None,
) -> dict[str, Any]:
    """Eligibility and the ordered missing steps for a certification, role or path, from your profile."""
    result, _ = roadmap_for(request, goal, role, path, have, profile)
    out: dict[str, Any] = result.roadmap.to_json()
    return out


@router.get("/roadmap.svg", tags=["roadmap"], response_class=Response)
def get_roadmap_svg(
    request: Request,
    goal: str | None = None,
    role: str | None = None,
    path: str | None = None,
    have: Have = None,
    profile: UseProfile = None,
) -> Response:
    """The roadmap picture as SVG."""
    _, svg = roadmap_for(request, goal, role, path, have, profile)
    return Response(svg, media_type="image/svg+xml")


@router.get("/bank/quality", tags=["items"])
def get_bank_quality(request: Request) -> BankQuality:
    """Coverage of the current outline and the answer-cue figures of the loaded bank, with their limits."""
    return bank_quality(request.app.state.bank_root)
