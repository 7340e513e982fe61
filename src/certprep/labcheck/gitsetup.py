"""Build a lab's git repository without shell scripts: copy the files, `git init`, commit them, then replay the
steps of the lab's `setup.yaml` (commit files, branch, checkout, merge, tag, cherry-pick) as git subprocess calls
with a fixed identity and clock, so a starter history is the same on every machine.

Step forms (one key naming the step; see docs/labs.md):
    {commit: MESSAGE, files: {PATH: TEXT}, delete: [PATH]}
    {branch: NAME}             create NAME at HEAD and switch to it
    {checkout: NAME}           switch to an existing branch
    {merge: NAME, message: M}  merge NAME into the current branch with a merge commit (--no-ff)
    {tag: NAME, message: M}    tag HEAD (annotated when a message is given)
    {cherry-pick: NAME}        apply the tip commit of branch NAME here, recording its origin (-x)
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from certprep.errors import InvalidInput
from certprep.labcheck.labdir import git_env

STEP_KEYS = ("commit", "branch", "checkout", "merge", "tag", "cherry-pick")
SETUP_FILE = "setup.yaml"
_EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z: every setup commit is dated from here, one minute apart


class _Git:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tick = 0

    def __call__(self, *args: str) -> None:
        self.tick += 60
        env = git_env()
        stamp = f"@{_EPOCH + self.tick} +0000"
        env.update(
            GIT_AUTHOR_NAME="certprep lab",
            GIT_AUTHOR_EMAIL="lab@certprep.invalid",
            GIT_COMMITTER_NAME="certprep lab",
            GIT_COMMITTER_EMAIL="lab@certprep.invalid",
            GIT_AUTHOR_DATE=stamp,
            GIT_COMMITTER_DATE=stamp,
        )
        safe = ("-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false")
        done = subprocess.run(
            ["git", *safe, *args], cwd=self.folder, env=env, capture_output=True, timeout=60, check=False
        )
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip()
            raise InvalidInput(f"git {' '.join(args)} failed in {self.folder}: {err}", field="setup")


def inside(folder: Path, rel: str) -> Path:
    """`rel` under `folder`; InvalidInput for an absolute path or one leaving the folder."""
    if (
        not rel
        or Path(rel).is_absolute()
        or ".." in Path(rel).parts
        or rel.startswith(".git/")
        or rel == ".git"
    ):
        raise InvalidInput(f"{rel!r} is not a path inside the lab folder", field="setup")
    return folder / rel


def copy_files(source: Path, target: Path) -> list[str]:
    """Copy a lab's files (setup.yaml aside) into `target`; returns the paths copied."""
    copied = []
    for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(source).as_posix()
        if rel == SETUP_FILE:
            continue
        dest = inside(target, rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        copied.append(rel)
    return copied


def init_repository(folder: Path, message: str, steps: Sequence[Mapping[str, Any]] = ()) -> None:
    """`git init` on branch main, commit everything in the folder, then replay `steps`."""
    git = _Git(folder)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "--allow-empty", "-m", message)
    for step in steps:
        _replay(git, folder, step)


def _replay(git: _Git, folder: Path, step: Mapping[str, Any]) -> None:
    if "commit" in step:
        for rel, text in dict(step.get("files", {})).items():
            dest = inside(folder, rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(str(text), encoding="utf-8")
            git("add", "--", rel)
        for rel in step.get("delete", []):
            inside(folder, rel)
            git("rm", "-q", "--", rel)
        git("commit", "-q", "--allow-empty", "-m", str(step["commit"]))
    elif "branch" in step:
        git("checkout", "-q", "-b", str(step["branch"]))
    elif "checkout" in step:
        git("checkout", "-q", str(step["checkout"]))
    elif "merge" in step:
        git(
            "merge",
            "-q",
            "--no-ff",
            "-m",
            str(step.get("message", f"Merge branch '{step['merge']}'")),
            str(step["merge"]),
        )
    elif "tag" in step:
        if "message" in step:
            git("tag", "-a", str(step["tag"]), "-m", str(step["message"]))
        else:
            git("tag", str(step["tag"]))
    elif "cherry-pick" in step:
        git("cherry-pick", "-x", str(step["cherry-pick"]))
    else:
        raise InvalidInput(f"unknown setup step {dict(step)!r}; steps: {', '.join(STEP_KEYS)}", field="setup")
