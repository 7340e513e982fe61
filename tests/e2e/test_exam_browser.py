"""In a real browser (the system Chromium), as a learner: a whole mock exam with a case study and a section change,
a reload mid-exam, an answer the server never got shown as not saved, a practice set with feedback answered with the
keyboard only (build list and drag and drop included), an adaptive session; axe-core (vendored, MPL-2.0) finds no
serious or critical violation on the exam pages; no console error and no request leaves the server.
Screenshots of the main pages go to artifacts/ (the README shows some of them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, Server, signed_in

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    srv = Server(tmp_path_factory.mktemp("exam-browser")).start()
    yield srv.url
    srv.stop()


class Watch:
    """Console errors, page errors and every request the page makes."""

    def __init__(self, page: Any, server: str) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.server = server
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def check(self, allowed_errors: tuple[str, ...] = ()) -> None:
        errors = [e for e in self.errors if not any(a in e for a in allowed_errors)]
        assert errors == []
        outside = [r for r in self.requests if not r.startswith(self.server)]
        assert outside == []


def axe_violations(page: Any) -> list[str]:
    # Run through DevTools, not as a <script> tag: the page's CSP (script-src 'self') rightly blocks an inline tag.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def answer_with_mouse(page: Any) -> None:
    """Give some complete answer to the item on screen, whatever its type."""
    form = page.locator("#answer-form")
    radios = form.locator('input[name="choice"][type="radio"]')
    boxes = form.locator('input[name="choice"][type="checkbox"]')
    if radios.count():
        radios.first.check()
    elif boxes.count():
        need = int(re.search(r"Choose (\d+) answers", form.inner_text()).group(1))  # type: ignore[union-attr]
        for n in range(need):
            boxes.nth(n).check()
    elif form.locator(".build-list").count():
        legend = form.locator(".build-list legend").inner_text()
        place = int(re.search(r"Choose (\d+) of these", legend).group(1))  # type: ignore[union-attr]
        selects = form.locator(".build-row select")
        for n in range(place):
            selects.nth(n).select_option(str(n + 1))
    elif form.locator(".drag-drop").count():
        for n, target in enumerate(form.locator(".target select").all()):
            choices = target.locator("option").count() - 1  # the first is "choose a value"
            target.select_option(index=n % choices + 1)  # a different value per target where it can
    elif form.locator("select.blank").count():
        for blank in form.locator("select.blank").all():
            blank.select_option(index=1)
    else:
        form.locator('input[name="yesno"][value="no"]').check()


def click_and_move(page: Any, button: Any) -> None:
    """Click a button that leads to another page (htmx swaps the page and pushes its address) and wait for it."""
    before = page.url
    button.click()
    page.wait_for_url(lambda url: url != before)
    page.wait_for_selector("main")


def test_a_whole_mock_exam_in_the_browser(site: str, browser: Any) -> None:
    page = signed_in(browser, site, viewport={"width": 1280, "height": 900})
    watch = Watch(page, site)
    page.goto(site + "/")
    assert page.get_by_role("heading", name="What to do next").is_visible()
    shot(page, "home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Start").click()
    shot(page, "start")
    page.get_by_role("button", name="Start a mock exam").click()
    page.wait_for_url(re.compile(r"/item/1$"))
    assert page.get_by_text("Item 1 of 50").is_visible()
    timer = page.locator("#timer .timer-value")
    first = timer.inner_text()
    # counting down from the server's deadline (waits for the next tick, however late a loaded machine runs it)
    page.wait_for_function("t => document.querySelector('#timer .timer-value').textContent !== t", arg=first)
    page.get_by_role("button", name="Hide timer").click()
    assert not timer.is_visible() and page.get_by_role("button", name="Show timer").is_visible()
    page.get_by_role("button", name="Show timer").click()
    assert axe_violations(page) == []
    shot(page, "exam-item")

    number = 1
    while "/review" not in page.url:
        answer_with_mouse(page)
        if number == 2:
            page.get_by_label("Mark for review").check()
        if number == 3:  # reload mid-exam: the answers saved so far are all still there
            click_and_move(page, page.get_by_role("button", name=re.compile("Save and")))
            assert page.url.endswith("/item/4")
            page.reload()
            page.goto(site + page.url.replace(site, "").replace("/item/4", "/item/2"))
            assert page.get_by_label("Mark for review").is_checked()
            assert page.get_by_text("Saved.", exact=True).is_visible()
            page.goto(page.url.replace("/item/2", "/item/4"))
            number = 4
            continue
        click_and_move(page, page.get_by_role("button", name=re.compile("Save and")))
        number += 1
        assert number < 60
    assert "1 marked for review" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    shot(page, "exam-review")
    page.get_by_label("I understand that I cannot return to this section").check()
    click_and_move(page, page.get_by_role("button", name="Go to the next section"))
    case = page.locator("aside.case")
    assert case.is_visible() and "Case study:" in case.inner_text()
    tabs = case.locator("details")
    assert tabs.count() >= 2
    tabs.nth(1).locator("summary").click()
    assert tabs.nth(1).get_attribute("open") is not None
    assert axe_violations(page) == []
    shot(page, "exam-case-study")
    while "/review" not in page.url:
        answer_with_mouse(page)
        click_and_move(page, page.get_by_role("button", name=re.compile("Save and")))
    click_and_move(page, page.get_by_role("button", name="End the exam and see the score report"))
    assert page.url.endswith("/report")
    text = page.locator("main").inner_text()
    assert "Mock exam: score report" in text and "scaled score" in text and "By functional group" in text
    assert page.locator("p.result").inner_text().split(":")[0] in ("Pass", "Fail")
    page.locator("details.review-item summary").first.click()
    review = page.locator("details.review-item").first.inner_text()
    given = review.split("Your answer:", 1)[1].split("\nAnswer:", 1)[0]
    assert "\nAnswer:" in review and "{'" not in given and "['" not in given  # words, not Python values
    shot(
        page, "exam-report"
    )  # before every item is opened: a 50-item full-page screenshot is too tall to take
    # Every reviewed item open, so axe sees every prompt and explanation (code blocks that scroll included), not
    # only the one the random draw put first.
    page.evaluate("document.querySelectorAll('details.review-item').forEach(d => { d.open = true; })")
    assert axe_violations(page) == []
    watch.check()


def test_an_answer_the_server_never_got_is_shown_as_not_saved(site: str, browser: Any) -> None:
    page = signed_in(browser, site)
    watch = Watch(page, site)
    page.goto(site + "/start")
    page.get_by_role("button", name="Start practice").click()
    page.wait_for_url(re.compile(r"/item/1$"))
    answer_with_mouse(page)
    assert page.get_by_text("Changed: not saved yet.").is_visible()
    page.route(
        re.compile(r".*/item/1$"),
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Check answer").click()
    page.get_by_text(re.compile("Not saved: the server could not be reached")).wait_for()
    page.get_by_text("Connection lost").wait_for()
    assert page.url.endswith("/item/1")  # the page and what was chosen on it stay as they were
    page.unroute(re.compile(r".*/item/1$"))
    page.get_by_role("button", name="Check answer").click()
    page.wait_for_selector("#feedback")
    assert page.get_by_text("Saved.", exact=True).is_visible()
    assert page.locator("#connection").is_hidden()
    # htmx reports the aborted request on the console (expected here: the connection was cut on purpose)
    watch.check(
        allowed_errors=("net::ERR_FAILED", "Failed to load resource", "htmx:sendError", "htmx:afterRequest")
    )


def _tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (the keyboard's own focus order)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_build_list_and_drag_and_drop_with_the_keyboard_only(site: str, browser: Any) -> None:
    page = signed_in(browser, site)
    watch = Watch(page, site)
    page.goto(site + "/start")
    for kind in ("build-list", "drag-drop"):
        _tab_to(page, f'input[name="types"][value="{kind}"]')
        page.keyboard.press("Space")
    _tab_to(page, "#practice-count")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    _tab_to(page, 'form:has(input[name="mode"][value="practice"]) button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/item/1$"))
    for number in (1, 2):
        page.wait_for_url(re.compile(rf"/item/{number}$"))
        if page.locator(".build-list").count():
            legend = page.locator(".build-list legend").inner_text()
            place = int(re.search(r"Choose (\d+) of these", legend).group(1))  # type: ignore[union-attr]
            for n in range(place):
                label = page.locator(".build-row").nth(n).get_attribute("data-label")
                _tab_to(page, f"#step-{label}")
                for _ in range(n + 1):
                    page.keyboard.press("ArrowDown")  # "not used" -> step 1 -> step 2 ...
        else:
            for n, target in enumerate(page.locator(".target select").all()):
                _tab_to(page, f"#{target.get_attribute('id')}")
                for _ in range(n + 1):
                    page.keyboard.press("ArrowDown")  # a different value per target
        assert axe_violations(page) == []
        _tab_to(page, 'button[value="next"]')
        page.keyboard.press("Enter")
        page.wait_for_selector("#feedback")
        fb = page.locator("#feedback").inner_text()
        assert "Your answer:" in fb and "not answered" not in fb
        if number == 1:
            shot(page, "practice-feedback")
            _tab_to(page, 'button[value="next"]')
        else:
            _tab_to(page, 'button[value="finish"]')
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/report$"))
    assert "Practice: score report" in page.locator("main").inner_text()
    watch.check()


def test_an_adaptive_session_in_the_browser(site: str, browser: Any) -> None:
    page = signed_in(browser, site)
    watch = Watch(page, site)
    page.goto(site + "/start")
    page.get_by_label("At most this many items").fill("5")
    page.get_by_role("button", name="Start adaptive practice").click()
    page.get_by_role("button", name="First item").click()
    for _ in range(10):
        if page.url.endswith("/report"):
            break
        page.wait_for_url(re.compile(r"/item/\d+$"))
        assert "adaptive: it stops when the estimate is precise enough" in page.locator("main").inner_text()
        answer_with_mouse(page)
        page.get_by_role("button", name="Check answer").click()
        page.wait_for_selector("#feedback")
        click_and_move(page, page.get_by_role("button", name="Next item"))
    page.wait_for_url(re.compile(r"/report$"))
    assert "Adaptive practice: score report" in page.locator("main").inner_text()
    watch.check()
