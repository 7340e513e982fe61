"""The embedded SQLite upgrade is crash-safe: a process killed (SIGKILL) after any statement of the migrations leaves
a database that the next start upgrades completely."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from certprep.config import Settings
from certprep.db.engine import alembic_config
from certprep.services.database import open_database

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import event
    from certprep.db import engine as engines

    limit = int(sys.argv[2])
    made = engines.make_engine(f"sqlite:///{sys.argv[1]}")
    count = 0

    @event.listens_for(made, "after_cursor_execute")
    def _count(*_args):
        global count
        count += 1
        if count >= limit:
            os.kill(os.getpid(), signal.SIGKILL)

    engines.upgrade(made)
    print("finished")
    """
)


def statements_in_a_full_upgrade(tmp_path: Path) -> int:
    script = KILLER.replace("os.kill(os.getpid(), signal.SIGKILL)", "pass")
    script = script.replace('print("finished")', "print(count)")
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "count.sqlite3"), "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


@pytest.mark.parametrize("step", [1, 2, 3, 5, 8, 13, 21, 34, 55, 72])
def test_a_migration_killed_at_any_step_is_finished_by_the_next_start(tmp_path: Path, step: int) -> None:
    path = tmp_path / "db.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(path), str(step)], capture_output=True, text=True
    )
    assert done.returncode == -9 or "finished" in done.stdout, done.stderr
    db = open_database(Settings(database_url=f"sqlite:///{path}", data_dir=tmp_path), migrate=True)
    db.dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert version == head
    assert {"attempts", "reports", "item_revisions", "readiness", "learners"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_the_sample_of_steps_covers_the_whole_upgrade(tmp_path: Path) -> None:
    assert 34 < statements_in_a_full_upgrade(tmp_path) < 500
