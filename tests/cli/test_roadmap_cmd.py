"""`certprep roadmap` in process (Typer's CliRunner): the stored profile by default, --no-profile, --have."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from certprep.cli.app import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CERTPREP_DATABASE_URL", raising=False)
    return tmp_path


def roadmap(*args: str) -> str:
    result = runner.invoke(app, ["roadmap", "--goal", "devops-engineer-expert", "--at", "2026-11-26", *args])
    assert result.exit_code == 0, result.output
    return result.output


def steps(*args: str) -> list[str]:
    return [s["exam"] for s in json.loads(roadmap("--json", *args))["steps"]]


def test_roadmap_uses_the_stored_profile_by_default() -> None:
    assert steps() == ["AZ-104", "AZ-400"]
    assert "Using your profile: nothing recorded yet" in roadmap()
    added = runner.invoke(app, ["profile", "add-cert", "AZ-104", "--earned", "2026-03-01"])
    assert added.exit_code == 0, added.output
    assert steps() == ["AZ-400"]
    text = roadmap()
    assert "Using your profile: AZ-104 (earned 2026-03-01) (--no-profile to ignore it)" in text
    assert steps("--no-profile") == ["AZ-104", "AZ-400"]
    assert "Using your profile" not in roadmap("--no-profile")
    # --have is a what-if on its own; --profile adds the profile to it.
    assert steps("--have", "AZ-900") == ["AZ-104", "AZ-400"]
    assert steps("--have", "AZ-900", "--profile") == ["AZ-400"]


def test_roadmap_svg_colours_the_profile(tmp_path: Path) -> None:
    assert runner.invoke(app, ["profile", "add-cert", "AZ-104", "--earned", "2026-03-01"]).exit_code == 0
    out = tmp_path / "r.svg"
    assert "wrote" in roadmap("--svg", str(out))
    held = re.search(r'data-id="azure-administrator-associate" data-state="(\w+)"', out.read_text())
    assert held and held[1] == "held"
    roadmap("--svg", str(out), "--no-profile")
    ignored = re.search(r'data-id="azure-administrator-associate" data-state="(\w+)"', out.read_text())
    assert ignored and ignored[1] == "eligible"


def test_no_profile_does_not_open_the_database(data_dir: Path) -> None:
    roadmap("--no-profile", "--json")
    roadmap("--have", "AZ-104", "--json")
    assert not list(data_dir.glob("*.sqlite3"))
    roadmap("--json")
    assert list(data_dir.glob("*.sqlite3"))
