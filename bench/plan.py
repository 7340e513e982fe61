"""Study planner speed: a 60-day plan on the real AZ-400 outline, re-planning 1,000 learners' synthetic evidence,
and the per-review cost of certprep's review scheduler beside the bare fsrs call, measured in the same run.

    python -m bench.plan [--quick] [--learners N] [--runs N] [--seed S]

Imports, the pack, the outline and every input are prepared, and each timed call warmed up, before any timing.
Figures are the median and the 95th percentile of the individual calls, in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import fsrs

from certprep.domain import srs
from certprep.domain.planner import (
    PRESETS,
    Plan,
    PlanInput,
    adjustments_for,
    build_plan,
    objective_weights,
    prerequisite_hours_for,
    replan,
)
from certprep.packs.plan import load_plan_rules
from certprep.services.content import builtin_pack_path, get_catalog

START = date(2026, 12, 7)
BUDGET_MS = 100.0  # the bar for one plan


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def summary(seconds: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95


def sixty_day_input() -> PlanInput:
    """A comprehensive 60-day plan for a learner holding neither associate, with a light daily review queue."""
    catalog = get_catalog()
    rules = load_plan_rules(builtin_pack_path(catalog.pack_id))
    outline = catalog.outline("AZ-400")
    weights = objective_weights(
        [(g.id, g.weight, [(o.id, o.code, o.text) for o in g.objectives]) for g in outline.groups]
    )
    preset = PRESETS["comprehensive"]
    exam_day = START + timedelta(days=60)
    return PlanInput(
        start=START,
        exam_day=exam_day,
        weekday_hours=preset.weekday_hours,
        objectives=weights,
        adjustments=adjustments_for(rules, [], weights),
        review_hours={START + timedelta(days=i): 0.25 for i in range(60)},
        prerequisite_hours=prerequisite_hours_for(rules, "comprehensive", []),
        preset="comprehensive",
    )


def learners(base: PlanInput, plan: Plan, n: int, seed: int) -> list[tuple[frozenset[str], PlanInput]]:
    """n learners part-way through the plan: a random day, most earlier blocks done, random mastery."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        today = START + timedelta(days=rng.randint(1, 50))
        done = frozenset(b.id for b in plan.blocks if b.day < today and rng.random() < 0.8)
        mastery = {o.objective: rng.random() for o in base.objectives}
        inp = PlanInput(
            start=today,
            exam_day=base.exam_day,
            weekday_hours=base.weekday_hours,
            objectives=base.objectives,
            mastery=mastery,
            adjustments=base.adjustments,
            review_hours={d: h for d, h in base.review_hours.items() if d >= today},
            prerequisite_hours=base.prerequisite_hours,
            preset=base.preset,
        )
        out.append((done, inp))
    return out


def bench_plans(runs: int, n_learners: int, seed: int) -> None:
    inp = sixty_day_input()
    plan = build_plan(inp)  # warm-up, and the plan the learners re-plan from
    print(
        f"## study planner: {len(inp.objectives)} AZ-400 objectives, 60 days, {len(plan.blocks)} blocks, "
        f"{plan.hours_needed:g} h needed of {plan.hours_available:g} h, realistic {plan.realistic}"
    )
    plan_med, plan_p95 = summary([timed(lambda: build_plan(inp)) for _ in range(runs)])
    print(f"build_plan, 60-day plan: median {plan_med:.2f} ms, p95 {plan_p95:.2f} ms ({runs} runs)")
    cases = learners(inp, plan, n_learners, seed)
    replan(plan, *cases[0])  # warm-up
    times = [timed(lambda c=c: replan(plan, *c)) for c in cases]  # type: ignore[misc]
    med, p95 = summary(times)
    print(
        f"replan, {n_learners} learners' evidence: median {med:.2f} ms, p95 {p95:.2f} ms, "
        f"all {sum(times):.2f} s"
    )
    verdict = "yes" if plan_p95 < BUDGET_MS / 10 else ("no, but under" if plan_p95 < BUDGET_MS else "NO")
    print(
        f"one plan well under {BUDGET_MS:.0f} ms: {verdict} (p95 {plan_p95:.2f} ms = "
        f"{plan_p95 / BUDGET_MS:.1%} of the budget)"
    )


def bench_fsrs(reviews: int, seed: int) -> None:
    """Per-review cost of the bare fsrs call and of certprep's wrapper (`domain.srs.review`: the exam-date rules and
    the card's stored dict in and out), over the same seeded deck, order and grades, interleaved review by review so
    both meet the same machine state."""
    rng = random.Random(seed)
    scheduler = fsrs.Scheduler(
        enable_fuzzing=False
    )  # the wrapper's settings: the comparison is like for like
    now = datetime(2026, 12, 7, 9, tzinfo=UTC)
    exam = now + timedelta(days=30)
    n_cards = max(1, reviews // 10)
    deck = [fsrs.Card(card_id=i + 1) for i in range(n_cards)]
    states = [srs.new_card(i + 1, now, exam_at=exam) for i in range(n_cards)]
    plan = [(rng.randrange(n_cards), rng.choice((1, 2, 3, 4))) for _ in range(reviews)]
    scheduler.review_card(fsrs.Card(card_id=10**9), fsrs.Rating.Good, now)  # warm-up, both paths
    srs.review(srs.new_card(10**9, now), 3, now, exam_at=exam)
    bare, wrapped = [], []
    for k, (i, grade) in enumerate(plan):
        at = now + timedelta(minutes=k)
        start = time.perf_counter()
        deck[i], _ = scheduler.review_card(deck[i], fsrs.Rating(grade), at)
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        states[i] = srs.review(states[i], grade, at, exam_at=exam).state  # type: ignore[arg-type]
        wrapped.append(time.perf_counter() - start)
    b_med, b_p95 = summary(bare)
    w_med, w_p95 = summary(wrapped)
    print(
        f"bare fsrs review_card: median {b_med * 1000:.1f} µs, p95 {b_p95 * 1000:.1f} µs ({reviews} reviews)"
    )
    print(
        f"certprep srs.review (exam rules, stored dict): median {w_med * 1000:.1f} µs, p95 {w_p95 * 1000:.1f} µs; "
        f"ratio to bare {w_med / b_med:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes (used by the test that runs benchmarks)"
    )
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=400)
    args = parser.parse_args()
    if args.quick:
        args.learners, args.runs, args.reviews = 5, 3, 50
    bench_plans(args.runs, args.learners, args.seed)
    bench_fsrs(args.reviews, args.seed)


if __name__ == "__main__":
    main()
