"""Exam day: N candidates start a mock exam and answer every item, against `certprep serve --workers 2`, on SQLite
and on PostgreSQL, beside a bare one-INSERT endpoint served the same way in the same run.

    python -m bench.load [--candidates 500] [--db sqlite|postgresql|both] [--think 0.05] [--smoke]

PostgreSQL comes from CERTPREP_TEST_DATABASE_URL (a fresh schema per run, dropped afterwards). Prints answers/s,
p50/p95/p99 of the answer call, time to start an exam, 5xx count, acknowledged answers missing from the database
afterwards (must be 0), and the answer throughput as a ratio of the bare endpoint's.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
RESPONSES = {"single": "A", "multiple": ["A"], "build-list": ["A"], "drag-drop": {"1": "A"}, "yes-no": "yes"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[None]:
    with log.open("ab") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.2)
        time.sleep(1.0)  # let every worker finish starting
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Client:
    """One keep-alive connection per simulated candidate; `sent` counts every request of every client."""

    sent = itertools.count()

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.headers = {"content-type": "application/json"} | (
            {"authorization": f"Bearer {token}"} if token else {}
        )
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, float]:
        """(status, JSON, seconds); a request unanswered after 120 s is status 0 (counted as a timeout)."""
        data = json.dumps(body).encode() if body is not None else None
        next(Client.sent)  # itertools.count is atomic under the GIL
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=self.headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (TimeoutError, OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return 0, None, time.perf_counter() - start
        return resp.status, (json.loads(raw) if raw else None), time.perf_counter() - start


TOKENS: dict[int, str] = {}  # candidate -> the access token of its own account


def accounts(env: dict[str, str], n: int) -> None:
    """One account and access token per candidate, made through the services before the server starts."""
    from datetime import UTC, datetime

    from certprep.config import load_settings
    from certprep.services.accounts import create_account, create_token, first_run
    from certprep.services.database import open_database

    db, now = open_database(load_settings(env), migrate=True), datetime.now(UTC)
    first_run(db, now=now)
    for c in range(n):
        account, _ = create_account(db, username=f"candidate-{c:04d}", role="learner", now=now)
        TOKENS[c] = create_token(
            db, account_id=account.id, name="exam day", scopes=["read", "write"], now=now
        )
    db.dispose()


def candidate(port: int, seed: int, think: float, stats: dict[str, list[Any]], lock: threading.Lock) -> None:
    client, rng = Client(port, TOKENS.get(seed)), random.Random(seed)
    status, attempt, took = client.call("POST", "/api/v1/attempts", {"mode": "exam", "seed": seed})
    with lock:
        stats["start"].append(took)
        stats["codes"].append(status)
    if status != 201:
        return
    aid = attempt["id"]
    for section in sorted({e["section"] for e in attempt["items"]}):
        if section:
            client.call("POST", f"/api/v1/attempts/{aid}/next-section", {"confirm": True})
        for entry in (e for e in attempt["items"] if e["section"] == section):
            pos = entry["position"]
            status, item, _ = client.call("GET", f"/api/v1/attempts/{aid}/items/{pos}")
            if status != 200:
                with lock:
                    stats["codes"].append(status)
                continue
            shown = item["shown"]
            response = (
                {b["id"]: "A" for b in shown["blanks"]}
                if shown["type"] == "hot-area"
                else RESPONSES[shown["type"]]
            )
            time.sleep(rng.uniform(0, 2 * think))
            status, ack, took = client.call(
                "PUT", f"/api/v1/attempts/{aid}/items/{pos}/response", {"response": response}
            )
            with lock:
                stats["answer"].append(took)
                stats["codes"].append(status)
                if status == 200 and ack["recorded"]:
                    stats["acked"].append((aid, pos))
    status, _, took = client.call("POST", f"/api/v1/attempts/{aid}/submit")
    with lock:
        stats["codes"].append(status)
        stats["submit"].append(took)


def bare_client(
    port: int, seed: int, count: int, think: float, stats: dict[str, list[Any]], lock: threading.Lock
) -> None:
    client, rng = Client(port), random.Random(seed)
    for n in range(count):
        time.sleep(rng.uniform(0, 2 * think))
        status, _, took = client.call("POST", "/bare", {"v": f"{seed}-{n}"})
        with lock:
            stats["answer"].append(took)
            stats["codes"].append(status)


def run(clients: int, target: Any, *args: Any) -> tuple[dict[str, list[Any]], float]:
    stats: dict[str, list[Any]] = {"start": [], "answer": [], "codes": [], "acked": [], "submit": []}
    lock = threading.Lock()
    begin = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for f in [pool.submit(target, *args[:1], n, *args[1:], stats, lock) for n in range(clients)]:
            f.result()
    return stats, time.perf_counter() - begin


def pct(values: list[float], q: float) -> float:
    return 1000 * statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else 1000 * (values or [0])[0]


def database(kind: str, folder: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'certprep.sqlite3'}", None
    base = os.environ.get("CERTPREP_TEST_DATABASE_URL", "")
    if not base:
        raise SystemExit("set CERTPREP_TEST_DATABASE_URL for the PostgreSQL run")
    base = "postgresql+psycopg://" + base.split("://", 1)[1]
    schema = f"load_{uuid.uuid4().hex[:10]}"
    with create_engine(base).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", schema


def missing_answers(url: str, acked: list[tuple[str, int]]) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = set(conn.execute(text("SELECT attempt_id, position FROM responses")).all())
    engine.dispose()
    return sum((aid, pos) not in stored for aid, pos in acked)


def one_database(kind: str, candidates: int, think: float, workers: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix=f"certprep-load-{kind}-"))
    url, schema = database(kind, folder)
    env = {
        **os.environ,
        "CERTPREP_DATA_DIR": str(folder),
        "CERTPREP_DATABASE_URL": url,
        "BENCH_DATABASE_URL": url,
    }
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
    if kind == "postgresql":
        subprocess.run(
            [sys.executable, "-m", "certprep", "db", "upgrade"], env=env, check=True, capture_output=True
        )
    accounts(env, candidates)
    port, bare_port = free_port(), free_port()
    serve = [sys.executable, "-m", "certprep", "serve", "--workers", str(workers), "--port", str(port)]
    bare = [sys.executable, "-m", "uvicorn", "--factory", "bench.bare:app", "--workers", str(workers)]
    bare += ["--port", str(bare_port), "--log-level", "warning"]
    first = next(Client.sent)
    with server(serve, env, port, folder / "serve.log"):
        stats, elapsed = run(candidates, candidate, port, think)
    requests = next(Client.sent) - first - 1
    with server(bare, env, bare_port, folder / "bare.log"):
        bare_stats, bare_elapsed = run(candidates, bare_client, bare_port, 50, think)
    answers, five = len(stats["answer"]), sum(c >= 500 for c in stats["codes"])
    timeouts = sum(c == 0 for c in stats["codes"])
    rate, bare_rate = answers / elapsed, len(bare_stats["answer"]) / bare_elapsed
    lost = missing_answers(url, stats["acked"])
    print(
        f"## {kind}: {candidates} candidates, each signed in with an access token of their own account, "
        f"{workers} workers, think time mean {think * 1000:.0f} ms"
    )
    print(
        f"{kind}: {answers} answers in {elapsed:.1f} s = {rate:.1f} answers/s; answer call p50 "
        f"{pct(stats['answer'], 50):.1f} ms p95 {pct(stats['answer'], 95):.1f} ms p99 {pct(stats['answer'], 99):.1f} ms"
    )
    print(
        f"{kind}: start an exam p50 {pct(stats['start'], 50):.0f} ms p95 {pct(stats['start'], 95):.0f} ms; "
        f"submit p50 {pct(stats['submit'], 50):.0f} ms p95 {pct(stats['submit'], 95):.0f} ms; "
        f"5xx {five}; timeouts (120 s) {timeouts}; acknowledged answers missing afterwards {lost}"
    )
    print(
        f"{kind}: bare one-INSERT endpoint {bare_rate:.1f} requests/s (p50 {pct(bare_stats['answer'], 50):.1f} ms); "
        f"answer throughput / bare = {rate / bare_rate:.2f}"
    )
    # A candidate reads each item before answering it (and starts, changes section, submits): every answer costs
    # at least two requests where the bare client sends one, so answers/s alone caps near half the bare rate.
    print(
        f"{kind}: all certprep requests {requests / elapsed:.1f}/s ({requests / max(answers, 1):.2f} per answer); "
        f"requests / bare = {requests / elapsed / bare_rate:.2f}"
    )
    if schema:
        base = url.split("?", 1)[0]
        with create_engine(base).begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--think", type=float, default=0.05, help="mean think time between answers, s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="5 candidates (what the test suite runs)")
    args = parser.parse_args()
    candidates = 5 if args.smoke else args.candidates
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for kind in kinds:
        one_database(kind, candidates, args.think, args.workers)


if __name__ == "__main__":
    main()
