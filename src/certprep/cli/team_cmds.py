"""`certprep team`: make teams, invite, add and remove members, and the manager's view (a table, `--json` or
`--csv`). The CLI opens the database itself and acts as the owner (an admin)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from certprep.cli import context
from certprep.domain.plain import to_plain
from certprep.services import accounts
from certprep.services import teams as svc
from certprep.services.content import load_checked_pack

app = typer.Typer(help="Teams: members, managers, invitations and the manager's view.", no_args_is_help=True)


@app.command("create")
def create(name: str = typer.Argument(..., help="The team's name.")) -> None:
    """Make a team (the owner manages it)."""
    db, now = context.database(), context.now()
    team = svc.create_team(db, actor=accounts.owner(db, now=now), name=name, now=now)
    typer.echo(f"{team.id}\t{team.name}")


@app.command("list")
def list_teams() -> None:
    """Every team, with its number of members."""
    db, now = context.database(), context.now()
    for team in svc.list_teams(db, actor=accounts.owner(db, now=now)):
        typer.echo(f"{team.id}\t{team.name}\t{team.members} members")


@app.command("invite")
def invite(
    team: str = typer.Argument(..., help="Team id."),
    role: str = typer.Option("member", "--role", help="member or manager."),
) -> None:
    """Print a one-time invitation link (7 days)."""
    db, now = context.database(), context.now()
    token = svc.invite(db, actor=accounts.owner(db, now=now), team_id=team, role=role, now=now)
    typer.echo(f"{context.site_url()}/invite/{token}")


@app.command("add")
def add(
    team: str = typer.Argument(..., help="Team id."),
    username: str = typer.Argument(..., help="An existing account's username."),
    role: str = typer.Option("member", "--role", help="member or manager."),
) -> None:
    """Put an existing account into a team."""
    db, now = context.database(), context.now()
    t = svc.add_member(
        db, actor=accounts.owner(db, now=now), team_id=team, username=username, role=role, now=now
    )
    typer.echo(f"{t.name}: {t.members} members")


@app.command("remove")
def remove(team: str = typer.Argument(...), username: str = typer.Argument(...)) -> None:
    """Take an account out of a team."""
    db, now = context.database(), context.now()
    account = accounts.get_account(db, username=username)
    t = svc.remove_member(db, actor=accounts.owner(db, now=now), team_id=team, account_id=account.id)
    typer.echo(f"{t.name}: {t.members} members")


@app.command("show")
def show(
    team: str = typer.Argument(..., help="Team id."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Write the view as CSV to this file."),
) -> None:
    """The manager's view: per member the Associate held, exam date, readiness band, plan, retake and renewals."""
    db, now = context.database(), context.now()
    pack = load_checked_pack(context.settings())
    view = svc.team_view(
        db, actor=accounts.owner(db, now=now), team_id=team, catalog=pack.catalog, bank=pack.bank, now=now
    )
    if csv_file is not None:
        csv_file.write_text(svc.team_csv(view), encoding="utf-8")
        typer.echo(f"wrote {csv_file}")
        return
    if as_json:
        typer.echo(json.dumps(to_plain(view), indent=2, default=str))
        return
    table = Table(title=f"{view.team.name} ({view.team.members} members)")
    for column in svc.CSV_HEADER:
        table.add_column(column)
    for m in view.members:
        table.add_row(
            m.username,
            m.role,
            m.associate or "",
            str(m.exam_on or ""),
            m.band,
            "" if m.plan_percent is None else f"{m.plan_percent}%",
            str(m.retake_from or ""),
            "; ".join(f"{n} {d}" for n, d in m.renewals),
            "; ".join(f"{n} {d}" for n, d in m.expiring),
        )
    console = Console()
    console.print(table)
    if view.figures is None:
        console.print("Team figures appear from 5 learners.")
    else:
        f = view.figures
        console.print(
            f"{f.learners} learners, {f.with_associate} with an Associate, {f.booked} booked; mean plan progress "
            f"{f.mean_plan_percent if f.mean_plan_percent is not None else '-'}%; "
            + ", ".join(f"{b}: {n}" for b, n in f.bands)
        )
