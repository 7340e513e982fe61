"""Every built-in lab: the pack checker finds no problem, the reference solution passes every check, and the
untouched starter fails the lab (incomplete, and at most 40% of the weight: only checks like "the file is
valid YAML" may pass before any work)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from certprep.domain.labs import KINDS
from certprep.labcheck.runner import run_lab
from certprep.packs.labs import load_labs
from certprep.services.content import builtin_pack_path, get_catalog
from certprep.services.labs import build_part, list_labs

# What the lab content does, not how fast: under a loaded test run (two workers, browsers, servers) a first check
# that loads the pipeline schema can pass its 5 s limit; the limit itself is tested in test_runner.
LABS = [replace(lab, checks=tuple(replace(c, timeout=120.0) for c in lab.checks)) for lab in list_labs()]


def test_the_pack_has_at_least_15_labs_without_problems() -> None:
    loaded = load_labs(builtin_pack_path(), get_catalog())
    assert [str(p) for p in loaded.problems] == []
    assert len(loaded.labs) >= 15


def test_every_check_kind_is_used_by_some_lab() -> None:
    used = {c.kind for lab in LABS for c in lab.checks}
    assert set(KINDS) - used == set()


@pytest.mark.parametrize("lab", LABS, ids=[lab.id for lab in LABS])
def test_solution_passes_and_starter_fails(lab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    solution = tmp_path / "solution"
    solution.mkdir()
    build_part(lab, "solution", solution)
    report = run_lab(lab, solution)
    failed = [f"{r.check_id}: {r.message}" for r in report.results if not r.passed]
    assert failed == [], f"{lab.id} solution"
    assert report.score == 100 and report.complete

    starter = tmp_path / "starter"
    starter.mkdir()
    build_part(lab, "starter", starter)
    report = run_lab(lab, starter)
    passed = [r.check_id for r in report.results if r.passed]
    assert not report.complete and report.score <= 40, f"{lab.id} starter passes {passed} ({report.score}%)"
