"""Kill the server with SIGKILL right after an acknowledgement; after a restart every acknowledged answer is there
and the clock matches the stored deadline."""

from __future__ import annotations

import json
import os
import signal
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Server, owner_headers


def call(url: str, method: str = "GET", body: dict[str, Any] | None = None) -> dict[str, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, method=method, headers={"content-type": "application/json", **owner_headers(url)}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        result: dict[str, Any] = json.loads(resp.read())
        return result


def test_sigkill_after_acknowledgement_loses_nothing(tmp_path: Path) -> None:
    srv = Server(tmp_path).start()
    try:
        attempt = call(f"{srv.url}/api/v1/attempts", "POST", {"mode": "exam", "seed": 9})
        aid, deadline = attempt["id"], datetime.fromisoformat(attempt["deadline"])
        answered = {}
        for entry in attempt["items"][:6]:
            pos = entry["position"]
            shown = call(f"{srv.url}/api/v1/attempts/{aid}/items/{pos}")["shown"]
            response: Any = {
                "single": "A",
                "multiple": ["A"],
                "build-list": ["A"],
                "drag-drop": {"1": "A"},
                "hot-area": {shown["blanks"][0]["id"]: "A"} if shown.get("blanks") else {},
                "yes-no": "yes",
            }[shown["type"]]
            ack = call(
                f"{srv.url}/api/v1/attempts/{aid}/items/{pos}/response",
                "PUT",
                {"response": response, "request_id": f"q{pos}"},
            )
            assert ack["recorded"] is True
            answered[pos] = response
        assert srv.proc is not None
        os.kill(srv.proc.pid, signal.SIGKILL)
        srv.proc.wait(timeout=20)
    finally:
        srv.stop()
    again = Server(tmp_path, srv.port).start()
    try:
        before = datetime.now(UTC)
        view = call(f"{again.url}/api/v1/attempts/{aid}")
        after = datetime.now(UTC)
        assert {e["position"] for e in view["items"] if e["answered"]} == set(answered)
        assert datetime.fromisoformat(view["deadline"]) == deadline
        assert (
            (deadline - after).total_seconds() - 1
            <= view["seconds_left"]
            <= (deadline - before).total_seconds()
        )
        for pos, response in answered.items():
            item = call(f"{again.url}/api/v1/attempts/{aid}/items/{pos}")
            assert item["answer"] == response
        replay = call(
            f"{again.url}/api/v1/attempts/{aid}/items/0/response",
            "PUT",
            {"response": answered[0], "request_id": "q0"},
        )
        assert replay["recorded"] is True and replay["changes"] == 0
    finally:
        again.stop()
