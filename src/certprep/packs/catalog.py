"""Reads a pack's catalog files (pack.yaml, certifications, outlines, paths, roles, providers, corrections,
retirements)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from certprep.domain.catalog import (
    AllOf,
    AnyOf,
    Catalog,
    Certification,
    CertificationId,
    CertRef,
    Correction,
    Exam,
    FunctionalGroup,
    LearningPath,
    Money,
    NextStep,
    Objective,
    ObjectiveId,
    Outline,
    PackSettings,
    Price,
    Provenance,
    Provider,
    Requirement,
    Role,
    Simulation,
    Skill,
    Validity,
    referenced_certifications,
)
from certprep.packs.links import SourceText, WebUrl
from certprep.packs.retirements import read_retirements
from certprep.packs.yamlfile import Located, Problem, YamlError, read_yaml, validation_problems

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_M = TypeVar("_M", bound=BaseModel)
DEFAULT_HOURS_NOTE = "certprep's estimate for a working engineer; the study planner refines it from evidence."


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Fact(_Strict):
    as_of: date
    source: SourceText = Field(min_length=1)


class MoneyModel(_Strict):
    amount: int = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class PriceModel(_Fact):
    amount: int | Literal["unknown"]
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    countries: dict[str, MoneyModel] = {}

    @model_validator(mode="after")
    def _currency(self) -> PriceModel:
        if self.amount != "unknown" and self.currency is None:
            raise ValueError("a known price needs a currency")
        return self


class ValidityModel(_Fact):
    months: int | Literal["never", "unknown"]


class SimulationModel(_Strict):
    scored_items: int = Field(ge=1)
    min_items: int = Field(default=40, ge=1)
    max_items: int = Field(default=60, ge=1)
    minutes: int = Field(gt=0)
    minutes_with_labs: int = Field(gt=0)
    type_mix: dict[Literal["single", "multiple", "build-list", "drag-drop", "hot-area", "yes-no"], float]
    case_studies: int = Field(default=1, ge=0, le=3)
    pilot_items: int = Field(default=0, ge=0)
    note: str = ""

    @model_validator(mode="after")
    def _sane(self) -> SimulationModel:
        if not self.min_items <= self.scored_items <= self.max_items:
            raise ValueError("scored_items must lie between min_items and max_items")
        if abs(sum(self.type_mix.values()) - 1) > 0.001 or any(v < 0 for v in self.type_mix.values()):
            raise ValueError("type_mix shares must be non-negative and add up to 1")
        return self


class ExamModel(_Strict):
    code: str = Field(pattern=r"^[A-Z]{2,5}(-[0-9]{2,4})?$")
    title: str
    price: PriceModel
    duration_minutes: int | None = Field(default=None, gt=0)
    duration_note: str = ""
    study_hours: int = Field(gt=0)
    study_hours_note: str = DEFAULT_HOURS_NOTE
    simulation: SimulationModel | None = None


class RequirementModel(_Strict):
    cert: str | None = None
    all: list[RequirementModel] | None = None
    any: list[RequirementModel] | None = None

    @model_validator(mode="after")
    def _one(self) -> RequirementModel:
        given = [k for k in ("cert", "all", "any") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a requirement is exactly one of {cert: id}, {all: [...]} or {any: [...]}")
        return self

    def to_domain(self) -> Requirement:
        if self.cert is not None:
            return CertRef(CertificationId(self.cert))
        terms = tuple(t.to_domain() for t in (self.all or self.any or []))
        return AllOf(terms) if self.all is not None else AnyOf(terms)


class CertificationModel(_Fact):
    id: str = Field(pattern=SLUG)
    name: str
    issuer: str
    level: Literal["fundamentals", "associate", "expert", "specialty"]
    status: Literal["active", "retired"]
    retired_on: date | None = None
    successor: str | None = None
    url: Annotated[WebUrl, Field(pattern=r"^https://")]
    validity: ValidityModel
    requires: RequirementModel | None = None
    notes: list[str] = []
    exam: ExamModel

    @model_validator(mode="after")
    def _retirement(self) -> CertificationModel:
        if self.status == "retired" and self.retired_on is None:
            raise ValueError("a retired certification needs retired_on")
        if self.status == "active" and (self.retired_on or self.successor):
            raise ValueError("an active certification has no retired_on or successor")
        return self


class CertificationsFile(_Strict):
    defaults: dict[str, Any] = {}
    certifications: list[CertificationModel]


class ObjectiveModel(_Strict):
    id: str = Field(pattern=SLUG)
    code: str
    text: str


class SkillModel(_Strict):
    id: str = Field(pattern=SLUG)
    code: str
    title: str
    objectives: list[ObjectiveModel]


class GroupModel(_Strict):
    id: str = Field(pattern=SLUG)
    code: str
    title: str
    weight: tuple[int, int]
    skills: list[SkillModel]

    @model_validator(mode="after")
    def _weights(self) -> GroupModel:
        low, high = self.weight
        if not 0 <= low <= high <= 100:
            raise ValueError("weight must be [low, high] percentages with low <= high")
        return self


class OutlineModel(_Fact):
    exam: str
    version: date
    previous: date | None = None
    renamed_from: dict[str, str] = {}
    note: str = ""
    groups: list[GroupModel] = Field(min_length=1)


class PathModel(_Fact):
    id: str = Field(pattern=SLUG)
    name: str
    covers: str
    certifications: list[str] = Field(min_length=1)
    notes: list[str] = []


class RoleModel(_Fact):
    id: str = Field(pattern=SLUG)
    name: str
    recommended: list[str] = Field(min_length=1)
    notes: list[str] = []


class NextStepModel(_Fact):
    after: str
    track: Literal["same-track", "cross-track", "leadership"]
    certification: str
    reason: str


class RolesFile(_Strict):
    roles: list[RoleModel]
    next_steps: list[NextStepModel] = []


class PathsFile(_Strict):
    paths: list[PathModel]


class ProviderModel(_Fact):
    id: str = Field(pattern=SLUG)
    name: str
    kind: Literal["official", "commercial", "community"]
    url: WebUrl | None
    paths: list[str]
    note: str


class ProvidersFile(_Strict):
    providers: list[ProviderModel]


class CorrectionModel(_Fact):
    id: str = Field(pattern=SLUG)
    claim: str
    fact: str


class CorrectionsFile(_Strict):
    corrections: list[CorrectionModel]


class SettingsModel(_Strict):
    expired_prerequisite_counts: bool = True
    expired_prerequisite_note: str = ""
    localized_lag_days: int = Field(default=56, ge=0)


class PackFile(_Strict):
    id: str = Field(pattern=SLUG)
    name: str
    version: int
    exam: str
    settings: SettingsModel = SettingsModel()


class _Reader:
    """Collects problems across files so one run reports them all."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def read(self, path: Path, model: type[_M], required: bool = True) -> tuple[_M | None, Located | None]:
        if not path.exists():
            if required:
                self.problems.append(Problem(self.rel(path), 1, "file is missing"))
            return None, None
        try:
            located = read_yaml(path)
        except YamlError as exc:
            self.problems.append(Problem(self.rel(path), exc.line, exc.message))
            return None, None
        try:
            return model.model_validate(located.data), located
        except ValidationError as exc:
            self.problems.extend(validation_problems(exc, located, self.rel(path)))
            return None, located


