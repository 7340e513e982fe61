"""The benchmarks run (tiny inputs, no peers): they are measured outside the test suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_irt_benchmark_runs_on_tiny_inputs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.irt", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert "certprep" in out.stdout and "max information" in out.stdout


def test_load_benchmark_smoke_run() -> None:
    """5 candidates against `certprep serve --workers 2` on SQLite (the full 500-candidate run is by hand)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.load", "--smoke", "--db", "sqlite"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "5xx 0; timeouts (120 s) 0; acknowledged answers missing afterwards 0" in out.stdout, out.stdout
    assert "answer throughput / bare" in out.stdout


def test_plan_benchmark_runs_on_tiny_inputs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.plan", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert "build_plan, 60-day plan: median" in out.stdout and "replan, 5 learners' evidence" in out.stdout
    assert "one plan well under 100 ms: " in out.stdout  # printed, not judged: speed is not a test's business
    assert "bare fsrs review_card: median" in out.stdout


def test_interchange_benchmark_runs_on_tiny_inputs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.interchange", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "QTI 3.0 import of 60 items" in out.stdout and "Moodle XML export of 60 items" in out.stdout
    assert "ratio" in out.stdout


def test_lint_benchmark_runs_on_tiny_inputs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.labcheck", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "certprep lint, 40 files" in out.stdout and "ms per file" in out.stdout
    assert "ratio to the 5 ms goal" in out.stdout
    assert "check a typical lab: 4 labs' solutions" in out.stdout and "to the 1 s goal" in out.stdout
