"""The runner: every hostile folder gives a failed check with a clear reason, never an exception; time limits hold;
the score follows the pass/fail of each check."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from certprep.domain.labs import Check, Lab
from certprep.labcheck.labdir import LabDir, Outcome
from certprep.labcheck.runner import KIND_FUNCTIONS, run_check, run_lab


def check(kind: str, timeout: float = 5.0, **args: Any) -> Check:
    return Check(f"c-{kind}", kind, kind, args, 1, "a hint", "https://learn.microsoft.com/", timeout)


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("password=hunter2")
    lab = tmp_path / "lab"
    lab.mkdir()
    os.symlink(outside, lab / "azure-pipelines.yml")
    r = run_check(check("text-contains", file="azure-pipelines.yml", patterns=["password"]), lab)
    assert not r.passed
    assert "azure-pipelines.yml is a link to" in r.message and "outside the lab folder" in r.message
    r = run_check(check("file-exists", file="../secret.txt"), lab)
    assert not r.passed and "only paths inside the lab folder" in r.message


def test_a_loop_of_links_is_a_failed_check(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b.yml", tmp_path / "a.yml")
    os.symlink(tmp_path / "a.yml", tmp_path / "b.yml")
    r = run_check(check("yaml", file="a.yml"), tmp_path)
    assert not r.passed and r.message == "a.yml cannot be followed (a loop of links?): not read"


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.yml").write_text("a: 1\n")
    os.symlink(tmp_path / "real.yml", tmp_path / "alias.yml")
    assert run_check(check("yaml", file="alias.yml", keys=["a"]), tmp_path).passed


def test_a_5_mb_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big.yml").write_text("a: 1\n" + "# padding\n" * 500_000)
    r = run_check(check("yaml", file="big.yml"), tmp_path)
    assert not r.passed and r.message == "big.yml is 5.0 MB, over the 1 MB a lab file may have: not read"


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "p.yml").write_text("trigger:\n  - main\nsteps: [\n  - script: x\n")
    r = run_check(check("yaml", file="p.yml"), tmp_path)
    assert not r.passed and r.message.startswith("p.yml:") and "not valid YAML" in r.message


def test_binary_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "b.yml").write_bytes(b"\xff\xfe\x00garbage")
    assert "is not UTF-8 text" in run_check(check("yaml", file="b.yml"), tmp_path).message
    assert run_check(check("file-exists", file="nope.yml"), tmp_path).message == "nope.yml does not exist"
    (tmp_path / "d").mkdir()
    assert run_check(check("file-exists", file="d"), tmp_path).message == "d is not a file"


def test_a_check_over_its_time_limit_fails_and_the_runner_moves_on(tmp_path: Path) -> None:
    release = threading.Event()

    def stuck(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
        release.wait(10)
        return True, "never seen"

    kinds = {**KIND_FUNCTIONS, "stuck": stuck}
    r = run_check(check("stuck", timeout=0.2), tmp_path, kinds)
    release.set()
    assert not r.passed and r.message == "did not finish within its time limit of 0.2 s"
    assert r.seconds < 9  # it gave up at its limit instead of waiting the 10 s the stuck check would take


def test_a_crashing_kind_is_a_failed_check(tmp_path: Path) -> None:
    def broken(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
        raise KeyError("oops")

    r = run_check(check("broken"), tmp_path, {"broken": broken})
    assert not r.passed and r.message == "could not be checked (KeyError: 'oops')"
    r = run_check(check("no-such-kind"), tmp_path)
    assert not r.passed and "cannot run check kind 'no-such-kind'" in r.message


def test_deeply_nested_json_is_a_failed_check(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text("[" * 100_000 + "]" * 100_000)
    r = run_check(check("json", file="t.json"), tmp_path)
    assert not r.passed and "nested too deeply" in r.message


def test_the_score_is_the_weight_passed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    checks = (
        Check("one", "a", "file-exists", {"file": "a.txt"}, 3, "h", "https://learn.microsoft.com/"),
        Check("two", "b", "file-exists", {"file": "b.txt"}, 1, "h", "https://learn.microsoft.com/"),
    )
    lab = Lab("x", "X", ("yaml-pipelines",), 10, checks, "task", "x")
    report = run_lab(lab, tmp_path)
    assert [r.passed for r in report.results] == [True, False]
    assert report.score == 75 and not report.complete


@pytest.mark.parametrize(
    ("text", "patterns", "absent", "message"),
    [
        ("a\nb\n", ["^b$"], [], "t.txt has what is asked"),
        ("a\n", ["^b$"], [], "t.txt has nothing matching `^b$`"),
        ("a\npassword: x\n", [], ["password"], "t.txt:2 still has `password`"),
    ],
)
def test_text_contains(
    tmp_path: Path, text: str, patterns: list[str], absent: list[str], message: str
) -> None:
    (tmp_path / "t.txt").write_text(text)
    r = run_check(check("text-contains", file="t.txt", patterns=patterns, absent=absent), tmp_path)
    assert r.message == message
