"""Hands-on labs as values: a lab, its checks and their weights, the result of a check, a scored report, the
check kinds and the arguments each takes, and the rule that turns reports into per-objective evidence.

The lab score rule: the weight of the checks passed over the weight of all checks, as a whole percent (rounded
half up); a lab is complete when every check passes. A report from anywhere (the CLI on the learner's machine, a
server receiving it) is scored by `score_report` from the pass/fail of each check alone, never from a score it
carries.

Evidence for the planner: a lab is evidence for each objective it lists. Per lab the best recorded score counts (a
lab once done shows the skill even if a later run in a half-edited folder fails); per objective the evidence is the
mean of its labs' best scores as a fraction. `combine_mastery` joins it with the items' first-answer mastery: the
mean of the two where both exist, else whichever exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

ArgType = Literal["str", "strs", "int", "bool", "map"]


@dataclass(frozen=True, slots=True)
class KindSpec:
    """A check kind: what it checks, its arguments (name -> type) and which of them are required."""

    name: str
    summary: str
    required: Mapping[str, ArgType]
    optional: Mapping[str, ArgType] = field(default_factory=dict)


def _k(
    name: str, summary: str, required: dict[str, ArgType], optional: dict[str, ArgType] | None = None
) -> KindSpec:
    return KindSpec(name, summary, required, optional or {})


_FILE: dict[str, ArgType] = {
    "file": "str"
}  # every file-based kind names the file, relative to the lab folder
KINDS: Mapping[str, KindSpec] = {
    k.name: k
    for k in (
        # files and text
        _k("file-exists", "a file exists (inside the lab folder, not a link out of it)", {"file": "str"}),
        _k(
            "text-contains",
            "a file contains every pattern (regular expressions, multi-line) and none of the forbidden ones",
            {"file": "str"},
            {"patterns": "strs", "absent": "strs", "ignore_case": "bool"},
        ),
        _k(
            "yaml",
            "a file is YAML that parses, optionally with keys present (dotted paths)",
            _FILE,
            {"keys": "strs"},
        ),
        _k(
            "json",
            "a file is JSON that parses, optionally with keys present (dotted paths)",
            _FILE,
            {"keys": "strs"},
        ),
        _k(
            "yaml-value",
            "a YAML or JSON file has a value at a dotted path (equal to `equals`, or matching `matches`)",
            {"file": "str", "path": "str"},
            {"equals": "str", "matches": "str"},
        ),
        # Azure Pipelines
        _k("pipeline-valid", "an Azure Pipelines file parses and passes the published schema", _FILE),
        _k(
            "pipeline-stage-depends",
            "stage `stage` depends on stage `on` (explicitly or by order)",
            {"file": "str", "stage": "str", "on": "str"},
        ),
        _k(
            "pipeline-condition",
            "a stage or job carries a condition (matching `matches` when given)",
            {"file": "str", "name": "str"},
            {"matches": "str"},
        ),
        _k(
            "pipeline-deployment",
            "a deployment job deploys to environment `environment` (optionally with strategy)",
            {"file": "str", "environment": "str"},
            {"strategy": "str"},
        ),
        _k(
            "pipeline-trigger",
            "the CI (or PR) trigger includes branches and path filters",
            _FILE,
            {"trigger": "str", "branches": "strs", "paths_include": "strs", "paths_exclude": "strs"},
        ),
        _k("pipeline-variable-group", "a variable group is referenced", {"file": "str", "group": "str"}),
        _k("pipeline-no-inline-secret", "no secret-looking value is written inline in the pipeline", _FILE),
        _k(
            "pipeline-task",
            "a task (name pattern, e.g. `PublishTestResults@2`) is present, optionally with inputs",
            {"file": "str", "task": "str"},
            {"inputs": "map", "count": "int"},
        ),
        _k("pipeline-cache", "a Cache@2 step with a key", _FILE),
        # GitHub Actions
        _k("workflow-valid", "a GitHub Actions workflow parses and passes the published schema", _FILE),
        _k(
            "workflow-environment",
            "a job runs in environment `environment`",
            {"file": "str", "environment": "str"},
            {"job": "str"},
        ),
        _k(
            "workflow-permissions",
            "permissions are declared and minimal (none `write-all`, only the write scopes allowed)",
            _FILE,
            {"allow_write": "strs"},
        ),
        _k("workflow-id-token", "`id-token: write` is granted (workflow or job) for OpenID Connect", _FILE),
        _k("workflow-pinned", "every third-party action is pinned to a full commit SHA", _FILE),
        _k(
            "workflow-uses",
            "an action is used (name pattern, e.g. `github/codeql-action/analyze`)",
            {"file": "str", "action": "str"},
        ),
        _k(
            "workflow-concurrency",
            "a concurrency group is set (workflow or job)",
            _FILE,
            {"cancel_in_progress": "bool"},
        ),
        # git
        _k("git-branch", "a branch exists", {"branch": "str"}),
        _k("git-tag", "a tag exists (annotated when asked)", {"tag": "str"}, {"annotated": "bool"}),
        _k(
            "git-merge-commit",
            "a merge commit on `into` has `branch` merged in",
            {"into": "str", "branch": "str"},
        ),
        _k(
            "git-cherry-pick",
            "a commit of `source` is on `target` as a cherry-pick (`-x` trailer or same patch-id)",
            {"source": "str", "target": "str", "message": "str"},
        ),
        _k(
            "git-absent",
            "a string appears in no commit of any branch or tag",
            {"text": "str"},
            {"reflog": "bool"},
        ),
        _k("git-lfs-tracked", "`.gitattributes` sends a pattern through the LFS filter", {"pattern": "str"}),
        _k(
            "git-merged",
            "branch `branch` is merged into `into` (all its commits reachable)",
            {"branch": "str", "into": "str"},
        ),
        _k("git-clean", "the work is committed: no tracked file differs from HEAD", {}),
        # infrastructure as code
        _k(
            "terraform-resource",
            "a Terraform resource of a type is declared, with attribute values (dotted paths) when given",
            {"type": "str"},
            {"name": "str", "attributes": "map", "blocks": "strs"},
        ),
        _k(
            "terraform-variable-validation",
            "a Terraform variable has a validation block",
            {"variable": "str"},
        ),
        _k("terraform-backend", "a remote backend is configured", {"backend": "str"}),
        _k("terraform-no-secrets", "no secret-looking literal in any .tf file", {}),
        _k(
            "arm-resource",
            "an ARM template (JSON) declares a resource of a type, with property values when given",
            {"file": "str", "type": "str"},
            {"properties": "map"},
        ),
    )
}
"""Every check kind. Bicep has no parser in Python: Bicep files are checked with `text-contains` only."""

TYPE_NAMES: Mapping[ArgType, str] = {
    "str": "a string",
    "strs": "a list of strings",
    "int": "an integer",
    "bool": "true or false",
    "map": "a mapping",
}


def _type_ok(kind: ArgType, value: Any) -> bool:
    if kind == "str":
        return isinstance(value, str) and value != ""
    if kind == "strs":
        return isinstance(value, list) and all(isinstance(v, str) and v for v in value)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind == "bool":
        return isinstance(value, bool)
    return isinstance(value, dict)


def args_problems(kind: str, args: Mapping[str, Any]) -> list[str]:
    """What is wrong with a check's kind or arguments, as messages (empty when fine)."""
    spec = KINDS.get(kind)
    if spec is None:
        return [f"unknown check kind {kind!r}; choose one of: {', '.join(sorted(KINDS))}"]
    out = [f"{kind}: missing argument {name!r}" for name in spec.required if name not in args]
    known = {**spec.required, **spec.optional}
    for name, value in args.items():
        if name not in known:
            choices = ", ".join(sorted(known)) or "none"
            out.append(f"{kind}: unknown argument {name!r} (arguments: {choices})")
        elif not _type_ok(known[name], value):
            out.append(f"{kind}: argument {name!r} must be {TYPE_NAMES[known[name]]}")
    return out


