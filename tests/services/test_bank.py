"""Item revisions in the database: editing an item's key makes a new revision and the old one stays loadable."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from certprep.domain.items import SingleChoice, grade, parse_response
from certprep.errors import NotFound, PackInvalid
from certprep.services.bank import item_revisions, load_item_revision, sync_bank
from certprep.services.content import builtin_pack_path
from certprep.services.database import Database
from tests.packs.conftest import GOOD

ITEM = "az-400/yaml-pipelines/rev"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "az-400"
    root.mkdir()
    src = builtin_pack_path()
    for name in (
        "pack.yaml",
        "certifications.yaml",
        "paths.yaml",
        "roles.yaml",
        "providers.yaml",
        "corrections.yaml",
    ):
        shutil.copy(src / name, root / name)
    shutil.copytree(src / "outlines", root / "outlines")
    (root / "items" / "pipelines").mkdir(parents=True)
    (root / "items" / "pipelines" / "rev.md").write_text(GOOD.format(slug="rev"))
    return root


def test_editing_the_key_creates_a_new_revision_and_keeps_the_old(
    db: Database, pack: Path, now: datetime
) -> None:
    assert sync_bank(db, root=pack, now=now) == 1
    assert sync_bank(db, root=pack, now=now) == 0
    [(first, _)] = item_revisions(db, item_id=ITEM)
    path = pack / "items" / "pipelines" / "rev.md"
    path.write_text(path.read_text().replace("key: a", "key: b"))
    assert sync_bank(db, root=pack, now=now + timedelta(days=1)) == 1
    revisions = [r for r, _ in item_revisions(db, item_id=ITEM)]
    assert revisions[0] == first and len(revisions) == 2
    old, new = (load_item_revision(db, revision=r) for r in revisions)
    assert isinstance(old, SingleChoice) and isinstance(new, SingleChoice)
    assert (old.key, new.key) == ("a", "b")
    assert grade(old, parse_response(old, "a")).points == 1
    assert grade(new, parse_response(new, "a")).points == 0


def test_explanation_fix_is_not_a_new_revision(db: Database, pack: Path, now: datetime) -> None:
    sync_bank(db, root=pack, now=now)
    path = pack / "items" / "pipelines" / "rev.md"
    path.write_text(path.read_text().replace("Right: a stage waits", "Correct: a stage waits"))
    assert sync_bank(db, root=pack, now=now) == 0


def test_broken_pack_syncs_nothing(db: Database, pack: Path, now: datetime) -> None:
    path = pack / "items" / "pipelines" / "rev.md"
    path.write_text(path.read_text().replace("difficulty: 3", "difficulty: nine"))
    with pytest.raises(PackInvalid, match="fix the pack before syncing"):
        sync_bank(db, root=pack, now=now)
    assert item_revisions(db, item_id=ITEM) == []


def test_unknown_revision(db: Database) -> None:
    with pytest.raises(NotFound, match="no item revision 'deadbeef'"):
        load_item_revision(db, revision="deadbeef")


def test_whole_builtin_bank_round_trips(db: Database, now: datetime) -> None:
    from certprep.packs.items import load_bank
    from certprep.packs.revisions import revision_of

    assert sync_bank(db, root=builtin_pack_path(), now=now) > 300
    bank = load_bank(builtin_pack_path()).bank
    for item in bank.items[::7]:
        assert load_item_revision(db, revision=revision_of(item)) == item
