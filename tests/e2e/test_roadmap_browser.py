"""Main flow in a real browser: from the catalog to a roadmap for a learner who holds AZ-104."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import ARTIFACTS, signed_in


def test_roadmap_flow(server: str, browser: Any) -> None:
    page = signed_in(browser, server)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/certifications")
    assert page.get_by_role("heading", name="Certifications").is_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Roadmap").click()
    page.wait_for_url("**/roadmap")
    page.select_option("select[name=goal]", "devops-engineer-expert")
    page.fill("input[name=have]", "AZ-104:2026-03-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/roadmap?*have=AZ-104*")
    assert page.get_by_text("Eligible:").first.inner_text().endswith("yes")
    assert page.locator("table tbody tr").count() == 1
    assert "AZ-400" in page.locator("table tbody tr").first.inner_text()
    assert (
        page.locator('g.node[data-id="azure-administrator-associate"]').get_attribute("data-state") == "held"
    )
    assert page.locator('g.node[data-id="devops-engineer-expert"]').get_attribute("data-state") == "eligible"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "roadmap.png"), full_page=True)
    assert all(r.startswith(server) for r in requests), [r for r in requests if not r.startswith(server)]
    page.goto(server + "/certifications/AZ-204")
    assert "retired" in page.content() and "AI-200" in page.content()
    page.close()
