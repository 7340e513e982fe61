"""The study planner: invariants as hypothesis properties, each preset's shape, the advice against a hand count."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from certprep.domain.plan_hours import apportion, water_fill
from certprep.domain.planner import (
    PRESETS,
    Block,
    ObjectiveWeight,
    Plan,
    PlanInput,
    PlanRules,
    adjustments_for,
    build_plan,
    hours_by_objective,
    objective_weights,
    prerequisite_hours_for,
    preset_exam_day,
    replan,
)
from certprep.errors import InvalidInput

MONDAY = date(2026, 12, 7)
HOURS = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0]


def outline_weights() -> tuple[ObjectiveWeight, ...]:
    """A small outline shaped like AZ-400's: one heavy group, a few light ones."""
    return objective_weights(
        [
            ("processes", (10, 15), [(f"p{i}", f"1.{i}", f"process {i}") for i in range(4)]),
            ("pipelines", (50, 55), [(f"x{i}", f"3.{i}", f"pipeline {i}") for i in range(8)]),
            ("security", (10, 15), [(f"s{i}", f"4.{i}", f"security {i}") for i in range(3)]),
        ]
    )


def by_day(plan: Plan) -> dict[date, float]:
    out: dict[date, float] = defaultdict(float)
    for b in plan.blocks:
        out[b.day] += b.hours
    return out


def given_hours(inp: PlanInput, day: date) -> float:
    """What the learner said the day gives (the light last day at most 1 h)."""
    h = 0.0 if day in inp.days_off else inp.weekday_hours[day.weekday()]
    return min(h, 1.0) if day == inp.exam_day - timedelta(days=1) else h


@st.composite
def objectives_st(draw: st.DrawFn) -> tuple[ObjectiveWeight, ...]:
    n_groups = draw(st.integers(1, 4))
    groups = []
    for g in range(n_groups):
        low = draw(st.integers(0, 50))
        size = draw(st.integers(1, 6))
        groups.append(
            (f"g{g}", (low, low + draw(st.integers(0, 10))), [(f"g{g}o{i}", "1", "t") for i in range(size)])
        )
    return objective_weights(groups)


@st.composite
def plan_inputs(draw: st.DrawFn, preset: bool = True, reviews: bool = True, ample: bool = False) -> PlanInput:
    """Any input; `ample`: days long enough and hours plenty, for the properties that hold "when time allows"."""
    objectives = draw(objectives_st())
    start = MONDAY + timedelta(days=draw(st.integers(0, 6)))
    n = draw(st.integers(20, 70) if ample else st.integers(0, 70))
    window = [start + timedelta(days=i) for i in range(n)]
    mastery = {o.objective: draw(st.floats(0, 1)) for o in objectives if draw(st.booleans())}
    off = frozenset(d for d in window if draw(st.integers(0, 9)) == 0)
    review = {
        d: draw(st.sampled_from([0.1, 0.25, 0.5, 1.0]))
        for d in window
        if reviews and draw(st.integers(0, 3)) == 0
    }
    return PlanInput(
        start=start,
        exam_day=start + timedelta(days=n),
        weekday_hours=tuple(draw(st.sampled_from(HOURS[6:] if ample else HOURS)) for _ in range(7)),
        objectives=objectives,
        mastery=mastery,
        adjustments={o.objective: draw(st.sampled_from([0.8, 1.0, 1.3])) for o in objectives},
        days_off=off,
        review_hours=review,
        prerequisite_hours=0.0 if ample else draw(st.sampled_from([0.0, 0.0, 3.0, 20.0])),
        preset=draw(st.sampled_from([None, "intensive", "balanced", "comprehensive"])) if preset else None,
        study_hours=draw(st.sampled_from([10.0, 20.0] if ample else [10.0, 40.0, 70.0])),
    )


def assert_well_formed(plan: Plan, inp: PlanInput, since: date | None = None) -> None:
    first = since or inp.start
    for day, total in by_day(plan).items():
        if day >= first:
            assert total <= given_hours(inp, day) + 1e-9, (day, total)
    for b in plan.blocks:
        if since is None:
            assert inp.start <= b.day < inp.exam_day
        assert b.hours > 0 and (b.hours * 4) == int(b.hours * 4), b
        if b.activity in ("read", "practice", "lab", "flashcards", "prerequisite"):
            assert 0.5 <= b.hours <= 2, b
        assert (b.objective is None) == (b.activity in ("mock-exam", "review", "prerequisite", "rest")), b
    last = inp.exam_day - timedelta(days=1)
    assert all(
        b.activity in ("review", "flashcards") for b in plan.blocks if b.day == last and b.day >= first
    )
    assert len({b.id for b in plan.blocks}) == len(plan.blocks)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_inputs())
