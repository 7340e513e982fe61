"""`certprep pack check` on labs: every mistake a lab author can make is a file:line problem."""

from __future__ import annotations

import shutil
from pathlib import Path

from certprep.packs.check import check_pack
from certprep.packs.labs import load_labs
from certprep.services.content import builtin_pack_path, get_catalog

GOOD = """\
id: demo
title: A demo lab
objectives: [yaml-pipelines]
minutes: 10
checks:
  - id: one
    title: The file exists
    kind: file-exists
    args: {file: a.yml}
    weight: 1
    hint: Create the file a.yml please.
    doc: https://learn.microsoft.com/azure/devops/pipelines/build/triggers
"""


def pack_with(
    tmp_path: Path, lab_yaml: str, *, starter: bool = True, solution: bool = True, setup: str | None = None
) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(builtin_pack_path(), root, ignore=shutil.ignore_patterns("labs", "items", "flashcards"))
    lab = root / "labs" / "demo"
    lab.mkdir(parents=True)
    (lab / "lab.yaml").write_text(lab_yaml)
    (lab / "task.md").write_text("# Demo\n")
    if starter:
        (lab / "starter").mkdir()
        (lab / "starter" / "README.md").write_text("x\n")
        if setup is not None:
            (lab / "starter" / "setup.yaml").write_text(setup)
    if solution:
        (lab / "solution").mkdir()
        (lab / "solution" / "a.yml").write_text("a: 1\n")
    return root


def problems(root: Path) -> list[str]:
    return [str(p) for p in load_labs(root, get_catalog()).problems]


def test_a_good_lab_loads(tmp_path: Path) -> None:
    root = pack_with(tmp_path, GOOD)
    loaded = load_labs(root, get_catalog())
    assert loaded.problems == () and [lab.id for lab in loaded.labs] == ["demo"]


def test_each_mistake_is_named_with_its_line(tmp_path: Path) -> None:
    bad = (
        GOOD.replace("[yaml-pipelines]", "[yaml-pipelines, no-such-objective]")
        .replace("kind: file-exists", "kind: file-exist")
        .replace("https://learn.microsoft.com/azure/devops/pipelines/build/triggers", "javascript:alert(1)")
    )
    assert problems(pack_with(tmp_path, bad)) == [
        "pack/labs/demo/lab.yaml:12: checks.0.doc: URL must be http(s), not 'javascript:alert(1)'",
    ]
    bad = GOOD.replace("[yaml-pipelines]", "[yaml-pipelines, no-such-objective]").replace(
        "kind: file-exists", "kind: file-exist"
    )
    found = problems(pack_with(tmp_path / "2", bad))
    assert (
        found[0]
        == "pack/labs/demo/lab.yaml:3: objectives.1: 'no-such-objective' is not an objective of the current outline"
    )
    assert found[1].startswith(
        "pack/labs/demo/lab.yaml:8: checks.0 (one): unknown check kind 'file-exist'; choose one of: "
    )
    bad = GOOD.replace("args: {file: a.yml}", "args: {file: 3, pattern: x}")
    assert problems(pack_with(tmp_path / "3", bad)) == [
        "pack/labs/demo/lab.yaml:9: checks.0 (one): file-exists: argument 'file' must be a string",
        "pack/labs/demo/lab.yaml:9: checks.0 (one): file-exists: unknown argument 'pattern' (arguments: file)",
    ]


def test_missing_parts_and_bad_setup(tmp_path: Path) -> None:
    found = problems(pack_with(tmp_path, GOOD.replace("id: demo", "id: other"), solution=False))
    assert found == [
        "pack/labs/demo/lab.yaml:1: id 'other' differs from its folder 'demo'",
        "pack/labs/demo/lab.yaml:1: lab other has no solution/ files",
    ]
    setup = "steps:\n  - commit: x\n    files: {'../out.txt': x}\n  - branch: a\n    tag: b\n"
    assert problems(pack_with(tmp_path / "2", GOOD, setup=setup)) == [
        "pack/labs/demo/starter/setup.yaml:2: steps.0: '../out.txt' is not a path inside the lab folder",
        "pack/labs/demo/starter/setup.yaml:4: steps.1: give exactly one of commit, branch, checkout, merge, tag, cherry-pick",
    ]
    found = problems(pack_with(tmp_path / "3", "id: demo\ntitle: [unclosed\n"))
    assert found == ["pack/labs/demo/lab.yaml:3: YAML does not parse: did not find expected ',' or ']'"]


def test_pack_check_reports_lab_problems(tmp_path: Path) -> None:
    from datetime import date

    root = pack_with(tmp_path, GOOD.replace("weight: 1", "weight: 0"))
    result = check_pack(root, today=date(2026, 12, 6))
    assert "pack/labs/demo/lab.yaml:10: checks.0.weight: Input should be greater than or equal to 1" in [
        str(p) for p in result.errors
    ]
