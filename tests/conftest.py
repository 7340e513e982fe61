"""Shared fixtures: a real database per test (a fresh SQLite file; a fresh PostgreSQL schema when
CERTPREP_TEST_DATABASE_URL is set, as in CI), the built-in catalog, and a fixed clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from certprep.config import Settings
from certprep.domain.catalog import Catalog
from certprep.services.content import get_catalog
from certprep.services.database import Database, open_database

# Property tests check invariants, not speed: no per-example deadline on a shared 2-core CI machine.
hypothesis_settings.register_profile("certprep", deadline=None)
hypothesis_settings.load_profile("certprep")

PG_URL = os.environ.get("CERTPREP_TEST_DATABASE_URL", "")
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _pg_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith("postgresql://") else url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL nobody else uses: a new SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    if not PG_URL:
        pytest.skip("CERTPREP_TEST_DATABASE_URL not set (CI sets it)")
    base = _pg_url(PG_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = open_database(settings, migrate=True)
    yield database
    database.dispose()


@pytest.fixture
def catalog() -> Catalog:
    return get_catalog()


@pytest.fixture
def now() -> datetime:
    return NOW
