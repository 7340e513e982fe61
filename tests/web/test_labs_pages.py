"""Labs over HTTP, in process over a real SQLite file: the JSON API (a report re-validated and re-scored by the
server), the pages, and the access rule (a signed-in learner's own data)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from certprep.services import accounts
from certprep.services.labs import get_lab
from tests.web.conftest import Clock


@pytest.fixture
def client(anonymous: TestClient) -> TestClient:
    """Signed in per test, with the tokens below."""
    return anonymous


def token_for(client: TestClient, clock: Clock, username: str) -> dict[str, str]:
    db = client.app_state.db  # type: ignore[attr-defined]
    accounts.first_run(db, now=clock.now)
    account, _ = accounts.create_account(db, username=username, role="learner", now=clock.now)
    token = accounts.create_token(
        db, account_id=account.id, name="cli", scopes=["read", "write"], now=clock.now
    )
    return {"Authorization": f"Bearer {token}"}


def test_labs_need_a_signed_in_learner(client: TestClient) -> None:
    for url in ("/api/v1/labs", "/api/v1/labs/git-lfs", "/api/v1/labs/reports"):
        assert client.get(url).status_code == 401, url
    page = client.get("/labs", follow_redirects=False)  # a page sends the browser to sign in, then back
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Flabs"
    r = client.post("/api/v1/labs/git-lfs/reports", json={"results": [{"id": "psd", "passed": True}]})
    assert r.status_code == 401


def test_list_and_detail(client: TestClient, clock: Clock) -> None:
    auth = token_for(client, clock, "ada")
    labs = client.get("/api/v1/labs", headers=auth).json()["labs"]
    assert len(labs) >= 15 and all(lab["objectives"] and lab["checks"] for lab in labs)
    lab = client.get("/api/v1/labs/hotfix-flow", headers=auth).json()
    assert lab["task"].startswith("# A hotfix") and lab["checks"][0]["doc"].startswith("https://")
    missing = client.get("/api/v1/labs/no-such-lab", headers=auth)
    assert missing.status_code == 404 and "no lab 'no-such-lab'" in missing.json()["error"]["message"]
    assert client.get("/api/v1/labs/..%2Fetc", headers=auth).status_code in (404, 422)


def test_a_submitted_report_is_rescored_and_kept_per_learner(client: TestClient, clock: Clock) -> None:
    ada = token_for(client, clock, "ada")
    lab = get_lab("git-lfs")
    results = [{"id": c.id, "passed": c.id == "psd", "message": "from the CLI"} for c in lab.checks]
    r = client.post("/api/v1/labs/git-lfs/reports", json={"results": results, "score": 100}, headers=ada)
    assert r.status_code == 201
    body = r.json()
    assert (
        body["score"] == round(100 * 3 / lab.total_weight) and body["complete"] is False
    )  # the 100 sent is ignored
    forged = [*results, {"id": "made-up", "passed": True, "message": ""}]
    r = client.post("/api/v1/labs/git-lfs/reports", json={"results": forged}, headers=ada)
    assert r.status_code == 400 and r.json()["error"]["message"] == "lab git-lfs has no check 'made-up'"
    r = client.post("/api/v1/labs/git-lfs/reports", json={"results": results[:1]}, headers=ada)
    assert r.status_code == 400 and "the report lacks check(s) mp4, committed" in r.json()["error"]["message"]
    r = client.post("/api/v1/labs/nope/reports", json={"results": results}, headers=ada)
    assert r.status_code == 404
    r = client.post("/api/v1/labs/git-lfs/reports", json={"results": "all passed"}, headers=ada)
    assert r.status_code == 422
    mine = client.get("/api/v1/labs/reports", headers=ada).json()["reports"]
    assert [x["id"] for x in mine] == [body["id"]]
    bob = token_for_second(client, clock, "bob")
    assert client.get("/api/v1/labs/reports", headers=bob).json()["reports"] == []


def token_for_second(client: TestClient, clock: Clock, username: str) -> dict[str, str]:
    db = client.app_state.db  # type: ignore[attr-defined]
    account, _ = accounts.create_account(db, username=username, role="learner", now=clock.now)
    token = accounts.create_token(
        db, account_id=account.id, name="cli", scopes=["read", "write"], now=clock.now
    )
    return {"Authorization": f"Bearer {token}"}


def test_pages(client: TestClient, clock: Clock) -> None:
    auth = token_for(client, clock, "ada")
    lab = get_lab("hotfix-flow")
    results = [{"id": c.id, "passed": True, "message": f"ok {c.id}"} for c in lab.checks]
    assert (
        client.post("/api/v1/labs/hotfix-flow/reports", json={"results": results}, headers=auth).status_code
        == 201
    )
    page = client.get("/labs", headers=auth)
    assert page.status_code == 200
    assert '<a href="/labs">Labs</a>' in page.text  # the nav link
    assert "A hotfix on a release branch, brought back to main" in page.text
    assert "Design a hotfix path plan for responding to high-priority code fixes" in page.text
    assert "100%" in page.text
    one = client.get("/labs/hotfix-flow", headers=auth)
    assert one.status_code == 200
    assert one.text.count("<h1>") == 1
    assert "<code>hotfix/1.0.1</code>" in one.text and "<ol>" in one.text  # the task's Markdown, rendered
    assert "ok tag" in one.text and "(complete)" in one.text
    assert (
        'href="https://learn.microsoft.com/en-us/azure/devops/repos/git/git-branching-guidance"' in one.text
    )
    assert "<script>" not in one.text.split("</head>")[1]
    assert client.get("/labs/nope", headers=auth).status_code == 404


def test_lab_blocks_of_a_plan_name_their_labs(client: TestClient, clock: Clock) -> None:
    auth = token_for(client, clock, "ada")
    lab = get_lab("hotfix-flow")
    nearly = [{"id": c.id, "passed": c.id != "branch", "message": ""} for c in lab.checks]
    assert (
        client.post("/api/v1/labs/hotfix-flow/reports", json={"results": nearly}, headers=auth).status_code
        == 201
    )
    made = client.post("/api/v1/plan", json={"preset": "comprehensive"}, headers=auth)
    assert made.status_code == 201
    blocks = made.json()["blocks"]
    with_labs = [b for b in blocks if b["labs"]]
    assert with_labs and all(b["activity"] == "lab" for b in with_labs)
    assert any(b["objective"] == "hotfix-path" and b["labs"] == ["hotfix-flow"] for b in with_labs)
    assert all(b["labs"] == [] for b in blocks if b["activity"] != "lab")
    page = client.get("/plan", headers=auth)  # the agenda shows every day of the plan
    assert page.status_code == 200
    assert '<a href="/labs/hotfix-flow" class="lab-link">lab: A hotfix on a release branch' in page.text
