"""Taking mock exams, practice sets and adaptive sessions through the HTML forms (in process, real SQLite file).

The browser tests (tests/e2e) drive the same pages in Chromium; these check every path and refusal quickly."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Clock


def start(client: TestClient, **form: Any) -> str:
    r = client.post("/start", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    m = re.fullmatch(r"/attempts/([0-9a-f]+)/take", r.headers["location"])
    assert m, r.headers["location"]
    return m.group(1)


def item_json(client: TestClient, aid: str, number: int) -> dict[str, Any]:
    item: dict[str, Any] = client.get(f"/api/v1/attempts/{aid}/items/{number - 1}").json()
    return item


def shown(client: TestClient, aid: str, number: int) -> dict[str, Any]:
    s: dict[str, Any] = item_json(client, aid, number)["shown"]
    return s


def some_answer(s: dict[str, Any]) -> dict[str, Any]:
    """A complete answer to any item, as the page's form fields (not necessarily right)."""
    kind = s["type"]
    if kind == "single":
        return {"choice": "A"}
    if kind == "multiple":
        return {"choice": [o["label"] for o in s["options"][: s["choose"]]]}
    if kind == "build-list":
        return {f"step-{o['label']}": str(n) for n, o in enumerate(s["options"][: s["place"]], 1)}
    if kind == "drag-drop":
        values = [v["label"] for v in s["values"]]
        return {f"target-{t['label']}": values[n % len(values)] for n, t in enumerate(s["targets"])}
    if kind == "hot-area":
        return {f"blank-{b['id']}": "A" for b in s["blanks"]}
    assert kind == "yes-no"
    return {"yesno": "no"}


def where(r: Any) -> str:
    assert r.status_code == 303, (r.status_code, r.text[:800])
    location: str = r.headers["location"]
    return location


def test_a_whole_mock_exam_through_the_forms(client: TestClient) -> None:
    aid = start(client, mode="exam")
    url = where(client.get(f"/attempts/{aid}/take", follow_redirects=False))
    assert url == f"/attempts/{aid}/item/1"
    page = client.get(url).text
    assert "Item 1 of 50" in page and 'id="timer"' in page and "Mark for review" in page
    sections = client.get(f"/api/v1/attempts/{aid}").json()["sections"]
    assert len(sections) == 2  # questions, then a case study
    for section in range(len(sections)):
        view = client.get(f"/api/v1/attempts/{aid}").json()
        numbers = [e["position"] + 1 for e in view["items"] if e["section"] == section]
        for n in numbers:
            form = {**some_answer(shown(client, aid, n)), "go": "next", "request_id": f"r{n}"}
            if n == numbers[0]:
                form["marked"] = "1"
            nxt = where(client.post(f"/attempts/{aid}/item/{n}", data=form, follow_redirects=False))
            assert nxt == (f"/attempts/{aid}/item/{n + 1}" if n != numbers[-1] else f"/attempts/{aid}/review")
        review = client.get(f"/attempts/{aid}/review").text
        assert f"{len(numbers)} of {len(numbers)} answered" in review and "1 marked for review" in review
        if section == 0:
            assert "you cannot come back to it" in review
            refused = client.post(f"/attempts/{aid}/next-section", data={}, follow_redirects=False)
            assert refused.status_code == 400 and 'role="alert"' in refused.text
            assert "confirm" in refused.text
            after = where(
                client.post(f"/attempts/{aid}/next-section", data={"confirm": "1"}, follow_redirects=False)
            )
            assert after == f"/attempts/{aid}/take"
            case = client.get(f"/attempts/{aid}/take")
            assert "Case study:" in case.text and "section 2 of 2" in case.text
            back = client.get(f"/attempts/{aid}/item/{numbers[0]}")
            assert back.status_code == 409  # a section left is closed for good
    report = where(client.post(f"/attempts/{aid}/submit", follow_redirects=False))
    page = client.get(report).text
    assert "Mock exam: score report" in page and "scaled score <strong>" in page
    answers = [part.split("Answer:</strong>", 1)[0] for part in page.split("Your answer:</strong>")[1:]]
    assert len(answers) == 50
    assert not [a for a in answers if "{'" in a or "['" in a or "frozenset" in a]  # words, not Python values
    # (only the answer lines are looked at: an item's own text may hold YAML such as branches: ['main'])
    assert "Your mock exam trend" in page and "<svg" in page


