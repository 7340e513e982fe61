"""The database handle the faces pass to every service: an engine and a session factory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from certprep.config import Settings
from certprep.db.engine import make_engine, safe_url, upgrade
from certprep.errors import DatabaseUnavailable

BUSY = frozenset(["40P01", "40001", "55P03"])  # deadlock, serialization failure, lock not available


@dataclass(frozen=True, slots=True)
class Database:
    """`gate` (SQLite only): the threads of one process queue here, in order, for the one write lock SQLite has,
    instead of all polling it: SQLite's busy handler is not fair, and under hundreds of concurrent requests an
    unlucky one could wait past the busy timeout. Processes still share the lock through SQLite itself."""

    engine: Engine
    sessions: sessionmaker[Session]
    gate: threading.RLock | None = field(default=None)
    readers: sessionmaker[Session] | None = field(default=None)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        gate: AbstractContextManager[object] = self.gate if self.gate is not None else nullcontext()
        try:
            with gate, self.sessions.begin() as session:
                yield session
        except OperationalError as exc:
            first = (
                str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
            )
            if getattr(exc.orig, "sqlstate", None) in BUSY or "database is locked" in first:
                raise DatabaseUnavailable(f"the database is busy ({first}): try again") from exc
            raise DatabaseUnavailable(
                f"cannot reach the database at {safe_url(str(self.engine.url))}: {first}"
            ) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A lookup that never writes (who a session or token belongs to): on SQLite it neither takes nor waits
        for the write lock, so it does not queue behind the writers the way `transaction` does."""
        if self.readers is None or self.gate is None:
            with self.transaction() as session:
                yield session
            return
        with self.readers.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings, *, migrate: bool | None = None) -> Database:
    """Connect; the embedded SQLite default is upgraded automatically, PostgreSQL by `certprep db upgrade`."""
    engine = make_engine(settings.database_url)
    if migrate if migrate is not None else settings.is_sqlite:
        upgrade(engine)
    gate = threading.RLock() if settings.is_sqlite else None
    readers = sessionmaker(engine.execution_options(read_only=True), expire_on_commit=False)
    return Database(engine, sessionmaker(engine, expire_on_commit=False), gate, readers)


def upgrade_database(settings: Settings) -> str:
    """Run every pending migration; returns the safe URL that was upgraded."""
    db = open_database(settings, migrate=True)
    db.dispose()
    return safe_url(settings.database_url)
