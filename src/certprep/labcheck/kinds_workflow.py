"""Check kinds on GitHub Actions workflows: validity through the lint engine (`lint_workflow`: actionlint and our
rules) and structure questions (job environments, minimal permissions, `id-token: write` for OpenID Connect,
actions pinned to a commit SHA, actions used, concurrency groups).

A workflow is read as the lint engine reads it (`load_workflow`: YAML 1.2, so `on:` stays a key) after `LabDir`
has vetted the file.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from typing import Any

from certprep.labcheck.labdir import CheckFailed, KindFn, LabDir, Outcome
from certprep.labcheck.workflows import lint_workflow, load_workflow

SHA = re.compile(r"^[0-9a-f]{40}$")
UNREADABLE = frozenset({"yaml-syntax", "unreadable", "too-large", "not-yaml"})


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _environment(value: Any) -> str:
    name = value.get("name", "") if isinstance(value, dict) else value
    return str(name or "")


def workflow(lab: LabDir, rel: str) -> dict[str, Any]:
    """A workflow file as a mapping; CheckFailed naming the line when it cannot be read."""
    loaded = load_workflow(lab.path(rel), shown=rel)
    broken = [f for f in loaded.findings if f.rule in UNREADABLE]
    if broken:
        f = broken[0]
        raise CheckFailed(f"{f.path}:{f.line}: {f.message}" if f.line else f"{f.path}: {f.message}")
    return loaded.data if isinstance(loaded.data, dict) else {}


def workflow_jobs(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    found = data.get("jobs")
    return {str(k): v for k, v in found.items() if isinstance(v, dict)} if isinstance(found, dict) else {}


def uses(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(job id, action or reusable workflow) for every `uses`."""
    for name, job in workflow_jobs(data).items():
        if isinstance(job.get("uses"), str):
            yield name, job["uses"]
        for step in _list(job.get("steps")):
            if isinstance(step, dict) and isinstance(step.get("uses"), str):
                yield name, step["uses"]


def workflow_valid(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    findings = [f for f in lint_workflow(lab.path(rel), shown=rel) if f.severity == "error"]
    if findings:
        f = findings[0]
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        return False, f"{f.path}:{f.line}:{f.column}: {f.message}{more}"
    return True, f"{rel} is a valid workflow"


def workflow_environment(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, env = args["file"], args["environment"]
    for name, job in workflow_jobs(workflow(lab, rel)).items():
        if "job" in args and name != args["job"]:
            continue
        if _environment(job.get("environment")) == env:
            return True, f"job {name} runs in environment {env}"
    where = f"job {args['job']}" if "job" in args else "no job"
    return False, f"{where} runs in environment {env} (jobs.<id>.environment: {env})"


def _writes(perms: Any) -> list[str]:
    if perms == "write-all":
        return ["write-all"]
    if isinstance(perms, dict):
        return [str(k) for k, v in perms.items() if v == "write"]
    return []


def workflow_permissions(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    allowed = set(args.get("allow_write", []))
    data = workflow(lab, rel)
    jobs_ = workflow_jobs(data)
    if "permissions" not in data and not all("permissions" in j for j in jobs_.values()):
        return False, f"{rel} sets no permissions: the GITHUB_TOKEN gets the repository's default"
    for where, perms in [
        ("the workflow", data.get("permissions")),
        *((f"job {n}", j.get("permissions")) for n, j in jobs_.items()),
    ]:
        extra = [w for w in _writes(perms) if w not in allowed]
        if extra:
            return (
                False,
                f"{where} grants {', '.join(extra)} write; only {', '.join(sorted(allowed)) or 'read'} is needed",
            )
    return True, "permissions are declared and minimal"


def workflow_id_token(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    data = workflow(lab, rel)
    for where, perms in [
        ("the workflow", data.get("permissions")),
        *((f"job {n}", j.get("permissions")) for n, j in workflow_jobs(data).items()),
    ]:
        if isinstance(perms, dict) and perms.get("id-token") == "write":
            return True, f"{where} may request an OpenID Connect token"
    return False, f"{rel}: no `id-token: write` permission, so azure/login cannot use OpenID Connect"


def workflow_pinned(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    found = list(uses(workflow(lab, rel)))
    for job, action in found:
        if action.startswith(("./", "docker://")):
            continue
        ref = action.rpartition("@")[2] if "@" in action else ""
        if not SHA.match(ref):
            return False, f"job {job}: {action} is not pinned to a full commit SHA"
    if not found:
        return False, f"{rel} uses no action"
    return True, f"every action of {rel} is pinned to a commit SHA"


def workflow_uses(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, pattern = args["file"], args["action"]
    for job, action in uses(workflow(lab, rel)):
        if fnmatch.fnmatch(action.partition("@")[0].lower(), pattern.lower()):
            return True, f"job {job} uses {action}"
    return False, f"{rel} does not use {pattern}"


def workflow_concurrency(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    data = workflow(lab, rel)
    for where, value in [
        ("the workflow", data.get("concurrency")),
        *((f"job {n}", j.get("concurrency")) for n, j in workflow_jobs(data).items()),
    ]:
        if value is None:
            continue
        group = value.get("group") if isinstance(value, dict) else value
        if not group:
            continue
        if args.get("cancel_in_progress") and not (
            isinstance(value, dict) and value.get("cancel-in-progress") is True
        ):
            return False, f"{where}: concurrency group {group} does not cancel runs in progress"
        return True, f"{where} runs in concurrency group {group}"
    return False, f"{rel} sets no concurrency group"


FUNCTIONS: dict[str, KindFn] = {
    "workflow-valid": workflow_valid,
    "workflow-environment": workflow_environment,
    "workflow-permissions": workflow_permissions,
    "workflow-id-token": workflow_id_token,
    "workflow-pinned": workflow_pinned,
    "workflow-uses": workflow_uses,
    "workflow-concurrency": workflow_concurrency,
}
