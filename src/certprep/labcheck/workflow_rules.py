"""Our advice for GitHub Actions workflows (warnings), and the schema check used when actionlint is missing.

- actions pinned to a full commit SHA (a tag can be moved; a SHA cannot);
- `permissions` set at the top or on every job (otherwise GITHUB_TOKEN gets the repository default), and never
  `write-all`;
- `id-token: write` where azure/login signs in with OpenID Connect (client-id without client-secret or creds),
  and OpenID Connect rather than a stored secret (`creds`, `client-secret`);
- deploy jobs (named "deploy..." or using a deploy action) run in an `environment` (protection rules, secrets);
- a workflow with deploy jobs has a concurrency group, so two runs never deploy at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator

from certprep.labcheck.document import YMap, locate
from certprep.labcheck.findings import Finding
from certprep.labcheck.workflows import Workflow, WorkflowJob

_SHA = re.compile(r"^[0-9a-f]{40}$")
_DEPLOY_ACTIONS = re.compile(
    r"(deploy|^azure/functions-action|^azure/container-apps-deploy|^azure/arm-deploy)", re.IGNORECASE
)


def pinned(reference: str) -> bool:
    """True for a local action, a docker image, or `owner/repo[/path]@<40-hex SHA>`."""
    if reference.startswith(("./", "docker://")):
        return True
    _, _, ref = reference.partition("@")
    return bool(_SHA.match(ref))


def is_deploy_job(job: WorkflowJob) -> bool:
    """A job that deploys: its id or name says so, or one of its steps uses a deploy action."""
    words = f"{job.id} {job.name or ''}".lower()
    if "deploy" in words:
        return True
    return any(step.uses and _DEPLOY_ACTIONS.search(step.uses.split("@")[0]) for step in job.steps)


def _where(data: Any, key: str, fallback: tuple[str, int, int]) -> tuple[str, int, int]:
    return data.where(key) if isinstance(data, YMap) else fallback


def _grants_id_token(permissions: Any) -> bool:
    if isinstance(permissions, str):
        return permissions == "write-all"
    return isinstance(permissions, dict) and str(permissions.get("id-token", "")) == "write"


def workflow_findings(workflow: Workflow) -> Iterator[Finding]:
    """Our rules on one workflow (all warnings: they are advice, not errors)."""
    for reference, where in workflow.uses():
        if not pinned(reference):
            message = (
                f'"{reference}" is not pinned to a full commit SHA; a tag or branch can be moved under you'
            )
            yield Finding(*where, message, "pin-actions", "warning")
    yield from _permission_findings(workflow)
    yield from _login_findings(workflow)
    yield from _deploy_findings(workflow)


def _permission_findings(workflow: Workflow) -> Iterator[Finding]:
    jobs = workflow.jobs()
    if workflow.permissions == "write-all":
        where = _where(workflow.data, "permissions", (workflow.path, 1, 1))
        message = "permissions: write-all grants every scope; list only the ones needed"
        yield Finding(*where, message, "permissions", "warning")
    for job in jobs:
        if job.permissions == "write-all":
            where = _where(job.data, "permissions", job.origin)
            message = f'job "{job.id}" has permissions: write-all; list only the scopes it needs'
            yield Finding(*where, message, "permissions", "warning")
        elif job.permissions is None and workflow.permissions is None:
            message = f'job "{job.id}" has no permissions and the workflow sets none: GITHUB_TOKEN gets the repository default'
            yield Finding(*job.origin, message, "permissions", "warning")


def _login_findings(workflow: Workflow) -> Iterator[Finding]:
    for job in workflow.jobs():
        permissions = job.permissions if job.permissions is not None else workflow.permissions
        for step in job.steps:
            if not (step.uses and step.uses.lower().startswith("azure/login@")):
                continue
            stored = "creds" in step.with_ or "client-secret" in step.with_
            where = _where(step.data, "uses", step.origin)
            if "client-id" in step.with_ and not stored and not _grants_id_token(permissions):
                message = "azure/login uses OpenID Connect (client-id, no secret) but the job is not given `id-token: write`"
                yield Finding(*where, message, "oidc-permissions", "warning")
            elif stored:
                message = "azure/login signs in with a stored secret; OpenID Connect (client-id, tenant-id, subscription-id, `id-token: write`) needs none"
                yield Finding(*where, message, "oidc-preferred", "warning")


def _deploy_findings(workflow: Workflow) -> Iterator[Finding]:
    deploy_jobs = [job for job in workflow.jobs() if is_deploy_job(job)]
    for job in deploy_jobs:
        if not job.environment and not job.uses:
            message = (
                f'deploy job "{job.id}" has no environment: protection rules and environment secrets need one'
            )
            yield Finding(*job.origin, message, "deploy-environment", "warning")
    if deploy_jobs and workflow.concurrency is None and all(job.concurrency is None for job in deploy_jobs):
        where = _where(workflow.data, "jobs", (workflow.path, 1, 1))
        message = "the workflow deploys but has no concurrency group: two runs could deploy at the same time"
        yield Finding(*where, message, "concurrency", "warning")


@cache
def _workflow_validator() -> Draft7Validator:
    source = resources.files("check_jsonschema").joinpath("builtin_schemas/vendor/github-workflows.json")
    return Draft7Validator(json.loads(source.read_text(encoding="utf-8")))


def schema_findings(workflow: Workflow) -> Iterator[Finding]:
    """The GitHub workflow schema's findings (used only when actionlint is not installed)."""
    for top in _workflow_validator().iter_errors(workflow.data):
        error = top
        while error.context:  # the branch that got furthest explains the error best
            error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
        where = locate(workflow.data, error.absolute_path, (workflow.path, 1, 1))
        yield Finding(*where, error.message[:300], "schema")
