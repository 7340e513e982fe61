"""Every page of the web app, in a real browser at a laptop's and a phone's width, with every disclosure open, has no
serious or critical accessibility violation (axe-core). The page tests check their own pages in the middle of a
journey; this sweep makes sure a page nobody's journey opens (or a width nobody tried) is not left out."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from certprep.domain.items import ITEM_TYPES
from tests.e2e.conftest import Server
from tests.e2e.test_exam_browser import axe_violations

WIDTHS = {"laptop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WIDER_THAN_SCREEN = "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


def _call(srv: Server, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    req = urllib.request.Request(
        srv.url + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"content-type": "application/json", **srv.headers},
    )
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, list[str]]]:
    """A server with something on every page: a submitted practice set, one in progress, one of each item type,
    a mock exam in its case-study section, a team."""
    srv = Server(tmp_path_factory.mktemp("axe-sweep")).start()
    done = _call(srv, "POST", "/api/v1/attempts", {"mode": "practice", "items": 12, "seed": 3})["id"]
    _call(srv, "POST", f"/api/v1/attempts/{done}/submit")
    open_ = _call(srv, "POST", "/api/v1/attempts", {"mode": "practice", "items": 5, "seed": 4})["id"]
    by_type = [  # one practice set per item type: each type's controls at each width
        _call(srv, "POST", "/api/v1/attempts", {"mode": "practice", "items": 2, "seed": 5, "types": [kind]})[
            "id"
        ]
        for kind in ITEM_TYPES
    ]
    exam = _call(srv, "POST", "/api/v1/attempts", {"mode": "exam", "seed": 2})["id"]
    second = _call(srv, "POST", f"/api/v1/attempts/{exam}/next-section", {"confirm": True})
    case = min(e["position"] for e in second["items"] if e["section"] == second["current_section"])
    team = _call(srv, "POST", "/api/v1/teams", {"name": "Platform team"})["id"]
    labs = _call(srv, "GET", "/api/v1/labs")
    lab = labs[0]["id"] if isinstance(labs, list) else labs["labs"][0]["id"]
    paths = [
        "/",
        "/certifications",
        "/certifications/azure-administrator-associate",
        "/paths",
        "/paths/devops",
        "/roles",
        "/roles/devops-engineer",
        "/corrections",
        "/roadmap",
        "/attempts",
        f"/attempts/{done}/report",
        "/bank",
        "/readiness",
        "/start",
        f"/attempts/{open_}/item/1",
        f"/attempts/{open_}/review",
        *(f"/attempts/{attempt}/item/1" for attempt in by_type),
        "/plan",
        "/review",
        "/cards",
        "/account",
        "/profile",
        "/teams",
        f"/teams/{team}",
        "/admin",
        "/author",
        "/author/sources",
        "/author/import",
        "/labs",
        f"/labs/{lab}",
        "/docs/scoring",
        f"/attempts/{exam}/item/{case + 1}",  # last: a case study, its tabs open beside the question
    ]
    yield srv, paths
    srv.stop()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_every_page_passes_axe(pages: tuple[Server, list[str]], browser: Any, width: str) -> None:
    srv, paths = pages
    page = srv.sign_in(browser.new_page(viewport=WIDTHS[width]))
    found: dict[str, list[str]] = {}
    for path in paths:
        response = page.goto(srv.url + path)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
        page.evaluate(OPEN_ALL)
        if path == paths[-1]:
            assert page.locator("aside.case").count() == 1, f"{path} is not a case-study item"
        problems = axe_violations(page)
        # WCAG 1.4.10 (reflow): at a phone's width the page itself never scrolls sideways; wide parts scroll inside.
        if page.evaluate(WIDER_THAN_SCREEN):
            problems.append(f"the page is wider than the {WIDTHS[width]['width']} px screen")
        if problems:
            found[path] = problems
    page.context.clear_cookies()
    for path in ("/login", "/docs/scoring"):
        page.goto(srv.url + path)
        page.evaluate(OPEN_ALL)
        if problems := axe_violations(page):
            found[f"{path} (signed out)"] = problems
    page.close()
    assert found == {}, json.dumps(found, indent=1)
