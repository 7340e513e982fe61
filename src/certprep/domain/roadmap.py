"""The roadmap: eligibility for a goal, the ordered steps still missing, expiries, and known-mistake warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from certprep.domain.catalog import (
    AllOf,
    AnyOf,
    Catalog,
    Certification,
    CertificationId,
    CertRef,
    Money,
    NextStep,
    Requirement,
    describe_requirement,
    referenced_certifications,
)
from certprep.domain.plain import to_plain
from certprep.domain.policy import renewal_status
from certprep.domain.profile import HeldCertification, Holdings, derive_held, requirement_met

StepReason = Literal["prerequisite", "goal", "recommended", "successor", "next-step"]
TargetState = Literal["held", "eligible", "locked", "retired"]


@dataclass(frozen=True, slots=True)
class Goal:
    kind: Literal["certification", "role", "path"]
    id: str
    name: str
    targets: tuple[CertificationId, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    certification: CertificationId
    name: str
    exam: str
    reason: StepReason
    why: str
    cost: Money | None
    study_hours: int


@dataclass(frozen=True, slots=True)
class TargetStatus:
    certification: CertificationId
    name: str
    state: TargetState
    message: str
    missing: tuple[CertificationId, ...]


@dataclass(frozen=True, slots=True)
class ExpiryLine:
    certification: CertificationId
    name: str
    earned_on: date | None
    expires_on: date | None
    renewal_opens: date | None
    state: str
    message: str


@dataclass(frozen=True, slots=True)
class Roadmap:
    goal: Goal
    today: date
    targets: tuple[TargetStatus, ...]
    steps: tuple[Step, ...]
    next_steps: tuple[Step, ...]
    expiries: tuple[ExpiryLine, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        """True when every goal certification is held or needs only its own exam."""
        return all(t.state in ("held", "eligible") for t in self.targets)

    def total_cost(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for step in self.steps:
            if step.cost is not None:
                totals[step.cost.currency] = totals.get(step.cost.currency, 0) + step.cost.amount
        return totals

    @property
    def unknown_costs(self) -> tuple[str, ...]:
        return tuple(s.exam for s in self.steps if s.cost is None)

    @property
    def total_hours(self) -> int:
        return sum(s.study_hours for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of `certprep roadmap --json` and GET /api/v1/roadmap."""
        data: dict[str, Any] = to_plain(self)
        data["eligible"] = self.eligible
        data["total_cost"] = self.total_cost()
        data["unknown_costs"] = list(self.unknown_costs)
        data["total_study_hours"] = self.total_hours
        return data


def goal_for_certification(catalog: Catalog, ref: str) -> Goal:
    cert = catalog.certification(ref)
    return Goal("certification", cert.id, cert.name, (cert.id,))


def goal_for_role(catalog: Catalog, ref: str) -> Goal:
    role = catalog.role(ref)
    return Goal("role", role.id, role.name, role.recommended, role.notes)


def goal_for_path(catalog: Catalog, ref: str) -> Goal:
    path = catalog.path(ref)
    return Goal("path", path.id, path.name, path.certifications, path.notes)


def plan_roadmap(
    catalog: Catalog, goal: Goal, holdings: Holdings, *, today: date, country: str | None = None
) -> Roadmap:
    """Work out what the learner still needs for a goal, in order, and what to watch on the way."""
    held = derive_held(catalog, holdings, today=today)
    planner = _Planner(catalog, held, today, country)
    target_reason: StepReason = "goal" if goal.kind == "certification" else "recommended"
    for cert_id in goal.targets:
        planner.need(
            cert_id,
            target_reason,
            f"{'your goal' if target_reason == 'goal' else 'recommended for the ' + goal.kind} {goal.name}",
        )
    targets = tuple(_target_status(catalog, held, cid, today) for cid in goal.targets)
    next_steps = tuple(
        planner.step_for(
            catalog.get(ns.certification),
            "next-step",
            f"{ns.track} after {catalog.get(ns.after).name}: {ns.reason}",
        )
        for ns in _next_steps(catalog, goal)
        if ns.certification not in held
    )
    warnings, notes = _warnings(catalog, goal, holdings, held, today)
    return Roadmap(
        goal=goal,
        today=today,
        targets=targets,
        steps=tuple(planner.steps),
        next_steps=next_steps,
        expiries=tuple(_expiry_line(catalog, h, today) for h in held.values()),
        warnings=tuple(warnings + planner.warnings),
        notes=tuple(notes),
    )


