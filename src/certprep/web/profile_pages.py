"""The profile page: certifications held, sittings, bookings, retake and renewal dates, each editable in a form.

Plain HTML forms that POST (they work without JavaScript): a success redirects (303) back to /profile; a refusal
re-renders the page with status 4xx, the message next to the field at fault and the values as typed. The routes
call the same service functions as `certprep profile ...` and /api/v1/profile, for `learner`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from certprep.errors import CertprepError, InvalidInput
from certprep.services import profile as svc
from certprep.web.access import OWN, RuledRoute
from certprep.web.attempts_api import learner
from certprep.web.auth import role_of

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[OWN])

# The fields of each form, the first being where an unknown certification or exam is reported.
FIELDS: dict[str, tuple[str, ...]] = {
    "certification": ("certification", "earned_on"),
    "sitting": ("exam", "taken_at", "timezone", "result", "score"),
    "booking": ("exam", "scheduled_at", "timezone", "language"),
    "accommodation": ("extra_minutes",),
}
MAX_LENGTH = {"timezone": 64, "language": 16}
SAVED = {
    "certification": "Certification recorded.",
    "removed": "Certification removed.",
    "sitting": "Sitting recorded.",
    "booking": "Exam booked.",
    "cancelled": "Booking cancelled.",
    "accommodation": "Accommodation recorded.",
}
Text = Annotated[str, Form()]


@cache
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def local(moment: datetime, tz: str) -> str:
    """A stored UTC time as the learner reads it: local date and time in the zone it was given in."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        zone, tz = ZoneInfo("UTC"), "UTC"
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({tz})"


def _render(
    request: Request,
    *,
    status: int = 200,
    form: str = "",
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    alert: str | None = None,
    saved: str | None = None,
) -> HTMLResponse:
    state = request.app.state
    overview = svc.profile_overview(
        state.db, catalog=state.catalog, learner_id=learner(request), now=state.now()
    )
    booked = next((e.booking for e in overview.exams if e.booking is not None), None)
    defaults = {
        "sitting": {"exam": "AZ-400", "timezone": "UTC"},
        "booking": {"exam": "AZ-400", "timezone": "UTC", "language": "en"},
        "certification": {},
        "accommodation": {"extra_minutes": str(overview.extra_minutes)},
    }
    if booked is not None:
        zone = booked.timezone
        moment = (
            booked.scheduled_at.astimezone(ZoneInfo(zone)) if zone in time_zones() else booked.scheduled_at
        )
        defaults["booking"] = {
            "exam": booked.exam_code,
            "scheduled_at": f"{moment:%Y-%m-%dT%H:%M}",
            "timezone": zone,
            "language": booked.language,
        }
    if form in defaults and values is not None:
        defaults[form] = dict(values)
    context = {
        "p": overview,
        "catalog": state.catalog,
        "values": defaults,
        "errors": {form: dict(errors or {})},
        "alert": alert,
        "saved": SAVED.get(saved or ""),
        "local": local,
        "time_zones": time_zones(),
    }
    response: HTMLResponse = state.templates.TemplateResponse(
        request, "profile.html", context, status_code=status
    )
    return response


def _refused(request: Request, form: str, values: Mapping[str, str], exc: CertprepError) -> HTMLResponse:
    """The page again, the message next to the field the error names (or above the forms), values kept."""
    fields = FIELDS.get(form, ())
    named = str(exc.data.get("field") or "").lstrip("-").replace("-", "_")
    if not named and isinstance(exc, InvalidInput) and fields and "reference" in exc.data:
        named = fields[0]  # an unknown certification or exam
    status = 400 if isinstance(exc, InvalidInput) else exc.status
    if named in fields:
        page = _render(request, status=status, form=form, values=values, errors={named: exc.message})
    else:
        page = _render(request, status=status, form=form, values=values, alert=exc.message)
    page.headers["HX-Replace-Url"] = "/profile"  # a boosted form shows /profile, not the POST address
    return page


def _bounded(values: Mapping[str, str]) -> None:
    for name, value in values.items():
        limit = MAX_LENGTH.get(name, 100)
        if len(value) > limit:
            raise InvalidInput(f"at most {limit} characters", field=name)


def _required(value: str, field: str, what: str) -> str:
    if not value.strip():
        raise InvalidInput(f"{what} is required", field=field)
    return value.strip()


def _done(saved: str) -> RedirectResponse:
    return RedirectResponse(f"/profile?saved={quote(saved)}", status_code=303)


@router.get("/profile", response_class=HTMLResponse)
def profile(request: Request, saved: str | None = None) -> HTMLResponse:
    return _render(request, saved=saved)


