"""Calibration and item analysis use cases over every recorded response.

Calibration reads first exposures only by default (the learner had not seen the item, nor its key, before), so
memorised repeats do not make items look easy. Items with at least `min_responses` such responses get new 2PL
parameters; every other item that appears is held fixed at its current parameters (an earlier calibration, or
the author prior from its difficulty), and so are items calibrated before with at least `anchor_responses`
responses: these anchors keep new estimates on the existing scale (fixed-anchor linking). Previous parameters are
kept with their timestamps.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.exc import IntegrityError

from certprep.db import calibration_jobs as jobs
from certprep.db import irt as rows
from certprep.domain.calibration_jobs import CalibrationJob, job_state
from certprep.domain.irt import Priors, calibrate, eap, grid
from certprep.domain.items import Bank, MultipleResponse, SingleChoice
from certprep.domain.readiness import author_prior, params_for
from certprep.errors import PolicyViolation
from certprep.services.database import Database

# Seconds between two progress writes of a running job (a write per EM step would be hundreds).
PROGRESS_EVERY = 1.0


@dataclass(frozen=True, slots=True)
class CalibrationRun:
    persons: int
    items_seen: int
    items_updated: tuple[str, ...]
    anchors: int
    log_likelihood: float
    iterations: int
    converged: bool
    held: tuple[tuple[str, str], ...] = ()  # items not updated and why
    population: tuple[float, float] = (0.0, 1.0)


def calibrate_items(
    db: Database,
    *,
    bank: Bank,
    now: datetime,
    min_responses: int = 200,
    anchor_responses: int = 500,
    first_exposures_only: bool = True,
    priors: Priors = Priors(),
    progress: Callable[[int, float], None] | None = None,
    max_iterations: int = 500,
) -> CalibrationRun:
    """Re-estimate item parameters from recorded responses (2PL, MML-EM) and store them.

    Nothing is stored from a run that did not converge; an item the estimation held back (no variance, too few
    responses, an estimate at the b limit) keeps its previous parameters, and the run says why."""
    difficulty = {i.meta.id: i.meta.difficulty for i in bank.items}
    with db.transaction() as session:
        facts = rows.response_facts(session)
        known = rows.current_parameters(session)
    first = _first_answers(
        facts, lambda f: f.item_id in difficulty and (f.first_exposure or not first_exposures_only)
    )
    if not first:
        return CalibrationRun(0, 0, (), 0, 0.0, 0, True)
    learners, items, x = _matrix(first)
    counts = np.sum(~np.isnan(x), axis=0)
    fixed: dict[int, tuple[float, float, float]] = {}
    for n, item in enumerate(items):
        prev = known.get(item)
        anchor = prev is not None and prev.responses >= anchor_responses
        if counts[n] < min_responses or anchor:
            fixed[n] = (prev.a, prev.d, prev.c) if prev else author_prior(difficulty[item])
    free = [item for n, item in enumerate(items) if n not in fixed]
    if not free:
        return CalibrationRun(len(learners), len(items), (), len(fixed), 0.0, 0, True)
    fit = calibrate(x, model="2pl", priors=priors, fixed=fixed, progress=progress, max_iter=max_iterations)
    held = {items[n]: why for n, why in fit.held if n not in fixed}
    anchors = sum(1 for n in fixed if items[n] in known)
    if not fit.converged:
        return CalibrationRun(
            len(learners),
            len(items),
            (),
            anchors,
            fit.log_likelihood,
            fit.iterations,
            False,
            tuple((item, "the estimation did not converge: previous parameters kept") for item in free),
            fit.population,
        )
    new = {
        item: rows.StoredParameters(
            float(fit.params.a[n]),
            float(fit.params.d[n]),
            float(fit.params.c[n]),
            float(fit.se.a[n]),
            float(fit.se.d[n]),
            int(counts[n]),
            f"calibration {now.isoformat()}",
            now,
        )
        for n, item in enumerate(items)
        if n not in fixed and item not in held
    }
    if new:
        with db.transaction() as session:
            rows.replace_parameters(session, new, model="2pl")
    return CalibrationRun(
        len(learners),
        len(items),
        tuple(sorted(new)),
        anchors,
        fit.log_likelihood,
        fit.iterations,
        fit.converged,
        tuple(sorted(held.items())),
        fit.population,
    )


def start_calibration_job(db: Database, *, started_by: str | None, now: datetime) -> CalibrationJob:
    """Open a calibration job, the only one across every process (409 while another runs); a job abandoned by a
    process that died (no progress for `STALE_AFTER`) is closed as such first."""
    try:
        with db.transaction() as session:
            row = jobs.open_job(session)
            if row is not None:
                if job_state(jobs.to_job(row), now) == "running":
                    raise PolicyViolation(
                        f"a calibration is running already (started {row.started_at:%Y-%m-%d %H:%M} UTC): "
                        "wait for it to finish"
                    )
                jobs.close_job(
                    session, row.id, now=now, error="abandoned: its process stopped reporting progress"
                )  # an UPDATE statement runs at once, freeing the slot before the insert below
            return jobs.to_job(jobs.add_job(session, started_by=started_by, now=now))
    except IntegrityError as exc:  # another process opened one between our look and our insert
        raise PolicyViolation("a calibration is running already: wait for it to finish") from exc


def run_calibration_job(
    db: Database,
    job_id: int,
    *,
    bank: Bank,
    clock: Callable[[], datetime],
    progress: Callable[[int, float], None] | None = None,
    **options: Any,
) -> CalibrationRun:
    """Run `calibrate_items` for an open job, writing its progress (at most every PROGRESS_EVERY seconds) and its
    outcome, or its error, where every process reads them."""
    last = -math.inf

    def report(iteration: int, log_likelihood: float) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            with db.transaction() as session:
                jobs.record_progress(
                    session, job_id, iteration=iteration, log_likelihood=log_likelihood, now=clock()
                )
        if progress is not None:
            progress(iteration, log_likelihood)

    try:
        run = calibrate_items(db, bank=bank, now=clock(), progress=report, **options)
    except Exception as exc:
        with db.transaction() as session:
            jobs.close_job(session, job_id, now=clock(), error=f"{type(exc).__name__}: {exc}"[:300])
        raise
    with db.transaction() as session:
        jobs.close_job(
            session,
            job_id,
            now=clock(),
            iteration=run.iterations,
            log_likelihood=run.log_likelihood,
            persons=run.persons,
            items_updated=len(run.items_updated),
            converged=run.converged,
            held=len(run.held),
        )
    return run


def latest_calibration_job(db: Database) -> CalibrationJob | None:
    """The most recent calibration job (running, finished, failed or abandoned), or None before the first."""
    with db.transaction() as session:
        row = jobs.latest_job(session)
        return jobs.to_job(row) if row is not None else None


def _first_answers(
    facts: list[rows.ResponseFact], keep: Callable[[rows.ResponseFact], bool]
) -> dict[tuple[str, str], rows.ResponseFact]:
    """Each learner's first kept answer to each item (facts come oldest first)."""
    first: dict[tuple[str, str], rows.ResponseFact] = {}
    for f in facts:
        if keep(f):
            first.setdefault((f.learner_id, f.item_id), f)
    return first


