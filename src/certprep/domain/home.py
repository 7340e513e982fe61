"""What a learner's home page says: alerts from the policy engine and what to do next, decided from plain values.

Alerts: a retake allowed from a date (after a failed sitting), a renewal window open or an expiry close, a held
certification retiring. Next steps: resume what is in progress, take a first mock exam, practise the weakest
functional group, browse flashcards. Faces turn each step's `action` into a link or a command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from certprep.domain.policy import RenewalStatus, RetakeDecision

Action = Literal["resume", "mock-exam", "practise-group", "flashcards", "book-exam"]


@dataclass(frozen=True, slots=True)
class Alert:
    kind: Literal["retake", "renewal", "retiring", "exam-soon"]
    message: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class NextStep:
    action: Action
    label: str
    target: str = ""  # the attempt to resume or the functional group to practise


def days_until(moment: datetime, today: date) -> int:
    """Whole days from today to the day of `moment` (0 on the day itself)."""
    return (moment.date() - today).days


def home_alerts(
    *,
    retakes: Sequence[tuple[str, RetakeDecision]],
    renewals: Sequence[tuple[str, str, RenewalStatus]],
    retiring: Sequence[tuple[str, date]],
    booked: Sequence[tuple[str, datetime]],
    now: datetime,
) -> tuple[Alert, ...]:
    """Alerts in the order a learner should read them: the exam that comes first, then what has a deadline."""
    out: list[Alert] = []
    for exam, at in booked:
        days = days_until(at, now.date())
        if 0 <= days <= 14:
            out.append(
                Alert("exam-soon", f"{exam} is in {days} day{'s' if days != 1 else ''} ({at:%Y-%m-%d}).")
            )
    for exam, d in retakes:
        if d.rule in ("24-hours", "14-days", "five-per-year") and d.earliest is not None:
            when = "now" if d.allowed else f"from {d.earliest:%Y-%m-%d %H:%M} UTC"
            out.append(Alert("retake", f"You may retake {exam} {when}. {d.reason}", d.source))
    for name, _cert, status in renewals:
        if status.state == "open":
            out.append(Alert("renewal", f"{name}: {status.reason}", status.source))
    for name, on in retiring:
        if on >= now.date():
            out.append(Alert("retiring", f"{name} retires on {on}: plan for its successor."))
    return tuple(out)


def next_steps(
    *,
    in_progress: Sequence[tuple[str, str]],
    mock_exams_done: int,
    weakest_group: tuple[str, str] | None,
    has_booking: bool,
) -> tuple[NextStep, ...]:
    """What to do next, most useful first. `in_progress` holds (attempt id, mode)."""
    steps: list[NextStep] = []
    for attempt_id, mode in in_progress[:2]:
        kind = {"exam": "mock exam", "practice": "practice set", "adaptive": "adaptive session"}.get(
            mode, mode
        )
        steps.append(NextStep("resume", f"Resume your {kind}", attempt_id))
    if mock_exams_done == 0:
        steps.append(NextStep("mock-exam", "Take a first mock exam to measure where you stand"))
    if weakest_group is not None:
        group_id, title = weakest_group
        steps.append(NextStep("practise-group", f"Practise your weakest group: {title}", group_id))
    if mock_exams_done > 0:
        steps.append(NextStep("mock-exam", "Take another mock exam"))
    steps.append(NextStep("flashcards", "Review flashcards"))
    if not has_booking:
        steps.append(NextStep("book-exam", "Book your exam date in your profile"))
    return tuple(steps)
