"""The labs pages: `/labs` (every lab with its objectives and the learner's best score) and `/labs/{id}` (the task
rendered by the pack's safe Markdown renderer, the checks with hints and links, the learner's recorded reports).
Labs are done on the learner's machine with `certprep lab`; these pages show the work and its evidence."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from certprep.services import labs as svc
from certprep.web.access import OWN, RuledRoute
from certprep.web.attempts_api import Learner
from certprep.web.labs_api import LabId
from certprep.web.render import page

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[OWN])


def _objectives(request: Request) -> dict[str, tuple[str, str]]:
    outline = request.app.state.catalog.outline("AZ-400")
    return {o.id: (o.code, o.text) for o in outline.objectives}


@router.get("/labs", response_class=HTMLResponse)
def labs_page(request: Request, learner: Learner) -> HTMLResponse:
    state = request.app.state
    reports = svc.reports(state.db, learner_id=learner)
    best: dict[str, int] = {}
    for r in reports:
        best[r.lab_id] = max(best.get(r.lab_id, 0), r.score)
    return page(
        request,
        "labs.html",
        labs=svc.list_labs(pack_root=state.bank_root),
        best=best,
        objectives=_objectives(request),
        reports=reports[:20],
    )


@router.get("/labs/{lab_id}", response_class=HTMLResponse)
def lab_page(request: Request, lab_id: LabId, learner: Learner) -> HTMLResponse:
    state = request.app.state
    lab = svc.get_lab(lab_id, pack_root=state.bank_root)
    return page(
        request,
        "lab.html",
        lab=lab,
        objectives=_objectives(request),
        reports=svc.reports(state.db, learner_id=learner, lab_id=lab.id),
        titles={c.id: c.title for c in lab.checks},
        task=_without_title(lab.task),
    )


def _without_title(task: str) -> str:
    """The task's Markdown without its leading `# title` line: the page shows the title as its own heading."""
    first, _, rest = task.partition("\n")
    return rest if first.startswith("# ") else task
