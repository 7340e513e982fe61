"""The authorization matrix: every route of the app (read from the same route table `create_app` checks) called by
every kind of asker, each cell allowed or refused as its access rule says, and refusals that leak nothing.

Askers: nobody, learner A, learner B, the manager of another team, the manager of A's team, an author, an admin.
Each route is called on a fresh copy of one prepared database (A with an attempt, a plan and a team), so a
state-changing call in one cell cannot change another's answer. Token routes (the calendar feed, invitations, login
links) are in the table like any other route.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.domain.accounts import Access, refusal
from certprep.services import accounts, teams
from certprep.web import app as web_app
from certprep.web import create_app
from certprep.web.access import OWN, RouteRule, route_table
from tests.signin import WHEN, owner_headers

ASKERS = ("nobody", "learner_a", "learner_b", "manager_other", "manager_a", "author", "admin")
ROLE = {
    "nobody": None,
    "learner_a": "learner",
    "learner_b": "learner",
    "manager_other": "manager",
    "manager_a": "manager",
    "author": "author",
    "admin": "admin",
}
SECRET_NAME, SECRET_TEAM = "alice-private", "Team Alice Secret"
Cell = Literal["allow", "sign-in", "forbidden", "hidden"]
# Valid JSON bodies where a route needs one, so an object check (not body validation) answers the cell.
BODIES = {
    ("PUT", "/api/v1/attempts/{attempt_id}/items/{position}/response"): {"response": "A"},
    ("POST", "/api/v1/reviews/{card_id}/grade"): {"grade": 3},
    ("POST", "/api/v1/teams/{team_id}/members"): {"username": "bob"},
    ("POST", "/api/v1/teams/{team_id}/invitations"): {"role": "member"},
    ("PUT", "/api/v1/learners/{account_id}/accommodation"): {"extra_minutes": 5},
    ("PUT", "/api/v1/attempts/{attempt_id}/items/{position}/mark"): {"marked": True},
    ("POST", "/api/v1/attempts/{attempt_id}/next-section"): {"confirm": True},
}


@dataclass
class World:
    path: Path  # the prepared SQLite file
    headers: dict[str, dict[str, str]]
    values: dict[str, str]


def _settings(data: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{data / 'm.sqlite3'}", data_dir=data)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    data = tmp_path_factory.mktemp("matrix")
    app = create_app(_settings(data))
    state = app.state
    headers: dict[str, dict[str, str]] = {"nobody": {}, "admin": owner_headers(state)}
    ids: dict[str, str] = {}
    for asker, name in (
        ("learner_a", SECRET_NAME),
        ("learner_b", "bob"),
        ("manager_other", "otto"),
        ("manager_a", "mara"),
        ("author", "aria"),
    ):
        role = ROLE[asker] or "learner"
        account, _link = accounts.create_account(state.db, username=name, role=role, now=WHEN)
        token = accounts.create_token(
            state.db, account_id=account.id, name="m", scopes=["read", "write"], now=WHEN
        )
        headers[asker], ids[asker] = {"Authorization": f"Bearer {token}"}, account.id
    manager_a = accounts.get_account(state.db, account_id=ids["manager_a"])
    team = teams.create_team(state.db, actor=manager_a, name=SECRET_TEAM, now=WHEN)
    teams.add_member(
        state.db, actor=manager_a, team_id=team.id, username=SECRET_NAME, role="member", now=WHEN
    )
    otto = accounts.get_account(state.db, account_id=ids["manager_other"])
    teams.create_team(state.db, actor=otto, name="Other team", now=WHEN)
    with TestClient(app) as c:
        a = headers["learner_a"]
        attempt = c.post("/api/v1/attempts", json={"mode": "practice", "items": 3}, headers=a).json()
        plan = c.post("/api/v1/plan", json={"preset": "balanced"}, headers=a).json()
    values = {
        "attempt_id": attempt["id"],
        "position": "0",
        "number": "1",
        "team_id": team.id,
        "account_id": ids["learner_a"],
        "block_id": plan["blocks"][0]["id"],
        "card_id": "1",
        "cert": "AZ-104",
        "ref": "devops-engineer-expert",
        "exam": "AZ-400",
        "pack": "az-400",
        "lab_id": "git-lfs",
        "name": "scoring",
        "feed": plan["feed_path"].rsplit("/", 1)[1].removesuffix(".ics"),
        "invite": teams.invite(
            state.db, actor=manager_a, team_id=team.id, role="member", now=datetime.now(UTC)
        ),
        "link": accounts.login_link(state.db, account_id=ids["learner_b"], now=datetime.now(UTC)),
    }
    state.db.dispose()
    return World(data / "m.sqlite3", headers, values)


def expected(rule: RouteRule, asker: str) -> Cell:
    """What the cell should be: the access rule first (domain.accounts.refusal), then the object checks."""
    assert rule.access is not None
    why = refusal(rule.access, ROLE[asker])
    if why is not None:
        return why
    if "{attempt_id}" in rule.path and asker != "learner_a":
        return "hidden"  # another learner's attempt does not exist for them (admins included)
    if "{team_id}" in rule.path and asker == "manager_other":
        return "hidden"
    if rule.path.startswith("/api/v1/learners/") and asker == "manager_other":
        return "hidden"
    return "allow"


def concrete(rule: RouteRule, values: dict[str, str]) -> str:
    if rule.path.startswith("/calendar/"):
        return f"/calendar/{values['feed']}.ics"
    if rule.path.startswith("/invite/"):
        return f"/invite/{values['invite']}"
    if rule.path.startswith("/login/link/"):
        return f"/login/link/{values['link']}"
    return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], rule.path)


def _table() -> list[tuple[str, RouteRule]]:
    with TestClient(create_app(_settings(Path(tempfile.mkdtemp(prefix="matrix-table-"))))) as c:
        rules = route_table(c.app, web_app.ROUTERS)  # type: ignore[arg-type]
    out = []
    for rule in rules:
        if rule.path in ("/static", "/api/v1/openapi.json"):
            continue
        for method in rule.methods:
            if method != "HEAD":
                out.append((method, rule))
    return out


ROUTES = _table()


@pytest.fixture(scope="module")
def reading(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for every GET (reads change nothing another cell sees)."""
    data = tmp_path_factory.mktemp("matrix-reads")
    shutil.copy(world.path, data / "m.sqlite3")
    with TestClient(create_app(_settings(data)), follow_redirects=False) as c:
        yield c


