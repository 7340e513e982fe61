"""The author's page: item statistics (facility, discrimination, distractor rates, IRT parameters and their SEs,
flags) as a table sorted and filtered from the address, the pack check and answer-cue report, and a calibration
run started from the page whose progress the page polls; the same under /api/v1/author.

A calibration runs in a thread of the server process that was asked to start it, one at a time across every
process (`services.calibration.start_calibration_job`); its progress and outcome are written to the database, so
the page reports the same job whichever worker process answers its poll.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from certprep.domain.calibration_jobs import CalibrationJob, JobState, job_state
from certprep.services.calibration import (
    ItemStats,
    item_statistics,
    latest_calibration_job,
    run_calibration_job,
    start_calibration_job,
)
from certprep.services.content import get_bank
from certprep.services.pack import bank_quality
from certprep.web import render
from certprep.web.access import ITEMS, RuledRoute, asker
from certprep.web.schemas import ERRORS, ItemStatsOut

log = logging.getLogger(__name__)

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[ITEMS])
api = APIRouter(route_class=RuledRoute, tags=["author"], responses=ERRORS, dependencies=[ITEMS])

SortKey = Literal["item", "responses", "facility", "discrimination", "a", "b", "flags"]
SORTS: tuple[SortKey, ...] = ("item", "responses", "facility", "discrimination", "a", "b", "flags")


def _value(stat: ItemStats, by: SortKey) -> float | str | None:
    """The figure a column sorts by (None when the item has none yet, e.g. no discrimination)."""
    values: dict[str, float | str | None] = {
        "item": stat.item_id,
        "responses": stat.responses,
        "facility": stat.facility,
        "discrimination": stat.discrimination,
        "a": stat.a,
        "b": stat.b,
        "flags": len(stat.flags),
    }
    return values[by]


def statistics(
    request: Request, *, sort: SortKey, descending: bool, flagged: bool, search: str
) -> list[ItemStats]:
    """The item statistics, filtered (flagged only, item id containing `search`) and sorted."""
    state = request.app.state
    stats = item_statistics(state.db, bank=get_bank(state.bank_root))
    wanted = [s for s in stats if (s.flags or not flagged) and search.lower() in s.item_id.lower()]
    present = [(v, s) for s in wanted if (v := _value(s, sort)) is not None]
    missing = [s for s in wanted if _value(s, sort) is None]  # last either way
    return [s for _v, s in sorted(present, key=lambda vs: vs[0], reverse=descending)] + missing


@dataclass(frozen=True, slots=True)
class CalibrationView:
    """The latest calibration job as the page and the API show it, with its state decided for this moment."""

    job: CalibrationJob | None
    state: JobState | None

    @property
    def running(self) -> bool:
        return self.state == "running"


def _view(request: Request) -> CalibrationView:
    state = request.app.state
    job = latest_calibration_job(state.db)
    return CalibrationView(job, job_state(job, state.now()) if job else None)


def start_calibration(request: Request) -> CalibrationView:
    """Open a calibration job (409 while one runs in any process) and run it in a thread of this process; its
    progress and outcome go to the database, so every worker process reports the same job."""
    state = request.app.state
    job = start_calibration_job(state.db, started_by=asker(request).id, now=state.now())
    bank = get_bank(state.bank_root)

    def work() -> None:
        try:
            run_calibration_job(state.db, job.id, bank=bank, clock=state.now)
        except Exception:  # recorded on the job by the service; a thread has nobody else to tell
            log.exception("calibration job %s failed", job.id)

    threading.Thread(target=work, name="certprep-calibration", daemon=True).start()
    return CalibrationView(job, "running")


Sort = Annotated[SortKey, Query()]


@router.get("/author", response_class=HTMLResponse)
def author_page(
    request: Request,
    sort: Sort = "flags",
    desc: bool = True,
    flagged: bool = False,
    q: str = Query("", max_length=100),
) -> HTMLResponse:
    stats = statistics(request, sort=sort, descending=desc, flagged=flagged, search=q)
    return render.page(
        request,
        "author.html",
        stats=stats,
        sort=sort,
        desc=desc,
        flagged=flagged,
        q=q,
        sorts=SORTS,
        quality=bank_quality(request.app.state.bank_root),
        job=_view(request),
    )


@router.get("/author/calibration", response_class=HTMLResponse)
def calibration_fragment(request: Request) -> HTMLResponse:
    """The calibration box (htmx polls it every second while a run goes on)."""
    return render.page(request, "author_calibration.html", job=_view(request))


@router.post("/author/calibration", response_class=HTMLResponse)
def calibration_start(request: Request) -> Response:
    start_calibration(request)
    return render.go("/author#calibration")


class CalibrationOut(BaseModel):
    """The latest calibration job: `state` is null before the first, then running, finished, failed or abandoned
    (its process stopped reporting progress)."""

    state: JobState | None
    running: bool
    id: int | None
    iteration: int
    log_likelihood: float | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    items_updated: int | None
    iterations: int | None
    converged: bool | None
    persons: int | None
    held: int | None


def _calibration_out(view: CalibrationView) -> CalibrationOut:
    job = view.job
    return CalibrationOut(
        state=view.state,
        running=view.running,
        id=job.id if job else None,
        iteration=job.iteration if job else 0,
        log_likelihood=job.log_likelihood if job else None,
        started_at=job.started_at if job else None,
        finished_at=job.finished_at if job else None,
        error=job.error if job else None,
        items_updated=job.items_updated if job else None,
        iterations=job.iteration if job and job.finished_at else None,
        converged=job.converged if job else None,
        persons=job.persons if job else None,
        held=job.held if job else None,
    )


@api.get("/author/items", response_model=list[ItemStatsOut])
def items(
    request: Request,
    sort: Sort = "flags",
    desc: bool = True,
    flagged: bool = False,
    q: str = Query("", max_length=100),
) -> list[ItemStatsOut]:
    """Item statistics, sorted and filtered as on the author's page."""
    return [
        ItemStatsOut(
            item_id=s.item_id,
            responses=s.responses,
            facility=s.facility,
            discrimination=s.discrimination,
            distractors=s.distractors,
            strong_distractors=s.strong_distractors,
            a=s.a,
            b=s.b,
            se_a=s.se_a,
            se_b=s.se_b,
            provenance=s.provenance,
            flags=list(s.flags),
        )
        for s in statistics(request, sort=sort, descending=desc, flagged=flagged, search=q)
    ]


@api.get("/author/calibration", response_model=CalibrationOut)
def calibration_status(request: Request) -> CalibrationOut:
    return _calibration_out(_view(request))


@api.post("/author/calibration", status_code=202, response_model=CalibrationOut)
def calibration_run(request: Request) -> CalibrationOut:
    """Start a calibration (2PL, MML-EM) from every recorded response; poll GET for its progress."""
    return _calibration_out(start_calibration(request))
