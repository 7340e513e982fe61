"""A small pack on disk: the built-in catalog, outlines and study links, and items the test writes."""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from certprep.services.content import builtin_pack_path

GOOD = """\
---
id: az-400/yaml-pipelines/{slug}
type: single
objective: yaml-pipelines
outline: "2026-07-27"
difficulty: 3
author: tester
reviewer: reviewer
status: reviewed
sources:
  - url: https://learn.microsoft.com/en-us/azure/devops/pipelines/process/stages
    checked: 2026-11-01
options:
  - id: a
    text: "Add dependsOn listing both Build and Test to the Deploy stage"
    explanation: "Right: a stage waits for every stage in dependsOn."
  - id: b
    text: "Add a condition that checks the Test stage result only"
    explanation: "Wrong: a condition does not add a dependency."
  - id: c
    text: "Move the Build, Test and Deploy jobs into one stage with no conditions"
    explanation: "Wrong: that removes the stage boundaries the team needs."
key: a
---
A pipeline has Build, Test and Deploy stages. Deploy must start only after both Build and Test succeed.
What should you change?
"""

WriteItem = Callable[[str, str], Path]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "az-400"
    src = builtin_pack_path()
    for name in (
        "pack.yaml",
        "certifications.yaml",
        "paths.yaml",
        "roles.yaml",
        "providers.yaml",
        "corrections.yaml",
    ):
        shutil.copy(src / name, root / name) if root.exists() else (
            root.mkdir(),
            shutil.copy(src / name, root / name),
        )
    shutil.copytree(src / "outlines", root / "outlines")
    shutil.copytree(src / "study-links", root / "study-links")
    for links in (root / "study-links").glob(
        "*.yaml"
    ):  # undated: the tests check on days before the review pass
        links.write_text(re.sub(r"\n  checked: \S+", "", links.read_text()))
    (root / "items").mkdir()
    return root


@pytest.fixture
def write_item(pack: Path) -> WriteItem:
    def write(relpath: str, text: str) -> Path:
        path = pack / "items" / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    return write
