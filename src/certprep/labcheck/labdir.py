"""The learner's lab folder as every check kind sees it: read-only access that refuses a path out of the folder
(`..`, an absolute path, a symbolic link pointing outside), a file over 1 MB, and text that is not UTF-8; read-only
git commands with a time limit and none of the repository's own configuration able to run a program.

A refusal is a `CheckFailed` with a sentence naming the file: the runner turns it into a failed check.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
SKIPPED_DIRS = frozenset({".git", "node_modules", ".terraform", ".venv"})
# The repository's configuration cannot start a program from a read-only command: no external diff or text
# conversion, no fsmonitor hook, no pager, no credential prompt, no system or global configuration.
GIT_SAFE = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.pager=cat",
    "-c",
    "diff.external=",
    "-c",
    "core.hooksPath=/dev/null",
)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CheckFailed(Exception):
    """A check failed for a reason the learner can act on (the message says what and where)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Outcome = tuple[bool, str]
KindFn = Callable[["LabDir", Mapping[str, Any]], Outcome]


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        GIT_OPTIONAL_LOCKS="0",
        LC_ALL="C",
    )
    return env


class LabDir:
    """A lab folder and the time a check has left."""

    def __init__(self, root: Path, *, deadline: float | None = None) -> None:
        self.root = root.resolve()
        self.deadline = deadline
        self.last_code = 0

    def remaining(self) -> float:
        if self.deadline is None:
            return 30.0
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise CheckFailed("the check ran out of time")
        return left

    def path(self, rel: str) -> Path:
        """The file `rel` inside the folder; CheckFailed when it is missing, leaves the folder or is too big."""
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise CheckFailed(f"{rel}: only paths inside the lab folder are checked")
        target = self.root / rel
        try:
            if not target.exists() and not target.is_symlink():
                raise CheckFailed(f"{rel} does not exist")
            real = target.resolve()
        except (RuntimeError, OSError):  # a loop of links, a name too long
            raise CheckFailed(f"{rel} cannot be followed (a loop of links?): not read") from None
        if real != self.root and self.root not in real.parents:
            raise CheckFailed(f"{rel} is a link to {real}, outside the lab folder: not read")
        if not real.exists():
            raise CheckFailed(f"{rel} is a link to a missing file")
        if not real.is_file():
            raise CheckFailed(f"{rel} is not a file")
        size = real.stat().st_size
        if size > MAX_BYTES:
            raise CheckFailed(
                f"{rel} is {size / 1_000_000:.1f} MB, over the 1 MB a lab file may have: not read"
            )
        return real

    def text(self, rel: str) -> str:
        data = self.path(rel).read_bytes()[: MAX_BYTES + 1]
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CheckFailed(f"{rel} is not UTF-8 text (byte {exc.start})") from None

    def yaml(self, rel: str) -> Any:
        """The file parsed as YAML (one document); CheckFailed naming the line when it does not parse."""
        text = self.text(rel)
        try:
            return yaml.load(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f":{mark.line + 1}" if mark else ""
            raise CheckFailed(f"{rel}{where}: not valid YAML: {exc.problem or exc}") from None
        except yaml.YAMLError as exc:
            raise CheckFailed(f"{rel}: not valid YAML: {exc}") from None

    def files(self, suffix: str) -> list[str]:
        """Paths (relative, sorted) of the files ending in `suffix`, outside .git and tool caches."""
        out = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
            for name in filenames:
                if name.endswith(suffix):
                    out.append(str((Path(dirpath) / name).relative_to(self.root)))
        return sorted(out)

    def git(self, *args: str, ok_codes: tuple[int, ...] = (0,), stdin: bytes | None = None) -> str:
        """Run a read-only git command in the folder; CheckFailed when it is not a repository or git fails."""
        dot_git = self.root / ".git"
        if dot_git.is_symlink() or not dot_git.is_dir():
            raise CheckFailed("the lab folder is not a git repository of its own (no .git folder)")
        try:
            done = subprocess.run(
                ["git", "--no-pager", *GIT_SAFE, *args],
                cwd=self.root,
                env=git_env(),
                capture_output=True,
                timeout=self.remaining(),
                check=False,
                input=stdin if stdin is not None else b"",
            )
        except subprocess.TimeoutExpired:
            raise CheckFailed(f"git {args[0]} did not finish in time") from None
        except FileNotFoundError:
            raise CheckFailed("git is not installed: install git to check this lab") from None
        self.last_code = done.returncode
        if done.returncode not in ok_codes:
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise CheckFailed(f"git {args[0]} failed: {err[-1] if err else done.returncode}")
        return done.stdout.decode("utf-8", "replace")
