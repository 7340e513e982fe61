"""The catalog: certifications, exams, versioned skills outlines, learning paths, roles, providers, notes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, NewType, TypeVar

from certprep.errors import UnknownReference

CertificationId = NewType("CertificationId", str)
ObjectiveId = NewType("ObjectiveId", str)

Level = Literal["fundamentals", "associate", "expert", "specialty"]
LEVELS: tuple[Level, ...] = ("fundamentals", "associate", "expert", "specialty")


@dataclass(frozen=True, slots=True)
class Provenance:
    """When a fact was true and where it comes from."""

    as_of: date
    source: str


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"


@dataclass(frozen=True, slots=True)
class Price:
    """An exam price: a default (None when the facts give none) with per-country overrides."""

    default: Money | None
    provenance: Provenance
    overrides: tuple[tuple[str, Money], ...] = ()

    def for_country(self, country: str | None = None) -> Money | None:
        """The price in a country (ISO 3166 alpha-2), else the default; None means unknown."""
        if country:
            for code, money in self.overrides:
                if code == country.upper():
                    return money
        return self.default


@dataclass(frozen=True, slots=True)
class Validity:
    """How long a certification stays valid: some months, never expires, or not known."""

    kind: Literal["months", "never", "unknown"]
    provenance: Provenance
    months: int | None = None


@dataclass(frozen=True, slots=True)
class CertRef:
    certification: CertificationId


@dataclass(frozen=True, slots=True)
class AllOf:
    terms: tuple[Requirement, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    terms: tuple[Requirement, ...]


Requirement = CertRef | AllOf | AnyOf


def referenced_certifications(req: Requirement | None) -> Iterator[CertificationId]:
    """Every certification id named in a requirement expression."""
    if req is None:
        return
    if isinstance(req, CertRef):
        yield req.certification
    else:
        for term in req.terms:
            yield from referenced_certifications(term)


def describe_requirement(req: Requirement, names: Mapping[CertificationId, str]) -> str:
    """A requirement as readable text, e.g. 'A AND (B OR C)'."""
    if isinstance(req, CertRef):
        return names.get(req.certification, req.certification)
    joiner = " AND " if isinstance(req, AllOf) else " OR "
    parts = [
        f"({describe_requirement(t, names)})"
        if not isinstance(t, CertRef)
        else describe_requirement(t, names)
        for t in req.terms
    ]
    return joiner.join(parts)


@dataclass(frozen=True, slots=True)
class Simulation:
    """How certprep simulates the exam: form length, time and item-type mix (Microsoft publishes no type mix)."""

    scored_items: int
    min_items: int
    max_items: int
    minutes: int
    minutes_with_labs: int
    type_mix: tuple[tuple[str, float], ...]
    case_studies: int
    pilot_items: int
    note: str


@dataclass(frozen=True, slots=True)
class Exam:
    code: str
    title: str
    price: Price
    duration_minutes: int | None
    duration_note: str
    study_hours: int
    study_hours_note: str
    simulation: Simulation | None = None


@dataclass(frozen=True, slots=True)
class Certification:
    """A credential: earned by passing its exam once its prerequisite certifications are held."""

    id: CertificationId
    name: str
    issuer: str
    level: Level
    exam: Exam
    status: Literal["active", "retired"]
    validity: Validity
    provenance: Provenance
    url: str
    requires: Requirement | None = None
    retired_on: date | None = None
    successor: CertificationId | None = None
    notes: tuple[str, ...] = ()

    @property
    def retired(self) -> bool:
        return self.status == "retired"

    def retired_by(self, day: date) -> bool:
        """Whether the certification has retired on or before a day."""
        return self.retired and (self.retired_on is None or self.retired_on <= day)


@dataclass(frozen=True, slots=True)
class Objective:
    id: ObjectiveId
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class Skill:
    id: str
    code: str
    title: str
    objectives: tuple[Objective, ...]


@dataclass(frozen=True, slots=True)
class FunctionalGroup:
    id: str
    code: str
    title: str
    weight: tuple[int, int]
    skills: tuple[Skill, ...]

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for s in self.skills for o in s.objectives)


@dataclass(frozen=True, slots=True)
class Outline:
    """One version of an exam's skills outline. Objective ids are names that survive rewording."""

    exam: str
    version: date
    provenance: Provenance
    groups: tuple[FunctionalGroup, ...]
    previous: date | None = None
    renamed_from: tuple[tuple[ObjectiveId, ObjectiveId], ...] = ()
    note: str = ""

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for g in self.groups for o in g.objectives)

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)

    def group_of(self, objective_id: str) -> FunctionalGroup | None:
        return next((g for g in self.groups if any(o.id == objective_id for o in g.objectives)), None)

    def map_to_previous(self, previous: Outline) -> dict[ObjectiveId, ObjectiveId | None]:
        """Each objective id of this version -> the id it had in the previous version (None: added)."""
        renamed = dict(self.renamed_from)
        old_ids = {o.id for o in previous.objectives}
        result: dict[ObjectiveId, ObjectiveId | None] = {}
        for obj in self.objectives:
            old = renamed.get(obj.id, obj.id)
            result[obj.id] = old if old in old_ids else None
        return result


@dataclass(frozen=True, slots=True)
class OutlineChange:
    kind: Literal["added", "removed", "reworded", "moved"]
    objective: ObjectiveId
    old_text: str | None
    new_text: str | None
    old_id: ObjectiveId | None = None


