"""The pages of managers, authors and admins, in process over a real SQLite file: sign-in redirects that come back,
a manager's team page and its CSV, an invitation taken by someone new, the admin's accounts page, the author's item
statistics with sorting and a calibration run, and read-only access tokens."""

from __future__ import annotations

import csv
import io
import time

from fastapi.testclient import TestClient

from certprep.services import accounts as svc
from tests.signin import new_account, owner_headers
from tests.web.conftest import Clock


def csrf_in(html: str) -> str:
    return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_a_page_asked_without_signing_in_comes_back_after_it(anonymous: TestClient, clock: Clock) -> None:
    c = anonymous
    owner_headers(c.app.state)  # type: ignore[attr-defined]
    svc.set_password(c.app.state.db, account_id="local", password="the owner's password", now=clock.now)  # type: ignore[attr-defined]
    r = c.get("/plan?view=month", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fplan%3Fview%3Dmonth"
    assert c.get("/api/v1/plan").status_code == 401
    page = c.get(r.headers["location"]).text
    assert 'name="next" value="/plan?view=month"' in page
    signed = c.post(
        "/login",
        data={"username": "owner", "password": "the owner's password", "next": "/plan?view=month"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/plan?view=month"
    c.cookies.clear()
    for elsewhere in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        away = c.post(
            "/login",
            data={"username": "owner", "password": "the owner's password", "next": elsewhere},
            follow_redirects=False,
        )
        assert away.status_code == 303 and away.headers["location"] == "/", elsewhere
        c.cookies.clear()


def test_a_manager_runs_a_team_from_the_pages(anonymous: TestClient, clock: Clock) -> None:
    c = anonymous
    state = c.app.state  # type: ignore[attr-defined]
    _boss, boss = new_account(state, "boss", "manager")
    new_account(state, "ada")
    made = c.post("/teams", data={"name": "Platform"}, headers=boss, follow_redirects=False)
    assert made.status_code == 303
    team_url = made.headers["location"]
    assert c.post("/teams", data={"name": ""}, headers=boss).status_code == 400
    added = c.post(f"{team_url}/members", data={"username": "ada"}, headers=boss)
    assert added.status_code == 200 and "ada" in added.text and "not enough evidence" in added.text
    assert "Team figures appear from 5 learners" in added.text
    unknown = c.post(f"{team_url}/members", data={"username": "nobody"}, headers=boss)
    assert unknown.status_code == 404 and "no account named" in unknown.text
    sheet = c.get(f"{team_url}/members.csv", headers=boss)
    assert sheet.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(sheet.text)))
    assert [r["username"] for r in rows] == ["ada", "boss"] and rows[0][
        "readiness band"
    ] == "not enough evidence"
    invited = c.post(f"{team_url}/invitations", data={"role": "member"}, headers=boss)
    link = invited.text.split("(valid 7 days, used once): <code>", 1)[1].split("<", 1)[0]
    path = link.replace("http://testserver", "")
    offer = c.get(path)
    assert offer.status_code == 200 and "Platform" in offer.text and "Make my account and join" in offer.text
    short = c.post(path, data={"username": "cy", "password": "short"})
    assert short.status_code == 400 and "username has 3-64" in short.text
    joined = c.post(path, data={"username": "cyd", "password": "a long password!"}, follow_redirects=False)
    assert joined.status_code == 303 and c.get("/api/v1/account").json()["username"] == "cyd"
    assert c.get(path).status_code == 404  # used once
    c.cookies.clear()
    assert "cyd" in c.get(team_url, headers=boss).text
    ada_id = svc.get_account(state.db, username="ada").id
    granted = c.post(f"{team_url}/members/{ada_id}/accommodation", data={"extra_minutes": "30"}, headers=boss)
    assert granted.status_code == 200 and "Extra time set to 30 minutes" in granted.text
    bad = c.post(f"{team_url}/members/{ada_id}/accommodation", data={"extra_minutes": "lots"}, headers=boss)
    assert bad.status_code == 400
    assert (
        c.post(f"{team_url}/members/{ada_id}/remove", headers=boss, follow_redirects=False).status_code == 303
    )
    assert ">ada<" not in c.get(team_url, headers=boss).text


def test_the_admin_page_manages_accounts(client: TestClient) -> None:
    page = client.get("/admin")
    assert page.status_code == 200 and "owner" in page.text
    made = client.post("/admin/accounts", data={"username": "ada", "role": "author"})
    assert made.status_code == 200 and "/login/link/" in made.text
    taken = client.post("/admin/accounts", data={"username": "ada", "role": "author"})
    assert taken.status_code == 400 and "taken" in taken.text
    ada = svc.get_account(client.app.state.db, username="ada")  # type: ignore[attr-defined]
    client.post(f"/admin/accounts/{ada.id}", data={"role": "manager"})
    client.post(f"/admin/accounts/{ada.id}", data={"state": "disabled"})
    listed = {a["username"]: a for a in client.get("/api/v1/accounts").json()}
    assert listed["ada"]["role"] == "manager" and listed["ada"]["disabled"] is True
    last = client.post("/admin/accounts/local", data={"role": "learner"})
    assert last.status_code == 409 and "last admin" in last.text
    changed = client.patch(f"/api/v1/accounts/{ada.id}", json={"disabled": False, "role": "learner"})
    assert changed.json()["disabled"] is False and changed.json()["role"] == "learner"
    made = client.post("/api/v1/accounts", json={"username": "bea"})
    assert made.status_code == 201 and "/login/link/" in made.json()["link"]


def test_the_author_page_sorts_filters_and_calibrates(client: TestClient) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    _learner, h = new_account(state, "ada")
    made = client.post("/api/v1/attempts", json={"mode": "practice", "items": 4, "seed": 3}, headers=h).json()
    for entry in made["items"]:
        client.put(
            f"/api/v1/attempts/{made['id']}/items/{entry['position']}/response",
            json={"response": "A"},
            headers=h,
        )
    page = client.get("/author?sort=facility&desc=false")
    assert page.status_code == 200 and 'aria-sort="ascending"' in page.text
    items = client.get("/api/v1/author/items?sort=facility&desc=false").json()
    assert len(items) >= 1 and [i["facility"] for i in items] == sorted(i["facility"] for i in items)
    one = items[0]["item_id"]
    assert [i["item_id"] for i in client.get(f"/api/v1/author/items?q={one}").json()] == [one]
    assert client.get("/api/v1/author/items?sort=nonsense").status_code == 422
    started = client.post("/api/v1/author/calibration")
    assert started.status_code == 202
    for _ in range(100):
        status = client.get("/api/v1/author/calibration").json()
        if not status["running"]:
            break
        time.sleep(0.1)
    assert status["running"] is False and status["error"] is None
    assert "Last calibration" in client.get("/author/calibration").text


def test_a_read_only_token_reads_but_never_writes(client: TestClient) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    token = svc.create_token(
        state.db, account_id="local", name="dashboards", scopes=["read"], now=state.now()
    )
    h = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/attempts", headers=h).status_code == 200
    refused = client.post("/api/v1/attempts", json={"mode": "practice", "items": 2}, headers=h)
    assert refused.status_code == 403 and "may only read" in refused.json()["error"]["message"]
    made = client.post("/api/v1/account/tokens", json={"name": "ro", "scopes": ["read"]})
    assert made.status_code == 201
    bad = client.post("/api/v1/account/tokens", json={"name": "x", "scopes": ["admin"]})
    assert bad.status_code == 422


def test_a_learner_downloads_and_deletes_their_data(client: TestClient) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    _ada, h = new_account(state, "ada")
    client.post("/api/v1/profile/certifications", json={"certification": "AZ-104"}, headers=h)
    data = client.get("/api/v1/account/export", headers=h).json()["tables"]
    assert data["credentials"][0]["certification_id"] == "azure-administrator-associate"
    refused = client.post("/api/v1/account/delete", json={"confirm": "someone"}, headers=h)
    assert refused.status_code == 400
    assert client.post("/api/v1/account/delete", json={"confirm": "ada"}, headers=h).status_code == 204
    assert client.get("/api/v1/account", headers=h).status_code == 401  # its tokens went with it
    assert "ada" not in [a["username"] for a in client.get("/api/v1/accounts").json()]
