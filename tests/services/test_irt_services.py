"""Calibration, item analysis, readiness and adaptive practice on a real database, with simulated cohorts."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import numpy as np
import pytest

from certprep.db.irt import parameter_history
from certprep.db.tables import AttemptRow, FormEntryRow, LearnerRow, ResponseRow
from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank, SingleChoice
from certprep.domain.readiness import author_prior
from certprep.packs.revisions import revision_of
from certprep.services import attempts as svc
from certprep.services import forms
from certprep.services.adaptive import next_adaptive_item, start_adaptive
from certprep.services.bank import record_revisions
from certprep.services.calibration import calibrate_items, item_statistics
from certprep.services.database import Database
from certprep.services.readiness import get_readiness
from tests.factories import generated_bank, key_answer

L = "local"


@pytest.fixture
def bank(catalog: Catalog) -> Bank:
    return generated_bank(catalog.outline("AZ-400"))


def cohort(
    db: Database,
    bank: Bank,
    now: datetime,
    *,
    learners: int,
    items: list[SingleChoice],
    seed: int,
    broken: str | None = None,
    truth: dict[str, tuple[float, float]] | None = None,
) -> None:
    """Insert a cohort answering single-choice items under a 2PL truth (fast: straight rows, one transaction).

    For the `broken` item the learners' knowledge points at option o1 while the item's key says o0: strong learners
    pick o1 and lose the point, as when an author keys the wrong option.
    """
    rng = np.random.default_rng(seed)
    record_revisions(db, items=items, pack_id="az-400", now=now)
    truth = truth or {i.meta.id: (1.2, float(np.clip(rng.normal(0, 0.6), -1.2, 1.2))) for i in items}
    with db.transaction() as s:
        for n in range(learners):
            lid, theta = f"learner-{seed}-{n}", float(rng.normal())
            aid = secrets.token_hex(8)
            s.add(LearnerRow(id=lid, display_name=lid, created_at=now))
            s.flush()
            s.add(
                AttemptRow(
                    id=aid,
                    learner_id=lid,
                    mode="practice",
                    pack_id="az-400",
                    exam_code="AZ-400",
                    outline_version=now.date(),
                    status="submitted",
                    started_at=now,
                    deadline=None,
                    extension_minutes=0,
                    current_section=0,
                    sections=[],
                    seed=0,
                    options={},
                )
            )
            s.flush()
            for pos, item in enumerate(items):
                a, b = truth[item.meta.id]
                knows = rng.random() < 1 / (1 + np.exp(-a * (theta - b)))
                wrong = [o.id for o in item.options if o.id not in (item.key, "o1")]
                if item.meta.id == broken:
                    choice = "o1" if knows else str(rng.choice([o.id for o in item.options if o.id != "o1"]))
                else:
                    choice = item.key if knows else str(rng.choice(wrong))
                points = int(choice == item.key)
                rev = revision_of(item)
                s.add(
                    FormEntryRow(
                        attempt_id=aid,
                        position=pos,
                        learner_id=lid,
                        section=0,
                        item_id=item.meta.id,
                        revision=rev,
                        choice_order=[],
                        scored=True,
                        first_seen_at=now,
                    )
                )
                s.add(
                    ResponseRow(
                        attempt_id=aid,
                        position=pos,
                        learner_id=lid,
                        item_id=item.meta.id,
                        revision=rev,
                        mode="practice",
                        response=choice,
                        points=points,
                        max_points=1,
                        changes=0,
                        time_on_item_ms=1000,
                        seen_before=0,
                        key_shown_before=False,
                        first_answered_at=now + timedelta(seconds=pos),
                        answered_at=now + timedelta(seconds=pos),
                    )
                )


def singles(bank: Bank, n: int) -> list[SingleChoice]:
    return [i for i in bank.items if isinstance(i, SingleChoice) and i.meta.container is None][:n]


def test_calibration_recovers_parameters_and_keeps_history(db: Database, bank: Bank, now: datetime) -> None:
    items = singles(bank, 12)
    rng = np.random.default_rng(5)
    truth = {i.meta.id: (float(rng.uniform(0.8, 1.8)), float(rng.normal(0, 0.8))) for i in items}
    cohort(db, bank, now, learners=700, items=items, seed=1, truth=truth)
    run = calibrate_items(db, bank=bank, now=now, min_responses=200)
    assert run.persons == 700 and len(run.items_updated) == 12 and run.converged
    with db.transaction() as s:
        history = parameter_history(s, items[0].meta.id)
    assert len(history) == 1 and history[0].responses == 700
    b_est, b_true = [], []
    with db.transaction() as s:
        for item in items:
            p = parameter_history(s, item.meta.id)[-1]
            b_est.append(-p.d / p.a)
            b_true.append(truth[item.meta.id][1])
    assert float(np.sqrt(np.mean((np.array(b_est) - np.array(b_true)) ** 2))) < 0.25
    again = calibrate_items(
        db, bank=bank, now=now + timedelta(days=1), min_responses=200, anchor_responses=10_000
    )
    assert len(again.items_updated) == 12
    with db.transaction() as s:
        assert len(parameter_history(s, items[0].meta.id)) == 2


def test_repeats_are_left_out_by_default(db: Database, bank: Bank, now: datetime) -> None:
    items = singles(bank, 5)
    cohort(db, bank, now, learners=50, items=items, seed=2)
    with db.transaction() as s:
        for r in s.query(ResponseRow).all():
            r.seen_before = 1
    assert calibrate_items(db, bank=bank, now=now, min_responses=10).persons == 0
    assert calibrate_items(db, bank=bank, now=now, min_responses=10, first_exposures_only=False).persons == 50


def test_item_stats_flag_a_miskeyed_item(db: Database, bank: Bank, now: datetime) -> None:
    items = singles(bank, 15)
    broken = items[3].meta.id
    cohort(db, bank, now, learners=400, items=items, seed=3, broken=broken)
    stats = {s.item_id: s for s in item_statistics(db, bank=bank)}
    bad = stats[broken]
    assert bad.discrimination is not None and bad.discrimination < 0
    assert "negative discrimination" in bad.flags
    assert any("distractor o1 chosen more than the key by strong learners" in f for f in bad.flags)
    healthy = [s for i, s in stats.items() if i != broken]
    assert all(s.discrimination is not None and s.discrimination > 0.1 for s in healthy)
    assert all(not any("distractor" in f for f in s.flags) for s in healthy)


def test_readiness_after_a_practice_set_and_in_the_exam_report(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    assert get_readiness(db, catalog=catalog, learner_id=L, today=now.date(), bank=bank)["current"] is None
    v = forms.start_practice(
        db, catalog=catalog, learner_id=L, now=now, choice=forms.PracticeFilter(count=12), seed=4, bank=bank
    )
    for e in v.entries:
        shown = svc.view_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=e.position,
            now=now,
            bank=bank,
        )
        item = bank.item(
            shown.shown and next(i.meta.id for i in bank.items if i.prompt == shown.shown["prompt"])
        )
        assert item is not None
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=e.position,
            response=key_answer(item, shown.shown),
            request_id=None,
            now=now,
            bank=bank,
        )
    report = svc.submit_attempt(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank
    )
    r = report.readiness
    assert r is not None
    assert (
        r["responses"] == 12 and r["low"] <= r["predicted"] <= r["high"] and 0 <= r["pass_probability"] <= 1
    )
    dashboard = get_readiness(db, catalog=catalog, learner_id=L, today=now.date(), bank=bank)
    assert dashboard["current"]["predicted"] == r["predicted"] and len(dashboard["trend"]) == 1
    assert dashboard["current"]["theta"] > 0 and dashboard["current"]["groups"]
    exam = forms.start_exam(db, catalog=catalog, learner_id=L, now=now, seed=5, bank=bank)
    exam_report = svc.submit_attempt(
        db, catalog=catalog, learner_id=L, attempt_id=exam.attempt.id, now=now, bank=bank
    )
    assert exam_report.readiness is not None and exam_report.readiness["responses"] == 12
    assert len(get_readiness(db, catalog=catalog, learner_id=L, today=now.date(), bank=bank)["trend"]) == 2


def test_adaptive_session_adapts_balances_and_stops(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    v = start_adaptive(
        db, catalog=catalog, learner_id=L, now=now, max_items=12, max_se=0.1, seed=1, bank=bank
    )
    groups_seen = []
    group_of = {o.id: g.id for g in catalog.outline("AZ-400").groups for o in g.objectives}
    thetas = []
    while True:
        step = next_adaptive_item(
            db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank
        )
        again = next_adaptive_item(
            db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank
        )
        assert again.position == step.position  # the same item until it is answered
        if step.position is None:
            break
        thetas.append(step.theta)
        shown = svc.view_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=step.position,
            now=now,
            bank=bank,
        )
        assert shown.feedback is None
        item = next(i for i in bank.items if i.prompt == shown.shown["prompt"])
        groups_seen.append(group_of[item.meta.objective])
        ack = svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=step.position,
            response=key_answer(item, shown.shown),
            request_id=None,
            now=now,
            bank=bank,
        )
        assert ack.feedback is not None and ack.feedback["correct"]
    assert step.decision in ("length", "pass") and step.given <= 12
    assert thetas == sorted(thetas)  # every answer right: the estimate only rises
    assert groups_seen.count("pipelines") >= len(groups_seen) // 3 and len(set(groups_seen)) >= 3
    report = svc.get_report(db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank)
    assert report.mode == "adaptive" and report.readiness is not None


def test_author_prior_is_used_before_any_calibration(db: Database, catalog: Catalog, bank: Bank) -> None:
    assert author_prior(3)[0] == 1.0
    stats = item_statistics(db, bank=bank)
    assert stats == []


def test_five_right_answers_are_not_yet_readiness(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    """The review's example: five correct answers used to say "pass probability 89%, predicted 833"."""
    from certprep.domain.readiness import readiness_sentence

    v = forms.start_practice(
        db,
        catalog=catalog,
        learner_id=L,
        now=now,
        seed=5,
        bank=bank,
        choice=forms.PracticeFilter(types=("single",), count=5),
    )
    for pos in range(5):
        view = svc.view_item(
            db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, position=pos, now=now, bank=bank
        )
        item = bank.item(view_item_id(db, v.attempt.id, pos))
        assert item is not None
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=pos,
            response=key_answer(item, view.shown),
            request_id=None,
            now=now,
            bank=bank,
        )
    report = svc.submit_attempt(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank
    )
    r = get_readiness(db, catalog=catalog, learner_id=L, today=now.date(), bank=bank)["current"]
    assert r["supported"] is False and r["responses"] == 5
    assert r["missing"].startswith("Answer about 25 more questions across these groups:")
    titles = [g.title for g in catalog.outline("AZ-400").groups]
    assert any(t in r["missing"] for t in titles) and all(g["title"] in titles for g in r["groups"])
    assert report.readiness is not None
    sentence = readiness_sentence(report.readiness)
    assert sentence.startswith("Readiness: not enough evidence yet (5 questions answered). Answer about")
    assert "predicted" not in sentence and "%" not in sentence


