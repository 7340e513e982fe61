"""Import and export speed of the open formats: a generated 10,000-item bank (every certprep type) written as a QTI
3.0 package and as a Moodle XML file, each imported into an empty pack of one's own (parse, the checker's per-item
rules, near-duplicates against the pack, and the all-or-nothing write of 10,000 item files) and exported again
(the pack read back from its files, and the file written). Target: under 10 s each on this machine.

    python -m bench.interchange [--items N] [--quick]

Moodle XML cannot hold per-option explanations of drag-and-drop and hot-area items, so those come back as problems
and the Moodle import is measured as the full dry run (every check, no write) plus, separately, the write of the
QTI import (which is the same code). Figures are wall-clock seconds: the median of `--runs` runs (3 by default) after
a warm-up on 50 items, each run into a new empty pack.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from certprep.domain.items import (
    Blank,
    BuildList,
    DragDrop,
    HotArea,
    ItemMeta,
    MultipleResponse,
    Option,
    SingleChoice,
    Source,
    YesNoSeries,
    YesNoStatement,
)
from certprep.interchange.moodle import write_moodle
from certprep.interchange.qti import write_qti3
from certprep.interchange.report import Unit
from certprep.packs.catalog import load_catalog
from certprep.services.content import builtin_pack_path
from certprep.services.interchange import export_pack, import_items, plan_import

TARGET = 10.0
TODAY = date(2027, 1, 1)
WORDS = [
    "pipeline",
    "stage",
    "job",
    "agent",
    "pool",
    "artifact",
    "feed",
    "package",
    "release",
    "branch",
    "policy",
    "gate",
    "approval",
    "environment",
    "secret",
    "vault",
    "identity",
    "token",
    "runner",
    "workflow",
    "matrix",
    "cache",
    "container",
    "registry",
    "image",
    "cluster",
    "deploy",
    "slot",
    "canary",
    "ring",
    "flag",
    "metric",
    "alert",
    "trace",
    "query",
    "dashboard",
    "board",
    "sprint",
    "backlog",
    "wiki",
    "repo",
    "commit",
    "merge",
    "rebase",
    "tag",
    "hook",
    "service",
    "connection",
    "template",
    "variable",
    "group",
    "library",
    "task",
    "extension",
    "schedule",
    "trigger",
    "retention",
    "audit",
    "compliance",
    "scan",
]


SYLLABLES = ["ka", "lo", "mi", "nu", "re", "sa", "ti", "vo", "zu", "be", "da", "fe", "gi", "ho", "ju"]
# A bank's vocabulary: the domain words plus 4,000 made-up terms (product names, settings), so that generated items
# overlap as much as real items on one objective do, not as much as 10,000 shuffles of 100 words would.
VOCABULARY = WORDS + sorted({"".join(random.Random(k).choices(SYLLABLES, k=4)) for k in range(4_000)})


def _text(rng: random.Random, n: int) -> str:
    return " ".join(
        rng.choice(WORDS) if k % 3 == 0 else rng.choice(VOCABULARY) for k in range(n)
    ).capitalize()


def _opts(rng: random.Random, n: int, prefix: str = "") -> tuple[Option, ...]:
    return tuple(
        Option(f"{prefix}{chr(97 + k)}", _text(rng, 5), f"Because {_text(rng, 8).lower()}.") for k in range(n)
    )


def generate(n: int, pack: str, objectives: list[str], seed: int = 7) -> tuple[Unit, ...]:
    """n scored items of every type (yes/no series of 3), on the given objectives."""
    rng = random.Random(seed)
    src = (Source("https://learn.microsoft.com/en-us/azure/devops/pipelines/", date(2026, 11, 26)),)
    units: list[Unit] = []
    count = 0
    while count < n:
        k = len(units)
        obj = objectives[k % len(objectives)]
        iid = f"{pack}/{obj}/gen-{k}"

        def meta(item_id: str, container: str | None = None, obj: str = obj) -> ItemMeta:
            return ItemMeta(
                item_id,
                obj,
                date(2026, 7, 27),
                3,
                "bench",
                None,
                "draft",
                src,
                explanation="Summary.",
                container=container,
            )

        prompt = f"{_text(rng, 25)}?"
        match k % 6:
            case 0:
                units.append(SingleChoice(meta(iid), prompt, _opts(rng, 4), "a"))
            case 1:
                units.append(MultipleResponse(meta(iid), prompt, _opts(rng, 5), frozenset({"a", "c"}), 2))
            case 2:
                units.append(BuildList(meta(iid), prompt, _opts(rng, 5), ("c", "a", "e")))
            case 3:
                values = tuple(Option(f"v{j}", _text(rng, 3)) for j in range(3))
                targets = _opts(rng, 3, "t")
                units.append(
                    DragDrop(
                        meta(iid), prompt, values, targets, (("ta", "v0"), ("tb", "v1"), ("tc", "v2")), False
                    )
                )
            case 4:
                blanks = tuple(Blank(f"b{j}", _opts(rng, 3), "b") for j in range(2))
                units.append(HotArea(meta(iid), f"{prompt}\n\nSet [[blank:b0]] and [[blank:b1]].", blanks))
            case 5:
                statements = tuple(
                    YesNoStatement(
                        meta(f"{iid}/s{j}", iid), prompt, f"Solution: {_text(rng, 10)}.", j != 1, j - 1
                    )
                    for j in range(1, 4)
                )
                units.append(YesNoSeries(iid, prompt, statements))
                count += 2
        count += 1
    return tuple(units)


def _empty_pack(tmp: Path) -> Path:
    root = tmp / "bench"
    shutil.copytree(builtin_pack_path(), root, ignore=shutil.ignore_patterns("items"))
    text = (root / "pack.yaml").read_text(encoding="utf-8").replace("\nid: az-400", "\nid: bench")
    (root / "pack.yaml").write_text(text, encoding="utf-8")
    return root


def _timed(label: str, runs: list[float]) -> None:
    med = statistics.median(runs)
    spread = f"; runs {min(runs):.2f}-{max(runs):.2f} s" if len(runs) > 1 else ""
    print(
        f"{label}: median {med:.2f} s of {len(runs)}{spread} (target {TARGET:.0f} s; ratio {med / TARGET:.2f},"
        f" under target: {'yes' if med < TARGET else 'no'})"
    )


def run(n: int, runs: int) -> None:
    catalog, _ = load_catalog(builtin_pack_path())
    assert catalog is not None
    objectives = sorted({o.id for o in catalog.outline("AZ-400").objectives})
    units = generate(n, "bench", objectives)
    items = sum(len(getattr(u, "statements", ())) or 1 for u in units)
    print(f"generated {items} items in {len(units)} files (every type; yes/no series of 3)")
    times: dict[str, list[float]] = {
        k: [] for k in ("qwrite", "qimport", "qexport", "mwrite", "mimport", "mexport")
    }
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        warm = _empty_pack(tmp / "warm")
        small = write_qti3(generate(50, "bench", objectives, seed=1))
        import_items(small.data, fmt="qti3", into=warm, file="warm.zip", today=TODAY)
        export_pack(warm, fmt="qti3")
        for k in range(runs):
            t = time.perf_counter()
            qti = write_qti3(units)
            times["qwrite"].append(time.perf_counter() - t)
            pack = _empty_pack(tmp / f"qti{k}")
            t = time.perf_counter()
            report = import_items(qti.data, fmt="qti3", into=pack, file="bank.zip", today=TODAY)
            times["qimport"].append(time.perf_counter() - t)
            assert report.written and len(report.items) == items
            t = time.perf_counter()
            out = export_pack(pack, fmt="qti3")
            times["qexport"].append(time.perf_counter() - t)
            assert out.count == items
            t = time.perf_counter()
            moodle = write_moodle(units)
            times["mwrite"].append(time.perf_counter() - t)
            t = time.perf_counter()
            dry, _ = plan_import(
                moodle.data, fmt="moodle", into=_empty_pack(tmp / f"moodle{k}"), file="bank.xml", today=TODAY
            )
            times["mimport"].append(time.perf_counter() - t)
            assert len(dry.items) == items
            t = time.perf_counter()
            export_pack(pack, fmt="moodle")
            times["mexport"].append(time.perf_counter() - t)
    print(f"QTI 3.0 package: {len(qti.data) / 1e6:.1f} MB")
    _timed(f"QTI 3.0 import of {items} items (checks + write of {len(units)} files)", times["qimport"])
    _timed(f"QTI 3.0 export of {items} items (pack read from its files + package written)", times["qexport"])
    print(f"  of which writing the package from memory: median {statistics.median(times['qwrite']):.2f} s")
    print(
        f"Moodle XML file: {len(moodle.data) / 1e6:.1f} MB; {len(dry.problems)} problems (explanations Moodle cannot hold)"
    )
    _timed(f"Moodle XML import of {items} items (every check, dry run)", times["mimport"])
    _timed(f"Moodle XML export of {items} items (pack read from its files + file written)", times["mexport"])
    print(f"  of which writing the file from memory: median {statistics.median(times['mwrite']):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the median is reported")
    parser.add_argument(
        "--quick", action="store_true", help="60 items, one run: checks that the benchmark runs"
    )
    args = parser.parse_args()
    run(60 if args.quick else args.items, 1 if args.quick else args.runs)


if __name__ == "__main__":
    main()
