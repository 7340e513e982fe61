"""Run a lab's checks against a folder: each check in its own thread with a time limit, every problem (a link out
of the folder, a file over 1 MB, a file that does not parse, a check that crashes or runs out of time) a failed
check with a clear reason, never an exception. Nothing in the folder is ever executed: checks parse files and ask
git read-only questions (see `labdir`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from pathlib import Path

from certprep.domain.labs import Check, CheckResult, Lab, LabReport, score_report
from certprep.labcheck import kinds_files, kinds_git, kinds_pipeline, kinds_terraform, kinds_workflow
from certprep.labcheck.labdir import CheckFailed, KindFn, LabDir, Outcome

KIND_FUNCTIONS: Mapping[str, KindFn] = {
    **kinds_files.FUNCTIONS,
    **kinds_git.FUNCTIONS,
    **kinds_terraform.FUNCTIONS,
    **kinds_pipeline.FUNCTIONS,
    **kinds_workflow.FUNCTIONS,
}


def available_kinds() -> Mapping[str, KindFn]:
    """Every check kind this installation can run."""
    return KIND_FUNCTIONS


def _attempt(fn: KindFn, lab_dir: LabDir, check: Check) -> Outcome:
    try:
        return fn(lab_dir, check.args)
    except CheckFailed as exc:
        return False, exc.message
    except RecursionError:
        return False, "a file is nested too deeply to be read"
    except MemoryError:
        return False, "a file is too large to be read"
    except Exception as exc:  # a kind's bug or an input no rule foresaw: a failed check, never a crash
        return False, f"could not be checked ({type(exc).__name__}: {exc})"


def run_check(check: Check, folder: Path, kinds: Mapping[str, KindFn] | None = None) -> CheckResult:
    """One check against a folder, within `check.timeout` seconds."""
    table = available_kinds() if kinds is None else kinds
    fn = table.get(check.kind)
    if fn is None:
        return CheckResult(check.id, False, f"this version of certprep cannot run check kind {check.kind!r}")
    started = time.monotonic()
    lab_dir = LabDir(folder, deadline=started + check.timeout)
    box: list[Outcome] = []
    # A daemon thread: a check stuck in a parser cannot be stopped, but it no longer holds the report or the exit.
    worker = threading.Thread(target=lambda: box.append(_attempt(fn, lab_dir, check)), daemon=True)
    worker.start()
    worker.join(check.timeout)
    seconds = time.monotonic() - started
    if not box:
        return CheckResult(
            check.id, False, f"did not finish within its time limit of {check.timeout:g} s", seconds
        )
    passed, message = box[0]
    return CheckResult(check.id, passed, message, seconds)


def run_lab(lab: Lab, folder: Path, kinds: Mapping[str, KindFn] | None = None) -> LabReport:
    """Every check of a lab against a folder, scored by the lab rule."""
    table = available_kinds() if kinds is None else kinds
    return score_report(lab, [run_check(c, folder, table) for c in lab.checks])
