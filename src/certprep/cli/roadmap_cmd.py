"""`certprep roadmap`: eligibility and the ordered steps to a goal, as a table and tree, JSON, or SVG."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from certprep.cli import context
from certprep.domain.roadmap import Roadmap
from certprep.domain.roadmap_svg import render_svg
from certprep.errors import InvalidInput
from certprep.services.roadmap import profile_summary, roadmap_for_learner, uses_profile

STATE_STYLE = {"held": "green", "eligible": "blue", "locked": "yellow", "retired": "red"}


def roadmap(
    goal: str = typer.Option(
        None, "--goal", help="A certification id or exam code, e.g. devops-engineer-expert or AZ-400."
    ),
    role: str = typer.Option(None, "--role", help='A role id or name, e.g. "reliability lead".'),
    path: str = typer.Option(None, "--path", help="A learning path id or name, e.g. devsecops."),
    have: list[str] = typer.Option(
        [], "--have", help="A certification you hold: CODE or CODE:YYYY-MM-DD (repeat)."
    ),
    profile: bool | None = typer.Option(
        None,
        "--profile/--no-profile",
        help="Use the certifications recorded in your profile (`certprep profile add-cert`). "
        "Default: yes, unless --have is given; --profile adds them to --have.",
    ),
    at: str = typer.Option(None, "--at", help="Evaluate as of this date (YYYY-MM-DD); default today."),
    country: str = typer.Option(None, "--country", help="Two-letter country code for exam prices."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON."),
    svg: Path = typer.Option(None, "--svg", help="Write the roadmap picture to this SVG file."),
) -> None:
    """Show what you still need for a certification, a role or a learning path, in order, with reasons."""
    chosen = [(k, v) for k, v in (("certification", goal), ("role", role), ("path", path)) if v]
    if len(chosen) > 1:
        raise InvalidInput("give one of --goal, --role or --path, not several", field="goal")
    kind, ref = chosen[0] if chosen else ("certification", "devops-engineer-expert")
    catalog = context.catalog()
    today = context.parse_day(at, "--at") or context.now().date()
    given = have or None
    result = roadmap_for_learner(
        context.database() if uses_profile(given, profile) else None,
        catalog=catalog,
        kind=kind,  # type: ignore[arg-type]
        ref=ref,
        have=given,
        use_profile=profile,
        learner_id=context.LEARNER,
        today=today,
        country=country,
    )
    if svg is not None:
        targets = frozenset(result.roadmap.goal.targets)
        _write_svg(svg, render_svg(catalog, result.held, today=today, highlight=targets))
    if as_json:
        typer.echo(json.dumps(result.roadmap.to_json(), indent=2))
        return
    if result.profile is not None:
        Console().print(
            f"Using your profile: {profile_summary(catalog, result.profile)} (--no-profile to ignore it)",
            markup=False,
            highlight=False,
        )
    if svg is None:
        _print(result.roadmap)
    else:
        Console().print(f"wrote {svg}", markup=False)


def _write_svg(path: Path, text: str) -> None:
    """Write through a temporary file so a failure leaves nothing half-written."""
    if not path.parent.exists():
        raise InvalidInput(f"--svg {path}: folder {path.parent} does not exist", field="svg")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _print(r: Roadmap) -> None:
    console = Console()
    tree = Tree(f"[bold]{r.goal.name}[/] ({r.goal.kind}) as of {r.today}")
    for t in r.targets:
        node = tree.add(f"[{STATE_STYLE[t.state]}]{t.state}[/] {t.name}")
        node.add(t.message)
    console.print(tree)
    console.print(f"Eligible: {'yes' if r.eligible else 'not yet'}")
    table = Table(title="Steps still missing", show_lines=False)
    for col in ("#", "Exam", "Certification", "Reason", "Why", "Cost", "Hours"):
        table.add_column(col)
    for i, s in enumerate(r.steps, 1):
        table.add_row(
            str(i), s.exam, s.name, s.reason, s.why, str(s.cost) if s.cost else "unknown", str(s.study_hours)
        )
    if r.steps:
        console.print(table)
        costs = ", ".join(f"{c} {a}" for c, a in r.total_cost().items()) or "unknown"
        console.print(f"Total: {costs}; about {r.total_hours} study hours")
    else:
        console.print("Nothing missing.")
    if r.next_steps:
        nxt = Table(title="After that")
        for col in ("Exam", "Certification", "Why"):
            nxt.add_column(col)
        for s in r.next_steps:
            nxt.add_row(s.exam, s.name, s.why)
        console.print(nxt)
    if r.expiries:
        exp = Table(title="What you hold")
        for col in ("Certification", "Earned", "Expires", "Renewal opens", "State", "Note"):
            exp.add_column(col)
        for e in r.expiries:
            exp.add_row(
                e.name,
                str(e.earned_on or "?"),
                str(e.expires_on or "-"),
                str(e.renewal_opens or "-"),
                e.state,
                e.message,
            )
        console.print(exp)
    for w in r.warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    for n in r.notes:
        console.print(f"note: {n}", markup=False, highlight=False)
