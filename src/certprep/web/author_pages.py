"""The author's page: item statistics (facility, discrimination, distractor rates, IRT parameters and their SEs,
flags) as a table sorted and filtered from the address, the pack check and answer-cue report, and a calibration
run started from the page whose progress the page polls; the same under /api/v1/author.

A calibration runs in a thread of this server process (one at a time per process); its results are stored by the
service like any other run, and only the progress counter lives in memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from certprep.errors import PolicyViolation
from certprep.services.calibration import CalibrationRun, ItemStats, calibrate_items, item_statistics
from certprep.services.content import get_bank
from certprep.services.pack import bank_quality
from certprep.web import render
from certprep.web.access import ITEMS, RuledRoute
from certprep.web.schemas import ERRORS, ItemStatsOut

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


@dataclass
class CalibrationJob:
    """The calibration running in this process, if any: its progress and its outcome."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    running: bool = False
    iteration: int = 0
    log_likelihood: float | None = None
    started_at: datetime | None = None
    run: CalibrationRun | None = None
    error: str | None = None


def _job(request: Request) -> CalibrationJob:
    state = request.app.state
    if not hasattr(state, "calibration"):
        state.calibration = CalibrationJob()
    job: CalibrationJob = state.calibration
    return job


def start_calibration(request: Request) -> CalibrationJob:
    """Start a calibration run in a thread (409 while one runs)."""
    state, job = request.app.state, _job(request)
    with job.lock:
        if job.running:
            raise PolicyViolation("a calibration is running already: wait for it to finish")
        job.running, job.iteration, job.log_likelihood, job.run, job.error = True, 0, None, None, None
        job.started_at = state.now()

    def progress(iteration: int, log_likelihood: float) -> None:
        job.iteration, job.log_likelihood = iteration, log_likelihood

    def work() -> None:
        try:
            job.run = calibrate_items(
                state.db, bank=get_bank(state.bank_root), now=state.now(), progress=progress
            )
        except Exception as e:  # a failed run is reported on the page, not lost in a thread
            job.error = f"{type(e).__name__}: {e}"[:300]
        finally:
            job.running = False

    threading.Thread(target=work, name="certprep-calibration", daemon=True).start()
    return job


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
        job=_job(request),
    )


@router.get("/author/calibration", response_class=HTMLResponse)
def calibration_fragment(request: Request) -> HTMLResponse:
    """The calibration box (htmx polls it every second while a run goes on)."""
    return render.page(request, "author_calibration.html", job=_job(request))


@router.post("/author/calibration", response_class=HTMLResponse)
def calibration_start(request: Request) -> Response:
    start_calibration(request)
    return render.go("/author#calibration")


class CalibrationOut(BaseModel):
    running: bool
    iteration: int
    log_likelihood: float | None
    started_at: datetime | None
    error: str | None
    items_updated: int | None
    converged: bool | None
    persons: int | None


def _calibration_out(job: CalibrationJob) -> CalibrationOut:
    run = job.run
    return CalibrationOut(
        running=job.running,
        iteration=job.iteration,
        log_likelihood=job.log_likelihood,
        started_at=job.started_at,
        error=job.error,
        items_updated=len(run.items_updated) if run else None,
        converged=run.converged if run else None,
        persons=run.persons if run else None,
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
    return _calibration_out(_job(request))


@api.post("/author/calibration", status_code=202, response_model=CalibrationOut)
def calibration_run(request: Request) -> CalibrationOut:
    """Start a calibration (2PL, MML-EM) from every recorded response; poll GET for its progress."""
    return _calibration_out(start_calibration(request))
