"""Our rules for Azure Pipelines, beyond the schema: the stage and job graph, deployment jobs, inline secrets.

- dependsOn must name a stage of the pipeline (a job of the same stage); the graph must have no cycle (a stage
  without dependsOn depends on the one before it, as in the service);
- stage names are unique in the pipeline, job names in their stage; both are identifiers (letters, digits, `_`,
  not starting with a digit), and no deployment job is named "deploy";
- a deployment job without an environment records no deployment history and takes no approval (warning);
- a variable, a step `env` entry or a task input named like a secret (password, secret, token, key, ...) must not hold a literal
  value: use a secret variable, a variable group linked to Key Vault, or `$(name)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from certprep.labcheck.document import Document, Origin, YMap
from certprep.labcheck.expressions import has_macro
from certprep.labcheck.findings import Finding
from certprep.labcheck.pipeline_model import DEFAULT, Pipeline
from certprep.labcheck.pipeline_schema import schema_findings
from certprep.labcheck.templates import expand

_SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "token", "pat", "apikey", "connectionstring", "passphrase"}
)
_KEY_OWNERS = frozenset(
    {
        "api",
        "access",
        "account",
        "private",
        "secret",
        "storage",
        "shared",
        "master",
        "subscription",
        "signing",
        "encryption",
        "client",
        "function",
        "host",
    }
)
_NOT_SECRET_OWNERS = frozenset({"image", "pull", "tls"})
_SEGMENTS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_TEMPLATE_SECTIONS = {
    "stages": "stagesTemplate",
    "jobs": "jobsTemplate",
    "steps": "stepsTemplate",
    "variables": "variablesTemplate",
}


def secret_like(name: str) -> bool:
    """True when a name's last words say it holds a secret (dbPassword, API_KEY, sonar-token, clientSecret)."""
    words = [w.lower() for w in _SEGMENTS.findall(name)]
    if not words:
        return False
    last, before = words[-1], (words[-2] if len(words) > 1 else "")
    if last in _SECRET_WORDS or before + last in _SECRET_WORDS:
        return True
    if last == "secret":
        return before not in _NOT_SECRET_OWNERS
    return last == "key" and before in _KEY_OWNERS


def _definition(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    sections = [key for key in data if key in _TEMPLATE_SECTIONS]
    template = len(sections) == 1 and set(data) <= {"parameters", sections[0]}
    if template and (sections[0] == "variables" or "parameters" in data):
        return _TEMPLATE_SECTIONS[sections[0]]
    return None


def _defaults(data: YMap) -> dict[str, Any]:
    declared = data.get("parameters")
    if isinstance(declared, dict):
        return dict(declared)
    if isinstance(declared, list):
        return {
            e["name"]: e["default"]
            for e in declared
            if isinstance(e, dict) and "name" in e and "default" in e
        }
    return {}


def document_schema_findings(document: Document) -> list[Finding]:
    """Schema findings for one file of a pipeline (the pipeline itself or a template), expanded with defaults."""
    if not isinstance(document.data, YMap):
        return []
    expanded = expand(document.data, {"parameters": _defaults(document.data)})
    return schema_findings(expanded, document.path, _definition(expanded))


def pipeline_findings(pipeline: Pipeline, path: Path | None = None) -> list[Finding]:
    """Schema findings for every file read, then our rules on the expanded pipeline."""
    findings: list[Finding] = []
    for document in pipeline.sources:
        findings.extend(document_schema_findings(document))
    if isinstance(pipeline.data, dict):
        findings.extend(graph_findings(pipeline))
        findings.extend(name_findings(pipeline))
        findings.extend(deployment_findings(pipeline))
        findings.extend(secret_findings(pipeline))
    return findings


def _known(name: str | None) -> bool:
    return bool(name) and not has_macro(name)


def _cycle(graph: dict[str, tuple[str, ...]]) -> list[str] | None:
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        trail.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt) :], nxt]
            if nxt in graph and state.get(nxt) is None and (found := visit(nxt)):
                return found
        trail.pop()
        state[node] = 2
        return None

    for node in graph:
        if state.get(node) is None and (found := visit(node)):
            return found
    return None


def _origin_of(data: Any, key: str, fallback: Origin) -> Origin:
    return data.where(key) if isinstance(data, YMap) else fallback


def graph_findings(pipeline: Pipeline) -> Iterator[Finding]:
    """Duplicate names, dependsOn naming nothing, and cycles, for stages and for the jobs of each stage."""
    yield from _stage_graph_findings(pipeline)
    yield from _job_graph_findings(pipeline)


def _stage_graph_findings(pipeline: Pipeline) -> Iterator[Finding]:
    every_stage = pipeline.stages()
    # A template left as written (another repository's, or missing) may define any name: no "unknown" then.
    opaque = any("template" in s.data and "stage" not in s.data for s in every_stage)
    stages = [s for s in every_stage if _known(s.name)]
    graph: dict[str, tuple[str, ...]] = {}
    canonical = {s.name.casefold(): s.name for s in reversed(stages)}  # names match without case
    previous: str | None = None
    for stage in stages:
        if stage.name in graph:
            where = _origin_of(stage.data, "stage", stage.origin)
            yield Finding(*where, f'stage "{stage.name}" is defined twice', "duplicate-name")
            continue
        deps = stage.depends_on if stage.depends_on is not None else ((previous,) if previous else ())
        graph[stage.name] = tuple(canonical.get(d.casefold(), d) for d in deps if _known(d))
        previous = stage.name
    for stage in stages:
        for dep in stage.depends_on or ():
            if _known(dep) and dep.casefold() not in canonical and not opaque:
                where = _origin_of(stage.data, "dependsOn", stage.origin)
                message = f'stage "{stage.name}" depends on "{dep}", which is not a stage of this pipeline'
                yield Finding(*where, message, "depends-on")
    cycle = _cycle(graph)
    if cycle:
        first = next(s for s in stages if s.name == cycle[0])
        message = f"stages depend on each other in a cycle: {' -> '.join(cycle)}"
        yield Finding(*_origin_of(first.data, "dependsOn", first.origin), message, "depends-on")


