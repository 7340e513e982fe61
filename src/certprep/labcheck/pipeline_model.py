"""Azure Pipelines as values: the expanded pipeline and its stages, jobs, steps and variables.

A pipeline written with only `jobs` has one implicit stage, and one with only `steps` one implicit job; both
are named "__default", as the service names them. Deployment jobs keep their steps inside a strategy's hooks
(runOnce, rolling, canary: preDeploy, deploy, routeTraffic, postRouteTraffic, on.success, on.failure).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from certprep.labcheck.document import Document, Origin, YMap
from certprep.labcheck.findings import Finding

DEFAULT = "__default"
_HOOKS = ("preDeploy", "deploy", "routeTraffic", "postRouteTraffic")


@dataclass(frozen=True, slots=True)
class Step:
    """One step: `kind` is its first key (task, script, bash, pwsh, powershell, checkout, download, ...)."""

    stage: str
    job: str
    kind: str
    task: str | None
    script: str | None
    display_name: str | None
    inputs: dict[str, Any]
    data: dict[str, Any]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Job:
    """A job, a deployment job or an unexpanded template reference (kind "template")."""

    stage: str
    name: str
    kind: str
    depends_on: tuple[str, ...] | None
    condition: str | None
    environment: str | None
    strategy: dict[str, Any] | None
    pool: Any
    data: dict[str, Any]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Stage:
    """A stage (implicit ones are named "__default")."""

    name: str
    depends_on: tuple[str, ...] | None
    condition: str | None
    data: dict[str, Any]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Variable:
    """A variable, a variable group reference (group set) or a variables template (template set)."""

    scope: str
    name: str | None
    value: Any
    group: str | None
    template: str | None
    origin: Origin


def names(value: Any) -> tuple[str, ...] | None:
    """dependsOn as a tuple of names: None when not written, () for `dependsOn: []`."""
    if value is None:
        return None
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list):
        return tuple(str(item) for item in value if item is not None and str(item).strip())
    return None


def _origin(data: Any, fallback: Origin) -> Origin:
    return data.origin if isinstance(data, YMap) else fallback


def _text(value: Any) -> str | None:
    return None if value is None or isinstance(value, dict | list) else str(value)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """An Azure Pipelines file read with its local templates expanded; `findings` holds what went wrong."""

    path: str
    data: Any
    findings: tuple[Finding, ...]
    templates: tuple[str, ...] = ()
    sources: tuple[Document, ...] = ()

    @property
    def _root(self) -> dict[str, Any]:
        return self.data if isinstance(self.data, dict) else {}

    @property
    def _start(self) -> Origin:
        return (self.path, 1, 1)

    def stages(self) -> list[Stage]:
        """Every stage, the implicit one included."""
        root = self._root
        raw = root.get("stages")
        if not isinstance(raw, list):
            return [Stage(DEFAULT, None, None, root, self._start)] if root else []
        result = []
        for item in raw:
            if not isinstance(item, dict):
                continue
            name = _text(item.get("stage")) or (DEFAULT if "template" not in item else "")
            result.append(
                Stage(
                    name,
                    names(item.get("dependsOn")),
                    _text(item.get("condition")),
                    item,
                    _origin(item, self._start),
                )
            )
        return result

    def jobs(self) -> list[Job]:
        """Every job of every stage, deployment jobs included."""
        result = []
        for stage in self.stages():
            raw = stage.data.get("jobs")
            if not isinstance(raw, list):
                if "steps" in stage.data:
                    result.append(self._job(stage.name, {**stage.data, "job": DEFAULT}, stage.origin))
                continue
            for item in raw:
                if isinstance(item, dict):
                    result.append(self._job(stage.name, item, _origin(item, stage.origin)))
        return result

    @staticmethod
    def _job(stage: str, item: dict[str, Any], origin: Origin) -> Job:
        if "deployment" in item:
            kind, name = "deployment", _text(item.get("deployment")) or ""
        elif "template" in item:
            kind, name = "template", ""
        else:
            kind, name = "job", _text(item.get("job")) or ""
        environment = item.get("environment")
        if isinstance(environment, dict):
            environment = environment.get("name")
        elif isinstance(environment, str) and "." in environment and "$(" not in environment:
            environment = environment.split(".", 1)[
                0
            ]  # "name.resource" targets a resource of the environment
        strategy = item.get("strategy")
        return Job(
            stage,
            name,
            kind,
            names(item.get("dependsOn")),
            _text(item.get("condition")),
            _text(environment),
            strategy if isinstance(strategy, dict) else None,
            item.get("pool"),
            item,
            origin,
        )

    def steps(self) -> list[Step]:
        """Every step of every job, in order (deployment hooks included)."""
        result = []
        for job in self.jobs():
            for item in _job_steps(job.data):
                if isinstance(item, dict) and item:
                    result.append(_step(job, item))
        return result

    def task_names(self) -> list[str]:
        """The task references used, like "PublishTestResults@2"."""
        return [step.task for step in self.steps() if step.task]

    @property
    def trigger(self) -> Any:
        """The CI trigger as written (None when absent: every branch triggers)."""
        return self._root.get("trigger")

    @property
    def pr(self) -> Any:
        """The pull-request trigger as written."""
        return self._root.get("pr")

    @property
    def schedules(self) -> list[Any]:
        """Scheduled triggers."""
        raw = self._root.get("schedules")
        return list(raw) if isinstance(raw, list) else []

    @property
    def resources(self) -> dict[str, Any]:
        """The resources section (repositories, pipelines, containers, ...)."""
        raw = self._root.get("resources")
        return raw if isinstance(raw, dict) else {}

    def variables(self) -> list[Variable]:
        """Variables at pipeline, stage and job level; groups and templates included."""
        result = list(_variables("pipeline", self._root.get("variables"), self._start))
        for stage in self.stages() if "stages" in self._root else []:
            result.extend(_variables(f"stage {stage.name}", stage.data.get("variables"), stage.origin))
        for job in self.jobs() if "jobs" in self._root or "stages" in self._root else []:
            result.extend(_variables(f"job {job.name}", job.data.get("variables"), job.origin))
        return result

    def variable_groups(self) -> list[str]:
        """Names of the variable groups referenced."""
        return [v.group for v in self.variables() if v.group]


def _job_steps(job: dict[str, Any]) -> Iterator[Any]:
    steps = job.get("steps")
    if isinstance(steps, list):
        yield from steps
    strategy = job.get("strategy")
    if not isinstance(strategy, dict):
        return
    for hooks in strategy.values():
        if not isinstance(hooks, dict):
            continue
        for hook in _HOOKS:
            found = hooks.get(hook)
            if isinstance(found, dict) and isinstance(found.get("steps"), list):
                yield from found["steps"]
        on = hooks.get("on")
        if isinstance(on, dict):
            for outcome in ("success", "failure"):
                found = on.get(outcome)
                if isinstance(found, dict) and isinstance(found.get("steps"), list):
                    yield from found["steps"]


def _step(job: Job, item: dict[str, Any]) -> Step:
    kind = next(iter(item))
    task = _text(item.get("task"))
    script = None
    for key in ("script", "bash", "pwsh", "powershell"):
        if key in item:
            kind, script = key, _text(item.get(key))
            break
    if task:
        kind = "task"
        inputs = item.get("inputs")
        if isinstance(inputs, dict) and isinstance(inputs.get("script"), str):
            script = inputs["script"]
    inputs = item.get("inputs")
    return Step(
        job.stage,
        job.name,
        kind,
        task,
        script,
        _text(item.get("displayName")),
        dict(inputs) if isinstance(inputs, dict) else {},
        item,
        _origin(item, job.origin),
    )


def _variables(scope: str, raw: Any, fallback: Origin) -> Iterator[Variable]:
    if isinstance(raw, dict):
        for name, value in raw.items():
            where = raw.where(name) if isinstance(raw, YMap) else fallback
            yield Variable(scope, name, value, None, None, where)
    elif isinstance(raw, list):
        for index, item in enumerate(raw):
            where = raw.where(index) if hasattr(raw, "where") else fallback
            if not isinstance(item, dict):
                continue
            if "group" in item:
                yield Variable(scope, None, None, _text(item.get("group")), None, where)
            elif "template" in item:
                yield Variable(scope, None, None, None, _text(item.get("template")), where)
            elif "name" in item:
                yield Variable(scope, _text(item.get("name")), item.get("value"), None, None, where)