@dataclass(frozen=True, slots=True)
class Check:
    """One automatic check of a lab: its kind and arguments, its weight, a hint and a documentation page."""

    id: str
    title: str
    kind: str
    args: Mapping[str, Any]
    weight: int
    hint: str
    doc: str
    timeout: float = 5.0


@dataclass(frozen=True, slots=True)
class Lab:
    """A lab: the task (Markdown), the objectives it is evidence for, its checks; `folder` is where its files are."""

    id: str
    title: str
    objectives: tuple[str, ...]
    minutes: int
    checks: tuple[Check, ...]
    task: str
    folder: str
    note: str = ""  # e.g. what cannot be checked offline (Bicep has no Python parser)

    def check(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    @property
    def total_weight(self) -> int:
        return sum(c.weight for c in self.checks)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check found: passed or not, and why (a sentence naming the file, line or ref involved)."""

    check_id: str
    passed: bool
    message: str
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class LabReport:
    """A scored run of a lab's checks."""

    lab_id: str
    results: tuple[CheckResult, ...]
    score: int  # percent, see `score_report`
    complete: bool
    recorded_at: datetime | None = None
    report_id: str | None = None


def lab_score(lab: Lab, passed: Iterable[str]) -> int:
    """Weight passed over total weight, as a whole percent rounded half up (0 for a lab without weight)."""
    done = set(passed)
    total = lab.total_weight
    if total <= 0:
        return 0
    got = sum(c.weight for c in lab.checks if c.id in done)
    return (200 * got + total) // (2 * total)


def score_report(lab: Lab, results: Iterable[CheckResult]) -> LabReport:
    """A report scored by the lab rule from the pass/fail of each check. Raises ValueError naming a check id that
    the lab does not have, a check reported twice, or a check missing."""
    by_id: dict[str, CheckResult] = {}
    for r in results:
        if lab.check(r.check_id) is None:
            raise ValueError(f"lab {lab.id} has no check {r.check_id!r}")
        if r.check_id in by_id:
            raise ValueError(f"check {r.check_id!r} is reported twice")
        by_id[r.check_id] = r
    missing = [c.id for c in lab.checks if c.id not in by_id]
    if missing:
        raise ValueError(f"the report lacks check(s) {', '.join(missing)} of lab {lab.id}")
    ordered = tuple(by_id[c.id] for c in lab.checks)
    score = lab_score(lab, (r.check_id for r in ordered if r.passed))
    return LabReport(lab.id, ordered, score, all(r.passed for r in ordered))


def lab_evidence(labs: Iterable[Lab], reports: Iterable[LabReport]) -> dict[str, float]:
    """Per objective: the mean over its labs with a report of each lab's best score, as a fraction 0-1."""
    best: dict[str, int] = {}
    for r in reports:
        best[r.lab_id] = max(best.get(r.lab_id, 0), r.score)
    scores: dict[str, list[float]] = {}
    for lab in labs:
        if lab.id in best:
            for objective in lab.objectives:
                scores.setdefault(objective, []).append(best[lab.id] / 100)
    return {o: sum(v) / len(v) for o, v in scores.items()}


def combine_mastery(items: Mapping[str, float], labs: Mapping[str, float]) -> dict[str, float]:
    """Items' mastery and labs' evidence per objective: the mean where both exist, else the one that does."""
    out = dict(items)
    for objective, value in labs.items():
        out[objective] = (out[objective] + value) / 2 if objective in out else value
    return out
