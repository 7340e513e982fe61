"""Calibration jobs are shared by every process through the database: one open at a time, their progress and
outcome read by any other handle on the same database (as another uvicorn worker would), a job whose process died
abandoned after STALE_AFTER without progress, a failed run recorded with its error."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import numpy as np
import pytest

from certprep.config import Settings
from certprep.db.calibration_jobs import to_job
from certprep.db.tables import CalibrationJobRow
from certprep.domain.calibration_jobs import STALE_AFTER, job_state
from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank
from certprep.errors import PolicyViolation
from certprep.services import accounts
from certprep.services.calibration import (
    latest_calibration_job,
    run_calibration_job,
    start_calibration_job,
)
from certprep.services.database import Database, open_database
from certprep.services.profile import LOCAL_LEARNER as OWNER
from tests.factories import generated_bank
from tests.services.test_irt_services import cohort, singles


@pytest.fixture
def bank(catalog: Catalog) -> Bank:
    return generated_bank(catalog.outline("AZ-400"))


@pytest.fixture
def other(settings: Settings, db: Database, now: datetime) -> Iterator[Database]:
    """A second handle on the same database: what another worker process of the server holds (and the owner's
    account, who starts jobs)."""
    accounts.first_run(db, now=now)
    database = open_database(settings, migrate=False)
    yield database
    database.dispose()


def test_one_job_at_a_time_across_handles_and_its_outcome_everywhere(
    db: Database,
    other: Database,
    bank: Bank,
    now: datetime,
) -> None:
    assert latest_calibration_job(other) is None
    items = singles(bank, 6)
    rng = np.random.default_rng(3)
    truth = {i.meta.id: (float(rng.uniform(0.8, 1.6)), float(rng.normal(0, 0.7))) for i in items}
    cohort(db, bank, now, learners=300, items=items, seed=4, truth=truth)

    job = start_calibration_job(db, started_by=OWNER, now=now)
    seen = latest_calibration_job(other)
    assert seen is not None and seen.id == job.id and job_state(seen, now) == "running"
    assert seen.started_by == OWNER and seen.iteration == 0
    with pytest.raises(PolicyViolation, match="running already"):
        start_calibration_job(other, started_by=None, now=now + timedelta(seconds=30))

    steps: list[int] = []
    run = run_calibration_job(
        db,
        job.id,
        bank=bank,
        clock=lambda: now + timedelta(minutes=1),
        progress=lambda i, _ll: steps.append(i),
    )
    assert run.converged and steps
    done = latest_calibration_job(other)
    assert done is not None and done.id == job.id
    assert job_state(done, now + timedelta(minutes=1)) == "finished"
    assert (done.persons, done.items_updated, done.iteration, done.converged) == (
        300,
        len(run.items_updated),
        run.iterations,
        True,
    )
    assert done.finished_at == now + timedelta(minutes=1) and done.error is None
    # the slot is free again, from the other handle too
    again = start_calibration_job(other, started_by=None, now=now + timedelta(minutes=2))
    assert again.id != job.id


def test_a_job_whose_process_died_is_abandoned_then_replaced(
    db: Database, other: Database, now: datetime
) -> None:
    dead = start_calibration_job(db, started_by=OWNER, now=now)  # its process never reports again
    at_limit = now + STALE_AFTER
    still = latest_calibration_job(other)
    assert still is not None and job_state(still, at_limit) == "running"
    with pytest.raises(PolicyViolation):
        start_calibration_job(other, started_by=None, now=at_limit)
    later = at_limit + timedelta(seconds=1)
    assert job_state(still, later) == "abandoned"
    fresh = start_calibration_job(other, started_by=None, now=later)
    with db.transaction() as session:
        old = to_job(session.get_one(CalibrationJobRow, dead.id))
    assert old.finished_at == later and old.error is not None and "abandoned" in old.error
    assert job_state(old, later) == "failed"
    newest = latest_calibration_job(db)
    assert newest is not None and newest.id == fresh.id


class Broken:
    """A bank whose items cannot be read: the run fails inside calibrate_items."""

    @property
    def items(self) -> list[object]:
        raise RuntimeError("the bank went away")


def test_a_failed_run_is_recorded_and_frees_the_slot(db: Database, other: Database, now: datetime) -> None:
    job = start_calibration_job(db, started_by=None, now=now)
    with pytest.raises(RuntimeError, match="went away"):
        run_calibration_job(db, job.id, bank=Broken(), clock=lambda: now)  # type: ignore[arg-type]
    failed = latest_calibration_job(other)
    assert failed is not None and job_state(failed, now) == "failed"
    assert failed.error == "RuntimeError: the bank went away"
    start_calibration_job(other, started_by=None, now=now)  # not refused


def test_simultaneous_starts_open_exactly_one_job(settings: Settings, db: Database, now: datetime) -> None:
    """Eight handles (eight worker processes' worth) start at once: one job opens, seven are refused with 409."""
    handles = [open_database(settings, migrate=False) for _ in range(8)]
    barrier = threading.Barrier(len(handles))
    outcomes: list[str] = []

    def start(handle: Database) -> None:
        barrier.wait()
        try:
            start_calibration_job(handle, started_by=None, now=now)
            outcomes.append("opened")
        except PolicyViolation:
            outcomes.append("refused")

    threads = [threading.Thread(target=start, args=(h,)) for h in handles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for h in handles:
        h.dispose()
    assert sorted(outcomes) == ["opened"] + ["refused"] * 7


def test_deleting_the_author_keeps_the_job_without_their_id(
    db: Database, other: Database, now: datetime
) -> None:
    author, _link = accounts.create_account(db, username="ada", role="author", now=now)
    job = start_calibration_job(db, started_by=author.id, now=now)
    accounts.delete_account(db, actor=author, account_id=author.id, confirm="ada")
    kept = latest_calibration_job(other)
    assert kept is not None and kept.id == job.id and kept.started_by is None