def test_a_plan_fits_the_hours_given_and_the_window(inp: PlanInput) -> None:
    plan = build_plan(inp)
    assert_well_formed(plan, inp)
    assert plan == build_plan(inp)  # deterministic
    assert replan(plan, frozenset(), inp) == plan  # nothing done, nothing changed: the same blocks and ids
    assert plan.realistic == (plan.advice == "")
    assert plan.hours_available == sum(
        given_hours(inp, inp.start + timedelta(days=i)) // 0.25 * 0.25
        for i in range((inp.exam_day - inp.start).days)
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_inputs(preset=False, reviews=False, ample=True))
def test_every_objective_left_to_learn_gets_time_when_time_allows(inp: PlanInput) -> None:
    plan = build_plan(inp)
    assume(plan.hours_available >= 2 * plan.hours_needed + 5)
    got = hours_by_objective(plan)
    for o in inp.objectives:
        if (
            o.weight > 0
            and inp.mastery.get(o.objective, 0.0) < 1
            and inp.adjustments.get(o.objective, 1.0) > 0
        ):
            assert got.get(o.objective, 0) >= 0.5, o.objective


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_inputs(preset=False, reviews=False, ample=True), st.floats(0, 0.7), st.floats(0.1, 0.3))
def test_lower_mastery_gets_more_hours(inp: PlanInput, weak: float, gap: float) -> None:
    # Two objectives of equal weight (same group, no adjustment) that differ only by mastery.
    twins = [
        ObjectiveWeight("weak", "twins", "9.1", "w", 0.05),
        ObjectiveWeight("strong", "twins", "9.2", "s", 0.05),
    ]
    inp = PlanInput(
        inp.start,
        inp.exam_day,
        inp.weekday_hours,
        (*inp.objectives, *twins),
        {**inp.mastery, "weak": weak, "strong": weak + gap},
        {k: v for k, v in inp.adjustments.items()},
        inp.days_off,
        {},
        inp.prerequisite_hours,
        None,
        inp.study_hours,
    )
    plan = build_plan(inp)
    assume(plan.hours_available >= 2 * plan.hours_needed + 5)
    got = hours_by_objective(plan)
    assert got.get("weak", 0) >= got.get("strong", 0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_inputs(), st.data())
def test_replan_keeps_done_blocks_and_fits_what_is_left(inp: PlanInput, data: st.DataObject) -> None:
    plan = build_plan(inp)
    done = frozenset(b.id for b in plan.blocks if data.draw(st.booleans()))
    n = (inp.exam_day - inp.start).days
    today = inp.start + timedelta(days=data.draw(st.integers(0, max(0, n))))
    mastery = {o.objective: data.draw(st.floats(0, 1)) for o in inp.objectives}
    later = PlanInput(
        today,
        inp.exam_day,
        inp.weekday_hours,
        inp.objectives,
        mastery,
        inp.adjustments,
        inp.days_off,
        inp.review_hours,
        inp.prerequisite_hours,
        inp.preset,
        inp.study_hours,
    )
    again = replan(plan, done, later)
    assert {b for b in plan.blocks if b.id in done} <= set(again.blocks)
    new = [b for b in again.blocks if b.id not in done]
    assert all(today <= b.day < inp.exam_day for b in new)
    assert_well_formed(again, later, since=today)
    assert again == replan(plan, done, later)


def sittings(plan: Plan) -> dict[str, date]:
    return {b.label: b.day for b in plan.blocks if b.activity == "mock-exam" and "report" not in b.label}


def preset_plan(name: str, days: int, **kw: object) -> tuple[PlanInput, Plan]:
    p = PRESETS[name]  # type: ignore[index]
    inp = PlanInput(
        MONDAY,
        preset_exam_day(p.name, MONDAY, days=days),
        p.weekday_hours,
        outline_weights(),
        preset=p.name,
        **kw,  # type: ignore[arg-type]
    )
    return inp, build_plan(inp)


