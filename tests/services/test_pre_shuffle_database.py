"""Attempts made before choices were shuffled everywhere and the bank was rewritten still render as they were shown.

`tests/fixtures/pre_shuffle.sqlite3` was written by the code of commit 4ab79fe (see make_pre_shuffle_db.py): a
submitted mock exam, a submitted practice set (build lists, single and multiple choice) and an exam still in
progress, with what each item showed and what each report said in `pre_shuffle.json`. The database is upgraded by
today's migrations and read through today's services and web pages.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.db.tables import FormEntryRow
from certprep.domain.items import BuildList
from certprep.services import attempts as svc
from certprep.services.bank import load_item_revision
from certprep.services.content import get_catalog
from certprep.services.database import Database, open_database
from certprep.web import create_app
from tests.signin import sign_in

FIXTURES = Path(__file__).parent.parent / "fixtures"
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "pre_shuffle.json").read_text())
MADE = datetime.fromisoformat(EXPECTED["now"])
LEARNER = "local"


@pytest.fixture
def old_copy(tmp_path: Path) -> Path:
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "pre_shuffle.sqlite3", path)
    return path


@pytest.fixture
def db(old_copy: Path) -> Iterator[Database]:
    database = open_database(
        Settings(database_url=f"sqlite:///{old_copy}", data_dir=old_copy.parent), migrate=True
    )
    yield database
    database.dispose()


def test_the_fixture_shows_build_lists_in_their_authored_order(db: Database) -> None:
    """What makes the fixture worth keeping: its build lists were shown in authored order (key first), which
    today's engine never does; the stored order, not today's rule, must decide what they show."""
    kinds = [s["type"] for a in EXPECTED["attempts"].values() for s in a["shown"].values()]
    assert kinds.count("build-list") >= 5 and {"single", "multiple", "drag-drop", "hot-area"} <= set(kinds)
    authored_order = 0
    for data in EXPECTED["attempts"].values():
        with db.transaction() as s:
            rows = {r.position: r.revision for r in s.query(FormEntryRow).filter_by(attempt_id=data["id"])}
        for position, shown in data["shown"].items():
            if shown["type"] != "build-list":
                continue
            item = load_item_revision(db, revision=rows[int(position)])
            assert isinstance(item, BuildList)
            authored_order += [o["text"] for o in shown["options"]] == [o.text for o in item.options]
    assert authored_order == kinds.count("build-list")


@pytest.mark.parametrize("name", ["exam", "practice", "open-exam"])
def test_every_item_shows_what_it_showed_then(db: Database, name: str) -> None:
    data = EXPECTED["attempts"][name]
    later = MADE + timedelta(minutes=10)  # within the open exam's time
    for position, shown in data["shown"].items():
        view = svc.view_item(
            db,
            catalog=get_catalog(),
            learner_id=LEARNER,
            attempt_id=data["id"],
            position=int(position),
            now=later,
        )
        assert view.shown == shown, (name, position)


@pytest.mark.parametrize("name", ["exam", "practice"])
def test_reports_say_what_they_said_then(db: Database, name: str) -> None:
    data = EXPECTED["attempts"][name]
    report = svc.get_report(
        db, catalog=get_catalog(), learner_id=LEARNER, attempt_id=data["id"], now=MADE + timedelta(days=5)
    )
    expected = data["report"]
    assert (report.scaled, report.passed, report.raw) == (
        expected["scaled"],
        expected["passed"],
        expected["raw"],
    )
    for line, want in zip(report.items, expected["items"], strict=True):
        got = {
            "position": line.position,
            "item_id": line.item_id,
            "answer": line.answer,
            "key": line.revealed["key"],
            "choices": [[c["label"], c["text"]] for c in line.revealed.get("choices", [])],
        }
        assert got == want


def test_the_report_page_renders_the_old_options(old_copy: Path) -> None:
    data = EXPECTED["attempts"]["practice"]
    app = create_app(Settings(database_url=f"sqlite:///{old_copy}", data_dir=old_copy.parent))
    with TestClient(app) as client:
        sign_in(client)
        page = client.get(f"/attempts/{data['id']}/report")
    assert page.status_code == 200
    build = next(i for i in data["report"]["items"] if i["choices"] and len(i["key"] or []) >= 3)
    text = html.unescape(page.text)
    for _label, option in build["choices"]:
        assert option in text
