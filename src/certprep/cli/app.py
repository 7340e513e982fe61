"""The Typer application: `certprep` and its command groups."""

from __future__ import annotations

import typer

from certprep import __version__
from certprep.cli import (
    account_cmds,
    cards_cmd,
    catalog_cmds,
    db_cmds,
    exam_cmds,
    irt_cmds,
    lab_cmds,
    lint_cmd,
    pack_cmds,
    plan_cmds,
    profile_cmds,
    roadmap_cmd,
    serve_cmd,
    team_cmds,
)

app = typer.Typer(
    name="certprep",
    help="certprep: a self-hosted coach for the Microsoft DevOps Engineer Expert credential (exam AZ-400).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"certprep {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """certprep command line."""


app.command("serve")(serve_cmd.serve)
app.command("roadmap")(roadmap_cmd.roadmap)
app.command("exam")(exam_cmds.exam)
app.command("practice")(exam_cmds.practice)
app.command("attempts")(exam_cmds.attempts)
app.command("report")(exam_cmds.report)
app.command("discard")(exam_cmds.discard)
app.command("readiness")(irt_cmds.readiness)
app.command("cards")(cards_cmd.cards)
app.command("calibrate")(irt_cmds.calibrate)
app.command("lint")(lint_cmd.lint)
app.command("plan")(plan_cmds.plan)
app.command("today")(plan_cmds.today)
app.command("review")(plan_cmds.review)
app.add_typer(plan_cmds.export_app, name="export")
app.add_typer(account_cmds.app, name="account")
app.add_typer(team_cmds.app, name="team")
app.add_typer(irt_cmds.items_app, name="items")
app.add_typer(db_cmds.app, name="db")
app.add_typer(catalog_cmds.app, name="catalog")
app.add_typer(profile_cmds.app, name="profile")
app.add_typer(pack_cmds.app, name="pack")
app.add_typer(lab_cmds.app, name="lab")
