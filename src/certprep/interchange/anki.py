"""Anki package (.apkg) export of flashcards and missed items, written with the `genanki` library.

Identity is fixed so that importing a newer export updates the learner's deck instead of duplicating it: the
deck and note type ids are constants, and each note's GUID is `genanki.guid_for(key)` of a stable key.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from pathlib import Path

import genanki

# Fixed, random-looking ids in genanki's recommended range (1 << 30 .. 1 << 31); never change them: Anki matches
# decks and note types by id on import.
DECK_ID = 1_704_118_262
MODEL_ID = 1_290_513_757
MODEL_NAME = "certprep card"
_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")
_CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; line-height: 1.4; }"


@dataclass(frozen=True, slots=True)
class AnkiNote:
    key: str  # stable identity -> the note GUID (genanki.guid_for(key))
    front_html: str  # already-sanitised HTML
    back_html: str
    tags: tuple[str, ...] = ()


def anki_package(
    notes: Sequence[AnkiNote],
    path: Path,
    *,
    deck_name: str = "certprep AZ-400",
    deck_id: int = DECK_ID,
    model_id: int = MODEL_ID,
    now: datetime | None = None,
) -> int:
    """Write an .apkg to `path`; returns the number of notes. `now` fixes the file's timestamps (default: now)."""
    keys = [n.key for n in notes]
    if len(set(keys)) != len(keys):
        raise ValueError("Anki notes need distinct keys: a repeated key would be one note on import")
    model = genanki.Model(
        model_id,
        MODEL_NAME,
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {"name": "Card 1", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'},
        ],
        css=_CSS,
    )
    deck = genanki.Deck(deck_id, deck_name)
    for note in notes:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[note.front_html, note.back_html],
                guid=genanki.guid_for(note.key),
                tags=anki_tags(note.tags),
            )
        )
    _write(genanki.Package(deck), path, (now or datetime.now().astimezone()).timestamp())
    return len(notes)


def anki_tags(tags: Sequence[str]) -> list[str]:
    """Tags as Anki takes them: whitespace and control characters become "_" (a space separates tags), no
    empty or repeated tag."""
    cleaned = (_SPACE.sub("_", t).strip("_") for t in tags)
    return list(dict.fromkeys(t for t in cleaned if t))


def _write(package: genanki.Package, path: Path, timestamp: float) -> None:
    """genanki's Package.write_to_file, minus its leak: it never deletes the temporary SQLite file it makes
    (genanki 0.13.1), which a long-running server exporting decks would pile up. Same schema, rows and zip
    layout: the library's own write_to_db fills the collection."""
    with tempfile.TemporaryDirectory(prefix="certprep-anki-") as tmp:
        db_path = os.path.join(tmp, "collection.anki2")
        conn = sqlite3.connect(db_path)
        try:
            package.write_to_db(conn.cursor(), timestamp, count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(path, "w") as archive:
            archive.write(db_path, "collection.anki2")
            archive.writestr("media", json.dumps({}))
