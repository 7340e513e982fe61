"""Attempt rules: sections that lock once left, yes/no statements that lock once answered, a server-side deadline.

An attempt is a practice set or a mock exam taken in certprep (a real exam is a sitting). Its clock is a stored
deadline: nothing about time lives in memory, so it keeps running through disconnects and restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from certprep.domain.exam import Section
from certprep.errors import InvalidInput, PolicyViolation

Mode = Literal["practice", "exam", "adaptive"]
Status = Literal["in-progress", "submitted", "discarded"]


@dataclass(frozen=True, slots=True)
class Attempt:
    id: str
    learner_id: str
    mode: Mode
    exam: str
    outline: date
    status: Status
    started_at: datetime
    deadline: datetime | None
    current_section: int
    sections: tuple[Section, ...]
    seed: int
    submitted_at: datetime | None = None
    expired: bool = False

    def time_left(self, now: datetime) -> timedelta | None:
        """Remaining time (never negative), or None for an untimed attempt."""
        if self.deadline is None:
            return None
        return max(self.deadline - now, timedelta(0))

    def is_over(self, now: datetime) -> bool:
        return self.deadline is not None and now >= self.deadline


def deadline_for(started_at: datetime, minutes: int | None, extension_minutes: int = 0) -> datetime | None:
    """The stored deadline: start + length + any accommodation extension."""
    if minutes is None:
        return None
    if minutes <= 0 or extension_minutes < 0:
        raise InvalidInput("the time limit must be positive and an extension not negative", field="minutes")
    return started_at + timedelta(minutes=minutes + extension_minutes)


def check_open(attempt: Attempt, now: datetime) -> None:
    """The attempt accepts actions: not submitted or discarded, time not run out."""
    if attempt.status != "in-progress":
        raise PolicyViolation(f"attempt {attempt.id} is already {attempt.status}", attempt=attempt.id)
    if attempt.is_over(now):
        raise PolicyViolation(
            f"time is up for attempt {attempt.id}: it was submitted with what was answered",
            attempt=attempt.id,
        )


def check_in_section(attempt: Attempt, section: int, position: int) -> None:
    """Only items of the current section can be viewed, answered or marked; left sections stay locked."""
    if section < attempt.current_section:
        raise PolicyViolation(
            f"item {position + 1} is in section {section + 1}, which is locked: you left it",
            position=position,
        )
    if section > attempt.current_section:
        raise PolicyViolation(
            f"item {position + 1} is in section {section + 1}; finish section {attempt.current_section + 1} first",
            position=position,
        )


def gives_feedback(mode: str) -> bool:
    """Practice sets and adaptive sessions show the key and explanations right after each answer; exams do not."""
    return mode != "exam"


def key_shown(*, mode: str, status: str, answered: bool) -> bool:
    """The learner has seen an item's key: after submission, or once answered where feedback is given. A
    discarded attempt shows no keys (discarding must not be a way to peek)."""
    return status == "submitted" or (gives_feedback(mode) and answered)


def is_locked(attempt: Attempt, *, section: int, item_type: str, answered: bool) -> bool:
    """The item can no longer be answered: the attempt ended, its section was left, a yes/no statement was
    answered (as in the real exam), or its feedback was shown."""
    return (
        attempt.status != "in-progress"
        or section < attempt.current_section
        or (answered and (item_type == "yes-no" or gives_feedback(attempt.mode)))
    )


def check_answerable(
    attempt: Attempt, *, section: int, position: int, item_type: str, answered: bool
) -> None:
    """Refuse an answer to a locked item (`is_locked`), saying why."""
    check_in_section(attempt, section, position)
    if answered and item_type == "yes-no":
        raise PolicyViolation(
            f"item {position + 1} is a yes/no statement and locked once answered", position=position
        )
    if answered and gives_feedback(attempt.mode):
        raise PolicyViolation(f"item {position + 1} was answered and its feedback shown", position=position)
    assert not is_locked(attempt, section=section, item_type=item_type, answered=answered)


def next_section(attempt: Attempt, *, confirm: bool) -> int:
    """Leave the current section for the next one; it cannot be reopened, so the learner must confirm."""
    if attempt.current_section + 1 >= len(attempt.sections):
        raise PolicyViolation("this is the last section: submit the attempt instead")
    if not confirm:
        raise InvalidInput(
            f"leaving section {attempt.current_section + 1} locks it for good: confirm to continue",
            field="confirm",
        )
    return attempt.current_section + 1


def check_discardable(attempt: Attempt, now: datetime) -> None:
    """Only an attempt still in progress can be discarded; a submitted one keeps its report."""
    if attempt.status == "discarded":
        raise PolicyViolation(f"attempt {attempt.id} is already discarded", attempt=attempt.id)
    if attempt.status == "submitted" or attempt.is_over(now):
        raise PolicyViolation(
            f"attempt {attempt.id} is submitted (or its time ran out): its report is kept and it cannot be "
            "discarded",
            attempt=attempt.id,
        )
