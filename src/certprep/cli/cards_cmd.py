"""`certprep cards`: the pack's flashcards by functional group and objective (the same service as /cards)."""

from __future__ import annotations

import json

import typer

from certprep.cli import context
from certprep.cli.text import clean
from certprep.domain.plain import to_plain
from certprep.services.cards import browse_cards


def cards(
    group: str = typer.Option(None, "--group", help="Functional group id, e.g. security."),
    objective: str = typer.Option(None, "--objective", help="Objective id, e.g. key-vault."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (the same as GET /api/v1/cards)."),
) -> None:
    """Browse the flashcards by functional group and objective (scheduled review comes with the planner)."""
    b = browse_cards(catalog=context.catalog(), bank=context.bank(), group=group, objective=objective)
    if as_json:
        typer.echo(json.dumps(to_plain(b), indent=2))
        return
    titles = {g.id: f"{g.code} {g.title}" for g in b.groups}
    group = objective = ""
    for c in b.cards:
        if c.group != group:
            group = c.group
            typer.echo(f"\n== {clean(titles[c.group])}")
        if c.objective != objective:
            objective = c.objective
            typer.echo(f"\n-- {c.objective_code} {clean(c.objective_text)} [{c.objective}]")
        typer.echo(f"\nQ: {clean(c.front)}\nA: {clean(c.back)}")
        for s in c.sources:
            typer.echo(f"   source: {clean(s.url)}")
    typer.echo(
        f"\n{len(b.cards)} cards (outline of {b.outline}). Scheduled review comes with the study planner."
    )