@router.get("/profile/certifications")
@router.get("/profile/sittings")
@router.get("/profile/booking")
def back_to_profile() -> RedirectResponse:
    """The forms' POST addresses, reloaded or bookmarked, lead back to the page."""
    return RedirectResponse("/profile", status_code=303)


@router.post("/profile/certifications", response_class=HTMLResponse)
def add_certification(request: Request, certification: Text = "", earned_on: Text = "") -> Response:
    values = {"certification": certification, "earned_on": earned_on}
    state = request.app.state
    try:
        _bounded(values)
        svc.record_certification(
            state.db,
            catalog=state.catalog,
            learner_id=learner(request),
            ref=_required(certification, "certification", "a certification"),
            earned_on=svc.parse_day(earned_on, field="earned_on"),
            now=state.now(),
        )
    except CertprepError as exc:
        return _refused(request, "certification", values, exc)
    return _done("certification")


@router.post("/profile/certifications/{cert}/remove", response_class=HTMLResponse)
def remove_certification(
    request: Request, cert: Annotated[str, Path(min_length=1, max_length=100)]
) -> Response:
    state = request.app.state
    try:
        svc.remove_certification(state.db, catalog=state.catalog, learner_id=learner(request), ref=cert)
    except CertprepError as exc:
        return _refused(request, "remove", {}, exc)
    return _done("removed")


@router.post("/profile/sittings", response_class=HTMLResponse)
def add_sitting(
    request: Request,
    exam: Text = "",
    taken_at: Text = "",
    timezone: Text = "",
    result: Text = "",
    score: Text = "",
) -> Response:
    values = {"exam": exam, "taken_at": taken_at, "timezone": timezone, "result": result, "score": score}
    state = request.app.state
    try:
        _bounded(values)
        code = _required(exam, "exam", "an exam")
        when = svc.local_to_utc(
            _required(taken_at, "taken_at", "the date and time"),
            _required(timezone, "timezone", "a time zone"),
            field="taken_at",
        )
        if result not in ("passed", "failed"):
            raise InvalidInput("choose passed or failed", field="result")
        svc.record_sitting(
            state.db,
            catalog=state.catalog,
            learner_id=learner(request),
            exam=code,
            taken_at=when,
            timezone=timezone.strip(),
            passed=result == "passed",
            score=_score(score),
            now=state.now(),
        )
    except CertprepError as exc:
        return _refused(request, "sitting", values, exc)
    return _done("sitting")


def _score(value: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(f"{value!r} is not a whole number from 1 to 1000", field="score") from None


@router.post("/profile/booking", response_class=HTMLResponse)
def book(
    request: Request,
    exam: Text = "",
    scheduled_at: Text = "",
    timezone: Text = "",
    language: Text = "",
) -> Response:
    values = {"exam": exam, "scheduled_at": scheduled_at, "timezone": timezone, "language": language}
    state = request.app.state
    try:
        _bounded(values)
        code = _required(exam, "exam", "an exam")
        when = svc.local_to_utc(
            _required(scheduled_at, "scheduled_at", "the date and time"),
            _required(timezone, "timezone", "a time zone"),
            field="scheduled_at",
        )
        svc.book_exam(
            state.db,
            catalog=state.catalog,
            learner_id=learner(request),
            exam=code,
            scheduled_at=when,
            timezone=timezone.strip(),
            language=_required(language, "language", "a language"),
            now=state.now(),
        )
    except CertprepError as exc:
        return _refused(request, "booking", values, exc)
    return _done("booking")


@router.post("/profile/booking/cancel", response_class=HTMLResponse)
def cancel_booking(request: Request, exam: Text = "") -> Response:
    state = request.app.state
    try:
        _bounded({"exam": exam})
        code = _required(exam, "exam", "an exam")
        svc.cancel_booking(state.db, catalog=state.catalog, learner_id=learner(request), exam=code)
    except CertprepError as exc:
        return _refused(request, "cancel", {}, exc)
    return _done("cancelled")


@router.post("/profile/accommodation", response_class=HTMLResponse)
def accommodation(request: Request, extra_minutes: Text = "") -> Response:
    values = {"extra_minutes": extra_minutes}
    state = request.app.state
    try:
        _bounded(values)
        raw = _required(extra_minutes, "extra_minutes", "a number of minutes")
        if not raw.isdigit():
            raise InvalidInput(f"{raw!r} is not a whole number of minutes", field="extra_minutes")
        svc.set_accommodation(
            state.db,
            learner_id=learner(request),
            minutes=int(raw),
            now=state.now(),
            actor_role=role_of(request) or "",
        )
    except CertprepError as exc:
        return _refused(request, "accommodation", values, exc)
    return _done("accommodation")
