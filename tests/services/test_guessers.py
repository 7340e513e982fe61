"""Knowing nothing must score badly: guessers sit engine-drawn mock exams of the real built-in bank.

The test-wise guesser answers by cues only (single choice: the longest option; multiple choice: the n longest;
build list: the first options in the order shown; drag and drop: the first values shown, in target order; hot
area: the longest option of each blank; yes/no: always "yes"); the uniform guesser answers at random. Both go
through the service layer (start, view, answer, leave section, submit) on one SQLite database with one bank sync,
and both must average at most 450 on the 1-1000 scale (the pass mark is 700).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from certprep.config import Settings
from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank
from certprep.services import attempts as svc
from certprep.services import forms
from certprep.services.bank import sync_bank
from certprep.services.content import builtin_pack_path, get_bank
from certprep.services.database import Database, open_database
from tests.conftest import NOW

EXAMS = 20
LIMIT = 450
Guess = Callable[[dict[str, Any], random.Random], Any]


def _longest(options: list[dict[str, str]], n: int = 1) -> list[str]:
    ranked = sorted(options, key=lambda o: -len(o["text"]))  # stable: ties keep the order shown
    return [o["label"] for o in ranked[:n]]


def cue_guesser(shown: dict[str, Any], _rng: random.Random) -> Any:
    """Answers by cues alone."""
    match shown["type"]:
        case "single":
            return _longest(shown["options"])[0]
        case "multiple":
            return _longest(shown["options"], shown["choose"])
        case "build-list":
            return [o["label"] for o in shown["options"][: shown["place"]]]
        case "drag-drop":
            values = [v["label"] for v in shown["values"]]
            return {t["label"]: values[n % len(values)] for n, t in enumerate(shown["targets"])}
        case "hot-area":
            return {b["id"]: _longest(b["options"])[0] for b in shown["blanks"]}
    return "yes"


def uniform(shown: dict[str, Any], rng: random.Random) -> Any:
    """Answers at random, with a well-formed response of the item's type."""
    labels = [o["label"] for o in shown.get("options", [])]
    match shown["type"]:
        case "single":
            return rng.choice(labels)
        case "multiple":
            return rng.sample(labels, shown["choose"])
        case "build-list":
            return rng.sample(labels, shown["place"])
        case "drag-drop":
            values = [v["label"] for v in shown["values"]]
            targets = [t["label"] for t in shown["targets"]]
            picks = values * len(targets) if shown["reuse"] else values
            return dict(zip(targets, rng.sample(picks, len(targets)), strict=True))
        case "hot-area":
            return {b["id"]: rng.choice([o["label"] for o in b["options"]]) for b in shown["blanks"]}
    return rng.choice(["yes", "no"])


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Bank]]:
    """One database and one bank sync for every exam of this module."""
    folder: Path = tmp_path_factory.mktemp("guessers")
    db = open_database(
        Settings(database_url=f"sqlite:///{folder / 'g.sqlite3'}", data_dir=folder), migrate=True
    )
    sync_bank(db, root=builtin_pack_path(), now=NOW)
    yield db, get_bank()
    db.dispose()


def sit(
    db: Database, catalog: Catalog, bank: Bank, guess: Guess, seed: int
) -> tuple[int, dict[str, list[int]]]:
    """One mock exam answered by `guess`; returns the scaled score and [points, max] per item type."""
    learner, now, rng = f"guesser-{guess.__name__}-{seed}", NOW, random.Random(seed)
    view = forms.start_exam(db, catalog=catalog, learner_id=learner, now=now, seed=seed, bank=bank)
    aid = view.attempt.id
    sections = sorted({e.section for e in view.entries})
    for section in sections:
        if section:
            svc.leave_section(db, catalog=catalog, learner_id=learner, attempt_id=aid, confirm=True, now=now)
        for entry in (e for e in view.entries if e.section == section):
            shown = svc.view_item(
                db, catalog=catalog, learner_id=learner, attempt_id=aid, position=entry.position, now=now
            ).shown
            svc.answer_item(
                db,
                catalog=catalog,
                learner_id=learner,
                attempt_id=aid,
                position=entry.position,
                response=guess(shown, rng),
                request_id=None,
                now=now,
            )
            now += timedelta(seconds=5)
    report = svc.submit_attempt(db, catalog=catalog, learner_id=learner, attempt_id=aid, now=now)
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    types = {i.meta.id: i.type for i in bank.items}
    for line in report.items:
        by_type[types[line.item_id]][0] += line.points
        by_type[types[line.item_id]][1] += line.max_points
    assert report.scaled is not None
    return report.scaled, dict(by_type)


@pytest.mark.parametrize("guess", [cue_guesser, uniform], ids=["test-wise", "uniform"])
def test_a_guesser_who_knows_nothing_scores_far_below_the_pass_mark(
    shared: tuple[Database, Bank], catalog: Catalog, guess: Guess
) -> None:
    db, bank = shared
    scores, totals = [], defaultdict(lambda: [0, 0])
    for seed in range(EXAMS):
        scaled, by_type = sit(db, catalog, bank, guess, seed)
        scores.append(scaled)
        for kind, (points, most) in by_type.items():
            totals[kind][0] += points
            totals[kind][1] += most
    mean = sum(scores) / len(scores)
    shares = {k: f"{p}/{m} = {p / m:.0%}" for k, (p, m) in sorted(totals.items())}
    print(f"\n{guess.__name__}: mean {mean:.0f}, scores {sorted(scores)}, points by type {shares}")
    assert mean <= LIMIT, (mean, scores, shares)
    assert max(scores) < 700, (scores, shares)
