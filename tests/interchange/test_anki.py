"""The .apkg export: a valid zip holding an Anki collection (SQLite) with the notes given, stable identities."""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import genanki
import pytest

from certprep.interchange.anki import DECK_ID, MODEL_ID, AnkiNote, anki_package, anki_tags

NOW = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
NOTES = [
    AnkiNote(
        key="flashcard:pipelines-a/yaml-triggers",
        front_html="<p>Which keyword limits a CI trigger to <code>main</code>?</p>",
        back_html="<p><code>trigger: branches: include</code></p>",
        tags=("pipelines", "design and implement pipelines"),
    ),
    AnkiNote(key="item:az400-sec-001@r1", front_html="<p>Q &amp; A</p>", back_html="<p>Key: B</p>"),
    AnkiNote(key="flashcard:security/secrets", front_html="<p>Secrets?</p>", back_html="<p>Key Vault</p>"),
]


def collection(apkg: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as archive:
        assert archive.testzip() is None
        assert "collection.anki2" in archive.namelist()
        archive.extract("collection.anki2", tmp_path / "x")
    return sqlite3.connect(tmp_path / "x" / "collection.anki2")


def test_package_is_a_zip_with_a_collection_holding_every_note(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    assert anki_package(NOTES, path, now=NOW) == 3
    db = collection(path, tmp_path)
    try:
        assert db.execute("SELECT count(*) FROM notes").fetchone() == (3,)
        assert db.execute("SELECT count(*) FROM cards").fetchone() == (3,)
        rows = db.execute("SELECT guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
        assert [r[0] for r in rows] == [genanki.guid_for(n.key) for n in NOTES]
        assert {r[1] for r in rows} == {MODEL_ID}
        assert rows[0][2].split() == ["pipelines", "design_and_implement_pipelines"]
        assert rows[0][3] == NOTES[0].front_html + "\x1f" + NOTES[0].back_html
        assert {r[0] for r in db.execute("SELECT did FROM cards")} == {DECK_ID}
        (decks,) = db.execute("SELECT decks FROM col").fetchone()
        assert '"certprep AZ-400"' in decks
    finally:
        db.close()


def test_same_key_gives_the_same_guid_across_writes(tmp_path: Path) -> None:
    anki_package(NOTES, tmp_path / "a.apkg", now=NOW)
    changed = [AnkiNote(key=NOTES[0].key, front_html="<p>Reworded</p>", back_html="<p>New back</p>")]
    anki_package(changed, tmp_path / "b.apkg")  # another time, other content: same identity
    first = collection(tmp_path / "a.apkg", tmp_path / "1")
    second = collection(tmp_path / "b.apkg", tmp_path / "2")
    try:
        guid_a = first.execute("SELECT guid FROM notes ORDER BY id").fetchone()[0]
        guid_b, flds = second.execute("SELECT guid, flds FROM notes").fetchone()
        assert guid_a == guid_b == genanki.guid_for(NOTES[0].key)
        assert flds.startswith("<p>Reworded</p>")
        assert second.execute("SELECT did FROM cards").fetchone() == (DECK_ID,)
    finally:
        first.close()
        second.close()


def test_same_input_and_time_give_the_same_collection(tmp_path: Path) -> None:
    anki_package(NOTES, tmp_path / "a.apkg", now=NOW)
    anki_package(NOTES, tmp_path / "b.apkg", now=NOW)
    dumps = []
    for name in ("a", "b"):
        db = collection(tmp_path / f"{name}.apkg", tmp_path / name)
        dumps.append(list(db.execute("SELECT id, guid, mod, tags, flds FROM notes ORDER BY id")))
        db.close()
    assert dumps[0] == dumps[1]


def test_empty_deck_is_still_a_valid_package(tmp_path: Path) -> None:
    assert anki_package([], tmp_path / "empty.apkg", now=NOW) == 0
    db = collection(tmp_path / "empty.apkg", tmp_path)
    assert db.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    db.close()


def test_no_temporary_file_is_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    anki_package(NOTES, tmp_path / "deck.apkg", now=NOW)
    assert list(scratch.iterdir()) == []


def test_repeated_keys_are_a_bug(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="distinct keys"):
        anki_package([NOTES[0], NOTES[0]], tmp_path / "deck.apkg", now=NOW)
    assert not (tmp_path / "deck.apkg").exists()


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (("a b", "c\td", " e "), ["a_b", "c_d", "e"]),
        (("x", "x", "", "  "), ["x"]),
        (("ctl\x00\x1bz", "topic::sub"), ["ctl_z", "topic::sub"]),
    ],
)
def test_tags_never_contain_spaces(tags: tuple[str, ...], expected: list[str]) -> None:
    assert anki_tags(tags) == expected
