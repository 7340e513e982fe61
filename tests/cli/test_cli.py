"""The command line, in process (certprep.cli.main) and once as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from certprep.cli import main


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CERTPREP_DATABASE_URL", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_roadmap_json_with_az104_is_eligible_once_az400_passed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "roadmap",
        "--goal",
        "devops-engineer-expert",
        "--have",
        "AZ-104",
        "--json",
        "--at",
        "2026-11-26",
    )
    data = json.loads(out)
    assert code == 0 and data["eligible"] is True
    assert [s["exam"] for s in data["steps"]] == ["AZ-400"]
    assert data["targets"][0]["state"] == "eligible"


def test_roadmap_json_with_retired_developer_associate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "roadmap",
        "--goal",
        "devops-engineer-expert",
        "--have",
        "AZ-204:2026-05-01",
        "--json",
        "--at",
        "2026-11-26",
    )
    data = json.loads(out)
    assert code == 0 and data["eligible"] is True
    assert any("retired on 2026-07-31" in n and "cannot be renewed" in n for n in data["notes"])


def test_roadmap_json_with_nothing_lists_az104_first(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "roadmap", "--goal", "devops-engineer-expert", "--json", "--at", "2026-11-26")
    data = json.loads(out)
    assert data["steps"][0]["exam"] == "AZ-104" and data["steps"][0]["reason"] == "prerequisite"
    assert data["steps"][0]["why"]


def test_roadmap_role_by_name_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "roadmap", "--role", "reliability lead", "--at", "2026-11-26")
    flat = " ".join(out.split())
    assert code == 0 and "AZ-104" in flat and "AZ-400" in flat
    assert "'Azure Monitor Specialist' certification: no such Microsoft credential exists" in flat


def test_roadmap_table_and_tree(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "roadmap", "--path", "DevSecOps", "--at", "2026-11-26")
    assert code == 0 and "Steps still missing" in out and "SC-500" in out


def test_unknown_goal_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "roadmap", "--goal", "azure-monitor-specialist")
    assert code == 1 and out == ""
    assert err.startswith("error: unknown certification or exam 'azure-monitor-specialist'")
    assert "known: " in err


def test_bad_have_date_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "roadmap", "--have", "AZ-104:01/05/2026")
    assert code == 1 and "'01/05/2026' is not a date in the form YYYY-MM-DD" in err


def test_svg_written_and_bad_folder_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "roadmap.svg"
    code, _, _ = run(capsys, "roadmap", "--have", "AZ-104", "--svg", str(target))
    assert code == 0 and target.read_text().startswith("<svg")
    missing = tmp_path / "no-such-dir" / "r.svg"
    code, _, err = run(capsys, "roadmap", "--svg", str(missing))
    assert code == 1 and "does not exist" in err and not missing.parent.exists()


def test_profile_commands_round_trip(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "profile", "add-cert", "AZ-104", "--earned", "2026-03-01")[0] == 0
    code, out, _ = run(
        capsys,
        "profile",
        "sitting",
        "AZ-400",
        "--at",
        "2026-11-20T10:00",
        "--tz",
        "Europe/Paris",
        "--failed",
        "--score",
        "612",
    )
    assert code == 0 and "2026-11-20T09:00:00+00:00" in out
    code, out, _ = run(capsys, "profile", "show", "--json")
    data = json.loads(out)
    assert data["held"][0]["certification"] == "azure-administrator-associate"
    assert data["sittings"][0]["timezone"] == "Europe/Paris"
    code, out, _ = run(capsys, "profile", "retake", "AZ-400")
    assert code == 0 and "24 hours" in out


def test_bad_time_zone_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "profile", "sitting", "AZ-400", "--at", "2026-11-20T10:00", "--tz", "Mars/Olympus", "--failed"
    )
    assert code == 1 and "'Mars/Olympus' is not a known time zone" in err


def test_unreachable_database_url_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CERTPREP_DATABASE_URL", "postgresql://u:pw@127.0.0.1:1/none")
    code, _, err = run(capsys, "profile", "show")
    assert (
        code == 1 and "error: cannot reach the database at postgresql+psycopg://u:***@127.0.0.1:1/none" in err
    )


def test_bad_setting_fails_naming_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CERTPREP_DATABASE_URL", "mysql://x")
    code, _, err = run(capsys, "profile", "show")
    assert code == 1 and "CERTPREP_DATABASE_URL must be" in err


def test_real_subprocess_exit_codes(tmp_path: Path) -> None:
    env = {**os.environ, "CERTPREP_DATA_DIR": str(tmp_path)}
    ok = subprocess.run(
        [sys.executable, "-m", "certprep", "roadmap", "--json", "--have", "AZ-104"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["eligible"] is True
    bad = subprocess.run(
        [sys.executable, "-m", "certprep", "roadmap", "--goal", "nope"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert bad.returncode == 1 and bad.stderr.startswith("error: unknown certification or exam 'nope'")


def test_pack_check_reports_file_line_and_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import shutil

    from certprep.services.content import builtin_pack_path

    pack = tmp_path / "az-400"
    shutil.copytree(builtin_pack_path(), pack)
    target = next((pack / "items" / "pipelines" / "yaml-pipelines").glob("*.md"))
    target.write_text(target.read_text().replace("difficulty:", "difficulty: 9\nold_difficulty:", 1))
    code, _, err = run(capsys, "pack", "check", str(pack))
    assert code == 1
    assert f"az-400/items/pipelines/yaml-pipelines/{target.name}:" in err and "difficulty" in err
    assert "error: " in err


def test_pack_check_on_a_folder_that_is_not_a_pack(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "pack", "check", str(tmp_path))
    assert code == 1 and "is not a content pack (no pack.yaml)" in err


def test_outline_diff_lists_changes_and_touched_items(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pack", "check", "--outline-diff", "2026-04-24", "2026-07-27", "--json")
    data = json.loads(out)
    assert code == 0 and len(data) == 4
    ghas = next(c for c in data if c["change"]["objective"] == "github-advanced-security")
    assert ghas["change"]["kind"] == "reworded" and ghas["items"]
    assert all(i.startswith("az-400/") for i in ghas["items"])
    code, out, _ = run(capsys, "pack", "check", "--outline-diff", "2026-04-24", "2026-07-27")
    assert "reworded github-advanced-security" in out and "items touched" in out


def test_outline_diff_unknown_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "pack", "check", "--outline-diff", "2024-07-26", "2026-07-27")
    assert code == 1 and "exam AZ-400 has no outline version 2024-07-26" in err


def test_pack_coverage_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pack", "check", "--coverage")
    assert code == 0 and "Per functional group" in out and "yaml-pipelines" in out


def test_pack_sync_records_revisions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pack", "sync")
    assert code == 0 and int(out.split()[0]) > 300
    code, out, _ = run(capsys, "pack", "sync")
    assert out.startswith("0 new item revisions")


def test_readiness_calibrate_and_item_stats_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "readiness")
    assert code == 0 and "No answers yet" in out
    code, out, _ = run(capsys, "readiness", "--json")
    assert json.loads(out) == {"current": None, "trend": []}
    code, out, _ = run(capsys, "calibrate")
    assert code == 0 and "0 learners" in out
    code, out, _ = run(capsys, "items", "stats", "--json")
    assert code == 0 and json.loads(out) == []


def test_discard_an_attempt_in_progress(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from certprep.config import load_settings
    from certprep.services import forms
    from certprep.services.content import get_catalog
    from certprep.services.database import open_database

    db = open_database(load_settings(), migrate=True)
    aid = forms.start_exam(
        db, catalog=get_catalog(), learner_id="local", now=datetime.now(UTC), seed=1
    ).attempt.id
    db.dispose()
    code, out, _ = run(capsys, "attempts", "--json")
    [line] = json.loads(out)["attempts"]
    assert code == 0 and (line["attempt_id"], line["answered"], line["items"]) == (aid, 0, 50)
    code, out, _ = run(capsys, "discard", aid, "--yes")
    assert code == 0 and f"Discarded exam attempt {aid} (0 answers dropped)" in out
    code, _, err = run(capsys, "discard", aid, "--yes")
    assert code != 0 and f"attempt {aid} is already discarded" in err
    code, _, err = run(capsys, "discard", "nope", "--yes")
    assert code != 0 and "no attempt 'nope'" in err
    code, out, _ = run(capsys, "attempts", "--json")
    assert json.loads(out)["attempts"] == []


def test_profile_accommodation_sets_extra_minutes_and_refuses_too_many(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "profile", "accommodation", "30")
    assert code == 0 and "30 extra minutes" in out
    code, out, _ = run(capsys, "profile", "show", "--json")
    assert json.loads(out)["extra_minutes"] == 30
    code, _, err = run(capsys, "profile", "accommodation", "600")
    assert code != 0 and "between 0 and 240, not 600" in err
