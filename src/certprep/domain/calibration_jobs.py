"""A calibration job's state, decided in one place from its stored row and the time.

A job is started by one server process (or `certprep calibrate`) and its progress is written to the database, so
every worker process of the server reports the same job. A job whose process died stops writing its heartbeat: after
`STALE_AFTER` without one it counts as abandoned, and a new job may start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

STALE_AFTER = timedelta(minutes=5)

JobState = Literal["running", "finished", "failed", "abandoned"]


@dataclass(frozen=True, slots=True)
class CalibrationJob:
    """One calibration run as every process sees it: its progress while it runs, its outcome afterwards."""

    id: int
    started_at: datetime
    started_by: str | None
    heartbeat_at: datetime
    finished_at: datetime | None
    iteration: int  # the EM step reached; once finished, the run's number of steps
    log_likelihood: float | None
    error: str | None
    persons: int | None
    items_updated: int | None
    converged: bool | None
    held: int | None


def job_state(job: CalibrationJob, now: datetime) -> JobState:
    """running (heartbeat within STALE_AFTER), abandoned (no heartbeat since), failed or finished."""
    if job.finished_at is None:
        return "running" if now - job.heartbeat_at <= STALE_AFTER else "abandoned"
    return "failed" if job.error else "finished"
