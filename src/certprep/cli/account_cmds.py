"""`certprep account`: sign-in links, access tokens and accounts, for whoever can open the database (the owner)."""

from __future__ import annotations

import typer

from certprep.cli import context
from certprep.services import accounts as svc
from certprep.services.profile import LOCAL_LEARNER

app = typer.Typer(help="Accounts: sign-in links, access tokens, new accounts.", no_args_is_help=True)


@app.command("link")
def link(
    account: str = typer.Option(LOCAL_LEARNER, "--account", help="Account id (default: the owner)."),
) -> None:
    """Print a new one-time sign-in link (the owner's by default)."""
    db, now = context.database(), context.now()
    svc.first_run(db, now=now)
    token = svc.login_link(db, account_id=account, now=now)
    settings = context.settings()
    typer.echo(f"http://{settings.host}:{settings.port}/login/link/{token}")


@app.command("token")
def token(
    name: str = typer.Argument(..., help="What the token is for."),
    account: str = typer.Option(LOCAL_LEARNER, "--account", help="Account id (default: the owner)."),
) -> None:
    """Create a personal access token for the JSON API (printed once)."""
    db, now = context.database(), context.now()
    svc.first_run(db, now=now)
    typer.echo(svc.create_token(db, account_id=account, name=name, scopes=["api"], now=now))


@app.command("add")
def add(
    username: str = typer.Argument(...),
    role: str = typer.Option("learner", "--role", help="learner, manager, author or admin."),
) -> None:
    """Create an account and print its one-time sign-in link (the invitation)."""
    db, now = context.database(), context.now()
    svc.first_run(db, now=now)
    account, token = svc.create_account(db, username=username, role=role, now=now)
    settings = context.settings()
    typer.echo(
        f"{account.username} ({account.role}): http://{settings.host}:{settings.port}/login/link/{token}"
    )
