"""`certprep pack ...`: check a content pack."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from certprep.services.content import builtin_pack_path, load_pack_catalog

app = typer.Typer(help="Content packs.", no_args_is_help=True)


@app.command("check")
def check(path: Path = typer.Argument(None, help="Pack folder (default: the built-in az-400 pack).")) -> None:
    """Validate a pack; prints file:line: message for every problem and exits non-zero on any error."""
    root = path or builtin_pack_path()
    catalog = load_pack_catalog(root)
    Console().print(
        f"{root}: ok ({len(catalog.certifications)} certifications, {len(catalog.outlines)} outlines)",
        markup=False,
    )
