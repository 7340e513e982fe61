"""The study plan: from the exam day, the outline's weights, the hours a learner has and the evidence so far, a
day-by-day agenda of study blocks; re-planning that keeps what was done; the pack's plan rules (presets' wording,
associate prerequisite, adjustments per associate certification held).

Pure: no database, no framework, no clock (the first day is passed in), no randomness; values are frozen
dataclasses. All arithmetic is in quarter hours (`plan_hours`), so every block is a multiple of 15 minutes.

How a plan is built (`build_plan`; `replan` runs the same steps on what is left):

1. Days. Every day from `start` to the day before the exam gives its weekday's hours, rounded down to a quarter
   hour; days off give 0. The day before the exam is light: at most 1 h, the review queue and flashcards only.
2. Reviews first: each day's review-queue hours are reserved before anything else (capped by the day).
3. Mock exams, 2.5 h each (100 minutes plus going through the report): the final one 3 days before the exam (else
   2 days, else the latest day with room up to 10 days before), a baseline on the first or second study day (else the earliest
   day with room in the first week, or the first quarter of a long plan) and, when the plan spans 10 days or more, a mid-way one nearest the
   middle between them. The baseline needs two days' distance from the final: plans under 5 days have the final
   only, which is then also the baseline. A mock needs 1.75 h in one sitting; a day with less than 2.5 h free takes
   the sitting and one of the next two days the 0.75 h report. A mock that finds no day makes the plan unrealistic.
4. The associate prerequisite's hours (comprehensive preset, neither associate held) fill the first free hours.
5. Objectives. Each objective's share is weight × (1 - mastery) × adjustment. Its target hours are
   `study_hours` × share with no preset (the need the evidence implies), or the preset's high end minus the fixed
   hours (reviews, mocks, prerequisite) split ∝ share with a preset; hours already done on it are subtracted. The
   budget is the smaller of the summed target and the free hours (the even half hours of each day when that is
   the smaller, so 0.5 h blocks fit). Every objective with a share gets at least one 0.5 h block when the budget
   allows (a demanding learner wants every bullet touched); otherwise the largest shares come first. The rest is
   split ∝ share.
6. Each objective's hours go to reading first, then practice, then a lab, then flashcards (30/30/25/15 %, each
   at least 0.5 h, blocks of 0.5-2 h); an objective the evidence shows partly known (mastery 0.4+) starts at
   practice, nearly known (0.8+) at the lab. With the 0.5 h minimum, a short plan gives most objectives one block,
   so the baseline mock exam's evidence (and a replan after it) decides whether that block is reading or
   practice. Groups come in order of their summed share and, within a group, the weakest objective first, so when
   time runs out what is left undone matters least. Pieces are laid into days in that order; one that does not
   fit the room left may let a later objective's piece go first, never a later piece of its own objective.
7. When the days give more than the budget, every day takes the same share of its free time (the slack is where
   a learner catches up), instead of front-loading the plan. The light last day gets flashcards on the
   objectives with the largest share.

Realistic when the hours needed (the preset's low end, never less than the fixed hours; with no preset the fixed
hours plus the objectives' target, at least 0.5 h per objective left) fit the hours the days give, every mock
exam found a day and every day's reviews fit. Otherwise `advice` says, computed: how many more hours per study day
would make the hours fit, and the first later exam day that would (the same weekly hours and days off).

`build_plan` never emits "rest" blocks: a day without blocks is a rest day. Blocks a learner marked done are kept
by `replan` exactly as they were, even if they no longer fit the hours given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from certprep.domain.plan_schedule import schedule
from certprep.domain.plan_values import (
    ACTIVITY_SHARES,
    PRESETS,
    Activity,
    Block,
    MockKind,
    ObjectiveWeight,
    Plan,
    PlanInput,
    PlanRules,
    Preset,
    PresetName,
    PresetWording,
)
from certprep.errors import InvalidInput


def preset_exam_day(preset: PresetName, start: date, *, days: int | None = None) -> date:
    """The exam day of a preset plan starting on `start` (default length: the preset's longest)."""
    low, high = PRESETS[preset].days
    n = high if days is None else days
    if not low <= n <= high:
        span = f"{low}" if low == high else f"{low}-{high}"
        raise InvalidInput(f"the {preset} preset lasts {span} days, not {n}", field="days")
    return start + timedelta(days=n)


def objective_weights(
    groups: Sequence[tuple[str, tuple[int, int], Sequence[tuple[str, str, str]]]],
) -> tuple[ObjectiveWeight, ...]:
    """From (group id, (weight low %, weight high %), [(objective id, code, text), ...]) — group share = midpoint normalised; split equally among its objectives."""
    # The outline gives ranges (e.g. 50-55 %); the midpoint is the best single guess, normalised because the
    # midpoints of a real outline rarely add up to exactly 100.
    mids = [(lo + hi) / 2 if objs else 0.0 for _, (lo, hi), objs in groups]
    total = sum(mids)
    if total <= 0:
        mids = [1.0 if objs else 0.0 for _, _, objs in groups]
        total = sum(mids)
    out: list[ObjectiveWeight] = []
    for (gid, _, objs), mid in zip(groups, mids, strict=True):
        for oid, code, text in objs:
            out.append(ObjectiveWeight(oid, gid, code, text, mid / total / len(objs)))
    return tuple(out)


def hours_by_objective(plan: Plan) -> dict[str, float]:
    """Scheduled hours per objective (blocks without an objective left out)."""
    out: dict[str, float] = {}
    for b in plan.blocks:
        if b.objective is not None:
            out[b.objective] = out.get(b.objective, 0.0) + b.hours
    return out


def build_plan(inp: PlanInput) -> Plan:
    """A day-by-day study plan from inp.start to the day before the exam (see the module docstring)."""
    return schedule(inp, (), inp.start)


def replan(previous: Plan, done: frozenset[str], inp: PlanInput) -> Plan:
    """Keeps every done block as it was (even past ones); drops undone past blocks; spreads what is still to learn over inp.start..exam_day-1."""
    kept = tuple(b for b in previous.blocks if b.id in done)
    return schedule(inp, kept, min(previous.start, inp.start))


def adjustments_for(
    rules: PlanRules, held_cert_ids: Iterable[str], objectives: Sequence[ObjectiveWeight]
) -> dict[str, float]:
    """Multiplier per objective for the certifications held (1.0 when none applies). An objective entry overrides
    its group's entry; holding several certifications takes the smallest multiplier (the stronger background)."""
    held = [c for c in dict.fromkeys(held_cert_ids) if c in rules.adjustments]
    out: dict[str, float] = {}
    for o in objectives:
        factors = []
        for cert in held:
            entry = rules.adjustments[cert]
            by_obj, by_group = entry.get("objectives", {}), entry.get("groups", {})
            if o.objective in by_obj:
                factors.append(by_obj[o.objective])
            elif o.group in by_group:
                factors.append(by_group[o.group])
            else:
                factors.append(1.0)
        out[o.objective] = min(factors) if factors else 1.0
    return out


def prerequisite_hours_for(
    rules: PlanRules, preset: PresetName | None, held_cert_ids: Iterable[str]
) -> float:
    """The prerequisite block's hours: the pack's figure for the comprehensive preset when no associate is held."""
    if preset != "comprehensive" or set(held_cert_ids) & set(rules.prerequisite_certifications):
        return 0.0
    return rules.prerequisite_hours


def presets_with_wording(rules: PlanRules) -> dict[PresetName, Preset]:
    """PRESETS with the pack's title and description where the pack gives them."""
    out = dict(PRESETS)
    for w in rules.presets:
        p = out[w.name]
        out[w.name] = Preset(
            p.name, p.days, p.hours_per_day, p.total_hours, w.description, p.weekday_hours, w.title
        )
    return out


__all__ = [
    "ACTIVITY_SHARES",
    "PRESETS",
    "Activity",
    "Block",
    "MockKind",
    "ObjectiveWeight",
    "Plan",
    "PlanInput",
    "PlanRules",
    "Preset",
    "PresetName",
    "PresetWording",
    "adjustments_for",
    "build_plan",
    "hours_by_objective",
    "objective_weights",
    "prerequisite_hours_for",
    "preset_exam_day",
    "presets_with_wording",
    "replan",
]
