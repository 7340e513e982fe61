"""A full mock exam through the JSON API, and its 4xx paths."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from certprep.db.tables import FormEntryRow
from certprep.services.content import get_bank
from tests.factories import key_answer
from tests.web.conftest import Clock


def item_id(client: TestClient, attempt: str, position: int) -> str:
    with client.app_state.db.transaction() as s:  # type: ignore[attr-defined]
        return str(
            s.scalar(
                select(FormEntryRow.item_id).where(
                    FormEntryRow.attempt_id == attempt, FormEntryRow.position == position
                )
            )
        )


def test_full_exam_through_the_api(client: TestClient, clock: Clock) -> None:
    bank = get_bank()
    r = client.post("/api/v1/attempts", json={"mode": "exam", "seed": 3})
    assert r.status_code == 201
    attempt = r.json()
    aid = attempt["id"]
    assert len(attempt["items"]) == 50 and attempt["seconds_left"] == 6000
    for section in attempt["sections"]:
        for entry in [e for e in attempt["items"] if e["section"] == section["index"]]:
            shown = client.get(f"/api/v1/attempts/{aid}/items/{entry['position']}").json()
            assert shown["feedback"] is None and "key" not in shown["shown"]
            item = bank.item(item_id(client, aid, entry["position"]))
            assert item is not None
            ack = client.put(
                f"/api/v1/attempts/{aid}/items/{entry['position']}/response",
                json={"response": key_answer(item, shown["shown"]), "request_id": f"r{entry['position']}"},
            )
            assert ack.status_code == 200 and ack.json()["recorded"] is True
            clock.now += timedelta(seconds=20)
        if section["index"] + 1 < len(attempt["sections"]):
            assert client.post(f"/api/v1/attempts/{aid}/next-section", json={}).status_code == 400
            assert (
                client.post(f"/api/v1/attempts/{aid}/next-section", json={"confirm": True}).status_code == 200
            )
    review = client.get(f"/api/v1/attempts/{aid}").json()
    assert all(e["answered"] for e in review["items"])
    report = client.post(f"/api/v1/attempts/{aid}/submit").json()
    assert report["passed"] and report["scaled"] == 1000
    assert client.get(f"/api/v1/attempts/{aid}/report").json() == report
    history = client.get("/api/v1/attempts").json()
    assert history["trend"] == [["2026-11-26", 1000]]


def test_api_refusals_are_4xx_json(client: TestClient, clock: Clock) -> None:
    own_time = client.post("/api/v1/attempts", json={"mode": "exam", "minutes": 600})
    assert own_time.status_code == 400 and own_time.json()["error"]["data"]["field"] == "minutes"
    extension = client.post("/api/v1/attempts", json={"mode": "exam", "extension_minutes": 600})
    assert extension.status_code == 422 and "extension_minutes" in extension.json()["error"]["message"]
    started = client.post("/api/v1/attempts", json={"mode": "exam", "seed": 4, "items": 40}).json()
    aid = started["id"]
    assert started["seconds_left"] > 60 * 60  # the exam's own time, not one the learner asked for
    assert client.get("/api/v1/attempts/nope").status_code == 404
    bad = client.put(f"/api/v1/attempts/{aid}/items/0/response", json={"response": ["Q"], "extra": 1})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    assert client.post("/api/v1/attempts", json={"mode": "exam", "items": 101}).status_code == 422
    small = client.post("/api/v1/attempts", json={"mode": "exam", "items": 39})
    assert small.status_code == 400 and "40-60 scored items, not 39" in small.json()["error"]["message"]
    assert client.get(f"/api/v1/attempts/{aid}/report").status_code == 409
    clock.now += timedelta(seconds=started["seconds_left"] + 1)
    late = client.put(f"/api/v1/attempts/{aid}/items/0/response", json={"response": "A"})
    assert late.status_code == 409 and "time ran out" in late.json()["error"]["message"]
    assert client.get(f"/api/v1/attempts/{aid}/report").json()["expired"] is True


def test_practice_through_the_api(client: TestClient) -> None:
    r = client.post(
        "/api/v1/attempts",
        json={"mode": "practice", "groups": ["source-control"], "items": 2, "types": ["single"]},
    )
    assert r.status_code == 201
    aid = r.json()["id"]
    ack = client.put(f"/api/v1/attempts/{aid}/items/0/response", json={"response": "A"}).json()
    assert ack["feedback"]["key"] in {"A", "B", "C", "D", "E"} and ack["feedback"]["sources"]
    again = client.put(f"/api/v1/attempts/{aid}/items/0/response", json={"response": "B"})
    assert again.status_code == 409


def test_adaptive_and_readiness_through_the_api(client: TestClient) -> None:
    assert client.get("/api/v1/readiness").json() == {"current": None, "trend": []}
    aid = client.post("/api/v1/attempts", json={"mode": "adaptive", "items": 6, "seed": 2}).json()["id"]
    positions = []
    while (step := client.post(f"/api/v1/attempts/{aid}/next").json())["position"] is not None:
        positions.append(step["position"])
        shown = client.get(f"/api/v1/attempts/{aid}/items/{step['position']}").json()["shown"]
        answer = {
            "single": "A",
            "multiple": ["A"],
            "build-list": ["A"],
            "drag-drop": {},
            "hot-area": {},
            "yes-no": "no",
        }[shown["type"]]
        ack = client.put(
            f"/api/v1/attempts/{aid}/items/{step['position']}/response", json={"response": answer}
        ).json()
        assert ack["feedback"] is not None
    assert positions == list(range(len(positions))) and 5 <= len(positions) <= 6
    report = client.get(f"/api/v1/attempts/{aid}/report").json()
    assert report["mode"] == "adaptive" and report["readiness"]["responses"] == len(positions)
    dashboard = client.get("/api/v1/readiness").json()
    assert {"predicted", "low", "high", "pass_probability", "groups"} <= set(dashboard["current"])
    assert client.get("/api/v1/items/stats").status_code == 200


def test_history_report_and_readiness_pages(client: TestClient) -> None:
    assert "No attempts yet" in client.get("/attempts").text
    assert "No answers yet" in client.get("/readiness").text
    aid = client.post(
        "/api/v1/attempts", json={"mode": "practice", "items": 3, "types": ["single"], "seed": 1}
    ).json()["id"]
    assert client.get(f"/attempts/{aid}/report").status_code == 409
    for pos in range(3):
        client.put(f"/api/v1/attempts/{aid}/items/{pos}/response", json={"response": "A"})
    report = client.post(f"/api/v1/attempts/{aid}/submit").json()
    assert report["scaled"] is None and report["passed"] is None  # a practice set is never scaled
    page = client.get(f"/attempts/{aid}/report")
    assert page.status_code == 200 and "score report" in page.text
    assert (
        f"{report['raw']} of {report['max_raw']} points" in page.text
        and "no scaled score or pass/fail" in page.text
    )
    assert (
        '<p class="result">' not in page.text and "scaled score <strong>" not in page.text
    )  # no Pass/Fail line
    assert html.escape(report["items"][0]["revealed"]["choices"][0]["explanation"]) in page.text
    history = client.get("/attempts").text
    assert f"/attempts/{aid}/report" in history and f"{report['raw']}/{report['max_raw']} (" in history
    ready = client.get("/readiness").text
    assert "Not enough evidence yet: 3 questions answered" in ready and "Answer about" in ready
    assert "+0." not in ready and "-0." not in ready  # no raw ability values on a learner's page
    missing = client.get("/attempts/nope/report")
    assert missing.status_code == 404 and "<html" in missing.text


def test_discard_through_the_api(client: TestClient) -> None:
    aid = client.post("/api/v1/attempts", json={"mode": "exam", "seed": 2}).json()["id"]
    client.put(f"/api/v1/attempts/{aid}/items/0/response", json={"response": "A"})
    gone = client.delete(f"/api/v1/attempts/{aid}")
    assert gone.status_code == 200 and gone.json()["status"] == "discarded" and gone.json()["answered"] <= 1
    assert aid not in [a["attempt_id"] for a in client.get("/api/v1/attempts").json()["attempts"]]
    again = client.delete(f"/api/v1/attempts/{aid}")
    assert again.status_code == 409 and "already discarded" in again.json()["error"]["message"]
    assert client.delete("/api/v1/attempts/nope").status_code == 404
    done = client.post(
        "/api/v1/attempts", json={"mode": "practice", "items": 1, "types": ["single"], "seed": 1}
    )
    did = done.json()["id"]
    client.post(f"/api/v1/attempts/{did}/submit")
    kept = client.delete(f"/api/v1/attempts/{did}")
    assert kept.status_code == 409 and "its report is kept" in kept.json()["error"]["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/attempts", {"mode": "exam", "seed": 2**63}, "body.seed"),
        ("post", "/api/v1/attempts", {"mode": "exam", "seed": False}, "body.seed"),
        ("post", "/api/v1/attempts", {"mode": "exam", "seed": -1}, "body.seed"),
        (
            "post",
            "/api/v1/attempts",
            {"mode": "practice", "not_seen_in_last": 10**30},
            "body.not_seen_in_last",
        ),
        ("post", "/api/v1/attempts", {"mode": "practice", "groups": ["x" * 500]}, "body.groups.0"),
        ("get", "/api/v1/attempts/abc/items/1000000000000000000000000000000", None, "path.position"),
        ("get", "/api/v1/attempts/" + "a" * 65, None, "path.attempt_id"),
    ],
)
def test_out_of_range_input_is_a_4xx_naming_the_field(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None, field: str
) -> None:
    r = client.request(method.upper(), path, json=body)
    assert r.status_code == 422, r.text
    assert field in r.json()["error"]["message"]


def test_a_large_body_is_refused_without_being_echoed(client: TestClient) -> None:
    big = {"response": "A" * 200_000}
    r = client.put("/api/v1/attempts/abc/items/0/response", json=big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
    assert len(r.content) < 300