def load_catalog(root: Path) -> tuple[Catalog | None, list[Problem]]:
    """Read and cross-check a pack's catalog; a Catalog only when there is no error."""
    r = _Reader(root)
    pack, _ = r.read(root / "pack.yaml", PackFile)
    certs_file, certs_loc = r.read(root / "certifications.yaml", CertificationsFile)
    paths_file, paths_loc = r.read(root / "paths.yaml", PathsFile)
    roles_file, roles_loc = r.read(root / "roles.yaml", RolesFile)
    providers_file, _ = r.read(root / "providers.yaml", ProvidersFile, required=False)
    corrections_file, _ = r.read(root / "corrections.yaml", CorrectionsFile, required=False)
    outlines = []
    for path in sorted((root / "outlines").glob("*.yaml")):
        model, loc = r.read(path, OutlineModel)
        if model is not None and loc is not None:
            outlines.append((path, model, loc))
    if pack is None or certs_file is None or certs_loc is None or paths_file is None or roles_file is None:
        return None, r.problems
    certifications = _build_certifications(r, root / "certifications.yaml", certs_file, certs_loc)
    known = {c.id for c in certifications}
    _check_refs(
        r,
        root / "paths.yaml",
        paths_loc,
        [(("paths", i, "certifications"), p.certifications) for i, p in enumerate(paths_file.paths)],
        known,
    )
    _check_refs(
        r,
        root / "roles.yaml",
        roles_loc,
        [(("roles", i, "recommended"), x.recommended) for i, x in enumerate(roles_file.roles)],
        known,
    )
    _check_refs(
        r,
        root / "roles.yaml",
        roles_loc,
        [(("next_steps", i), [n.after, n.certification]) for i, n in enumerate(roles_file.next_steps)],
        known,
    )
    domain_outlines = [_build_outline(r, path, m, loc) for path, m, loc in outlines]
    retirements, retirement_problems = read_retirements(root)
    r.problems.extend(retirement_problems)
    if any(p.severity == "error" for p in r.problems):
        return None, r.problems
    settings = pack.settings
    catalog = Catalog(
        pack_id=pack.id,
        certifications=tuple(certifications),
        outlines=tuple(o for o in domain_outlines if o is not None),
        paths=tuple(
            LearningPath(
                p.id,
                p.name,
                p.covers,
                tuple(CertificationId(c) for c in p.certifications),
                _prov(p),
                tuple(p.notes),
            )
            for p in paths_file.paths
        ),
        roles=tuple(
            Role(x.id, x.name, tuple(CertificationId(c) for c in x.recommended), _prov(x), tuple(x.notes))
            for x in roles_file.roles
        ),
        next_steps=tuple(
            NextStep(CertificationId(n.after), n.track, CertificationId(n.certification), n.reason, _prov(n))
            for n in roles_file.next_steps
        ),
        providers=tuple(
            Provider(p.id, p.name, p.kind, p.url, tuple(p.paths), p.note, _prov(p))
            for p in (providers_file.providers if providers_file else [])
        ),
        corrections=tuple(
            Correction(c.id, c.claim, c.fact, _prov(c))
            for c in (corrections_file.corrections if corrections_file else [])
        ),
        settings=PackSettings(
            expired_prerequisite_counts=settings.expired_prerequisite_counts,
            expired_prerequisite_note=settings.expired_prerequisite_note,
            localized_lag_days=settings.localized_lag_days,
        ),
        retirements=retirements,
    )
    return catalog, r.problems


