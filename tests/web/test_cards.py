"""The flashcards page /cards and GET /api/v1/cards, in process: filters, 400s naming the value and the choices,
the back behind <details>, and card text from the pack rendered safely."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.domain.items import Bank, Flashcard, Source
from certprep.services.content import get_bank
from certprep.web import cards_pages, create_app
from tests.signin import sign_in


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'c.sqlite3'}", data_dir=tmp_path))
    with TestClient(app) as c:
        sign_in(c)
        yield c


def test_page_shows_every_card_with_the_back_behind_details(client: TestClient) -> None:
    r = client.get("/cards")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    page = r.text
    total = len(get_bank().flashcards)
    assert page.count('<article class="flashcard"') == total
    assert page.count("<details") == total and page.count("<summary>Show the answer</summary>") == total
    assert f"{total} cards shown." in page
    assert "Scheduled review comes with the study planner" in page
    assert "https://learn.microsoft.com/" in page and "(checked 2026-" in page
    assert "<code>" in page  # card Markdown is rendered
    assert "style=" not in page and "<script" not in page.split("</head>")[1]
    for title in (
        "Design and implement processes and communications",
        "Implement an instrumentation strategy",
    ):
        assert title in page


def test_filter_by_group_and_objective(client: TestClient) -> None:
    page = client.get("/cards", params={"group": "security"}).text
    security = client.get("/api/v1/cards", params={"group": "security"}).json()["cards"]
    assert page.count('<article class="flashcard"') == len(security) > 0
    assert '<option value="security" selected>' in page
    assert "Implement an instrumentation strategy</h2>" not in page
    page = client.get("/cards", params={"group": "security", "objective": "key-vault"}).text
    assert (
        page.count('<article class="flashcard"') == sum(c["objective"] == "key-vault" for c in security) > 0
    )
    assert '<option value="key-vault" selected>' in page
    everything = client.get("/cards", params={"group": "", "objective": ""})
    assert everything.status_code == 200 and everything.text.count('<article class="flashcard"') > len(
        security
    )


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"group": "devops"}, "group", ["unknown functional group 'devops'", "processes", "instrumentation"]),
        ({"objective": "kql"}, "objective", ["unknown objective 'kql'", "kql-queries", "key-vault"]),
        (
            {"group": "security", "objective": "kql-queries"},
            "objective",
            ["unknown objective 'kql-queries' in functional group 'security'", "key-vault"],
        ),
    ],
)
def test_unknown_filter_is_a_400_next_to_the_field(
    client: TestClient, params: dict[str, str], field: str, words: list[str]
) -> None:
    r = client.get("/cards", params=params)
    assert r.status_code == 400
    control = re.search(rf'<select[^>]*id="cards-{field}"[^>]*>', r.text)
    assert control is not None and 'aria-invalid="true"' in control.group(0)
    message = re.search(rf'id="cards-{field}-error" role="alert">(.*?)</p>', r.text, re.S)
    assert message is not None and all(w in html.unescape(message.group(1)) for w in words)
    assert '<article class="flashcard"' not in r.text
    api = client.get("/api/v1/cards", params=params)
    assert api.status_code == 400 and api.json()["error"]["data"]["field"] == field
    assert all(w in api.json()["error"]["message"] for w in words)


def test_api_lists_cards_in_outline_order(client: TestClient) -> None:
    body = client.get("/api/v1/cards").json()
    assert (
        body["exam"] == "AZ-400"
        and body["group"] is None
        and len(body["cards"]) == len(get_bank().flashcards)
    )
    assert body["groups"][0]["id"] == "processes"
    assert sum(g["cards"] for g in body["groups"]) == len(body["cards"])
    card = body["cards"][0]
    assert set(card) >= {"id", "front", "back", "objective", "objective_text", "sources"}
    assert client.get("/api/v1/cards", params={"group": "x" * 101}).status_code == 422
    assert "/api/v1/cards" in client.get("/api/v1/openapi.json").json()["paths"]


def test_card_text_from_the_pack_is_never_run(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    real = get_bank().flashcards[0]
    evil = Flashcard(
        "az-400/flashcards/evil",
        real.objective,
        'Front <script>alert(1)</script> <img src=x onerror="alert(2)">',
        "Back [click](javascript:alert(3)) and `code`",
        (Source("https://learn.microsoft.com/x", date(2026, 11, 1)),),
    )
    monkeypatch.setattr(cards_pages, "get_bank", lambda root=None: Bank(items=(), flashcards=(evil,)))
    page = client.get("/cards").text
    assert "<script>alert" not in page and "<img" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<code>code</code>" in page
