"""Hands-on labs: list them, start one in a folder (the starter copied, made a git repository), check a folder
(the checks run on this machine, the report scored by the domain rule and recorded), reset a folder to its
starter, send a report to a server, list a learner's reports, and the labs' evidence for the study planner.

A report that arrives from elsewhere (the JSON API) is re-scored here from the pass/fail of each check: its check
ids must be the lab's, and any score it carries is ignored.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.orm import Session

from certprep.db import labs as rows
from certprep.db.profile import ensure_learner
from certprep.domain.labs import CheckResult, Lab, LabReport, lab_evidence, score_report
from certprep.domain.links import url_problem
from certprep.errors import CertprepError, InvalidInput, NotFound, PackInvalid, UnknownReference
from certprep.labcheck.gitsetup import SETUP_FILE, copy_files, init_repository
from certprep.labcheck.runner import run_lab
from certprep.packs.labs import load_labs, load_setup
from certprep.services.content import builtin_pack_path, get_catalog
from certprep.services.database import Database

MARKER = "certprep-lab"  # inside .git: which lab a folder is, never committed
Part = Literal["starter", "solution"]


@lru_cache(maxsize=8)
def _labs(root: str) -> tuple[Lab, ...]:
    path = Path(root)
    catalog = get_catalog(None if path.resolve() == builtin_pack_path().resolve() else path)
    loaded = load_labs(path, catalog)
    errors = [str(p) for p in loaded.problems if p.severity == "error"]
    if errors:
        raise PackInvalid(f"the labs of {root} are invalid ({len(errors)} problems)", errors)
    return loaded.labs


def list_labs(*, pack_root: Path | None = None) -> tuple[Lab, ...]:
    """Every lab of the pack (the built-in one by default), read once per process."""
    return _labs(str(pack_root or builtin_pack_path()))


def labs_by_objective(*, pack_root: Path | None = None) -> dict[str, tuple[tuple[str, str], ...]]:
    """Objective id -> (lab id, title) of every lab that is evidence for it, in the labs' order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for lab in list_labs(pack_root=pack_root):
        for objective in lab.objectives:
            out.setdefault(objective, []).append((lab.id, lab.title))
    return {k: tuple(v) for k, v in out.items()}


def get_lab(lab_id: str, *, pack_root: Path | None = None) -> Lab:
    labs = list_labs(pack_root=pack_root)
    for lab in labs:
        if lab.id == lab_id:
            return lab
    raise UnknownReference(
        f"no lab {lab_id!r}; labs: {', '.join(lab.id for lab in labs)}", reference=lab_id, field="lab"
    )


def build_part(lab: Lab, part: Part, folder: Path) -> None:
    """Lay out a lab's starter (or its solution: the starter with the solution's files over it) in an empty folder,
    as a git repository with the setup's history."""
    source = Path(lab.folder)
    copy_files(source / "starter", folder)
    setup = source / "starter" / SETUP_FILE
    if part == "solution":
        copy_files(source / "solution", folder)
        if (source / "solution" / SETUP_FILE).is_file():
            setup = source / "solution" / SETUP_FILE
    steps = load_setup(setup) if setup.is_file() else []
    try:
        init_repository(folder, f"Start lab {lab.id}", steps)
    except FileNotFoundError:
        raise InvalidInput("git is not installed: labs are git repositories, install git first") from None
    (folder / ".git" / MARKER).write_text(lab.id + "\n", encoding="utf-8")


def _build_into(lab: Lab, part: Part, folder: Path) -> None:
    """Build next to `folder`, then move into place: a failure leaves nothing half-written."""
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        build_part(lab, part, staging)
        if folder.exists():
            folder.rmdir()  # empty: checked by the caller
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def start_lab(lab_id: str, folder: Path, *, pack_root: Path | None = None) -> Lab:
    """Copy a lab's starter into a new (or empty) folder and make it a git repository with one commit."""
    lab = get_lab(lab_id, pack_root=pack_root)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidInput(f"{folder} is not an empty folder: choose a new one", field="dir")
    _build_into(lab, "starter", folder)
    return lab


def lab_root(folder: Path) -> Path:
    """The lab folder holding `folder` (itself or a parent, as git finds its repository)."""
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder", field="dir")
    for candidate in (folder, *folder.parents):
        if (candidate / ".git" / MARKER).is_file():
            return candidate
    raise InvalidInput(
        f"{folder} is not in a lab folder (start one with `certprep lab start LAB DIR`)", field="dir"
    )


