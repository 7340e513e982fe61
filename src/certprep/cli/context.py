"""What every command needs: settings built once, the database, the clock, the catalog and bank of a pack that
passed `certprep pack check` (services.content.load_checked_pack)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from certprep.config import Settings, load_settings
from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank
from certprep.errors import InvalidInput
from certprep.services.content import load_checked_pack
from certprep.services.database import Database, open_database
from certprep.services.profile import LOCAL_LEARNER

LEARNER = LOCAL_LEARNER


def settings() -> Settings:
    return load_settings()


def database(s: Settings | None = None) -> Database:
    return open_database(s or settings())


def catalog() -> Catalog:
    return load_checked_pack(settings()).catalog


def now() -> datetime:
    return datetime.now(UTC)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option} {value!r} is not a date in the form YYYY-MM-DD", field=option) from None


def bank() -> Bank:
    return load_checked_pack(settings()).bank


def site_url(s: Settings | None = None) -> str:
    """The address links printed by the CLI start with: the public URL when configured, else host and port."""
    s = s or settings()
    return (s.public_url or f"http://{s.host}:{s.port}").rstrip("/")
