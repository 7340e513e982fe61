"""The plan and review pages, the calendar feed and their JSON twins, in process over a real SQLite file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from certprep.config import Settings
from certprep.web import create_app
from tests.signin import sign_in

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'p.sqlite3'}", data_dir=tmp_path), now=lambda: NOW
    )
    with TestClient(app) as c:
        sign_in(c)
        yield c


def hours(value: str) -> dict[str, str]:
    return {f"hours-{n}": value for n in range(7)}


def test_a_plan_made_from_the_page_then_a_block_marked_done(client: TestClient) -> None:
    assert "No plan yet" in client.get("/plan").text
    r = client.post("/plan", data={"preset": "balanced", **hours("2")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/plan"
    page = client.get("/plan").text
    exam = (NOW + timedelta(days=30)).date()
    assert f"exam on <strong>{exam}</strong>" in page and "Mock exam" in page and "Month by month" in page
    first = re.search(r'action="/plan/blocks/([^"]+)"', page)
    assert first and "%23" in first.group(1)  # block ids hold a '#', encoded in the address
    done = client.post(f"/plan/blocks/{first.group(1)}", data={"done": "1"}, follow_redirects=False)
    assert done.status_code == 303
    assert "✓ done" in client.get("/plan").text
    plan = client.get("/api/v1/plan").json()
    assert [b["id"] for b in plan["blocks"] if b["done"]] == [first.group(1).replace("%23", "#")]
    assert client.get("/api/v1/today").json()["streak"] == 1
    home = client.get("/").text
    assert "Today" in home and "✓ done" in home and "30 days to the exam" in home


def test_plan_form_errors_show_next_to_the_form_and_store_nothing(client: TestClient) -> None:
    r = client.post("/plan", data={"preset": "", **hours("2")})
    assert r.status_code == 400 and "give an exam date or a preset" in r.text and 'role="alert"' in r.text
    r = client.post("/plan", data={"exam_day": "next week", **hours("2")})
    assert r.status_code == 400 and "is not a date" in r.text
    r = client.post("/plan", data={"preset": "balanced", **hours("2"), "hours-6": "30"})
    assert (
        r.status_code == 400 and "Sunday: hours must be between 0 and 16" in r.text and 'value="30"' in r.text
    )
    assert client.get("/api/v1/plan").status_code == 404


def test_the_api_twin_and_the_calendar_feed(client: TestClient) -> None:
    made = client.post("/api/v1/plan", json={"preset": "intensive", "weekday_hours": [3] * 7})
    assert made.status_code == 201
    body = made.json()
    assert body["exam_day"] == str((NOW + timedelta(days=14)).date()) and body["blocks"]
    feed = client.get(body["feed_path"])
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = list(Calendar.from_ical(feed.content).walk("VEVENT"))
    assert len(events) >= len(body["blocks"])
    assert client.get("/calendar/" + "x" * 32 + ".ics").status_code == 404
    assert (
        client.post("/api/v1/plan", json={"preset": "intensive", "weekday_hours": [3] * 6}).status_code == 422
    )
    assert client.post("/api/v1/plan", json={"preset": "fast"}).status_code == 422
    replanned = client.post("/api/v1/plan/replan")
    assert replanned.status_code == 200 and replanned.json()["feed_path"] == body["feed_path"]
    block = quote(body["blocks"][0]["id"], safe="")
    assert client.put(f"/api/v1/plan/blocks/{block}", json={"done": True}).json()["blocks"][0]["done"] is True
    assert client.put("/api/v1/plan/blocks/nope", json={"done": True}).status_code == 404
    assert client.get("/plan.ics").status_code == 200


def test_a_review_session_on_the_page_and_in_json(client: TestClient) -> None:
    page = client.get("/review").text
    card = re.search(r'action="/review/(\d+)"', page)
    assert card and "Show the answer" in page and 'data-key="3"' in page
    due = client.get("/api/v1/reviews/next").json()["due_count"]
    r = client.post(f"/review/{card.group(1)}", data={"grade": "3"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/v1/reviews/next").json()["due_count"] == due - 1
    bad = client.post(f"/review/{card.group(1)}", data={"grade": "9"})
    assert bad.status_code == 400 and "grade" in bad.text
    api = client.post(f"/api/v1/reviews/{card.group(1)}/grade", json={"grade": 1})
    assert api.status_code == 200 and api.json()["grade"] == 1
    assert client.post("/api/v1/reviews/999999/grade", json={"grade": 1}).status_code == 404
    assert client.put("/api/v1/reviews/retention", json={"retention": 0.99}).status_code == 422
    assert client.put("/api/v1/reviews/retention", json={"retention": 0.85}).json() == {"retention": 0.85}
