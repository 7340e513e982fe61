"""A pack's hands-on labs: `labs/<lab id>/lab.yaml` (id, title, objectives, minutes, checks), `task.md`,
`starter/` and `solution/` (each may hold a `setup.yaml` of git steps, see `labcheck.gitsetup`), loaded into
`domain.labs.Lab` values with every problem as file:line: unknown objectives (not in the current outline), unknown
check kinds, bad arguments, non-http(s) documentation links, duplicate ids, a missing task, starter or solution.

A lab's solution is its starter with the solution's files laid over it (a `setup.yaml` in the solution replaces
the starter's): that is what `certprep lab` builds and what the tests check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from certprep.domain.catalog import Catalog
from certprep.domain.labs import Check, Lab, args_problems
from certprep.errors import PackInvalid
from certprep.packs.links import WebUrl
from certprep.packs.yamlfile import Located, Problem, YamlError, read_yaml, validation_problems

LABS_DIR = "labs"
LAB_FILE = "lab.yaml"
TASK_FILE = "task.md"
SETUP_FILE = "setup.yaml"
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
STEP_KEYS = ("commit", "branch", "checkout", "merge", "tag", "cherry-pick")
REF = r"^[A-Za-z0-9][A-Za-z0-9._/~^-]{0,199}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckModel(_Strict):
    id: Id
    title: str = Field(min_length=3, max_length=200)
    kind: str
    args: dict[str, Any] = {}
    weight: int = Field(ge=1, le=10)
    hint: str = Field(min_length=10, max_length=1000)
    doc: WebUrl
    timeout: float = Field(default=5.0, gt=0, le=30)


class LabModel(_Strict):
    id: Id
    title: str = Field(min_length=3, max_length=200)
    objectives: list[str] = Field(min_length=1)
    minutes: int = Field(ge=5, le=240)
    note: str = ""
    checks: list[CheckModel] = Field(min_length=1)


class StepModel(_Strict):
    commit: str | None = Field(default=None, min_length=1)
    files: dict[str, str] = {}
    delete: list[str] = []
    branch: str | None = Field(default=None, pattern=REF)
    checkout: str | None = Field(default=None, pattern=REF)
    merge: str | None = Field(default=None, pattern=REF)
    tag: str | None = Field(default=None, pattern=REF)
    message: str | None = None
    cherry_pick: str | None = Field(default=None, alias="cherry-pick", pattern=REF)


class SetupModel(_Strict):
    steps: list[StepModel]


@dataclass(frozen=True, slots=True)
class LoadedLabs:
    labs: tuple[Lab, ...]
    problems: tuple[Problem, ...]


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return str(path)


def current_objectives(catalog: Catalog) -> set[str]:
    """Objective ids of the newest outline of each exam the catalog has."""
    exams = {o.exam for o in catalog.outlines}
    return {obj.id for e in exams for obj in catalog.outline(e).objectives}


def load_labs(root: Path, catalog: Catalog | None) -> LoadedLabs:
    """Every lab of a pack, and every problem found (a lab with an error is left out)."""
    folder = root / LABS_DIR
    if not folder.is_dir():
        return LoadedLabs((), ())
    known = current_objectives(catalog) if catalog is not None else None
    labs: list[Lab] = []
    problems: list[Problem] = []
    for lab_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        lab, found = _load_lab(root, lab_dir, known)
        problems.extend(found)
        if lab is not None and not any(p.severity == "error" for p in found):
            labs.append(lab)
    return LoadedLabs(tuple(labs), tuple(problems))


def _load_lab(root: Path, lab_dir: Path, known: set[str] | None) -> tuple[Lab | None, list[Problem]]:
    path = lab_dir / LAB_FILE
    rel = _rel(root, path)
    if not path.is_file():
        return None, [Problem(rel, 1, f"lab folder {lab_dir.name} has no {LAB_FILE}")]
    try:
        located = read_yaml(path)
        model = LabModel.model_validate(located.data)
    except YamlError as exc:
        return None, [Problem(rel, exc.line, exc.message)]
    except ValidationError as exc:
        return None, validation_problems(exc, located, rel)
    problems = _lab_rules(root, lab_dir, model, located, rel, known)
    task_path = lab_dir / TASK_FILE
    task = task_path.read_text(encoding="utf-8") if task_path.is_file() else ""
    checks = tuple(
        Check(c.id, c.title, c.kind, dict(c.args), c.weight, c.hint, c.doc, c.timeout) for c in model.checks
    )
    lab = Lab(
        model.id, model.title, tuple(model.objectives), model.minutes, checks, task, str(lab_dir), model.note
    )
    return lab, problems


def _lab_rules(
    root: Path, lab_dir: Path, model: LabModel, located: Located, rel: str, known: set[str] | None
) -> list[Problem]:
    out: list[Problem] = []
    if model.id != lab_dir.name:
        out.append(
            Problem(
                rel, located.line_of(("id",)), f"id {model.id!r} differs from its folder {lab_dir.name!r}"
            )
        )
    for i, objective in enumerate(model.objectives):
        if known is not None and objective not in known:
            out.append(
                Problem(
                    rel,
                    located.line_of(("objectives", i)),
                    f"objectives.{i}: {objective!r} is not an objective of the current outline",
                )
            )
    seen: set[str] = set()
    for i, c in enumerate(model.checks):
        if c.id in seen:
            out.append(
                Problem(rel, located.line_of(("checks", i, "id")), f"checks.{i}.id: {c.id!r} is used twice")
            )
        seen.add(c.id)
        for message in args_problems(c.kind, c.args):
            key = "kind" if message.startswith("unknown check kind") else "args"
            out.append(Problem(rel, located.line_of(("checks", i, key)), f"checks.{i} ({c.id}): {message}"))
    if not (lab_dir / TASK_FILE).is_file():
        out.append(Problem(rel, 1, f"lab {model.id} has no {TASK_FILE}"))
    for part in ("starter", "solution"):
        if not (lab_dir / part).is_dir() or not any((lab_dir / part).iterdir()):
            out.append(Problem(rel, 1, f"lab {model.id} has no {part}/ files"))
        elif (lab_dir / part / SETUP_FILE).is_file():
            out.extend(setup_problems(root, lab_dir / part / SETUP_FILE))
    links = [p for p in (lab_dir).rglob("*") if p.is_symlink()]
    out.extend(Problem(_rel(root, p), 1, "a lab may not ship a symbolic link") for p in links)
    return out


def _check_paths(step: StepModel) -> list[str]:
    bad = []
    for name in [*step.files, *step.delete]:
        if not name or Path(name).is_absolute() or ".." in Path(name).parts or name.split("/")[0] == ".git":
            bad.append(name)
    return bad


def setup_problems(root: Path, path: Path) -> list[Problem]:
    """Problems of a setup.yaml: one step key per step, paths inside the folder."""
    rel = _rel(root, path)
    try:
        located = read_yaml(path)
        model = SetupModel.model_validate(located.data)
    except YamlError as exc:
        return [Problem(rel, exc.line, exc.message)]
    except ValidationError as exc:
        return validation_problems(exc, located, rel)
    out = []
    for i, step in enumerate(model.steps):
        keys = [k for k in STEP_KEYS if getattr(step, k.replace("-", "_")) is not None]
        if len(keys) != 1:
            out.append(
                Problem(
                    rel,
                    located.line_of(("steps", i)),
                    f"steps.{i}: give exactly one of {', '.join(STEP_KEYS)}",
                )
            )
        for name in _check_paths(step):
            out.append(
                Problem(
                    rel,
                    located.line_of(("steps", i)),
                    f"steps.{i}: {name!r} is not a path inside the lab folder",
                )
            )
    return out


def load_setup(path: Path) -> list[dict[str, Any]]:
    """The steps of a setup.yaml as plain mappings (PackInvalid listing the problems when it is wrong)."""
    problems = setup_problems(path.parent, path)
    if problems:
        raise PackInvalid(f"{path} is invalid", [str(p) for p in problems])
    model = SetupModel.model_validate(read_yaml(path).data)
    return [s.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True) for s in model.steps]


def lab_problems(root: Path, catalog: Catalog | None) -> list[Problem]:
    """For `certprep pack check`: every problem of the pack's labs."""
    return list(load_labs(root, catalog).problems)
