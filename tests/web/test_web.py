"""Pages and JSON API in process, through the real app factory and a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.web import create_app
from tests.signin import sign_in


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", data_dir=tmp_path))
    with TestClient(app) as c:
        sign_in(c)
        yield c


def test_roadmap_api(client: TestClient) -> None:
    r = client.get("/api/v1/roadmap", params={"goal": "AZ-400", "have": "AZ-104"})
    assert r.status_code == 200 and r.json()["eligible"] is True
    assert [s["exam"] for s in r.json()["steps"]] == ["AZ-400"]


def test_roadmap_api_role(client: TestClient) -> None:
    r = client.get("/api/v1/roadmap", params={"role": "Reliability lead"})
    assert r.status_code == 200 and r.json()["goal"]["id"] == "reliability-lead"


def test_unknown_goal_is_4xx_json(client: TestClient) -> None:
    r = client.get("/api/v1/roadmap", params={"goal": "azure-monitor-specialist"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_reference"
    assert "azure-monitor-specialist" in r.json()["error"]["message"]


def test_bad_have_is_400(client: TestClient) -> None:
    r = client.get("/api/v1/roadmap", params={"have": "AZ-104:yesterday"})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.json()["error"]["message"]


def test_pages_per_catalog_object(client: TestClient) -> None:
    for url in (
        "/",
        "/certifications/AZ-400",
        "/certifications/azure-developer-associate",
        "/paths",
        "/paths/finops",
        "/roles",
        "/roles/reliability-lead",
        "/corrections",
        "/roadmap?have=AZ-104",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "text/html" in r.headers["content-type"]
    page = client.get("/certifications/azure-developer-associate").text
    assert "retired" in page and "AI-200" in page


def test_unknown_page_is_html_404(client: TestClient) -> None:
    r = client.get("/certifications/XX-1")
    assert r.status_code == 404 and "unknown certification" in r.text and "<html" in r.text


def test_svg_and_openapi(client: TestClient) -> None:
    svg = client.get("/api/v1/roadmap.svg", params={"have": "AZ-104"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/roadmap" in spec["paths"] and "/api/v1/certifications/{ref}" in spec["paths"]


def test_static_assets_ship_in_the_package(client: TestClient) -> None:
    assert client.get("/static/htmx-2.0.11.min.js").status_code == 200
    page = client.get("/").text
    assert "https://" not in page.split("<main>")[0]


def test_bank_quality_page_and_api_show_the_cue_figures(client: TestClient) -> None:
    api = client.get("/api/v1/bank/quality")
    assert api.status_code == 200
    body = api.json()
    rules = {c["rule"]: c for c in body["cues"]}
    assert set(rules) >= {"key-longest", "length-ratio", "keys-longest", "yes-share"}
    assert rules["key-longest"]["limit"] == "at most 30%" and rules["key-longest"]["total"] > 100
    assert body["coverage"]["total"] > 300
    page = client.get("/bank")
    assert page.status_code == 200
    assert "Answer cues" in page.text and "single choice: key is the longest option" in page.text
    assert f"{rules['key-longest']['count']} of {rules['key-longest']['total']}" in page.text
    # aggregates only: no per-item cue message (it would name a key) reaches this page
    assert "answer cue:" not in page.text and "characters) is more than" not in page.text
