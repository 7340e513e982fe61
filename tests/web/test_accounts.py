"""Signing in: the first-run link, passwords with throttling, sessions that end at sign-out, CSRF on session
requests, personal access tokens; in process over a real SQLite file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.services import accounts as svc
from certprep.web import create_app
from certprep.web.auth import COOKIE
from tests.signin import owner_headers
from tests.web.conftest import Clock


@pytest.fixture
def client(anonymous: TestClient) -> TestClient:
    """These tests sign in themselves."""
    return anonymous


def owner_link(client: TestClient, clock: Clock) -> str:
    token = svc.first_run(client.app.state.db, now=clock.now)  # type: ignore[attr-defined]
    assert token is not None
    return token


def test_the_first_run_link_signs_in_once(client: TestClient, clock: Clock) -> None:
    token = owner_link(client, clock)
    assert svc.first_run(client.app.state.db, now=clock.now) is None  # type: ignore[attr-defined]
    r = client.get(f"/login/link/{token}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/account"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/api/v1/account").json() == {
        "id": "local",
        "username": "owner",
        "role": "admin",
        "via": "session",
    }
    client.cookies.clear()
    again = client.get(f"/login/link/{token}", follow_redirects=False)
    assert again.status_code == 401 and "not valid" in again.text


def test_a_session_request_needs_its_csrf_token(client: TestClient, clock: Clock) -> None:
    client.get(f"/login/link/{owner_link(client, clock)}")
    refused = client.post("/api/v1/attempts", json={"mode": "practice", "items": 2})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    assert client.get("/api/v1/attempts").json()["attempts"] == []
    page = client.get("/start").text
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert csrf and f'"X-CSRF-Token": "{csrf}"' in page
    ok = client.post(
        "/api/v1/attempts", json={"mode": "practice", "items": 2}, headers={"X-CSRF-Token": csrf}
    )
    assert ok.status_code == 201
    form = client.post(
        "/start", data={"mode": "practice", "count": "2", "csrf": csrf}, follow_redirects=False
    )
    assert form.status_code == 303
    cross = client.post("/start", data={"mode": "practice", "count": "2", "csrf": "forged"})
    assert cross.status_code == 403
    assert len(client.get("/api/v1/attempts").json()["attempts"]) == 2


def test_passwords_throttling_and_a_stolen_session_after_logout(client: TestClient, clock: Clock) -> None:
    client.get(f"/login/link/{owner_link(client, clock)}")
    csrf = client.get("/account").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    short = client.post("/account/password", data={"password": "short", "csrf": csrf})
    assert short.status_code == 400 and "at least 12 characters" in short.text
    client.post("/account/password", data={"password": "correct horse battery", "csrf": csrf})
    assert client.get("/api/v1/account").status_code == 401  # a new password ends every session
    for _ in range(5):
        bad = client.post("/login", data={"username": "owner", "password": "wrong password!"})
        assert bad.status_code == 401 and "wrong username or password" in bad.text
    throttled = client.post("/login", data={"username": "owner", "password": "correct horse battery"})
    assert throttled.status_code == 429
    clock.now += timedelta(minutes=16)
    ok = client.post(
        "/login", data={"username": "owner", "password": "correct horse battery"}, follow_redirects=False
    )
    assert ok.status_code == 303
    stolen = client.cookies.get(COOKIE)
    csrf = client.get("/account").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    client.post("/logout", data={"csrf": csrf})
    client.cookies.clear()
    client.cookies.set(COOKIE, stolen or "")
    assert client.get("/api/v1/account").status_code == 401


def test_access_tokens_identify_their_account_without_csrf(client: TestClient, clock: Clock) -> None:
    owner_link(client, clock)
    account, _ = svc.create_account(client.app.state.db, username="ada", role="learner", now=clock.now)  # type: ignore[attr-defined]
    token = svc.create_token(
        client.app.state.db, account_id=account.id, name="ci", scopes=["read", "write"], now=clock.now
    )  # type: ignore[attr-defined]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/account", headers=auth).json()["username"] == "ada"
    made = client.post("/api/v1/attempts", json={"mode": "practice", "items": 2}, headers=auth)
    assert made.status_code == 201
    assert client.get("/api/v1/attempts").status_code == 401  # without the token: nobody, not the owner
    assert len(client.get("/api/v1/attempts", headers=auth).json()["attempts"]) == 1
    owner = owner_headers(client.app.state)  # type: ignore[attr-defined]
    assert (
        client.get("/api/v1/attempts", headers=owner).json()["attempts"] == []
    )  # the owner sees none of ada's
    other = client.get(f"/api/v1/attempts/{made.json()['id']}", headers=owner)
    assert other.status_code == 404
    assert client.get("/api/v1/account", headers={"Authorization": "Bearer cpat_forged"}).status_code == 401
    own = client.put("/api/v1/profile/accommodation", json={"extra_minutes": 60}, headers=auth)
    assert own.status_code == 403 and own.json()["error"]["code"] == "forbidden"  # granted, never self-chosen
    assert client.get("/api/v1/profile", headers=auth).json()["extra_minutes"] == 0
    svc.revoke_token(client.app.state.db, account_id=account.id, token=token, now=clock.now)  # type: ignore[attr-defined]
    assert client.get("/api/v1/account", headers=auth).status_code == 401
    assert client.get("/api/v1/attempts", headers=auth).status_code == 401  # never the local learner instead


def test_a_500_page_keeps_the_security_headers(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", data_dir=tmp_path))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500 and "a bug" not in r.text
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
