"""The bare endpoint `bench.load` compares with: one INSERT per request, through the same engine settings
(SQLite WAL and write lock at BEGIN, or PostgreSQL), served the same way (uvicorn, same workers)."""

from __future__ import annotations

import os

from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from certprep.db.engine import make_engine

metadata = MetaData()
bare = Table("bench_bare", metadata, Column("id", Integer, primary_key=True), Column("v", String(40)))


def app() -> FastAPI:
    engine = make_engine(os.environ["BENCH_DATABASE_URL"])
    metadata.create_all(engine)
    api = FastAPI()

    @api.post("/bare")
    def post(body: dict[str, str]) -> dict[str, bool]:
        with engine.begin() as conn:
            conn.execute(insert(bare).values(v=body.get("v", "")[:40]))
        return {"recorded": True}

    return api