def _matrix(first: dict[tuple[str, str], rows.ResponseFact]) -> tuple[list[str], list[str], np.ndarray]:
    """Learners x items of score fractions, NaN where a learner did not answer an item."""
    learners = sorted({k[0] for k in first})
    items = sorted({k[1] for k in first})
    li, ii = {x: n for n, x in enumerate(learners)}, {x: n for n, x in enumerate(items)}
    x = np.full((len(learners), len(items)), np.nan)
    for (learner, item), f in first.items():
        x[li[learner], ii[item]] = f.fraction
    return learners, items, x


@dataclass(frozen=True, slots=True)
class ItemStats:
    item_id: str
    responses: int
    facility: float
    discrimination: float | None
    distractors: dict[str, float]
    strong_distractors: dict[str, float]
    a: float
    b: float
    se_a: float | None
    se_b: float | None
    provenance: str
    flags: tuple[str, ...]


def _corr(x: list[float], y: list[float]) -> float | None:
    if len(x) < 3:
        return None
    xa, ya = np.asarray(x), np.asarray(y)
    if xa.std() == 0 or ya.std() == 0:
        return None
    return float(np.corrcoef(xa, ya)[0, 1])


def item_statistics(db: Database, *, bank: Bank, min_responses: int = 30) -> list[ItemStats]:
    """Per item: responses, facility, point-biserial with ability, distractor rates, parameters, and flags."""
    with db.transaction() as session:
        facts = rows.response_facts(session)
        known = rows.current_parameters(session)
    by_item = {i.meta.id: i for i in bank.items}
    first = _first_answers(facts, lambda f: f.item_id in by_item)
    learners, items, x = _matrix(first)
    li = {x: n for n, x in enumerate(learners)}
    params = [known.get(i) for i in items]
    p = params_for(
        items, {k: (v.a, v.d, v.c) for k, v in known.items()}, {i: by_item[i].meta.difficulty for i in items}
    )
    theta = eap(x, p, grid()).theta if items else np.array([])
    strong_cut = float(np.quantile(theta, 2 / 3)) if len(theta) else 0.0
    per_item: dict[str, list[Any]] = defaultdict(list)
    for (learner, item), f in first.items():
        per_item[item].append((float(theta[li[learner]]), f))
    out = []
    for n, item_id in enumerate(items):
        entry = by_item[item_id]
        data = per_item[item_id]
        scores = [f.fraction for _, f in data]
        abilities = [t for t, _ in data]
        facility = float(np.mean(scores))
        r = _corr(scores, abilities)
        choices, strong = _choice_rates(entry, data, strong_cut)
        stored = params[n]
        a, d = (stored.a, stored.d) if stored else author_prior(entry.meta.difficulty)[:2]
        se_b = None
        if stored and stored.se_a and stored.se_d:
            se_b = math.sqrt((stored.se_d / a) ** 2 + (d * stored.se_a / a**2) ** 2)
        flags = _flags(entry, len(data), facility, r, strong, min_responses)
        out.append(
            ItemStats(
                item_id,
                len(data),
                facility,
                r,
                choices,
                strong,
                a,
                -d / a,
                stored.se_a if stored else None,
                se_b,
                stored.provenance if stored else "author prior",
                flags,
            )
        )
    return out


