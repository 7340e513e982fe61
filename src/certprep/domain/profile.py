"""What a learner holds: certifications earned, real exam sittings, a booked exam."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from certprep.domain.catalog import (
    AllOf,
    AnyOf,
    Catalog,
    CertificationId,
    CertRef,
    Requirement,
    referenced_certifications,
)
from certprep.domain.policy import add_months


@dataclass(frozen=True, slots=True)
class HeldCertification:
    """A certification the learner holds; earned_on None means the learner gave no date."""

    certification: CertificationId
    earned_on: date | None
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class Sitting:
    """A real exam sitting (taken_at is UTC; timezone is where the learner sat it)."""

    exam_code: str
    taken_at: datetime
    timezone: str
    passed: bool
    score: int | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    exam_code: str
    scheduled_at: datetime
    timezone: str
    language: str


@dataclass(frozen=True, slots=True)
class Holdings:
    """Recorded certifications plus exams passed, before deriving what those passes earn."""

    certifications: tuple[HeldCertification, ...] = ()
    passed_exams: tuple[tuple[str, date | None], ...] = ()


def expiry_for(catalog: Catalog, cert_id: CertificationId, earned_on: date | None) -> date | None:
    """The expiry date of a certification earned on a day (None: never expires, unknown, or no date)."""
    cert = catalog.get(cert_id)
    if earned_on is None or cert.validity.kind != "months" or cert.validity.months is None:
        return None
    return add_months(earned_on, cert.validity.months)


def requirement_met(
    req: Requirement | None,
    held: Mapping[CertificationId, HeldCertification],
    *,
    on: date,
    expired_counts: bool,
) -> bool:
    """Whether held certifications satisfy a requirement expression on a day."""
    if req is None:
        return True
    if isinstance(req, CertRef):
        h = held.get(req.certification)
        if h is None:
            return False
        return expired_counts or h.expires_on is None or on < h.expires_on
    if isinstance(req, AllOf):
        return all(requirement_met(t, held, on=on, expired_counts=expired_counts) for t in req.terms)
    assert isinstance(req, AnyOf)
    return any(requirement_met(t, held, on=on, expired_counts=expired_counts) for t in req.terms)


def derive_held(
    catalog: Catalog, holdings: Holdings, *, today: date
) -> dict[CertificationId, HeldCertification]:
    """Recorded certifications plus those earned by passed exams whose prerequisites are met.

    A passed expert exam without its prerequisite stays a pass: the certification appears only once
    the prerequisite is held (its earned date is then the later of the pass and the prerequisite).
    """
    held: dict[CertificationId, HeldCertification] = {h.certification: h for h in holdings.certifications}
    pending = list(holdings.passed_exams)
    changed = True
    while changed:
        changed = False
        for code, passed_on in list(pending):
            cert = catalog.certification(code)
            if cert.id in held:
                pending.remove((code, passed_on))
                continue
            if requirement_met(
                cert.requires, held, on=today, expired_counts=catalog.settings.expired_prerequisite_counts
            ):
                earned = _latest([passed_on, *_prereq_dates(cert.requires, held)])
                held[cert.id] = HeldCertification(cert.id, earned, expiry_for(catalog, cert.id, earned))
                pending.remove((code, passed_on))
                changed = True
    return held


def _prereq_dates(
    req: Requirement | None, held: Mapping[CertificationId, HeldCertification]
) -> list[date | None]:
    return [held[c].earned_on for c in referenced_certifications(req) if c in held]


def _latest(days: Iterable[date | None]) -> date | None:
    known = [d for d in days if d is not None]
    return max(known) if known else None
