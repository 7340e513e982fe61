"""Is a study plan realistic, and what would fix it: the hours needed against the hours the days give, then the
extra hours per study day and the first later exam day that would make them fit, computed over the same weekly
hours, days off and light last day as the plan itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from certprep.domain.plan_hours import fmt_hours, quarters_down, quarters_up
from certprep.domain.plan_values import (
    LIGHT_DAY,
    MOCK,
    MOCK_SITTING,
    PRESETS,
    Done,
    MockKind,
    PlanInput,
    mock_kinds,
)

MAX_DAY = 24 * 4  # quarters in a day: no advice asks for more
HORIZON_DAYS = 3 * 366  # a later exam day is looked for within three years


@dataclass(frozen=True, slots=True)
class Assessment:
    needed: int  # quarters
    realistic: bool
    advice: str


def assess(
    inp: PlanInput,
    done: Done,
    *,
    available: int,
    fixed_without_mocks: int,
    objectives: int,
    unplaced: Sequence[MockKind],
    unmet_reviews: Sequence[tuple[date, int]],
) -> Assessment:
    """Hours needed (quarters), whether they fit, and the advice when they do not."""
    need_for = _needs(inp, done, fixed_without_mocks, objectives)
    n = max(0, (inp.exam_day - inp.start).days)
    needed = need_for(n)
    parts: list[str] = []
    if needed > available:
        parts.append(_more_time(inp, done, needed, available, need_for))
    for kind in unplaced:
        parts.append(
            f"No day has {fmt_hours(MOCK_SITTING)} h free in one sitting for the {kind} mock exam "
            f"(100 minutes): give at least {fmt_hours(MOCK_SITTING)} h on one day {_where(inp, kind)}."
        )
    if unmet_reviews:
        missing = sum(q for _, q in unmet_reviews)
        days = ", ".join(d.isoformat() for d, _ in unmet_reviews[:3]) + (
            ", ..." if len(unmet_reviews) > 3 else ""
        )
        parts.append(
            f"The review queue needs {fmt_hours(missing)} h more than its days give ({days}): add time on those days."
        )
    return Assessment(needed, not parts, " ".join(parts))


def _needs(inp: PlanInput, done: Done, fixed: int, objectives: int) -> Callable[[int], int]:
    """Quarters needed for a window of n days (only the number of mock exams depends on it)."""

    def need(n: int) -> int:
        mocks = MOCK * len(mock_kinds(n, done.mocks))
        if inp.preset is None:
            return fixed + mocks + objectives
        # A preset promises its low end in all (done hours count), never less than the fixed hours left.
        return max(quarters_up(PRESETS[inp.preset].total_hours[0]) - done.total, fixed + mocks)

    return need


def _where(inp: PlanInput, kind: MockKind) -> str:
    if kind == "final":
        return f"2 or 3 days before the exam ({(inp.exam_day - timedelta(days=3)).isoformat()})"
    return "in the first days of the plan" if kind == "baseline" else "mid-way through the plan"


def _more_time(
    inp: PlanInput, done: Done, needed: int, available: int, need_for: Callable[[int], int]
) -> str:
    head = f"The plan needs {fmt_hours(needed)} h and the days before the exam give {fmt_hours(available)} h"
    fixes = []
    extra = _extra_per_day(inp, done, needed)
    if extra is not None:
        fixes.append(f"add {fmt_hours(extra)} h to every study day")
    later = _later_exam_day(inp, done, need_for)
    if later is not None:
        fixes.append(f"move the exam to {later.isoformat()}")
    if not fixes:
        return head + ": no number of hours a day or later date within three years fits; add study days."
    return head + ": " + ", or ".join(fixes) + "."


def _window_capacity(inp: PlanInput, done: Done, n: int, extra: int, study: Callable[[date], bool]) -> int:
    """What n days from start give with `extra` quarters on each study day (the light last day stays at 1 h)."""
    total = 0
    for i in range(n):
        day = inp.start + timedelta(days=i)
        cap = 0 if day in inp.days_off else _raw(inp, day)
        if study(day):
            cap = min(MAX_DAY, cap + extra)
        if i == n - 1:
            cap = min(cap, LIGHT_DAY)
        total += max(0, cap - done.used.get(day, 0))
    return total


def _raw(inp: PlanInput, day: date) -> int:
    return quarters_down(inp.weekday_hours[day.weekday()])


def _extra_per_day(inp: PlanInput, done: Done, needed: int) -> int | None:
    """The fewest quarters to add to every study day (a day not off with hours; every day not off when none has
    hours) so that the window gives what is needed; None when even a full day would not do."""
    n = max(0, (inp.exam_day - inp.start).days)
    days = [inp.start + timedelta(days=i) for i in range(n)]
    with_hours = {d for d in days if d not in inp.days_off and _raw(inp, d) > 0}
    study = with_hours or {d for d in days if d not in inp.days_off}
    for extra in range(1, MAX_DAY + 1):
        if _window_capacity(inp, done, n, extra, study.__contains__) >= needed:
            return extra
    return None


def _later_exam_day(inp: PlanInput, done: Done, need_for: Callable[[int], int]) -> date | None:
    """The first exam day after the current one whose window (same weekly hours, days off, light last day)
    gives the hours it needs (hours only: where the mock exams land is not part of this count)."""
    before_last = 0  # free quarters of the window's days before its last
    n0 = max(0, (inp.exam_day - inp.start).days)
    for n in range(1, n0 + HORIZON_DAYS + 1):
        last = inp.start + timedelta(days=n - 1)
        raw = 0 if last in inp.days_off else _raw(inp, last)
        used = done.used.get(last, 0)
        total = before_last + max(0, min(raw, LIGHT_DAY) - used)
        if n > n0 and total >= need_for(n):
            return inp.start + timedelta(days=n)
        before_last += max(0, raw - used)
    return None
