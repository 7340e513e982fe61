"""The learner's home: readiness (when the evidence supports it), the booked exam and days left, the last attempts,
alerts from the policy engine and what to do next. Read only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from certprep.domain.catalog import Catalog
from certprep.domain.home import Alert, NextStep, days_until, home_alerts, next_steps
from certprep.domain.items import Bank
from certprep.domain.profile import Booking
from certprep.services.attempts import HistoryLine, list_attempts
from certprep.services.database import Database
from certprep.services.planning import Today, today_view
from certprep.services.profile import check_retake, show_profile
from certprep.services.readiness import get_readiness


@dataclass(frozen=True, slots=True)
class Home:
    readiness: dict[str, Any] | None
    booking: Booking | None
    days_left: int | None
    recent: tuple[HistoryLine, ...]
    in_progress: tuple[HistoryLine, ...]
    alerts: tuple[Alert, ...]
    steps: tuple[NextStep, ...]
    today: Today | None = None


def learner_home(
    db: Database, *, catalog: Catalog, learner_id: str, now: datetime, bank: Bank | None = None
) -> Home:
    """Everything the home page shows, for one learner now."""
    profile = show_profile(db, catalog=catalog, learner_id=learner_id, today=now.date())
    lines = list_attempts(db, catalog=catalog, learner_id=learner_id, now=now, bank=bank)
    current = get_readiness(db, catalog=catalog, learner_id=learner_id, today=now.date(), bank=bank)[
        "current"
    ]
    upcoming = sorted((b for b in profile.bookings if b.scheduled_at >= now), key=lambda b: b.scheduled_at)
    failed_exams = sorted({s.exam_code for s in profile.sittings if not s.passed})
    retakes = [
        (exam, check_retake(db, catalog=catalog, learner_id=learner_id, exam=exam, now=now))
        for exam in failed_exams
    ]
    renewals = [(catalog.certification(cert).name, cert, status) for cert, status in profile.renewals]
    retiring = []
    for h in profile.held:
        cert = catalog.get(h.certification)
        if cert.retired_on is not None:
            retiring.append((cert.name, cert.retired_on))
    alerts = home_alerts(
        retakes=retakes,
        renewals=renewals,
        retiring=retiring,
        booked=[(b.exam_code, b.scheduled_at) for b in upcoming],
        now=now,
    )
    groups = [g for g in (current or {}).get("groups", []) if g.get("items", 0) > 0]
    weakest = (
        min(groups, key=lambda g: g["theta"]) if current and current.get("supported") and groups else None
    )
    in_progress = tuple(h for h in lines if h.status == "in-progress")
    steps = next_steps(
        in_progress=[(h.attempt_id, h.mode) for h in reversed(in_progress)],
        mock_exams_done=sum(1 for h in lines if h.mode == "exam" and h.status == "submitted"),
        weakest_group=(weakest["group"], weakest["title"]) if weakest else None,
        has_booking=bool(upcoming),
    )
    booking = upcoming[0] if upcoming else None
    done = [h for h in lines if h.status == "submitted"]
    return Home(
        readiness=current,
        booking=booking,
        days_left=days_until(booking.scheduled_at, now.date()) if booking else None,
        recent=tuple(reversed(done[-5:])),
        in_progress=in_progress,
        alerts=alerts,
        steps=steps,
        today=today_view(db, catalog=catalog, learner_id=learner_id, now=now, bank=bank),
    )
