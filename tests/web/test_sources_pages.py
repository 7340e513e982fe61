"""The author's freshness page and API: the same report as `certprep pack check --sources`, for the `items` right
only (an author or an admin), with a bad age refused as a 422 naming the parameter."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from certprep.services import accounts as svc
from tests.web.conftest import Clock


def bearer(client: TestClient, clock: Clock, role: str) -> dict[str, str]:
    db = client.app.state.db  # type: ignore[attr-defined]
    account, _ = svc.create_account(db, username=f"u-{role}", role=role, now=clock.now)
    token = svc.create_token(db, account_id=account.id, name="t", scopes=["read", "write"], now=clock.now)
    return {"Authorization": f"Bearer {token}"}


def test_an_author_sees_every_cited_page_and_a_learner_does_not(anonymous: TestClient, clock: Clock) -> None:
    client = anonymous
    assert svc.first_run(client.app.state.db, now=clock.now)  # type: ignore[attr-defined]
    author = bearer(client, clock, "author")
    data = client.get("/api/v1/packs/sources", headers=author).json()
    assert data["today"] == "2026-11-26" and data["max_age_days"] == 180
    assert data["citations"] == sum(len(p["citations"]) for p in data["pages"]) > 1000
    assert data["stale_pages"] == sum(p["is_stale"] for p in data["pages"])
    assert all(p["url"].startswith("https://") for p in data["pages"])
    page = next(p for p in data["pages"] if p["citations"][0]["kind"] == "item")
    assert page["last_checked"] >= page["oldest_checked"]
    clock.now = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)  # after every check date: with max_age=0 all are due
    strict = client.get("/api/v1/packs/sources?max_age=0", headers=author).json()
    assert strict["ok"] is False and strict["stale_citations"] >= data["stale_citations"]
    html = client.get("/author/sources?max_age=0", headers=author)
    assert html.status_code == 200 and "Cited sources" in html.text and "citations to review" in html.text
    assert page["url"] in html.text
    bad = client.get("/api/v1/packs/sources?max_age=-5", headers=author)
    assert bad.status_code == 422 and "max_age" in bad.text
    learner = bearer(client, clock, "learner")
    assert client.get("/api/v1/packs/sources", headers=learner).status_code == 403
    assert client.get("/author/sources", headers=learner).status_code == 403
    assert client.get("/api/v1/packs/sources").status_code == 401
