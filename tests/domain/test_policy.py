"""Retake and renewal rules at their boundaries (Microsoft's retake policy and renewal rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.domain.policy import (
    add_months,
    renewal_status,
    renewed_expiry,
    retake_decision,
)
from certprep.errors import PolicyViolation

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class A:
    taken_at: datetime
    passed: bool = False


def decide(attempts: list[A], now: datetime, expires: date | None = None, held: bool = False):
    return retake_decision(attempts, now=now, certification_expires_on=expires, certification_held=held)


def test_no_attempt_is_allowed() -> None:
    assert decide([], T0).allowed


def test_first_failure_waits_24_hours_to_the_minute() -> None:
    first = [A(T0)]
    early = decide(first, T0 + timedelta(hours=23, minutes=59))
    assert not early.allowed and early.rule == "24-hours" and early.earliest == T0 + timedelta(hours=24)
    assert decide(first, T0 + timedelta(hours=24)).allowed


def test_later_failures_wait_14_days() -> None:
    two = [A(T0), A(T0 + timedelta(days=2))]
    last = two[-1].taken_at
    early = decide(two, last + timedelta(days=13, hours=23))
    assert not early.allowed and early.rule == "14-days"
    assert decide(two, last + timedelta(days=14)).allowed


def five_failures() -> list[A]:
    return [A(T0 + timedelta(days=d)) for d in (0, 1, 15, 29, 43)]


def test_sixth_attempt_inside_12_months_is_refused() -> None:
    d = decide(five_failures(), T0 + timedelta(days=200))
    assert not d.allowed and d.rule == "five-per-year"
    assert d.earliest == datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    assert not decide(five_failures(), datetime(2027, 1, 10, 8, 59, tzinfo=UTC)).allowed


def test_sixth_attempt_after_12_months_is_allowed() -> None:
    assert decide(five_failures(), datetime(2027, 1, 10, 9, 0, tzinfo=UTC)).allowed


def test_new_cycle_after_12_months_restarts_the_24_hour_rule() -> None:
    attempts = [*five_failures(), A(datetime(2027, 1, 11, 9, 0, tzinfo=UTC))]
    d = decide(attempts, datetime(2027, 1, 11, 20, 0, tzinfo=UTC))
    assert not d.allowed and d.rule == "24-hours"


def test_passed_exam_cannot_be_retaken_while_certification_valid() -> None:
    d = decide([A(T0, passed=True)], T0 + timedelta(days=100), expires=date(2027, 1, 10), held=True)
    assert not d.allowed and d.rule == "passed-and-valid"
    assert decide(
        [A(T0, passed=True)], datetime(2027, 1, 10, tzinfo=UTC), expires=date(2027, 1, 10), held=True
    ).allowed


def test_passed_exam_with_never_expiring_certification_cannot_be_retaken() -> None:
    d = decide([A(T0, passed=True)], T0 + timedelta(days=900), expires=None, held=True)
    assert not d.allowed and d.earliest is None


def test_renewal_window_opens_six_months_before_expiry() -> None:
    expires = date(2027, 5, 1)
    before = renewal_status(
        expires_on=expires, validity_kind="months", retired_on=None, today=date(2026, 10, 31)
    )
    on_day = renewal_status(
        expires_on=expires, validity_kind="months", retired_on=None, today=date(2026, 11, 1)
    )
    assert before.state == "not-yet-open" and before.window_opens == date(2026, 11, 1)
    assert on_day.state == "open" and on_day.renewable


def test_renewal_last_day_and_day_after_expiry() -> None:
    expires = date(2027, 5, 1)
    last = renewal_status(
        expires_on=expires, validity_kind="months", retired_on=None, today=date(2027, 4, 30)
    )
    after = renewal_status(
        expires_on=expires, validity_kind="months", retired_on=None, today=date(2027, 5, 2)
    )
    assert last.renewable
    assert after.state == "expired" and not after.renewable


def test_renewal_adds_a_year_to_the_current_expiry_not_to_today() -> None:
    status = renewal_status(
        expires_on=date(2027, 5, 1), validity_kind="months", retired_on=None, today=date(2026, 12, 1)
    )
    assert renewed_expiry(status) == date(2028, 5, 1)


def test_retired_certification_cannot_be_renewed() -> None:
    status = renewal_status(
        expires_on=date(2027, 5, 1),
        validity_kind="months",
        retired_on=date(2026, 7, 31),
        today=date(2027, 1, 1),
    )
    assert status.state == "retired"
    with pytest.raises(PolicyViolation, match="cannot renew now"):
        renewed_expiry(status)


def test_fundamentals_never_expire() -> None:
    s = renewal_status(expires_on=None, validity_kind="never", retired_on=None, today=date(2040, 1, 1))
    assert s.state == "never-expires" and not s.renewable


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2027, 5, 1), -6) == date(2026, 11, 1)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(-60, 60))
def test_add_months_round_trips_within_a_few_days(day: date, months: int) -> None:
    there = add_months(day, months)
    assert abs((add_months(there, -months) - day).days) <= 3
    assert (there.year * 12 + there.month) - (day.year * 12 + day.month) == months
