"""Reads a pack's plan.yaml (the study planner's rules) and checks every id in it against the pack's catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from certprep.domain.catalog import Catalog
from certprep.domain.planner import PRESETS, PlanRules, PresetName, PresetWording
from certprep.errors import PackInvalid
from certprep.packs.catalog import load_catalog
from certprep.packs.yamlfile import Located, Problem, YamlError, read_yaml, validation_problems

PLAN_FILE = "plan.yaml"
# A multiplier outside 0.2-5 is surely a typo (5 means five times the outline's share of the time).
Multiplier = Annotated[float, Field(ge=0.2, le=5)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WordingModel(_Strict):
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)


class PresetsModel(_Strict):
    intensive: WordingModel
    balanced: WordingModel
    comprehensive: WordingModel


class PrerequisiteModel(_Strict):
    hours: float = Field(ge=0, le=200)
    satisfied_by: list[str] = Field(min_length=1)


class AdjustmentModel(_Strict):
    groups: dict[str, Multiplier] = {}
    objectives: dict[str, Multiplier] = {}


class PlanFile(_Strict):
    presets: PresetsModel
    prerequisite: PrerequisiteModel
    prerequisite_adjustments: dict[str, AdjustmentModel] = {}


def load_plan_rules(pack_dir: Path) -> PlanRules:
    """The pack's plan rules; PackInvalid naming file:line and key for anything wrong. A pack without plan.yaml
    gets the built-in presets' wording, no prerequisite block and no adjustments."""
    path = pack_dir / PLAN_FILE
    if not path.exists():
        return PlanRules(
            presets=tuple(PresetWording(p.name, p.title, p.description) for p in PRESETS.values())
        )
    rel = _rel(pack_dir, path)
    try:
        located = read_yaml(path)
        model = PlanFile.model_validate(located.data)
    except YamlError as exc:
        raise _invalid(rel, [Problem(rel, exc.line, exc.message)]) from exc
    except ValidationError as exc:
        raise _invalid(rel, validation_problems(exc, located, rel)) from exc
    catalog, problems = load_catalog(pack_dir)
    if catalog is None:
        raise PackInvalid(
            f"content pack {pack_dir} is invalid, so {rel} cannot be checked",
            [str(p) for p in problems if p.severity == "error"],
        )
    problems = _unknown_ids(model, located, rel, catalog)
    if problems:
        raise _invalid(rel, problems)
    return _rules(model)


def _rel(pack_dir: Path, path: Path) -> str:
    try:
        return str(path.relative_to(pack_dir.parent))
    except ValueError:
        return str(path)


def _invalid(rel: str, problems: list[Problem]) -> PackInvalid:
    first = f": {problems[0]}" if len(problems) == 1 else f" ({len(problems)} problems)"
    return PackInvalid(f"{rel} is invalid{first}", [str(p) for p in problems])


def _unknown_ids(model: PlanFile, located: Located, rel: str, catalog: Catalog) -> list[Problem]:
    """Certification, group and objective ids that the pack's catalog and outlines do not know."""
    certs = {c.id for c in catalog.certifications}
    groups = {g.id for o in catalog.outlines for g in o.groups}
    objectives = {obj.id for o in catalog.outlines for obj in o.objectives}
    problems: list[Problem] = []

    def unknown(where: tuple[str | int, ...], what: str, value: str) -> None:
        key = ".".join(str(x) for x in where)
        problems.append(Problem(rel, located.line_of(where), f"{key}: unknown {what} {value!r}"))

    for i, cert in enumerate(model.prerequisite.satisfied_by):
        if cert not in certs:
            unknown(("prerequisite", "satisfied_by", i), "certification", cert)
    for cert, adj in model.prerequisite_adjustments.items():
        if cert not in certs:
            unknown(("prerequisite_adjustments", cert), "certification", cert)
        for gid in adj.groups:
            if gid not in groups:
                unknown(("prerequisite_adjustments", cert, "groups", gid), "functional group", gid)
        for oid in adj.objectives:
            if oid not in objectives:
                unknown(("prerequisite_adjustments", cert, "objectives", oid), "objective", oid)
    return problems


def _rules(model: PlanFile) -> PlanRules:
    names: tuple[PresetName, ...] = ("intensive", "balanced", "comprehensive")
    return PlanRules(
        presets=tuple(
            PresetWording(n, getattr(model.presets, n).title, getattr(model.presets, n).description)
            for n in names
        ),
        prerequisite_hours=model.prerequisite.hours,
        prerequisite_certifications=tuple(model.prerequisite.satisfied_by),
        adjustments={
            cert: {"groups": dict(adj.groups), "objectives": dict(adj.objectives)}
            for cert, adj in model.prerequisite_adjustments.items()
        },
    )