def view_item_id(db: Database, attempt_id: str, position: int) -> str:
    with db.transaction() as s:
        row = s.get(FormEntryRow, (attempt_id, position))
        assert row is not None
        return row.item_id


def test_degenerate_items_and_failed_runs_store_nothing(db: Database, bank: Bank, now: datetime) -> None:
    items = singles(bank, 8)
    cohort(db, bank, now, learners=300, items=items, seed=4)
    easy = items[0].meta.id
    with db.transaction() as s:
        for r in s.query(ResponseRow).filter(ResponseRow.item_id == easy):
            r.points = 1
    run = calibrate_items(db, bank=bank, now=now, min_responses=50)
    assert dict(run.held) == {easy: "no variance: every response scored 1"}
    assert easy not in run.items_updated and len(run.items_updated) == 7
    with db.transaction() as s:
        assert parameter_history(s, easy) == []
    stopped = calibrate_items(db, bank=bank, now=now + timedelta(days=1), min_responses=50, max_iterations=1)
    assert not stopped.converged and stopped.items_updated == ()
    assert all(why.startswith("the estimation did not converge") for _, why in stopped.held)
    with db.transaction() as s:
        assert len(parameter_history(s, items[1].meta.id)) == 1  # the first run's only


def test_adaptive_view_and_answer_agree_on_locks(
    db: Database, catalog: Catalog, bank: Bank, now: datetime
) -> None:
    """One lock rule: an answered adaptive item shows locked, its key is shown, and re-answering is refused."""
    from certprep.errors import PolicyViolation

    v = start_adaptive(db, catalog=catalog, learner_id=L, now=now, max_items=5, seed=2, bank=bank)
    step = next_adaptive_item(db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, now=now, bank=bank)
    assert step.position is not None
    view = svc.view_item(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, position=step.position, now=now, bank=bank
    )
    assert view.locked is False and view.feedback is None
    item = bank.item(view_item_id(db, v.attempt.id, step.position))
    assert item is not None
    answer = key_answer(item, view.shown)
    ack = svc.answer_item(
        db,
        catalog=catalog,
        learner_id=L,
        attempt_id=v.attempt.id,
        position=step.position,
        response=answer,
        request_id=None,
        now=now,
        bank=bank,
    )
    assert ack.feedback is not None  # adaptive gives feedback, as practice does
    after = svc.view_item(
        db, catalog=catalog, learner_id=L, attempt_id=v.attempt.id, position=step.position, now=now, bank=bank
    )
    status = svc.view_attempt(db, learner_id=L, attempt_id=v.attempt.id, now=now)
    assert after.locked is True and after.feedback is not None
    assert next(e for e in status.entries if e.position == step.position).locked is True
    with pytest.raises(PolicyViolation, match="answered and its feedback shown"):
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id=L,
            attempt_id=v.attempt.id,
            position=step.position,
            response=answer,
            request_id=None,
            now=now,
            bank=bank,
        )