def test_intensive_7_days_baseline_first_day_final_3_days_before_light_last_day() -> None:
    inp, plan = preset_plan("intensive", 7)
    assert inp.exam_day == MONDAY + timedelta(days=7)
    assert sittings(plan) == {"baseline mock exam": MONDAY, "final mock exam": MONDAY + timedelta(days=4)}
    assert all(b.hours == 2.5 for b in plan.blocks if b.activity == "mock-exam")  # 4 h days: one sitting
    last = [b for b in plan.blocks if b.day == MONDAY + timedelta(days=6)]
    assert sum(b.hours for b in last) == 1 and {b.activity for b in last} == {"flashcards"}
    assert plan.realistic and plan.hours_needed == 20
    assert_well_formed(plan, inp)


def test_intensive_14_days_has_a_mid_way_mock() -> None:
    inp, plan = preset_plan("intensive", 14)
    days = sittings(plan)
    assert days["baseline mock exam"] == MONDAY
    assert days["final mock exam"] == inp.exam_day - timedelta(days=3)
    assert days["mid-way mock exam"] == MONDAY + timedelta(days=(0 + 11) // 2)
    assert set(hours_by_objective(plan)) == {o.objective for o in outline_weights()}


def test_balanced_30_days_two_hour_days_split_a_mock_into_sitting_and_report() -> None:
    inp, plan = preset_plan("balanced", 30)
    mocks = [(b.day, b.hours, b.label) for b in plan.blocks if b.activity == "mock-exam"]
    final = inp.exam_day - timedelta(days=3)
    assert mocks[0] == (MONDAY, 1.75, "baseline mock exam")
    assert mocks[1] == (MONDAY + timedelta(days=1), 0.75, "baseline mock exam: go through its report")
    assert mocks[-2:] == [
        (final, 1.75, "final mock exam"),
        (final + timedelta(days=1), 0.75, "final mock exam: go through its report"),
    ]
    assert MONDAY + timedelta(days=10) <= sittings(plan)["mid-way mock exam"] <= MONDAY + timedelta(days=16)
    assert sum(b.hours for b in plan.blocks if b.day == inp.exam_day - timedelta(days=1)) <= 1
    # Reading comes before practice for every objective.
    for o in outline_weights():
        acts = [b.activity for b in plan.blocks if b.objective == o.objective and b.label == ""]
        assert acts[0] == "read" and acts == sorted(acts, key=["read", "practice", "lab", "flashcards"].index)


def test_comprehensive_60_days_starts_with_the_prerequisite() -> None:
    inp, plan = preset_plan("comprehensive", 60, prerequisite_hours=20.0)
    prereq = [b for b in plan.blocks if b.activity == "prerequisite"]
    assert sum(b.hours for b in prereq) == 20
    first_objective = min(b.day for b in plan.blocks if b.objective is not None)
    assert max(b.day for b in prereq) <= first_objective
    # Weekdays give 1.25 h, too little for a 100-minute sitting: the baseline goes to the first Saturday.
    assert sittings(plan)["baseline mock exam"] == MONDAY + timedelta(days=5)
    assert plan.realistic and plan.hours_needed == 60
    assert 60 <= sum(b.hours for b in plan.blocks) <= 80
    assert_well_formed(plan, inp)


def test_unrealistic_plan_advice_matches_a_hand_count() -> None:
    # Balanced (needs 50 h) from Monday 2026-12-07, exam 2027-01-06, 1 h Monday-Friday, 2 h Saturday, no Sunday.
    # Window Dec 7 .. Jan 5: four weeks of 7 h, then Mon 1 h and the light last day (Tue) 1 h: 30 h.
    # More hours: 25 study days before the light one: 30 + 25x >= 50 -> x = 0.8, in quarter hours 1 h.
    # Later date: 49 h by Sunday Jan 24; a window ending Monday Jan 25 (1 h, light) gives 50 h -> exam Jan 26.
    inp = PlanInput(MONDAY, date(2027, 1, 6), (1, 1, 1, 1, 1, 2, 0), outline_weights(), preset="balanced")
    plan = build_plan(inp)
    assert (plan.hours_needed, plan.hours_available, plan.realistic) == (50, 30, False)
    assert plan.advice == (
        "The plan needs 50 h and the days before the exam give 30 h: "
        "add 1 h to every study day, or move the exam to 2027-01-26."
    )
    assert_well_formed(plan, inp)
    fixed = build_plan(
        PlanInput(MONDAY, date(2027, 1, 26), (1, 1, 1, 1, 1, 2, 0), outline_weights(), preset="balanced")
    )
    assert fixed.realistic and fixed.hours_available == 50


def test_no_day_for_a_mock_exam_is_said() -> None:
    inp = PlanInput(MONDAY, MONDAY + timedelta(days=20), (1.5,) * 7, outline_weights(), study_hours=10)
    plan = build_plan(inp)
    assert not plan.realistic
    assert "No day has 1.75 h free in one sitting for the final mock exam" in plan.advice
    assert not [b for b in plan.blocks if b.activity == "mock-exam"]


def test_unmastered_need_with_no_preset_and_short_plans() -> None:
    inp = PlanInput(MONDAY, MONDAY + timedelta(days=3), (3,) * 7, outline_weights(), study_hours=4)
    plan = build_plan(inp)
    assert sittings(plan) == {"final mock exam": MONDAY}  # under 5 days: the final is also the baseline
    # need: 2.5 h mock + max(4 h, 0.5 h x 15 objectives)
    assert plan.hours_needed == 10
    past = build_plan(PlanInput(MONDAY, MONDAY, (3,) * 7, outline_weights(), study_hours=4))
    assert past.blocks == () and not past.realistic and "move the exam to" in past.advice


def test_reviews_are_reserved_first_and_a_shortfall_is_said() -> None:
    reviews = {MONDAY + timedelta(days=1): 0.6, MONDAY + timedelta(days=2): 5.0}
    inp = PlanInput(MONDAY, MONDAY + timedelta(days=12), (3,) * 7, outline_weights(), review_hours=reviews)
    plan = build_plan(inp)
    day1 = [b for b in plan.blocks if b.day == MONDAY + timedelta(days=1)]
    assert day1[0].activity == "review" and day1[0].hours == 0.75
    assert "The review queue needs 2 h more than its days give (2026-12-09)" in plan.advice


def test_replan_keeps_done_work_and_does_not_repeat_the_baseline() -> None:
    inp, plan = preset_plan("balanced", 30)
    done = frozenset(b.id for b in plan.blocks if b.day < MONDAY + timedelta(days=3))
    today = MONDAY + timedelta(days=5)  # two days missed
    later = PlanInput(today, inp.exam_day, inp.weekday_hours, inp.objectives, {"x0": 0.9}, preset="balanced")
    again = replan(plan, done, later)
    kept = [b for b in again.blocks if b.day < today]
    assert {b.id for b in kept} == done
    assert "baseline mock exam" not in {b.label for b in again.blocks if b.day >= today}
    assert again.start == MONDAY
    # x0 is now 90 % mastered and partly studied: what is left for it is no more than a fresh plan would give.
    fresh = hours_by_objective(build_plan(later))["x0"]
    assert sum(b.hours for b in again.blocks if b.objective == "x0" and b.id not in done) <= fresh


def test_replan_numbers_new_blocks_after_kept_ones() -> None:
    inp, plan = preset_plan("intensive", 7)
    tomorrow = MONDAY + timedelta(days=1)
    done = frozenset(b.id for b in plan.blocks if b.day == tomorrow)
    again = replan(
        plan, done, PlanInput(tomorrow, inp.exam_day, (6,) * 7, inp.objectives, preset="intensive")
    )
    ids = [b.id for b in again.blocks if b.day == tomorrow]
    assert ids[: len(done)] == sorted(done, key=lambda i: int(i.split("#")[1]))
    assert len(ids) > len(done) and len(set(ids)) == len(ids)


def test_objective_weights_split_group_midpoints_equally() -> None:
    w = objective_weights(
        [("a", (10, 20), [("a1", "1", ""), ("a2", "2", "")]), ("b", (40, 50), [("b1", "3", "")])]
    )
    assert [round(x.weight, 6) for x in w] == [0.125, 0.125, 0.75]
    assert w[0] == ObjectiveWeight("a1", "a", "1", "", w[0].weight)


def test_presets_and_their_days() -> None:
    assert {k: p.days for k, p in PRESETS.items()} == {
        "intensive": (7, 14),
        "balanced": (30, 30),
        "comprehensive": (60, 60),
    }
    assert PRESETS["comprehensive"].total_hours == (60, 80)
    assert preset_exam_day("balanced", MONDAY) == MONDAY + timedelta(days=30)
    assert preset_exam_day("intensive", MONDAY, days=7) == MONDAY + timedelta(days=7)
    with pytest.raises(InvalidInput, match="the intensive preset lasts 7-14 days, not 20"):
        preset_exam_day("intensive", MONDAY, days=20)


def test_bad_hours_are_refused() -> None:
    with pytest.raises(InvalidInput, match="7 values"):
        build_plan(PlanInput(MONDAY, MONDAY + timedelta(days=9), (1,) * 6, outline_weights()))
    with pytest.raises(InvalidInput, match="between 0 and 24"):
        build_plan(PlanInput(MONDAY, MONDAY + timedelta(days=9), (1, 1, 1, 1, 1, 1, -1), outline_weights()))


RULES = PlanRules(
    prerequisite_hours=20,
    prerequisite_certifications=("admin", "dev"),
    adjustments={
        "admin": {"groups": {"pipelines": 1.3}, "objectives": {"x1": 0.9}},
        "dev": {"groups": {"security": 1.2}, "objectives": {"x0": 0.7}},
    },
)


def test_adjustments_expand_groups_and_take_the_stronger_background() -> None:
    objs = outline_weights()
    admin = adjustments_for(RULES, ["admin"], objs)
    assert (admin["x0"], admin["x1"], admin["s0"], admin["p0"]) == (1.3, 0.9, 1.0, 1.0)
    both = adjustments_for(RULES, ["admin", "dev", "unknown"], objs)
    assert (both["x0"], both["x1"], both["x2"], both["s0"]) == (0.7, 0.9, 1.0, 1.0)
    assert set(adjustments_for(RULES, [], objs).values()) == {1.0}
    # The adjustment moves hours: the administrator's pipelines get more than with no certification.
    base = PlanInput(MONDAY, MONDAY + timedelta(days=30), (3,) * 7, objs, study_hours=40)
    tuned = PlanInput(MONDAY, MONDAY + timedelta(days=30), (3,) * 7, objs, adjustments=admin, study_hours=40)
    assert hours_by_objective(build_plan(tuned))["x2"] > hours_by_objective(build_plan(base))["x2"]


def test_prerequisite_hours_only_for_comprehensive_without_an_associate() -> None:
    assert prerequisite_hours_for(RULES, "comprehensive", []) == 20
    assert prerequisite_hours_for(RULES, "comprehensive", ["dev"]) == 0
    assert prerequisite_hours_for(RULES, "balanced", []) == 0
    assert prerequisite_hours_for(RULES, None, ["other"]) == 0


def test_block_is_a_frozen_value() -> None:
    b = Block("2026-12-07#0", MONDAY, "read", "x0", 0.5)
    with pytest.raises(AttributeError):
        b.hours = 1  # type: ignore[misc]


@given(st.integers(0, 400), st.lists(st.floats(0, 10), min_size=1, max_size=30))
def test_shares_add_up_and_follow_the_weights(total: int, weights: list[float]) -> None:
    a = apportion(total, weights)
    assert sum(a) == (total if sum(weights) > 0 else 0)
    w = water_fill(total, weights)
    positive = [i for i, x in enumerate(weights) if x > 0]
    assert sum(w) == (total if positive and total >= 2 else 0) or total < 2 * len(positive)
    assert sum(w) <= total
    for i in positive:
        for j in positive:
            if weights[i] > weights[j]:
                assert w[i] >= w[j]
    if total >= 2 * len(positive):
        assert all(w[i] >= 2 for i in positive)


def test_what_the_evidence_shows_partly_known_starts_at_practice() -> None:
    mastery = {"x0": 0.5, "x1": 0.9}
    inp = PlanInput(MONDAY, MONDAY + timedelta(days=30), (3,) * 7, outline_weights(), mastery, study_hours=60)
    plan = build_plan(inp)
    first = {o: next(b.activity for b in plan.blocks if b.objective == o) for o in ("x0", "x1", "x2")}
    assert first == {"x0": "practice", "x1": "lab", "x2": "read"}
    assert "read" not in {b.activity for b in plan.blocks if b.objective in ("x0", "x1")}
