"""Check kinds on the lab folder's git repository, asked with read-only git commands (see `labdir.LabDir.git`):
branches, tags, merge commits, cherry-picks (`-x` trailer or the same patch-id), a string in no commit of any ref,
`.gitattributes` sending a pattern through Git LFS, a branch merged into another, nothing left uncommitted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from certprep.labcheck.labdir import CheckFailed, KindFn, LabDir, Outcome

MAX_MERGES = 200
REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")


def _ref(name: str) -> str:
    """A branch or tag name as given by a lab; refuses anything git could read as an option."""
    if not REF.match(name) or ".." in name:
        raise CheckFailed(f"{name!r} is not a branch or tag name this check accepts")
    return name


def _exists(lab: LabDir, ref: str) -> bool:
    lab.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", ok_codes=(0, 1))
    return lab.last_code == 0


def _is_ancestor(lab: LabDir, ancestor: str, descendant: str) -> bool:
    lab.git("merge-base", "--is-ancestor", ancestor, descendant, ok_codes=(0, 1))
    return lab.last_code == 0


def git_branch(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    branch = _ref(args["branch"])
    if _exists(lab, f"refs/heads/{branch}"):
        return True, f"branch {branch} exists"
    return False, f"there is no branch {branch}"


def git_tag(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    tag = _ref(args["tag"])
    if not _exists(lab, f"refs/tags/{tag}"):
        return False, f"there is no tag {tag}"
    if args.get("annotated") and lab.git("cat-file", "-t", f"refs/tags/{tag}").strip() != "tag":
        return False, f"tag {tag} is a lightweight tag: make it annotated (git tag -a)"
    return True, f"tag {tag} exists"


def git_merge_commit(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    into, branch = _ref(args["into"]), _ref(args["branch"])
    if not _exists(lab, f"refs/heads/{into}"):
        return False, f"there is no branch {into}"
    merges = lab.git(
        "log", "--merges", "--first-parent", f"-{MAX_MERGES}", "--format=%H %P%x00%s", f"refs/heads/{into}"
    )
    tip = f"refs/heads/{branch}" if _exists(lab, f"refs/heads/{branch}") else None
    for line in merges.splitlines():
        hashes, _, subject = line.partition("\0")
        commit, *parents = hashes.split()
        if tip is not None and any(_is_ancestor(lab, tip, p) for p in parents[1:]):
            return True, f"{into} has merge commit {commit[:10]} bringing in {branch}"
        if tip is None and re.search(rf"['\"/ ]{re.escape(branch)}(['\" ]|$)", subject):
            return True, f"{into} has merge commit {commit[:10]} ({subject})"
    if not merges.strip():
        return (
            False,
            f"{into} has no merge commit (a fast-forward or a rebase leaves none: merge with --no-ff)",
        )
    return False, f"no merge commit on {into} brings in {branch}"


def _patch_ids(lab: LabDir, *revs: str) -> dict[str, str]:
    """patch-id -> commit for the commits `revs` select (git log -p | git patch-id --stable)."""
    log = lab.git("log", "-p", "--no-ext-diff", "--no-textconv", "--no-merges", "--format=commit %H", *revs)
    ids = lab.git("patch-id", "--stable", stdin=log.encode())
    out = {}
    for line in ids.splitlines():
        patch, _, commit = line.partition(" ")
        out[patch] = commit
    return out


def git_cherry_pick(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    source, target, wanted = _ref(args["source"]), _ref(args["target"]), args["message"]
    for ref in (source, target):
        if not _exists(lab, f"refs/heads/{ref}"):
            return False, f"there is no branch {ref}"
    found = lab.git("log", "--no-merges", "--format=%H%x00%s", f"refs/heads/{source}")
    originals = [c for c, _, s in (line.partition("\0") for line in found.splitlines()) if wanted in s]
    if not originals:
        return False, f"no commit on {source} has {wanted!r} in its subject"
    original = originals[0]
    if _is_ancestor(lab, original, f"refs/heads/{target}"):
        return False, f"{target} contains the commit itself (merged, not cherry-picked)"
    picked = lab.git("log", "--format=%H%x00%B%x1e", f"refs/heads/{target}", f"^refs/heads/{source}")
    for record in picked.split("\x1e"):
        commit, _, body = record.strip().partition("\0")
        if f"cherry picked from commit {original}" in body:
            return True, f"{target} has {commit[:10]}, cherry-picked from {original[:10]} (-x)"
    mine = {v: k for k, v in _patch_ids(lab, "-1", original).items()}
    theirs = _patch_ids(lab, f"refs/heads/{target}", f"^refs/heads/{source}")
    patch = mine.get(original)
    if patch is not None and patch in theirs:
        return True, f"{target} has {theirs[patch][:10]}, the same change as {original[:10]}"
    return False, f"no commit on {target} carries the change of {original[:10]} ({wanted})"


def git_absent(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    text = args["text"]
    refs = ["--all", "--reflog"] if args.get("reflog") else ["--all"]
    found = lab.git("log", *refs, "--text", "--no-textconv", "--format=%h %s", f"-S{text}", "--")
    if found.strip():
        first = found.strip().splitlines()[0]
        count = len(found.strip().splitlines())
        return False, f"the text is still in the history: {count} commit(s) add or remove it, e.g. {first}"
    if not lab.git("rev-list", "--all", "-1").strip():
        return False, "the repository has no commit"
    return True, "no commit of any branch or tag contains the text"


def git_lfs_tracked(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    pattern = args["pattern"]
    lab.git("cat-file", "-e", "HEAD:.gitattributes", ok_codes=(0, 1, 128))
    if lab.last_code != 0:
        return False, ".gitattributes is not committed (git add .gitattributes, then commit)"
    text = lab.git("show", "--no-textconv", "HEAD:.gitattributes")
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if parts and parts[0] == pattern:
            if "filter=lfs" in parts[1:]:
                return True, f".gitattributes:{n} sends {pattern} through Git LFS"
            return False, f".gitattributes:{n} names {pattern} without filter=lfs"
    return False, f".gitattributes has no line for {pattern}"


def git_merged(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    branch, into = _ref(args["branch"]), _ref(args["into"])
    for ref in (branch, into):
        if not _exists(lab, f"refs/heads/{ref}"):
            return False, f"there is no branch {ref}"
    if _is_ancestor(lab, f"refs/heads/{branch}", f"refs/heads/{into}"):
        return True, f"{branch} is merged into {into}"
    missing = lab.git("rev-list", "--count", f"refs/heads/{into}..refs/heads/{branch}").strip()
    return False, f"{into} lacks {missing} commit(s) of {branch}"


def git_clean(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    if not lab.git("rev-list", "--all", "-1").strip():
        return False, "the repository has no commit"
    changed = lab.git("diff", "--no-ext-diff", "--no-textconv", "--name-only", "HEAD").split()
    if changed:
        return (
            False,
            f"{len(changed)} file(s) differ from the last commit, e.g. {changed[0]}: commit your work",
        )
    return True, "everything is committed"


FUNCTIONS: dict[str, KindFn] = {
    "git-branch": git_branch,
    "git-tag": git_tag,
    "git-merge-commit": git_merge_commit,
    "git-cherry-pick": git_cherry_pick,
    "git-absent": git_absent,
    "git-lfs-tracked": git_lfs_tracked,
    "git-merged": git_merged,
    "git-clean": git_clean,
}
