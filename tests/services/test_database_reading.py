"""A lookup that never writes (`Database.reading`) does not wait for SQLite's write lock."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import text

from certprep.config import Settings
from certprep.services.database import open_database


def test_reading_goes_past_a_writer_that_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    db = open_database(Settings(database_url=f"sqlite:///{path}", data_dir=tmp_path), migrate=True)
    writer = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with db.reading() as session:
            assert session.execute(text("SELECT count(*) FROM learners")).scalar_one() == 0
        done = threading.Event()

        def write() -> None:
            with db.transaction() as session:
                session.execute(text("SELECT 1"))
            done.set()

        t = threading.Thread(target=write, daemon=True)
        t.start()
        assert not done.wait(0.5)  # a transaction waits for the lock, as it must
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert done.wait(30)
    db.dispose()
