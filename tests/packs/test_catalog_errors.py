"""A broken catalog is reported file:line with the field named, and nothing is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from certprep.errors import PackInvalid
from certprep.packs.catalog import load_catalog
from certprep.services.content import builtin_pack_path, load_pack_catalog

CATALOG_FILES = [
    "pack.yaml",
    "certifications.yaml",
    "paths.yaml",
    "roles.yaml",
    "providers.yaml",
    "corrections.yaml",
]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "az-400"
    (root / "outlines").mkdir(parents=True)
    src = builtin_pack_path()
    for name in CATALOG_FILES:
        shutil.copy(src / name, root / name)
    for outline in (src / "outlines").glob("*.yaml"):
        shutil.copy(outline, root / "outlines" / outline.name)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def problems(root: Path) -> list[str]:
    catalog, found = load_catalog(root)
    assert catalog is None
    return [str(p) for p in found]


def test_the_copy_is_valid(pack: Path) -> None:
    catalog, found = load_catalog(pack)
    assert catalog is not None and found == []


def test_broken_yaml_names_file_and_line(pack: Path) -> None:
    edit(pack / "roles.yaml", "roles:\n", "roles:\n\t- id: tabbed\n")
    [p] = problems(pack)
    assert p.startswith("az-400/roles.yaml:4: YAML does not parse")


def test_unknown_certification_in_prerequisite(pack: Path) -> None:
    edit(
        pack / "certifications.yaml", "{cert: azure-developer-associate}", "{cert: azure-devloper-associate}"
    )
    [p] = problems(pack)
    assert "certifications.yaml:" in p and "requires: unknown certification 'azure-devloper-associate'" in p


def test_unknown_certification_in_role(pack: Path) -> None:
    edit(
        pack / "roles.yaml",
        "recommended: [devops-engineer-expert, azure-solutions-architect-expert]",
        "recommended: [devops-engineer-expert, azure-monitor-specialist]",
    )
    [p] = problems(pack)
    assert p.startswith("az-400/roles.yaml:") and "unknown certification 'azure-monitor-specialist'" in p


def test_prerequisite_cycle(pack: Path) -> None:
    edit(
        pack / "certifications.yaml",
        "    validity: *ms_validity\n    exam: {code: AZ-104",
        "    validity: *ms_validity\n    requires: {cert: azure-solutions-architect-expert}\n    exam: {code: AZ-104",
    )
    [p] = problems(pack)
    assert "prerequisite cycle: " in p and "azure-administrator-associate" in p


def test_successor_missing_from_catalog(pack: Path) -> None:
    edit(
        pack / "certifications.yaml", "successor: fabric-data-engineer-associate", "successor: fabric-analyst"
    )
    [p] = problems(pack)
    assert "successor: 'fabric-analyst' is not in the catalog" in p


def test_date_in_wrong_format_names_the_field(pack: Path) -> None:
    edit(pack / "certifications.yaml", "retired_on: 2026-07-31", "retired_on: 31/07/2026")
    [p] = problems(pack)
    assert "certifications.yaml:" in p and "certifications.2.retired_on" in p and "date" in p


def test_pack_invalid_lists_every_problem(pack: Path) -> None:
    edit(pack / "certifications.yaml", "successor: fabric-data-engineer-associate", "successor: nope")
    edit(
        pack / "paths.yaml",
        "certifications: [devops-engineer-expert, fabric-data-engineer-associate]",
        "certifications: [devops-engineer-expert, nothing-here]",
    )
    with pytest.raises(PackInvalid) as info:
        load_pack_catalog(pack)
    assert len(info.value.problems) == 2