def test_a_single_answer_item_refuses_two_and_saves_nothing(client: TestClient) -> None:
    aid = start(client, mode="practice", types="single", count="2")
    r = client.post(
        f"/attempts/{aid}/item/1", data={"choice": ["A", "B"], "go": "next"}, follow_redirects=False
    )
    assert r.status_code == 400 and "this item takes one answer" in r.text and 'role="alert"' in r.text
    assert item_json(client, aid, 1)["answer"] is None


def test_a_build_list_with_two_actions_on_one_step_is_refused(client: TestClient) -> None:
    aid = start(client, mode="practice", types="build-list", count="1")
    s = shown(client, aid, 1)
    a, b = s["options"][0]["label"], s["options"][1]["label"]
    r = client.post(
        f"/attempts/{aid}/item/1", data={f"step-{a}": "1", f"step-{b}": "1"}, follow_redirects=False
    )
    assert r.status_code == 400 and f"{a} and {b} are both step 1" in r.text
    gap = client.post(
        f"/attempts/{aid}/item/1", data={f"step-{a}": "1", f"step-{b}": "3"}, follow_redirects=False
    )
    assert gap.status_code == 400 and "step 2 has no action" in gap.text
    assert item_json(client, aid, 1)["answer"] is None


def test_practice_gives_feedback_then_moves_on_and_finishes(client: TestClient) -> None:
    aid = start(client, mode="practice", types="single", count="2")
    stay = where(
        client.post(f"/attempts/{aid}/item/1", data={"choice": "A", "go": "next"}, follow_redirects=False)
    )
    assert stay == f"/attempts/{aid}/item/1"
    page = client.get(stay).text
    assert (
        re.search(r"(Correct|Not correct)", page)
        and "Your answer:</strong> A." in page
        and "Sources:" in page
    )
    assert ">Next</button>" in page
    nxt = where(
        client.post(f"/attempts/{aid}/item/1", data={"choice": "A", "go": "next"}, follow_redirects=False)
    )
    assert nxt == f"/attempts/{aid}/item/2"
    client.post(f"/attempts/{aid}/item/2", data={"choice": "B", "go": "next"})
    assert "Finish and see the report" in client.get(f"/attempts/{aid}/item/2").text
    done = where(client.post(f"/attempts/{aid}/item/2", data={"go": "finish"}, follow_redirects=False))
    assert done == f"/attempts/{aid}/report"
    assert "Practice: score report" in client.get(done).text


def test_a_yes_no_answer_warns_then_locks(client: TestClient) -> None:
    aid = start(client, mode="exam")
    view = client.get(f"/api/v1/attempts/{aid}").json()
    n = next(e["position"] + 1 for e in view["items"] if e["type"] == "yes-no" and e["section"] == 0)
    page = client.get(f"/attempts/{aid}/item/{n}").text
    assert "you cannot change it" in page
    client.post(f"/attempts/{aid}/item/{n}", data={"yesno": "yes", "go": "stay"})
    locked = client.get(f"/attempts/{aid}/item/{n}").text
    assert "This answer is locked" in locked and "fieldset  disabled" in locked.replace(
        "fieldset disabled", "fieldset  disabled"
    )
    client.post(f"/attempts/{aid}/item/{n}", data={"yesno": "no", "go": "stay"})
    assert item_json(client, aid, n)["answer"] == "yes"


def test_reload_shows_the_same_state_and_marks_persist(client: TestClient) -> None:
    aid = start(client, mode="exam")
    s = shown(client, aid, 1)
    client.post(f"/attempts/{aid}/item/1", data={**some_answer(s), "marked": "1", "go": "stay"})
    first, second = client.get(f"/attempts/{aid}/item/1").text, client.get(f"/attempts/{aid}/item/1").text
    strip = re.compile(r'name="request_id" value="[0-9a-f]+"|data-seconds="\d+"|\d+:\d\d:\d\d')
    assert strip.sub("", first) == strip.sub("", second)
    assert "Saved." in first and 'name="marked" value="1" checked' in first
    assert where(client.get(f"/attempts/{aid}/take", follow_redirects=False)) == f"/attempts/{aid}/item/2"


