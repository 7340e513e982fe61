"""JSON API of the hands-on labs: the labs with their objectives, one lab with its task and checks, a check report
sent by `certprep lab check --submit` (re-validated and re-scored here: the check ids must be the lab's and any
score sent is ignored), and the learner's recorded reports. The same services as `certprep lab` and /labs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from certprep.domain.labs import CheckResult, Lab, LabReport
from certprep.services import labs as svc
from certprep.web.access import OWN, RuledRoute
from certprep.web.attempts_api import Learner
from certprep.web.schemas import ERRORS

router = APIRouter(route_class=RuledRoute, tags=["labs"], responses=ERRORS, dependencies=[OWN])
LabId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", description="lab id")]


class CheckOut(BaseModel):
    id: str
    title: str
    kind: str
    weight: int
    hint: str
    doc: str


class LabOut(BaseModel):
    id: str
    title: str
    objectives: list[str]
    minutes: int
    note: str
    checks: list[CheckOut]


class LabDetailOut(LabOut):
    task: str = Field(description="the task statement, Markdown")


class LabsOut(BaseModel):
    labs: list[LabOut]


class ResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(max_length=64)
    passed: bool
    message: str = Field(default="", max_length=2000)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a score sent along is ignored, never trusted
    results: list[ResultIn] = Field(min_length=1, max_length=100)


class ResultOut(BaseModel):
    id: str
    passed: bool
    message: str


class ReportOut(BaseModel):
    id: str
    lab: str
    score: int = Field(description="percent of the checks' weight passed, computed by the server")
    complete: bool
    recorded_at: datetime
    results: list[ResultOut]


class ReportsOut(BaseModel):
    reports: list[ReportOut]


def lab_out(lab: Lab, detail: bool = False) -> LabOut:
    fields = {
        "id": lab.id,
        "title": lab.title,
        "objectives": list(lab.objectives),
        "minutes": lab.minutes,
        "note": lab.note,
        "checks": [
            CheckOut(id=c.id, title=c.title, kind=c.kind, weight=c.weight, hint=c.hint, doc=c.doc)
            for c in lab.checks
        ],
    }
    return LabDetailOut(**fields, task=lab.task) if detail else LabOut(**fields)


def report_out(r: LabReport) -> ReportOut:
    assert r.report_id is not None and r.recorded_at is not None
    return ReportOut(
        id=r.report_id,
        lab=r.lab_id,
        score=r.score,
        complete=r.complete,
        recorded_at=r.recorded_at,
        results=[ResultOut(id=c.check_id, passed=c.passed, message=c.message) for c in r.results],
    )


@router.get("/labs", response_model=LabsOut)
def list_labs(request: Request) -> LabsOut:
    """The pack's labs and the objectives each is evidence for."""
    return LabsOut(labs=[lab_out(lab) for lab in svc.list_labs(pack_root=request.app.state.bank_root)])


@router.get("/labs/reports", response_model=ReportsOut)
def list_reports(request: Request, learner: Learner) -> ReportsOut:
    """The asking learner's recorded lab reports, newest first."""
    return ReportsOut(reports=[report_out(r) for r in svc.reports(request.app.state.db, learner_id=learner)])


@router.get("/labs/{lab_id}", response_model=LabDetailOut)
def get_lab(request: Request, lab_id: LabId) -> LabOut:
    """One lab: its task statement (Markdown) and its checks with hints and documentation links."""
    return lab_out(svc.get_lab(lab_id, pack_root=request.app.state.bank_root), detail=True)


@router.post("/labs/{lab_id}/reports", response_model=ReportOut, status_code=201)
def post_report(request: Request, lab_id: LabId, body: ReportIn, learner: Learner) -> ReportOut:
    """Record a check report made on the learner's machine; the server scores it from pass/fail alone."""
    report = svc.record_report(
        request.app.state.db,
        learner_id=learner,
        lab_id=lab_id,
        results=[CheckResult(r.id, r.passed, r.message) for r in body.results],
        source="submitted",
        now=request.app.state.now(),
        pack_root=request.app.state.bank_root,
    )
    return report_out(report)
