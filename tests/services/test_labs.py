"""Lab services over a real database and real git repositories: start, check and record, reports re-scored from
pass/fail, reset, and lab reports as the planner's evidence."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from certprep.domain.labs import CheckResult
from certprep.errors import InvalidInput, UnknownReference
from certprep.services import labs, planning
from certprep.services.content import get_bank
from certprep.services.database import Database


def test_start_check_and_record(db: Database, now: datetime, tmp_path: Path) -> None:
    folder = tmp_path / "work"
    lab = labs.start_lab("ci-path-filters", folder)
    assert (folder / "api-ci.yml").is_file() and (folder / ".git").is_dir()
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=folder, capture_output=True, text=True, check=True
    )
    assert log.stdout.strip() == "Start lab ci-path-filters"
    report = labs.check_lab(db, learner_id="ada", folder=folder, now=now)
    assert report.lab_id == lab.id and not report.complete and report.report_id
    assert [r.check_id for r in report.results] == [c.id for c in lab.checks]
    solution = Path(lab.folder) / "solution" / "api-ci.yml"
    (folder / "api-ci.yml").write_text(solution.read_text())
    done = labs.check_lab(
        db, learner_id="ada", folder=folder / "src" / "Api", now=now
    )  # from inside, as git finds its root
    assert done.complete and done.score == 100
    stored = labs.reports(db, learner_id="ada")
    assert {r.report_id for r in stored} == {report.report_id, done.report_id}
    assert labs.reports(db, learner_id="bob") == []
    assert labs.report(db, learner_id="ada", report_id=done.report_id or "").score == 100


def test_start_refuses_a_folder_with_files_and_an_unknown_lab(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="is not an empty folder"):
        labs.start_lab("git-lfs", tmp_path / "busy")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]  # nothing half-written next to it
    with pytest.raises(UnknownReference, match="no lab 'nope'; labs: "):
        labs.start_lab("nope", tmp_path / "new")
    assert not (tmp_path / "new").exists()
    with pytest.raises(InvalidInput, match="is not in a lab folder"):
        labs.run_folder(tmp_path / "busy")


def test_a_report_is_rescored_from_pass_fail(db: Database, now: datetime) -> None:
    lab = labs.get_lab("hotfix-flow")
    results = [CheckResult(c.id, c.id in ("branch", "tag"), "sent") for c in lab.checks]
    report = labs.record_report(
        db, learner_id="ada", lab_id=lab.id, results=results, source="submitted", now=now
    )
    assert report.score == round(100 * 3 / lab.total_weight) and not report.complete
    with pytest.raises(InvalidInput, match="lab hotfix-flow has no check 'made-up'"):
        labs.record_report(
            db,
            learner_id="ada",
            lab_id=lab.id,
            results=[*results, CheckResult("made-up", True, "")],
            source="submitted",
            now=now,
        )
    with pytest.raises(InvalidInput, match="the report lacks check"):
        labs.record_report(
            db, learner_id="ada", lab_id=lab.id, results=results[:2], source="submitted", now=now
        )
    assert len(labs.reports(db, learner_id="ada")) == 1  # refused reports are not recorded


def test_reset_restores_the_starter(tmp_path: Path) -> None:
    folder = tmp_path / "lab"
    labs.start_lab("remove-leaked-secret", folder)
    (folder / "README.md").write_text("changed")
    subprocess.run(
        ["git", "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qam", "mine"], cwd=folder, check=True
    )
    labs.reset_lab(folder)
    assert (folder / "README.md").read_text() == "# Shop\n"
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout
    assert "mine" not in log and "Add storage settings" in log
    assert [p.name for p in tmp_path.iterdir()] == ["lab"]


def test_lab_reports_are_evidence_for_the_planner(db: Database, now: datetime) -> None:
    lab = labs.get_lab("git-lfs")
    results = [CheckResult(c.id, True, "ok") for c in lab.checks]
    labs.record_report(db, learner_id="ada", lab_id=lab.id, results=results, source="local", now=now)
    half = [CheckResult(c.id, c.id == "psd", "ok") for c in lab.checks]
    labs.record_report(db, learner_id="ada", lab_id=lab.id, results=half, source="local", now=now)
    with db.reading() as session:
        mastery = planning._mastery(session, "ada", get_bank())
        assert mastery["large-files"] == 1.0  # the best report counts
        assert planning._mastery(session, "bob", get_bank()).get("large-files") is None


def test_a_plans_lab_blocks_point_to_the_labs_of_their_objective(
    db: Database, now: datetime, catalog
) -> None:  # type: ignore[no-untyped-def]
    lab = labs.get_lab("hotfix-flow")
    nearly = [
        CheckResult(c.id, c.id != "branch", "") for c in lab.checks
    ]  # 89%: the objectives are nearly known
    labs.record_report(db, learner_id="ada", lab_id=lab.id, results=nearly, source="local", now=now)
    view = planning.make_plan(db, catalog=catalog, learner_id="ada", now=now, preset="comprehensive")
    assert view.labs["large-files"] == (("git-lfs", "Large files in Git LFS"),)
    lab_blocks = {b.objective for b in view.plan.blocks if b.activity == "lab"}
    assert {"hotfix-path", "branch-strategy", "repo-tags"} <= lab_blocks  # nearly known: straight to the lab
    assert view.labs["hotfix-path"] == (("hotfix-flow", lab.title),)
    assert planning.current_plan(db, catalog=catalog, learner_id="ada").labs == view.labs  # type: ignore[union-attr]
