"""`certprep lint` speed: 1,000 files (the fixtures repeated) per run, in milliseconds per file after start-up.

    python -m bench.labcheck [--quick] [--files N] [--runs N]

The inputs are the public workflows and pipelines in ../shared/fixtures (our own test fixtures when that folder
is missing), copied under fresh names into a temporary folder until there are N files. Imports, the Azure
Pipelines schema and actionlint are warmed up before any timing; each run lints the whole folder the way
`certprep lint FOLDER` does (workflows in one actionlint run). Figures are medians over the runs, with the
ratio to the 5 ms-per-file goal (an editor or a pre-commit hook). The process start-up of `certprep lint` is
measured apart, as a real subprocess. `check_a_lab` times checking each built-in lab's reference solution
(goal: under a second per lab).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from certprep.labcheck.lint import kind_of, run_lint
from certprep.labcheck.pipeline_schema import warm_up

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "fixtures"
OWN = ROOT / "tests" / "labcheck" / "data" / "lint" / "valid"
GOAL_MS = 5.0


def sources() -> list[Path]:
    """Every workflow and pipeline of the fixtures, alternating kinds (templates needing their folder left out)."""
    folders = [SHARED / "github-actions", SHARED / "azure-pipelines"] if SHARED.is_dir() else [OWN]
    found: dict[str, list[Path]] = {"azure-pipelines": [], "github-actions": []}
    for folder in folders:
        for path in sorted(folder.rglob("*.y*ml")):
            if "actionlint-err" in path.parts or "templates" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            kind = kind_of(path, text)
            if kind is not None and "template:" not in text:
                found[kind].append(path)
    pipelines, workflows = found["azure-pipelines"], found["github-actions"]
    mixed = [p for pair in zip(pipelines, workflows, strict=False) for p in pair]
    shorter = min(len(pipelines), len(workflows))
    return mixed + pipelines[shorter:] + workflows[shorter:]


def corpus(files: int, into: Path) -> tuple[int, int]:
    """Copy the fixtures under fresh names until `files` files exist; (pipelines, workflows) counted."""
    inputs = sources()
    pipelines = workflows = 0
    for number in range(files):
        source = inputs[number % len(inputs)]
        kind = kind_of(source, source.read_text(encoding="utf-8", errors="replace"))
        if kind == "github-actions":
            target = into / ".github" / "workflows" / f"{number:05d}-{source.name}"
            workflows += 1
        else:
            target = into / "pipelines" / f"{number:05d}-azure-pipelines-{source.name}"
            pipelines += 1
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return pipelines, workflows


def per_file_ms(folder: Path, count: int, runs: int) -> float:
    """Median over `runs` of the milliseconds per file to lint `folder`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run_lint([folder])
        times.append((time.perf_counter() - start) * 1000 / count)
    return statistics.median(times)


def startup_ms(sample: Path) -> float:
    """Wall time of one `certprep lint FILE` process (imports, schema load, one file)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "certprep", "lint", str(sample)], capture_output=True, check=False, timeout=300
    )
    return (time.perf_counter() - start) * 1000


LAB_GOAL_S = 1.0


def engine_startup_ms() -> float:
    """Imports of the lint engine plus the Azure Pipelines schema load, in a fresh process (no CLI, no files)."""
    code = (
        "import time; t = time.perf_counter(); import certprep.labcheck.lint; "
        "from certprep.labcheck.pipeline_schema import warm_up; warm_up(); print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return float(done.stdout.strip()) * 1000


def check_a_lab(args: argparse.Namespace) -> None:
    """Check a typical lab: every built-in lab's reference solution (a real git repository built by
    `certprep lab start`'s code) checked by `run_lab`, median of the runs per lab; the typical lab is the median
    lab, the worst the slowest; ratio to the one-second goal."""
    from certprep.labcheck.runner import run_lab
    from certprep.services.labs import build_part, list_labs

    labs = list_labs()
    chosen = labs[:: max(1, len(labs) // 3)] if args.quick else labs
    runs = 1 if args.quick else max(3, args.runs)
    per_lab: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory(prefix="certprep-bench-labs-") as tmp:
        for lab in chosen:
            folder = Path(tmp) / lab.id
            folder.mkdir()
            build_part(lab, "solution", folder)
            run_lab(lab, folder)  # warm-up: imports, schema, actionlint's first start
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                report = run_lab(lab, folder)
                times.append(time.perf_counter() - start)
            assert report.complete, f"{lab.id}: the reference solution fails"
            per_lab.append((statistics.median(times), lab.id))
    per_lab.sort()
    typical = statistics.median(t for t, _ in per_lab)
    worst, worst_id = per_lab[-1]
    print(f"check a typical lab: {len(per_lab)} labs' solutions, median of {runs} run(s) each")
    print(f"typical lab: {typical * 1000:.1f} ms; slowest ({worst_id}): {worst * 1000:.1f} ms")
    print(
        f"ratio of the slowest to the {LAB_GOAL_S:.0f} s goal: {worst / LAB_GOAL_S:.3f} "
        f"(under the goal: {'yes' if worst < LAB_GOAL_S else 'no'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny input: 40 files, 1 run (a smoke test)")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files, runs = (40, 1) if args.quick else (args.files, args.runs)
    warm_up()
    with tempfile.TemporaryDirectory(prefix="certprep-bench-lint-") as tmp:
        root = Path(tmp)
        pipelines, workflows = corpus(files, root)
        run_lint([root / "pipelines"])  # warm-up: first reads, actionlint's first start
        run_lint([root / ".github"])
        overall = per_file_ms(root, files, runs)
        pipeline_ms = per_file_ms(root / "pipelines", pipelines, runs) if pipelines else 0.0
        workflow_ms = per_file_ms(root / ".github", workflows, runs) if workflows else 0.0
        first = next((root / "pipelines").iterdir())
        start_ms = statistics.median(startup_ms(first) for _ in range(1 if args.quick else 3))
        engine_ms = statistics.median(engine_startup_ms() for _ in range(1 if args.quick else 3))
    print(
        f"certprep lint, {files} files ({pipelines} Azure Pipelines, {workflows} GitHub Actions), median of {runs} run(s)"
    )
    print(f"all files: {overall:.2f} ms per file; {overall * files / 1000:.2f} s for {files} files")
    print(
        f"Azure Pipelines: {pipeline_ms:.2f} ms per file; GitHub Actions (actionlint + our rules): {workflow_ms:.2f} ms per file"
    )
    print(
        f"ratio to the {GOAL_MS:.0f} ms goal: {overall / GOAL_MS:.2f} (under the goal: {'yes' if overall < GOAL_MS else 'no'})"
    )
    print(
        f"start-up of one `certprep lint FILE` process: {start_ms:.0f} ms (not part of the per-file figure)"
    )
    print(
        f"  of which the lint engine's imports and schema load: {engine_ms:.0f} ms (the rest: the whole CLI's imports)"
    )
    check_a_lab(args)


if __name__ == "__main__":
    main()
