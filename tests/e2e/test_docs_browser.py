"""In a real browser: the API docs render from the vendored Swagger UI, and the roadmap form shows its error."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import ARTIFACTS, signed_in


def test_api_docs_render_offline(server: str, browser: Any) -> None:
    page = signed_in(browser, server)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/api/v1/docs")
    page.locator(".opblock-summary-path", has_text="/api/v1/roadmap").first.wait_for(timeout=20000)
    assert page.locator(".info .title").first.inner_text().startswith("certprep")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
    assert [r for r in requests if not r.startswith(server)] == []
    assert errors == []
    page.close()


def test_roadmap_form_error_beside_the_field(server: str, browser: Any) -> None:
    page = signed_in(browser, server, viewport={"width": 375, "height": 800})
    page.goto(server + "/roadmap")
    page.fill("input[name=have]", "AZ-104:yesterday")
    page.get_by_role("button", name="Show").click()
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=10000)
    assert "is not a date in the form YYYY-MM-DD" in alert.inner_text()
    field = page.locator("#roadmap-have")
    assert field.get_attribute("aria-describedby") == "roadmap-error-have"
    assert field.input_value() == "AZ-104:yesterday"
    page.close()
