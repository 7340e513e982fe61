"""The study planner's steps: days and their free quarters, reviews, mock exams, the prerequisite block, the
objectives' blocks and the light last day. The rules are written out in `certprep.domain.planner`'s docstring;
`schedule` is what `build_plan` and `replan` call.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from certprep.domain.plan_advice import Assessment, assess
from certprep.domain.plan_hours import (
    MAX_BLOCK,
    MIN_BLOCK,
    apportion,
    chunks,
    hours,
    pack,
    quarters_down,
    quarters_up,
    water_fill,
)
from certprep.domain.plan_values import (
    ACTIVITY_SHARES,
    LIGHT_DAY,
    MOCK,
    MOCK_LABEL,
    MOCK_REPORT,
    MOCK_SITTING,
    PRESETS,
    Activity,
    Block,
    Done,
    MockKind,
    Plan,
    PlanInput,
    blocks_done,
    mock_kinds,
)
from certprep.errors import InvalidInput

REPORT_LABEL = "{}: go through its report"
LIGHT_LABEL = "light last day"
_RANK: dict[str, int] = {"review": 0, "mock-exam": 1, "prerequisite": 2}


@dataclass(slots=True)
class _Draft:
    rank: int
    activity: Activity
    objective: str | None
    quarters: int
    label: str


@dataclass(slots=True)
class Days:
    """The plan's window (start .. the day before the exam) and what is still free on each day."""

    days: list[date]
    raw: list[int]  # quarters the weekday gives (0 on days off), before the light-day cap
    free: list[int]
    drafts: list[list[_Draft]] = field(default_factory=list)

    @property
    def last(self) -> int:
        return len(self.days) - 1

    def normal(self, i: int) -> bool:
        """A day that takes study blocks (every day but the light last one)."""
        return 0 <= i < self.last

    def put(self, i: int, activity: Activity, objective: str | None, q: int, label: str = "") -> None:
        self.drafts[i].append(_Draft(_RANK.get(activity, 3), activity, objective, q, label))
        self.free[i] -= q


def check_input(inp: PlanInput) -> None:
    if len(inp.weekday_hours) != 7:
        raise InvalidInput("weekday_hours needs 7 values, Monday to Sunday", field="weekday_hours")
    if any(not math.isfinite(h) or h < 0 or h > 24 for h in inp.weekday_hours):
        raise InvalidInput("hours per weekday must be between 0 and 24", field="weekday_hours")
    if any(not math.isfinite(h) or h < 0 for h in inp.review_hours.values()):
        raise InvalidInput("review hours must be 0 or more", field="review_hours")
    if not math.isfinite(inp.prerequisite_hours) or inp.prerequisite_hours < 0:
        raise InvalidInput("prerequisite hours must be 0 or more", field="prerequisite_hours")


def raw_capacity(inp: PlanInput, day: date) -> int:
    return 0 if day in inp.days_off else quarters_down(inp.weekday_hours[day.weekday()])


def make_days(inp: PlanInput, done: Done) -> Days:
    n = max(0, (inp.exam_day - inp.start).days)
    days = [inp.start + timedelta(days=i) for i in range(n)]
    raw = [raw_capacity(inp, d) for d in days]
    cap = [min(c, LIGHT_DAY) if i == n - 1 else c for i, c in enumerate(raw)]
    free = [max(0, c - done.used.get(d, 0)) for c, d in zip(cap, days, strict=True)]
    return Days(days, raw, free, [[] for _ in days])


def reserve_reviews(st: Days, inp: PlanInput) -> list[tuple[date, int]]:
    """Reserve each day's review-queue hours; returns the days whose reviews did not fit, with the quarters missing."""
    unmet: list[tuple[date, int]] = []
    for i, day in enumerate(st.days):
        need = quarters_up(inp.review_hours.get(day, 0.0))
        r = min(need, st.free[i])
        if need > r:
            unmet.append((day, need - r))
        while r > 0:
            p = min(r, MAX_BLOCK)
            st.put(i, "review", None, p, "review queue")
            r -= p
    return unmet


def _mock_parts(st: Days, i: int) -> list[tuple[int, int]] | None:
    """Where a mock on day i goes: the whole 2.5 h that day, or the sitting that day and the report one of the
    next two days (never the light last day); None when it does not fit."""
    if not st.normal(i):
        return None
    if st.free[i] >= MOCK:
        return [(i, MOCK)]
    if st.free[i] >= MOCK_SITTING:
        for j in (i + 1, i + 2):
            if st.normal(j) and st.free[j] >= MOCK_REPORT:
                return [(i, MOCK_SITTING), (j, MOCK_REPORT)]
    return None