@pytest.fixture
def fresh(world: World, tmp_path: Path) -> Iterator[TestClient]:
    shutil.copy(world.path, tmp_path / "m.sqlite3")
    with TestClient(create_app(_settings(tmp_path)), follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize(("method", "rule"), ROUTES, ids=[f"{m} {r.path}" for m, r in ROUTES])
def test_every_asker_on_every_route(
    method: str, rule: RouteRule, world: World, reading: TestClient, request: pytest.FixtureRequest
) -> None:
    # a state-changing route gets a fresh copy of the database, so its cells cannot change another route's
    fresh: TestClient = reading if method == "GET" else request.getfixturevalue("fresh")
    path = concrete(rule, world.values)
    api = path.startswith("/api/")
    for asker in ASKERS:
        cell = expected(rule, asker)
        body = BODIES.get((method, rule.path))
        fresh.cookies.clear()  # only the asker's token: a login link answered earlier sets a session cookie
        r = fresh.request(method, path, headers=world.headers[asker], json=body)
        where = f"{asker} {method} {path}: {r.status_code} {r.text[:200]}"
        assert r.status_code < 500, where
        if cell == "sign-in":
            if api:
                assert r.status_code == 401 and r.json()["error"]["code"] == "not_signed_in", where
            else:
                assert r.status_code == 303 and r.headers["location"].startswith("/login"), where
        elif cell == "forbidden":
            assert r.status_code == 403, where
        elif cell == "hidden":
            assert r.status_code == 404, where
        else:  # a public page may still answer 401 itself (a wrong password); no rule refused it
            assert r.status_code not in (
                (403,) if rule.access in ("public", "secret-link") else (401, 403)
            ), where
            assert not r.headers.get("location", "").startswith("/login?"), where
        if (
            cell != "allow"
        ):  # a refusal says nothing about what it protects (A sees A's own name in the header)
            assert SECRET_TEAM not in r.text, where
            assert asker == "learner_a" or SECRET_NAME not in r.text, where


def test_the_matrix_covers_every_rule_and_asker() -> None:
    seen: set[Access | None] = {rule.access for _m, rule in ROUTES}
    assert seen == {"public", "secret-link", "own", "team", "items", "accounts"}
    assert len(ROUTES) > 100


def test_a_route_without_an_access_rule_stops_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stray = APIRouter()

    @stray.get("/forgotten")
    def forgotten() -> str:
        return "nobody said who may call this"

    monkeypatch.setattr(web_app, "ROUTERS", (*web_app.ROUTERS, (stray, "")))
    with pytest.raises(RuntimeError, match="routes without an access rule: GET /forgotten"):
        create_app(_settings(tmp_path))


def test_a_rule_on_a_plain_route_stops_the_app_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain APIRoute would check its rule only after FastAPI has parsed its body: it counts as unruled."""
    plain = APIRouter(dependencies=[OWN])

    @plain.post("/upload-first")
    def upload_first() -> str:
        return "the body was parsed before anyone asked who sent it"

    monkeypatch.setattr(web_app, "ROUTERS", (*web_app.ROUTERS, (plain, "")))
    with pytest.raises(RuntimeError, match="routes without an access rule: POST /upload-first"):
        create_app(_settings(tmp_path))


def test_secret_links_work_only_with_their_secret(world: World, fresh: TestClient) -> None:
    feed = fresh.get(f"/calendar/{world.values['feed']}.ics")
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
    assert fresh.get("/calendar/not-the-token.ics").status_code == 404
    assert fresh.get(f"/invite/{world.values['invite']}").status_code == 200
    wrong = fresh.get("/invite/not-the-invitation-token")
    assert wrong.status_code == 404 and SECRET_TEAM not in wrong.text
