"""Learner profile use cases: certifications held, real sittings, a booked exam, retake and renewal status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from certprep.db.profile import (
    LOCAL_LEARNER,
    delete_booking,
    delete_credential,
    ensure_learner,
    extra_minutes,
    load_bookings,
    load_credentials,
    load_sittings,
    save_booking,
    save_credential,
    save_extra_minutes,
    save_sitting,
)
from certprep.db.teams import manages
from certprep.domain.accounts import may
from certprep.domain.catalog import Catalog
from certprep.domain.policy import RenewalStatus, RetakeDecision, renewal_status, retake_decision
from certprep.domain.profile import (
    Booking,
    HeldCertification,
    Holdings,
    Sitting,
    check_extra_minutes,
    derive_held,
    exam_language,
    expiry_for,
)
from certprep.errors import Forbidden, InvalidInput, NotFound
from certprep.services.database import Database

__all__ = ["LOCAL_LEARNER"]


@dataclass(frozen=True, slots=True)
class Profile:
    learner_id: str
    held: tuple[HeldCertification, ...]
    sittings: tuple[Sitting, ...]
    bookings: tuple[Booking, ...]
    renewals: tuple[tuple[str, RenewalStatus], ...]
    extra_minutes: int = 0


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
    language = exam_language(language)
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


def set_accommodation(
    db: Database,
    *,
    learner_id: str,
    minutes: int,
    now: datetime,
    actor_role: str,
    actor_id: str | None = None,
) -> int:
    """Record the extra minutes a learner is granted on every mock exam (0 removes the accommodation). An
    accommodation is granted, not chosen: an admin sets it, or a manager of a team the learner belongs to."""
    check_extra_minutes(minutes)
    with db.transaction() as session:
        manager = actor_id is not None and may(actor_role, "team") and manages(session, actor_id, learner_id)
        if not (may(actor_role, "accounts") or manager):
            raise Forbidden(
                "an accommodation is set by an admin or the learner's team manager, not by the learner: ask yours",
                field="extra_minutes",
            )
        ensure_learner(session, learner_id, now=now)
        save_extra_minutes(session, learner_id, minutes)
    return minutes


def show_profile(db: Database, *, catalog: Catalog, learner_id: str, today: date) -> Profile:
    """Everything recorded for a learner, with the renewal status of each certification."""
    with db.transaction() as session:
        held = load_credentials(session, learner_id)
        sittings = load_sittings(session, learner_id)
        bookings = load_bookings(session, learner_id)
        extra = extra_minutes(session, learner_id)
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
    return Profile(learner_id, tuple(held), tuple(sittings), tuple(bookings), tuple(renewals), extra)


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


def remove_certification(db: Database, *, catalog: Catalog, learner_id: str, ref: str) -> HeldCertification:
    """Forget a certification the learner recorded (by id or exam code); NotFound when it is not recorded."""
    cert = catalog.certification(ref)
    with db.transaction() as session:
        removed = delete_credential(session, learner_id, cert.id)
    if removed is None:
        raise NotFound(f"{cert.name} is not among your certifications", field="certification")
    return removed


def cancel_booking(db: Database, *, catalog: Catalog, learner_id: str, exam: str) -> Booking:
    """Cancel the learner's booking of an exam; NotFound when there is none."""
    cert = catalog.certification(exam)
    with db.transaction() as session:
        removed = delete_booking(session, learner_id, cert.exam.code)
    if removed is None:
        raise NotFound(f"no booking of {cert.exam.code} to cancel", field="exam")
    return removed


def parse_day(value: str, *, field: str) -> date | None:
    """'2026-03-01' -> a date; '' -> None; anything else is an InvalidInput naming the field."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date like 2026-03-01", field=field) from None


def local_to_utc(value: str, tz: str, *, field: str, tz_field: str = "timezone") -> datetime:
    """'2026-12-01T09:30' read in a named time zone -> an aware UTC datetime; errors name the field at fault."""
    if not tz.strip() or len(tz) > 64:
        raise InvalidInput(f"{tz[:80]!r} is not a time zone (e.g. Europe/Paris, UTC)", field=tz_field)
    try:
        zone = ZoneInfo(tz.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            f"{tz!r} is not a known time zone (e.g. Europe/Paris, UTC)", field=tz_field
        ) from None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"{value[:80]!r} is not a date and time like 2026-12-01T09:30", field=field
        ) from None
    try:
        return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidInput(f"{value[:80]!r} is out of range", field=field) from None


@dataclass(frozen=True, slots=True)
class HeldStatus:
    """A held certification as the profile shows it: names, retired state, renewal window."""

    certification: str
    name: str
    exam: str
    earned_on: date | None
    expires_on: date | None
    retired_on: date | None
    successor: str | None
    renewal: RenewalStatus


@dataclass(frozen=True, slots=True)
class ExamStatus:
    """An exam the learner sat or booked: the booking, days left, the outline it follows, the retake rule."""

    exam: str
    booking: Booking | None
    days_left: int | None
    outline: date | None
    retake: RetakeDecision


@dataclass(frozen=True, slots=True)
class ProfileOverview:
    learner_id: str
    held: tuple[HeldStatus, ...]
    sittings: tuple[Sitting, ...]
    exams: tuple[ExamStatus, ...]
    extra_minutes: int = 0


def profile_overview(db: Database, *, catalog: Catalog, learner_id: str, now: datetime) -> ProfileOverview:
    """The profile page: certifications with renewal and retired state, sittings, bookings, retake dates."""
    with db.transaction() as session:
        held = load_credentials(session, learner_id)
        sittings = load_sittings(session, learner_id)
        bookings = load_bookings(session, learner_id)
        extra = extra_minutes(session, learner_id)
    statuses = tuple(_held_status(catalog, h, now.date()) for h in held)
    by_cert = {h.certification: h for h in held}
    booked = {b.exam_code: b for b in bookings}
    codes = list(dict.fromkeys([*booked, *(s.exam_code for s in sittings)]))
    exams = []
    for code in codes:
        cert = catalog.certification(code)
        h = by_cert.get(cert.id)
        b = booked.get(code)
        retake = retake_decision(
            [s for s in sittings if s.exam_code == code],
            now=now,
            certification_held=h is not None,
            certification_expires_on=h.expires_on if h else None,
        )
        outline = (
            catalog.outline_for_sitting(code, b.language, b.scheduled_at.date()).version
            if b is not None and catalog.outline_versions(code)
            else None
        )
        days = (b.scheduled_at.date() - now.date()).days if b is not None else None
        exams.append(ExamStatus(code, b, days, outline, retake))
    return ProfileOverview(learner_id, statuses, tuple(sittings), tuple(exams), extra)


def _held_status(catalog: Catalog, h: HeldCertification, today: date) -> HeldStatus:
    cert = catalog.get(h.certification)
    retired_on = cert.retired_on if cert.retired else None
    renewal = renewal_status(
        expires_on=h.expires_on, validity_kind=cert.validity.kind, retired_on=retired_on, today=today
    )
    successor = catalog.get(cert.successor).name if cert.successor else None
    return HeldStatus(
        cert.id, cert.name, cert.exam.code, h.earned_on, h.expires_on, retired_on, successor, renewal
    )
