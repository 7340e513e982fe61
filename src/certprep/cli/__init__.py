"""The command line: Typer commands calling the same services as the web app; Rich for tables and trees."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from certprep.cli.app import app
from certprep.errors import CertprepError, PackInvalid


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every CertprepError becomes `error: ...` on stderr and exit code 1.

    Typer handles its own usage errors (exit code 2) in standalone mode; with `argv` given (tests) the exit code
    is returned instead of leaving the process.
    """
    command = typer.main.get_command(app)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    code = 0
    try:
        command.main(args=argv, prog_name="certprep", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except CertprepError as exc:
        err.print(f"error: {exc.message}", markup=False)
        if isinstance(exc, PackInvalid):
            for problem in exc.problems:
                err.print(problem, markup=False)
        elif exc.data.get("known"):
            err.print("known: " + ", ".join(map(str, exc.data["known"])), markup=False)
        code = 1
    if argv is None:
        sys.exit(code)
    return code
