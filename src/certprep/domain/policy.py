"""Exam retake waits and attempt limits, certification renewal windows and expiry.

Rules and sources (Microsoft Learn, "Exam retake policy" and "Renew your Microsoft Certification"; see
az400-facts.md section 2):
- first failure: wait 24 hours; later failures: 14 days between attempts;
- at most 5 attempts in the 12 months from the first attempt, then wait until 12 months after the first attempt;
- no retake of a passed exam while its certification is valid;
- renewal: free assessment, window opens 6 months before expiry; a pass adds 12 months to the current expiry;
  retired certifications cannot be renewed; Fundamentals certifications never expire.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from certprep.errors import PolicyViolation

RETAKE_SOURCE = "https://learn.microsoft.com/en-us/credentials/support/retake-policy"
RENEWAL_SOURCE = (
    "https://learn.microsoft.com/en-us/credentials/certifications/renew-your-microsoft-certification"
)
FIRST_RETAKE_WAIT = timedelta(hours=24)
LATER_RETAKE_WAIT = timedelta(days=14)
MAX_ATTEMPTS_PER_YEAR = 5
RENEWAL_WINDOW_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """Calendar months later (or earlier), the day clamped to the month's length (31 Aug + 6 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_months_dt(moment: datetime, months: int) -> datetime:
    shifted = add_months(moment.date(), months)
    return moment.replace(year=shifted.year, month=shifted.month, day=shifted.day)


class Attempt(Protocol):
    @property
    def taken_at(self) -> datetime: ...
    @property
    def passed(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class RetakeDecision:
    allowed: bool
    earliest: datetime | None
    rule: Literal["first-attempt", "24-hours", "14-days", "five-per-year", "passed-and-valid", "open"]
    reason: str
    source: str = RETAKE_SOURCE


def retake_decision(
    attempts: Sequence[Attempt],
    *,
    now: datetime,
    certification_expires_on: date | None,
    certification_held: bool,
) -> RetakeDecision:
    """May the learner sit this exam again now, and if not, from when?"""
    ordered = sorted(attempts, key=lambda a: a.taken_at)
    if not ordered:
        return RetakeDecision(True, None, "first-attempt", "No attempt recorded: you may book the exam.")
    passes = [a for a in ordered if a.passed]
    if passes:
        if certification_held and (certification_expires_on is None or now.date() < certification_expires_on):
            earliest = (
                datetime.combine(certification_expires_on, datetime.min.time(), tzinfo=now.tzinfo)
                if certification_expires_on
                else None
            )
            return RetakeDecision(
                False,
                earliest,
                "passed-and-valid",
                "You passed this exam and its certification is still valid: renew it instead of retaking.",
            )
        ordered = [a for a in ordered if a.taken_at > passes[-1].taken_at]
        if not ordered:
            return RetakeDecision(
                True, None, "open", "Your certification has expired: you may sit the exam again."
            )
    cycle_start = ordered[0].taken_at
    for attempt in ordered[1:]:
        if attempt.taken_at >= add_months_dt(cycle_start, 12):
            cycle_start = attempt.taken_at
    in_cycle = [a for a in ordered if a.taken_at >= cycle_start]
    last = in_cycle[-1].taken_at
    if len(in_cycle) >= MAX_ATTEMPTS_PER_YEAR:
        earliest = add_months_dt(cycle_start, 12)
        rule: Literal["24-hours", "14-days", "five-per-year"] = "five-per-year"
        reason = (
            f"{len(in_cycle)} attempts since {cycle_start:%Y-%m-%d}: at most {MAX_ATTEMPTS_PER_YEAR} in 12 months; "
            "wait until 12 months after that first attempt."
        )
    elif len(in_cycle) == 1:
        earliest, rule = last + FIRST_RETAKE_WAIT, "24-hours"
        reason = "After a first failure, wait 24 hours before the next attempt."
    else:
        earliest, rule = last + LATER_RETAKE_WAIT, "14-days"
        reason = "After the second attempt, wait 14 days between attempts."
    if now >= earliest:
        return RetakeDecision(True, earliest, rule, reason)
    return RetakeDecision(False, earliest, rule, reason)


RenewalState = Literal["never-expires", "unknown", "not-yet-open", "open", "expired", "retired"]


@dataclass(frozen=True, slots=True)
class RenewalStatus:
    state: RenewalState
    expires_on: date | None
    window_opens: date | None
    reason: str
    source: str = RENEWAL_SOURCE

    @property
    def renewable(self) -> bool:
        return self.state == "open"


def renewal_status(
    *,
    expires_on: date | None,
    validity_kind: Literal["months", "never", "unknown"],
    retired_on: date | None,
    today: date,
) -> RenewalStatus:
    """Where a held certification stands: never expires, renewal window open or not yet, expired, retired."""
    if validity_kind == "never":
        return RenewalStatus("never-expires", None, None, "Fundamentals certifications do not expire.")
    if validity_kind == "unknown" or expires_on is None:
        return RenewalStatus("unknown", expires_on, None, "Expiry not known: check with the issuer.")
    opens = add_months(expires_on, -RENEWAL_WINDOW_MONTHS)
    if today >= expires_on:
        return RenewalStatus(
            "expired", expires_on, opens, f"Expired on {expires_on}: earn it again to hold it."
        )
    if retired_on is not None and retired_on <= today:
        return RenewalStatus(
            "retired",
            expires_on,
            None,
            f"Retired on {retired_on}: valid until {expires_on} but it cannot be renewed.",
        )
    if today >= opens:
        return RenewalStatus("open", expires_on, opens, f"Renewal is open until {expires_on}.")
    return RenewalStatus("not-yet-open", expires_on, opens, f"Renewal opens on {opens}.")


def renewed_expiry(status: RenewalStatus) -> date:
    """The new expiry after passing the renewal assessment: one year added to the current expiry."""
    if not status.renewable or status.expires_on is None:
        raise PolicyViolation(f"cannot renew now: {status.reason}", state=status.state)
    return add_months(status.expires_on, 12)
