"""`certprep catalog ...`: certifications, learning paths, roles and corrections of the built-in pack."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from certprep.cli import context
from certprep.domain.catalog import describe_requirement
from certprep.domain.plain import to_plain

app = typer.Typer(help="Browse the catalog of certifications, paths and roles.", no_args_is_help=True)


@app.command("list")
def list_certifications(as_json: bool = typer.Option(False, "--json")) -> None:
    """List certifications with level, status, price and validity."""
    catalog = context.catalog()
    if as_json:
        typer.echo(json.dumps(to_plain(catalog.certifications), indent=2))
        return
    table = Table(title=f"Certifications ({catalog.pack_id} pack)")
    for col in ("Exam", "Certification", "Level", "Status", "Price (US)", "Valid"):
        table.add_column(col)
    for c in catalog.certifications:
        status = (
            c.status
            if not c.retired
            else f"retired {c.retired_on}"
            + (f" -> {catalog.get(c.successor).exam.code}" if c.successor else "")
        )
        valid = {"months": f"{c.validity.months} months", "never": "never expires", "unknown": "unknown"}[
            c.validity.kind
        ]
        price = c.exam.price.for_country()
        table.add_row(c.exam.code, c.name, c.level, status, str(price) if price else "unknown", valid)
    Console().print(table)


@app.command("show")
def show(ref: str = typer.Argument(..., help="Certification id or exam code.")) -> None:
    """Show one certification with its prerequisite, facts and notes."""
    catalog = context.catalog()
    c = catalog.certification(ref)
    console = Console(highlight=False)
    console.print(f"[bold]{c.name}[/] ({c.exam.code}: {c.exam.title})")
    console.print(
        f"Issuer: {c.issuer}; level: {c.level}; status: {c.status}"
        + (f" since {c.retired_on}" if c.retired_on else "")
    )
    if c.requires:
        console.print("Prerequisite: " + describe_requirement(c.requires, catalog.names()))
    console.print(f"Facts as of {c.provenance.as_of}; source: {c.provenance.source}", markup=False)
    for note in c.notes:
        console.print(f"note: {note}", markup=False)


@app.command("paths")
def paths() -> None:
    """The six learning paths and the certifications that serve them."""
    catalog = context.catalog()
    table = Table(title="Learning paths")
    for col in ("Path", "Covers", "Certifications", "Notes"):
        table.add_column(col)
    for p in catalog.paths:
        table.add_row(
            p.name, p.covers, ", ".join(catalog.get(c).exam.code for c in p.certifications), " ".join(p.notes)
        )
    Console().print(table)


@app.command("roles")
def roles() -> None:
    """Roles and the certifications recommended for each."""
    catalog = context.catalog()
    table = Table(title="Roles")
    for col in ("Role", "Recommended", "Notes"):
        table.add_column(col)
    for r in catalog.roles:
        table.add_row(r.name, ", ".join(catalog.get(c).exam.code for c in r.recommended), " ".join(r.notes))
    Console().print(table)


@app.command("corrections")
def corrections() -> None:
    """Claims of the source article that certprep corrects, with the facts."""
    for c in context.catalog().corrections:
        Console(highlight=False).print(
            f"[bold]{c.claim}[/]\n  {c.fact} ({c.provenance.source}, {c.provenance.as_of})"
        )
