"""`certprep account`, `certprep team` and `certprep serve --host`: the owner's commands over a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from certprep.cli import main, serve_cmd


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_serve_beyond_loopback_needs_an_admin_password_and_a_public_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, "serve", "--host", "0.0.0.0")
    assert code != 0 and "--host 0.0.0.0 reaches beyond this machine" in err
    assert "an admin with a password" in err and "CERTPREP_PUBLIC_URL" in err
    assert run(capsys, "account", "password", "owner", "--password", "a long enough password")[0] == 0
    code, _, err = run(capsys, "serve", "--host", "0.0.0.0")
    assert code != 0 and "an admin with a password" not in err and "CERTPREP_PUBLIC_URL" in err
    monkeypatch.setenv("CERTPREP_PUBLIC_URL", "https://certprep.example.com")
    started: list[dict[str, Any]] = []
    # The edge: uvicorn would listen on the network; record what it was asked instead.
    monkeypatch.setattr(serve_cmd.uvicorn, "run", lambda app, **kw: started.append(kw))
    code, out, err = run(capsys, "serve", "--host", "0.0.0.0")
    assert code == 0, err
    assert started[0]["host"] == "0.0.0.0" and "https://certprep.example.com" in " ".join(out.split())


def test_a_short_password_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "account", "password", "owner", "--password", "short")
    assert code != 0 and "at least 12 characters" in err


def test_accounts_roles_disable_export_and_delete(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "account", "add", "ada", "--role", "learner")
    assert code == 0 and "ada (learner): http://127.0.0.1:8400/login/link/" in out
    code, out, _ = run(capsys, "account", "list")
    assert "\tada\tlearner\tactive" in out and "\towner\tadmin\tactive" in out
    assert run(capsys, "account", "role", "ada", "manager")[1].strip() == "ada: manager"
    code, _, err = run(capsys, "account", "role", "ada", "wizard")
    assert code != 0 and "wizard" in err
    code, _, err = run(capsys, "account", "role", "owner", "learner")
    assert code != 0 and "last admin" in err
    assert run(capsys, "account", "disable", "ada")[1].strip() == "ada: disabled"
    assert "\tada\tmanager\tdisabled" in run(capsys, "account", "list")[1]
    assert run(capsys, "account", "disable", "ada", "--enable")[0] == 0
    assert run(capsys, "profile", "add-cert", "AZ-104", "--earned", "2026-01-10")[0] == 0
    target = tmp_path / "owner.json"
    assert run(capsys, "account", "export", "owner", "-o", str(target))[0] == 0
    data = json.loads(target.read_text())
    assert data["accounts"][0]["username"] == "owner" and "password_hash" not in data["accounts"][0]
    assert data["credentials"][0]["certification_id"] == "azure-administrator-associate"
    code, _, err = run(capsys, "account", "delete", "ada", "--confirm", "bob")
    assert code != 0 and "type the account's username" in err
    assert run(capsys, "account", "delete", "ada", "--confirm", "ada")[0] == 0
    assert "ada" not in run(capsys, "account", "list")[1]
    code, _, err = run(capsys, "account", "delete", "owner", "--confirm", "owner")
    assert code != 0 and "last admin" in err


def test_teams_from_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "team", "create", "Platform")
    assert code == 0
    team_id = out.split("\t")[0]
    code, _, err = run(capsys, "team", "create", "Platform")
    assert code != 0 and "exists already" in err
    run(capsys, "account", "add", "ada")
    assert run(capsys, "team", "add", team_id, "ada")[1].strip() == "Platform: 2 members"
    code, _, err = run(capsys, "team", "add", team_id, "nobody")
    assert code != 0 and "no account named 'nobody'" in err
    code, _, err = run(capsys, "team", "show", "t-nope")
    assert code != 0 and "no team 't-nope'" in err
    code, out, _ = run(capsys, "team", "show", team_id, "--json")
    view = json.loads(out)
    assert {m["username"]: m["band"] for m in view["members"]} == {
        "ada": "not enough evidence",
        "owner": "not enough evidence",
    }
    assert view["figures"] is None  # two people: no averages
    csv_file = tmp_path / "team.csv"
    assert run(capsys, "team", "show", team_id, "--csv", str(csv_file))[0] == 0
    assert csv_file.read_text().splitlines()[0].startswith("username,team role,associate held,exam date")
    assert "/invite/" in run(capsys, "team", "invite", team_id)[1]
    assert run(capsys, "team", "remove", team_id, "ada")[1].strip() == "Platform: 1 members"
    assert f"{team_id}\tPlatform\t1 members" in run(capsys, "team", "list")[1]
