"""`certprep serve`: the web app; on loopback by default, beyond it only once an admin can sign in with a password
and the public URL is configured (domain.accounts.bind_refusal)."""

from __future__ import annotations

import typer
import uvicorn
from rich.console import Console

from certprep.cli import context
from certprep.db.engine import safe_url
from certprep.domain.accounts import LOOPBACK, bind_refusal
from certprep.errors import InvalidInput
from certprep.services.accounts import admin_with_password, first_run
from certprep.services.content import load_checked_pack
from certprep.services.database import upgrade_database


def serve(
    port: int = typer.Option(None, help="Port (default 8400 or CERTPREP_PORT)."),
    host: str = typer.Option(
        None,
        help="Address to bind (default 127.0.0.1). Beyond loopback: needs an admin with a password and "
        "CERTPREP_PUBLIC_URL.",
    ),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (each a full app on one database)."),
) -> None:
    """Start the web app and JSON API (built-in content, SQLite in your data directory by default)."""
    settings = context.settings()
    bind_host = host or settings.host
    bind_port = port or settings.port
    load_checked_pack(settings)  # a pack that fails `certprep pack check` is refused before anything starts
    if settings.is_sqlite:
        upgrade_database(settings)  # once, before any worker starts
    if bind_host not in LOOPBACK:
        why = bind_refusal(
            bind_host,
            public_url=settings.public_url,
            admin_with_password=admin_with_password(context.database(settings)),
        )
        if why:
            raise InvalidInput(why, field="host")
    Console(soft_wrap=True).print(
        f"certprep serving on http://{bind_host}:{bind_port} with {workers} worker(s)"
        f"{'' if bind_host in LOOPBACK else f' for {settings.public_url}'}\n"
        f"database: {safe_url(settings.database_url)}",
        markup=False,
    )
    link = first_run(context.database(settings), now=context.now())
    if link:  # a fresh install: the owner signs in once with this link, as Jupyter does; no password to type
        Console(soft_wrap=True).print(
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
