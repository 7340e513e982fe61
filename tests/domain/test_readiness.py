"""Readiness and the exam engine rest on one cut: simulated learners at known abilities sit mock exams scored by
the engine, and their mean scaled score agrees with the readiness prediction, each computed by its own code."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import numpy as np
import pytest

from certprep.domain.catalog import Catalog
from certprep.domain.exam import assemble_form, blueprint_for
from certprep.domain.irt import Params, eap, grid, prob
from certprep.domain.items import (
    BuildList,
    DragDrop,
    HotArea,
    Item,
    MultipleResponse,
    SingleChoice,
    YesNoStatement,
    grade,
    max_points,
)
from certprep.domain.readiness import MCC_THETA, author_prior, readiness_from_posterior, reference_form
from certprep.domain.report import build_report
from certprep.domain.scaling import DIFFICULTY_TABLE, mcc_probability
from tests.factories import generated_bank

TOLERANCE = 15  # scaled points; measured: -1.0 -> 355.6 vs 354, 0.5 -> 692.7 vs 700, 1.5 -> 847.5 vs 847


def respond(item: Item, rng: np.random.Generator, p: float) -> object:
    """A simulated learner: each component right with probability p (the item's response function)."""
    right = lambda: rng.random() < p  # noqa: E731
    match item:
        case SingleChoice():
            wrong = [o.id for o in item.options if o.id != item.key]
            return item.key if right() else str(rng.choice(wrong))
        case MultipleResponse():
            keys = sorted(item.key)
            others = [o.id for o in item.options if o.id not in item.key]
            return frozenset(k if right() else others[n % len(others)] for n, k in enumerate(keys))
        case BuildList():
            return tuple(k for k in item.key if right())
        case DragDrop():
            return tuple(sorted((t, v) for t, v in item.key if right()))
        case HotArea():
            return tuple(sorted((b.id, b.key) for b in item.blanks if right()))
        case YesNoStatement():
            return item.key if right() else (not item.key)
    raise AssertionError(item)


def sit_mock_exam(bank, outline, sim, theta: float, rng: np.random.Generator, seed: int) -> int:  # type: ignore[no-untyped-def]
    """A simulated learner at `theta` sits a freshly drawn mock exam, scored by the exam engine."""
    drawn, used = assemble_form(
        bank,
        outline,
        blueprint_for(outline, sim),
        rng=random.Random(seed),
        last_seen={},
        on=date(2026, 11, 26),
    )
    responses, by_pos = {}, {}
    for e in drawn.entries:
        item = used[e.item_id]
        a, d, c = author_prior(item.meta.difficulty)
        p = float(prob(np.array([theta]), Params(np.array([a]), np.array([d]), np.array([c])))[0, 0])
        responses[e.position] = respond(item, rng, p)
        by_pos[e.position] = item
    report = build_report(
        attempt_id="sim",
        mode="exam",
        entries=drawn.entries,
        items=by_pos,
        revisions={p: "r" for p in by_pos},
        responses=responses,
        outline=outline,
        study_links=(),
        submitted_at=datetime(2026, 11, 26, tzinfo=UTC),
        expired=False,
    )
    assert report.scaled is not None
    return report.scaled


def test_author_prior_reproduces_the_cut_table_at_the_minimally_competent_ability() -> None:
    for level, p in DIFFICULTY_TABLE.items():
        a, d, c = author_prior(level)
        assert float(
            prob(np.array([MCC_THETA]), Params(np.array([a]), np.array([d]), np.array([c])))[0, 0]
        ) == pytest.approx(p)


@pytest.mark.parametrize("theta", [-1.0, 0.5, 1.5])
def test_mean_mock_exam_score_agrees_with_readiness_prediction(catalog: Catalog, theta: float) -> None:
    outline = catalog.outline("AZ-400")
    sim = catalog.certification("AZ-400").exam.simulation
    assert sim is not None
    bank = generated_bank(outline, per_objective=6)
    group_index = {o.id: gi for gi, g in enumerate(outline.groups) for o in g.objectives}
    items = list(bank.items)
    params = Params(
        *(np.array(x) for x in zip(*(author_prior(i.meta.difficulty) for i in items), strict=True))
    )
    form = reference_form(
        params,
        [max_points(i) for i in items],
        [group_index[i.meta.objective] for i in items],
        [i.type for i in items],
        [mcc_probability(i) for i in items],
        [(g.weight[0] + g.weight[1]) / 2 for g in outline.groups],
        dict(sim.type_mix),
    )
    predicted = int(form.scaled(np.array([theta]))[0])
    rng = np.random.default_rng(7)
    scores = []
    for sitting in range(60):
        scores.append(sit_mock_exam(bank, outline, sim, theta, rng, sitting))
    print(f"theta {theta}: engine mean {np.mean(scores):.1f}, readiness {predicted}")
    assert abs(float(np.mean(scores)) - predicted) <= TOLERANCE, (np.mean(scores), predicted)


def test_pass_probability_and_interval_from_a_posterior(catalog: Catalog) -> None:
    outline = catalog.outline("AZ-400")
    bank = generated_bank(outline, per_objective=2)
    items = list(bank.items)
    group_index = {o.id: gi for gi, g in enumerate(outline.groups) for o in g.objectives}
    params = Params(
        *(np.array(x) for x in zip(*(author_prior(i.meta.difficulty) for i in items), strict=True))
    )
    form = reference_form(
        params,
        [max_points(i) for i in items],
        [group_index[i.meta.objective] for i in items],
        [i.type for i in items],
        [mcc_probability(i) for i in items],
        [12.5, 12.5, 52.5, 12.5, 7.5],
        {"single": 0.5, "multiple": 0.1, "build-list": 0.1, "drag-drop": 0.1, "hot-area": 0.1, "yes-no": 0.1},
    )
    g = grid()
    for centre, passing in ((2.0, True), (-1.5, False)):
        post = np.exp(-0.5 * ((g.nodes - centre) / 0.3) ** 2)
        r = readiness_from_posterior(post, g, form, responses=40)
        assert r.low <= r.predicted <= r.high
        assert (r.pass_probability > 0.9) is passing and (r.pass_probability < 0.1) is not passing
        assert (r.predicted >= 700) is passing
    assert form.share(np.array([form.cut_theta()]))[0] == pytest.approx(form.cut, abs=1e-6)


def _form_over(bank, outline, sim):  # type: ignore[no-untyped-def]
    group_index = {o.id: gi for gi, g in enumerate(outline.groups) for o in g.objectives}
    items = list(bank.items)
    params = Params(
        *(np.array(x) for x in zip(*(author_prior(i.meta.difficulty) for i in items), strict=True))
    )
    form = reference_form(
        params,
        [max_points(i) for i in items],
        [group_index[i.meta.objective] for i in items],
        [i.type for i in items],
        [mcc_probability(i) for i in items],
        [(g.weight[0] + g.weight[1]) / 2 for g in outline.groups],
        dict(sim.type_mix),
    )
    return items, params, form


def _normal_cdf(z: float) -> float:
    import math

    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


@pytest.mark.parametrize(
    ("offset", "sd"), [(0.0, 0.3), (0.3, 0.3), (-0.5, 0.5), (0.1, 0.2), (-0.15, 0.4), (1.0, 0.6)]
)
def test_pass_probability_and_prediction_at_and_near_the_cut_match_the_normal_closed_form(
    catalog: Catalog, offset: float, sd: float
) -> None:
    """A normal posterior N(cut + offset, sd): P(pass) = Phi(offset / sd); the median ability is the mean."""
    outline = catalog.outline("AZ-400")
    sim = catalog.certification("AZ-400").exam.simulation
    _, _, form = _form_over(generated_bank(outline, per_objective=2), outline, sim)
    g = grid()
    centre = form.cut_theta() + offset
    post = np.exp(-0.5 * ((g.nodes - centre) / sd) ** 2)
    r = readiness_from_posterior(post, g, form, responses=40)
    assert r.pass_probability == pytest.approx(_normal_cdf(offset / sd), abs=0.01)
    assert r.predicted == pytest.approx(int(form.scaled(np.array([centre]))[0]), abs=2)
    if offset == 0.0:
        assert abs(r.predicted - 700) <= 1
    assert r.expected_low <= r.predicted <= r.expected_high
    assert r.low <= r.expected_low and r.high >= r.expected_high  # the predictive interval is the wider one


def test_the_80_percent_interval_covers_80_percent_of_fresh_mock_exam_scores(catalog: Catalog) -> None:
    """Learners drawn from the prior answer 40 one-point practice items (so the posterior is exact, not the
    fractional approximation of multi-point items); the interval built from that evidence is checked
    against the engine-scored score of a freshly drawn mock exam. Nominal 80%; accepted 75-85%."""
    outline = catalog.outline("AZ-400")
    sim = catalog.certification("AZ-400").exam.simulation
    assert sim is not None
    bank = generated_bank(outline, per_objective=6)
    items, params, form = _form_over(bank, outline, sim)
    g = grid()
    rng = np.random.default_rng(11)
    learners, inside, expected_inside = 300, 0, 0
    one_point = [n for n, i in enumerate(items) if max_points(i) == 1]  # exact Bernoulli evidence
    for n in range(learners):
        theta = float(rng.normal())
        practice = rng.choice(one_point, 40, replace=False)
        p = prob(np.array([theta]), params.take(list(practice)))[:, 0]
        fractions = []
        for k, i in enumerate(practice):
            item = items[int(i)]
            g_ = grade(item, respond(item, rng, float(p[k])))
            fractions.append(g_.fraction)
        post = eap(np.array([fractions]), params.take(list(practice)), g).posterior[0]
        r = readiness_from_posterior(
            post, g, form, responses=40, form_items=blueprint_for(outline, sim).scored_items
        )
        score = sit_mock_exam(bank, outline, sim, theta, rng, 1000 + n)
        inside += r.low <= score <= r.high
        expected_inside += r.expected_low <= score <= r.expected_high
    coverage = inside / learners
    print(
        f"predictive 80% interval covered {coverage:.1%}; the expected-score interval {expected_inside / learners:.1%}"
    )
    assert 0.75 <= coverage <= 0.85, coverage


def test_readiness_waits_for_enough_evidence_and_says_what_is_missing() -> None:
    from certprep.domain.readiness import evidence_gap

    groups = [
        ("Processes", 5),
        ("Source control", 0),
        ("Pipelines", 0),
        ("Security", 0),
        ("Instrumentation", 0),
    ]
    gap = evidence_gap(5, 0.8, groups)
    assert gap.startswith("Answer about 25 more questions across these groups: Source control (3 more), ")
    assert "Processes" not in gap and "Instrumentation (3 more)" in gap
    enough = [(title, 8) for title, _ in groups]
    assert evidence_gap(40, 0.45, enough) == ""
    assert evidence_gap(40, 0.7, enough).startswith("Answer about 10 more questions.")  # precision only
    assert evidence_gap(29, 0.45, enough).startswith("Answer about 5 more questions.")


def test_group_levels_in_words(catalog: Catalog) -> None:
    from certprep.domain.readiness import group_level

    assert group_level(1.5, 0.3, 10, 0.5) == "above the pass level"
    assert group_level(0.5, 0.3, 10, 0.5) == "near the pass level"
    assert group_level(-0.5, 0.3, 10, 0.5) == "below the pass level"
    assert group_level(3.0, 0.3, 2, 0.5) == "too few answers yet"
