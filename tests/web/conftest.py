"""The web tests' app: the real factory over a fresh SQLite file, with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.web import create_app
from tests.signin import sign_in


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(anonymous: TestClient) -> TestClient:
    """A client of a fresh app, signed in as the owner (modules with other needs define their own `client`)."""
    return sign_in(anonymous)


@pytest.fixture
def anonymous(tmp_path: Path, clock: Clock) -> Iterator[TestClient]:
    """A client of a fresh app, signed in as nobody (no account exists yet)."""
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", data_dir=tmp_path), now=clock
    )
    with TestClient(app) as c:
        c.app_state = app.state  # type: ignore[attr-defined]
        yield c
