"""In a real browser against a real server (web/guard.py): a form on another site that posts to certprep is refused
and writes nothing, a DNS-rebinding name for 127.0.0.1 gets 400, and the main pages run under the strict
Content-Security-Policy without a single violation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from certprep.web.guard import CSP
from tests.e2e.conftest import CHROMIUM, Patient, signed_in

EVIL_FORM = """<!doctype html><html><body>
<form method="post" action="{server}/start"><input type="hidden" name="mode" value="exam">
<button type="submit">Win a prize</button></form></body></html>"""
REPORT_VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation', "
    "e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
)
PAGES = [
    "/",
    "/start",
    "/plan",
    "/review",
    "/attempts",
    "/readiness",
    "/cards",
    "/profile",
    "/roadmap?goal=AZ-400&have=AZ-104",
    "/certifications",
    "/certifications/AZ-400",
    "/bank",
    "/docs/scoring",
    "/api/v1/docs",
]


def attempts(page: Any, server: str) -> int:
    return len(page.request.get(server + "/api/v1/attempts").json()["attempts"])


def test_a_cross_site_form_post_is_refused(server: str, browser: Any) -> None:
    page = signed_in(browser, server)
    before = attempts(page, server)
    page.route(
        "http://evil.example/**",
        lambda route: route.fulfill(content_type="text/html", body=EVIL_FORM.format(server=server)),
    )
    page.goto("http://evil.example/prize")
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="Win a prize").click()
    assert nav.value.status == 403
    assert "cross-site request refused" in page.inner_text("body")
    assert attempts(page, server) == before
    page.close()


def test_a_dns_rebinding_name_gets_400(server: str, browser: Any) -> None:
    port = urlsplit(server).port
    rebound = Patient(
        browser.browser_type.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP rebind.example 127.0.0.1"],
        )
    )
    try:
        page = rebound.new_page()
        response = page.goto(f"http://rebind.example:{port}/api/v1/profile")
        assert response is not None and response.status == 400
        assert "unknown host" in page.inner_text("body") and "rebind" not in page.content()
        # signed in, under its own name, the same browser reaches the same route
        assert signed_in(rebound, server).goto(f"{server}/api/v1/profile").status == 200
    finally:
        rebound.close()


def test_pages_run_under_the_csp_without_violations(server: str, browser: Any) -> None:
    page = signed_in(browser, server)
    errors: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in PAGES:
        response = page.goto(server + path)
        assert response is not None and response.status == 200, path
        assert response.headers["content-security-policy"] == CSP, path
        page.wait_for_load_state("networkidle")
    page.locator(".opblock-summary-path", has_text="/api/v1/roadmap").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()  # a same-origin fetch from Swagger UI
    page.locator(".live-responses-table").first.wait_for(timeout=10000)
    assert errors == []
    page.close()
