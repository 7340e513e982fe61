"""The roadmap page and GET /api/v1/roadmap: the stored profile by default, and errors beside their field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.services.profile import LOCAL_LEARNER, record_certification
from certprep.web import create_app
from tests.signin import sign_in

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", data_dir=tmp_path), now=lambda: NOW
    )
    with TestClient(app) as c:
        sign_in(c)
        yield c


def hold_az104(client: TestClient) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    record_certification(
        state.db,
        catalog=state.catalog,
        learner_id=LOCAL_LEARNER,
        ref="AZ-104",
        earned_on=date(2026, 3, 1),
        now=NOW,
    )


def steps(client: TestClient, **params: str) -> list[str]:
    r = client.get("/api/v1/roadmap", params={"goal": "devops-engineer-expert", **params})
    assert r.status_code == 200, r.text
    return [s["exam"] for s in r.json()["steps"]]


def node_state(svg: str, cert: str) -> str:
    m = re.search(rf'data-id="{cert}" data-state="(\w+)"', svg)
    assert m, cert
    return m[1]


def test_api_uses_the_stored_profile_unless_have_is_given(client: TestClient) -> None:
    assert steps(client) == ["AZ-104", "AZ-400"]
    hold_az104(client)
    assert steps(client) == ["AZ-400"]
    assert steps(client, have="") == ["AZ-104", "AZ-400"]  # have= explicit: what-if, profile ignored
    assert steps(client, profile="false") == ["AZ-104", "AZ-400"]
    assert steps(client, have="AZ-900") == ["AZ-104", "AZ-400"]
    assert steps(client, have="AZ-900", profile="true") == ["AZ-400"]
    svg = client.get("/api/v1/roadmap.svg").text
    assert node_state(svg, "azure-administrator-associate") == "held"
    assert (
        node_state(
            client.get("/roadmap.svg", params={"profile": "false"}).text, "azure-administrator-associate"
        )
        == "eligible"
    )


def test_page_says_it_uses_the_profile_and_can_ignore_it(client: TestClient) -> None:
    empty = client.get("/roadmap").text
    assert "Using your profile: nothing recorded yet." in empty
    hold_az104(client)
    page = client.get("/roadmap").text
    assert "Using your profile: AZ-104 (earned 2026-03-01)." in page
    assert 'name="profile" value="true" checked' in page
    assert node_state(page, "azure-administrator-associate") == "held"
    # The form as a browser submits it with the box unticked: have present, profile absent.
    ignored = client.get("/roadmap", params={"goal": "devops-engineer-expert", "have": ""}).text
    assert "Using your profile" not in ignored
    assert 'name="profile" value="true">' in ignored
    assert node_state(ignored, "azure-administrator-associate") == "eligible"
    ticked = client.get("/roadmap", params={"have": "AZ-900", "profile": "true"}).text
    assert "Using your profile: AZ-104 (earned 2026-03-01)." in ticked
    assert node_state(ticked, "azure-fundamentals") == "held"


def field_error(page: str, field: str) -> str:
    """The error shown beside a field, checking the field points at it for screen readers."""
    control = re.search(rf'<(?:select|input) id="roadmap-{field}"[^>]*>', page)
    assert control, field
    assert f'aria-describedby="roadmap-error-{field}"' in control[0] and 'aria-invalid="true"' in control[0]
    m = re.search(rf'<span class="field-error" id="roadmap-error-{field}" role="alert">([^<]*)</span>', page)
    assert m, f"no error beside {field}"
    return m[1]


@pytest.mark.parametrize(
    ("params", "status", "field", "words"),
    [
        ({"have": "AZ-104:yesterday"}, 400, "have", "is not a date in the form YYYY-MM-DD"),
        ({"have": "AZ-999"}, 404, "have", "unknown certification or exam &#39;AZ-999&#39;"),
        ({"have": "AZ-104:2030-01-01"}, 400, "have", "the date is in the future"),
        ({"goal": "azure-monitor-specialist"}, 404, "goal", "azure-monitor-specialist"),
        ({"role": "astronaut"}, 404, "role", "unknown role &#39;astronaut&#39;"),
        ({"path": "nowhere"}, 404, "path", "unknown learning path &#39;nowhere&#39;"),
        ({"goal": "AZ-400", "role": "devops-engineer"}, 400, "goal", "give one of goal, role or path"),
    ],
)
def test_bad_value_rerenders_the_form_with_the_error_beside_its_field(
    client: TestClient, params: dict[str, str], status: int, field: str, words: str
) -> None:
    r = client.get("/roadmap", params=params)
    assert r.status_code == status and "text/html" in r.headers["content-type"]
    assert words in field_error(r.text, field)
    assert '<form class="roadmap"' in r.text and "Steps still missing" not in r.text
    assert r.text.count('role="alert"') == 1  # only the offending field
    if "have" in params:
        assert f'value="{params["have"]}"' in r.text  # what was typed is kept for correction


def test_api_error_names_the_field(client: TestClient) -> None:
    r = client.get("/api/v1/roadmap", params={"have": "AZ-999"})
    assert r.status_code == 404 and r.json()["error"]["data"]["field"] == "have"
