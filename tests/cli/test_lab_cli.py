"""`certprep lab list | start | check | reset` in process, over real git repositories and a real SQLite file;
`--submit` against a real server (uvicorn on a local port, in a thread)."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn

from certprep.cli import main
from certprep.config import Settings
from certprep.services import accounts
from certprep.web import create_app

GIT = ["git", "-c", "user.name=Ada", "-c", "user.email=ada@example.org"]


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # Rich wraps table cells to the terminal: one line per cell here


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def finish_lfs_lab(folder: Path) -> None:
    (folder / ".gitattributes").write_text(
        "*.psd filter=lfs diff=lfs merge=lfs -text\n*.mp4 filter=lfs diff=lfs merge=lfs -text\n"
    )
    subprocess.run([*GIT, "add", ".gitattributes"], cwd=folder, check=True)
    subprocess.run([*GIT, "commit", "-qm", "Track large files with LFS"], cwd=folder, check=True)


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lab", "list", "--json")
    labs = json.loads(out)
    assert code == 0 and len(labs) >= 15 and {"git-lfs", "hotfix-flow"} <= {lab["id"] for lab in labs}
    code, out, _ = run(capsys, "lab", "list")
    assert code == 0 and "git-lfs" in out and "large-files" in out
    code, out, _ = run(capsys, "lab", "show", "arm-bicep-hardening")
    assert code == 0 and "# Harden a storage account in ARM and Bicep" in out
    assert (
        "Bicep has no Python parser" in out
        and "The ARM template requires TLS 1.2 (weight 2, arm-resource)" in out
    )


def test_start_check_reset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "lfs"
    code, out, _ = run(capsys, "lab", "start", "git-lfs", str(folder))
    assert code == 0 and "Large files in Git LFS" in out and (folder / ".git").is_dir()
    code, out, _ = run(capsys, "lab", "check", str(folder))
    assert code == 1
    assert "failed" in out and ".gitattributes is not committed" in out and "git lfs track" in out
    assert "https://learn.microsoft.com/en-us/azure/devops/repos/git/manage-large-files" in out
    finish_lfs_lab(folder)
    code, out, _ = run(capsys, "lab", "check", str(folder), "--json")
    report = json.loads(out)
    assert code == 0 and report["score"] == 100 and report["complete"] and report["report_id"]
    assert [c["passed"] for c in report["checks"]] == [True, True, True]
    code, out, _ = run(capsys, "lab", "reports", "--json")
    recorded = json.loads(out)
    assert code == 0 and len(recorded) == 2  # the failing check, then the passing one: newest first
    assert (
        recorded[0]["id"] == report["report_id"]
        and recorded[0]["score"] == 100
        and recorded[1]["score"] < 100
    )
    code, out, _ = run(capsys, "lab", "reports", "--lab", "hotfix-flow")
    assert code == 0 and "No lab report recorded yet" in out
    code, _, err = run(capsys, "lab", "reports", "--lab", "nope")
    assert code == 1 and "no lab 'nope'" in err
    code, out, _ = run(capsys, "lab", "reset", str(folder), "--yes")
    assert code == 0 and not (folder / ".gitattributes").exists()
    code, out, _ = run(capsys, "lab", "check", str(folder), "--json")
    assert code == 1 and [c["passed"] for c in json.loads(out)["checks"]] == [False, False, True]


def test_bad_folders_and_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run(capsys, "lab", "start", "git-lfs", str(tmp_path))
    assert code == 1 and "is not an empty folder: choose a new one" in err
    assert (tmp_path / "notes.txt").read_text() == "mine" and not (tmp_path / ".git").exists()
    code, _, err = run(capsys, "lab", "check", str(tmp_path))
    assert code == 1 and "is not in a lab folder (start one with `certprep lab start LAB DIR`)" in err
    code, _, err = run(capsys, "lab", "start", "no-such-lab", str(tmp_path / "x"))
    assert code == 1 and "no lab 'no-such-lab'" in err
    code, _, err = run(capsys, "lab", "check", str(tmp_path), "--submit")
    assert code == 1 and "--submit needs --server URL" in err


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A real certprep server on a free local port, and a personal access token of a learner on it."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}", data_dir=tmp_path / "server")
    app = create_app(settings)
    now = datetime.now(UTC)
    accounts.first_run(app.state.db, now=now)
    account, _ = accounts.create_account(app.state.db, username="ada", role="learner", now=now)
    token = accounts.create_token(
        app.state.db, account_id=account.id, name="cli", scopes=["read", "write"], now=now
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token
    srv.should_exit = True
    thread.join(10)


def test_submit_to_a_server(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: tuple[str, str]
) -> None:
    url, token = server
    folder = tmp_path / "lfs"
    assert run(capsys, "lab", "start", "git-lfs", str(folder))[0] == 0
    finish_lfs_lab(folder)
    code, out, _ = run(
        capsys, "lab", "check", str(folder), "--json", "--submit", "--server", url, "--token", token
    )
    data = json.loads(out)
    assert code == 0 and data["submitted"]["score"] == 100 and data["submitted"]["lab"] == "git-lfs"
    code, _, err = run(
        capsys, "lab", "check", str(folder), "--submit", "--server", url, "--token", "cpat_wrong"
    )
    assert code == 1 and "the server refused the report (401)" in err
    code, _, err = run(
        capsys, "lab", "check", str(folder), "--submit", "--server", "ftp://example.org", "--token", token
    )
    assert code == 1 and "--server: " in err
