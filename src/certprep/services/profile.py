"""Learner profile use cases: certifications held, real sittings, a booked exam, retake and renewal status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from certprep.db.profile import (
    LOCAL_LEARNER,
    ensure_learner,
    load_bookings,
    load_credentials,
    load_sittings,
    save_booking,
    save_credential,
    save_sitting,
)
from certprep.domain.catalog import Catalog
from certprep.domain.policy import RenewalStatus, RetakeDecision, renewal_status, retake_decision
from certprep.domain.profile import (
    Booking,
    HeldCertification,
    Holdings,
    Sitting,
    derive_held,
    expiry_for,
)
from certprep.errors import InvalidInput
from certprep.services.database import Database

__all__ = ["LOCAL_LEARNER"]


@dataclass(frozen=True, slots=True)
class Profile:
    learner_id: str
    held: tuple[HeldCertification, ...]
    sittings: tuple[Sitting, ...]
    bookings: tuple[Booking, ...]
    renewals: tuple[tuple[str, RenewalStatus], ...]


def record_certification(
    db: Database, *, catalog: Catalog, learner_id: str, ref: str, earned_on: date | None, now: datetime
) -> HeldCertification:
    """Record that the learner holds a certification (by id or exam code), earned on a day."""
    cert = catalog.certification(ref)
    if earned_on is not None and earned_on > now.date():
        raise InvalidInput(f"earned date {earned_on} is in the future", field="earned_on")
    if earned_on is not None and cert.retired_on is not None and earned_on > cert.retired_on:
        raise InvalidInput(
            f"{cert.name} retired on {cert.retired_on}; it cannot have been earned on {earned_on}",
            field="earned_on",
        )
    held = HeldCertification(cert.id, earned_on, expiry_for(catalog, cert.id, earned_on))
    with db.transaction() as session:
        ensure_learner(session, learner_id, now=now)
        save_credential(session, learner_id, held, now=now)
    return held


def record_sitting(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    exam: str,
    taken_at: datetime,
    timezone: str,
    passed: bool,
    score: int | None,
    now: datetime,
) -> Sitting:
    """Record a real exam sitting; a pass of an exam whose certification needs no prerequisite records it too."""
    cert = catalog.certification(exam)
    if taken_at.tzinfo is None:
        raise InvalidInput("the sitting time needs a time zone", field="taken_at")
    if taken_at > now:
        raise InvalidInput(f"sitting time {taken_at.isoformat()} is in the future", field="taken_at")
    if score is not None and not 1 <= score <= 1000:
        raise InvalidInput(f"score must be between 1 and 1000, got {score}", field="score")
    if score is not None and passed != (score >= 700):
        raise InvalidInput(f"a score of {score} is a {'pass' if score >= 700 else 'fail'}", field="score")
    sitting = Sitting(cert.exam.code, taken_at, timezone, passed, score)
    with db.transaction() as session:
        ensure_learner(session, learner_id, now=now)
        save_sitting(session, learner_id, sitting, now=now)
        if passed:
            held = {h.certification: h for h in load_credentials(session, learner_id)}
            passes = tuple(
                (s.exam_code, s.taken_at.date()) for s in load_sittings(session, learner_id) if s.passed
            )
            derived = derive_held(catalog, Holdings(tuple(held.values()), passes), today=now.date())
            for cid, h in derived.items():
                if cid not in held:
                    save_credential(session, learner_id, h, now=now)
    return sitting


def book_exam(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    exam: str,
    scheduled_at: datetime,
    timezone: str,
    language: str,
    now: datetime,
) -> Booking:
    """Book (or move) the learner's real exam."""
    cert = catalog.certification(exam)
    if cert.retired_by(scheduled_at.date()):
        raise InvalidInput(
            f"{cert.exam.code} retired on {cert.retired_on}: it cannot be booked", field="exam"
        )
    if scheduled_at <= now:
        raise InvalidInput(
            f"booking time {scheduled_at.isoformat()} is not in the future", field="scheduled_at"
        )
    booking = Booking(cert.exam.code, scheduled_at, timezone, language)
    with db.transaction() as session:
        ensure_learner(session, learner_id, now=now)
        save_booking(session, learner_id, booking, now=now)
    return booking


def show_profile(db: Database, *, catalog: Catalog, learner_id: str, today: date) -> Profile:
    """Everything recorded for a learner, with the renewal status of each certification."""
    with db.transaction() as session:
        held = load_credentials(session, learner_id)
        sittings = load_sittings(session, learner_id)
        bookings = load_bookings(session, learner_id)
    renewals = []
    for h in held:
        cert = catalog.get(h.certification)
        renewals.append(
            (
                cert.id,
                renewal_status(
                    expires_on=h.expires_on,
                    validity_kind=cert.validity.kind,
                    retired_on=cert.retired_on if cert.retired else None,
                    today=today,
                ),
            )
        )
    return Profile(learner_id, tuple(held), tuple(sittings), tuple(bookings), tuple(renewals))


def check_retake(
    db: Database, *, catalog: Catalog, learner_id: str, exam: str, now: datetime
) -> RetakeDecision:
    """Whether the learner may sit an exam again now, by the retake policy."""
    cert = catalog.certification(exam)
    with db.transaction() as session:
        sittings = load_sittings(session, learner_id, cert.exam.code)
        held = {h.certification: h for h in load_credentials(session, learner_id)}
    h = held.get(cert.id)
    return retake_decision(
        sittings,
        now=now,
        certification_held=h is not None,
        certification_expires_on=h.expires_on if h else None,
    )


def load_holdings(db: Database, *, learner_id: str) -> Holdings:
    with db.transaction() as session:
        held = load_credentials(session, learner_id)
        passes = tuple(
            (s.exam_code, s.taken_at.date()) for s in load_sittings(session, learner_id) if s.passed
        )
    return Holdings(tuple(held), passes)
