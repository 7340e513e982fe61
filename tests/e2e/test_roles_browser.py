"""In a real browser against a real server: the owner's first-run link, signing in with a password after a page
asked for it, a manager's team page, an author's item statistics, a learner refused the admin page, and a
same-site request without its CSRF token refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_exam_browser import axe_violations, shot

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("roles-browser")).start()
    yield server
    server.stop()


def link_for(srv: Server, username: str, role: str) -> str:
    """`certprep account add` prints the new account's one-time link."""
    line = srv.account("add", username, "--role", role)
    return srv.url + "/login/link/" + line.rsplit("/login/link/", 1)[1]


def test_the_first_run_link_then_a_password(srv: Server, browser: Any) -> None:
    log = (srv.data / "server.log").read_text()
    link = re.search(r"first start: sign in as the owner with (\S+)", log)
    assert link, log
    page = browser.new_page()
    page.goto(link.group(1).replace("http://127.0.0.1:" + str(srv.port), srv.url))
    page.get_by_text("Signed in as owner").wait_for()
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    page.get_by_role("heading", name="Sign in").wait_for()  # a new password ends every session
    page.goto(srv.url + "/plan")
    assert "/login?next=%2Fplan" in page.url
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(srv.url + "/plan")
    assert page.get_by_role("link", name="Admin").is_visible()
    page.close()
    again = browser.new_page()  # the link was for one use only
    again.goto(link.group(1).replace("http://127.0.0.1:" + str(srv.port), srv.url))
    assert "not valid" in again.inner_text("main")
    again.close()


def test_a_manager_builds_a_team_and_sees_bands(srv: Server, browser: Any) -> None:
    srv.account("add", "ada", "--role", "learner")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(link_for(srv, "boss", "manager"))
    page.get_by_role("link", name="Teams").click()
    page.get_by_role("heading", name="Teams", exact=True).wait_for()
    page.get_by_label("Name", exact=True).fill("Platform")
    page.get_by_role("button", name="Make the team").click()
    page.get_by_role("heading", name="Platform").wait_for()
    page.get_by_label("Add an existing account by username").fill("ada")
    page.get_by_role("button", name="Add to the team").click()
    row = page.locator("#members tbody tr", has_text="ada")
    row.wait_for()
    assert "not enough evidence" in row.inner_text() and "no plan" in row.inner_text()
    page.get_by_role("button", name="Make an invitation link").click()
    page.get_by_text("valid 7 days, used once").wait_for()
    assert axe_violations(page) == []
    shot(page, "team")
    page.close()


def test_an_author_sorts_item_statistics(srv: Server, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(link_for(srv, "aria", "author"))
    page.get_by_role("link", name="Author").click()
    page.get_by_role("heading", name="Items and their statistics").wait_for()
    page.get_by_role("link", name="Facility").click()
    page.wait_for_url(re.compile(r"sort=facility"))
    assert page.locator("th[aria-sort]").inner_text().strip() == "Facility"
    assert page.get_by_role("button", name="Run a calibration").is_visible()
    assert axe_violations(page) == []
    page.close()


def test_a_learner_is_refused_the_admin_page_and_a_request_without_csrf(srv: Server, browser: Any) -> None:
    page = browser.new_page()
    page.goto(link_for(srv, "lee", "learner"))
    assert page.get_by_role("link", name="Admin").count() == 0
    response = page.goto(srv.url + "/admin")
    assert response is not None and response.status == 403
    assert "does not have the right" in page.inner_text("main")
    page.goto(srv.url + "/start")
    status = page.evaluate(
        """async () => (await fetch('/api/v1/attempts', {method: 'POST', headers: {'content-type':
        'application/json'}, body: JSON.stringify({mode: 'practice', items: 2})})).status"""
    )
    assert status == 403  # the session cookie went along; the CSRF token did not
    with_token = page.evaluate(
        """async () => { const t = document.querySelector('input[name=csrf]').value;
        return (await fetch('/api/v1/attempts', {method: 'POST', headers: {'content-type': 'application/json',
        'X-CSRF-Token': t}, body: JSON.stringify({mode: 'practice', items: 2})})).status }"""
    )
    assert with_token == 201
    page.close()
