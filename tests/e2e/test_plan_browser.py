"""In a real browser: a 30-day plan built from the plan page, a block marked done, and a review session run with
the keyboard only (Space shows the answer, 1-4 grade it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server, signed_in
from tests.e2e.test_exam_browser import Watch, axe_violations, click_and_move, shot


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    srv = Server(tmp_path_factory.mktemp("plan-browser")).start()
    yield srv.url
    srv.stop()


def test_a_30_day_plan_from_the_page_and_a_block_marked_done(site: str, browser: Any) -> None:
    page = signed_in(browser, site, viewport={"width": 1280, "height": 900})
    watch = Watch(page, site)
    page.goto(site + "/plan")
    page.get_by_label("Preset", exact=True).select_option("balanced")
    click_and_move_or_stay(page, page.get_by_role("button", name="Make the plan"))
    page.get_by_role("heading", name="Agenda").wait_for()
    assert "days left" in page.locator("main").inner_text()
    assert page.locator("table.month").count() >= 1
    first = page.get_by_role("button", name=re.compile("^Mark done")).first
    first.click()
    page.get_by_text("✓ done").first.wait_for()
    assert axe_violations(page) == []
    shot(page, "plan")
    page.goto(site + "/")
    assert page.get_by_role("heading", name="Today").is_visible()
    watch.check()


def click_and_move_or_stay(page: Any, button: Any) -> None:
    """A form that posts and redirects to the same address: wait for the new page's content instead."""
    button.click()
    page.wait_for_load_state()


def test_a_review_session_with_the_keyboard(site: str, browser: Any) -> None:
    page = signed_in(browser, site)
    watch = Watch(page, site)
    page.goto(site + "/review")
    counter = page.locator("main p.muted").first
    before = int(re.search(r"(\d+) cards? due", counter.inner_text()).group(1))  # type: ignore[union-attr]
    for n in range(3):
        card = page.locator("#review-card").get_attribute("data-card")
        page.keyboard.press(" ")
        assert page.locator("#reveal").get_attribute("open") is not None
        if n == 0:
            assert axe_violations(page) == []
            shot(page, "review")
        page.keyboard.press("3")
        page.wait_for_function(
            "c => document.getElementById('review-card') && document.getElementById('review-card').dataset.card !== c",
            arg=card,
        )
    after = int(re.search(r"(\d+) cards? due", page.locator("main p.muted").first.inner_text()).group(1))  # type: ignore[union-attr]
    assert after == before - 3
    watch.check()
    _ = click_and_move
