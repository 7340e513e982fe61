"""The attempt rules in one place: what is locked, when a key has been shown, what can be discarded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from certprep.domain.attempt import Attempt, check_discardable, is_locked, key_shown
from certprep.domain.exam import Section
from certprep.errors import PolicyViolation

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def attempt(mode: str = "exam", status: str = "in-progress", section: int = 0) -> Attempt:
    return Attempt(
        id="a1",
        learner_id="l",
        mode=mode,  # type: ignore[arg-type]
        exam="AZ-400",
        outline=date(2026, 7, 27),
        status=status,  # type: ignore[arg-type]
        started_at=NOW,
        deadline=NOW + timedelta(minutes=100),
        current_section=section,
        sections=(Section(0, "questions", "Q"), Section(1, "case-study", "C", "c")),
        seed=1,
    )


@pytest.mark.parametrize(
    ("mode", "status", "section", "kind", "answered", "locked"),
    [
        ("exam", "in-progress", 0, "single", True, False),  # an exam answer can change until the end
        ("exam", "in-progress", 0, "yes-no", True, True),
        ("exam", "in-progress", 1, "single", False, True),  # section 0 was left
        ("practice", "in-progress", 0, "single", True, True),
        ("adaptive", "in-progress", 0, "single", True, True),
        ("adaptive", "in-progress", 0, "single", False, False),
        ("exam", "submitted", 0, "single", False, True),
        ("exam", "discarded", 0, "single", False, True),
    ],
)
def test_is_locked(mode: str, status: str, section: int, kind: str, answered: bool, locked: bool) -> None:
    a = attempt(mode, status, section)
    assert is_locked(a, section=0, item_type=kind, answered=answered) is locked


def test_key_shown_only_after_submission_or_feedback() -> None:
    assert key_shown(mode="exam", status="in-progress", answered=True) is False
    assert key_shown(mode="exam", status="submitted", answered=False) is True
    assert key_shown(mode="practice", status="in-progress", answered=True) is True
    assert key_shown(mode="adaptive", status="in-progress", answered=True) is True
    assert key_shown(mode="practice", status="in-progress", answered=False) is False
    assert key_shown(mode="exam", status="discarded", answered=True) is False


def test_only_an_attempt_in_progress_can_be_discarded() -> None:
    check_discardable(attempt(), NOW)
    with pytest.raises(PolicyViolation, match="its report is kept"):
        check_discardable(attempt(status="submitted"), NOW)
    with pytest.raises(PolicyViolation, match="time ran out"):
        check_discardable(attempt(), NOW + timedelta(hours=2))
