"""Check kinds on Azure Pipelines YAML: validity through the lint engine (`lint_pipeline`) and structure questions
(stage graph, conditions, deployment jobs and environments, triggers and path filters, variable groups, inline
secrets, tasks, caching).

Every question reads the pipeline as the lint engine loads it (`load_pipeline`, local templates expanded; a
template outside the lab folder is refused) after `LabDir` has vetted the file, so the runner's rules on links,
sizes and parse errors hold here too.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from certprep.labcheck.kinds_files import secret_literal, secret_patterns
from certprep.labcheck.labdir import CheckFailed, KindFn, LabDir, Outcome
from certprep.labcheck.pipelines import lint_pipeline, load_pipeline

HOOKS = ("preDeploy", "deploy", "routeTraffic", "postRouteTraffic")


UNREADABLE = frozenset({"yaml-syntax", "unreadable", "too-large", "not-yaml"})


def pipeline(lab: LabDir, rel: str) -> dict[str, Any]:
    """A pipeline file as the lint engine loads it, local templates expanded (a template must sit in the lab
    folder too); a file that is a bare list of steps is one job's steps."""
    loaded = load_pipeline(lab.path(rel), root=lab.root, shown=rel)
    for name in loaded.templates:
        real = Path(name).resolve()
        if real != lab.root and lab.root not in real.parents:
            raise CheckFailed(f"{rel} uses template {name}, outside the lab folder: not read")
    broken = [f for f in loaded.findings if f.rule in UNREADABLE and f.path == rel]
    if broken:
        f = broken[0]
        raise CheckFailed(f"{f.path}:{f.line}: {f.message}" if f.line else f"{f.path}: {f.message}")
    data = loaded.data
    if isinstance(data, list):
        return {"steps": data}
    return data if isinstance(data, dict) else {}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def stages(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The stages (a pipeline without `stages` is one unnamed stage holding its jobs or steps)."""
    if "stages" in data:
        return [s for s in _list(data["stages"]) if isinstance(s, dict)]
    return [{"stage": "", "jobs": data.get("jobs", []), "steps": data.get("steps", [])}]


def jobs(data: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(stage name, job) for every job; top-level steps form one job named ''."""
    for stage in stages(data):
        name = str(stage.get("stage", ""))
        for job in _list(stage.get("jobs")):
            if isinstance(job, dict):
                yield name, job
        if stage.get("steps"):
            yield name, {"job": "", "steps": stage["steps"]}


def steps(job: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """A job's steps, a deployment job's lifecycle hooks included."""
    yield from (s for s in _list(job.get("steps")) if isinstance(s, dict))
    strategy = job.get("strategy")
    if isinstance(strategy, dict):
        for body in strategy.values():
            if not isinstance(body, dict):
                continue
            hooks = [body.get(h) for h in HOOKS]
            on = body.get("on")
            if isinstance(on, dict):
                hooks.extend(on.values())
            for hook in hooks:
                if isinstance(hook, dict):
                    yield from (s for s in _list(hook.get("steps")) if isinstance(s, dict))


def all_steps(data: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for _, job in jobs(data):
        yield from steps(job)


def _name(node: Mapping[str, Any]) -> str:
    for key in ("stage", "job", "deployment"):
        if key in node:
            return str(node[key])
    return ""


def pipeline_valid(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    findings = [f for f in lint_pipeline(lab.path(rel), root=lab.root, shown=rel) if f.severity == "error"]
    if findings:
        f = findings[0]
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        return False, f"{f.path}:{f.line}:{f.column}: {f.message}{more}"
    return True, f"{rel} is a valid pipeline"


def stage_depends(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, name, on = args["file"], args["stage"], args["on"]
    found = stages(pipeline(lab, rel))
    names = [str(s.get("stage", "")) for s in found]
    if name not in names:
        return False, f"{rel} has no stage {name}"
    if on not in names:
        return False, f"{rel} has no stage {on}"
    i = names.index(name)
    stage = found[i]
    if "dependsOn" in stage:
        if on in [str(d) for d in _list(stage["dependsOn"])]:
            return True, f"stage {name} depends on {on}"
        return False, f"stage {name} has dependsOn {stage['dependsOn']!r}, without {on}"
    if i > 0 and names[i - 1] == on:
        return True, f"stage {name} follows {on} (no dependsOn: the previous stage)"
    return False, f"stage {name} does not depend on {on}: add dependsOn: {on}"


def condition(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, name = args["file"], args["name"]
    data = pipeline(lab, rel)
    nodes = [*stages(data), *(job for _, job in jobs(data))]
    node = next((n for n in nodes if _name(n) == name and name), None)
    if node is None:
        return False, f"{rel} has no stage or job {name}"
    cond = node.get("condition")
    if not isinstance(cond, str) or not cond.strip():
        return False, f"{name} has no condition"
    if "matches" in args and not re.search(args["matches"], cond, re.I):
        return False, f"{name}: condition {cond!r} does not test {args['matches']!r}"
    return True, f"{name} runs on condition {cond}"


def _environment(value: Any) -> str:
    name = value.get("name", "") if isinstance(value, dict) else value
    return str(name or "").split(".")[0]


def deployment(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, env, strategy = args["file"], args["environment"], args.get("strategy")
    deployments = [job for _, job in jobs(pipeline(lab, rel)) if "deployment" in job]
    if not deployments:
        return False, f"{rel} has no deployment job (a `deployment:` job records its runs in an environment)"
    for job in deployments:
        if _environment(job.get("environment")).lower() == env.lower():
            if strategy and strategy not in (job.get("strategy") or {}):
                return False, f"deployment {job['deployment']} uses no {strategy} strategy"
            return True, f"deployment {job['deployment']} deploys to environment {env}"
    shown = ", ".join(_environment(j.get("environment")) or "none" for j in deployments)
    return False, f"no deployment job targets environment {env} (found: {shown})"


def _filters(value: Any) -> tuple[list[str], dict[str, Any]]:
    """(included branches, path filters) of a trigger in any of its forms."""
    if isinstance(value, list):
        return [str(v) for v in value], {}
    if isinstance(value, dict):
        branches = value.get("branches")
        included = branches.get("include", []) if isinstance(branches, dict) else _list(branches)
        paths = value.get("paths")
        return [str(b) for b in _list(included)], paths if isinstance(paths, dict) else {}
    return [], {}


def trigger(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    key = "pr" if args.get("trigger") == "pr" else "trigger"
    data = pipeline(lab, rel)
    if key not in data or data[key] in ("none", None):
        return (
            False,
            f"{rel} has no {key} section (without it, {'every PR' if key == 'pr' else 'every push'} runs)",
        )
    branches, paths = _filters(data[key])
    for b in args.get("branches", []):
        if b not in branches:
            return False, f"{key}: branch {b} is not included (included: {', '.join(branches) or 'none'})"
    for which in ("include", "exclude"):
        have = [str(p) for p in _list(paths.get(which))]
        for p in args.get(f"paths_{which}", []):
            if p not in have:
                return False, f"{key}: path {p} is not in paths.{which} ({', '.join(have) or 'empty'})"
    return True, f"{key} has the branches and path filters asked"


def _variables(data: Any) -> Iterator[Any]:
    """Every `variables` section, at any level (pipeline, stage, job)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "variables":
                yield v
            yield from _variables(v)
    elif isinstance(data, list):
        for v in data:
            yield from _variables(v)


def variable_group(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, group = args["file"], args["group"]
    for section in _variables(pipeline(lab, rel)):
        for entry in _list(section) if isinstance(section, list) else []:
            if isinstance(entry, dict) and str(entry.get("group", "")) == group:
                return True, f"{rel} uses variable group {group}"
    return False, f"{rel} does not reference variable group {group} (variables: - group: {group})"


def no_inline_secret(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    if lines := secret_patterns(lab.text(rel)):
        return False, f"{rel}:{lines[0]}: a credential is written in the file"
    data = pipeline(lab, rel)
    for section in _variables(data):
        pairs = section.items() if isinstance(section, dict) else []
        if isinstance(section, list):
            pairs = [
                (str(e.get("name", "")), e.get("value"))
                for e in section
                if isinstance(e, dict) and "name" in e
            ]
        for name, value in pairs:
            if secret_literal(str(name), value):
                return (
                    False,
                    f"{rel}: variable {name} holds a secret in clear text: use a secret variable or a Key Vault group",
                )
    for step in all_steps(data):
        for name, value in (step.get("inputs") or {}).items() if isinstance(step.get("inputs"), dict) else []:
            if secret_literal(str(name), value):
                return False, f"{rel}: task {step.get('task')} input {name} is a secret in clear text"
    return True, f"no secret is written in {rel}"


def _same(value: Any, expected: Any) -> bool:
    return str(value).strip().lower() == str(expected).strip().lower()


def task(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, pattern = args["file"], args["task"]
    wanted: Mapping[str, Any] = args.get("inputs", {})
    found = [
        s
        for s in all_steps(pipeline(lab, rel))
        if fnmatch.fnmatch(str(s.get("task", "")).lower(), pattern.lower())
    ]
    if not found:
        return False, f"{rel} has no {pattern} task"
    good = [s for s in found if all(_same((s.get("inputs") or {}).get(k), v) for k, v in wanted.items())]
    if not good:
        k, v = next(
            (k, v)
            for k, v in wanted.items()
            if not all(_same((s.get("inputs") or {}).get(k), v) for s in found[:1])
        )
        return False, f"{rel}: {pattern} does not set {k}: {v}"
    if len(good) < args.get("count", 1):
        return False, f"{rel} has {len(good)} {pattern} task(s), {args['count']} asked"
    return True, f"{rel} runs {found[0].get('task')}"


def cache(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    for s in all_steps(pipeline(lab, rel)):
        if str(s.get("task", "")).lower().startswith("cache@"):
            inputs = s.get("inputs") or {}
            if inputs.get("key") and inputs.get("path"):
                return True, f"{rel} caches {inputs['path']} by key {inputs['key']}"
            return False, f"{rel}: the Cache task needs both key and path inputs"
    return False, f"{rel} has no Cache@2 step"


FUNCTIONS: dict[str, KindFn] = {
    "pipeline-valid": pipeline_valid,
    "pipeline-stage-depends": stage_depends,
    "pipeline-condition": condition,
    "pipeline-deployment": deployment,
    "pipeline-trigger": trigger,
    "pipeline-variable-group": variable_group,
    "pipeline-no-inline-secret": no_inline_secret,
    "pipeline-task": task,
    "pipeline-cache": cache,
}
