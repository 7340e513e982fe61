"""`certprep db ...`: schema migrations."""

from __future__ import annotations

import typer
from rich.console import Console

from certprep.cli import context
from certprep.services.database import upgrade_database

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply every pending migration (SQLite upgrades itself at start; run this for PostgreSQL)."""
    url = upgrade_database(context.settings())
    Console().print(f"database upgraded: {url}", markup=False)