def test_adaptive_practice_runs_to_its_report(client: TestClient) -> None:
    aid = start(client, mode="adaptive", max_items="5")
    nxt = client.get(f"/attempts/{aid}/take")
    assert "First item" in nxt.text
    url = where(client.post(f"/attempts/{aid}/next", follow_redirects=False))
    for _ in range(10):
        if url.endswith("/report"):
            break
        number = int(url.rsplit("/", 1)[1])
        page = client.get(url).text
        assert f"Item {number} " in page and "of 5" not in page and "adaptive" in page
        client.post(url, data={**some_answer(shown(client, aid, number)), "go": "next"})
        url = where(client.post(url, data={"go": "next"}, follow_redirects=False))
    assert url == f"/attempts/{aid}/report"
    assert "Adaptive practice: score report" in client.get(url).text


def test_discard_from_the_start_page(client: TestClient) -> None:
    aid = start(client, mode="practice", count="3")
    page = client.get("/start").text
    assert f"/attempts/{aid}/take" in page and "In progress" in page
    assert where(client.post(f"/attempts/{aid}/discard", follow_redirects=False)) == "/start?discarded=1"
    assert f"/attempts/{aid}/take" not in client.get("/start").text
    assert client.get(f"/attempts/{aid}/take", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"mode": "practice", "count": "0"}, "count must be a whole number from 1 to 50"),
        ({"mode": "practice", "types": "essay"}, "unknown item type &#39;essay&#39;"),
        ({"mode": "practice", "objectives": "no-such-objective"}, "unknown objective"),
        ({"mode": "adaptive", "max_items": "2"}, "max items must be a whole number from 5 to 100"),
        ({"mode": "oral"}, "unknown mode"),
    ],
)
def test_start_refusals_show_next_to_the_form(client: TestClient, form: dict[str, str], message: str) -> None:
    r = client.post("/start", data=form, follow_redirects=False)
    assert r.status_code == 400 and message in r.text and 'role="alert"' in r.text
    assert client.get("/api/v1/attempts").json()["attempts"] == []


def test_when_time_runs_out_the_item_page_shows_the_report(client: TestClient, clock: Clock) -> None:
    aid = start(client, mode="exam")
    seconds = client.get(f"/api/v1/attempts/{aid}").json()["seconds_left"]
    clock.now += timedelta(seconds=seconds + 1)
    assert where(client.get(f"/attempts/{aid}/item/1", follow_redirects=False)) == f"/attempts/{aid}/report"
    assert "time ran out" in client.get(f"/attempts/{aid}/report").text


def test_home_and_its_json_twin(client: TestClient) -> None:
    page = client.get("/").text
    assert "What to do next" in page and "Take a first mock exam" in page and "Book your exam date" in page
    aid = start(client, mode="practice", count="2")
    home = client.get("/api/v1/home").json()
    assert home["in_progress"][0]["attempt_id"] == aid and home["steps"][0]["action"] == "resume"
    assert home["booking"] is None and home["days_left"] is None and home["readiness"] is None
    assert f"/attempts/{aid}/take" in client.get("/").text


def test_accommodation_set_on_the_profile_lengthens_mock_exams(client: TestClient) -> None:
    plain = client.get(f"/api/v1/attempts/{start(client, mode='exam')}").json()["seconds_left"]
    bad = client.post("/profile/accommodation", data={"extra_minutes": "600"}, follow_redirects=False)
    assert bad.status_code == 400 and "between 0 and 240, not 600" in bad.text and 'value="600"' in bad.text
    assert client.get("/api/v1/profile").json()["extra_minutes"] == 0
    ok = client.post("/profile/accommodation", data={"extra_minutes": "30"}, follow_redirects=False)
    assert ok.status_code == 303 and "30 extra minutes" in client.get("/profile").text
    longer = client.get(f"/api/v1/attempts/{start(client, mode='exam')}").json()["seconds_left"]
    assert longer == plain + 30 * 60
    api = client.put("/api/v1/profile/accommodation", json={"extra_minutes": 0})
    assert api.status_code == 200 and client.get("/api/v1/profile").json()["extra_minutes"] == 0
    assert client.put("/api/v1/profile/accommodation", json={"extra_minutes": -1}).status_code == 422


def test_an_unknown_exam_language_is_refused_on_every_face(client: TestClient) -> None:
    api = client.post("/api/v1/attempts", json={"mode": "exam", "language": "klingon"})
    assert api.status_code == 400 and "'klingon' is not a language code" in api.json()["error"]["message"]
    page = client.post("/start", data={"mode": "exam", "language": "xx"}, follow_redirects=False)
    assert page.status_code == 400 and "is not a language code" in page.text
    assert client.get("/api/v1/attempts").json()["attempts"] == []
