"""`certprep serve`: the web app on 127.0.0.1 (accounts arrive later, so it never binds elsewhere)."""

from __future__ import annotations

import typer
import uvicorn
from rich.console import Console

from certprep.cli import context
from certprep.db.engine import safe_url


def serve(
    port: int = typer.Option(None, help="Port on 127.0.0.1 (default 8400 or CERTPREP_PORT)."),
) -> None:
    """Start the web app and JSON API (built-in content, SQLite in your data directory by default)."""
    from certprep.web import create_app

    settings = context.settings()
    app = create_app(settings)
    bind_port = port or settings.port
    Console().print(
        f"certprep serving on http://{settings.host}:{bind_port} (127.0.0.1 only: accounts are not built yet)\n"
        f"database: {safe_url(settings.database_url)}",
        markup=False,
    )
    uvicorn.run(app, host=settings.host, port=bind_port, log_level="info")
