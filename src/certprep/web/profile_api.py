"""JSON API of the learner's profile: certifications held, real sittings, the booked exam, retake and renewal dates.

The same service functions as the profile page and `certprep profile ...`; every route acts for `learner`.
Times are sent as a local date and time plus a time zone, as a person reads them off a booking confirmation.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from certprep.services import profile as svc
from certprep.web.access import OWN, RuledRoute
from certprep.web.attempts_api import Learner
from certprep.web.auth import role_of
from certprep.web.schemas import ERRORS, BookingOut, CredentialOut, ProfileOut, SittingOut

router = APIRouter(route_class=RuledRoute, tags=["profile"], responses=ERRORS, dependencies=[OWN])

Ref = Annotated[
    str, Field(min_length=1, max_length=100, description="certification id or exam code, e.g. AZ-104")
]
LocalTime = Annotated[
    str,
    Field(
        min_length=1, max_length=40, description="local date and time in `timezone`, e.g. 2026-12-01T09:30"
    ),
]
Zone = Annotated[str, Field(min_length=1, max_length=64, description="IANA time zone, e.g. Europe/Paris")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NewCertification(_Body):
    certification: Ref
    earned_on: date | None = Field(default=None, description="the day earned; null when not known")


class NewSitting(_Body):
    exam: Ref
    taken_at: LocalTime
    timezone: Zone = "UTC"
    passed: bool
    score: int | None = Field(default=None, ge=1, le=1000, description="scaled score; 700 or more is a pass")


class NewBooking(_Body):
    exam: Ref = "AZ-400"
    scheduled_at: LocalTime
    timezone: Zone = "UTC"
    language: str = Field(default="en", min_length=2, max_length=16, description="exam language, e.g. en, fr")


@router.get("/profile", response_model=ProfileOut)
def get_profile(request: Request, who: Learner) -> ProfileOut:
    """Certifications held (renewal window, retired state), sittings, bookings, and the retake rule per exam."""
    state = request.app.state
    overview = svc.profile_overview(state.db, catalog=state.catalog, learner_id=who, now=state.now())
    return ProfileOut.model_validate(overview)


@router.post("/profile/certifications", status_code=201, response_model=CredentialOut)
def add_certification(request: Request, body: NewCertification, who: Learner) -> CredentialOut:
    """Record a certification held (a second record of the same one replaces the first)."""
    state = request.app.state
    held = svc.record_certification(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        ref=body.certification,
        earned_on=body.earned_on,
        now=state.now(),
    )
    return CredentialOut.model_validate(held)


@router.delete("/profile/certifications/{cert}", response_model=CredentialOut)
def remove_certification(
    request: Request, cert: Annotated[str, Path(min_length=1, max_length=100)], who: Learner
) -> CredentialOut:
    """Forget a recorded certification; 404 when it is not recorded."""
    state = request.app.state
    removed = svc.remove_certification(state.db, catalog=state.catalog, learner_id=who, ref=cert)
    return CredentialOut.model_validate(removed)


@router.post("/profile/sittings", status_code=201, response_model=SittingOut)
def add_sitting(request: Request, body: NewSitting, who: Learner) -> SittingOut:
    """Record a real exam sitting; a pass may grant its certification (when the prerequisites are held)."""
    state = request.app.state
    sitting = svc.record_sitting(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        exam=body.exam,
        taken_at=svc.local_to_utc(body.taken_at, body.timezone, field="taken_at"),
        timezone=body.timezone,
        passed=body.passed,
        score=body.score,
        now=state.now(),
    )
    return SittingOut.model_validate(sitting)


@router.put("/profile/booking", response_model=BookingOut)
def book(request: Request, body: NewBooking, who: Learner) -> BookingOut:
    """Book (or move) a real exam: one booking per exam."""
    state = request.app.state
    booking = svc.book_exam(
        state.db,
        catalog=state.catalog,
        learner_id=who,
        exam=body.exam,
        scheduled_at=svc.local_to_utc(body.scheduled_at, body.timezone, field="scheduled_at"),
        timezone=body.timezone,
        language=body.language,
        now=state.now(),
    )
    return BookingOut.model_validate(booking)


@router.delete("/profile/booking", response_model=BookingOut)
def cancel(
    request: Request,
    who: Learner,
    exam: Annotated[str, Query(min_length=1, max_length=100)] = "AZ-400",
) -> BookingOut:
    """Cancel the booking of an exam; 404 when there is none."""
    state = request.app.state
    booking = svc.cancel_booking(state.db, catalog=state.catalog, learner_id=who, exam=exam)
    return BookingOut.model_validate(booking)


class Accommodation(_Body):
    extra_minutes: int = Field(
        strict=True, ge=0, le=240, description="extra minutes on every mock exam; 0 removes it"
    )


@router.put("/profile/accommodation", response_model=Accommodation)
def set_accommodation(request: Request, body: Accommodation, who: Learner) -> Accommodation:
    """Record an exam accommodation: the extra time every mock exam then gives (never set by the exam request)."""
    state = request.app.state
    minutes = svc.set_accommodation(
        state.db,
        learner_id=who,
        minutes=body.extra_minutes,
        now=state.now(),
        actor_role=role_of(request) or "",
    )
    return Accommodation(extra_minutes=minutes)
