"""In a real browser, as a learner would: the question bank page with its answer-cue figures, a practice set's
report (points per group, no scaled score or pass/fail), the history, and readiness that waits for evidence."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from tests.e2e.conftest import ARTIFACTS, owner_headers, signed_in


def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"content-type": "application/json", **owner_headers(url)},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        result: dict[str, Any] = json.loads(resp.read())
        return result


def _put(url: str, body: dict[str, Any]) -> None:
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"content-type": "application/json", **owner_headers(url)},
    )
    urllib.request.urlopen(req, timeout=60).close()


def test_bank_page_and_a_practice_report(server: str, browser: Any) -> None:
    page = signed_in(browser, server)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Question bank").click()
    page.wait_for_url("**/bank")
    assert page.get_by_role("heading", name="Answer cues").is_visible()
    row = page.locator("tr", has_text="single choice: key is the longest option")
    assert row.is_visible() and "at most 30%" in row.inner_text() and row.inner_text().strip().endswith("yes")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bank.png"), full_page=True)

    attempt = _post(
        f"{server}/api/v1/attempts", {"mode": "practice", "items": 3, "types": ["single"], "seed": 4}
    )
    for entry in attempt["items"]:
        _put(
            f"{server}/api/v1/attempts/{attempt['id']}/items/{entry['position']}/response", {"response": "A"}
        )
    _post(f"{server}/api/v1/attempts/{attempt['id']}/submit", {})
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Attempts").click()
    page.wait_for_url("**/attempts")
    page.locator(f'a[href="/attempts/{attempt["id"]}/report"]').click()
    page.wait_for_url("**/report")
    text = page.locator("main").inner_text()
    assert "points (" in text and "no scaled score or pass/fail" in text
    assert page.locator("p.result").count() == 0  # the Pass/Fail line of a mock exam's report
    assert "Readiness: not enough evidence yet" in text
    page.screenshot(path=str(ARTIFACTS / "practice-report.png"), full_page=True)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Readiness").click()
    page.wait_for_url("**/readiness")
    assert page.get_by_text("Not enough evidence yet").is_visible()
    assert "Answer about" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "readiness.png"), full_page=True)
    assert all(r.startswith(server) for r in requests), [r for r in requests if not r.startswith(server)]
    page.close()