def _prov(m: _Fact) -> Provenance:
    return Provenance(m.as_of, m.source)


def _price(p: PriceModel) -> Price:
    default = None if p.amount == "unknown" or p.currency is None else Money(p.amount, p.currency)
    overrides = tuple((code.upper(), Money(m.amount, m.currency)) for code, m in p.countries.items())
    return Price(default, _prov(p), overrides)


def _simulation(m: SimulationModel | None) -> Simulation | None:
    if m is None:
        return None
    return Simulation(
        m.scored_items,
        m.min_items,
        m.max_items,
        m.minutes,
        m.minutes_with_labs,
        tuple(sorted(m.type_mix.items())),
        m.case_studies,
        m.pilot_items,
        m.note,
    )


def _build_certifications(
    r: _Reader, path: Path, file: CertificationsFile, loc: Located
) -> list[Certification]:
    rel = r.rel(path)
    seen_ids: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    certs: list[Certification] = []
    for i, m in enumerate(file.certifications):
        for key, value, seen in (("id", m.id, seen_ids), ("exam.code", m.exam.code, seen_codes)):
            if value.lower() in seen:
                r.problems.append(
                    Problem(
                        rel,
                        loc.line_of(("certifications", i, *key.split("."))),
                        f"certifications[{i}].{key}: duplicate {value!r} (also certifications[{seen[value.lower()]}])",
                    )
                )
            seen[value.lower()] = i
        validity = Validity(
            "months" if isinstance(m.validity.months, int) else m.validity.months,
            _prov(m.validity),
            m.validity.months if isinstance(m.validity.months, int) else None,
        )
        exam = Exam(
            m.exam.code,
            m.exam.title,
            _price(m.exam.price),
            m.exam.duration_minutes,
            m.exam.duration_note,
            m.exam.study_hours,
            m.exam.study_hours_note,
            _simulation(m.exam.simulation),
        )
        certs.append(
            Certification(
                id=CertificationId(m.id),
                name=m.name,
                issuer=m.issuer,
                level=m.level,
                exam=exam,
                status=m.status,
                validity=validity,
                provenance=_prov(m),
                url=m.url,
                requires=m.requires.to_domain() if m.requires else None,
                retired_on=m.retired_on,
                successor=CertificationId(m.successor) if m.successor else None,
                notes=tuple(m.notes),
            )
        )
    known = {c.id for c in certs}
    for i, c in enumerate(certs):
        if c.successor is not None and c.successor not in known:
            r.problems.append(
                Problem(
                    rel,
                    loc.line_of(("certifications", i, "successor")),
                    f"certifications[{i}].successor: {c.successor!r} is not in the catalog",
                )
            )
        for ref in referenced_certifications(c.requires):
            if ref not in known:
                r.problems.append(
                    Problem(
                        rel,
                        loc.line_of(("certifications", i, "requires")),
                        f"certifications[{i}].requires: unknown certification {ref!r}",
                    )
                )
    cycle = _find_cycle(
        {c.id: [x for x in referenced_certifications(c.requires) if x in known] for c in certs}
    )
    if cycle:
        i = next(i for i, c in enumerate(certs) if c.id == cycle[0])
        r.problems.append(
            Problem(
                rel,
                loc.line_of(("certifications", i, "requires")),
                "prerequisite cycle: " + " -> ".join(cycle),
            )
        )
    return certs


