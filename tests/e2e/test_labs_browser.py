"""In a real browser: a lab started and checked with the CLI on the same machine, then its report seen on the
labs pages after signing in (the pages are a learner's own data)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from certprep.config import load_settings
from certprep.services import accounts
from certprep.services.database import open_database
from tests.e2e.conftest import Server
from tests.e2e.test_exam_browser import Watch, axe_violations, shot


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("labs-browser")
    srv = Server(data).start()
    yield srv.url, data
    srv.stop()


def test_a_cli_report_on_the_labs_pages(site: tuple[str, Path], browser: Any, tmp_path: Path) -> None:
    url, data = site
    env = {**os.environ, "CERTPREP_DATA_DIR": str(data), "COLUMNS": "200"}
    env.pop("CERTPREP_DATABASE_URL", None)
    folder = tmp_path / "lfs"
    cli = [sys.executable, "-m", "certprep", "lab"]
    subprocess.run([*cli, "start", "git-lfs", str(folder)], env=env, check=True, capture_output=True)
    checked = subprocess.run([*cli, "check", str(folder)], env=env, capture_output=True, text=True)
    assert checked.returncode == 1 and "Score" in checked.stdout

    db = open_database(load_settings({"CERTPREP_DATA_DIR": str(data)}))
    now = datetime.now(UTC)
    link = accounts.first_run(db, now=now) or accounts.login_link(db, account_id="local", now=now)
    db.dispose()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page, url)
    page.goto(f"{url}/login/link/{link}")
    page.goto(url + "/labs")
    page.get_by_role("heading", name="Hands-on labs").wait_for()
    assert page.locator("table.labs tbody tr").count() >= 15
    assert axe_violations(page) == []
    shot(page, "labs")
    page.get_by_role("link", name="Large files in Git LFS").first.click()
    page.get_by_role("heading", name="Large files in Git LFS").wait_for()
    main = page.locator("main").inner_text()
    assert "Design and implement a strategy for managing large files" in main
    assert "Photoshop files go through Git LFS" in main and ".gitattributes is not committed" in main
    assert axe_violations(page) == []
    shot(page, "lab")
    watch.check()
