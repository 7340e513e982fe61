"""`certprep account`: sign-in links, access tokens and accounts, for whoever can open the database (the owner)."""

from __future__ import annotations

import json
from pathlib import Path

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
    typer.echo(f"{context.site_url()}/login/link/{token}")


@app.command("token")
def token(
    name: str = typer.Argument(..., help="What the token is for."),
    account: str = typer.Option(LOCAL_LEARNER, "--account", help="Account id (default: the owner)."),
) -> None:
    """Create a personal access token for the JSON API (printed once)."""
    db, now = context.database(), context.now()
    svc.first_run(db, now=now)
    typer.echo(svc.create_token(db, account_id=account, name=name, scopes=["read", "write"], now=now))


@app.command("add")
def add(
    username: str = typer.Argument(...),
    role: str = typer.Option("learner", "--role", help="learner, manager, author or admin."),
) -> None:
    """Create an account and print its one-time sign-in link (the invitation)."""
    db, now = context.database(), context.now()
    svc.first_run(db, now=now)
    account, token = svc.create_account(db, username=username, role=role, now=now)
    typer.echo(f"{account.username} ({account.role}): {context.site_url()}/login/link/{token}")


@app.command("list")
def list_accounts() -> None:
    """Every account: username, role, state."""
    db, now = context.database(), context.now()
    for line in svc.list_accounts(db, actor=svc.owner(db, now=now)):
        a = line.account
        state = "disabled" if line.disabled else "active"
        typer.echo(f"{a.id}\t{a.username}\t{a.role}\t{state}")


@app.command("role")
def role(username: str = typer.Argument(...), new_role: str = typer.Argument(..., metavar="ROLE")) -> None:
    """Give an account another role (learner, manager, author, admin)."""
    db, now = context.database(), context.now()
    account = svc.get_account(db, username=username)
    changed = svc.change_account(
        db, actor=svc.owner(db, now=now), account_id=account.id, role=new_role, now=now
    )
    typer.echo(f"{changed.username}: {changed.role}")


@app.command("disable")
def disable(
    username: str = typer.Argument(...),
    enable: bool = typer.Option(False, "--enable", help="Enable the account again instead."),
) -> None:
    """Disable an account (its sessions end; its data stays), or enable it again."""
    db, now = context.database(), context.now()
    account = svc.get_account(db, username=username)
    svc.change_account(db, actor=svc.owner(db, now=now), account_id=account.id, disabled=not enable, now=now)
    typer.echo(f"{account.username}: {'active' if enable else 'disabled'}")


@app.command("export")
def export(
    username: str = typer.Argument("owner", help="Whose data (default: the owner)."),
    output: Path = typer.Option(Path("-"), "--output", "-o", help="File to write (- for standard output)."),
) -> None:
    """Everything stored about an account, as JSON (secrets and their hashes left out)."""
    db, now = context.database(), context.now()
    svc.first_run(db, now=now)
    account = svc.get_account(db, username=username)
    body = json.dumps(svc.export_data(db, account_id=account.id), indent=1, default=str)
    if str(output) == "-":
        typer.echo(body)
    else:
        output.write_text(body + "\n", encoding="utf-8")
        typer.echo(f"wrote {output}")


@app.command("delete")
def delete(
    username: str = typer.Argument(...),
    confirm: str = typer.Option(..., "--confirm", help="The username again, to confirm."),
) -> None:
    """Delete an account and every row of its preparation (the last admin cannot be deleted)."""
    db, now = context.database(), context.now()
    account = svc.get_account(db, username=username)
    svc.delete_account(db, actor=svc.owner(db, now=now), account_id=account.id, confirm=confirm)
    typer.echo(f"deleted {account.username}")


@app.command("password")
def password(
    username: str = typer.Argument("owner", help="Whose password (default: the owner)."),
    new_password: str = typer.Option(
        ...,
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="12 characters or more.",
    ),
) -> None:
    """Set an account's password (every session of the account ends)."""
    db, now = context.database(), context.now()
    svc.first_run(db, now=now)
    account = svc.get_account(db, username=username)
    svc.set_password(db, account_id=account.id, password=new_password, now=now)
    typer.echo(f"password set for {account.username}")