def _choice_rates(item: Any, data: list[Any], strong_cut: float) -> tuple[dict[str, float], dict[str, float]]:
    if not isinstance(item, SingleChoice | MultipleResponse):
        return {}, {}

    def rates(rows_: list[Any]) -> dict[str, float]:
        counts: dict[str, int] = defaultdict(int)
        for _, f in rows_:
            picked = [f.response] if isinstance(f.response, str) else list(f.response or [])
            for option in picked:
                counts[option] += 1
        total = max(len(rows_), 1)
        return {o.id: counts[o.id] / total for o in item.options}

    return rates(data), rates([d for d in data if d[0] >= strong_cut])


def _flags(
    item: Any, n: int, facility: float, r: float | None, strong: dict[str, float], min_responses: int
) -> tuple[str, ...]:
    flags = []
    if n < min_responses:
        flags.append("too few responses")
    if r is not None and r < 0:
        flags.append("negative discrimination")
    elif r is not None and r < 0.1:
        flags.append("near-zero discrimination")
    if facility >= 0.95:
        flags.append("almost everyone right")
    if facility <= 0.05:
        flags.append("almost everyone wrong")
    if strong and isinstance(item, SingleChoice | MultipleResponse):
        keys = {item.key} if isinstance(item, SingleChoice) else set(item.key)
        best_key = max(strong.get(k, 0.0) for k in keys)
        popular = [o for o, rate in strong.items() if o not in keys and rate > best_key]
        if popular:
            flags.append(
                f"distractor {', '.join(sorted(popular))} chosen more than the key by strong learners"
            )
    return tuple(flags)
