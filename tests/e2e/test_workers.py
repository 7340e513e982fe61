"""Several worker processes on one fresh SQLite database: `certprep serve --workers 2`, and uvicorn started by
import string with two workers (each migrates under SQLite's write lock), never crash at start."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, _free_port


def _works(srv: Server) -> None:
    for _ in range(6):  # requests spread over both workers
        req = urllib.request.Request(
            f"{srv.url}/api/v1/attempts",
            data=json.dumps({"mode": "practice", "items": 2, "types": ["single"]}).encode(),
            method="POST",
            headers={"content-type": "application/json", **srv.headers},
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            assert resp.status == 201
    log = (srv.data / "server.log").read_text()
    assert "Traceback" not in log and "already exists" not in log, log


def _call(srv: Server, path: str, method: str = "GET") -> dict[str, object]:
    req = urllib.request.Request(f"{srv.url}{path}", method=method, headers=srv.headers)
    with urllib.request.urlopen(req, timeout=60) as resp:
        data: dict[str, object] = json.loads(resp.read())
        return data


def test_serve_with_two_workers(tmp_path: Path) -> None:
    port = _free_port()
    srv = Server(
        tmp_path, port, command=[sys.executable, "-m", "certprep", "serve", "--workers", "2"]
    ).start()
    try:
        _works(srv)
        # a calibration started through one worker is the job every poll sees, whichever worker answers it
        started = _call(srv, "/api/v1/author/calibration", "POST")
        assert started["state"] == "running" and isinstance(started["id"], int)
        polls = [_call(srv, "/api/v1/author/calibration") for _ in range(16)]
        assert {p["id"] for p in polls} == {started["id"]}, polls
        assert polls[-1]["state"] in ("running", "finished"), polls[-1]
    finally:
        srv.stop()


@pytest.mark.parametrize("attempt", [1, 2])
def test_uvicorn_factory_with_two_workers_on_a_fresh_database(tmp_path: Path, attempt: int) -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "certprep.web.asgi:app_from_environment",
        "--workers",
        "2",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    srv = Server(tmp_path, port, command=command).start()
    try:
        _works(srv)
    finally:
        srv.stop()