class _Planner:
    def __init__(
        self,
        catalog: Catalog,
        held: Mapping[CertificationId, HeldCertification],
        today: date,
        country: str | None,
    ) -> None:
        self.catalog, self.held, self.today, self.country = catalog, held, today, country
        self.steps: list[Step] = []
        self.warnings: list[str] = []
        self._planned: set[CertificationId] = set()

    def step_for(self, cert: Certification, reason: StepReason, why: str) -> Step:
        return Step(
            cert.id,
            cert.name,
            cert.exam.code,
            reason,
            why,
            cert.exam.price.for_country(self.country),
            cert.exam.study_hours,
        )

    def need(self, cert_id: CertificationId, reason: StepReason, why: str) -> None:
        if cert_id in self.held or cert_id in self._planned:
            return
        cert = self.catalog.get(cert_id)
        if cert.retired_by(self.today):
            if cert.successor is None:
                self.warnings.append(
                    f"{cert.name} retired on {cert.retired_on} and has no successor: skipped."
                )
                return
            successor = self.catalog.get(cert.successor)
            self.warnings.append(
                f"{cert.name} ({cert.exam.code}) retired on {cert.retired_on}; planning its successor "
                f"{successor.name} ({successor.exam.code}) instead."
            )
            self.need(successor.id, "successor", f"successor of the retired {cert.name}; {why}")
            return
        self._planned.add(cert_id)
        for prereq, prereq_why in self._missing(cert.requires, cert):
            self.need(prereq, "prerequisite", prereq_why)
        self.steps.append(self.step_for(cert, reason, why))

    def _missing(self, req: Requirement | None, owner: Certification) -> list[tuple[CertificationId, str]]:
        if req is None or self._met(req):
            return []
        names = self.catalog.names()
        rule = describe_requirement(req, names)
        if isinstance(req, CertRef):
            return [(req.certification, f"prerequisite of {owner.name}: it requires {rule}")]
        if isinstance(req, AllOf):
            return [m for t in req.terms for m in self._missing(t, owner)]
        choice = self._choose(req)
        closed = [
            self.catalog.get(c)
            for t in req.terms
            if t is not choice
            for c in referenced_certifications(t)
            if self.catalog.get(c).retired_by(self.today)
        ]
        why_choice = "; ".join(f"{c.name} retired on {c.retired_on}" for c in closed)
        return [
            (
                cid,
                f"prerequisite of {owner.name}: it requires {rule}"
                + (f" ({why_choice}, so this is the open route)" if why_choice else ""),
            )
            for cid, _ in self._missing(choice, owner)
        ]

    def _choose(self, req: AnyOf) -> Requirement:
        """The alternative to plan: fewest missing certifications, retired routes last, then listed order."""

        def cost(term: Requirement) -> tuple[int, int]:
            missing = [c for c in referenced_certifications(term) if c not in self.held]
            retired = sum(1 for c in missing if self.catalog.get(c).retired_by(self.today))
            return (retired, len(missing))

        return min(req.terms, key=cost)

    def _met(self, req: Requirement) -> bool:
        return requirement_met(
            req, self.held, on=self.today, expired_counts=self.catalog.settings.expired_prerequisite_counts
        )


def _target_status(
    catalog: Catalog, held: Mapping[CertificationId, HeldCertification], cert_id: CertificationId, today: date
) -> TargetStatus:
    cert = catalog.get(cert_id)
    if cert_id in held:
        return TargetStatus(cert_id, cert.name, "held", f"You hold {cert.name}.", ())
    if cert.retired_by(today):
        succ = f"; its successor is {catalog.get(cert.successor).name}" if cert.successor else ""
        return TargetStatus(
            cert_id, cert.name, "retired", f"{cert.name} retired on {cert.retired_on}{succ}.", ()
        )
    met = requirement_met(
        cert.requires, held, on=today, expired_counts=catalog.settings.expired_prerequisite_counts
    )
    if met:
        return TargetStatus(
            cert_id, cert.name, "eligible", f"Eligible: passing {cert.exam.code} earns {cert.name}.", ()
        )
    missing = tuple(c for c in referenced_certifications(cert.requires) if c not in held)
    assert cert.requires is not None
    rule = describe_requirement(cert.requires, catalog.names())
    return TargetStatus(
        cert_id,
        cert.name,
        "locked",
        f"Not yet: {cert.name} requires {rule} besides passing {cert.exam.code}. You may sit {cert.exam.code} "
        "now; the certification is granted once the prerequisite is held.",
        missing,
    )


def _expiry_line(catalog: Catalog, h: HeldCertification, today: date) -> ExpiryLine:
    cert = catalog.get(h.certification)
    status = renewal_status(
        expires_on=h.expires_on,
        validity_kind=cert.validity.kind,
        retired_on=cert.retired_on if cert.retired else None,
        today=today,
    )
    message = status.reason
    if h.earned_on is None and cert.validity.kind == "months":
        message = "No earned date recorded: expiry and renewal unknown."
    return ExpiryLine(
        cert.id, cert.name, h.earned_on, status.expires_on, status.window_opens, status.state, message
    )


def _next_steps(catalog: Catalog, goal: Goal) -> list[NextStep]:
    return [ns for ns in catalog.next_steps if ns.after in goal.targets]


def _warnings(
    catalog: Catalog,
    goal: Goal,
    holdings: Holdings,
    held: Mapping[CertificationId, HeldCertification],
    today: date,
) -> tuple[list[str], list[str]]:
    warnings: list[str] = []
    notes: list[str] = list(goal.notes)
    names = catalog.names()
    for code, _ in holdings.passed_exams:
        cert = catalog.certification(code)
        if cert.id not in held and cert.requires is not None:
            warnings.append(
                f"You passed {cert.exam.code}, but {cert.name} is granted only when you also hold "
                f"{describe_requirement(cert.requires, names)}. Your pass stays valid."
            )
    relevant = {c for t in goal.targets for c in referenced_certifications(catalog.get(t).requires)}
    for cid in sorted(relevant):
        cert = catalog.get(cid)
        if not cert.retired_by(today):
            continue
        if cid in held:
            notes.append(
                f"You hold {cert.name}: it still meets the prerequisite, but it retired on {cert.retired_on} "
                "and cannot be renewed."
            )
        else:
            warnings.append(
                f"{cert.name} ({cert.exam.code}) retired on {cert.retired_on}: it can no longer be earned as a prerequisite."
            )
    for cid, h in held.items():
        if cid in relevant and h.expires_on is not None and h.expires_on <= today:
            if catalog.settings.expired_prerequisite_counts:
                notes.append(
                    f"{names[cid]} expired on {h.expires_on}. {catalog.settings.expired_prerequisite_note}"
                )
            else:
                warnings.append(
                    f"{names[cid]} expired on {h.expires_on} and no longer meets the prerequisite."
                )
    for target in goal.targets:
        notes.extend(catalog.get(target).notes)
    return warnings, notes
