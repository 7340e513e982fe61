"""`certprep serve`: the web app on loopback (accounts arrive later, so it refuses any other address)."""

from __future__ import annotations

import typer
import uvicorn
from rich.console import Console

from certprep.cli import context
from certprep.db.engine import safe_url
from certprep.errors import InvalidInput
from certprep.services.accounts import first_run
from certprep.services.content import load_checked_pack
from certprep.services.database import upgrade_database

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def serve(
    port: int = typer.Option(None, help="Port (default 8400 or CERTPREP_PORT)."),
    host: str = typer.Option(None, help="Loopback address to bind (127.0.0.1, ::1 or localhost)."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (each a full app on one database)."),
) -> None:
    """Start the web app and JSON API (built-in content, SQLite in your data directory by default)."""
    settings = context.settings()
    bind_host = host or settings.host
    if bind_host not in LOOPBACK:
        raise InvalidInput(
            f"--host {bind_host}: certprep has no accounts yet, so it serves only on loopback "
            f"({', '.join(LOOPBACK)}); put a reverse proxy in front to share it",
            field="host",
        )
    bind_port = port or settings.port
    load_checked_pack(settings)  # a pack that fails `certprep pack check` is refused before anything starts
    if settings.is_sqlite:
        upgrade_database(settings)  # once, before any worker starts
    Console().print(
        f"certprep serving on http://{bind_host}:{bind_port} with {workers} worker(s) (loopback only for now)\n"
        f"database: {safe_url(settings.database_url)}",
        markup=False,
    )
    link = first_run(context.database(settings), now=context.now())
    if link:  # a fresh install: the owner signs in once with this link, as Jupyter does; no password to type
        Console().print(
            f"first start: sign in as the owner with http://{bind_host}:{bind_port}/login/link/{link}\n"
            "(one use, valid 24 hours; `certprep account link` prints a new one)",
            markup=False,
        )
    if workers == 1:
        from certprep.web import create_app

        uvicorn.run(
            create_app(settings),
            host=bind_host,
            port=bind_port,
            log_level="info",
            proxy_headers=settings.trust_proxy_headers,  # else uvicorn trusts X-Forwarded-* from loopback
        )
        return
    uvicorn.run(
        "certprep.web.asgi:app_from_environment",
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=workers,
        log_level="info",
        proxy_headers=settings.trust_proxy_headers,
    )