def _job_graph_findings(pipeline: Pipeline) -> Iterator[Finding]:
    jobs = pipeline.jobs()
    by_stage: dict[str, dict[str, tuple[str, ...]]] = {}
    opaque_stages = {job.stage for job in jobs if job.kind == "template"}
    named = [job for job in jobs if job.kind != "template" and _known(job.name) and job.name != DEFAULT]
    for job in named:
        graph = by_stage.setdefault(job.stage, {})
        if job.name in graph:
            where = _origin_of(job.data, job.kind, job.origin)
            yield Finding(
                *where, f'job "{job.name}" is defined twice in stage "{job.stage}"', "duplicate-name"
            )
        graph[job.name] = tuple(d for d in job.depends_on or () if _known(d))
    for job in jobs:
        canonical = {name.casefold(): name for name in reversed(list(by_stage.get(job.stage, {})))}
        if job.kind == "template" or job.stage in opaque_stages:
            continue
        for dep in job.depends_on or ():
            if _known(dep) and dep.casefold() not in canonical:
                where = _origin_of(job.data, "dependsOn", job.origin)
                message = f'job "{job.name}" depends on "{dep}", which is not a job of stage "{job.stage}"'
                yield Finding(*where, message, "depends-on")
    for stage_name, graph in by_stage.items():
        canonical = {name.casefold(): name for name in reversed(list(graph))}
        cycle = _cycle(
            {job: tuple(canonical.get(d.casefold(), d) for d in deps) for job, deps in graph.items()}
        )
        if cycle:
            first = next(j for j in named if j.stage == stage_name and j.name == cycle[0])
            message = f'jobs of stage "{stage_name}" depend on each other in a cycle: {" -> ".join(cycle)}'
            yield Finding(*_origin_of(first.data, "dependsOn", first.origin), message, "depends-on")


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def name_findings(pipeline: Pipeline) -> Iterator[Finding]:
    """Stage and job names are identifiers (letters, digits, `_`, not starting with a digit); no job is "deploy"."""
    named = [(s.data, "stage", s.name, s.origin) for s in pipeline.stages() if "stage" in s.data]
    named += [(j.data, j.kind, j.name, j.origin) for j in pipeline.jobs() if j.kind in ("job", "deployment")]
    for data, key, name, origin in named:
        if key not in data or not name or has_macro(name) or name == DEFAULT:
            continue
        where = _origin_of(data, key, origin)
        if not _IDENTIFIER.match(name):
            what = "stage" if key == "stage" else "job"
            message = f'{what} name "{name}" must use only letters, digits and _, and not start with a digit'
            yield Finding(*where, message, "name")
        elif key == "deployment" and name == "deploy":
            yield Finding(*where, 'a deployment job cannot be named "deploy" (a reserved word)', "name")


def deployment_findings(pipeline: Pipeline) -> Iterator[Finding]:
    """A deployment job should name its environment (approvals, checks and history live there)."""
    for job in pipeline.jobs():
        if job.kind == "deployment" and not job.environment:
            message = f'deployment job "{job.name}" has no environment: approvals, checks and deployment history need one'
            yield Finding(
                *_origin_of(job.data, "deployment", job.origin), message, "deployment-environment", "warning"
            )


_NOT_SECRETS = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})


def _literal(value: Any) -> bool:
    """A value written out in the file (not a switch like keepToken: false, not a macro or expression)."""
    if isinstance(value, str) and value.strip().lower() in _NOT_SECRETS:
        return False
    return (
        isinstance(value, str | int | float)
        and not isinstance(value, bool)
        and str(value).strip() != ""
        and not has_macro(value)
    )


def secret_findings(pipeline: Pipeline) -> Iterator[Finding]:
    """Variables and step environment entries named like secrets must not hold literal values."""
    for variable in pipeline.variables():
        if variable.name and secret_like(variable.name) and _literal(variable.value):
            message = f'variable "{variable.name}" looks like a secret written inline; use a secret variable or a Key Vault-linked variable group'
            yield Finding(*variable.origin, message, "inline-secret")
    for step in pipeline.steps():
        inputs = step.data.get("inputs")
        if isinstance(inputs, dict):
            for name, value in inputs.items():
                if secret_like(name) and _literal(value):
                    where = inputs.where(name) if isinstance(inputs, YMap) else step.origin
                    message = f'input "{name}" of {step.task} looks like a secret written inline; pass $(name) from a secret variable'
                    yield Finding(*where, message, "inline-secret")
        env = step.data.get("env")
        if isinstance(env, dict):
            for name, value in env.items():
                if secret_like(name) and _literal(value):
                    where = env.where(name) if isinstance(env, YMap) else step.origin
                    message = f'env "{name}" looks like a secret written inline; map it from a secret variable: $(name)'
                    yield Finding(*where, message, "inline-secret")
