"""Persistence: the schema, the engine, Alembic migrations, and row <-> domain functions that never commit."""