def _try_place(st: Days, kind: MockKind, candidates: Sequence[int]) -> int | None:
    for i in candidates:
        parts = _mock_parts(st, i)
        if parts is None:
            continue
        (day, q), *report = parts
        st.put(day, "mock-exam", None, q, MOCK_LABEL[kind])
        for j, rq in report:
            st.put(j, "mock-exam", None, rq, REPORT_LABEL.format(MOCK_LABEL[kind]))
        return i
    return None


def place_mocks(st: Days, kinds: Sequence[MockKind], kept: Sequence[Block]) -> list[MockKind]:
    """Place the mock exams still to sit (final, then baseline, then mid-way); returns those that found no day."""
    n = len(st.days)
    at: dict[MockKind, int | None] = {k: _kept_index(st, kept, k) for k in MOCK_LABEL}
    unplaced: list[MockKind] = []
    if "final" in kinds:
        at["final"] = _try_place(st, "final", [n - 3, n - 2, *range(n - 4, n - 11, -1)])
    if "baseline" in kinds:
        limit = n if at["final"] is None else at["final"] - 1
        study = [i for i in range(min(limit, n)) if st.raw[i] > 0]
        early = max(7, n // 4)  # the first week always holds the learner's longest day, if any
        at["baseline"] = _try_place(st, "baseline", [*study[:2], *(i for i in study[2:] if i < early)])
    if "mid-way" in kinds:
        lo = 0 if at["baseline"] is None else at["baseline"] + 2
        hi = n - 3 if at["final"] is None else at["final"] - 2
        target = ((at["baseline"] or 0) + (n - 3 if at["final"] is None else at["final"])) // 2
        order = sorted(range(lo, hi + 1), key=lambda i: (abs(i - target), i))
        at["mid-way"] = _try_place(st, "mid-way", order)
    unplaced.extend(k for k in kinds if at[k] is None)
    return unplaced


def _kept_index(st: Days, kept: Sequence[Block], kind: MockKind) -> int | None:
    for b in kept:
        if b.activity == "mock-exam" and b.label == MOCK_LABEL[kind] and b.day in st.days:
            return st.days.index(b.day)
    return None


def fill_prerequisite(st: Days, q: int) -> None:
    """The prerequisite's hours take the first free time (it is what the rest builds on)."""
    left = max(q, MIN_BLOCK) if q > 0 else 0
    for i in range(len(st.days)):
        while left > 0 and st.normal(i):
            p = chunks(left, st.free[i])
            if not p:
                break
            st.put(i, "prerequisite", None, p, "associate prerequisite")
            left -= p


def shares(inp: PlanInput) -> list[float]:
    """weight × (1 - mastery) × adjustment per objective (mastery clamped to 0..1, missing = 0)."""
    out = []
    for o in inp.objectives:
        m = min(1.0, max(0.0, inp.mastery.get(o.objective, 0.0)))
        adj = max(0.0, inp.adjustments.get(o.objective, 1.0))
        out.append(max(0.0, o.weight) * (1.0 - m) * adj)
    return out


def objective_targets(inp: PlanInput, done: Done, fixed_left: int) -> list[float]:
    """Hours still to study per objective: study_hours × share (no preset), or the preset's high end minus every
    fixed hour of the whole plan split ∝ share; minus the hours already done on it."""
    s = shares(inp)
    total = sum(s)
    if inp.preset is None:
        full = [inp.study_hours * x for x in s]
    else:
        # The light last day's flashcards (1 h) come on top of the objectives' blocks: keep them inside the total.
        h = max(0.0, PRESETS[inp.preset].total_hours[1] - hours(fixed_left + done.fixed + LIGHT_DAY))
        full = [h * x / total if total > 0 else 0.0 for x in s]
    return [
        max(0.0, f - hours(done.by_objective.get(o.objective, 0)))
        for f, o in zip(full, inp.objectives, strict=True)
    ]


def objective_need(targets: Sequence[float]) -> int:
    """Quarters the objectives need: their target, and at least one 0.5 h block for each with time left."""
    return max(round(sum(targets) * 4), MIN_BLOCK * sum(1 for t in targets if t > 0))


def study_order(inp: PlanInput, targets: Sequence[float]) -> list[int]:
    """Groups by summed target (largest first), and the weakest objective of a group first; ties in outline order."""
    by_group: dict[str, float] = {}
    first: dict[str, int] = {}
    for i, o in enumerate(inp.objectives):
        by_group[o.group] = by_group.get(o.group, 0.0) + targets[i]
        first.setdefault(o.group, i)
    return sorted(
        range(len(inp.objectives)),
        key=lambda i: (-by_group[inp.objectives[i].group], first[inp.objectives[i].group], -targets[i], i),
    )


def split_activities(q: int, mastery: float = 0.0) -> list[tuple[Activity, int]]:
    """An objective's quarters by activity, in study order, each at least 0.5 h. What the evidence says is partly
    known (mastery 0.4 or more) starts at practice, since retrieving beats re-reading; what is nearly known (0.8 or
    more) goes to a lab and flashcards. With little time the first activities get it."""
    first = 0 if mastery < 0.4 else (1 if mastery < 0.8 else 2)
    acts = ACTIVITY_SHARES[first:]
    k = min(len(acts), q // MIN_BLOCK)
    if k == 0:
        return []
    acts = acts[:k]
    return [(a, n) for (a, _), n in zip(acts, water_fill(q, [w for _, w in acts]), strict=True) if n > 0]


def schedule_objectives(st: Days, inp: PlanInput, targets: Sequence[float], need: int) -> None:
    usable = [f if st.normal(i) and f >= MIN_BLOCK else 0 for i, f in enumerate(st.free)]
    # When time is tight most objectives get the 0.5 h minimum, and 0.5 h pieces fill only the even part of a
    # day (1.75 h takes three, not 3.5): a budget within the even parts fits, so no objective falls off the end.
    budget = min(need, sum(u - u % MIN_BLOCK for u in usable))
    alloc = water_fill(budget, targets)
    pieces: list[tuple[tuple[str, Activity], int]] = []
    for i in study_order(inp, targets):
        oid = inp.objectives[i].objective
        mastery = min(1.0, max(0.0, inp.mastery.get(oid, 0.0)))
        pieces.extend(((oid, act), q) for act, q in split_activities(alloc[i], mastery))
    for day, (oid, act), q in pack(pieces, apportion(budget, usable), usable, thread=lambda k: k[0]):
        st.put(day, act, oid, q)


def light_day(st: Days, inp: PlanInput, targets: Sequence[float]) -> None:
    """Flashcards on the objectives with the most left to learn, in what the last day has free (at most 1 h)."""
    if not st.days:
        return
    weights = list(targets) if any(t > 0 for t in targets) else shares(inp)
    top = sorted((i for i, w in enumerate(weights) if w > 0), key=lambda i: (-weights[i], i))
    free = st.free[st.last]
    sizes = [MIN_BLOCK, MIN_BLOCK] if free >= 2 * MIN_BLOCK and len(top) >= 2 else [free]
    for i, q in zip(top, sizes, strict=False):
        if q >= MIN_BLOCK:
            st.put(st.last, "flashcards", inp.objectives[i].objective, q, LIGHT_LABEL)


def to_blocks(st: Days, kept: Sequence[Block]) -> tuple[Block, ...]:
    """Number each day's new blocks after any kept id, so a done block's id is never reused."""
    used = {b.id for b in kept}
    out = list(kept)
    for day, drafts in zip(st.days, st.drafts, strict=True):
        n = 0
        for d in sorted(drafts, key=lambda d: d.rank):
            while f"{day.isoformat()}#{n}" in used:
                n += 1
            out.append(
                Block(f"{day.isoformat()}#{n}", day, d.activity, d.objective, hours(d.quarters), d.label)
            )
            n += 1
    return tuple(sorted(out, key=lambda b: (b.day, _number(b.id), b.id)))


def _number(block_id: str) -> int:
    tail = block_id.rsplit("#", 1)[-1]
    return int(tail) if tail.isdigit() else -1


def schedule(inp: PlanInput, kept: Sequence[Block], start: date) -> Plan:
    """Build the plan for inp's window around the kept blocks (see the planner's docstring)."""
    check_input(inp)
    done = blocks_done(kept)
    st = make_days(inp, done)
    available = sum(st.free)
    unmet = reserve_reviews(st, inp)
    kinds = mock_kinds(len(st.days), done.mocks)
    unplaced = place_mocks(st, kinds, kept)
    prereq = max(0, quarters_up(inp.prerequisite_hours) - done.prerequisite)
    fill_prerequisite(st, prereq)
    reviews = sum(quarters_up(inp.review_hours.get(d, 0.0)) for d in st.days)
    targets = objective_targets(inp, done, reviews + MOCK * len(kinds) + prereq)
    need = objective_need(targets)
    schedule_objectives(st, inp, targets, need)
    light_day(st, inp, targets)
    result: Assessment = assess(
        inp,
        done,
        available=available,
        fixed_without_mocks=reviews + prereq,
        objectives=need,
        unplaced=unplaced,
        unmet_reviews=unmet,
    )
    return Plan(
        start=start,
        exam_day=inp.exam_day,
        blocks=to_blocks(st, kept),
        hours_needed=hours(result.needed),
        hours_available=hours(available),
        realistic=result.realistic,
        advice=result.advice,
    )
