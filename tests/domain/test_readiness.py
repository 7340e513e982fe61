"""Readiness and the exam engine rest on one cut: simulated learners at known abilities sit mock exams scored by
the engine, and their mean scaled score agrees with the readiness prediction, each computed by its own code."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest

from certprep.domain.catalog import Catalog
from certprep.domain.exam import assemble_form, blueprint_for
from certprep.domain.irt import Params, grid, prob
from certprep.domain.items import (
    BuildList,
    DragDrop,
    HotArea,
    Item,
    MultipleResponse,
    SingleChoice,
    YesNoStatement,
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
        drawn, used = assemble_form(
            bank, outline, blueprint_for(outline, sim), rng=random.Random(sitting), last_seen={}
        )
        responses = {}
        by_pos = {}
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
        scores.append(report.scaled)
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