def _find_cycle(graph: dict[CertificationId, list[CertificationId]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(CertificationId(node), []):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if node not in state and (found := visit(node)):
            return found
    return None


def _check_refs(
    r: _Reader,
    path: Path,
    loc: Located | None,
    refs: list[tuple[tuple[str | int, ...], list[str]]],
    known: set[CertificationId],
) -> None:
    for where, ids in refs:
        for ref in ids:
            if ref not in known:
                line = loc.line_of(where) if loc else 1
                field = ".".join(str(x) for x in where)
                r.problems.append(Problem(r.rel(path), line, f"{field}: unknown certification {ref!r}"))


def _build_outline(r: _Reader, path: Path, m: OutlineModel, loc: Located) -> Outline | None:
    rel = r.rel(path)
    seen: set[str] = set()
    for gi, g in enumerate(m.groups):
        for si, s in enumerate(g.skills):
            for oi, o in enumerate(s.objectives):
                if o.id in seen:
                    where = ("groups", gi, "skills", si, "objectives", oi, "id")
                    r.problems.append(Problem(rel, loc.line_of(where), f"duplicate objective id {o.id!r}"))
                seen.add(o.id)
    for new_id in m.renamed_from:
        if new_id not in seen:
            r.problems.append(
                Problem(
                    rel,
                    loc.line_of(("renamed_from", new_id)),
                    f"renamed_from: {new_id!r} is not an objective of this outline",
                )
            )
    groups = tuple(
        FunctionalGroup(
            g.id,
            g.code,
            g.title,
            g.weight,
            tuple(
                Skill(
                    s.id,
                    s.code,
                    s.title,
                    tuple(Objective(ObjectiveId(o.id), o.code, o.text) for o in s.objectives),
                )
                for s in g.skills
            ),
        )
        for g in m.groups
    )
    return Outline(
        exam=m.exam,
        version=m.version,
        provenance=_prov(m),
        groups=groups,
        previous=m.previous,
        renamed_from=tuple((ObjectiveId(k), ObjectiveId(v)) for k, v in m.renamed_from.items()),
        note=m.note,
    )
