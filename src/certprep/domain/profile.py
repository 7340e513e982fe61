"""What a learner holds: certifications earned, real exam sittings, a booked exam; the exam language and country
codes a learner may give (ISO 639-1 and ISO 3166-1, from pycountry's tables)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pycountry

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
from certprep.errors import InvalidInput


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


MAX_EXTRA_MINUTES = 240


def check_extra_minutes(minutes: int) -> int:
    """An accommodation of extra exam minutes: a whole number from 0 (none) to MAX_EXTRA_MINUTES."""
    if not 0 <= minutes <= MAX_EXTRA_MINUTES:
        raise InvalidInput(
            f"extra minutes must be between 0 and {MAX_EXTRA_MINUTES}, not {minutes}", field="extra_minutes"
        )
    return minutes


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


def exam_language(value: str, *, field: str = "language") -> str:
    """An exam language as a code: ISO 639-1 ('en', 'ja'), optionally with a region or script ('pt-BR',
    'zh-Hans', as Microsoft names its exam languages), normalised; anything else is an InvalidInput naming the
    field and the value."""
    base, _, tail = value.strip().replace("_", "-").partition("-")
    language = pycountry.languages.get(alpha_2=base.lower()) if len(base) == 2 and base.isascii() else None
    region = _region(tail)
    if language is None or region is None:
        raise InvalidInput(
            f"{field} {value!r} is not a language code: use ISO 639-1, e.g. en, ja, de, pt-BR or zh-Hans",
            field=field.lstrip("-"),
        )
    return base.lower() + (f"-{region}" if region else "")


def _region(tail: str) -> str | None:
    """'' for none, 'BR' for a country, 'Hans' for a script; None when it is neither."""
    if not tail:
        return ""
    if len(tail) == 2 and tail.isascii() and pycountry.countries.get(alpha_2=tail.upper()) is not None:
        return tail.upper()
    if len(tail) == 4 and tail.isascii() and pycountry.scripts.get(alpha_4=tail.title()) is not None:
        return tail.title()
    return None


def country_code(value: str, *, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 country code, upper-cased; anything else is an InvalidInput naming the field."""
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidInput(
            f"{field} {value!r} is not a country code: use ISO 3166-1 alpha-2, e.g. US, FR, IN, JP",
            field=field.lstrip("-"),
        )
    return code
