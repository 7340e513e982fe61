"""Git check kinds on real repositories built by `gitsetup` (the same replay `certprep lab start` uses)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from certprep.domain.labs import Check
from certprep.errors import InvalidInput
from certprep.labcheck.gitsetup import init_repository
from certprep.labcheck.runner import run_check

LEAK = "AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"


def repo(tmp_path: Path, steps: list[dict[str, Any]], files: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir(parents=True)
    for rel, text in (files or {"README.md": "# app\n"}).items():
        (folder / rel).write_text(text)
    init_repository(folder, "Start", steps)
    return folder


def run(folder: Path, kind: str, **args: Any) -> tuple[bool, str]:
    r = run_check(Check("c", "c", kind, args, 1, "h", "https://learn.microsoft.com/", 10), folder)
    return r.passed, r.message


def test_branches_tags_and_merges(tmp_path: Path) -> None:
    folder = repo(
        tmp_path,
        [
            {"branch": "feature/login"},
            {"commit": "Add login", "files": {"login.py": "x = 1\n"}},
            {"checkout": "main"},
            {"merge": "feature/login"},
            {"tag": "v1.0.0", "message": "First release"},
            {"tag": "light"},
        ],
    )
    assert run(folder, "git-branch", branch="feature/login") == (True, "branch feature/login exists")
    assert run(folder, "git-branch", branch="develop") == (False, "there is no branch develop")
    assert run(folder, "git-tag", tag="v1.0.0", annotated=True)[0]
    assert run(folder, "git-tag", tag="light", annotated=True) == (
        False,
        "tag light is a lightweight tag: make it annotated (git tag -a)",
    )
    ok, message = run(folder, "git-merge-commit", into="main", branch="feature/login")
    assert ok and "bringing in feature/login" in message
    assert run(folder, "git-merged", branch="feature/login", into="main") == (
        True,
        "feature/login is merged into main",
    )
    assert (
        run(folder, "git-branch", branch="--all")[1]
        == "'--all' is not a branch or tag name this check accepts"
    )


def test_a_fast_forward_is_not_a_merge_commit(tmp_path: Path) -> None:
    folder = repo(tmp_path, [{"branch": "f"}, {"commit": "Work", "files": {"a": "1"}}, {"checkout": "main"}])
    subprocess.run(["git", "merge", "-q", "--ff-only", "f"], cwd=folder, check=True)
    ok, message = run(folder, "git-merge-commit", into="main", branch="f")
    assert not ok and "has no merge commit" in message and "--no-ff" in message
    assert run(folder, "git-merged", branch="f", into="main")[0]


def test_unmerged_branch_counts_missing_commits(tmp_path: Path) -> None:
    folder = repo(
        tmp_path, [{"branch": "hotfix"}, {"commit": "Fix", "files": {"a": "1"}}, {"checkout": "main"}]
    )
    assert run(folder, "git-merged", branch="hotfix", into="main") == (
        False,
        "main lacks 1 commit(s) of hotfix",
    )


def test_cherry_pick_by_trailer_and_by_patch_id(tmp_path: Path) -> None:
    steps: list[dict[str, Any]] = [
        {"branch": "release/1.0"},
        {"checkout": "main"},
        {"commit": "Fix null check", "files": {"fix.txt": "fixed\n"}},
        {"commit": "Unrelated", "files": {"other.txt": "o\n"}},
        {"checkout": "release/1.0"},
    ]
    folder = repo(tmp_path, steps)
    ok, message = run(
        folder, "git-cherry-pick", source="main", target="release/1.0", message="Fix null check"
    )
    assert not ok and "no commit on release/1.0 carries the change" in message
    fix = subprocess.run(
        ["git", "log", "--format=%H", "--grep=Fix null", "main"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        ["git", "-c", "user.name=a", "-c", "user.email=a@b", "cherry-pick", fix],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    ok, message = run(
        folder, "git-cherry-pick", source="main", target="release/1.0", message="Fix null check"
    )
    assert ok and "the same change as" in message  # no -x trailer: found by patch-id
    again = repo(tmp_path / "x", [*steps[:-1], {"checkout": "release/1.0"}, {"cherry-pick": "main~1"}])
    ok, message = run(again, "git-cherry-pick", source="main", target="release/1.0", message="Fix null check")
    assert ok and "(-x)" in message


def test_a_secret_in_any_commit_of_any_ref_is_found(tmp_path: Path) -> None:
    folder = repo(
        tmp_path,
        [
            {"commit": "Add config", "files": {"app.config": f"conn={LEAK}\n"}},
            {"commit": "Remove key", "files": {"app.config": "conn=$(Storage)\n"}},
        ],
    )
    ok, message = run(folder, "git-absent", text=LEAK)
    assert not ok and "2 commit(s) add or remove it" in message
    clean = repo(tmp_path / "c", [{"commit": "Add config", "files": {"app.config": "conn=$(Storage)\n"}}])
    assert run(clean, "git-absent", text=LEAK) == (True, "no commit of any branch or tag contains the text")


def test_lfs_attributes_must_be_committed(tmp_path: Path) -> None:
    folder = repo(tmp_path, [])
    assert "not committed" in run(folder, "git-lfs-tracked", pattern="*.psd")[1]
    (folder / ".gitattributes").write_text(
        "*.psd filter=lfs diff=lfs merge=lfs -text\n"
    )  # written, not committed
    assert "not committed" in run(folder, "git-lfs-tracked", pattern="*.psd")[1]
    folder2 = repo(
        tmp_path / "b",
        [
            {
                "commit": "LFS",
                "files": {".gitattributes": "*.psd filter=lfs diff=lfs merge=lfs -text\n*.zip -text\n"},
            }
        ],
    )
    assert run(folder2, "git-lfs-tracked", pattern="*.psd") == (
        True,
        ".gitattributes:1 sends *.psd through Git LFS",
    )
    assert run(folder2, "git-lfs-tracked", pattern="*.zip") == (
        False,
        ".gitattributes:2 names *.zip without filter=lfs",
    )


def test_uncommitted_work_and_no_repository(tmp_path: Path) -> None:
    folder = repo(tmp_path, [])
    assert run(folder, "git-clean") == (True, "everything is committed")
    (folder / "README.md").write_text("changed\n")
    assert run(folder, "git-clean")[1].startswith("1 file(s) differ from the last commit, e.g. README.md")
    plain = tmp_path / "plain"
    plain.mkdir()
    assert run(plain, "git-branch", branch="main") == (
        False,
        "the lab folder is not a git repository of its own (no .git folder)",
    )


def test_the_repository_configuration_cannot_run_a_program(tmp_path: Path) -> None:
    folder = repo(tmp_path, [{"commit": "Add", "files": {"a.txt": f"{LEAK}\n"}}])
    marker = tmp_path / "ran"
    with (folder / ".git" / "config").open("a") as f:
        f.write(
            f"[core]\n\tfsmonitor = touch {marker}\n\tpager = touch {marker}\n[diff]\n\texternal = touch {marker}\n"
        )
        f.write(f'[diff "x"]\n\ttextconv = touch {marker}\n')
    (folder / ".gitattributes").write_text("* diff=x\n")
    for kind, args in [
        ("git-absent", {"text": LEAK}),
        ("git-clean", {}),
        ("git-cherry-pick", {"source": "main", "target": "main", "message": "Add"}),
    ]:
        run(folder, kind, **args)
    assert not marker.exists()


def test_setup_refuses_paths_out_of_the_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a path inside the lab folder"):
        repo(tmp_path, [{"commit": "x", "files": {"../escape.txt": "x"}}])
    assert not (tmp_path / "escape.txt").exists()
