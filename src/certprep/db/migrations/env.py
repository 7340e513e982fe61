"""Alembic environment: runs on the engine certprep hands over (no URL in an ini file)."""

from __future__ import annotations

from alembic import context

from certprep.db.tables import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
