"""Real concurrent clients against a real server, on SQLite and on PostgreSQL: answer vs submit, double submit,
the same request id twice, concurrent starts on a fresh database, and a burst of requests at the deadline.
None may return a 5xx, and an acknowledged answer is never missing from the report."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from certprep.config import Settings
from certprep.services.database import open_database
from tests.conftest import PG_URL, _pg_url
from tests.e2e.conftest import Server, owner_headers

TRIALS = 5


def call(url: str, method: str = "GET", body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, method=method, headers={"content-type": "application/json", **owner_headers(url)}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def together(*calls: Callable[[], tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Run the calls at the same moment (a barrier releases every thread at once)."""
    gate = threading.Barrier(len(calls))

    def run(fn: Callable[[], tuple[int, dict[str, Any]]]) -> tuple[int, dict[str, Any]]:
        gate.wait()
        return fn()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


class Target:
    def __init__(self, server: Server, url: str) -> None:
        self.server, self.url, self.db_url = server, server.url, url

    def start(self, seed: int = 1, learner: str | None = None) -> dict[str, Any]:
        status, body = call(f"{self.url}/api/v1/attempts", "POST", {"mode": "exam", "seed": seed})
        assert status == 201, body
        return body


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    data = tmp_path_factory.mktemp(f"races-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{data / 'certprep.sqlite3'}"
        srv = Server(data).start()
        yield Target(srv, url)
        srv.stop()
        return
    if not PG_URL:
        pytest.skip("CERTPREP_TEST_DATABASE_URL not set (CI sets it)")
    schema = f"r_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    base = _pg_url(PG_URL)
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    open_database(Settings(database_url=url, data_dir=data), migrate=True).dispose()
    srv = Server(data, database_url=url).start()
    yield Target(srv, url)
    srv.stop()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def valid_answer(url: str, aid: str, position: int) -> dict[str, Any]:
    """A well-formed response to the item at `position` (whatever its type), from what the item shows."""
    status, item = call(f"{url}/api/v1/attempts/{aid}/items/{position}")
    assert status == 200, item
    shown = item["shown"]
    response: Any = {
        "single": "A",
        "multiple": ["A"],
        "build-list": ["A"],
        "drag-drop": {"1": "A"},
        "hot-area": {b["id"]: "A" for b in shown.get("blanks", [])},
        "yes-no": "yes",
    }[shown["type"]]
    return {"response": response}


def no_5xx(results: list[tuple[int, dict[str, Any]]]) -> None:
    assert all(status < 500 for status, _ in results), results


def test_concurrent_starts_on_a_fresh_database(target: Target) -> None:
    """Ten starts at once, three times (each round draws new items, so their revisions are inserted concurrently;
    PostgreSQL deadlocked on the unique index until rows were inserted in key order)."""
    for round_ in range(3):
        results = together(
            *[
                lambda n=100 * round_ + n: call(
                    f"{target.url}/api/v1/attempts", "POST", {"mode": "exam", "seed": n}
                )
                for n in range(10)
            ]
        )
        no_5xx(results)
        assert [s for s, _ in results] == [201] * 10


def test_answer_racing_submit_is_in_the_report_or_refused(target: Target) -> None:
    for trial in range(TRIALS):
        aid = target.start(seed=200 + trial)["id"]
        body = valid_answer(target.url, aid, 0)
        answer, submit = together(
            lambda aid=aid, body=body: call(
                f"{target.url}/api/v1/attempts/{aid}/items/0/response", "PUT", body
            ),
            lambda aid=aid: call(f"{target.url}/api/v1/attempts/{aid}/submit", "POST"),
        )
        no_5xx([answer, submit])
        assert submit[0] == 200
        status, report = call(f"{target.url}/api/v1/attempts/{aid}/report")
        assert status == 200
        first = next(i for i in report["items"] if i["position"] == 0)
        if answer[0] == 200 and answer[1]["recorded"]:
            assert first["answer"] is not None, "acknowledged, then missing from the report"
        else:
            assert answer[0] == 409 and first["answer"] is None


def test_double_submit_returns_one_report(target: Target) -> None:
    for trial in range(TRIALS):
        aid = target.start(seed=300 + trial)["id"]
        results = together(*[lambda aid=aid: call(f"{target.url}/api/v1/attempts/{aid}/submit", "POST")] * 2)
        no_5xx(results)
        assert [s for s, _ in results] == [200, 200] and results[0][1] == results[1][1]


def test_the_same_request_id_twice_is_recorded_once(target: Target) -> None:
    for trial in range(TRIALS):
        aid = target.start(seed=400 + trial)["id"]
        body = {**valid_answer(target.url, aid, 0), "request_id": f"r{trial}"}
        results = together(
            *[
                lambda aid=aid, body=body: call(
                    f"{target.url}/api/v1/attempts/{aid}/items/0/response", "PUT", body
                )
            ]
            * 2
        )
        no_5xx(results)
        assert [s for s, _ in results] == [200, 200]
        assert results[0][1] == results[1][1] and results[0][1]["changes"] == 0


def test_a_burst_at_the_deadline(target: Target) -> None:
    engine = create_engine(target.db_url)
    for trial in range(TRIALS):
        aid = target.start(seed=500 + trial)["id"]
        first, second = valid_answer(target.url, aid, 0), valid_answer(target.url, aid, 1)
        assert call(f"{target.url}/api/v1/attempts/{aid}/items/0/response", "PUT", first)[0] == 200
        with (
            engine.begin() as conn
        ):  # move the stored deadline to a moment ago: every request finds it passed
            conn.execute(
                text("UPDATE attempts SET deadline = :d WHERE id = :i"),
                {"d": datetime.now(UTC) - timedelta(seconds=1), "i": aid},
            )
        results = together(
            *[lambda aid=aid: call(f"{target.url}/api/v1/attempts/{aid}")] * 4,
            *[lambda aid=aid: call(f"{target.url}/api/v1/attempts/{aid}/items/1")] * 4,
            *[
                lambda aid=aid, b=second: call(
                    f"{target.url}/api/v1/attempts/{aid}/items/1/response", "PUT", b
                )
            ]
            * 4,
        )
        no_5xx(results)
        status, report = call(f"{target.url}/api/v1/attempts/{aid}/report")
        assert status == 200 and report["expired"] is True
        assert next(i for i in report["items"] if i["position"] == 0)["answer"] is not None
    engine.dispose()
