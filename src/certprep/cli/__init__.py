"""The command line: Typer commands calling the same services as the web app; Rich for tables and trees."""

from __future__ import annotations

import sys

import click
import typer
from rich.console import Console

from certprep.cli.app import app
from certprep.errors import CertprepError, PackInvalid


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every CertprepError becomes `error: ...` on stderr and exit code 1."""
    command = typer.main.get_command(app)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        command.main(args=argv, prog_name="certprep", standalone_mode=False)
    except CertprepError as exc:
        err.print(f"error: {exc.message}", markup=False)
        if isinstance(exc, PackInvalid):
            for problem in exc.problems:
                err.print(problem, markup=False)
        elif exc.data.get("known"):
            err.print("known: " + ", ".join(map(str, exc.data["known"])), markup=False)
        if argv is None:
            sys.exit(1)
        return 1
    except click.exceptions.Exit as exc:
        if argv is None:
            sys.exit(exc.exit_code)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        if argv is None:
            sys.exit(exc.exit_code)
        return exc.exit_code
    except click.exceptions.Abort:
        err.print("aborted")
        if argv is None:
            sys.exit(130)
        return 130
    if argv is None:
        sys.exit(0)
    return 0
