"""`certprep lint`: recognise each file (Azure Pipelines or GitHub Actions) and lint it.

Recognition, in order: a file under `.github/workflows/` is a workflow; a .yml/.yaml file whose name contains
`azure-pipelines` (azure-pipelines.yml, ci.azure-pipelines.yml) is a pipeline;
otherwise the top-level keys decide: `jobs` as a mapping whose jobs have `runs-on` or `uses` is a workflow
(even without `on`, so the missing trigger is reported); a file with a top-level key of another tool
(GitLab's `image`/`script`/`include`, CircleCI's `workflows`/`orbs`/`version`, Kubernetes' `apiVersion`/`kind`,
compose's `services`, ...) is neither; `stages`, `jobs` or `steps` as a list of stages, jobs or steps
(items with a `stage`, `job`, `task`, `script`, `checkout`, `template`, ... key), `extends` as a mapping,
`trigger`, `pr`, `pool`, `resources`, `schedules`, `lockBehavior`, or a template's `parameters` with
`variables`/`steps`/`jobs`/`stages` is a pipeline. A file named on the command line that is
neither gets an `unknown-kind` finding; files met while walking a directory that are neither are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from certprep.labcheck.document import parse_document, read_text
from certprep.labcheck.findings import Finding, sorted_findings
from certprep.labcheck.pipelines import lint_pipeline, load_pipeline
from certprep.labcheck.workflows import lint_workflow, lint_workflows, load_workflow

__all__ = [
    "LintRun",
    "kind_of",
    "lint_paths",
    "lint_pipeline",
    "lint_workflow",
    "load_pipeline",
    "load_workflow",
    "run_lint",
]

Kind = Literal["azure-pipelines", "github-actions"]
_PIPELINE_ONLY_KEYS = frozenset({"trigger", "pr", "pool", "resources", "schedules", "lockBehavior"})
# Top-level keys of other CI systems and of Kubernetes-style files, which Azure Pipelines never has at the top:
# GitLab CI, CircleCI, Bitbucket, Travis, Drone/Woodpecker/Tekton, docker compose.
_OTHER_TOOLS = frozenset(
    {
        "apiVersion",
        "kind",
        "workflows",
        "image",
        "before_script",
        "script",
        "pipelines",
        "language",
        "services",
        "include",
        "default",
        "version",
        "orbs",
    }
)
_TEMPLATE_KEYS = frozenset({"variables", "steps", "jobs", "stages"})
_SUFFIXES = (".yml", ".yaml")
_SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"})
UNKNOWN_RULE = "unknown-kind"


def _top_level(text: str) -> dict[str, object] | None:
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    return {("on" if key is True else str(key)): value for key, value in data.items()}


def _by_path(path: Path) -> Kind | None:
    parts = [part.lower() for part in path.parts]
    if len(parts) >= 3 and parts[-3:-1] == [".github", "workflows"]:
        return "github-actions"
    if "azure-pipelines" in path.name.lower() and path.suffix.lower() in _SUFFIXES:
        return "azure-pipelines"
    return None


# The keys a pipeline's list items have (a file whose `steps:` include `- commit:` is something else).
_ITEM_KEYS = {
    "stages": frozenset({"stage", "template"}),
    "jobs": frozenset({"job", "deployment", "template"}),
    "steps": frozenset(
        {
            "task",
            "script",
            "bash",
            "pwsh",
            "powershell",
            "checkout",
            "download",
            "downloadBuild",
            "getPackage",
        }
        | {"publish", "upload", "template", "reviewApp", "restoreCache", "saveCache"}
    ),
}


def _items_start_with(value: object, keys: frozenset[str]) -> bool:
    """A list whose every mapping item has one of `keys` (or is a `${{ }}` directive), with one such item at least."""
    if not isinstance(value, list):
        return False
    items = [item for item in value if isinstance(item, dict) and item]
    return bool(items) and all(
        set(item) & keys or str(next(iter(item))).lstrip().startswith("${{") for item in items
    )


def kind_of(path: Path, text: str) -> Kind | None:
    """Which linter reads this file, or None when it is neither a pipeline nor a workflow."""
    found = _by_path(path)
    if found is not None:
        return found
    top = _top_level(text)
    if top is None:
        return None
    jobs = top.get("jobs")
    if isinstance(jobs, dict):
        runs = any(isinstance(job, dict) and ("runs-on" in job or "uses" in job) for job in jobs.values())
        if runs or ("on" in top and not jobs):
            return "github-actions"
    if set(top) & _OTHER_TOOLS:
        return None
    lists = [key for key, first in _ITEM_KEYS.items() if _items_start_with(top.get(key), first)]
    if lists or isinstance(top.get("extends"), dict) or set(top) & _PIPELINE_ONLY_KEYS:
        return "azure-pipelines"
    if "parameters" in top and set(top) & _TEMPLATE_KEYS:
        return "azure-pipelines"
    if set(top) == {"variables"}:
        return "azure-pipelines"
    return None


def walk(paths: Sequence[Path]) -> Iterator[tuple[Path, bool]]:
    """Each file to lint, with True when it was named (not found by walking a directory)."""
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
                for name in sorted(files):
                    if name.lower().endswith(_SUFFIXES):
                        yield Path(folder) / name, False
        else:
            yield path, True


@dataclass(frozen=True, slots=True)
class LintRun:
    """What one `certprep lint` saw: the findings and how many files were linted or could not be."""

    findings: tuple[Finding, ...]
    linted: int
    unlintable: int

    @property
    def errors(self) -> int:
        """Findings of severity error (unlintable files included)."""
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        """Findings of severity warning."""
        return sum(1 for f in self.findings if f.severity == "warning")

    def exit_code(self, *, strict: bool = False) -> int:
        """2 when a file could not be linted, else 1 on an error (or a warning when strict), else 0."""
        if self.unlintable:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0


def lint_paths(paths: Sequence[Path], *, root: Path | None = None) -> list[Finding]:
    """Lint files and folders: every finding, in file order. Unreadable or unknown files are findings too."""
    return list(run_lint(paths, root=root).findings)


def run_lint(paths: Sequence[Path], *, root: Path | None = None) -> LintRun:
    """Lint files and folders, counting the files linted and those that could not be."""
    findings: list[Finding] = []
    linted = unlintable = 0
    workflows: list[tuple[Path, str]] = []
    for path, named in walk(paths):
        shown = os.path.normpath(str(path))
        text, problems = read_text(path, shown)
        if text is None:
            findings.extend(problems)
            unlintable += 1
            continue
        kind = kind_of(path, text)
        if kind == "github-actions":
            workflows.append((path, shown))
        elif kind == "azure-pipelines":
            findings.extend(lint_pipeline(path, root=root, shown=shown))
            linted += 1
        elif named:
            syntax = [f for f in parse_document(text, shown).findings if f.rule == "yaml-syntax"]
            message = "not recognised as an Azure Pipelines or GitHub Actions file (nothing to lint)"
            findings.extend(syntax or [Finding(shown, 0, 0, message, UNKNOWN_RULE)])
            unlintable += 1
    for result in lint_workflows(workflows).values():
        findings.extend(result)
        linted += 1
    return LintRun(tuple(sorted_findings(findings)), linted, unlintable)