def folder_lab(folder: Path, *, pack_root: Path | None = None) -> Lab:
    """The lab a folder was started for (`certprep lab start` wrote it inside .git)."""
    marker = folder / ".git" / MARKER
    try:
        lab_id = marker.read_text(encoding="utf-8").strip()
    except OSError:
        raise InvalidInput(
            f"{folder} is not a lab folder (start one with `certprep lab start LAB DIR`)", field="dir"
        ) from None
    return get_lab(lab_id, pack_root=pack_root)


def run_folder(folder: Path, *, pack_root: Path | None = None) -> LabReport:
    """Run every check of the lab holding `folder` on this machine (nothing recorded)."""
    root = lab_root(folder)
    return run_lab(folder_lab(root, pack_root=pack_root), root)


def record_report(
    db: Database,
    *,
    learner_id: str,
    lab_id: str,
    results: Sequence[CheckResult],
    source: str,
    now: datetime,
    pack_root: Path | None = None,
) -> LabReport:
    """Score a report by the lab rule (check ids must be the lab's, every check once) and record it."""
    lab = get_lab(lab_id, pack_root=pack_root)
    try:
        report = score_report(lab, results)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="results") from None
    report_id = secrets.token_hex(16)
    with db.transaction() as session:
        ensure_learner(session, learner_id, now=now)
        rows.add_report(
            session, report_id=report_id, learner_id=learner_id, report=report, source=source, now=now
        )
    return LabReport(report.lab_id, report.results, report.score, report.complete, now, report_id)


def check_lab(
    db: Database, *, learner_id: str, folder: Path, now: datetime, pack_root: Path | None = None
) -> LabReport:
    """Run a folder's checks and record the report as the learner's evidence."""
    report = run_folder(folder, pack_root=pack_root)
    return record_report(
        db,
        learner_id=learner_id,
        lab_id=report.lab_id,
        results=report.results,
        source="local",
        now=now,
        pack_root=pack_root,
    )


def reset_lab(folder: Path, *, pack_root: Path | None = None) -> Lab:
    """Put a lab folder back to its starter (the learner's changes and history are discarded). The starter is built
    first, next to the folder; only then is the folder emptied and filled (it stays the same folder, so a shell
    sitting in it stays there)."""
    folder = lab_root(folder)
    lab = folder_lab(folder, pack_root=pack_root)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        build_part(lab, "starter", staging)
        for entry in list(folder.iterdir()):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for entry in list(staging.iterdir()):
            os.replace(entry, folder / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return lab


def reports(db: Database, *, learner_id: str, lab_id: str | None = None) -> list[LabReport]:
    """A learner's recorded reports, newest first."""
    with db.reading() as session:
        return [rows.to_report(r) for r in rows.reports_of(session, learner_id, lab_id)]


def report(db: Database, *, learner_id: str, report_id: str) -> LabReport:
    for r in reports(db, learner_id=learner_id):
        if r.report_id == report_id:
            return r
    raise NotFound(f"no lab report {report_id!r}", report=report_id)


def lab_mastery(session: Session, learner_id: str, *, pack_root: Path | None = None) -> dict[str, float]:
    """Per objective: the evidence of the learner's lab reports (see `domain.labs.lab_evidence`)."""
    found = [rows.to_report(r) for r in rows.reports_of(session, learner_id, limit=10_000)]
    return lab_evidence(list_labs(pack_root=pack_root), found) if found else {}


def submit_report(
    report: LabReport, *, server: str, token: str | None, timeout: float = 15
) -> dict[str, Any]:
    """Send a report to a certprep server (`POST /api/v1/labs/{id}/reports`); the server re-scores and records it
    and answers with what it recorded."""
    if problem := url_problem(server):
        raise InvalidInput(f"--server: {problem}", field="server")
    body = json.dumps(
        {"results": [{"id": r.check_id, "passed": r.passed, "message": r.message} for r in report.results]}
    ).encode()
    request = urllib.request.Request(
        f"{server.rstrip('/')}/api/v1/labs/{report.lab_id}/reports",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only: checked above
            answer: dict[str, Any] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as exc:
        raise _server_error(exc) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InvalidInput(f"cannot reach {server}: {reason}", field="server") from None


def _server_error(exc: urllib.error.HTTPError) -> CertprepError:
    try:
        message = json.loads(exc.read())["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = exc.reason
    return InvalidInput(
        f"the server refused the report ({exc.code}): {message}", field="server", status=exc.code
    )