def diff_outlines(old: Outline, new: Outline) -> list[OutlineChange]:
    """Objectives added, removed and reworded between two outline versions, following renamed ids."""
    mapping = new.map_to_previous(old) if new.previous == old.version else _identity_map(old, new)
    changes: list[OutlineChange] = []
    matched: set[str] = set()
    for obj in new.objectives:
        old_id = mapping.get(obj.id)
        old_obj = old.objective(old_id) if old_id else None
        if old_obj is None:
            changes.append(OutlineChange("added", obj.id, None, obj.text))
            continue
        matched.add(old_obj.id)
        if old_obj.text != obj.text:
            changes.append(OutlineChange("reworded", obj.id, old_obj.text, obj.text, old_id=old_obj.id))
        old_group, new_group = old.group_of(old_obj.id), new.group_of(obj.id)
        if old_group and new_group and old_group.id != new_group.id:
            changes.append(
                OutlineChange("moved", obj.id, old_group.title, new_group.title, old_id=old_obj.id)
            )
    for old_obj in old.objectives:
        if old_obj.id not in matched:
            changes.append(OutlineChange("removed", old_obj.id, old_obj.text, None))
    return changes


def _identity_map(old: Outline, new: Outline) -> dict[ObjectiveId, ObjectiveId | None]:
    old_ids = {o.id for o in old.objectives}
    return {o.id: (o.id if o.id in old_ids else None) for o in new.objectives}


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    kind: Literal["official", "commercial", "community"]
    url: str | None
    paths: tuple[str, ...]
    note: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class LearningPath:
    id: str
    name: str
    covers: str
    certifications: tuple[CertificationId, ...]
    provenance: Provenance
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    recommended: tuple[CertificationId, ...]
    provenance: Provenance
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NextStep:
    after: CertificationId
    track: Literal["same-track", "cross-track", "leadership"]
    certification: CertificationId
    reason: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Correction:
    """A claim of the source article that is wrong or outdated, with the fact that replaces it."""

    id: str
    claim: str
    fact: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class PackSettings:
    expired_prerequisite_counts: bool = True
    expired_prerequisite_note: str = ""
    localized_lag_days: int = 56
    retake_policy_source: str = ""
    renewal_policy_source: str = ""


@dataclass(frozen=True, slots=True)
class Retirement:
    """A topic or service that retires on a date: items tied to it (`retires_with`) leave exams on that day."""

    id: str
    title: str
    on: date
    source: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything a pack says about credentials; lookups accept ids and exam codes, any case."""

    pack_id: str
    certifications: tuple[Certification, ...]
    outlines: tuple[Outline, ...]
    paths: tuple[LearningPath, ...]
    roles: tuple[Role, ...]
    next_steps: tuple[NextStep, ...]
    providers: tuple[Provider, ...]
    corrections: tuple[Correction, ...]
    settings: PackSettings = field(default_factory=PackSettings)
    retirements: tuple[Retirement, ...] = ()

    def certification(self, ref: str) -> Certification:
        """Find a certification by id or exam code, case-insensitive."""
        key = ref.strip().lower()
        for cert in self.certifications:
            if cert.id.lower() == key or cert.exam.code.lower() == key:
                return cert
        raise UnknownReference(
            f"unknown certification or exam {ref!r}",
            reference=ref,
            known=sorted(c.exam.code for c in self.certifications),
        )

    def get(self, cert_id: CertificationId) -> Certification:
        return self.certification(cert_id)

    def names(self) -> dict[CertificationId, str]:
        return {c.id: c.name for c in self.certifications}

    def role(self, ref: str) -> Role:
        """Find a role by id or name, case-insensitive."""
        return _find(self.roles, ref, "role")

    def path(self, ref: str) -> LearningPath:
        """Find a learning path by id or name, case-insensitive."""
        return _find(self.paths, ref, "learning path")

    def outline_versions(self, exam: str) -> list[Outline]:
        """The outlines of an exam, oldest first."""
        return sorted((o for o in self.outlines if o.exam.lower() == exam.lower()), key=lambda o: o.version)

    def outline(self, exam: str, version: date | None = None) -> Outline:
        """One outline version of an exam; the newest when no version is given."""
        versions = self.outline_versions(exam)
        if not versions:
            raise UnknownReference(f"no skills outline for exam {exam!r}", reference=exam)
        if version is None:
            return versions[-1]
        for outline in versions:
            if outline.version == version:
                return outline
        raise UnknownReference(
            f"exam {exam} has no outline version {version.isoformat()}",
            reference=version.isoformat(),
            known=[o.version.isoformat() for o in versions],
        )

    def outline_for_sitting(self, exam: str, language: str, day: date) -> Outline:
        """The outline a sitting follows: English gets a revision at once, other languages about 8 weeks later."""
        lag = (
            timedelta(0)
            if language.lower().startswith("en")
            else timedelta(days=self.settings.localized_lag_days)
        )
        versions = [o for o in self.outline_versions(exam) if o.version + lag <= day]
        if not versions:
            return self.outline(exam)
        return versions[-1]


_T = TypeVar("_T", Role, LearningPath)


def _find(items: tuple[_T, ...], ref: str, kind: str) -> _T:
    key = ref.strip().lower()
    for item in items:
        if key in (item.id.lower(), item.name.lower()):
            return item
    raise UnknownReference(f"unknown {kind} {ref!r}", reference=ref, known=sorted(i.id for i in items))
