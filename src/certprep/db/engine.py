"""Engine creation (SQLite pragmas and serialised transactions, PostgreSQL by URL) and schema upgrades through
Alembic."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from certprep.errors import DatabaseUnavailable


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout, and its folder is created."""
    if url.startswith("sqlite"):
        db_path = make_url(url).database
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # SQLAlchemy emits BEGIN itself (below), not the driver, so a transaction starts where it says.
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn: Any) -> None:
            # Take SQLite's write lock at the start of every transaction, reads included: transactions run one
            # at a time (the busy timeout queues the rest), as SELECT ... FOR UPDATE makes them on PostgreSQL, so a
            # read-then-write (answer vs submit, a double submit, expiry at the deadline) never interleaves.
            # Migrations run inside such a transaction too, so a killed one leaves nothing half-done.
            # A connection marked `read_only` (Database.reading: lookups that never write) begins a plain deferred
            # transaction instead: in WAL mode it reads a snapshot without waiting for, or blocking, any writer.
            conn.exec_driver_sql(
                "BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE"
            )

        return engine
    # As many connections as the request threads one worker runs at once (Starlette's pool: 40), so a busy
    # moment queues in PostgreSQL rather than timing out waiting for a connection.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=30,
        pool_timeout=60,
        connect_args={"connect_timeout": 5},
    )


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("certprep.db") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration; a database that cannot be reached is a clear error."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        command.upgrade(alembic_config(engine), "head")
    except OperationalError as exc:
        raise DatabaseUnavailable(
            f"cannot reach the database at {safe_url(str(engine.url))}: {str(exc.orig).strip().splitlines()[0]}",
            url=safe_url(str(engine.url)),
        ) from exc
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(
            f"cannot migrate the database at {safe_url(str(engine.url))}: {exc}"
        ) from exc


def current_tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
